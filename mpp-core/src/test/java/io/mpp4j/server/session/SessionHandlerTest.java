package io.mpp4j.server.session;

import static io.mpp4j.server.session.FakeSessionMethod.OTHER_KEY;
import static io.mpp4j.server.session.FakeSessionMethod.channel;
import static io.mpp4j.server.session.FakeSessionMethod.close;
import static io.mpp4j.server.session.FakeSessionMethod.openPayload;
import static io.mpp4j.server.session.FakeSessionMethod.topUp;
import static io.mpp4j.server.session.FakeSessionMethod.voucher;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpp4j.core.Challenge;
import io.mpp4j.core.Credential;
import io.mpp4j.core.Intent;
import io.mpp4j.core.PaymentRequest;
import io.mpp4j.core.PaymentRequirement;
import io.mpp4j.core.Receipt;
import io.mpp4j.core.RequestView;
import io.mpp4j.core.SessionTerms;
import io.mpp4j.core.binding.ChallengeSecret;
import io.mpp4j.core.internal.Json;
import io.mpp4j.core.problem.ProblemType;
import io.mpp4j.core.problem.ReasonCode;
import io.mpp4j.server.GateResult;
import io.mpp4j.server.IntentHandler;
import io.mpp4j.server.PaymentGate;
import io.mpp4j.server.PaymentStream;
import io.mpp4j.spi.Delivery;
import io.mpp4j.spi.PaymentMethod;
import io.mpp4j.spi.PaymentMethodException;
import io.mpp4j.spi.Verification;
import io.mpp4j.spi.VerificationContext;
import io.mpp4j.store.InMemoryStateStore;
import io.mpp4j.testing.ManualClock;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The session intent through the gate, against a strict fake session method. */
class SessionHandlerTest {
  static final String SECRET = "session-test-secret-0123456789abcdef0123456789";
  static final String CH = channel(0xc4a1);
  static final long PRICE = 1000; // 0.001 with 6 decimals

  final ManualClock clock = new ManualClock();
  final InMemoryStateStore store = InMemoryStateStore.create(10_000, clock);
  final FakeSessionMethod method = new FakeSessionMethod();
  final SessionLedger ledger = new SessionLedger(store);
  PaymentRequirement metered =
      PaymentRequirement.builder()
          .intent(Intent.SESSION)
          .amount("0.001")
          .session(new SessionTerms("request", new BigDecimal("1.00"), null))
          .build();
  PaymentGate gate;
  Challenge challenge;

  @BeforeEach
  void setUp() {
    clock.now = Instant.parse("2026-12-08T01:00:00Z");
    gate = gate(SessionOptions.defaults());
    challenge = challenge();
  }

  PaymentGate gate(SessionOptions options) {
    return PaymentGate.builder()
        .realm("api.example.com")
        .secret(ChallengeSecret.of(SECRET))
        .clock(clock)
        .store(store)
        .method(method)
        .sessionOptions(options)
        .build();
  }

  Challenge challenge() {
    RequestView view = RequestView.builder().method("GET").path("/api/metered").build();
    return ((GateResult.PaymentRequired) gate.evaluate(metered, view)).challenges().get(0);
  }

  GateResult send(String httpMethod, Map<String, Object> payload) {
    return send(httpMethod, payload, null);
  }

  GateResult send(String httpMethod, Map<String, Object> payload, byte @Nullable [] body) {
    String header = Credential.of(challenge, payload, null).toHeaderValue();
    return sendHeader(httpMethod, header, body);
  }

  GateResult sendHeader(String httpMethod, String header, byte @Nullable [] body) {
    RequestView view =
        RequestView.builder()
            .method(httpMethod)
            .path("/api/metered")
            .header("Authorization", header)
            .body(body)
            .build();
    return gate.evaluate(metered, view);
  }

  /** Opens {@link #CH} with a bodiless POST (charging nothing). */
  void open(long deposit, long voucher) {
    GateResult r = send("POST", openPayload(CH, deposit, voucher));
    assertInstanceOf(GateResult.Acknowledged.class, r, () -> describe(r));
  }

  static String describe(GateResult r) {
    if (r instanceof GateResult.Rejected rej) {
      return rej.problem().toString();
    }
    return r.toString();
  }

  ChannelState state() {
    return java.util.Objects.requireNonNull(ledger.read(CH));
  }

  static GateResult.Rejected rejected(GateResult r, ProblemType type) {
    GateResult.Rejected rej = assertInstanceOf(GateResult.Rejected.class, r, () -> describe(r));
    assertEquals(type, rej.problem().type(), rej.problem().toString());
    return rej;
  }

  // ---- open, vouchers, metering ----

  @Test
  void anOpenedChannelPaysOneUnitPerRequestWithASessionReceipt() {
    open(1_000_000, 5000);
    assertEquals(1, method.opens.get());
    GateResult r = send("GET", voucher(CH, 5000));
    GateResult.Paid paid = assertInstanceOf(GateResult.Paid.class, r, () -> describe(r));
    Receipt receipt = paid.receipt();
    assertEquals("fake", receipt.method());
    assertEquals("session", receipt.extra().get("intent"));
    assertEquals(CH, receipt.reference());
    assertEquals(CH, receipt.extra().get("channelId"));
    assertEquals(challenge.id(), receipt.extra().get("challengeId"));
    assertEquals("5000", receipt.extra().get("acceptedCumulative"));
    assertEquals("1000", receipt.extra().get("spent"));
    assertEquals(1L, ((Number) receipt.extra().get("units")).longValue());
    assertNull(receipt.extra().get("txHash"));
    assertNotNull(paid.settlement());
    assertNotNull(paid.stream());
    assertEquals(BigInteger.valueOf(1000), state().spent());
  }

  @Test
  void rePresentingTheAcceptedVoucherMakesNoSignatureCheckAndNoChainCall() {
    open(1_000_000, 5000);
    int verifies = method.verifies.get();
    for (int i = 0; i < 5; i++) {
      assertInstanceOf(GateResult.Paid.class, send("GET", voucher(CH, 5000)));
    }
    assertEquals(verifies, method.verifies.get(), "no verifyVoucher for the accepted voucher");
    assertEquals(1, method.opens.get());
    assertEquals(0, method.reads.get() + method.topUps.get() + method.settles.get());
    assertEquals(BigInteger.valueOf(5000), state().spent());
  }

  @Test
  void theSpentCredentialReplayedIsRefusedWithInsufficientBalanceAndRequiredTopUp() {
    open(1_000_000, 2000);
    String header = Credential.of(challenge, voucher(CH, 2000), null).toHeaderValue();
    assertInstanceOf(GateResult.Paid.class, sendHeader("GET", header, null));
    assertInstanceOf(GateResult.Paid.class, sendHeader("GET", header, null));
    GateResult.Rejected r =
        rejected(sendHeader("GET", header, null), ProblemType.SESSION_INSUFFICIENT_BALANCE);
    Map<String, Object> body = r.problem().toJsonMap();
    assertEquals("1000", body.get("requiredTopUp"));
    assertEquals("3000", body.get("requiredCumulative"));
    assertEquals("2000", body.get("acceptedCumulative"));
    assertEquals("1000000", body.get("deposit"));
    assertEquals(CH, body.get("channelId"));
    assertEquals(r.challenges().get(0).id(), body.get("challengeId"));
    assertFalse(r.challenges().isEmpty());
    String json = new String(r.problem().toJson(), StandardCharsets.UTF_8);
    assertTrue(json.contains("\"requiredTopUp\":\"1000\""), json);
    assertEquals(BigInteger.valueOf(2000), state().spent());
  }

  @Test
  void aHigherVoucherIsVerifiedStoredBeforeServingAndCoversFurtherRequests() {
    open(1_000_000, 1000);
    assertInstanceOf(GateResult.Paid.class, send("GET", voucher(CH, 1000)));
    int verifies = method.verifies.get();
    assertInstanceOf(GateResult.Paid.class, send("GET", voucher(CH, 3000)));
    assertEquals(verifies + 1, method.verifies.get());
    assertEquals(BigInteger.valueOf(3000), state().acceptedCumulative());
    assertInstanceOf(GateResult.Paid.class, send("GET", voucher(CH, 3000)));
    assertEquals(verifies + 1, method.verifies.get());
    rejected(send("GET", voucher(CH, 3000)), ProblemType.SESSION_INSUFFICIENT_BALANCE);
  }

  @Test
  void anOpenOfAChannelAlreadyHereIsTakenAsItsVoucherWithoutABroadcast() {
    open(1_000_000, 2000);
    GateResult r = send("GET", openPayload(CH, 1_000_000, 4000));
    assertInstanceOf(GateResult.Paid.class, r, () -> describe(r));
    assertEquals(1, method.opens.get());
    assertEquals(BigInteger.valueOf(4000), state().acceptedCumulative());
  }

  @Test
  void anOpenRefusedByTheMethodStoresNothing() {
    GateResult r = send("POST", openPayload(CH, 1_000_000, 5000, OTHER_KEY));
    rejected(r, ProblemType.SESSION_INVALID_SIGNATURE);
    assertNull(ledger.read(CH));
  }

  @Test
  void aMalformedPayloadIsRefusedBeforeAnything() {
    GateResult r = send("GET", Map.of("action", "voucher", "channelId", CH, "signature", "0x00"));
    rejected(r, ProblemType.MALFORMED_CREDENTIAL);
    rejected(
        send("GET", Map.of("action", "settle", "channelId", CH)), ProblemType.MALFORMED_CREDENTIAL);
    assertEquals(0, method.verifies.get());
  }

  // ---- SPEC 11.3's check order on the stored state ----

  @Test
  void anUnknownChannelIs410ChannelNotFound() {
    rejected(send("GET", voucher(CH, 1000)), ProblemType.SESSION_CHANNEL_NOT_FOUND);
    rejected(send("HEAD", topUp(CH, 1000)), ProblemType.SESSION_CHANNEL_NOT_FOUND);
    rejected(send("POST", close(CH, 1000)), ProblemType.SESSION_CHANNEL_NOT_FOUND);
    assertEquals(0, method.verifies.get());
  }

  @Test
  void aCloseRequestedChannelIs410FinalizedBeforeAnyOtherCheck() {
    open(1_000_000, 2000);
    ledger.requestClose(CH, Instant.parse("2026-12-08T01:00:00Z"));
    int verifies = method.verifies.get();
    // even a voucher above the deposit with a forged signature: finalized comes first
    rejected(send("GET", voucher(CH, 2_000_000, OTHER_KEY)), ProblemType.SESSION_CHANNEL_FINALIZED);
    rejected(send("GET", voucher(CH, 2000)), ProblemType.SESSION_CHANNEL_FINALIZED);
    assertEquals(verifies, method.verifies.get());
  }

  @Test
  void aVoucherAboveTheDepositIsRefusedBeforeItsSignatureIsChecked() {
    open(10_000, 2000);
    int verifies = method.verifies.get();
    rejected(
        send("GET", voucher(CH, 10_001, OTHER_KEY)), ProblemType.SESSION_AMOUNT_EXCEEDS_DEPOSIT);
    assertEquals(verifies, method.verifies.get());
  }

  @Test
  void aVoucherBelowTheAcceptedOneIsVerificationFailedWithoutASignatureCheck() {
    open(1_000_000, 5000);
    int verifies = method.verifies.get();
    GateResult.Rejected r =
        rejected(send("GET", voucher(CH, 4000, OTHER_KEY)), ProblemType.VERIFICATION_FAILED);
    assertEquals(ReasonCode.of("session.voucher_below_accepted"), r.problem().reason());
    assertEquals(verifies, method.verifies.get());
  }

  @Test
  void aForgedHigherVoucherIsAnInvalidSignatureAndNothingIsStoredOrServed() {
    open(1_000_000, 1000);
    rejected(send("GET", voucher(CH, 9000, OTHER_KEY)), ProblemType.SESSION_INVALID_SIGNATURE);
    assertEquals(BigInteger.valueOf(1000), state().acceptedCumulative());
    assertEquals(BigInteger.ZERO, state().spent());
  }

  @Test
  void theAcceptedAmountWithAnotherSignatureIsVerifiedAndAForgeryRefused() {
    open(1_000_000, 5000);
    int verifies = method.verifies.get();
    rejected(send("GET", voucher(CH, 5000, OTHER_KEY)), ProblemType.SESSION_INVALID_SIGNATURE);
    assertEquals(verifies + 1, method.verifies.get());
    assertEquals(BigInteger.ZERO, state().spent());
  }

  @Test
  void anIncreaseBelowTheMinimumVoucherDeltaIsRefused() {
    metered =
        metered.toBuilder()
            .session(new SessionTerms("request", null, new BigDecimal("0.005")))
            .build();
    challenge = challenge();
    open(1_000_000, 5000);
    GateResult.Rejected r =
        rejected(send("GET", voucher(CH, 9999)), ProblemType.SESSION_DELTA_TOO_SMALL);
    assertTrue(r.problem().detail().contains("5000"), r.problem().detail());
    assertEquals(BigInteger.valueOf(5000), state().acceptedCumulative());
    assertInstanceOf(GateResult.Paid.class, send("GET", voucher(CH, 10_000)));
  }

  // ---- rate limit ----

  @Test
  void newVouchersBeyondTheRatePerSecondAre429WithRetryAfterButTheAcceptedOneIsNot() {
    gate = gate(SessionOptions.defaults().withVoucherRatePerSecond(3));
    challenge = challenge();
    open(1_000_000, 1000);
    for (int i = 1; i <= 3; i++) {
      assertInstanceOf(GateResult.Acknowledged.class, send("POST", voucher(CH, 1000 + i * 1000)));
    }
    GateResult.Rejected r = rejected(send("POST", voucher(CH, 9000)), ProblemType.RATE_LIMITED);
    assertEquals(429, r.status());
    assertEquals(Duration.ofSeconds(1), r.retryAfter());
    assertEquals(BigInteger.valueOf(4000), state().acceptedCumulative());
    // re-presenting the accepted voucher is not a new voucher
    assertInstanceOf(GateResult.Paid.class, send("GET", voucher(CH, 4000)));
    clock.advance(Duration.ofSeconds(1));
    assertInstanceOf(GateResult.Acknowledged.class, send("POST", voucher(CH, 9000)));
  }

  @Test
  void anotherSignatureForTheAcceptedAmountCountsAsANewVoucherForTheRateLimit() {
    gate = gate(SessionOptions.defaults().withVoucherRatePerSecond(1));
    challenge = challenge();
    open(1_000_000, 1000);
    assertInstanceOf(GateResult.Acknowledged.class, send("POST", voucher(CH, 2000)));
    int verifies = method.verifies.get();
    rejected(send("POST", voucher(CH, 2000, OTHER_KEY)), ProblemType.RATE_LIMITED);
    assertEquals(verifies, method.verifies.get(), "refused before any signature work");
    assertInstanceOf(GateResult.Acknowledged.class, send("POST", voucher(CH, 2000)));
  }

  @Test
  void theRateLimitIsKeptInTheStoreSoItHoldsAcrossGates() {
    open(1_000_000, 1000);
    PaymentGate other = gate(SessionOptions.defaults().withVoucherRatePerSecond(2));
    gate = gate(SessionOptions.defaults().withVoucherRatePerSecond(2));
    assertInstanceOf(GateResult.Acknowledged.class, send("POST", voucher(CH, 2000)));
    gate = other;
    assertInstanceOf(GateResult.Acknowledged.class, send("POST", voucher(CH, 3000)));
    rejected(send("POST", voucher(CH, 4000)), ProblemType.RATE_LIMITED);
  }

  // ---- management requests ----

  @Test
  void managementRequestsAreAcknowledgedAndChargeNothing() {
    open(1_000_000, 5000);
    GateResult head = send("HEAD", voucher(CH, 5000));
    GateResult.Acknowledged ack = assertInstanceOf(GateResult.Acknowledged.class, head);
    assertEquals("0", ack.receipt().extra().get("spent"));
    assertInstanceOf(GateResult.Acknowledged.class, send("POST", voucher(CH, 6000)));
    assertInstanceOf(GateResult.Acknowledged.class, send("POST", voucher(CH, 6000), new byte[0]));
    assertEquals(BigInteger.ZERO, state().spent());
    // a POST with a body, or announcing one, is billable (this route does not bind bodies)
    metered = metered.toBuilder().bindBody(false).build();
    challenge = challenge();
    assertInstanceOf(
        GateResult.Paid.class,
        send("POST", voucher(CH, 6000), "{}".getBytes(StandardCharsets.UTF_8)));
    String header = Credential.of(challenge, voucher(CH, 6000), null).toHeaderValue();
    RequestView announced =
        RequestView.builder()
            .method("POST")
            .path("/api/metered")
            .header("Authorization", header)
            .header("Content-Length", "2")
            .build();
    assertInstanceOf(GateResult.Paid.class, gate.evaluate(metered, announced));
    assertEquals(BigInteger.valueOf(2000), state().spent());
  }

  @Test
  void aTopUpRecordsTheNewDepositSoLargerVouchersAreAccepted() {
    open(10_000, 10_000);
    rejected(send("POST", voucher(CH, 15_000)), ProblemType.SESSION_AMOUNT_EXCEEDS_DEPOSIT);
    assertInstanceOf(GateResult.Acknowledged.class, send("HEAD", topUp(CH, 20_000)));
    assertEquals(1, method.topUps.get());
    assertEquals(BigInteger.valueOf(30_000), state().deposit());
    assertInstanceOf(GateResult.Acknowledged.class, send("POST", voucher(CH, 15_000)));
  }

  // ---- close ----

  @Test
  void aCloseCapturesExactlyWhatWasSpentAndCarriesTheTxHash() {
    open(1_000_000, 5000);
    for (int i = 0; i < 3; i++) {
      assertInstanceOf(GateResult.Paid.class, send("GET", voucher(CH, 5000)));
    }
    GateResult r = send("POST", close(CH, 5000));
    GateResult.Acknowledged ack =
        assertInstanceOf(GateResult.Acknowledged.class, r, () -> describe(r));
    assertEquals("0x" + "c1".repeat(32), ack.receipt().extra().get("txHash"));
    assertEquals("3000", ack.receipt().extra().get("spent"));
    assertEquals(BigInteger.valueOf(3000), method.captured.get(CH));
    assertTrue(state().closed());
    assertEquals(BigInteger.valueOf(3000), state().settledOnChain());
    rejected(send("GET", voucher(CH, 5000)), ProblemType.SESSION_CHANNEL_FINALIZED);
    rejected(send("POST", close(CH, 5000)), ProblemType.SESSION_CHANNEL_FINALIZED);
    assertEquals(1, method.closes.get());
    assertTrue(new ChannelIndex(store).all().isEmpty());
  }

  @Test
  void aCloseWhoseVoucherDoesNotCoverTheSpentAmountIsRefused() {
    open(1_000_000, 5000);
    for (int i = 0; i < 3; i++) {
      send("GET", voucher(CH, 5000));
    }
    GateResult.Rejected r =
        rejected(send("POST", close(CH, 2000)), ProblemType.VERIFICATION_FAILED);
    assertEquals(ReasonCode.of("session.close_below_spent"), r.problem().reason());
    assertEquals(0, method.closes.get());
    assertFalse(state().closed());
  }

  @Test
  void aCloseWithAHigherVoucherStoresItFirstAndStillCapturesOnlyTheSpentAmount() {
    open(1_000_000, 2000);
    send("GET", voucher(CH, 2000));
    assertInstanceOf(GateResult.Acknowledged.class, send("POST", close(CH, 8000)));
    assertEquals(BigInteger.valueOf(1000), method.captured.get(CH));
    assertEquals(BigInteger.valueOf(8000), state().acceptedCumulative());
  }

  @Test
  void aChainOutageDuringCloseLeavesTheChannelOpenAndRetryable() {
    open(1_000_000, 2000);
    method.chainDown = true;
    GateResult.Rejected r =
        rejected(send("POST", close(CH, 2000)), ProblemType.VERIFICATION_FAILED);
    assertNotNull(r.retryAfter());
    assertFalse(state().closed());
    method.chainDown = false;
    assertInstanceOf(GateResult.Acknowledged.class, send("POST", close(CH, 2000)));
  }

  // ---- fail closed ----

  @Test
  void aMethodThatIsNotASessionMethodFailsClosed() {
    PaymentMethod plain =
        new PaymentMethod() {
          @Override
          public String name() {
            return "plain";
          }

          @Override
          public Set<Intent> intents() {
            return Set.of(Intent.SESSION);
          }

          @Override
          public PaymentRequest createRequest(Intent intent, PaymentRequirement requirement) {
            return PaymentRequest.builder().amount("1000").put("unitType", "request").build();
          }

          @Override
          public Verification verify(VerificationContext context) {
            throw new AssertionError("never called");
          }
        };
    gate =
        PaymentGate.builder()
            .realm("api.example.com")
            .secret(ChallengeSecret.of(SECRET))
            .clock(clock)
            .store(store)
            .method(plain)
            .intentHandler(Intent.SESSION, new SessionHandler())
            .build();
    challenge = challenge();
    GateResult.Rejected r =
        rejected(send("GET", voucher(CH, 1000)), ProblemType.VERIFICATION_FAILED);
    assertEquals(402, r.status());
    assertEquals(ReasonCode.INTERNAL_ERROR, r.problem().reason());
  }

  @Test
  void theBuilderRegistersTheSessionHandlerOnlyWhenNoneWasGiven() {
    List<String> seen = new ArrayList<>();
    IntentHandler custom =
        context -> {
          seen.add(context.route());
          return new io.mpp4j.server.IntentOutcome.Refuse(
              Verification.rejected(
                  ProblemType.VERIFICATION_FAILED, ReasonCode.INTERNAL_ERROR, "x"));
        };
    gate =
        PaymentGate.builder()
            .realm("api.example.com")
            .secret(ChallengeSecret.of(SECRET))
            .clock(clock)
            .store(store)
            .method(method)
            .intentHandler(Intent.SESSION, custom)
            .build();
    challenge = challenge();
    send("POST", openPayload(CH, 1_000_000, 5000));
    assertEquals(1, seen.size());
    assertEquals(0, method.opens.get());
  }

  @Test
  void aStoreOutageFailsClosedWithRetryAfterAndServesNothing() {
    open(1_000_000, 5000);
    FlakyStore flaky = new FlakyStore(store);
    gate =
        PaymentGate.builder()
            .realm("api.example.com")
            .secret(ChallengeSecret.of(SECRET))
            .clock(clock)
            .store(flaky)
            .method(method)
            .build();
    challenge = challenge();
    flaky.down = true;
    GateResult.Rejected r =
        rejected(send("GET", voucher(CH, 5000)), ProblemType.VERIFICATION_FAILED);
    assertEquals(ReasonCode.STORE_UNAVAILABLE, r.problem().reason());
    assertNotNull(r.retryAfter());
    flaky.down = false;
    assertEquals(BigInteger.ZERO, state().spent());
  }

  // ---- concurrency and restart ----

  @Test
  void twentyConcurrentRequestsOnAChannelCoveringFiveServeExactlyFive() throws Exception {
    open(1_000_000, 5000);
    String header = Credential.of(challenge, voucher(CH, 5000), null).toHeaderValue();
    ExecutorService pool = Executors.newFixedThreadPool(20);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<GateResult>> results = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        results.add(
            pool.submit(
                () -> {
                  go.await();
                  return sendHeader("GET", header, null);
                }));
      }
      go.countDown();
      int paid = 0;
      int insufficient = 0;
      for (Future<GateResult> f : results) {
        GateResult r = f.get(30, TimeUnit.SECONDS);
        if (r instanceof GateResult.Paid) {
          paid++;
        } else if (r instanceof GateResult.Rejected rej
            && rej.problem().type() == ProblemType.SESSION_INSUFFICIENT_BALANCE) {
          insufficient++;
        }
      }
      assertEquals(5, paid);
      assertEquals(15, insufficient);
      assertEquals(BigInteger.valueOf(5000), state().spent());
      assertEquals(5, state().units());
    } finally {
      pool.shutdownNow();
      assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void aRestartOverTheSameStoreLosesNoAcceptedVoucherAndServesNothingTwice() {
    open(1_000_000, 3000);
    assertInstanceOf(GateResult.Paid.class, send("GET", voucher(CH, 3000)));
    assertInstanceOf(GateResult.Acknowledged.class, send("POST", voucher(CH, 4000)));
    // a new gate, handler and ledger over the same store: the "restarted" server
    gate = gate(SessionOptions.defaults());
    challenge = challenge();
    int verifies = method.verifies.get();
    for (int i = 0; i < 3; i++) {
      assertInstanceOf(GateResult.Paid.class, send("GET", voucher(CH, 4000)));
    }
    rejected(send("GET", voucher(CH, 4000)), ProblemType.SESSION_INSUFFICIENT_BALANCE);
    assertEquals(verifies, method.verifies.get());
    assertEquals(BigInteger.valueOf(4000), new SessionLedger(store).read(CH).acceptedCumulative());
    assertEquals(1, method.opens.get());
  }

  // ---- metering after the response ----

  @Test
  void reportedUnitsAreChargedAfterTheResponse() throws Exception {
    open(1_000_000, 10_000);
    GateResult.Paid paid =
        assertInstanceOf(GateResult.Paid.class, send("GET", voucher(CH, 10_000)));
    paid.settlement().complete(new Delivery(true, 200, 4));
    assertEquals(BigInteger.valueOf(4000), state().spent());
    assertEquals(4, state().units());
    assertEquals("4000", paid.stream().currentReceipt().extra().get("spent"));
    paid.settlement().complete(new Delivery(true, 200, 9)); // completes once
    assertEquals(BigInteger.valueOf(4000), state().spent());
  }

  @Test
  void aFailedResponseGivesItsUnitBack() throws Exception {
    open(1_000_000, 10_000);
    GateResult.Paid paid =
        assertInstanceOf(GateResult.Paid.class, send("GET", voucher(CH, 10_000)));
    paid.settlement().complete(Delivery.failure(500));
    assertEquals(BigInteger.ZERO, state().spent());
    assertEquals(0, state().units());
  }

  @Test
  void aShortfallBecomesDebtThatTheNextRequestPaysFirst() throws Exception {
    open(1_000_000, 2000);
    GateResult.Paid paid = assertInstanceOf(GateResult.Paid.class, send("GET", voucher(CH, 2000)));
    paid.settlement().complete(new Delivery(true, 200, 5)); // 5000 consumed, 2000 covered
    assertEquals(BigInteger.valueOf(2000), state().spent());
    assertEquals(BigInteger.valueOf(3000), state().debt());
    // the old voucher serves nothing more: the next unit needs 1000 + 3000 of debt
    GateResult.Rejected r =
        rejected(send("GET", voucher(CH, 2000)), ProblemType.SESSION_INSUFFICIENT_BALANCE);
    assertEquals("4000", r.problem().toJsonMap().get("requiredTopUp"));
    assertEquals("6000", r.problem().toJsonMap().get("requiredCumulative"));
    assertInstanceOf(GateResult.Paid.class, send("GET", voucher(CH, 6000)));
    assertEquals(BigInteger.valueOf(6000), state().spent());
    assertEquals(BigInteger.ZERO, state().debt());
    // a close must cover the debt as well
    paid = assertInstanceOf(GateResult.Paid.class, send("GET", voucher(CH, 7000)));
    paid.settlement().complete(new Delivery(true, 200, 2));
    assertEquals(BigInteger.valueOf(1000), state().debt());
    rejected(send("POST", close(CH, 7000)), ProblemType.VERIFICATION_FAILED);
    assertInstanceOf(GateResult.Acknowledged.class, send("POST", close(CH, 8000)));
    assertEquals(BigInteger.valueOf(8000), method.captured.get(CH));
  }

  // ---- streams ----

  @Test
  void aStreamChargesPerEventAsksForAVoucherAndResumesWhenOneArrives() throws Exception {
    open(1_000_000, 2000);
    GateResult.Paid paid = assertInstanceOf(GateResult.Paid.class, send("GET", voucher(CH, 2000)));
    PaymentStream stream = paid.stream();
    assertNull(stream.nextUnit()); // the opening request's unit
    assertNull(stream.nextUnit()); // charged
    assertEquals(BigInteger.valueOf(2000), state().spent());
    PaymentStream.PaymentPrompt prompt = stream.nextUnit();
    assertNotNull(prompt);
    assertEquals("payment-need-voucher", prompt.event());
    Map<String, Object> data =
        Json.parseObject(prompt.data().getBytes(StandardCharsets.UTF_8), "x");
    assertEquals(
        Map.of(
            "channelId", CH,
            "requiredCumulative", "3000",
            "acceptedCumulative", "2000",
            "deposit", "1000000"),
        data);
    Challenge c = challenge;
    ExecutorService other = Executors.newSingleThreadExecutor();
    try {
      Future<GateResult> voucher =
          other.submit(
              () -> {
                Thread.sleep(100);
                return sendHeader(
                    "POST", Credential.of(c, voucher(CH, 4000), null).toHeaderValue(), null);
              });
      assertTrue(stream.awaitPayment(Duration.ofSeconds(10)));
      assertInstanceOf(GateResult.Acknowledged.class, voucher.get(10, TimeUnit.SECONDS));
    } finally {
      other.shutdownNow();
    }
    assertEquals(BigInteger.valueOf(3000), state().spent());
    assertNull(stream.nextUnit());
    assertNotNull(stream.nextUnit());
    // The adapter reports the events it wrote: all four.
    paid.settlement().complete(new Delivery(true, 200, 4));
    assertEquals(BigInteger.valueOf(4000), state().spent());
    assertEquals(4, state().units());
    Receipt last = stream.currentReceipt();
    assertEquals("4000", last.extra().get("spent"));
    assertEquals(4L, ((Number) last.extra().get("units")).longValue());
  }

  @Test
  void aStreamEventCountedButNotWrittenIsGivenBack() throws Exception {
    open(1_000_000, 5000);
    GateResult.Paid paid = assertInstanceOf(GateResult.Paid.class, send("GET", voucher(CH, 5000)));
    PaymentStream stream = paid.stream();
    assertNull(stream.nextUnit()); // the opening request's unit
    assertNull(stream.nextUnit());
    assertNull(stream.nextUnit()); // counted, but the client went away while it was written
    assertEquals(BigInteger.valueOf(3000), state().spent());
    paid.settlement().complete(new Delivery(true, 200, 2));
    assertEquals(BigInteger.valueOf(2000), state().spent());
  }

  @Test
  void aStreamWaitsBoundedAndGivesBackAnUnusedOpeningUnit() throws Exception {
    open(1_000_000, 1000);
    GateResult.Paid paid = assertInstanceOf(GateResult.Paid.class, send("GET", voucher(CH, 1000)));
    PaymentStream stream = paid.stream();
    assertNull(stream.nextUnit());
    assertNotNull(stream.nextUnit());
    long start = System.nanoTime();
    assertFalse(stream.awaitPayment(Duration.ofMillis(150)));
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
    paid.settlement().complete(new Delivery(true, 200, 1));
    assertEquals(BigInteger.valueOf(1000), state().spent());

    // a stream that sends nothing gives its opening unit back
    assertInstanceOf(GateResult.Acknowledged.class, send("POST", voucher(CH, 2000)));
    GateResult.Paid unused =
        assertInstanceOf(GateResult.Paid.class, send("GET", voucher(CH, 2000)));
    assertEquals(BigInteger.valueOf(2000), state().spent());
    unused.settlement().complete(new Delivery(true, 200, 0));
    assertEquals(BigInteger.valueOf(1000), state().spent());
  }

  @Test
  void aStreamEndsWhenTheChannelIsClosedMeanwhile() throws Exception {
    open(1_000_000, 5000);
    GateResult.Paid paid = assertInstanceOf(GateResult.Paid.class, send("GET", voucher(CH, 5000)));
    PaymentStream stream = paid.stream();
    assertNull(stream.nextUnit());
    ledger.requestClose(CH, Instant.parse("2026-12-08T01:00:00Z"));
    assertThrows(PaymentMethodException.class, stream::nextUnit);
  }
}
