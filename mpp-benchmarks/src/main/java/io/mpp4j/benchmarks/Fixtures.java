package io.mpp4j.benchmarks;

import io.mpp4j.core.PaymentRequirement;
import io.mpp4j.core.binding.ChallengeSecret;
import io.mpp4j.server.PaymentGate;
import io.mpp4j.store.ReplayStore;
import io.mpp4j.test.MockPaymentMethod;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/** Shared benchmark fixtures. */
final class Fixtures {
  static final String REALM = "api.example.com";

  /** The benchmark method's name and its requests' shape: a Tempo charge. */
  static final String METHOD = "tempo";

  static final String CURRENCY = "0x20c0000000000000000000000000000000000000";
  static final String RECIPIENT = "0x742d35Cc6634C0532925a3b844Bc9e7595f1B0F2";
  static final int CHAIN_ID = 42431;

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

  /**
   * The payment method of the benchmarks: mpp-test's mock under the name {@code tempo}, offering
   * Tempo-shaped requests (6-decimal base units, a chain id) and accepting every mock payload
   * ({@link #payload()}), so a benchmark measures the gate and not a payment network.
   */
  static MockPaymentMethod method() {
    return MockPaymentMethod.create(METHOD, CURRENCY, 6, RECIPIENT)
        .methodDetails(Map.of("chainId", CHAIN_ID));
  }

  /** The proof the benchmark credentials carry: the mock's payload, with a transaction hash. */
  static Map<String, Object> payload() {
    return Map.of("type", MockPaymentMethod.PAYLOAD_TYPE, "token", TX_HASH);
  }

  /** A gate with the benchmark {@code tempo} method. */
  static PaymentGate gate(Clock clock, ReplayStore store) {
    return PaymentGate.builder()
        .realm(REALM)
        .secret(ChallengeSecret.of(SECRET))
        .clock(clock)
        .replayStore(store)
        .method(method())
        .build();
  }
}
