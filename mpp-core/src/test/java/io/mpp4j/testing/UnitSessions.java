package io.mpp4j.testing;

import io.mpp4j.core.Receipt;
import io.mpp4j.core.RequestView;
import io.mpp4j.core.problem.ProblemType;
import io.mpp4j.core.problem.ReasonCode;
import io.mpp4j.server.IntentContext;
import io.mpp4j.server.IntentOutcome;
import io.mpp4j.server.PaymentStream;
import io.mpp4j.server.ReusableChallengeHandler;
import io.mpp4j.spi.Delivery;
import io.mpp4j.spi.PaymentMethodException;
import io.mpp4j.spi.Settlement;
import io.mpp4j.spi.Verification;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The session intent's stand-in for the adapters' tests (mpp-core's http tests, the servlet
 * filter's): one channel's balance in units, like its accepted voucher minus what was spent,
 * charged one unit at a time and topped up from other threads (another request's voucher). As an
 * intent handler it acknowledges a {@code HEAD} or a bodiless {@code POST} (adding its payload's
 * {@code topUp} units) and charges any other request one unit, answering with a stream over the
 * balance whose opening unit covers the first event and whose settlement bills the delivered units
 * and gives back the rest. The real session handler is {@code io.mpp4j.server.session}'s.
 */
public final class UnitSessions implements ReusableChallengeHandler {
  private long available;
  private long charged;

  /** Released once per payment prompt sent. */
  public final Semaphore prompts = new Semaphore(0);

  /** Every settlement's delivery, in order. */
  public final List<Delivery> deliveries = new CopyOnWriteArrayList<>();

  /** How many management requests were acknowledged. */
  public final AtomicInteger acknowledged = new AtomicInteger();

  /** When set, the stream's next unit fails as a store outage would. */
  public volatile boolean failing;

  /** A balance of {@code available} units. */
  public UnitSessions(long available) {
    this.available = available;
  }

  /** Charges one unit if there is one. */
  public synchronized boolean tryCharge() {
    if (available == 0) {
      return false;
    }
    available--;
    charged++;
    return true;
  }

  /** Gives {@code units} back. */
  public synchronized void refund(long units) {
    available += units;
    charged -= units;
  }

  /** Waits at most {@code timeout} for a unit and charges it. */
  public synchronized boolean awaitCharge(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (available == 0) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return tryCharge();
  }

  /** Adds {@code units} (a voucher or top-up arriving on another request). */
  public synchronized void topUp(long units) {
    available += units;
    notifyAll();
  }

  /** The units charged and not given back. */
  public synchronized long charged() {
    return charged;
  }

  @Override
  public IntentOutcome handle(IntentContext context) {
    RequestView request = context.verification().httpRequest();
    byte[] body = request.body();
    Receipt receipt =
        Receipt.success(context.method().name(), "0xc1", context.verification().clock().instant())
            .with("intent", "session")
            .with("challengeId", context.credential().challenge().id());
    boolean bodiless = body == null || body.length == 0;
    if ("HEAD".equals(request.method()) || "POST".equals(request.method()) && bodiless) {
      if (context.credential().payload().get("topUp") instanceof String units) {
        topUp(Long.parseLong(units));
      }
      acknowledged.incrementAndGet();
      return new IntentOutcome.Acknowledge(receipt);
    }
    if (!tryCharge()) {
      return new IntentOutcome.Refuse(
          Verification.rejected(
                  ProblemType.SESSION_INSUFFICIENT_BALANCE,
                  ReasonCode.of("test.insufficient"),
                  "Top up.")
              .nothingPaid());
    }
    Metered metered = new Metered(context.method().name());
    return new IntentOutcome.Stream(receipt, metered, metered);
  }

  /**
   * One metered exchange over the balance: the request paid its opening unit, which covers the
   * first event; each further event charges one unit or prompts; the settlement bills the delivered
   * units and gives back the rest.
   */
  final class Metered implements PaymentStream, Settlement {
    private final String method;
    private long paid = 1; // the opening unit
    private long counted;

    Metered(String method) {
      this.method = method;
    }

    @Override
    public synchronized PaymentPrompt nextUnit() throws PaymentMethodException {
      if (failing) {
        throw PaymentMethodException.of(
            "test", ReasonCode.of("test.store_down"), "store down", null, null, null);
      }
      if (counted == paid) {
        if (!tryCharge()) {
          prompts.release();
          return new PaymentPrompt(
              "payment-need-voucher",
              "{\"channelId\":\"0xc1\",\"requiredCumulative\":\""
                  + (charged() + 1)
                  + "\",\"acceptedCumulative\":\""
                  + charged()
                  + "\",\"deposit\":\"100\"}");
        }
        paid++;
      }
      counted++;
      return null;
    }

    @Override
    public synchronized boolean awaitPayment(Duration timeout) throws InterruptedException {
      if (!awaitCharge(timeout)) {
        return false;
      }
      paid++;
      counted++;
      return true;
    }

    @Override
    public Receipt currentReceipt() {
      return Receipt.success(method, "0xc1", Instant.EPOCH)
          .with("intent", "session")
          .with("spent", Long.toString(charged()));
    }

    @Override
    public synchronized void complete(Delivery delivery) {
      deliveries.add(delivery);
      if (delivery.units() < paid) {
        refund(paid - delivery.units());
      }
    }
  }
}
