package io.mpp4j.spi;

import io.mpp4j.core.Receipt;
import io.mpp4j.core.problem.ProblemType;
import io.mpp4j.core.problem.ReasonCode;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A payment method's verdict on a credential: {@link Verified} (the payment is valid and settled,
 * or its settlement is deferred) or {@link Rejected} (the payment is not acceptable). A rejection
 * is a result, not an exception; infrastructure failures are {@link PaymentMethodException}s.
 */
public sealed interface Verification {

  /**
   * The payment is valid.
   *
   * @param receipt the receipt to send with the response
   * @param settlement a deferred settlement step, or null when settlement is complete
   */
  record Verified(Receipt receipt, @Nullable Settlement settlement) implements Verification {
    /** Validates. */
    public Verified {
      Objects.requireNonNull(receipt, "receipt == null");
    }
  }

  /**
   * The payment is not acceptable.
   *
   * <p>{@code mayHavePaid} tells the gate what becomes of the challenge. True (the default of every
   * constructor and factory but the canonical one) means something may have been paid, or may still
   * be paid, under this challenge (a broadcast whose outcome is open, a receipt showing a transfer,
   * a processor's conflicting answer): the gate keeps the challenge used, so it settles nothing
   * else. False, set with {@link #nothingPaid()}, means the method is sure that nothing was paid
   * and nothing can still be paid under this attempt: it refused before anything left this server
   * (a malformed payload, a wrong amount or memo, a bad signature, a token already spent), or the
   * payment network refused it for good (a declined card, a transaction the node did not admit).
   * The gate then releases the challenge, so a refused attempt holds no shared replay store
   * capacity and the payer may retry the same challenge; the method's own replay keys (transaction
   * hashes, tokens) still stop a second settlement. When unsure, leave it true.
   *
   * @param type the problem type (usually {@link ProblemType#VERIFICATION_FAILED})
   * @param reason a stable reason code
   * @param detail a safe human-readable explanation (never upstream error text)
   * @param hint what the payer can do about it (the problem's {@code hint}), or null
   * @param mayHavePaid whether something may have been paid, or may still be paid, under this
   *     attempt
   */
  record Rejected(
      ProblemType type,
      ReasonCode reason,
      String detail,
      @Nullable String hint,
      boolean mayHavePaid)
      implements Verification {
    /** Validates. */
    public Rejected {
      Objects.requireNonNull(type, "type == null");
      Objects.requireNonNull(reason, "reason == null");
      Objects.requireNonNull(detail, "detail == null");
    }

    /** A refusal under which something may have been paid (the fail-closed default). */
    public Rejected(ProblemType type, ReasonCode reason, String detail, @Nullable String hint) {
      this(type, reason, detail, hint, true);
    }

    /** A refusal without a hint under which something may have been paid. */
    public Rejected(ProblemType type, ReasonCode reason, String detail) {
      this(type, reason, detail, null, true);
    }

    /**
     * This refusal, with nothing paid and nothing that can still be paid under this attempt: the
     * gate releases the challenge instead of keeping it used.
     */
    public Rejected nothingPaid() {
      return mayHavePaid ? new Rejected(type, reason, detail, hint, false) : this;
    }
  }

  /** A completed payment. */
  static Verified verified(Receipt receipt) {
    return new Verified(receipt, null);
  }

  /** A refusal. */
  static Rejected rejected(ProblemType type, ReasonCode reason, String detail) {
    return new Rejected(type, reason, detail, null);
  }

  /** A refusal with a hint for the payer. */
  static Rejected rejected(
      ProblemType type, ReasonCode reason, String detail, @Nullable String hint) {
    return new Rejected(type, reason, detail, hint);
  }
}
