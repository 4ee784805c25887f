package io.mpp4j.stripe;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
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

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.stripe.StripeClient;
import io.mpp4j.core.Challenge;
import io.mpp4j.core.Credential;
import io.mpp4j.core.binding.ChallengeSecret;
import io.mpp4j.core.problem.ProblemType;
import io.mpp4j.server.GateResult;
import io.mpp4j.server.PaymentGate;
import io.mpp4j.server.PaymentRequirement;
import io.mpp4j.spi.MethodSettings;
import io.mpp4j.store.InMemoryReplayStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bound on outbound PaymentIntent creates, and the neutral answer to a refused API key. The
 * stand-in answers only a create Stripe itself would accept (method, path, form content type,
 * bearer key, idempotency key, version and the required fields); anything else gets WireMock's 404.
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
    stripe.close();
  }

  /** A create as Stripe accepts it: anything else does not match and gets WireMock's 404. */
  private MappingBuilder strictCreate() {
    return post(urlEqualTo(StripeFixture.PI_PATH))
        .withHeader("Content-Type", containing("application/x-www-form-urlencoded"))
        .withHeader("Authorization", equalTo("Bearer " + API_KEY))
        .withHeader("Idempotency-Key", matching("mpp_[A-Za-z0-9_-]+_spt_[A-Za-z0-9_]+"))
        .withHeader("Stripe-Version", equalTo(StripeConfig.DEFAULT_STRIPE_VERSION))
        .withRequestBody(containing("amount=100"))
        .withRequestBody(containing("currency=usd"))
        .withRequestBody(containing("confirm=true"))
        .withRequestBody(containing("shared_payment_granted_token=spt_"));
  }

  private void answerCreates(ResponseDefinitionBuilder answer) {
    stripe.server.stubFor(strictCreate().willReturn(answer));
  }

  /**
   * The method under test. It talks through stripe-java's own transport: this module's {@code
   * JdkStripeHttpClient} sent creates without their form content type (fixed separately), which
   * this strict stand-in refuses, as Stripe does.
   */
  private PaymentGate gate(int chargesPerSecond) {
    StripeClient client =
        StripeClient.builder()
            .setApiKey(API_KEY)
            .setApiBase(stripe.apiBase)
            .setMaxNetworkRetries(0)
            .build();
    StripeConfig config =
        StripeConfig.builder()
            .stripeClient(client)
            .networkId(StripeFixture.NETWORK_ID)
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
  void theStandInRefusesACreateStripeWouldRefuse() throws Exception {
    answerCreates(ok("pi_x", 100, "usd", "succeeded"));
    HttpResponse<String> json =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(stripe.apiBase + StripeFixture.PI_PATH))
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + API_KEY)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"amount\":100}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(404, json.statusCode(), "a JSON body is not a Stripe create");
  }

  @Test
  void beyondTheBoundAttemptsAreRetriableWithoutCallingStripeOrSpendingTheToken() {
    answerCreates(error(402, "card_error", "card_declined", "spt_junk"));
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
    // Each declined challenge stays used (Stripe was called); a declined token and a turned-away
    // attempt hold nothing.
    assertEquals(2, store.size(), "the two declined challenges only");

    // The token of a turned-away attempt was not used up: once a permit is free, the same
    // credential pays.
    stripe.server.resetAll();
    answerCreates(ok("pi_later", 100, "usd", "succeeded"));
    nanos.addAndGet(Duration.ofSeconds(1).toNanos());
    GateResult later = gate.evaluate(ONE_DOLLAR, paid(turnedAway));
    assertEquals("pi_later", assertInstanceOf(GateResult.Paid.class, later).receipt().reference());
    assertEquals(1, stripe.creates().size());
  }

  @Test
  void junkPayloadsAndSpentTokensHoldNoReplayStoreCapacity() {
    answerCreates(ok("pi_once", 100, "usd", "succeeded"));
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
    answerCreates(error(402, "card_error", "card_declined", "spt_retry"));
    PaymentGate gate = gate(10);
    GateResult.Rejected declined =
        assertInstanceOf(
            GateResult.Rejected.class,
            gate.evaluate(ONE_DOLLAR, paid(credential(challenge(gate, ONE_DOLLAR), "spt_retry"))));
    assertEquals("stripe.card_declined", declined.problem().reason().code());
    assertEquals(1, store.size(), "the declined challenge only, not the token");

    stripe.server.resetAll();
    answerCreates(ok("pi_second", 100, "usd", "succeeded"));
    assertInstanceOf(
        GateResult.Paid.class,
        gate.evaluate(ONE_DOLLAR, paid(credential(challenge(gate, ONE_DOLLAR), "spt_retry"))));
    GateResult.Rejected again =
        assertInstanceOf(
            GateResult.Rejected.class,
            gate.evaluate(ONE_DOLLAR, paid(credential(challenge(gate, ONE_DOLLAR), "spt_retry"))));
    assertEquals("stripe.spt_used", again.problem().reason().code(), "a token pays once");
    assertEquals(1, stripe.creates().size());
  }

  @Test
  void theBoundRefillsAtItsRate() {
    answerCreates(error(402, "card_error", "card_declined", "spt_junk"));
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
      stripe.server.resetAll();
      answerCreates(
          error(
              status,
              status == 401 ? "invalid_request_error" : "invalid_request_error",
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
      assertEquals(1, stripe.creates().size(), "a refused key is not retried");
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
