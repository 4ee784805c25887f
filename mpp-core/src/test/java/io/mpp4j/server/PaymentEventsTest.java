package io.mpp4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.mpp4j.core.Challenge;
import io.mpp4j.core.Credential;
import io.mpp4j.core.PaymentRequirement;
import io.mpp4j.core.RequestView;
import io.mpp4j.core.binding.ChallengeSecret;
import io.mpp4j.core.problem.ProblemType;
import io.mpp4j.core.problem.ReasonCode;
import io.mpp4j.spi.PaymentMethodException;
import io.mpp4j.store.InMemoryReplayStore;
import io.mpp4j.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Issue 12 point 4: the gate reports one event per outcome to its listeners, in order. */
class PaymentEventsTest {
  static final String SECRET = "events-test-secret-0123456789abcdef0123";
  static final String SIGNATURE = "0x5167e5167e5167e5167e5167e5167e5167e5167e";
  static final String PAYER = "did:pkh:eip155:42431:0x1111111111111111111111111111111111111111";

  ManualClock clock;
  TestMethod tempo;
  List<PaymentEvent> events;
  PaymentGate gate;
  PaymentRequirement premium;

  @BeforeEach
  void setUp() {
    clock = new ManualClock();
    clock.now = Instant.parse("2026-03-01T10:00:00Z");
    tempo = new TestMethod("tempo");
    events = new CopyOnWriteArrayList<>();
    gate = gate(b -> b.listener(events::add));
    premium = PaymentRequirement.builder().amount("0.01").build();
  }

  PaymentGate gate(Consumer<PaymentGate.Builder> customizer) {
    PaymentGate.Builder b =
        PaymentGate.builder()
            .realm("api.example.com")
            .secret(ChallengeSecret.of(SECRET))
            .clock(clock)
            .replayStore(InMemoryReplayStore.create(1000, clock))
            .method(tempo);
    customizer.accept(b);
    return b.build();
  }

  static RequestView get(String... headers) {
    RequestView.Builder b = RequestView.builder().method("GET").path("/api/premium");
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return b.build();
  }

  Challenge challenge() {
    GateResult r = gate.evaluate("premium", premium, get());
    Challenge c = assertInstanceOf(GateResult.PaymentRequired.class, r).challenges().get(0);
    events.clear();
    return c;
  }

  static String pay(Challenge challenge) {
    return Credential.of(challenge, Map.of("type", "hash", "hash", SIGNATURE), PAYER)
        .toHeaderValue();
  }

  List<PaymentEvent.Type> types() {
    return events.stream().map(PaymentEvent::type).toList();
  }

  PaymentEvent refusal(GateResult result, ProblemType type, ReasonCode reason) {
    GateResult.Rejected rejected = assertInstanceOf(GateResult.Rejected.class, result);
    assertEquals(List.of(PaymentEvent.Type.REFUSED), types());
    PaymentEvent e = events.get(0);
    assertEquals("premium", e.route());
    assertEquals("charge", e.intent());
    assertEquals(type, e.problemType());
    assertEquals(reason, e.reason());
    assertEquals(rejected.status(), e.status());
    assertEquals(rejected.problem().challengeId(), e.freshChallengeId());
    return e;
  }

  @Test
  void paymentRequiredReportsTheIssuedChallenge() {
    GateResult.PaymentRequired r =
        assertInstanceOf(
            GateResult.PaymentRequired.class, gate.evaluate("premium", premium, get()));
    assertEquals(List.of(PaymentEvent.Type.CHALLENGE_ISSUED), types());
    PaymentEvent e = events.get(0);
    Challenge c = r.challenges().get(0);
    assertEquals("premium", e.route());
    assertEquals("tempo", e.method());
    assertEquals("charge", e.intent());
    assertEquals("10000", e.amount());
    assertEquals(c.request().currency(), e.currency());
    assertEquals(c.id(), e.challengeId());
    assertEquals(402, e.status());
    assertEquals(ProblemType.PAYMENT_REQUIRED, e.problemType());
    assertNull(e.payer());
  }

  @Test
  void withoutARouteNameTheRouteIsThePath() {
    gate.evaluate(premium, get());
    assertEquals("/api/premium", events.get(0).route());
  }

  @Test
  void aPaymentSettledAtVerificationIsVerifiedThenSettled() {
    Challenge c = challenge();
    GateResult r = gate.evaluate("premium", premium, get("Authorization", pay(c)));
    assertInstanceOf(GateResult.Paid.class, r);
    assertEquals(List.of(PaymentEvent.Type.VERIFIED, PaymentEvent.Type.SETTLED), types());
    for (PaymentEvent e : events) {
      assertEquals("premium", e.route());
      assertEquals("tempo", e.method());
      assertEquals("10000", e.amount());
      assertEquals(PAYER, e.payer());
      assertEquals(c.id(), e.challengeId());
      assertNull(e.problemType());
    }
  }

  @Test
  void aDeferredSettlementIsReportedWhenTheAdapterCompletesIt() throws Exception {
    Challenge c = challenge();
    GateResult.Paid paid =
        new GateResult.Paid(
            io.mpp4j.core.Receipt.success("tempo", "ref", clock.instant()),
            Credential.parse(pay(c)),
            delivered -> {});
    gate.settlementCompleted("premium", paid, true, null);
    gate.settlementCompleted("premium", paid, false, null);
    gate.settlementCompleted(
        "premium",
        paid,
        true,
        PaymentMethodException.of(
            "tempo", ReasonCode.of("tempo.timeout"), "capture timed out", c.id(), null, null));
    gate.settlementCompleted(
        "premium", paid, false, new IllegalStateException("upstream said " + SIGNATURE));
    assertEquals(
        List.of(
            PaymentEvent.Type.SETTLED,
            PaymentEvent.Type.CANCELLED,
            PaymentEvent.Type.SETTLEMENT_FAILED,
            PaymentEvent.Type.CANCELLATION_FAILED),
        types());
    assertEquals(c.id(), events.get(0).challengeId());
    assertEquals(PAYER, events.get(1).payer());
    assertEquals(ReasonCode.of("tempo.timeout"), events.get(2).reason());
    assertEquals("java.lang.IllegalStateException", events.get(3).detail());
    assertNoSecrets(pay(c));
  }

  @Test
  void aPaidRequestWithADeferredSettlementIsOnlyVerifiedByTheGate() {
    TestMethod deferred =
        new TestMethod("tempo") {
          @Override
          public io.mpp4j.spi.Verification verify(io.mpp4j.spi.VerificationContext context)
              throws PaymentMethodException {
            io.mpp4j.spi.Verification.Verified v =
                (io.mpp4j.spi.Verification.Verified) super.verify(context);
            return new io.mpp4j.spi.Verification.Verified(v.receipt(), delivered -> {});
          }
        };
    tempo = deferred;
    gate = gate(b -> b.listener(events::add));
    Challenge c = challenge();
    gate.evaluate("premium", premium, get("Authorization", pay(c)));
    assertEquals(List.of(PaymentEvent.Type.VERIFIED), types());
  }

  @Test
  void malformedCredentialIsRefusedWithoutUntrustedFields() {
    PaymentEvent e =
        refusal(
            gate.evaluate("premium", premium, get("Authorization", "Payment !!!")),
            ProblemType.MALFORMED_CREDENTIAL,
            ReasonCode.CREDENTIAL_MALFORMED);
    assertNull(e.method());
    assertNull(e.challengeId());
    assertNull(e.payer());
  }

  @Test
  void twoCredentialsAreRefusedAsABadRequest() {
    String credential = pay(challenge());
    refusal(
        gate.evaluate(
            "premium",
            premium,
            get("Authorization", credential, "Payment-Authorization", credential)),
        ProblemType.BAD_REQUEST,
        ReasonCode.MULTIPLE_CREDENTIALS);
  }

  @Test
  void aForgedChallengeIsRefusedWithoutItsClaims() {
    Challenge c = challenge();
    Challenge forged =
        new Challenge(
            c.id(),
            c.realm(),
            c.method(),
            c.intent(),
            c.request().toBuilder().amount("1").build(),
            c.expires(),
            c.digest(),
            c.description(),
            c.opaque(),
            c.header());
    PaymentEvent e =
        refusal(
            gate.evaluate("premium", premium, get("Authorization", pay(forged))),
            ProblemType.INVALID_CHALLENGE,
            ReasonCode.CHALLENGE_ID_MISMATCH);
    assertNull(e.amount(), "a forged amount is not reported");
    assertNull(e.payer());
    assertNull(e.challengeId());
  }

  @Test
  void anExpiredChallengeIsRefusedWithItsId() {
    Challenge c = challenge();
    clock.now = clock.now.plus(Duration.ofMinutes(6));
    PaymentEvent e =
        refusal(
            gate.evaluate("premium", premium, get("Authorization", pay(c))),
            ProblemType.PAYMENT_EXPIRED,
            ReasonCode.CHALLENGE_EXPIRED);
    assertEquals(c.id(), e.challengeId());
    assertEquals("tempo", e.method());
    assertEquals(PAYER, e.payer());
  }

  @Test
  void aReplayIsRefused() {
    Challenge c = challenge();
    String credential = pay(c);
    gate.evaluate("premium", premium, get("Authorization", credential));
    events.clear();
    PaymentEvent e =
        refusal(
            gate.evaluate("premium", premium, get("Authorization", credential)),
            ProblemType.INVALID_CHALLENGE,
            ReasonCode.CHALLENGE_USED);
    assertEquals(c.id(), e.challengeId());
  }

  @Test
  void aPolicyRefusalIsReported() {
    gate = gate(b -> b.listener(events::add).payerPolicy((credential, request) -> false));
    refusal(
        gate.evaluate("premium", premium, get("Authorization", pay(challenge()))),
        ProblemType.FORBIDDEN,
        ReasonCode.POLICY_DENIED);
    assertNull(events.get(0).freshChallengeId());
  }

  @Test
  void theMethodsRefusalAndOutageAreReported() {
    tempo.mode = TestMethod.Mode.REJECT;
    refusal(
        gate.evaluate("premium", premium, get("Authorization", pay(challenge()))),
        ProblemType.VERIFICATION_FAILED,
        ReasonCode.of("tempo.declined"));
    tempo.mode = TestMethod.Mode.OUTAGE;
    refusal(
        gate.evaluate("premium", premium, get("Authorization", pay(challenge()))),
        ProblemType.VERIFICATION_FAILED,
        ReasonCode.of("tempo.timeout"));
  }

  @Test
  void aThrowingListenerChangesNothingAndTheNextStillHearsInOrder() {
    List<String> calls = new CopyOnWriteArrayList<>();
    gate =
        gate(
            b ->
                b.listener(e -> calls.add("first " + e.type()))
                    .listener(
                        e -> {
                          throw new IllegalStateException("listener bug");
                        })
                    .listener(e -> calls.add("third " + e.type())));
    Challenge c =
        assertInstanceOf(GateResult.PaymentRequired.class, gate.evaluate("premium", premium, get()))
            .challenges()
            .get(0);
    GateResult r = gate.evaluate("premium", premium, get("Authorization", pay(c)));
    assertInstanceOf(GateResult.Paid.class, r, "a throwing listener never changes the outcome");
    assertEquals(
        List.of(
            "first CHALLENGE_ISSUED",
            "third CHALLENGE_ISSUED",
            "first VERIFIED",
            "third VERIFIED",
            "first SETTLED",
            "third SETTLED"),
        calls);
  }

  @Test
  void noEventCarriesACredentialTokenSignatureOrSecret() {
    Challenge c = challenge();
    String credential = pay(c);
    gate.evaluate("premium", premium, get());
    gate.evaluate("premium", premium, get("Authorization", credential));
    gate.evaluate("premium", premium, get("Authorization", credential)); // replay
    gate.evaluate("premium", premium, get("Authorization", "Payment " + credential.substring(9)));
    assertFalse(events.isEmpty());
    assertNoSecrets(credential);
  }

  void assertNoSecrets(String credential) {
    String token = credential.substring("Payment ".length());
    for (PaymentEvent e : events) {
      String all = e.toString();
      for (String secret : List.of(token, SIGNATURE, SECRET, token.substring(0, 24))) {
        assertFalse(all.contains(secret), () -> e.type() + " carries " + secret + ": " + all);
      }
    }
  }
}
