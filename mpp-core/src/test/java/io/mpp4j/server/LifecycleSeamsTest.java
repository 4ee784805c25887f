package io.mpp4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpp4j.core.Challenge;
import io.mpp4j.core.Credential;
import io.mpp4j.core.Intent;
import io.mpp4j.core.PaymentRequirement;
import io.mpp4j.core.Receipt;
import io.mpp4j.core.binding.ChallengeSecret;
import io.mpp4j.core.problem.ProblemType;
import io.mpp4j.core.problem.ReasonCode;
import io.mpp4j.spi.Verification;
import io.mpp4j.store.InMemoryStateStore;
import io.mpp4j.store.StoreUnavailableException;
import io.mpp4j.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The lifecycle's seams: pre-claim steps and intent handlers. */
class LifecycleSeamsTest {
  private static final ReasonCode OVER_LIMIT = ReasonCode.of("spend.over_limit");

  private final ManualClock clock = new ManualClock();
  private final InMemoryStateStore store = InMemoryStateStore.create(100, clock);
  private final TestMethod method = new TestMethod("tempo");
  private final PaymentRequirement premium = PaymentRequirement.builder().amount("0.01").build();
  private final List<PaymentEvent> events = new CopyOnWriteArrayList<>();

  private PaymentGate.Builder builder() {
    clock.now = Instant.parse("2026-03-01T10:00:00Z");
    return PaymentGate.builder()
        .realm("api.example.com")
        .secret(ChallengeSecret.of(PaymentGateTest.SECRET))
        .clock(clock)
        .store(store)
        .method(method)
        .listener(events::add);
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
  void aPreClaimStepThatRefusesEndsTheRequestBeforeTheClaim() {
    List<String> seen = new ArrayList<>();
    PaymentGate gate =
        builder()
            .preClaimStep(
                context -> {
                  seen.add(context.challenge().id());
                  return context.refuse(
                      ProblemType.VERIFICATION_FAILED, OVER_LIMIT, "Over the spend limit.");
                })
            .preClaimStep(
                context -> {
                  seen.add("second step ran");
                  return null;
                })
            .build();
    Challenge c = challenge(gate);
    events.clear();

    GateResult.Rejected refused = assertInstanceOf(GateResult.Rejected.class, pay(gate, c));

    assertEquals(OVER_LIMIT, refused.problem().reason());
    assertEquals(402, refused.status());
    assertEquals(1, refused.challenges().size(), "a 402 refusal carries a fresh challenge");
    assertEquals(refused.challenges().get(0).id(), refused.problem().challengeId());
    assertEquals(List.of(c.id()), seen, "steps run in order; the first refusal ends the request");
    assertEquals(0, store.size(), "the challenge was not claimed");
    assertTrue(method.calls.isEmpty(), "the method was not asked to settle");
    PaymentEvent refusedEvent = events.get(0);
    assertEquals(PaymentEvent.Type.REFUSED, refusedEvent.type());
    assertEquals(OVER_LIMIT, refusedEvent.reason());
    assertEquals(c.id(), refusedEvent.challengeId());
  }

  @Test
  void aPreClaimStepThatPassesLetsTheRequestGoOnToTheClaim() {
    List<Integer> claimsSeenByStep = new ArrayList<>();
    PaymentGate gate =
        builder()
            .preClaimStep(
                context -> {
                  assertSame(store, context.store());
                  assertEquals(premium, context.requirement());
                  claimsSeenByStep.add(store.size());
                  return null;
                })
            .build();
    Challenge c = challenge(gate);

    assertInstanceOf(GateResult.Paid.class, pay(gate, c));

    assertEquals(List.of(0), claimsSeenByStep, "the step ran once, before the claim");
    assertEquals(1, store.size(), "then the challenge was claimed");
    assertEquals(1, method.calls.size());
    GateResult.Rejected again = assertInstanceOf(GateResult.Rejected.class, pay(gate, c));
    assertEquals(ReasonCode.CHALLENGE_USED, again.problem().reason(), "single use as before");
  }

  @Test
  void aPreClaimStepThatFailsClaimsAndChargesNothing() {
    PaymentGate outage =
        builder()
            .preClaimStep(
                context -> {
                  throw new StoreUnavailableException("down");
                })
            .build();
    GateResult.Rejected unavailable =
        assertInstanceOf(GateResult.Rejected.class, pay(outage, challenge(outage)));
    assertEquals(ReasonCode.STORE_UNAVAILABLE, unavailable.problem().reason());
    assertEquals(Duration.ofSeconds(2), unavailable.retryAfter());

    PaymentGate defect =
        builder()
            .preClaimStep(
                context -> {
                  throw new IllegalStateException("bug");
                })
            .build();
    GateResult.Rejected failed =
        assertInstanceOf(GateResult.Rejected.class, pay(defect, challenge(defect)));
    assertEquals(ReasonCode.INTERNAL_ERROR, failed.problem().reason());

    assertEquals(0, store.size());
    assertTrue(method.calls.isEmpty());
  }

  @Test
  void preClaimStepsDoNotRunForCredentialsThatFailTheChecks() {
    List<String> seen = new ArrayList<>();
    PaymentGate gate =
        builder()
            .preClaimStep(
                context -> {
                  seen.add("ran");
                  return null;
                })
            .build();
    Challenge c = challenge(gate);
    clock.advance(Duration.ofHours(1));
    GateResult.Rejected expired = assertInstanceOf(GateResult.Rejected.class, pay(gate, c));
    assertEquals(ReasonCode.CHALLENGE_EXPIRED, expired.problem().reason());
    assertTrue(seen.isEmpty());
  }

  /** A handler that answers with a scripted outcome and records what it was given. */
  private static final class ScriptedHandler implements IntentHandler {
    final List<IntentContext> calls = new CopyOnWriteArrayList<>();
    @Nullable IntentOutcome outcome;

    @Override
    public IntentOutcome handle(IntentContext context) {
      calls.add(context);
      return outcome;
    }
  }

  private static final PaymentStream NO_STREAM =
      new PaymentStream() {
        @Override
        public PaymentStream.@Nullable PaymentPrompt nextUnit() {
          return new PaymentPrompt("payment-need-voucher", "{}");
        }

        @Override
        public boolean awaitPayment(Duration timeout) {
          return false;
        }
      };

  @Test
  void aRegisteredHandlerReplacesTheMethodsVerificationAndCanStream() {
    ScriptedHandler handler = new ScriptedHandler();
    PaymentGate gate = builder().intentHandler(Intent.CHARGE, handler).build();
    Challenge c = challenge(gate);
    Receipt receipt = Receipt.success("tempo", "ref", clock.instant());
    List<io.mpp4j.spi.Delivery> deliveries = new ArrayList<>();
    handler.outcome = new IntentOutcome.Stream(receipt, deliveries::add, NO_STREAM);

    GateResult.Paid paid = assertInstanceOf(GateResult.Paid.class, pay(gate, c));

    assertSame(receipt, paid.receipt());
    assertSame(NO_STREAM, paid.stream());
    assertNotNull(paid.settlement());
    assertTrue(method.calls.isEmpty(), "the handler, not the gate, calls the method");
    IntentContext context = handler.calls.get(0);
    assertSame(method, context.method());
    assertEquals(c.id(), context.credential().challenge().id());
    assertSame(store, context.verification().store());
    assertEquals(
        PaymentGate.DEFAULT_CHALLENGE_TTL, Duration.between(clock.instant(), c.expiresAt()));
    assertEquals(1, store.size(), "claimed before the handler ran");
    assertEquals(
        List.of(PaymentEvent.Type.CHALLENGE_ISSUED, PaymentEvent.Type.VERIFIED),
        events.stream().map(PaymentEvent::type).toList(),
        "a deferred settlement is reported when the adapter completes it");
  }

  @Test
  void aHandlersRefusalReleasesTheClaimOnlyWhenNothingWasPaid() {
    ScriptedHandler handler = new ScriptedHandler();
    PaymentGate gate = builder().intentHandler(Intent.CHARGE, handler).build();
    Verification.Rejected declined =
        Verification.rejected(
            ProblemType.VERIFICATION_FAILED, ReasonCode.of("tempo.declined"), "Declined.");

    handler.outcome = new IntentOutcome.Refuse(declined.nothingPaid());
    Challenge first = challenge(gate);
    GateResult.Rejected released = assertInstanceOf(GateResult.Rejected.class, pay(gate, first));
    assertEquals(ReasonCode.of("tempo.declined"), released.problem().reason());
    assertEquals(0, store.size(), "nothing paid: released");

    handler.outcome = new IntentOutcome.Refuse(declined);
    assertInstanceOf(GateResult.Rejected.class, pay(gate, first));
    assertEquals(1, store.size(), "something may have been paid: kept");
  }

  @Test
  void aHandlerWithoutAnOutcomeFailsClosedAndKeepsTheClaim() {
    ScriptedHandler handler = new ScriptedHandler();
    PaymentGate gate = builder().intentHandler(Intent.CHARGE, handler).build();
    handler.outcome = null;
    GateResult.Rejected r = assertInstanceOf(GateResult.Rejected.class, pay(gate, challenge(gate)));
    assertEquals(ReasonCode.INTERNAL_ERROR, r.problem().reason());
    assertEquals(1, store.size());
  }

  @Test
  void theChargeHandlerIsTheDefaultAndEachIntentHasOneHandler() {
    PaymentGate gate = builder().build();
    assertInstanceOf(GateResult.Paid.class, pay(gate, challenge(gate)));
    assertEquals(1, method.calls.size(), "without a handler the method verifies, as before");

    PaymentGate.Builder b = builder().intentHandler(Intent.CHARGE, IntentHandler.CHARGE);
    assertThrows(
        IllegalArgumentException.class,
        () -> b.intentHandler(Intent.CHARGE, new ScriptedHandler()));
    Receipt receipt = Receipt.success("tempo", "r", clock.instant());
    Credential credential = Credential.of(challenge(gate), Map.of("type", "hash"), null);
    assertThrows(
        IllegalArgumentException.class,
        () -> new GateResult.Paid(receipt, credential, null, NO_STREAM),
        "a stream is metered by its settlement");
    assertNull(new GateResult.Paid(receipt, credential, null).stream());
  }
}
