package io.mpp4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpp4j.core.Challenge;
import io.mpp4j.core.Credential;
import io.mpp4j.core.PaymentRequirement;
import io.mpp4j.core.binding.ChallengeSecret;
import io.mpp4j.core.problem.ProblemType;
import io.mpp4j.core.problem.ReasonCode;
import io.mpp4j.spi.PaymentMethod;
import io.mpp4j.store.InMemoryReplayStore;
import io.mpp4j.testing.ManualClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Refused attempts that never reached a payment network must not consume the replay store. */
class JunkCredentialTest {
  private final ManualClock clock = new ManualClock();
  private final PaymentRequirement premium = PaymentRequirement.builder().amount("0.01").build();

  private PaymentGate gate(PaymentMethod method, InMemoryReplayStore store) {
    clock.now = Instant.parse("2026-03-01T10:00:00Z");
    return PaymentGate.builder()
        .realm("api.example.com")
        .secret(ChallengeSecret.of(PaymentGateTest.SECRET))
        .clock(clock)
        .replayStore(store)
        .method(method)
        .build();
  }

  private static String credential(Challenge c, String type) {
    return Credential.of(c, Map.of("type", type), null).toHeaderValue();
  }

  @Test
  void aJunkFloodLargerThanTheStoreLeavesItEmptyAndARealPaymentStillSucceeds() {
    TestMethod method = junkOrPay();
    InMemoryReplayStore store = InMemoryReplayStore.create(100_000, clock);
    PaymentGate gate = gate(method, store);
    Challenge c = challenge(gate);
    for (int i = 0; i < 150_000; i++) {
      // Like the flooding client: echo the fresh challenge of each refusal with a junk payload.
      GateResult.Rejected r =
          assertInstanceOf(
              GateResult.Rejected.class,
              gate.evaluate(premium, PaymentGateTest.get("Authorization", credential(c, "junk"))));
      if (r.problem().type() != ProblemType.INVALID_PAYLOAD) {
        throw new AssertionError("junk request " + i + " answered " + r.problem());
      }
      c = r.challenges().get(0);
    }
    assertEquals(0, store.size(), "the store holds none of the junk");
    assertEquals(150_000, method.junk.get());

    GateResult paid =
        gate.evaluate(premium, PaymentGateTest.get("Authorization", credential(c, "pay")));
    assertInstanceOf(GateResult.Paid.class, paid);
    assertEquals(1, store.size(), "the settled challenge stays used");
  }

  @Test
  void aChallengeRefusedBeforeTheNetworkCanBeRetriedButASettledOneCannot() {
    TestMethod method = junkOrPay();
    PaymentGate gate = gate(method, InMemoryReplayStore.create(1000, clock));
    Challenge c = challenge(gate);
    assertInstanceOf(
        GateResult.Rejected.class,
        gate.evaluate(premium, PaymentGateTest.get("Authorization", credential(c, "junk"))));
    assertInstanceOf(
        GateResult.Paid.class,
        gate.evaluate(premium, PaymentGateTest.get("Authorization", credential(c, "pay"))));
    GateResult.Rejected again =
        assertInstanceOf(
            GateResult.Rejected.class,
            gate.evaluate(premium, PaymentGateTest.get("Authorization", credential(c, "pay"))));
    assertEquals(ReasonCode.CHALLENGE_USED, again.problem().reason());
    assertEquals(1, method.settled.get());
  }

  @Test
  void aRefusalThatMayHaveReachedTheNetworkKeepsTheChallengeUsed() {
    TestMethod method = new TestMethod("tempo");
    InMemoryReplayStore store = InMemoryReplayStore.create(1000, clock);
    PaymentGate gate = gate(method, store);
    Challenge c = challenge(gate);
    method.mode = TestMethod.Mode.REJECT; // the fail-closed default: mayHavePaid = true
    gate.evaluate(premium, PaymentGateTest.get("Authorization", credential(c, "x")));
    assertEquals(1, store.size());
    method.mode = TestMethod.Mode.ACCEPT;
    GateResult.Rejected r =
        assertInstanceOf(
            GateResult.Rejected.class,
            gate.evaluate(premium, PaymentGateTest.get("Authorization", credential(c, "x"))));
    assertEquals(ReasonCode.CHALLENGE_USED, r.problem().reason());

    method.mode = TestMethod.Mode.REJECT_LOCALLY;
    Challenge d = challenge(gate);
    gate.evaluate(premium, PaymentGateTest.get("Authorization", credential(d, "x")));
    assertEquals(1, store.size(), "only the challenge refused after the network stays claimed");
  }

  @Test
  void concurrentJunkAndRealCredentialsForOneChallengeSettleAtMostOnceOneAtATime()
      throws Exception {
    TestMethod method = junkOrPay();
    PaymentGate gate = gate(method, InMemoryReplayStore.create(10_000, clock));
    int threads = 16;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int round = 0; round < 100; round++) {
        Challenge c = challenge(gate);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<GateResult>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          String header = credential(c, t % 2 == 0 ? "junk" : "pay");
          results.add(
              pool.submit(
                  () -> {
                    start.await();
                    return gate.evaluate(premium, PaymentGateTest.get("Authorization", header));
                  }));
        }
        int settledBefore = method.settled.get();
        start.countDown();
        int paid = 0;
        for (Future<GateResult> f : results) {
          if (f.get(30, TimeUnit.SECONDS) instanceof GateResult.Paid) {
            paid++;
          }
        }
        // A real credential may find the claim held by a junk one and be refused as used.
        assertTrue(paid <= 1, "round " + round + ": settled " + paid + " times");
        assertEquals(settledBefore + paid, method.settled.get(), "round " + round);
      }
      assertFalse(method.overlapped, "two verifications of one challenge ran at once");
    } finally {
      pool.shutdownNow();
    }
  }

  /** Refuses {@code {"type":"junk"}} before any network and settles {@code {"type":"pay"}}. */
  private static TestMethod junkOrPay() {
    TestMethod method = new TestMethod("tempo");
    method.mode = TestMethod.Mode.JUNK_OR_PAY;
    return method;
  }

  private Challenge challenge(PaymentGate gate) {
    GateResult r = gate.evaluate(premium, PaymentGateTest.get());
    return assertInstanceOf(GateResult.PaymentRequired.class, r).challenges().get(0);
  }
}
