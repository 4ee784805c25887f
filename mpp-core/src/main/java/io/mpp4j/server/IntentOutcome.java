package io.mpp4j.server;

import io.mpp4j.core.Receipt;
import io.mpp4j.spi.Settlement;
import io.mpp4j.spi.Verification;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What an {@link IntentHandler} decided: {@link Deliver} one response, {@link Stream} events with
 * payment requests in between, {@link Acknowledge} a payment-management request without running the
 * application, or {@link Refuse}.
 */
public sealed interface IntentOutcome {

  /**
   * The payment is valid: deliver one response with the receipt.
   *
   * @param receipt the receipt to send
   * @param settlement the step to complete once the response is done (with what was delivered and
   *     how many units), or null when the payment is already settled
   */
  record Deliver(Receipt receipt, @Nullable Settlement settlement) implements IntentOutcome {
    /** Validates. */
    public Deliver {
      Objects.requireNonNull(receipt, "receipt == null");
    }
  }

  /**
   * The exchange streams (server-sent events): the adapter sends events, asks {@code stream} before
   * each billable one whether it is paid for, sends the payment request it returns as an event when
   * it is not, and completes {@code settlement} with the units delivered once the stream ends.
   *
   * @param receipt the receipt for the response's header (and the stream's final receipt event)
   * @param settlement the metering step, completed exactly once when the stream ends
   * @param stream how to ask for more payment between events
   */
  record Stream(Receipt receipt, Settlement settlement, PaymentStream stream)
      implements IntentOutcome {
    /** Validates. */
    public Stream {
      Objects.requireNonNull(receipt, "receipt == null");
      Objects.requireNonNull(settlement, "settlement == null");
      Objects.requireNonNull(stream, "stream == null");
    }
  }

  /**
   * A payment-management request (SPEC 4.5, 11.4: a session's {@code voucher}, {@code topUp} or
   * {@code close} sent as a bodiless {@code POST} or a {@code HEAD} to the paid URL): it was
   * processed, nothing was charged for content, and the adapter answers {@code 204} with the
   * receipt and without running the application.
   *
   * @param receipt the receipt to send (a close's carries its {@code txHash})
   */
  record Acknowledge(Receipt receipt) implements IntentOutcome {
    /** Validates. */
    public Acknowledge {
      Objects.requireNonNull(receipt, "receipt == null");
    }
  }

  /**
   * The payment is refused. The gate answers with the rejection's problem and fresh challenges, and
   * releases the challenge claim when {@link Verification.Rejected#mayHavePaid()} is false.
   *
   * @param rejection why, and whether something may have been paid
   * @param extensions further members of the problem (such as {@code requiredTopUp} of {@code
   *     session/insufficient-balance}), empty for none
   * @param retryAfter the {@code Retry-After} to answer with, or null
   */
  record Refuse(
      Verification.Rejected rejection,
      Map<String, Object> extensions,
      @Nullable Duration retryAfter)
      implements IntentOutcome {
    /** Validates and copies. */
    public Refuse {
      Objects.requireNonNull(rejection, "rejection == null");
      extensions = Collections.unmodifiableMap(new LinkedHashMap<>(extensions));
    }

    /** A refusal without extension members or {@code Retry-After}. */
    public Refuse(Verification.Rejected rejection) {
      this(rejection, Map.of(), null);
    }
  }
}
