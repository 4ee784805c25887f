package io.mpp4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpp4j.core.Challenge;
import io.mpp4j.core.Credential;
import io.mpp4j.core.PaymentRequirement;
import io.mpp4j.core.binding.ChallengeSecret;
import io.mpp4j.core.problem.ReasonCode;
import io.mpp4j.spi.PaymentMethodException;
import io.mpp4j.spi.Verification;
import io.mpp4j.spi.VerificationContext;
import io.mpp4j.store.InMemoryReplayStore;
import io.mpp4j.store.InMemoryStateStore;
import io.mpp4j.store.StateStore;
import io.mpp4j.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The gate releases the challenge claim with the owner token its claim returned, and only then. */
class GateClaimOwnerTest {
  private static final String CLAIM_KEY_PREFIX = "mpp:challenge:";

  private final ManualClock clock = new ManualClock();
  private final PaymentRequirement premium = PaymentRequirement.builder().amount("0.01").build();

  /**
   * A verification so slow that its challenge claim expired and another party claimed the key; then
   * the network fails. Its release must not free the other party's claim.
   */
  private static final class SlowThenOutage extends TestMethod {
    private final ManualClock clock;
    private final StateStore store;

    SlowThenOutage(ManualClock clock, StateStore store) {
      super("tempo");
      this.clock = clock;
      this.store = store;
    }

    @Override
    public Verification verify(VerificationContext context) throws PaymentMethodException {
      clock.advance(Duration.ofDays(3)); // past any claim the gate makes (at most 2 days + grace)
      assertTrue(
          store.claimAs(
              CLAIM_KEY_PREFIX + context.challenge().id(), "someone-else", Duration.ofHours(1)),
          "the gate's claim expired, so another party could take the key");
      throw PaymentMethodException.of(
          "tempo", ReasonCode.of("tempo.timeout"), "timed out", null, null, null);
    }
  }

  private PaymentGate gate(TestMethod method, StateStore store, boolean legacy) {
    clock.now = Instant.parse("2026-03-01T10:00:00Z");
    PaymentGate.Builder b =
        PaymentGate.builder()
            .realm("api.example.com")
            .secret(ChallengeSecret.of(PaymentGateTest.SECRET))
            .clock(clock)
            .method(method);
    if (legacy) {
      b.replayStore((InMemoryReplayStore) store);
    } else {
      b.store(store);
    }
    return b.build();
  }

  private Challenge challenge(PaymentGate gate) {
    return ((GateResult.PaymentRequired) gate.evaluate(premium, PaymentGateTest.get()))
        .challenges()
        .get(0);
  }

  private GateResult pay(PaymentGate gate, Challenge c) {
    String header = Credential.of(c, Map.of("type", "hash"), null).toHeaderValue();
    return gate.evaluate(premium, PaymentGateTest.get("Authorization", header));
  }

  @Test
  void aLateReleaseDoesNotFreeAClaimAnotherPartyTookSince() {
    for (boolean legacy : new boolean[] {false, true}) {
      StateStore store =
          legacy ? InMemoryReplayStore.create(100, clock) : InMemoryStateStore.create(100, clock);
      PaymentGate gate = gate(new SlowThenOutage(clock, store), store, legacy);
      Challenge c = challenge(gate);
      assertInstanceOf(GateResult.Rejected.class, pay(gate, c));
      String key = CLAIM_KEY_PREFIX + c.id();
      assertFalse(
          store.claimAs(key, "third", Duration.ofHours(1)),
          "the other party's claim survived the gate's release (legacy=" + legacy + ")");
      assertTrue(store.release(key, "someone-else"));
    }
  }

  @Test
  void theGateReleasesItsOwnClaimWhenNothingWasPaid() {
    InMemoryStateStore store = InMemoryStateStore.create(100, clock);
    TestMethod method = new TestMethod("tempo");
    PaymentGate gate = gate(method, store, false);
    Challenge c = challenge(gate);
    method.mode = TestMethod.Mode.OUTAGE;
    assertInstanceOf(GateResult.Rejected.class, pay(gate, c));
    assertEquals(0, store.size(), "released with its token");
    method.mode = TestMethod.Mode.ACCEPT;
    assertInstanceOf(GateResult.Paid.class, pay(gate, c), "the payer retried the same challenge");
    assertEquals(1, store.size());
    GateResult.Rejected again = assertInstanceOf(GateResult.Rejected.class, pay(gate, c));
    assertEquals(ReasonCode.CHALLENGE_USED, again.problem().reason());
    assertSame(store, method.calls.get(0).store(), "methods get the gate's state store");
  }
}
