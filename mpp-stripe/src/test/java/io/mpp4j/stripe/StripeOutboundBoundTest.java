package io.mpp4j.stripe;

import static io.mpp4j.stripe.StripeFixture.API_KEY;
import static io.mpp4j.stripe.StripeFixture.assertNoSecrets;
import static io.mpp4j.stripe.StripeFixture.challenge;
import static io.mpp4j.stripe.StripeFixture.credential;
import static io.mpp4j.stripe.StripeFixture.error;
import static io.mpp4j.stripe.StripeFixture.ok;
import static io.mpp4j.stripe.StripeFixture.paid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpp4j.core.Challenge;
import io.mpp4j.core.Credential;
import io.mpp4j.core.PaymentRequirement;
import io.mpp4j.core.binding.ChallengeSecret;
import io.mpp4j.core.problem.ProblemType;
import io.mpp4j.server.GateResult;
import io.mpp4j.server.PaymentGate;
import io.mpp4j.spi.MethodSettings;
import io.mpp4j.store.InMemoryReplayStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bound on outbound PaymentIntent creates, and the neutral answer to a refused API key, over
 * the module's own transport against the strict {@link StripeStandIn} (it refuses what Stripe
 * refuses).
 */
class StripeOutboundBoundTest {
  private static final PaymentRequirement ONE_DOLLAR =
      PaymentRequirement.builder().amount("1.00").build();

  private StripeFixture stripe;
  private final AtomicLong nanos = new AtomicLong(1_000_000_000_000L);
  private InMemoryReplayStore store;

  @BeforeEach
  void start() {
    stripe = new StripeFixture();
    store = InMemoryReplayStore.create(10_000, Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    try {
      stripe.assertNothingRefused();
    } finally {
      stripe.close();
    }
  }

  /** The method under test, on the stand-in, with a controllable clock for the bound. */
  private PaymentGate gate(int chargesPerSecond) {
    StripeConfig config =
        stripe
            .config()
            .chargesPerSecond(chargesPerSecond)
            .ticker(nanos::get)
            .maxAttempts(1)
            .build();
    StripeMethod method = StripeMethod.create(config);
    return PaymentGate.builder()
        .realm("api.example.com")
        .secret(ChallengeSecret.of(StripeFixture.SECRET))
        .replayStore(store)
        .method(method)
        .build();
  }

  @Test
  void beyondTheBoundAttemptsAreRetriableWithoutCallingStripeOrSpendingTheToken() {
    stripe.answerCreates(error(402, "card_error", "card_declined", "spt_junk"));
    PaymentGate gate = gate(2);

    int busy = 0;
    Credential turnedAway = null;
    for (int i = 0; i < 6; i++) {
      Challenge c = challenge(gate, ONE_DOLLAR);
      Credential junk = credential(c, "spt_junk" + i);
      GateResult.Rejected r =
          assertInstanceOf(GateResult.Rejected.class, gate.evaluate(ONE_DOLLAR, paid(junk)));
      assertEquals(ProblemType.VERIFICATION_FAILED, r.problem().type());
      if (r.problem().reason().code().equals("stripe.busy")) {
        busy++;
        assertTrue(r.retryAfter() != null, "a busy answer says when to retry");
        assertFalse(r.challenges().isEmpty(), "a 402 carries a fresh challenge");
        turnedAway = junk;
      } else {
        assertEquals("stripe.card_declined", r.problem().reason().code());
      }
    }
    assertEquals(2, stripe.creates().size(), "only the bound's two permits reached Stripe");
    assertEquals(4, busy);
    // Stripe charged nothing for a declined attempt, and a turned-away one never reached it.
    assertEquals(0, store.size(), "declined and turned-away attempts hold nothing");

    // The token of a turned-away attempt was not used up: once a permit is free, the same
    // credential pays.
    stripe.answerCreates(ok("pi_later", 100, "usd", "succeeded"));
    nanos.addAndGet(Duration.ofSeconds(1).toNanos());
    GateResult later = gate.evaluate(ONE_DOLLAR, paid(turnedAway));
    assertEquals("pi_later", assertInstanceOf(GateResult.Paid.class, later).receipt().reference());
    assertEquals(3, stripe.creates().size(), "the two declined, then the one that paid");
  }

  @Test
  void junkPayloadsAndSpentTokensHoldNoReplayStoreCapacity() {
    stripe.answerCreates(ok("pi_once", 100, "usd", "succeeded"));
    PaymentGate gate = gate(10);
    for (int i = 0; i < 1_000; i++) {
      Challenge c = challenge(gate, ONE_DOLLAR);
      Credential junk = Credential.of(c, Map.of("type", "junk"), null);
      GateResult.Rejected r =
          assertInstanceOf(GateResult.Rejected.class, gate.evaluate(ONE_DOLLAR, paid(junk)));
      assertEquals(ProblemType.INVALID_PAYLOAD, r.problem().type());
    }
    assertEquals(0, store.size(), "refused before Stripe: every challenge released");
    assertEquals(0, stripe.creates().size());

    Challenge first = challenge(gate, ONE_DOLLAR);
    assertInstanceOf(
        GateResult.Paid.class, gate.evaluate(ONE_DOLLAR, paid(credential(first, "spt_once"))));
    int held = store.size(); // the paid challenge and the spent token
    for (int i = 0; i < 100; i++) {
      Challenge c = challenge(gate, ONE_DOLLAR);
      GateResult.Rejected r =
          assertInstanceOf(
              GateResult.Rejected.class,
              gate.evaluate(ONE_DOLLAR, paid(credential(c, "spt_once"))));
      assertEquals("stripe.spt_used", r.problem().reason().code());
    }
    assertEquals(held, store.size(), "replaying a spent token holds nothing more");
    assertEquals(1, stripe.creates().size());
  }

  @Test
  void aDeclinedTokenHoldsNoClaimAndCanStillPayOnceOnAnotherChallenge() {
    stripe.answerCreates(error(402, "card_error", "card_declined", "spt_retry"));
    PaymentGate gate = gate(10);
    GateResult.Rejected declined =
        assertInstanceOf(
            GateResult.Rejected.class,
            gate.evaluate(ONE_DOLLAR, paid(credential(challenge(gate, ONE_DOLLAR), "spt_retry"))));
    assertEquals("stripe.card_declined", declined.problem().reason().code());
    assertEquals(0, store.size(), "neither the declined challenge nor the token is held");

    stripe.answerCreates(ok("pi_second", 100, "usd", "succeeded"));
    assertInstanceOf(
        GateResult.Paid.class,
        gate.evaluate(ONE_DOLLAR, paid(credential(challenge(gate, ONE_DOLLAR), "spt_retry"))));
    GateResult.Rejected again =
        assertInstanceOf(
            GateResult.Rejected.class,
            gate.evaluate(ONE_DOLLAR, paid(credential(challenge(gate, ONE_DOLLAR), "spt_retry"))));
    assertEquals("stripe.spt_used", again.problem().reason().code(), "a token pays once");
    assertEquals(2, stripe.creates().size(), "the declined attempt and the payment, nothing more");
  }

  @Test
  void aDeclinedChallengeIsFreedAndPaysOnceWithAnotherToken() {
    stripe.answerCreates(
        error(402, "card_error", "card_declined", "spt_first"),
        ok("pi_paid", 100, "usd", "succeeded"));
    PaymentGate gate = gate(10);
    Challenge c = challenge(gate, ONE_DOLLAR);
    GateResult.Rejected declined =
        assertInstanceOf(
            GateResult.Rejected.class, gate.evaluate(ONE_DOLLAR, paid(credential(c, "spt_first"))));
    assertEquals("stripe.card_declined", declined.problem().reason().code());
    assertEquals(
        "pi_paid",
        assertInstanceOf(
                GateResult.Paid.class, gate.evaluate(ONE_DOLLAR, paid(credential(c, "spt_second"))))
            .receipt()
            .reference());
    GateResult.Rejected used =
        assertInstanceOf(
            GateResult.Rejected.class, gate.evaluate(ONE_DOLLAR, paid(credential(c, "spt_third"))));
    assertEquals("challenge_used", used.problem().reason().code(), "a paid challenge pays once");
    assertEquals(2, stripe.creates().size());
  }

  @Test
  void theBoundRefillsAtItsRate() {
    stripe.answerCreates(error(402, "card_error", "card_declined", "spt_junk"));
    PaymentGate gate = gate(4);
    for (int second = 0; second < 3; second++) {
      for (int i = 0; i < 10; i++) {
        Challenge c = challenge(gate, ONE_DOLLAR);
        gate.evaluate(ONE_DOLLAR, paid(credential(c, "spt_s" + second + "n" + i)));
      }
      nanos.addAndGet(Duration.ofSeconds(1).toNanos());
    }
    assertEquals(12, stripe.creates().size(), "4 a second over 3 seconds, out of 30 attempts");
  }

  @Test
  void aRefusedApiKeyIsANeutralOutageForThePayerAndAnErrorInTheLog() {
    for (int status : new int[] {401, 403}) {
      int before = stripe.creates().size();
      stripe.answerCreates(
          error(
              status,
              "invalid_request_error",
              status == 401 ? "api_key_invalid" : "secret_key_required",
              API_KEY));
      PaymentGate gate = gate(10);
      Challenge c = challenge(gate, ONE_DOLLAR);
      String spt = "spt_key" + status;

      PrintStream original = System.err;
      ByteArrayOutputStream logs = new ByteArrayOutputStream();
      GateResult result;
      try {
        System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
        result = gate.evaluate(ONE_DOLLAR, paid(credential(c, spt)));
      } finally {
        System.setErr(original);
      }

      GateResult.Rejected r = assertInstanceOf(GateResult.Rejected.class, result);
      assertEquals("stripe.unavailable", r.problem().reason().code(), "status " + status);
      assertTrue(r.retryAfter() != null);
      String body = new String(r.problem().toJson(), StandardCharsets.UTF_8);
      assertFalse(body.contains("not_authorized"), body);
      assertFalse(body.contains("api_key"), body);
      assertNoSecrets(result, spt);

      String log = logs.toString(StandardCharsets.UTF_8);
      long errors = log.lines().filter(l -> l.contains("ERROR")).count();
      assertEquals(1, errors, "one ERROR line per occurrence:\n" + log);
      String line = log.lines().filter(l -> l.contains("ERROR")).findFirst().orElseThrow();
      assertTrue(line.contains("stripe.not_authorized"), line);
      assertTrue(line.contains("req_fixture123"), line);
      assertTrue(line.contains(c.id()), line);
      assertNoSecrets(log, spt);
      assertEquals(before + 1, stripe.creates().size(), "a refused key is not retried");
    }
  }

  @Test
  void theBoundIsASettingWithAValidatedRange() {
    assertEquals(
        StripeConfig.DEFAULT_CHARGES_PER_SECOND, stripe.config().build().chargesPerSecond());
    assertEquals(7, stripe.config().chargesPerSecond(7).build().chargesPerSecond());
    IllegalArgumentException zero =
        assertThrows(IllegalArgumentException.class, () -> stripe.config().chargesPerSecond(0));
    assertEquals("chargesPerSecond must be between 1 and 10000, but was 0", zero.getMessage());
    assertThrows(IllegalArgumentException.class, () -> stripe.config().chargesPerSecond(10_001));
    assertTrue(stripe.config().build().toString().contains("chargesPerSecond=25"));

    Map<String, String> env = Map.of("STRIPE_SECRET_KEY", API_KEY);
    StripeMethod fromWebXml =
        (StripeMethod)
            new StripeMethodProvider()
                .create(
                    MethodSettings.of(
                        "stripe",
                        Map.of("networkId", "profile_web", "chargesPerSecond", "40"),
                        env::get));
    assertEquals(40, fromWebXml.config().chargesPerSecond());
    IllegalArgumentException bad =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new StripeMethodProvider()
                    .create(
                        MethodSettings.of(
                            "stripe",
                            Map.of("networkId", "profile_web", "chargesPerSecond", "lots"),
                            env::get)));
    assertTrue(bad.getMessage().contains("stripe.chargesPerSecond"), bad.getMessage());
    assertFalse(bad.getMessage().contains(API_KEY));
  }
}
