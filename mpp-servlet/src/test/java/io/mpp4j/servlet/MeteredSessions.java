package io.mpp4j.servlet;

import io.mpp4j.core.Intent;
import io.mpp4j.core.PaymentRequest;
import io.mpp4j.core.PaymentRequirement;
import io.mpp4j.core.Receipt;
import io.mpp4j.core.RequestView;
import io.mpp4j.core.problem.ProblemType;
import io.mpp4j.core.problem.ReasonCode;
import io.mpp4j.server.IntentContext;
import io.mpp4j.server.IntentOutcome;
import io.mpp4j.server.PaymentStream;
import io.mpp4j.server.ReusableChallengeHandler;
import io.mpp4j.spi.Delivery;
import io.mpp4j.spi.PaymentMethod;
import io.mpp4j.spi.PaymentMethodException;
import io.mpp4j.spi.Settlement;
import io.mpp4j.spi.Verification;
import io.mpp4j.spi.VerificationContext;
import io.mpp4j.test.MockPaymentMethod;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The session intent's stand-in for the filter's tests: one channel's balance in units (charged one
 * at a time, topped up by management requests on other connections), an intent handler that
 * acknowledges a HEAD or a bodiless POST (adding its payload's {@code topUp} units) and charges any
 * other request one unit, answering with a stream over the balance whose settlement bills the
 * delivered units and gives back the rest. The real session handler is mpp-core's.
 */
final class MeteredSessions implements ReusableChallengeHandler {
  private long available;
  private long charged;
  final Semaphore prompts = new Semaphore(0);
  final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
  final AtomicInteger acknowledged = new AtomicInteger();

  MeteredSessions(long available) {
    this.available = available;
  }

  /** The mock method, offering the session intent too. */
  static PaymentMethod method() {
    MockPaymentMethod mock = MockPaymentMethod.create();
    return new PaymentMethod() {
      @Override
      public String name() {
        return mock.name();
      }

      @Override
      public Set<Intent> intents() {
        return Set.of(Intent.CHARGE, Intent.SESSION);
      }

      @Override
      public PaymentRequest createRequest(Intent intent, PaymentRequirement requirement) {
        return mock.createRequest(intent, requirement);
      }

      @Override
      public Verification verify(VerificationContext context) throws PaymentMethodException {
        return mock.verify(context);
      }
    };
  }

  synchronized boolean tryCharge() {
    if (available == 0) {
      return false;
    }
    available--;
    charged++;
    return true;
  }

  synchronized boolean awaitCharge(Duration timeout) throws InterruptedException {
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

  synchronized void topUp(long units) {
    available += units;
    notifyAll();
  }

  synchronized void refund(long units) {
    available += units;
    charged -= units;
  }

  /** The units charged and not given back. */
  synchronized long charged() {
    return charged;
  }

  @Override
  public IntentOutcome handle(IntentContext context) {
    RequestView request = context.verification().httpRequest();
    byte[] body = request.body();
    Receipt receipt =
        Receipt.success("mock", "0xc1", context.verification().clock().instant())
            .with("intent", "session");
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
                  ReasonCode.of("mock.insufficient"),
                  "Top up.")
              .nothingPaid());
    }
    Exchange exchange = new Exchange();
    return new IntentOutcome.Stream(receipt, exchange, exchange);
  }

  /** One metered exchange: the opening unit covers the first event. */
  final class Exchange implements PaymentStream, Settlement {
    private long paid = 1;
    private long counted;

    @Override
    public synchronized PaymentPrompt nextUnit() {
      if (counted == paid) {
        if (!tryCharge()) {
          prompts.release();
          return new PaymentPrompt(
              "payment-need-voucher",
              "{\"channelId\":\"0xc1\",\"requiredCumulative\":\"" + (charged() + 1) + "\"}");
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
      return Receipt.success("mock", "0xc1", Instant.EPOCH)
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
