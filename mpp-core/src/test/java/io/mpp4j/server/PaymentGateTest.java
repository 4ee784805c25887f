package io.mpp4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpp4j.core.Base64Url;
import io.mpp4j.core.Challenge;
import io.mpp4j.core.Credential;
import io.mpp4j.core.Intent;
import io.mpp4j.core.PaymentRequest;
import io.mpp4j.core.PaymentRequirement;
import io.mpp4j.core.RequestView;
import io.mpp4j.core.binding.ChallengeBinder;
import io.mpp4j.core.binding.ChallengeSecret;
import io.mpp4j.core.problem.ProblemType;
import io.mpp4j.core.problem.ReasonCode;
import io.mpp4j.store.InMemoryReplayStore;
import io.mpp4j.store.ReplayStore;
import io.mpp4j.store.StoreUnavailableException;
import io.mpp4j.testing.ManualClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PaymentGateTest {
  static final String SECRET = "gate-test-secret-0123456789abcdef0123";

  ManualClock clock;
  TestMethod tempo;
  TestMethod stripe;
  PaymentGate gate;
  PaymentRequirement premium;

  @BeforeEach
  void setUp() {
    clock = new ManualClock();
    clock.now = Instant.parse("2026-03-01T10:00:00Z");
    tempo = new TestMethod("tempo");
    stripe = new TestMethod("stripe");
    gate = gate(b -> {});
    premium = PaymentRequirement.builder().amount("0.01").description("Premium").build();
  }

  PaymentGate gate(java.util.function.Consumer<PaymentGate.Builder> customizer) {
    PaymentGate.Builder b =
        PaymentGate.builder()
            .realm("api.example.com")
            .secret(ChallengeSecret.of(SECRET))
            .clock(clock)
            .replayStore(InMemoryReplayStore.create(1000, clock))
            .method(tempo)
            .method(stripe);
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

  List<Challenge> challenges(PaymentRequirement requirement, RequestView view) {
    GateResult r = gate.evaluate(requirement, view);
    return assertInstanceOf(GateResult.PaymentRequired.class, r).challenges();
  }

  static String pay(Challenge challenge) {
    return Credential.of(challenge, Map.of("type", "hash", "hash", "0x01"), null).toHeaderValue();
  }

  Challenge first() {
    return challenges(premium, get()).get(0);
  }

  ReasonCode rejectedReason(GateResult result, ProblemType type) {
    GateResult.Rejected r = assertInstanceOf(GateResult.Rejected.class, result);
    assertEquals(type, r.problem().type());
    if (type.status() == 402) {
      assertTrue(!r.challenges().isEmpty(), "a 402 always carries a fresh challenge");
      assertEquals(r.challenges().get(0).id(), r.problem().challengeId());
    }
    return r.problem().reason();
  }

  @Test
  void noCredentialGivesOneChallengePerMethodWithExpiryAndProblem() {
    GateResult.PaymentRequired r =
        assertInstanceOf(GateResult.PaymentRequired.class, gate.evaluate(premium, get()));
    assertEquals(402, r.status());
    assertEquals(
        List.of("tempo", "stripe"), r.challenges().stream().map(Challenge::method).toList());
    Challenge c = r.challenges().get(0);
    assertEquals("api.example.com", c.realm());
    assertEquals("10000", c.request().amount());
    assertEquals("2026-03-01T10:05:00Z", c.expires());
    assertEquals("Premium", c.description());
    assertNull(c.digest());
    assertEquals(ChallengeBinder.of(ChallengeSecret.of(SECRET)).computeId(c), c.id());
    assertEquals(ProblemType.PAYMENT_REQUIRED, r.problem().type());
    assertEquals(c.id(), r.problem().challengeId());
    assertTrue(tempo.calls.isEmpty(), "no side effect before payment");
  }

  @Test
  void acceptPaymentOrdersTheOffers() {
    assertEquals(
        List.of("stripe", "tempo"),
        challenges(premium, get("Accept-Payment", "stripe/charge, tempo/charge;q=0.5")).stream()
            .map(Challenge::method)
            .toList());
    assertEquals(
        List.of("stripe"),
        challenges(premium, get("Accept-Payment", "tempo/*;q=0, */*")).stream()
            .map(Challenge::method)
            .toList());
  }

  @Test
  void validCredentialIsPaidOnceThenRefusedAsUsed() {
    Challenge c = first();
    GateResult.Paid paid =
        assertInstanceOf(
            GateResult.Paid.class, gate.evaluate(premium, get("Authorization", pay(c))));
    assertEquals("tempo", paid.receipt().method());
    assertEquals("ref-" + c.id(), paid.receipt().reference());
    assertEquals(1, tempo.calls.size());
    assertEquals("10000", tempo.calls.get(0).request().amount());
    assertEquals(
        ReasonCode.CHALLENGE_USED,
        rejectedReason(
            gate.evaluate(premium, get("Authorization", pay(c))), ProblemType.INVALID_CHALLENGE));
    assertEquals(1, tempo.calls.size(), "a replay never reaches the method");
  }

  @Test
  void credentialAcceptedFromPaymentAuthorizationToo() {
    PaymentGate g = gate(b -> b.paymentAuthorizationHeader(true));
    Challenge c = ((GateResult.PaymentRequired) g.evaluate(premium, get())).challenges().get(0);
    assertEquals("Payment-Authorization", c.header());
    assertInstanceOf(
        GateResult.Paid.class, g.evaluate(premium, get("Payment-Authorization", pay(c))));
  }

  @Test
  void severalCredentialsAreABadRequest() {
    Challenge c = first();
    GateResult r =
        gate.evaluate(premium, get("Authorization", pay(c), "Payment-Authorization", pay(c)));
    assertEquals(ReasonCode.MULTIPLE_CREDENTIALS, rejectedReason(r, ProblemType.BAD_REQUEST));
    assertEquals(400, r.status());
    assertTrue(tempo.calls.isEmpty());
  }

  @Test
  void malformedCredentialGetsAFreshChallenge() {
    for (String bad :
        new String[] {"Payment !!!", "Payment W10", "Payment " + Base64Url.encode("{}")}) {
      assertEquals(
          ReasonCode.CREDENTIAL_MALFORMED,
          rejectedReason(
              gate.evaluate(premium, get("Authorization", bad)), ProblemType.MALFORMED_CREDENTIAL));
    }
  }

  @Test
  void otherSchemesAloneAreTreatedAsNoCredential() {
    assertInstanceOf(
        GateResult.PaymentRequired.class,
        gate.evaluate(premium, get("Authorization", "Bearer abc")));
  }

  @Test
  void tamperedChallengeIsInvalid() {
    Challenge c = first();
    Challenge cheaper =
        new Challenge(
            c.id(),
            c.realm(),
            c.method(),
            c.intent(),
            c.request().toBuilder().amount("1").build(),
            c.expires(),
            null,
            null,
            null,
            null);
    assertEquals(
        ReasonCode.CHALLENGE_ID_MISMATCH,
        rejectedReason(
            gate.evaluate(premium, get("Authorization", pay(cheaper))),
            ProblemType.INVALID_CHALLENGE));
    Challenge later =
        new Challenge(
            c.id(),
            c.realm(),
            c.method(),
            c.intent(),
            c.request(),
            "2099-01-01T00:00:00Z",
            null,
            c.description(),
            null,
            null);
    assertEquals(
        ReasonCode.CHALLENGE_ID_MISMATCH,
        rejectedReason(
            gate.evaluate(premium, get("Authorization", pay(later))),
            ProblemType.INVALID_CHALLENGE));
    assertTrue(tempo.calls.isEmpty());
  }

  @Test
  void unknownMethodIsUnsupported() {
    Challenge forged =
        Challenge.builder()
            .id("forged")
            .realm("api.example.com")
            .method("lightning")
            .request(PaymentRequest.empty())
            .expires("2030-01-01T00:00:00Z")
            .build();
    GateResult r = gate.evaluate(premium, get("Authorization", pay(forged)));
    assertEquals(ReasonCode.METHOD_UNSUPPORTED, rejectedReason(r, ProblemType.METHOD_UNSUPPORTED));
    assertEquals(400, r.status());
  }

  @Test
  void challengeForAnotherRouteIsRefused() {
    PaymentRequirement cheap = PaymentRequirement.builder().amount("0.001").build();
    Challenge forCheap = challenges(cheap, get()).get(0);
    assertEquals(
        ReasonCode.REQUEST_MISMATCH,
        rejectedReason(
            gate.evaluate(premium, get("Authorization", pay(forCheap))),
            ProblemType.INVALID_CHALLENGE));

    PaymentRequirement scoped = premium.toBuilder().opaque("route", "/api/other").build();
    Challenge forScoped = challenges(scoped, get()).get(0);
    assertEquals(
        ReasonCode.OPAQUE_MISMATCH,
        rejectedReason(
            gate.evaluate(premium, get("Authorization", pay(forScoped))),
            ProblemType.INVALID_CHALLENGE));

    PaymentRequirement onlyStripe = premium.toBuilder().methods(List.of("stripe")).build();
    Challenge tempoChallenge = first();
    assertEquals(
        ReasonCode.OFFER_MISMATCH,
        rejectedReason(
            gate.evaluate(onlyStripe, get("Authorization", pay(tempoChallenge))),
            ProblemType.INVALID_CHALLENGE));
    assertTrue(tempo.calls.isEmpty() && stripe.calls.isEmpty());
  }

  @Test
  void hexFieldsCompareCaseInsensitively() {
    Challenge c = first();
    // The route now spells the currency in lower case; the echo (validly signed) in mixed case.
    PaymentRequirement lower =
        premium.toBuilder().currency("0xabc0000000000000000000000000000000000001").build();
    assertNotEquals(lower.currency(), c.request().currency());
    assertInstanceOf(GateResult.Paid.class, gate.evaluate(lower, get("Authorization", pay(c))));
  }

  @Test
  void otherRealmIsRefused() {
    PaymentGate other = gate(b -> b.realm("other.example.com"));
    Challenge c = ((GateResult.PaymentRequired) other.evaluate(premium, get())).challenges().get(0);
    assertEquals(
        ReasonCode.REALM_MISMATCH,
        rejectedReason(
            gate.evaluate(premium, get("Authorization", pay(c))), ProblemType.INVALID_CHALLENGE));
  }

  @Test
  void expiryIsRequiredParsedAndEnforced() {
    Challenge c = first();
    clock.now = clock.now.plus(Duration.ofMinutes(5));
    assertInstanceOf(
        GateResult.Paid.class,
        gate.evaluate(premium, get("Authorization", pay(c))),
        "valid up to and including the expiry instant");

    Challenge d = first();
    clock.now = clock.now.plus(Duration.ofMinutes(5)).plusSeconds(1);
    assertEquals(
        ReasonCode.CHALLENGE_EXPIRED,
        rejectedReason(
            gate.evaluate(premium, get("Authorization", pay(d))), ProblemType.PAYMENT_EXPIRED));

    ChallengeBinder binder = ChallengeBinder.of(ChallengeSecret.of(SECRET));
    Challenge noExpiry =
        new Challenge(
            "x", d.realm(), d.method(), d.intent(), d.request(), null, null, null, null, null);
    noExpiry = noExpiry.withId(binder.computeId(noExpiry));
    assertEquals(
        ReasonCode.EXPIRES_MISSING,
        rejectedReason(
            gate.evaluate(premium, get("Authorization", pay(noExpiry))),
            ProblemType.INVALID_CHALLENGE));
    Challenge badExpiry =
        new Challenge(
            "x",
            d.realm(),
            d.method(),
            d.intent(),
            d.request(),
            "tomorrow",
            null,
            null,
            null,
            null);
    badExpiry = badExpiry.withId(binder.computeId(badExpiry));
    assertEquals(
        ReasonCode.EXPIRES_INVALID,
        rejectedReason(
            gate.evaluate(premium, get("Authorization", pay(badExpiry))),
            ProblemType.INVALID_CHALLENGE));
    assertEquals(1, tempo.calls.size());
  }

  @Test
  void bodyIsBoundByDigest() {
    byte[] body = "{\"q\":\"hello\"}".getBytes(StandardCharsets.UTF_8);
    RequestView post = RequestView.builder().method("POST").path("/api/echo").body(body).build();
    Challenge c = challenges(premium, post).get(0);
    assertEquals(
        "sha-256=:"
            + java.util.Base64.getEncoder().encodeToString(io.mpp4j.core.BodyDigest.sha256(body))
            + ":",
        c.digest());

    RequestView tampered =
        RequestView.builder()
            .method("POST")
            .path("/api/echo")
            .body("{\"q\":\"HELLO\"}".getBytes(StandardCharsets.UTF_8))
            .header("Authorization", pay(c))
            .build();
    assertEquals(
        ReasonCode.DIGEST_MISMATCH,
        rejectedReason(gate.evaluate(premium, tampered), ProblemType.INVALID_CHALLENGE));

    // A GET challenge (no digest) cannot pay for a request with a body.
    Challenge unbound = first();
    RequestView withBody =
        RequestView.builder()
            .method("POST")
            .path("/api/echo")
            .body(body)
            .header("Authorization", pay(unbound))
            .build();
    assertEquals(
        ReasonCode.DIGEST_MISMATCH,
        rejectedReason(gate.evaluate(premium, withBody), ProblemType.INVALID_CHALLENGE));

    RequestView good =
        RequestView.builder()
            .method("POST")
            .path("/api/echo")
            .body(body)
            .header("Authorization", pay(c))
            .build();
    assertInstanceOf(GateResult.Paid.class, gate.evaluate(premium, good));
  }

  @Test
  void methodRejectionBurnsTheChallengeAndOffersAFreshOne() {
    tempo.mode = TestMethod.Mode.REJECT;
    Challenge c = first();
    assertEquals(
        ReasonCode.of("tempo.declined"),
        rejectedReason(
            gate.evaluate(premium, get("Authorization", pay(c))), ProblemType.VERIFICATION_FAILED));
    tempo.mode = TestMethod.Mode.ACCEPT;
    assertEquals(
        ReasonCode.CHALLENGE_USED,
        rejectedReason(
            gate.evaluate(premium, get("Authorization", pay(c))), ProblemType.INVALID_CHALLENGE));
  }

  @Test
  void outageReleasesTheChallengeSoTheSameCredentialCanRetry() {
    tempo.mode = TestMethod.Mode.OUTAGE;
    Challenge c = first();
    GateResult.Rejected r =
        assertInstanceOf(
            GateResult.Rejected.class, gate.evaluate(premium, get("Authorization", pay(c))));
    assertEquals(ProblemType.VERIFICATION_FAILED, r.problem().type());
    assertEquals(ReasonCode.of("tempo.timeout"), r.problem().reason());
    assertEquals(Duration.ofSeconds(2), r.retryAfter());
    assertTrue(
        !r.problem().detail().contains("node timed out"), "upstream text never reaches the client");
    tempo.mode = TestMethod.Mode.ACCEPT;
    assertInstanceOf(GateResult.Paid.class, gate.evaluate(premium, get("Authorization", pay(c))));
  }

  @Test
  void methodDefectFailsClosed() {
    tempo.mode = TestMethod.Mode.BUG;
    Challenge c = first();
    assertEquals(
        ReasonCode.INTERNAL_ERROR,
        rejectedReason(
            gate.evaluate(premium, get("Authorization", pay(c))), ProblemType.VERIFICATION_FAILED));
    tempo.mode = TestMethod.Mode.ACCEPT;
    assertEquals(
        ReasonCode.CHALLENGE_USED,
        rejectedReason(
            gate.evaluate(premium, get("Authorization", pay(c))), ProblemType.INVALID_CHALLENGE));
  }

  @Test
  void storeOutageFailsClosed() {
    ReplayStore broken =
        new ReplayStore() {
          @Override
          public boolean tryClaim(String key, Duration ttl) {
            throw new StoreUnavailableException("down");
          }

          @Override
          public void release(String key) {}
        };
    PaymentGate g = gate(b -> b.replayStore(broken));
    Challenge c = ((GateResult.PaymentRequired) g.evaluate(premium, get())).challenges().get(0);
    assertEquals(
        ReasonCode.STORE_UNAVAILABLE,
        rejectedReason(
            g.evaluate(premium, get("Authorization", pay(c))), ProblemType.VERIFICATION_FAILED));
    assertTrue(tempo.calls.isEmpty());
  }

  @Test
  void secretRotationKeepsOutstandingChallengesValid() {
    Challenge c = first();
    PaymentGate rotated =
        gate(
            b ->
                b.secret(ChallengeSecret.of("a-brand-new-secret-0123456789abcdef"))
                    .previousSecret(ChallengeSecret.of(SECRET)));
    assertInstanceOf(
        GateResult.Paid.class, rotated.evaluate(premium, get("Authorization", pay(c))));
    Challenge fresh =
        ((GateResult.PaymentRequired) rotated.evaluate(premium, get())).challenges().get(0);
    assertNotEquals(ChallengeBinder.of(ChallengeSecret.of(SECRET)).computeId(fresh), fresh.id());
  }

  @Test
  void fiftyConcurrentRequestsWithOneCredentialSettleExactlyOnce() throws Exception {
    Challenge c = first();
    String header = pay(c);
    int n = 50;
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<GateResult>> results = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  return gate.evaluate(premium, get("Authorization", header));
                }));
      }
      start.countDown();
      int paid = 0;
      for (Future<GateResult> f : results) {
        GateResult r = f.get(30, TimeUnit.SECONDS);
        if (r instanceof GateResult.Paid) {
          paid++;
        } else {
          assertEquals(ReasonCode.CHALLENGE_USED, rejectedReason(r, ProblemType.INVALID_CHALLENGE));
        }
      }
      assertEquals(1, paid);
      assertEquals(1, tempo.calls.size());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void builderRulesNameTheProblem() {
    assertEquals(
        "realm is required",
        assertThrows(
                IllegalStateException.class,
                () ->
                    PaymentGate.builder().secret(ChallengeSecret.of(SECRET)).method(tempo).build())
            .getMessage());
    assertThrows(
        IllegalStateException.class, () -> PaymentGate.builder().realm("r").method(tempo).build());
    assertThrows(
        IllegalStateException.class,
        () -> PaymentGate.builder().realm("r").secret(ChallengeSecret.of(SECRET)).build());
    assertThrows(IllegalArgumentException.class, () -> PaymentGate.builder().realm(""));
    assertThrows(IllegalArgumentException.class, () -> PaymentGate.builder().realm("bad\r\nrealm"));
    assertEquals(
        "challengeTtl must be between PT1S and PT24H, but was PT0S",
        assertThrows(
                IllegalArgumentException.class,
                () -> PaymentGate.builder().challengeTtl(Duration.ZERO))
            .getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> PaymentGate.builder().method(tempo).method(tempo));
    assertThrows(
        IllegalArgumentException.class,
        () -> PaymentGate.builder().method(new TestMethod("Bad-Name")));
  }

  @Test
  void requirementRulesNameTheProblem() {
    assertThrows(NullPointerException.class, () -> PaymentRequirement.builder().build());
    assertEquals(
        "amount must not be negative, but was -1",
        assertThrows(
                IllegalArgumentException.class, () -> PaymentRequirement.builder().amount("-1"))
            .getMessage());
    assertThrows(IllegalArgumentException.class, () -> PaymentRequirement.builder().amount("1e3"));
    assertThrows(IllegalArgumentException.class, () -> PaymentRequirement.builder().amount("abc"));
    assertThrows(
        IllegalArgumentException.class,
        () -> PaymentRequirement.builder().description("line\nbreak"));
    assertThrows(
        IllegalArgumentException.class, () -> PaymentRequirement.builder().description("☕"));
  }

  @Test
  void unknownMethodOnARouteFailsWithTheRegisteredList() {
    PaymentRequirement bad = premium.toBuilder().methods(List.of("lightning")).build();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> gate.validate(bad));
    assertEquals(
        "No payment method 'lightning' for intent 'charge'. Registered: tempo[charge], stripe[charge]",
        e.getMessage());
    assertThrows(
        IllegalStateException.class,
        () -> gate.validate(premium.toBuilder().intent(Intent.SESSION).build()));
  }

  @Test
  void payerPolicyRefusesWith403BeforeAnythingIsCharged() {
    java.util.concurrent.atomic.AtomicBoolean allow =
        new java.util.concurrent.atomic.AtomicBoolean(false);
    PaymentGate g = gate(b -> b.payerPolicy((credential, request) -> allow.get()));
    Challenge c = ((GateResult.PaymentRequired) g.evaluate(premium, get())).challenges().get(0);
    GateResult.Rejected r =
        assertInstanceOf(
            GateResult.Rejected.class, g.evaluate(premium, get("Authorization", pay(c))));
    assertEquals(403, r.status());
    assertEquals(ProblemType.FORBIDDEN, r.problem().type());
    assertEquals(ReasonCode.POLICY_DENIED, r.problem().reason());
    assertTrue(r.challenges().isEmpty(), "a 403 carries no challenge");
    assertTrue(tempo.calls.isEmpty(), "nothing is settled for a refused payer");
    allow.set(true);
    assertInstanceOf(GateResult.Paid.class, g.evaluate(premium, get("Authorization", pay(c))));
  }

  @Test
  void challengesIssuedInTheSameSecondAreDistinct() {
    Challenge a = first();
    Challenge b = first();
    assertEquals(a.expires(), b.expires());
    assertNotEquals(a.id(), b.id());
    assertNotEquals(a.opaque(), b.opaque());
    // After a decline burns the first challenge, the fresh one is still payable.
    tempo.mode = TestMethod.Mode.REJECT;
    GateResult.Rejected declined =
        assertInstanceOf(
            GateResult.Rejected.class, gate.evaluate(premium, get("Authorization", pay(a))));
    tempo.mode = TestMethod.Mode.ACCEPT;
    Challenge fresh = declined.challenges().get(0);
    assertInstanceOf(
        GateResult.Paid.class, gate.evaluate(premium, get("Authorization", pay(fresh))));
  }

  @Test
  void opaqueMustBeTheRoutesPlusOnlyTheNonce() {
    assertTrue(PaymentGate.opaqueMatches(Map.of(), null));
    assertTrue(PaymentGate.opaqueMatches(Map.of(), PaymentGate.encodeOpaque(Map.of(), "n1")));
    assertTrue(
        PaymentGate.opaqueMatches(
            Map.of("route", "/a"), PaymentGate.encodeOpaque(Map.of("route", "/a"), "n1")));
    assertTrue(
        PaymentGate.opaqueMatches(Map.of("route", "/a"), Base64Url.encode("{\"route\":\"/a\"}")));
    assertTrue(
        !PaymentGate.opaqueMatches(
            Map.of("route", "/a"), PaymentGate.encodeOpaque(Map.of(), "n1")));
    assertTrue(
        !PaymentGate.opaqueMatches(Map.of(), PaymentGate.encodeOpaque(Map.of("x", "1"), "n1")));
    assertTrue(!PaymentGate.opaqueMatches(Map.of(), "!!"));
    assertTrue(!PaymentGate.opaqueMatches(Map.of("route", "/a"), null));
    assertEquals(
        "{\"_mpp4j_n\":\"abc\",\"route\":\"/a\"}",
        new String(
            java.util.Base64.getUrlDecoder()
                .decode(PaymentGate.encodeOpaque(Map.of("route", "/a"), "abc")),
            StandardCharsets.UTF_8));
    assertThrows(
        IllegalArgumentException.class, () -> PaymentRequirement.builder().opaque("_mpp4j_n", "x"));
  }

  @Test
  void methodsThatCannotExpressThePriceAreLeftOutOfDefaultOffers() {
    TestMethod picky =
        new TestMethod("picky") {
          @Override
          public PaymentRequest createRequest(Intent intent, PaymentRequirement requirement) {
            if (requirement.amount().compareTo(new java.math.BigDecimal("0.50")) < 0) {
              throw new IllegalArgumentException("below the minimum");
            }
            return super.createRequest(intent, requirement);
          }
        };
    PaymentGate g = gate(b -> b.method(picky));
    assertEquals(
        List.of("tempo", "stripe"),
        ((GateResult.PaymentRequired) g.evaluate(premium, get()))
            .challenges().stream().map(Challenge::method).toList());
    PaymentRequirement dear = PaymentRequirement.builder().amount("1").build();
    assertEquals(
        List.of("tempo", "stripe", "picky"),
        ((GateResult.PaymentRequired) g.evaluate(dear, get()))
            .challenges().stream().map(Challenge::method).toList());
    // Named explicitly, an unpayable method is a configuration error.
    assertThrows(
        IllegalArgumentException.class,
        () -> g.validate(premium.toBuilder().methods(List.of("picky")).build()));
  }

  @Test
  void aRouteNoMethodCanChargeFailsNamingEachMethodAndItsReason() {
    java.util.function.Function<String, TestMethod> picky =
        name ->
            new TestMethod(name) {
              @Override
              public PaymentRequest createRequest(Intent intent, PaymentRequirement requirement) {
                throw new IllegalArgumentException(
                    "amount " + requirement.amount() + " is below " + name + "'s minimum (0.50)");
              }
            };
    PaymentGate only =
        PaymentGate.builder()
            .realm("api.example.com")
            .secret(ChallengeSecret.of(SECRET))
            .method(picky.apply("card"))
            .method(picky.apply("bank"))
            .build();
    IllegalArgumentException offered =
        assertThrows(IllegalArgumentException.class, () -> only.validate(premium));
    assertEquals(
        "no payment method can charge this route: method 'card': amount 0.01 is below card's"
            + " minimum (0.50); method 'bank': amount 0.01 is below bank's minimum (0.50)",
        offered.getMessage());
    IllegalArgumentException named =
        assertThrows(
            IllegalArgumentException.class,
            () -> only.validate(premium.toBuilder().methods(List.of("bank")).build()));
    assertEquals("method 'bank': amount 0.01 is below bank's minimum (0.50)", named.getMessage());
  }
}
