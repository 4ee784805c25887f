package io.mpp4j.benchmarks;

import io.mpp4j.core.Intent;
import io.mpp4j.core.PaymentRequest;
import io.mpp4j.core.PaymentRequirement;
import io.mpp4j.spi.PaymentMethod;
import io.mpp4j.spi.Verification;
import io.mpp4j.spi.VerificationContext;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A trivial {@code tempo} payment method for benchmarks: it offers a fixed Tempo-shaped request
 * (the requirement's amount in 6-decimal base units) and accepts every credential with a receipt
 * built once up front, so a benchmark measures the gate and not a payment network.
 */
final class BenchmarkPaymentMethod implements PaymentMethod {
  static final String NAME = "tempo";
  static final String CURRENCY = "0x20c0000000000000000000000000000000000000";
  static final String RECIPIENT = "0x742d35Cc6634C0532925a3b844Bc9e7595f1B0F2";
  static final int CHAIN_ID = 42431;

  private static final int DECIMALS = 6;

  private final Verification verdict;

  /** A method whose {@link #verify} always returns {@code verdict}. */
  BenchmarkPaymentMethod(Verification verdict) {
    this.verdict = Objects.requireNonNull(verdict, "verdict == null");
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<Intent> intents() {
    return Set.of(Intent.CHARGE);
  }

  @Override
  public PaymentRequest createRequest(Intent intent, PaymentRequirement requirement) {
    String baseUnits = requirement.amount().movePointRight(DECIMALS).toBigIntegerExact().toString();
    return PaymentRequest.builder()
        .amount(baseUnits)
        .currency(CURRENCY)
        .recipient(RECIPIENT)
        .put("methodDetails", Map.of("chainId", CHAIN_ID))
        .build();
  }

  @Override
  public Verification verify(VerificationContext context) {
    return verdict;
  }
}
