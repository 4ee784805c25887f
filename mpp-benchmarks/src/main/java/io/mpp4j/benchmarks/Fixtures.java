package io.mpp4j.benchmarks;

import io.mpp4j.core.PaymentRequirement;
import io.mpp4j.core.Receipt;
import io.mpp4j.core.binding.ChallengeSecret;
import io.mpp4j.server.PaymentGate;
import io.mpp4j.spi.Verification;
import io.mpp4j.store.ReplayStore;
import java.time.Clock;
import java.time.Instant;

/** Shared benchmark fixtures. */
final class Fixtures {
  static final String REALM = "api.example.com";

  /** A fixed 44-byte secret (the gate requires at least 32 bytes). */
  static final String SECRET = "mpp4j-benchmark-secret-0123456789abcdefghijk";

  /** 0x + 64 hex digits, the shape of a transaction hash. */
  static final String TX_HASH =
      "0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060";

  static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

  private Fixtures() {}

  /** A route charging 0.01 (10000 base units) with the default options. */
  static PaymentRequirement requirement() {
    return PaymentRequirement.builder().amount("0.01").build();
  }

  /** The receipt the benchmark method returns, built once. */
  static Receipt receipt() {
    return Receipt.success(BenchmarkPaymentMethod.NAME, TX_HASH, NOW);
  }

  /** A gate with the benchmark {@code tempo} method. */
  static PaymentGate gate(Clock clock, ReplayStore store) {
    return PaymentGate.builder()
        .realm(REALM)
        .secret(ChallengeSecret.of(SECRET))
        .clock(clock)
        .replayStore(store)
        .method(new BenchmarkPaymentMethod(Verification.verified(receipt())))
        .build();
  }
}
