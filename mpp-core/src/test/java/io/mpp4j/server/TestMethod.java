package io.mpp4j.server;

import io.mpp4j.core.Intent;
import io.mpp4j.core.PaymentRequest;
import io.mpp4j.core.PaymentRequirement;
import io.mpp4j.core.Receipt;
import io.mpp4j.core.problem.ProblemType;
import io.mpp4j.core.problem.ReasonCode;
import io.mpp4j.spi.Delivery;
import io.mpp4j.spi.PaymentMethod;
import io.mpp4j.spi.PaymentMethodException;
import io.mpp4j.spi.Verification;
import io.mpp4j.spi.VerificationContext;
import java.math.BigDecimal;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The payment method of mpp-core's engine tests: 6-decimal base units, fixed currency and
 * recipient, scripted by {@link Mode}. It records the first {@value #CALL_LOG_LIMIT} verifications,
 * counts every refusal of a junk payload and every settlement, and notes when two verifications of
 * one challenge overlap. (mpp-core's tests cannot use mpp-test's {@code MockPaymentMethod}:
 * mpp-test depends on mpp-core. Every other module's tests use that mock.)
 */
public class TestMethod implements PaymentMethod {
  enum Mode {
    ACCEPT,
    REJECT,
    REJECT_LOCALLY,
    OUTAGE,
    BUG,
    /** Refuse a payload {@code {"type":"junk"}} before any network; settle anything else. */
    JUNK_OR_PAY
  }

  /** How many verifications {@link #calls} keeps (a flood test makes hundreds of thousands). */
  static final int CALL_LOG_LIMIT = 1000;

  private final String name;
  volatile Mode mode = Mode.ACCEPT;
  final List<VerificationContext> calls = new CopyOnWriteArrayList<>();
  final AtomicInteger junk = new AtomicInteger();
  final AtomicInteger settled = new AtomicInteger();
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  volatile boolean overlapped;

  /** When true, an accepted payment settles later: its {@link Delivery} lands in completions. */
  public volatile boolean deferSettlement;

  /** The deliveries of deferred settlements, in completion order. */
  public final List<Delivery> completions = new CopyOnWriteArrayList<>();

  public TestMethod(String name) {
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Set<Intent> intents() {
    return Set.of(Intent.CHARGE);
  }

  @Override
  public PaymentRequest createRequest(Intent intent, PaymentRequirement requirement) {
    BigDecimal units = requirement.amount().movePointRight(6);
    return PaymentRequest.builder()
        .amount(units.toBigIntegerExact().toString())
        .currency(
            requirement.currency() != null
                ? requirement.currency()
                : "0xAbC0000000000000000000000000000000000001")
        .recipient("0x742d35Cc6634C0532925a3b844Bc9e7595f1B0F2")
        .put("methodDetails", java.util.Map.of("chainId", 42431))
        .build();
  }

  // Thread.yield only widens the window for overlapping verifications; no assertion needs it.
  @SuppressWarnings("ThreadPriorityCheck")
  @Override
  public Verification verify(VerificationContext context) throws PaymentMethodException {
    if (calls.size() < CALL_LOG_LIMIT) {
      calls.add(context);
    }
    String id = context.challenge().id();
    if (!inFlight.add(id)) {
      overlapped = true;
    }
    try {
      Thread.yield();
      return verdict(context);
    } finally {
      inFlight.remove(id);
    }
  }

  private Verification verdict(VerificationContext context) throws PaymentMethodException {
    Mode current = mode;
    if (current == Mode.JUNK_OR_PAY) {
      current =
          "junk".equals(context.credential().payload().get("type"))
              ? Mode.REJECT_LOCALLY
              : Mode.ACCEPT;
    }
    return switch (current) {
      case ACCEPT -> {
        settled.incrementAndGet();
        Receipt receipt =
            Receipt.success(name, "ref-" + context.challenge().id(), context.clock().instant());
        yield deferSettlement
            ? new Verification.Verified(receipt, completions::add)
            : Verification.verified(receipt);
      }
      case REJECT ->
          Verification.rejected(
              ProblemType.VERIFICATION_FAILED, ReasonCode.of(name + ".declined"), "Declined.");
      case REJECT_LOCALLY -> {
        junk.incrementAndGet();
        yield Verification.rejected(
                ProblemType.INVALID_PAYLOAD, ReasonCode.of(name + ".junk"), "Junk payload.")
            .nothingPaid();
      }
      case OUTAGE ->
          throw PaymentMethodException.of(
              name,
              ReasonCode.of(name + ".timeout"),
              "node timed out",
              context.challenge().id(),
              null,
              null);
      case BUG -> throw new IllegalStateException("defect");
      case JUNK_OR_PAY -> throw new AssertionError("resolved above");
    };
  }
}
