package io.mpp4j.benchmarks;

import io.mpp4j.core.Challenge;
import io.mpp4j.core.Intent;
import io.mpp4j.core.PaymentRequest;
import io.mpp4j.core.PaymentRequirement;
import io.mpp4j.core.RequestView;
import io.mpp4j.core.binding.ChallengeBinder;
import io.mpp4j.core.binding.ChallengeSecret;
import io.mpp4j.server.GateResult;
import io.mpp4j.server.PaymentGate;
import io.mpp4j.store.InMemoryReplayStore;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * Challenge issuance (the 402 path).
 *
 * <ul>
 *   <li>{@link #issueFromRequestObject}: the whole pipeline for one offer, from a request JSON
 *       object: {@link PaymentRequest#of} (RFC 8785 canonical JSON, base64url), {@link
 *       ChallengeBinder#computeId} (HMAC-SHA256), {@link Challenge} and {@link
 *       Challenge#toHeaderValue()}. The {@code expires} string is fixed in setup.
 *   <li>{@link #gateIssueChallenges}: {@link PaymentGate#issueChallenges}, which reuses the route's
 *       cached request object but formats {@code expires} from the clock each call.
 *   <li>{@link #gateEvaluateWithoutCredential}: {@link PaymentGate#evaluate} for a request without
 *       a credential, i.e. the complete {@link GateResult.PaymentRequired} answer.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(1)
@State(Scope.Thread)
public class ChallengeIssuanceBenchmark {
  private Map<String, Object> requestObject;
  private ChallengeBinder binder;
  private String expires;

  private PaymentGate gate;
  private PaymentRequirement requirement;
  private RequestView viewWithoutCredential;

  @Setup
  public void setUp() {
    Map<String, Object> methodDetails = new LinkedHashMap<>();
    methodDetails.put("chainId", Fixtures.CHAIN_ID);
    requestObject = new LinkedHashMap<>();
    requestObject.put("amount", "10000");
    requestObject.put("currency", Fixtures.CURRENCY);
    requestObject.put("recipient", Fixtures.RECIPIENT);
    requestObject.put("methodDetails", methodDetails);

    binder = ChallengeBinder.of(ChallengeSecret.of(Fixtures.SECRET));
    expires =
        DateTimeFormatter.ISO_INSTANT.format(
            Fixtures.NOW.plus(PaymentGate.DEFAULT_CHALLENGE_TTL).truncatedTo(ChronoUnit.SECONDS));

    // Issuance never touches the replay store; a small in-memory one keeps the gate realistic.
    gate = Fixtures.gate(Clock.systemUTC(), InMemoryReplayStore.ofDefaults());
    requirement = Fixtures.requirement();
    viewWithoutCredential =
        RequestView.builder()
            .method("GET")
            .path("/api/premium")
            .header("Accept", "application/json")
            .build();

    // Fail fast if the fixtures drift: the three paths must produce the same kind of answer.
    Challenge issued = gate.issueChallenges(requirement, viewWithoutCredential).get(0);
    if (!issued.request().equals(PaymentRequest.of(requestObject))) {
      throw new IllegalStateException("gate request differs from the benchmark request object");
    }
    if (!(gate.evaluate(requirement, viewWithoutCredential)
        instanceof GateResult.PaymentRequired)) {
      throw new IllegalStateException("evaluate without a credential did not return a 402");
    }
  }

  /** Request object to {@code WWW-Authenticate} value for one offer. */
  @Benchmark
  public String issueFromRequestObject() {
    PaymentRequest request = PaymentRequest.of(requestObject);
    String id =
        binder.computeId(
            Fixtures.REALM,
            Fixtures.METHOD,
            Intent.CHARGE.name(),
            request,
            expires,
            null,
            null,
            null);
    Challenge challenge =
        new Challenge(
            id,
            Fixtures.REALM,
            Fixtures.METHOD,
            Intent.CHARGE,
            request,
            expires,
            null,
            null,
            null,
            null);
    return challenge.toHeaderValue();
  }

  /** Fresh challenges through the gate (route request cached by the gate). */
  @Benchmark
  public List<Challenge> gateIssueChallenges() {
    return gate.issueChallenges(requirement, viewWithoutCredential);
  }

  /** The full 402 answer for a request without a credential. */
  @Benchmark
  public GateResult gateEvaluateWithoutCredential() {
    return gate.evaluate(requirement, viewWithoutCredential);
  }

  /**
   * Everything mpp4j does for a 402 answer: the evaluation, the {@code WWW-Authenticate} values and
   * the problem body, as the servlet adapter writes them.
   */
  @Benchmark
  public void unpaidAnswer(org.openjdk.jmh.infra.Blackhole bh) {
    GateResult.PaymentRequired result =
        (GateResult.PaymentRequired) gate.evaluate(requirement, viewWithoutCredential);
    for (Challenge challenge : result.challenges()) {
      bh.consume(challenge.toHeaderValue());
    }
    bh.consume(result.problem().toJson());
  }
}
