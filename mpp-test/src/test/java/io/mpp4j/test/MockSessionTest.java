package io.mpp4j.test;

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
import io.mpp4j.core.RequestView;
import io.mpp4j.core.SessionTerms;
import io.mpp4j.core.binding.ChallengeSecret;
import io.mpp4j.core.problem.ProblemType;
import io.mpp4j.server.GateResult;
import io.mpp4j.server.IntentHandler;
import io.mpp4j.server.PaymentGate;
import io.mpp4j.server.session.ChannelState;
import io.mpp4j.server.session.LedgerResult;
import io.mpp4j.server.session.OnChainChannel;
import io.mpp4j.server.session.SessionAction;
import io.mpp4j.server.session.SessionLedger;
import io.mpp4j.server.session.SessionMethod;
import io.mpp4j.spi.MethodSettings;
import io.mpp4j.spi.PaymentMethodException;
import io.mpp4j.spi.PaymentMethodProvider;
import io.mpp4j.spi.Verification;
import io.mpp4j.spi.VerificationContext;
import io.mpp4j.store.InMemoryStateStore;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The mock's session intent with {@link MockSessionClient}: what it offers, what it accepts, what
 * it refuses (as Tempo would) and what settle and close record. The session handler of mpp-core is
 * stood in for by direct calls of the {@link SessionMethod} steps and a {@link SessionLedger}.
 */
class MockSessionTest {
  private static final BigInteger PRICE = BigInteger.valueOf(1000); // 0.001 at 6 decimals
  private static final BigInteger DEPOSIT = BigInteger.valueOf(1_000_000); // 1.00

  private final MockPaymentMethod mock = MockPaymentMethod.create("usd", 6, "mock-merchant");
  private final InMemoryStateStore store = InMemoryStateStore.ofDefaults();
  private final SessionLedger ledger = new SessionLedger(store);
  private final PaymentGate gate =
      PaymentGate.builder()
          .realm("test.example")
          .secret(ChallengeSecret.of("mock-test-secret-0123456789abcdef01"))
          .method(mock)
          .build();
  private final PaymentRequirement metered =
      PaymentRequirement.builder()
          .intent(Intent.SESSION)
          .amount("0.001")
          .session(new SessionTerms("request", new BigDecimal("1.00"), null))
          .build();
  private final RequestView view = RequestView.builder().method("GET").path("/api/metered").build();
  private final MockSessionClient payer = MockSessionClient.create();
  private ExecutorService pool;

  @AfterEach
  void stopPool() throws InterruptedException {
    if (pool != null) {
      pool.shutdownNow();
      assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }
  }

  private Challenge challenge() {
    return gate.issueChallenges(metered, view).get(0);
  }

  private VerificationContext context(String authorization) throws Exception {
    Credential credential = Credential.parse(authorization);
    return VerificationContext.of(
        credential,
        mock.createRequest(Intent.SESSION, metered),
        metered,
        view,
        store,
        Clock.systemUTC(),
        Instant.now().plusSeconds(300));
  }

  private SessionAction parsed(String authorization) throws Exception {
    SessionMethod.ParsedAction p = mock.parse(context(authorization));
    assertNull(p.refusal(), () -> "refused: " + p.refusal());
    return p.action();
  }

  private Verification.Rejected parseRefusal(String authorization) throws Exception {
    SessionMethod.ParsedAction p = mock.parse(context(authorization));
    assertNull(p.action());
    assertFalse(p.refusal().mayHavePaid());
    return p.refusal();
  }

  /** Opens the channel as the session handler would: parse, open, store in the ledger. */
  private ChannelState open(MockSessionClient.Channel channel) throws Exception {
    String authorization = channel.openCredential();
    SessionAction.Open open = assertInstanceOf(SessionAction.Open.class, parsed(authorization));
    SessionMethod.OpenResult result = mock.open(open, context(authorization));
    assertNull(result.refusal(), () -> "refused: " + result.refusal());
    assertInstanceOf(LedgerResult.Updated.class, ledger.open(result.channel()));
    return result.channel();
  }

  private Verification.@org.jspecify.annotations.Nullable Rejected checkVoucher(
      String authorization) throws Exception {
    SessionAction.Voucher v = assertInstanceOf(SessionAction.Voucher.class, parsed(authorization));
    ChannelState stored = ledger.read(v.channelId());
    return mock.verifyVoucher(stored, v.cumulativeAmount(), v.signature(), context(authorization));
  }

  @Test
  void offersASessionRequestInBaseUnits() {
    PaymentRequest r = challenge().request();
    assertEquals("1000", r.amount());
    assertEquals("request", r.get("unitType"));
    assertEquals("1000000", r.get("suggestedDeposit"));
    assertEquals(MockPaymentMethod.address("mock-merchant"), r.recipient());
    assertEquals(MockPaymentMethod.address("usd"), r.currency());
    assertEquals(MockPaymentMethod.ESCROW, r.methodDetails().get("escrowContract"));
    assertEquals(MockPaymentMethod.SESSION_PROTOCOL, r.methodDetails().get("sessionProtocol"));
    assertEquals(
        String.valueOf(MockPaymentMethod.CHAIN_ID),
        String.valueOf(r.methodDetails().get("chainId")));
  }

  @Test
  void offersTheMinimumVoucherDeltaInBaseUnitsAndRefusesPricesBelowABaseUnit() {
    PaymentRequirement withDelta =
        metered.toBuilder()
            .session(new SessionTerms("event", null, new BigDecimal("0.005")))
            .build();
    PaymentRequest r = mock.createRequest(Intent.SESSION, withDelta);
    assertEquals("5000", r.methodDetails().get("minVoucherDelta"));
    assertEquals("event", r.get("unitType"));
    assertNull(r.get("suggestedDeposit"));
    PaymentRequirement tooFine = metered.toBuilder().amount("0.0000001").build();
    assertThrows(IllegalArgumentException.class, () -> mock.createRequest(Intent.SESSION, tooFine));
  }

  @Test
  void opensWithoutAChainAndAcceptsTheClientsVouchers() throws Exception {
    MockSessionClient.Channel channel = payer.open(challenge());
    assertEquals(DEPOSIT, channel.deposit());
    ChannelState state = open(channel);
    assertEquals(channel.channelId(), state.channelId());
    assertEquals(DEPOSIT, state.deposit());
    assertEquals(PRICE, state.acceptedCumulative());
    assertEquals(BigInteger.ZERO, state.spent());
    assertEquals(
        new OnChainChannel(DEPOSIT, BigInteger.ZERO, null),
        mock.onChain(channel.channelId()).orElseThrow());
    assertNull(checkVoucher(channel.voucher(PRICE.multiply(BigInteger.TWO))));
    // Another challenge (a fresh one, or another route's) pays on the same channel.
    assertNull(checkVoucher(channel.on(challenge()).voucher(PRICE.multiply(BigInteger.TEN))));
  }

  @Test
  void refusesForgedVouchersAndVouchersOfAnotherChannel() throws Exception {
    MockSessionClient.Channel channel = payer.open(challenge());
    open(channel);
    Verification.Rejected forged = checkVoucher(channel.forgedVoucher(PRICE.add(PRICE)));
    assertNotNull(forged);
    assertEquals(ProblemType.SESSION_INVALID_SIGNATURE, forged.type());
    assertFalse(forged.mayHavePaid());

    // A valid signature of another channel, replayed on this one.
    MockSessionClient.Channel other = payer.open(challenge());
    byte[] foreign = other.signature(PRICE.add(PRICE));
    ChannelState stored = ledger.read(channel.channelId());
    String authorization = channel.voucher(PRICE.add(PRICE));
    assertEquals(
        ProblemType.SESSION_INVALID_SIGNATURE,
        mock.verifyVoucher(stored, PRICE.add(PRICE), foreign, context(authorization)).type());
    // The right signature for another amount.
    assertEquals(
        ProblemType.SESSION_INVALID_SIGNATURE,
        mock.verifyVoucher(
                stored,
                PRICE.add(PRICE).add(BigInteger.ONE),
                channel.signature(PRICE.add(PRICE)),
                context(authorization))
            .type());

    // A client with another secret than the mock's: every voucher is forged to it.
    MockSessionClient stranger = MockSessionClient.withSecret("some-other-secret-0123456789");
    MockSessionClient.Channel theirs = stranger.open(challenge());
    String theirOpen = theirs.openCredential();
    SessionMethod.OpenResult refused =
        mock.open(
            assertInstanceOf(SessionAction.Open.class, parsed(theirOpen)), context(theirOpen));
    assertNull(refused.channel());
    assertTrue(mock.onChain(theirs.channelId()).isEmpty());
  }

  @Test
  void refusesAVoucherWhoseSourceIsNotTheChannelsPayer() throws Exception {
    MockSessionClient.Channel channel = payer.open(challenge());
    ChannelState state = open(channel);
    Credential real = Credential.parse(channel.voucher(PRICE.add(PRICE)));
    Credential spoofed =
        Credential.of(
            real.challenge(),
            real.payload(),
            "did:pkh:eip155:" + MockPaymentMethod.CHAIN_ID + ":0x" + "11".repeat(20));
    Verification.Rejected r =
        mock.verifyVoucher(
            state,
            PRICE.add(PRICE),
            channel.signature(PRICE.add(PRICE)),
            context(spoofed.toHeaderValue()));
    assertEquals(ProblemType.VERIFICATION_FAILED, r.type());
    assertEquals("credential source does not match channel", r.detail());
  }

  @Test
  void refusesADescriptorNamingAnotherPayeeOrAnotherChannel() throws Exception {
    MockSessionClient.Channel channel = payer.open(challenge());
    Credential real = Credential.parse(channel.voucher(PRICE));

    Map<String, Object> otherPayee = new LinkedHashMap<>(real.payload());
    @SuppressWarnings("unchecked")
    Map<String, Object> descriptor =
        new LinkedHashMap<>((Map<String, Object>) real.payload().get("descriptor"));
    descriptor.put("payee", MockPaymentMethod.address("someone-else"));
    otherPayee.put("descriptor", descriptor);
    // The channel id no longer matches the descriptor...
    assertEquals(
        "the channelId does not match the descriptor",
        parseRefusal(rewrite(real, otherPayee)).detail());
    // ...and with a consistent id, the payee is still not this server.
    otherPayee.put("channelId", channelIdOf(descriptor));
    assertEquals(
        "the channel's payee is not this server's recipient",
        parseRefusal(rewrite(real, otherPayee)).detail());

    Map<String, Object> otherId = new LinkedHashMap<>(real.payload());
    otherId.put("channelId", "0x" + "ab".repeat(32));
    assertEquals(ProblemType.VERIFICATION_FAILED, parseRefusal(rewrite(real, otherId)).type());
  }

  @Test
  void refusesMalformedPayloads() throws Exception {
    MockSessionClient.Channel channel = payer.open(challenge());
    Credential real = Credential.parse(channel.voucher(PRICE));
    List<Map<String, Object>> bad = new ArrayList<>();
    for (Object[] change :
        new Object[][] {
          {"action", "steal"},
          {"action", null},
          {"channelId", "0x12"},
          {"cumulativeAmount", "-1"},
          {"cumulativeAmount", "01"},
          {"cumulativeAmount", BigInteger.ONE.shiftLeft(96).toString()},
          {"cumulativeAmount", 1000},
          {"signature", "0x" + "00".repeat(64)},
          {"signature", "0x" + "zz".repeat(65)},
          {"descriptor", "x"},
        }) {
      Map<String, Object> p = new LinkedHashMap<>(real.payload());
      if (change[1] == null) {
        p.remove((String) change[0]);
      } else {
        p.put((String) change[0], change[1]);
      }
      bad.add(p);
    }
    for (Map<String, Object> p : bad) {
      assertEquals(
          ProblemType.MALFORMED_CREDENTIAL, parseRefusal(rewrite(real, p)).type(), p.toString());
    }
    Map<String, Object> openWithoutTx =
        new LinkedHashMap<>(Credential.parse(channel.openCredential()).payload());
    openWithoutTx.put("transaction", "0x01");
    assertEquals(
        ProblemType.MALFORMED_CREDENTIAL, parseRefusal(rewrite(real, openWithoutTx)).type());
  }

  @Test
  void refusesOpensTheChainWouldRefuse() throws Exception {
    Challenge c = challenge();
    // A deposit above the mock's maximum.
    mock.maxDeposit(new BigDecimal("5"));
    assertOpenRefused(payer.open(c, BigInteger.valueOf(5_000_001)).openCredential(), "deposit");
    // A deposit below the price.
    assertOpenRefused(payer.open(c, PRICE.subtract(BigInteger.ONE)).openCredential(), "deposit");
    // An initial voucher below the price (SPEC 11.3: at least the request's amount).
    assertOpenRefused(
        payer.open(c).openCredential(PRICE.subtract(BigInteger.ONE)), "initial voucher");
    // An initial voucher above the deposit.
    String above = payer.open(c, DEPOSIT).openCredential(DEPOSIT.add(BigInteger.ONE));
    SessionMethod.OpenResult r =
        mock.open(assertInstanceOf(SessionAction.Open.class, parsed(above)), context(above));
    assertEquals(ProblemType.SESSION_AMOUNT_EXCEEDS_DEPOSIT, r.refusal().type());
  }

  private void assertOpenRefused(String authorization, String detailPart) throws Exception {
    SessionMethod.OpenResult r =
        mock.open(
            assertInstanceOf(SessionAction.Open.class, parsed(authorization)),
            context(authorization));
    assertNull(r.channel());
    assertTrue(r.refusal().detail().contains(detailPart), r.refusal().detail());
    assertFalse(r.refusal().mayHavePaid());
  }

  @Test
  void anOpenTransactionThatDoesNotMatchItsDescriptorIsRefused() throws Exception {
    MockSessionClient.Channel channel = payer.open(challenge());
    Credential real = Credential.parse(channel.openCredential());
    Map<String, Object> p = new LinkedHashMap<>(real.payload());
    byte[] tx = HexFormat.of().parseHex(((String) p.get("transaction")).substring(2));
    tx[MockSessionCodec.OPEN_BODY - 1] ^= 1; // another deposit, same MAC
    p.put("transaction", "0x" + HexFormat.of().formatHex(tx));
    String tampered = rewrite(real, p);
    SessionMethod.OpenResult r =
        mock.open(assertInstanceOf(SessionAction.Open.class, parsed(tampered)), context(tampered));
    assertEquals(ProblemType.VERIFICATION_FAILED, r.refusal().type());
    assertTrue(mock.onChain(channel.channelId()).isEmpty());
  }

  @Test
  void theSameOpenTwiceIsOneChannelAndAnotherOpenOfItIsRefused() throws Exception {
    MockSessionClient.Channel channel = payer.open(challenge());
    open(channel);
    String again = channel.openCredential();
    SessionMethod.OpenResult retry =
        mock.open(assertInstanceOf(SessionAction.Open.class, parsed(again)), context(again));
    assertEquals(DEPOSIT, retry.channel().deposit());
    assertEquals(DEPOSIT, mock.onChain(channel.channelId()).orElseThrow().deposit());
  }

  @Test
  void topUpsAddOnceAndOnlyToTheirOwnChannel() throws Exception {
    MockSessionClient.Channel channel = payer.open(challenge());
    ChannelState state = open(channel);
    String topUp = channel.topUp(BigInteger.valueOf(500_000));
    SessionAction.TopUp action = assertInstanceOf(SessionAction.TopUp.class, parsed(topUp));
    SessionMethod.ChainResult first = mock.topUp(action, state, context(topUp));
    assertEquals(BigInteger.valueOf(1_500_000), first.channel().deposit());
    // The same transaction again (a client retry) is included once.
    SessionMethod.ChainResult second = mock.topUp(action, state, context(topUp));
    assertEquals(BigInteger.valueOf(1_500_000), second.channel().deposit());
    assertInstanceOf(
        LedgerResult.Updated.class,
        ledger.recordDeposit(channel.channelId(), first.channel().deposit()));

    // Another channel's top-up transaction, presented for this one.
    MockSessionClient.Channel other = payer.open(challenge());
    open(other);
    String foreign = other.topUp(BigInteger.valueOf(1));
    SessionAction.TopUp foreignAction =
        assertInstanceOf(SessionAction.TopUp.class, parsed(foreign));
    SessionAction.TopUp misdirected =
        new SessionAction.TopUp(
            channel.channelId(), foreignAction.transaction(), foreignAction.additionalDeposit());
    assertNotNull(mock.topUp(misdirected, state, context(foreign)).refusal());
    // A top-up claiming more than its transaction adds.
    SessionAction.TopUp inflated =
        new SessionAction.TopUp(
            channel.channelId(), action.transaction(), BigInteger.valueOf(900_000));
    assertNotNull(mock.topUp(inflated, state, context(topUp)).refusal());
    // Past the maximum deposit.
    mock.maxDeposit(new BigDecimal("1.6"));
    String big = channel.topUp(BigInteger.valueOf(200_000));
    assertNotNull(
        mock.topUp(assertInstanceOf(SessionAction.TopUp.class, parsed(big)), state, context(big))
            .refusal());
    assertEquals(
        BigInteger.valueOf(1_500_000), mock.onChain(channel.channelId()).orElseThrow().deposit());
  }

  @Test
  void settleAndCloseRecordWhatTheyCaptureAndCloseNeverTakesMoreThanSpent() throws Exception {
    MockSessionClient.Channel channel = payer.open(challenge());
    open(channel);
    String id = channel.channelId();
    // Five paid requests as the handler meters them, vouchers covering them one by one.
    for (int i = 1; i <= 5; i++) {
      BigInteger cumulative = PRICE.multiply(BigInteger.valueOf(i));
      if (i > 1) {
        String v = channel.voucher(cumulative);
        assertNull(checkVoucher(v));
        ledger.acceptVoucher(id, cumulative, channel.signature(cumulative));
      }
      assertInstanceOf(LedgerResult.Updated.class, ledger.charge(id, PRICE));
    }
    // The payer signs ahead: a voucher for ten requests, of which five were served.
    BigInteger ahead = PRICE.multiply(BigInteger.TEN);
    ledger.acceptVoucher(id, ahead, channel.signature(ahead));

    String settleHash = mock.settle(ledger.read(id));
    MockSettlement settled = mock.takeSettlement(Duration.ofSeconds(1));
    assertEquals(
        new MockSettlement(
            id, MockSettlement.Kind.SETTLE, ahead, ahead, ahead, BigInteger.ZERO, settleHash),
        settled);
    ledger.markSettled(id, ahead);
    // Nothing new to settle: the chain refuses, as the precompile would.
    assertThrows(PaymentMethodException.class, () -> mock.settle(ledger.read(id)));

    // A close captures max(spent, settled) = settled here, refunds the rest, and the channel goes.
    ChannelState before = ledger.read(id);
    BigInteger capture = before.spent().max(before.settledOnChain());
    String closeHash = mock.close(before, capture);
    MockSettlement closed = mock.takeSettlement(Duration.ofSeconds(1));
    assertEquals(MockSettlement.Kind.CLOSE, closed.kind());
    assertEquals(closeHash, closed.txHash());
    assertEquals(ahead, closed.totalSettled());
    assertEquals(BigInteger.ZERO, closed.paid());
    assertEquals(DEPOSIT.subtract(ahead), closed.refunded());
    assertTrue(mock.read(before).isEmpty());
    assertEquals(List.of(settled, closed), mock.settlements());
    assertNull(mock.takeSettlement(Duration.ZERO));
  }

  @Test
  void closeCapturesExactlyWhatWasSpentWhenNothingWasSettled() throws Exception {
    MockSessionClient.Channel channel = payer.open(challenge());
    open(channel);
    String id = channel.channelId();
    BigInteger ahead = PRICE.multiply(BigInteger.valueOf(7));
    ledger.acceptVoucher(id, ahead, channel.signature(ahead));
    for (int i = 0; i < 3; i++) {
      ledger.charge(id, PRICE);
    }
    ChannelState state = ledger.read(id);
    mock.close(state, state.spent());
    MockSettlement closed = mock.takeSettlement(Duration.ofSeconds(1));
    assertEquals(PRICE.multiply(BigInteger.valueOf(3)), closed.paid());
    assertEquals(DEPOSIT.subtract(closed.paid()), closed.refunded());
    // A capture above the voucher is refused by the chain.
    MockSessionClient.Channel second = payer.open(challenge());
    ChannelState s2 = open(second);
    assertThrows(
        PaymentMethodException.class, () -> mock.close(s2, s2.acceptedCumulative().add(PRICE)));
    assertTrue(mock.onChain(second.channelId()).isPresent());
  }

  @Test
  void concurrentSettlesOfOneVoucherSettleOnce() throws Exception {
    MockSessionClient.Channel channel = payer.open(challenge());
    open(channel);
    ChannelState state = ledger.read(channel.channelId());
    pool = Executors.newFixedThreadPool(8);
    List<Callable<Boolean>> tasks = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      tasks.add(
          () -> {
            try {
              mock.settle(state);
              return true;
            } catch (PaymentMethodException e) {
              return false;
            }
          });
    }
    int succeeded = 0;
    for (Future<Boolean> f : pool.invokeAll(tasks)) {
      succeeded += f.get() ? 1 : 0;
    }
    assertEquals(1, succeeded);
    assertEquals(1, mock.settlements().size());
    assertEquals(PRICE, mock.onChain(channel.channelId()).orElseThrow().settled());
  }

  @Test
  void simulatesCloseRequestsVanishedChannelsAndOutages() throws Exception {
    MockSessionClient.Channel channel = payer.open(challenge());
    ChannelState state = open(channel);
    Instant at = Instant.parse("2026-12-08T01:00:00.700Z");
    assertTrue(mock.requestClose(channel.channelId(), at));
    assertEquals(
        Instant.parse("2026-12-08T01:00:00Z"), mock.read(state).orElseThrow().closeRequestedAt());
    String topUp = channel.topUp(PRICE);
    assertNotNull(
        mock.topUp(
                assertInstanceOf(SessionAction.TopUp.class, parsed(topUp)), state, context(topUp))
            .refusal());
    assertTrue(mock.removeFromChain(channel.channelId()));
    assertTrue(mock.read(state).isEmpty());
    assertThrows(PaymentMethodException.class, () -> mock.settle(state));

    mock.mode(MockPaymentMethod.Mode.FAIL);
    assertThrows(PaymentMethodException.class, () -> mock.read(state));
    String open = payer.open(challenge()).openCredential();
    SessionAction.Open action = assertInstanceOf(SessionAction.Open.class, parsed(open));
    assertThrows(PaymentMethodException.class, () -> mock.open(action, context(open)));
    mock.mode(MockPaymentMethod.Mode.DECLINE);
    assertEquals(
        ProblemType.VERIFICATION_FAILED, mock.open(action, context(open)).refusal().type());
  }

  @Test
  void aSessionCredentialThatReachesVerifyIsRefused() throws Exception {
    // Without a session handler (here: the charge handler forced on the session intent), the gate
    // hands session credentials to verify: fail closed.
    PaymentGate chargeOnly =
        PaymentGate.builder()
            .realm("test.example")
            .secret(ChallengeSecret.of("mock-test-secret-0123456789abcdef01"))
            .method(mock)
            .intentHandler(Intent.SESSION, IntentHandler.CHARGE)
            .build();
    String open = payer.open(challenge()).openCredential();
    GateResult result =
        chargeOnly.evaluate(
            metered,
            RequestView.builder()
                .method("GET")
                .path("/api/metered")
                .header("Authorization", open)
                .build());
    assertFalse(result instanceof GateResult.Paid, result.toString());
  }

  @Test
  void theProviderConfiguresTheSessionSecretAndTheMaximumDeposit() throws Exception {
    PaymentMethodProvider provider = new MockPaymentMethodProvider();
    MockPaymentMethod configured =
        (MockPaymentMethod)
            provider.create(
                MethodSettings.of(
                    "mock",
                    Map.of(
                        "decimals", "6",
                        "sessionSecret", "a-configured-session-secret",
                        "maxDeposit", "2"),
                    k -> null));
    assertEquals(BigInteger.valueOf(2_000_000), configured.maxDepositBaseUnits());
    assertThrows(
        RuntimeException.class,
        () ->
            provider.create(
                MethodSettings.of("mock", Map.of("sessionSecret", "short"), k -> null)));
    assertThrows(
        RuntimeException.class,
        () -> provider.create(MethodSettings.of("mock", Map.of("maxDeposit", "0"), k -> null)));
    Challenge c = challenge();
    MockSessionClient.Channel channel =
        MockSessionClient.withSecret("a-configured-session-secret").open(c);
    String open = channel.openCredential();
    Credential credential = Credential.parse(open);
    VerificationContext context =
        VerificationContext.of(
            credential,
            configured.createRequest(Intent.SESSION, metered),
            metered,
            view,
            store,
            Clock.systemUTC(),
            Instant.now().plusSeconds(300));
    SessionAction.Open action =
        assertInstanceOf(SessionAction.Open.class, configured.parse(context).action());
    assertNull(configured.open(action, context).refusal());
    // The default client's vouchers are forged to this mock.
    assertNull(mock.open(action, context).channel());
  }

  private static String rewrite(Credential real, Map<String, Object> payload) {
    return Credential.of(real.challenge(), payload, real.source()).toHeaderValue();
  }

  private static String channelIdOf(Map<String, Object> d) {
    return MockSessionCodec.channelId(
        (String) d.get("payer"),
        (String) d.get("payee"),
        (String) d.get("operator"),
        (String) d.get("token"),
        (String) d.get("salt"),
        (String) d.get("authorizedSigner"),
        (String) d.get("expiringNonceHash"),
        MockPaymentMethod.ESCROW,
        MockPaymentMethod.CHAIN_ID);
  }
}
