package io.mpp4j.server;

import io.mpp4j.core.Intent;
import io.mpp4j.core.PaymentRequest;
import io.mpp4j.core.PaymentRequirement;
import io.mpp4j.core.Receipt;
import io.mpp4j.core.problem.ProblemType;
import io.mpp4j.core.problem.ReasonCode;
import io.mpp4j.spi.PaymentMethod;
import io.mpp4j.spi.PaymentMethodException;
import io.mpp4j.spi.Verification;
import io.mpp4j.spi.VerificationContext;
import java.math.BigDecimal;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/** A scriptable payment method for engine tests: 6-decimal base units, fixed currency/recipient. */
class TestMethod implements PaymentMethod {
  enum Mode {
    ACCEPT,
    REJECT,
    REJECT_LOCALLY,
    OUTAGE,
    BUG
  }

  private final String name;
  volatile Mode mode = Mode.ACCEPT;
  final List<VerificationContext> calls = new CopyOnWriteArrayList<>();

  TestMethod(String name) {
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

  @Override
  public Verification verify(VerificationContext context) throws PaymentMethodException {
    calls.add(context);
    return switch (mode) {
      case ACCEPT ->
          Verification.verified(
              Receipt.success(name, "ref-" + context.challenge().id(), context.clock().instant()));
      case REJECT ->
          Verification.rejected(
              ProblemType.VERIFICATION_FAILED, ReasonCode.of(name + ".declined"), "Declined.");
      case REJECT_LOCALLY ->
          Verification.rejected(
                  ProblemType.INVALID_PAYLOAD, ReasonCode.of(name + ".junk"), "Junk payload.")
              .nothingPaid();
      case OUTAGE ->
          throw PaymentMethodException.of(
              name,
              ReasonCode.of(name + ".timeout"),
              "node timed out",
              context.challenge().id(),
              null,
              null);
      case BUG -> throw new IllegalStateException("defect");
    };
  }
}
