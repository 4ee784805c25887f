package io.mpp4j.stripe;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static io.mpp4j.stripe.StripeFixture.API_KEY;
import static io.mpp4j.stripe.StripeFixture.assertNoSecrets;
import static io.mpp4j.stripe.StripeFixture.challenge;
import static io.mpp4j.stripe.StripeFixture.credential;
import static io.mpp4j.stripe.StripeFixture.error;
import static io.mpp4j.stripe.StripeFixture.form;
import static io.mpp4j.stripe.StripeFixture.json;
import static io.mpp4j.stripe.StripeFixture.ok;
import static io.mpp4j.stripe.StripeFixture.paid;
import static io.mpp4j.stripe.StripeFixture.replayed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.mpp4j.core.Challenge;
import io.mpp4j.core.Credential;
import io.mpp4j.core.PaymentRequirement;
import io.mpp4j.core.Receipt;
import io.mpp4j.core.problem.ProblemType;
import io.mpp4j.server.GateResult;
import io.mpp4j.server.PaymentGate;
import io.mpp4j.spi.Delivery;
import io.mpp4j.spi.PaymentMethodException;
import io.mpp4j.spi.Verification;
import io.mpp4j.spi.VerificationContext;
import io.mpp4j.store.InMemoryReplayStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The stripe method through a real gate, against the strict Stripe stand-in. */
class StripeChargeTest {
  private static final PaymentRequirement ONE_DOLLAR =
      PaymentRequirement.builder().amount("1.00").build();

  private StripeFixture stripe;
  private String spt;

  @BeforeEach
  void start() {
    stripe = new StripeFixture();
    spt = "spt_test_" + UUID.randomUUID().toString().replace("-", "");
  }

  @AfterEach
  void stop() {
    try {
      stripe.assertNothingRefused();
    } finally {
      stripe.close();
    }
  }

  private PaymentGate gate() {
    return StripeFixture.gate(StripeMethod.create(stripe.config().build()));
  }

  // --- success ----------------------------------------------------------------------------------

  /**
   * The whole charge, unscripted, over a real socket with the module's own transport: the strict
   * stand-in accepts only what Stripe accepts, so this is the request a real Stripe would settle.
   */
  @Test
  void defaultTransportChargesThroughTheStrictStandIn() {
    PaymentGate gate = gate();
    Challenge c = challenge(gate, ONE_DOLLAR);

    GateResult result = gate.evaluate(ONE_DOLLAR, paid(credential(c, spt)));

    GateResult.Paid paid = assertInstanceOf(GateResult.Paid.class, result);
    assertEquals("success", paid.receipt().status());
    assertTrue(paid.receipt().reference().startsWith("pi_"), paid.receipt().reference());
    assertEquals(0, stripe.standIn.refusedCount());
    List<LoggedRequest> creates = stripe.creates();
    assertEquals(1, creates.size());
    assertEquals(
        "application/x-www-form-urlencoded;charset=UTF-8",
        creates.get(0).getHeader("Content-Type"));
    assertNoSecrets(result, spt);
  }

  @Test
  void defaultTransportAuthorizesAndCapturesThroughTheStrictStandIn() throws Exception {
    PaymentGate gate =
        StripeFixture.gate(StripeMethod.create(stripe.config().captureAfterSuccess(true).build()));
    Challenge c = challenge(gate, ONE_DOLLAR);

    GateResult.Paid paid =
        assertInstanceOf(
            GateResult.Paid.class, gate.evaluate(ONE_DOLLAR, paid(credential(c, spt))));
    String id = paid.receipt().reference();
    assertNotNull(paid.settlement());
    paid.settlement().complete(Delivery.success(200));

    assertEquals(1, stripe.captures(id).size());
    assertEquals(0, stripe.cancels(id).size());
    assertEquals(0, stripe.standIn.refusedCount());
  }

  @Test
  void successSendsExactlyTheReferenceRequestAndAnswersWithAReceipt() {
    stripe.answerCreates(ok("pi_ok1", 100, "usd", "succeeded"));
    PaymentGate gate = gate();
    Challenge c = challenge(gate, ONE_DOLLAR);

    GateResult result = gate.evaluate(ONE_DOLLAR, paid(credential(c, spt)));

    GateResult.Paid paid = assertInstanceOf(GateResult.Paid.class, result);
    Receipt receipt = paid.receipt();
    assertEquals("success", receipt.status());
    assertEquals("stripe", receipt.method());
    assertEquals("pi_ok1", receipt.reference());
    assertNull(receipt.externalId());
    assertNull(paid.settlement());

    List<LoggedRequest> creates = stripe.creates();
    assertEquals(1, creates.size());
    LoggedRequest sent = creates.get(0);
    Map<String, String> expected = new TreeMap<>();
    expected.put("amount", "100");
    expected.put("currency", "usd");
    expected.put("confirm", "true");
    expected.put("automatic_payment_methods[enabled]", "true");
    expected.put("automatic_payment_methods[allow_redirects]", "never");
    expected.put("shared_payment_granted_token", spt);
    expected.put("metadata[machine_payment]", "true");
    expected.put("metadata[mpp_intent]", "charge");
    expected.put("metadata[mpp_challenge_id]", c.id());
    Map<String, String> fields = form(sent);
    String sdk = fields.remove("metadata[mpp_sdk]");
    assertNotNull(sdk);
    assertTrue(sdk.matches("mpp4j/[0-9A-Za-z.+-]+"), sdk);
    assertEquals(expected, fields);
    assertEquals("mpp_" + c.id() + "_" + spt, sent.getHeader("Idempotency-Key"));
    assertEquals("2026-07-29.preview", sent.getHeader("Stripe-Version"));
    assertEquals("Bearer " + API_KEY, sent.getHeader("Authorization"));
    assertNoSecrets(result, spt);
  }

  @Test
  void offerCarriesMinorUnitsNetworkAndTypes() {
    PaymentGate gate = gate();
    Challenge c = challenge(gate, ONE_DOLLAR);
    assertEquals("stripe", c.method());
    assertEquals("100", c.request().amount());
    assertEquals("usd", c.request().currency());
    assertEquals(
        Map.of("networkId", StripeFixture.NETWORK_ID, "paymentMethodTypes", List.of("card")),
        c.request().methodDetails());
  }

  @Test
  void zeroDecimalCurrencyIsChargedInWholeUnits() {
    stripe.answerCreates(ok("pi_jpy", 500, "jpy", "succeeded"));
    PaymentGate gate = gate();
    PaymentRequirement yen = PaymentRequirement.builder().amount("500").currency("JPY").build();
    Challenge c = challenge(gate, yen);
    assertEquals("500", c.request().amount());
    assertEquals("jpy", c.request().currency());

    GateResult result = gate.evaluate(yen, paid(credential(c, spt)));

    assertInstanceOf(GateResult.Paid.class, result);
    Map<String, String> fields = form(stripe.creates().get(0));
    assertEquals("500", fields.get("amount"));
    assertEquals("jpy", fields.get("currency"));
  }

  @Test
  void threeDecimalCurrencyIsChargedInThousandths() {
    stripe.answerCreates(ok("pi_kwd", 1250, "kwd", "succeeded"));
    PaymentGate gate = gate();
    PaymentRequirement kwd = PaymentRequirement.builder().amount("1.25").currency("kwd").build();
    Challenge c = challenge(gate, kwd);

    assertInstanceOf(GateResult.Paid.class, gate.evaluate(kwd, paid(credential(c, spt))));
    assertEquals("1250", form(stripe.creates().get(0)).get("amount"));
  }

  @Test
  void boundExternalIdGoesIntoMetadataAndReceipt() {
    stripe.answerCreates(ok("pi_ext", 100, "usd", "succeeded"));
    PaymentGate gate = gate();
    PaymentRequirement order =
        PaymentRequirement.builder().amount("1.00").externalId("order_42").build();
    Challenge c = challenge(gate, order);
    assertEquals("order_42", c.request().externalId());

    GateResult result =
        gate.evaluate(
            order, paid(Credential.of(c, Map.of("spt", spt, "externalId", "order_42"), null)));

    GateResult.Paid paid = assertInstanceOf(GateResult.Paid.class, result);
    assertEquals("order_42", paid.receipt().externalId());
    assertEquals("order_42", form(stripe.creates().get(0)).get("metadata[mpp_external_id]"));
  }

  @Test
  void paymentMethodDataPlacementNestsTheToken() {
    stripe.answerCreates(ok("pi_pmd", 100, "usd", "succeeded"));
    PaymentGate gate =
        StripeFixture.gate(
            StripeMethod.create(
                stripe.config().sptPlacement(SptPlacement.PAYMENT_METHOD_DATA).build()));
    Challenge c = challenge(gate, ONE_DOLLAR);

    assertInstanceOf(GateResult.Paid.class, gate.evaluate(ONE_DOLLAR, paid(credential(c, spt))));
    Map<String, String> fields = form(stripe.creates().get(0));
    assertEquals(spt, fields.get("payment_method_data[shared_payment_granted_token]"));
    assertNull(fields.get("shared_payment_granted_token"));
  }

  // --- refusals before Stripe -------------------------------------------------------------------

  @Test
  void forgedOrMissingExternalIdIsAnInvalidChallengeAndNeverReachesStripe() {
    PaymentGate gate = gate();
    PaymentRequirement order =
        PaymentRequirement.builder().amount("1.00").externalId("order_42").build();

    for (Map<String, Object> payload :
        List.<Map<String, Object>>of(
            Map.of("spt", spt, "externalId", "order_43"),
            Map.of("spt", spt, "externalId", 43),
            Map.of("spt", spt))) {
      Challenge c = challenge(gate, order);
      GateResult result = gate.evaluate(order, paid(Credential.of(c, payload, null)));
      GateResult.Rejected r = assertInstanceOf(GateResult.Rejected.class, result);
      assertEquals(ProblemType.INVALID_CHALLENGE, r.problem().type());
      assertEquals("stripe.external_id_mismatch", r.problem().reason().code());
      assertNoSecrets(result, spt);
    }
    assertEquals(0, stripe.creates().size());
  }

  @Test
  void payloadOutsideTheSchemaIsInvalidPayload() {
    PaymentGate gate = gate();
    List<Map<String, Object>> payloads =
        List.of(
            Map.of(),
            Map.of("spt", ""),
            Map.of("spt", 42),
            Map.of("spt", "spt_with space"),
            Map.of("spt", "spt_" + "x".repeat(200)));
    for (Map<String, Object> payload : payloads) {
      Challenge c = challenge(gate, ONE_DOLLAR);
      GateResult result = gate.evaluate(ONE_DOLLAR, paid(Credential.of(c, payload, null)));
      GateResult.Rejected r = assertInstanceOf(GateResult.Rejected.class, result);
      assertEquals(ProblemType.INVALID_PAYLOAD, r.problem().type(), payload.toString());
    }
    assertEquals(0, stripe.creates().size());
  }

  @Test
  void expiredChallengeIsRecheckedBeforeStripeIsCalled() throws Exception {
    StripeMethod method = StripeMethod.create(stripe.config().build());
    PaymentGate gate = StripeFixture.gate(method);
    Challenge c = challenge(gate, ONE_DOLLAR);
    Credential credential = credential(c, spt);
    Instant expires = c.expiresAt();
    VerificationContext context =
        new VerificationContext(
            credential,
            method.createRequest(ONE_DOLLAR.intent(), ONE_DOLLAR),
            ONE_DOLLAR,
            paid(credential),
            InMemoryReplayStore.ofDefaults(),
            Clock.fixed(expires.plusSeconds(1), java.time.ZoneOffset.UTC),
            expires);

    Verification.Rejected r = assertInstanceOf(Verification.Rejected.class, method.verify(context));

    assertEquals(ProblemType.PAYMENT_EXPIRED, r.type());
    assertEquals(0, stripe.creates().size());
  }

  // --- Stripe's verdicts ------------------------------------------------------------------------

  @Test
  void declineIsVerificationFailedWithAStableReasonAndNoStripeText() {
    stripe.answerCreates(
        json(
            402,
            "{\"error\":{\"type\":\"card_error\",\"code\":\"card_declined\","
                + "\"decline_code\":\"insufficient_funds\",\"payment_intent\":{\"id\":"
                + "\"pi_dec\",\"object\":\"payment_intent\",\"status\":"
                + "\"requires_payment_method\"},\"message\":\"Your card has insufficient"
                + " funds. Stripe says no to "
                + spt
                + "\"}}"));
    PaymentGate gate = gate();
    Challenge c = challenge(gate, ONE_DOLLAR);

    GateResult result = gate.evaluate(ONE_DOLLAR, paid(credential(c, spt)));

    GateResult.Rejected r = assertInstanceOf(GateResult.Rejected.class, result);
    assertEquals(ProblemType.VERIFICATION_FAILED, r.problem().type());
    assertEquals("stripe.card_declined.insufficient_funds", r.problem().reason().code());
    assertNull(r.retryAfter());
    assertEquals(1, stripe.creates().size(), "a decline is not retried");
    assertNoSecrets(result, spt);
  }

  @Test
  void requiresActionIsPaymentActionRequired() {
    stripe.answerCreates(ok("pi_3ds", 100, "usd", "requires_action"));
    PaymentGate gate = gate();
    Challenge c = challenge(gate, ONE_DOLLAR);

    GateResult result = gate.evaluate(ONE_DOLLAR, paid(credential(c, spt)));

    GateResult.Rejected r = assertInstanceOf(GateResult.Rejected.class, result);
    assertEquals(ProblemType.PAYMENT_ACTION_REQUIRED, r.problem().type());
    assertEquals(402, r.status());
    assertEquals("stripe.requires_action", r.problem().reason().code());
    assertTrue(!r.challenges().isEmpty());
  }

  @Test
  void otherStatusesAreVerificationFailed() {
    stripe.answerCreates(ok("pi_rpm", 100, "usd", "requires_payment_method"));
    PaymentGate gate = gate();
    Challenge c = challenge(gate, ONE_DOLLAR);

    GateResult.Rejected r =
        assertInstanceOf(
            GateResult.Rejected.class, gate.evaluate(ONE_DOLLAR, paid(credential(c, spt))));
    assertEquals(ProblemType.VERIFICATION_FAILED, r.problem().type());
    assertEquals("stripe.unexpected_status", r.problem().reason().code());
  }

  @Test
  void answerForAnotherAmountIsRefused() {
    stripe.answerCreates(ok("pi_amt", 1, "usd", "succeeded"));
    PaymentGate gate = gate();
    Challenge c = challenge(gate, ONE_DOLLAR);

    GateResult.Rejected r =
        assertInstanceOf(
            GateResult.Rejected.class, gate.evaluate(ONE_DOLLAR, paid(credential(c, spt))));
    assertEquals("stripe.amount_mismatch", r.problem().reason().code());
  }

  @Test
  void replayedAnswerIsRefused() {
    stripe.answerCreates(replayed("pi_rep", 100, "usd", "succeeded"));
    PaymentGate gate = gate();
    Challenge c = challenge(gate, ONE_DOLLAR);

    GateResult result = gate.evaluate(ONE_DOLLAR, paid(credential(c, spt)));

    GateResult.Rejected r = assertInstanceOf(GateResult.Rejected.class, result);
    assertEquals(ProblemType.VERIFICATION_FAILED, r.problem().type());
    assertEquals("stripe.replayed", r.problem().reason().code());
    assertEquals(1, stripe.creates().size());
  }

  @Test
  void tokenPaysOnlyOneChallenge() {
    stripe.answerCreates(ok("pi_one", 100, "usd", "succeeded"));
    PaymentGate gate = gate();

    assertInstanceOf(
        GateResult.Paid.class,
        gate.evaluate(ONE_DOLLAR, paid(credential(challenge(gate, ONE_DOLLAR), spt))));
    GateResult second =
        gate.evaluate(ONE_DOLLAR, paid(credential(challenge(gate, ONE_DOLLAR), spt)));

    GateResult.Rejected r = assertInstanceOf(GateResult.Rejected.class, second);
    assertEquals(ProblemType.VERIFICATION_FAILED, r.problem().type());
    assertEquals("stripe.spt_used", r.problem().reason().code());
    assertEquals(1, stripe.creates().size());
  }

  // --- outages ----------------------------------------------------------------------------------

  @Test
  void serverErrorIsRetriedWithTheSameKeyThenSucceeds() {
    stripe.answerCreates(
        error(500, "api_error", "internal", spt), ok("pi_retry", 100, "usd", "succeeded"));
    PaymentGate gate = gate();
    Challenge c = challenge(gate, ONE_DOLLAR);

    GateResult result = gate.evaluate(ONE_DOLLAR, paid(credential(c, spt)));

    GateResult.Paid paid = assertInstanceOf(GateResult.Paid.class, result);
    assertEquals("pi_retry", paid.receipt().reference());
    assertSameRequestRepeated(2);
  }

  @Test
  void replayAnsweringOurOwnRetryIsAccepted() {
    // The first attempt went through at Stripe but its answer was lost (a 502 from a proxy);
    // Stripe answers the retry with the original PaymentIntent, marked as replayed.
    stripe.answerCreates(
        json(502, "<html>bad gateway</html>"), replayed("pi_lost", 100, "usd", "succeeded"));
    PaymentGate gate = gate();
    Challenge c = challenge(gate, ONE_DOLLAR);

    GateResult result = gate.evaluate(ONE_DOLLAR, paid(credential(c, spt)));

    assertEquals("pi_lost", assertInstanceOf(GateResult.Paid.class, result).receipt().reference());
    assertSameRequestRepeated(2);
  }

  @Test
  void persistentOutageAnswersWithoutReceiptAndTheSameCredentialResumesLater() {
    stripe.answerCreates(error(503, "api_error", "unavailable", spt));
    PaymentGate gate = gate();
    Challenge c = challenge(gate, ONE_DOLLAR);
    Credential credential = credential(c, spt);

    GateResult first = gate.evaluate(ONE_DOLLAR, paid(credential));

    GateResult.Rejected r = assertInstanceOf(GateResult.Rejected.class, first);
    assertEquals(ProblemType.VERIFICATION_FAILED, r.problem().type());
    assertEquals("stripe.unavailable", r.problem().reason().code());
    assertNotNull(r.retryAfter());
    assertNoSecrets(first, spt);
    assertSameRequestRepeated(3);

    // Stripe recovers; the earlier attempt had in fact gone through, so the retry is a replay.
    stripe.answerCreates(replayed("pi_resumed", 100, "usd", "succeeded"));

    GateResult second = gate.evaluate(ONE_DOLLAR, paid(credential));

    assertEquals(
        "pi_resumed", assertInstanceOf(GateResult.Paid.class, second).receipt().reference());
    assertSameRequestRepeated(4);
    // And it is then spent: the same credential cannot be paid for twice.
    GateResult third = gate.evaluate(ONE_DOLLAR, paid(credential));
    assertEquals(
        ProblemType.INVALID_CHALLENGE,
        assertInstanceOf(GateResult.Rejected.class, third).problem().type());
    assertEquals(4, stripe.creates().size());
  }

  @Test
  void aResumedAttemptThatIsDeclinedFreesTheTokenItsFirstAttemptClaimed() {
    // The first verification ends without a verdict and keeps the token claimed; the retry of the
    // same credential (another request) gets the decline and must be able to release that claim:
    // the credential, not the request, owns it.
    stripe.answerCreates(error(503, "api_error", "unavailable", spt));
    PaymentGate gate = gate();
    Credential credential = credential(challenge(gate, ONE_DOLLAR), spt);
    assertEquals(
        "stripe.unavailable",
        assertInstanceOf(GateResult.Rejected.class, gate.evaluate(ONE_DOLLAR, paid(credential)))
            .problem()
            .reason()
            .code());

    stripe.answerCreates(
        json(
            402,
            "{\"error\":{\"type\":\"card_error\",\"code\":\"card_declined\","
                + "\"decline_code\":\"generic_decline\",\"message\":\"Declined.\"}}"));
    assertEquals(
        "stripe.card_declined.generic_decline",
        assertInstanceOf(GateResult.Rejected.class, gate.evaluate(ONE_DOLLAR, paid(credential)))
            .problem()
            .reason()
            .code());

    stripe.answerCreates(ok("pi_next", 100, "usd", "succeeded"));
    GateResult next = gate.evaluate(ONE_DOLLAR, paid(credential(challenge(gate, ONE_DOLLAR), spt)));
    assertEquals(
        "pi_next",
        assertInstanceOf(GateResult.Paid.class, next).receipt().reference(),
        "the declined token was released, so it can pay another challenge");
  }

  @Test
  void timeoutIsRetriedWithinTheBudgetThenAnsweredWithoutReceipt() {
    stripe.answerCreates(ok("pi_slow", 100, "usd", "succeeded").withFixedDelay(2_000));
    PaymentGate gate =
        StripeFixture.gate(
            StripeMethod.create(
                stripe
                    .config()
                    .readTimeout(Duration.ofMillis(300))
                    .retryBudget(Duration.ofMillis(1_500))
                    .build()));
    Challenge c = challenge(gate, ONE_DOLLAR);

    long start = System.nanoTime();
    GateResult result = gate.evaluate(ONE_DOLLAR, paid(credential(c, spt)));
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    GateResult.Rejected r = assertInstanceOf(GateResult.Rejected.class, result);
    assertEquals("stripe.timeout", r.problem().reason().code());
    assertTrue(took.compareTo(Duration.ofMillis(1_900)) < 0, "bounded: " + took);
    assertSameRequestRepeated(3);
    assertNoSecrets(result, spt);
  }

  @Test
  void malformedBodyIsNotTrustedAndNotRetried() {
    stripe.answerCreates(json(200, "{\"id\":\"pi_x\", garbage"));
    PaymentGate gate = gate();
    Challenge c = challenge(gate, ONE_DOLLAR);

    GateResult result = gate.evaluate(ONE_DOLLAR, paid(credential(c, spt)));

    GateResult.Rejected r = assertInstanceOf(GateResult.Rejected.class, result);
    assertEquals(ProblemType.VERIFICATION_FAILED, r.problem().type());
    assertEquals("stripe.malformed_response", r.problem().reason().code());
    assertEquals(1, stripe.creates().size());
  }

  @Test
  void answerWithoutStatusIsMalformed() {
    stripe.answerCreates(json(200, "{\"id\":\"pi_x\",\"object\":\"payment_intent\"}"));
    PaymentGate gate = gate();
    Challenge c = challenge(gate, ONE_DOLLAR);

    GateResult.Rejected r =
        assertInstanceOf(
            GateResult.Rejected.class, gate.evaluate(ONE_DOLLAR, paid(credential(c, spt))));
    assertEquals("stripe.malformed_response", r.problem().reason().code());
  }

  @Test
  void unreachableStripeReleasesTheTokenBecauseNothingWasSent() throws Exception {
    int closedPort;
    try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
      closedPort = probe.getLocalPort();
    }
    PaymentGate gate =
        StripeFixture.gate(
            StripeMethod.create(stripe.config().apiBase("http://127.0.0.1:" + closedPort).build()));

    for (int i = 0; i < 2; i++) {
      // A second challenge with the same token is not refused as a reused token.
      GateResult result =
          gate.evaluate(ONE_DOLLAR, paid(credential(challenge(gate, ONE_DOLLAR), spt)));
      GateResult.Rejected r = assertInstanceOf(GateResult.Rejected.class, result);
      assertEquals("stripe.unavailable", r.problem().reason().code());
      assertNotNull(r.retryAfter());
    }
  }

  @Test
  void rateLimitIsRetriedAndReleasesTheTokenWhenItPersists() {
    stripe.answerCreates(error(429, "rate_limit_error", "rate_limit", spt));
    PaymentGate gate = gate();

    for (int i = 0; i < 2; i++) {
      GateResult result =
          gate.evaluate(ONE_DOLLAR, paid(credential(challenge(gate, ONE_DOLLAR), spt)));
      GateResult.Rejected r = assertInstanceOf(GateResult.Rejected.class, result);
      assertEquals("stripe.rate_limited", r.problem().reason().code());
      assertNoSecrets(result, spt);
    }
    assertEquals(6, stripe.creates().size());
  }

  /**
   * A connection dropped before the answer: this module retries with the same key, and its
   * transport never resent the POST behind its back, so Stripe's replay is recognised as its own.
   */
  @Test
  void droppedConnectionIsRetried() {
    stripe.answerCreates(
        aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER),
        replayed("pi_drop", 100, "usd", "succeeded"));
    PaymentGate gate = gate();
    Challenge c = challenge(gate, ONE_DOLLAR);

    GateResult result = gate.evaluate(ONE_DOLLAR, paid(credential(c, spt)));

    assertEquals("pi_drop", assertInstanceOf(GateResult.Paid.class, result).receipt().reference());
    assertSameRequestRepeated(2);
  }

  @Test
  void rejectedApiKeyReleasesTheTokenBecauseStripeCreatedNothing() {
    stripe.answerCreates(error(401, "invalid_request_error", "api_key_invalid", API_KEY));
    PaymentGate gate = gate();
    Challenge c = challenge(gate, ONE_DOLLAR);
    Credential credential = credential(c, spt);

    GateResult first = gate.evaluate(ONE_DOLLAR, paid(credential));

    GateResult.Rejected r = assertInstanceOf(GateResult.Rejected.class, first);
    assertEquals("stripe.unavailable", r.problem().reason().code()); // neutral (issue 11)
    assertEquals(1, stripe.creates().size(), "a refused key is not retried");
    assertNoSecrets(first, spt);

    stripe.answerCreates(ok("pi_fixed", 100, "usd", "succeeded"));
    GateResult second = gate.evaluate(ONE_DOLLAR, paid(credential));
    assertEquals("pi_fixed", assertInstanceOf(GateResult.Paid.class, second).receipt().reference());
  }

  @Test
  void outageExceptionAndLogsNeverCarryTheTokenKeyOrStripeText() throws Exception {
    stripe.answerCreates(error(500, "api_error", "boom", spt));
    StripeMethod method = StripeMethod.create(stripe.config().build());
    PaymentGate gate = StripeFixture.gate(method);
    Challenge c = challenge(gate, ONE_DOLLAR);
    Credential credential = credential(c, spt);
    VerificationContext context =
        new VerificationContext(
            credential,
            method.createRequest(ONE_DOLLAR.intent(), ONE_DOLLAR),
            ONE_DOLLAR,
            paid(credential),
            InMemoryReplayStore.ofDefaults(),
            Clock.systemUTC(),
            c.expiresAt());

    PrintStream original = System.err;
    ByteArrayOutputStream logs = new ByteArrayOutputStream();
    PaymentMethodException e;
    try {
      System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
      e = assertThrows(PaymentMethodException.class, () -> method.verify(context));
    } finally {
      System.setErr(original);
    }

    assertEquals("stripe.unavailable", e.reason().code());
    assertEquals(c.id(), e.challengeId());
    assertEquals("req_fixture123", e.upstreamRequestId());
    assertNull(e.getCause());
    assertNoSecrets(e.getMessage(), spt);
    assertNoSecrets(e.toString(), spt);
    assertNoSecrets(logs.toString(StandardCharsets.UTF_8), spt);
    assertNoSecrets(method.toString(), spt);
  }

  // --- concurrency ------------------------------------------------------------------------------

  @Test
  void sameCredentialTwentyTimesInParallelCreatesOnePaymentIntent() throws Exception {
    stripe.answerCreates(ok("pi_once", 100, "usd", "succeeded").withFixedDelay(200));
    PaymentGate gate = gate();
    Credential credential = credential(challenge(gate, ONE_DOLLAR), spt);

    List<GateResult> results = inParallel(20, i -> gate.evaluate(ONE_DOLLAR, paid(credential)));

    assertEquals(1, count(results, GateResult.Paid.class));
    for (GateResult r : results) {
      if (r instanceof GateResult.Rejected rejected) {
        assertEquals(ProblemType.INVALID_CHALLENGE, rejected.problem().type());
      }
    }
    assertEquals(1, stripe.creates().size());
  }

  @Test
  void sameTokenOnTwentyChallengesInParallelCreatesOnePaymentIntent() throws Exception {
    stripe.answerCreates(ok("pi_once", 100, "usd", "succeeded").withFixedDelay(200));
    PaymentGate gate = gate();
    List<Credential> credentials = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      credentials.add(credential(challenge(gate, ONE_DOLLAR), spt));
    }

    List<GateResult> results =
        inParallel(20, i -> gate.evaluate(ONE_DOLLAR, paid(credentials.get(i))));

    assertEquals(1, count(results, GateResult.Paid.class));
    for (GateResult r : results) {
      if (r instanceof GateResult.Rejected rejected) {
        assertEquals("stripe.spt_used", rejected.problem().reason().code());
      }
    }
    assertEquals(1, stripe.creates().size());
  }

  // --- capture after success --------------------------------------------------------------------

  @Test
  void captureAfterSuccessCapturesWhenTheApplicationAnswered2xx() throws Exception {
    stripeCaptureStubs("pi_auth");
    PaymentGate gate =
        StripeFixture.gate(StripeMethod.create(stripe.config().captureAfterSuccess(true).build()));
    Challenge c = challenge(gate, ONE_DOLLAR);

    GateResult.Paid paid =
        assertInstanceOf(
            GateResult.Paid.class, gate.evaluate(ONE_DOLLAR, paid(credential(c, spt))));

    assertEquals("pi_auth", paid.receipt().reference());
    assertEquals("manual", form(stripe.creates().get(0)).get("capture_method"));
    assertNotNull(paid.settlement());
    assertEquals(0, stripe.captures("pi_auth").size());

    paid.settlement().complete(Delivery.success(200));
    paid.settlement().complete(Delivery.success(200)); // idempotent
    paid.settlement().complete(Delivery.failure(500)); // too late to cancel: nothing happens

    List<LoggedRequest> captures = stripe.captures("pi_auth");
    assertEquals(1, captures.size());
    assertEquals("mpp_capture_pi_auth", captures.get(0).getHeader("Idempotency-Key"));
    assertEquals("2026-07-29.preview", captures.get(0).getHeader("Stripe-Version"));
    assertEquals(0, stripe.cancels("pi_auth").size());
  }

  @Test
  void captureAfterSuccessCancelsWhenTheApplicationFailed() throws Exception {
    stripeCaptureStubs("pi_auth2");
    PaymentGate gate =
        StripeFixture.gate(StripeMethod.create(stripe.config().captureAfterSuccess(true).build()));
    Challenge c = challenge(gate, ONE_DOLLAR);

    GateResult.Paid paid =
        assertInstanceOf(
            GateResult.Paid.class, gate.evaluate(ONE_DOLLAR, paid(credential(c, spt))));
    paid.settlement().complete(Delivery.failure(500));
    paid.settlement().complete(Delivery.failure(500));

    List<LoggedRequest> cancels = stripe.cancels("pi_auth2");
    assertEquals(1, cancels.size());
    assertEquals("mpp_cancel_pi_auth2", cancels.get(0).getHeader("Idempotency-Key"));
    assertEquals(Map.of("cancellation_reason", "abandoned"), form(cancels.get(0)));
    assertEquals(0, stripe.captures("pi_auth2").size());
  }

  @Test
  void captureFollowsDeliveredNotUnitsOrStatus() throws Exception {
    stripeCaptureStubs("pi_units2");
    stripeCaptureStubs("pi_units"); // the first create answers pi_units
    PaymentGate gate =
        StripeFixture.gate(StripeMethod.create(stripe.config().captureAfterSuccess(true).build()));

    GateResult.Paid none =
        assertInstanceOf(
            GateResult.Paid.class,
            gate.evaluate(ONE_DOLLAR, paid(credential(challenge(gate, ONE_DOLLAR), spt))));
    assertThrows(NullPointerException.class, () -> none.settlement().complete(null));
    none.settlement().complete(new Delivery(true, 204, 0)); // delivered, nothing metered
    assertEquals(1, stripe.captures("pi_units").size(), "a charge captures the whole amount");
    assertEquals(0, stripe.cancels("pi_units").size());

    stripe.answerCreates(ok("pi_units2", 100, "usd", "requires_capture"));
    GateResult.Paid many =
        assertInstanceOf(
            GateResult.Paid.class,
            gate.evaluate(ONE_DOLLAR, paid(credential(challenge(gate, ONE_DOLLAR), "spt_other"))));
    many.settlement().complete(new Delivery(false, 503, 9)); // units do not make it delivered
    assertEquals(1, stripe.cancels("pi_units2").size());
    assertEquals(0, stripe.captures("pi_units2").size());
  }

  @Test
  void captureChoiceIsPerRoute() throws Exception {
    stripeCaptureStubs("pi_route");
    PaymentGate gate = gate(); // default: charge immediately
    PaymentRequirement deferred =
        PaymentRequirement.builder()
            .amount("1.00")
            .opaque(StripeMethod.CAPTURE_OPAQUE_KEY, StripeMethod.CAPTURE_AFTER_SUCCESS)
            .build();
    Challenge c = challenge(gate, deferred);

    GateResult.Paid paid =
        assertInstanceOf(GateResult.Paid.class, gate.evaluate(deferred, paid(credential(c, spt))));

    assertEquals("manual", form(stripe.creates().get(0)).get("capture_method"));
    paid.settlement().complete(Delivery.success(200));
    assertEquals(1, stripe.captures("pi_route").size());
  }

  @Test
  void captureOutageIsRetriedThenReported() {
    stripe.answerCreates(ok("pi_cap", 100, "usd", "requires_capture"));
    stripe.answerCaptures("pi_cap", error(500, "api_error", "boom", spt));
    PaymentGate gate =
        StripeFixture.gate(StripeMethod.create(stripe.config().captureAfterSuccess(true).build()));
    Challenge c = challenge(gate, ONE_DOLLAR);
    GateResult.Paid paid =
        assertInstanceOf(
            GateResult.Paid.class, gate.evaluate(ONE_DOLLAR, paid(credential(c, spt))));

    PaymentMethodException e =
        assertThrows(
            PaymentMethodException.class, () -> paid.settlement().complete(Delivery.success(200)));

    assertEquals("stripe.unavailable", e.reason().code());
    assertNoSecrets(e.getMessage(), spt);
    List<LoggedRequest> captures = stripe.captures("pi_cap");
    assertEquals(3, captures.size());
    for (LoggedRequest r : captures) {
      assertEquals("mpp_capture_pi_cap", r.getHeader("Idempotency-Key"));
    }
  }

  @Test
  void immediateCaptureDoesNotAcceptAnAuthorizationOnly() {
    stripe.answerCreates(ok("pi_hold", 100, "usd", "requires_capture"));
    PaymentGate gate = gate();
    Challenge c = challenge(gate, ONE_DOLLAR);

    GateResult.Rejected r =
        assertInstanceOf(
            GateResult.Rejected.class, gate.evaluate(ONE_DOLLAR, paid(credential(c, spt))));
    assertEquals(ProblemType.VERIFICATION_FAILED, r.problem().type());
    assertNull(form(stripe.creates().get(0)).get("capture_method"));
  }

  // --- helpers ----------------------------------------------------------------------------------

  private void stripeCaptureStubs(String id) {
    stripe.answerCreates(ok(id, 100, "usd", "requires_capture"));
    stripe.answerCaptures(id, ok(id, 100, "usd", "succeeded"));
    stripe.answerCancels(id, ok(id, 100, "usd", "canceled"));
  }

  /** Every create request was the same request with the same idempotency key. */
  private void assertSameRequestRepeated(int times) {
    List<LoggedRequest> creates = stripe.creates();
    assertEquals(times, creates.size());
    String key = creates.get(0).getHeader("Idempotency-Key");
    assertTrue(key.startsWith("mpp_") && key.endsWith("_" + spt), key);
    for (LoggedRequest r : creates) {
      assertEquals(key, r.getHeader("Idempotency-Key"));
      assertEquals(form(creates.get(0)), form(r));
    }
  }

  private interface Call {
    GateResult run(int i) throws Exception;
  }

  private static List<GateResult> inParallel(int n, Call call) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<GateResult>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int index = i;
        futures.add(
            pool.submit(
                () -> {
                  go.await();
                  return call.run(index);
                }));
      }
      go.countDown();
      List<GateResult> results = new ArrayList<>();
      for (Future<GateResult> f : futures) {
        results.add(f.get(30, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  private static long count(List<GateResult> results, Class<?> type) {
    return results.stream().filter(type::isInstance).count();
  }
}
