package io.mpp4j.benchmarks;

import io.mpp4j.core.Challenge;
import io.mpp4j.core.Credential;
import io.mpp4j.core.MalformedMessageException;
import io.mpp4j.core.MppHeaders;
import io.mpp4j.core.PaymentRequirement;
import io.mpp4j.core.RequestView;
import io.mpp4j.server.GateResult;
import io.mpp4j.server.PaymentGate;
import io.mpp4j.store.ReplayStore;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Credential verification (the paid path).
 *
 * <ul>
 *   <li>{@link #gateEvaluateWithCredential}: {@link PaymentGate#evaluate} for a request carrying a
 *       valid credential, up to and including the payment method call: header extraction, decoding,
 *       HMAC check, route binding, expiry, body digest, the replay claim and a trivial {@code
 *       verify} that returns a prebuilt receipt. Setup asserts that it returns {@link
 *       GateResult.Paid}, so a rejection path can never be measured by mistake.
 *   <li>{@link #parseCredential}: {@link Credential#parse} of the same header value alone.
 * </ul>
 *
 * <p>The gate claims every challenge id once, so replaying one credential would be rejected after
 * the first call. The gate therefore gets {@link AlwaysClaimReplayStore}, which accepts every
 * claim: this benchmark excludes the replay store's cost, which {@link ReplayStoreBenchmark}
 * measures separately.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(1)
@State(Scope.Thread)
public class CredentialVerificationBenchmark {
  private PaymentGate gate;
  private PaymentRequirement requirement;
  private RequestView viewWithCredential;
  private String authorization;

  @Setup
  public void setUp() throws MalformedMessageException {
    // A fixed clock: the challenge is issued and verified at the same instant, long before it
    // expires (default TTL 5 minutes), however long the benchmark runs.
    Clock clock = Clock.fixed(Fixtures.NOW, ZoneOffset.UTC);
    gate = Fixtures.gate(clock, new AlwaysClaimReplayStore());
    requirement = Fixtures.requirement();

    RequestView plain = RequestView.builder().method("GET").path("/api/premium").build();
    Challenge challenge = gate.issueChallenges(requirement, plain).get(0);
    authorization = Credential.of(challenge, Fixtures.payload(), null).toHeaderValue();
    viewWithCredential =
        RequestView.builder()
            .method("GET")
            .path("/api/premium")
            .header("Accept", "application/json")
            .header(MppHeaders.AUTHORIZATION, authorization)
            .build();

    GateResult result = gate.evaluate(requirement, viewWithCredential);
    if (!(result instanceof GateResult.Paid)) {
      throw new IllegalStateException("setup credential was not accepted: " + result);
    }
    if (!Credential.parse(authorization).challenge().id().equals(challenge.id())) {
      throw new IllegalStateException("parsed credential does not echo the issued challenge");
    }
  }

  /** A paid request through the gate (replay store cost excluded, see the class comment). */
  @Benchmark
  public GateResult gateEvaluateWithCredential() {
    return gate.evaluate(requirement, viewWithCredential);
  }

  /** A paid request through the gate and its {@code Payment-Receipt} value. */
  @Benchmark
  public String paidAnswer() {
    return ((GateResult.Paid) gate.evaluate(requirement, viewWithCredential))
        .receipt()
        .toHeaderValue();
  }

  /** Decoding the {@code Authorization} header value alone. */
  @Benchmark
  public Credential parseCredential() throws MalformedMessageException {
    return Credential.parse(authorization);
  }

  /**
   * Benchmark-only replay store that grants every claim, so one credential can be verified over and
   * over. It excludes the store's cost from {@link #gateEvaluateWithCredential}; {@link
   * ReplayStoreBenchmark} measures {@code InMemoryReplayStore.tryClaim} on its own. Never use a
   * store like this outside a benchmark: it disables single-use protection.
   */
  static final class AlwaysClaimReplayStore implements ReplayStore {
    @Override
    public boolean tryClaim(String key, Duration ttl) {
      return true;
    }

    @Override
    public void release(String key) {}
  }
}
