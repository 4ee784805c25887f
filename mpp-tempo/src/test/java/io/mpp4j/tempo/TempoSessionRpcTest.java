package io.mpp4j.tempo;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToIgnoreCase;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static io.mpp4j.tempo.SessionFixture.DEPOSIT;
import static io.mpp4j.tempo.SessionFixture.PRICE;
import static io.mpp4j.tempo.rpc.RpcStandIn.RAW_TX_HASH;
import static io.mpp4j.tempo.rpc.RpcStandIn.error;
import static io.mpp4j.tempo.rpc.RpcStandIn.quote;
import static io.mpp4j.tempo.rpc.RpcStandIn.result;
import static io.mpp4j.tempo.rpc.RpcStandIn.rpc;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.mpp4j.core.problem.ProblemType;
import io.mpp4j.server.session.ChannelState;
import io.mpp4j.server.session.OnChainChannel;
import io.mpp4j.server.session.SessionAction;
import io.mpp4j.server.session.SessionMethod;
import io.mpp4j.spi.PaymentMethodException;
import io.mpp4j.tempo.internal.FeePayerField;
import io.mpp4j.tempo.internal.Hex;
import io.mpp4j.tempo.internal.TempoCall;
import io.mpp4j.tempo.internal.TempoCodec;
import io.mpp4j.tempo.internal.TempoTransaction;
import io.mpp4j.tempo.internal.Tip20Call;
import io.mpp4j.tempo.internal.session.EscrowAbi;
import io.mpp4j.tempo.rpc.RpcStandIn;
import io.mpp4j.tempo.rpc.TempoRpcException;
import io.mpp4j.tempo.rpc.Web3jTempoRpc;
import io.mpp4j.testkit.tempo.SessionKit;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The session method's chain work against a strict JSON-RPC stand-in ({@link RpcStandIn}): open,
 * top-up, reads, settle and close, and what happens when the node fails or the chain disagrees.
 */
class TempoSessionRpcTest {
  static final String SYNC = "eth_sendRawTransactionSync";
  static final String CALL = "eth_call";
  static final Address ESCROW = SessionKit.ESCROW;

  /** Longer than the fixture's synchronous broadcast wait (2 s) and call timeout (3 s). */
  static final int TIMEOUT_DELAY_MS = 3500;

  SessionFixture f = new SessionFixture();
  SessionKit.Channel ch = f.kit.open(DEPOSIT);

  @AfterEach
  void stop() {
    f.close();
  }

  /** The node mines every broadcast into a receipt with these logs (placeholders resolved). */
  void mines(boolean success, String... logs) {
    f.standIn.server.stubFor(
        rpc(SYNC)
            .willReturn(
                result(SessionKit.receipt(RAW_TX_HASH, success, f.kit.payer(), List.of(logs)))));
  }

  /** getChannel of this channel answers this state. */
  void channelReads(BigInteger deposit, BigInteger settled, long closeAt) {
    channelReads(result(quote(Hex.encode(ch.getChannelReturn(deposit, settled, closeAt)))));
  }

  void channelReads(ResponseDefinitionBuilder answer) {
    f.standIn.server.stubFor(
        rpc(CALL)
            .withRequestBody(matchingJsonPath("$.params[0].to", equalToIgnoreCase(ESCROW.toHex())))
            .withRequestBody(
                matchingJsonPath(
                    "$.params[0].data",
                    equalTo(Hex.encode(EscrowAbi.encodeGetChannel(ch.descriptor())))))
            .withRequestBody(matchingJsonPath("$.params[1]", equalTo("latest")))
            .willReturn(answer));
  }

  SessionMethod.OpenResult open(Map<String, Object> payload) throws PaymentMethodException {
    SessionMethod.ParsedAction p = f.parse(ch, payload);
    assertNull(p.refusal(), () -> p.refusal().detail());
    return f.method.open((SessionAction.Open) p.action(), f.context(ch, payload));
  }

  String openLog() {
    return ch.channelOpenedLog(0, RAW_TX_HASH, DEPOSIT);
  }

  List<JsonNode> sent(String method) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode b : f.standIn.bodies()) {
      if (method.equals(b.get("method").textValue())) {
        out.add(b);
      }
    }
    return out;
  }

  TempoTransaction sentTx() throws Exception {
    List<JsonNode> s = sent(SYNC);
    assertEquals(1, s.size());
    return TempoCodec.parse(s.get(0).get("params").get(0).textValue());
  }

  // ---- open ----

  @Test
  void openBroadcastsChecksTheReceiptAndReadsTheChannel() throws Exception {
    mines(true, openLog());
    channelReads(DEPOSIT, BigInteger.ZERO, 0);
    SessionMethod.OpenResult r = open(ch.openPayload(PRICE));
    assertNull(r.refusal(), () -> r.refusal().detail());
    ChannelState s = r.channel();
    assertEquals(ch.id(), s.channelId());
    assertEquals(DEPOSIT, s.deposit());
    assertEquals(PRICE, s.acceptedCumulative());
    assertEquals(BigInteger.ZERO, s.spent());
    assertEquals(BigInteger.ZERO, s.settledOnChain());
    assertEquals(ch.voucher(PRICE), s.voucherSignature());
    assertArrayEquals(ch.openTxBytes(), sentTx().encode());
  }

  @Test
  void aSponsoredOpenIsCoSignedWithTheFeeToken() throws Exception {
    f.close();
    f = new SessionFixture(b -> b.feePayerKey(Fixtures.FEE_PAYER));
    ch = f.kit.open(DEPOSIT, UnaryOperator.identity(), true);
    mines(true, openLog());
    channelReads(DEPOSIT, BigInteger.ZERO, 0);
    SessionMethod.OpenResult r = open(ch.openPayload(PRICE));
    assertNull(r.refusal(), () -> r.refusal().detail());
    TempoTransaction tx = sentTx();
    assertInstanceOf(FeePayerField.Signed.class, tx.feePayer());
    assertEquals(TempoNetwork.PATH_USD, tx.feeToken());
    assertEquals(f.kit.payer(), tx.recoverSender().orElseThrow());
  }

  @Test
  void aSponsoredOpenNamingTheCurrencyAsFeeTokenIsCoSignedWithTheSponsorsToken() throws Exception {
    f.close();
    f = new SessionFixture(b -> b.feePayerKey(Fixtures.FEE_PAYER));
    // What mppx's session client sends: a 0x78 handoff whose fee token is the currency (the
    // sender's signature does not cover it).
    ch = f.kit.open(DEPOSIT, UnaryOperator.identity(), true);
    TempoTransaction withToken =
        TempoCodec.parse(ch.openTxBytes()).toBuilder().feeToken(TempoKit.TOKEN).build();
    Map<String, Object> payload = ch.openPayload(PRICE);
    payload.put("transaction", Hex.encode(withToken.encode()));
    mines(true, openLog());
    channelReads(DEPOSIT, BigInteger.ZERO, 0);
    SessionMethod.OpenResult r = open(payload);
    assertNull(r.refusal(), () -> r.refusal().detail());
    assertEquals(TempoNetwork.PATH_USD, sentTx().feeToken());

    TempoTransaction foreign =
        TempoCodec.parse(ch.openTxBytes()).toBuilder()
            .feeToken(SessionKit.address("0x20c0000000000000000000000000000000000003"))
            .build();
    payload.put("transaction", Hex.encode(foreign.encode()));
    assertEquals("tempo.sponsor_policy", open(payload).refusal().reason().code());
  }

  @Test
  void aSponsoredOpenOutsideTheSponsorPolicyIsNotCoSigned() throws Exception {
    f.close();
    f = new SessionFixture(b -> b.feePayerKey(Fixtures.FEE_PAYER));
    ch = f.kit.open(DEPOSIT, b -> b.gas(3_000_000), true);
    SessionMethod.OpenResult r = open(ch.openPayload(PRICE));
    assertEquals("tempo.sponsor_policy", r.refusal().reason().code());
    ch = f.kit.open(DEPOSIT, b -> b.nonceKey(BigInteger.ZERO), true);
    r = open(ch.openPayload(PRICE));
    assertEquals("tempo.sponsor_policy", r.refusal().reason().code());
    assertEquals(0, f.standIn.requests().size());
  }

  @Test
  void aSponsoredTopUpIsCoSigned() throws Exception {
    f.close();
    f = new SessionFixture(b -> b.feePayerKey(Fixtures.FEE_PAYER));
    ch = f.kit.open(DEPOSIT);
    BigInteger added = BigInteger.valueOf(500_000);
    BigInteger after = DEPOSIT.add(added);
    mines(true, ch.topUpLog(0, RAW_TX_HASH, added, after));
    channelReads(after, BigInteger.ZERO, 0);
    Map<String, Object> payload =
        ch.topUpPayload(added, ch.topUpTx(added, UnaryOperator.identity(), true));
    SessionAction.TopUp t = (SessionAction.TopUp) f.parse(ch, payload).action();
    SessionMethod.ChainResult r = f.method.topUp(t, f.stored(ch, PRICE), f.context(ch, payload));
    assertNull(r.refusal(), () -> r.refusal().detail());
    assertInstanceOf(FeePayerField.Signed.class, sentTx().feePayer());
  }

  @Test
  void aSessionCredentialIsNotVerifiedAsACharge() throws Exception {
    assertInstanceOf(
        io.mpp4j.spi.Verification.Rejected.class,
        f.method.verify(f.context(ch, ch.voucherPayload(PRICE))));
    assertEquals(0, f.standIn.requests().size());
  }

  @Test
  void aHandoffIsRefusedWhenTheServerDoesNotSponsor() throws Exception {
    ch = f.kit.open(DEPOSIT, UnaryOperator.identity(), true);
    SessionMethod.OpenResult r = open(ch.openPayload(PRICE));
    assertEquals("tempo.fee_payer_not_offered", r.refusal().reason().code());
    assertEquals(0, f.standIn.requests().size());
  }

  /** A refusal before anything reaches the node. */
  void assertRefusedOffline(SessionMethod.OpenResult r, String reason) {
    assertNotNull(r.refusal());
    assertEquals(reason, r.refusal().reason().code(), r.refusal().detail());
    assertFalse(r.refusal().mayHavePaid());
    assertEquals(0, f.standIn.requests().size());
  }

  @Test
  void anOpenWithAForeignCallIsRefusedBeforeBroadcasting() throws Exception {
    TempoCall transfer =
        TempoCall.of(
            TempoKit.TOKEN, Tip20Call.transfer(TempoKit.RECIPIENT, BigInteger.valueOf(5)).encode());
    ch = f.kit.open(DEPOSIT, List.of(transfer), UnaryOperator.identity(), false);
    assertRefusedOffline(open(ch.openPayload(PRICE)), "tempo.session.unexpected_call");
  }

  @Test
  void anApproveOfTheEscrowOrADexSwapMayPrecedeTheOpen() throws Exception {
    TempoCall approve = TempoCall.of(TempoKit.TOKEN, EscrowAbi.encodeApprove(ESCROW, DEPOSIT));
    ch = f.kit.open(DEPOSIT, List.of(approve), UnaryOperator.identity(), false);
    mines(true, openLog());
    channelReads(DEPOSIT, BigInteger.ZERO, 0);
    assertNull(open(ch.openPayload(PRICE)).refusal());

    BigInteger maxIn = BigInteger.valueOf(1_010_000);
    List<TempoCall> swap =
        List.of(
            TempoCall.of(
                Fixtures.PATH_USD, EscrowAbi.encodeApprove(EscrowAbi.STABLECOIN_DEX, maxIn)),
            TempoCall.of(
                EscrowAbi.STABLECOIN_DEX,
                EscrowAbi.encodeSwap(
                    new EscrowAbi.SwapCall(Fixtures.PATH_USD, TempoKit.TOKEN, DEPOSIT, maxIn))));
    ch = f.kit.open(DEPOSIT, swap, UnaryOperator.identity(), false);
    mines(true, openLog());
    channelReads(DEPOSIT, BigInteger.ZERO, 0);
    SessionMethod.OpenResult r = open(ch.openPayload(PRICE));
    assertNull(r.refusal(), () -> r.refusal().detail());
  }

  @Test
  void aSwapForAnotherAmountOrAnApproveOfAnotherSpenderIsRefused() throws Exception {
    BigInteger maxIn = BigInteger.valueOf(1_010_000);
    List<TempoCall> swap =
        List.of(
            TempoCall.of(
                Fixtures.PATH_USD, EscrowAbi.encodeApprove(EscrowAbi.STABLECOIN_DEX, maxIn)),
            TempoCall.of(
                EscrowAbi.STABLECOIN_DEX,
                EscrowAbi.encodeSwap(
                    new EscrowAbi.SwapCall(
                        Fixtures.PATH_USD,
                        TempoKit.TOKEN,
                        DEPOSIT.subtract(BigInteger.ONE),
                        maxIn))));
    ch = f.kit.open(DEPOSIT, swap, UnaryOperator.identity(), false);
    assertRefusedOffline(open(ch.openPayload(PRICE)), "tempo.session.unexpected_call");
    TempoCall approveOther =
        TempoCall.of(TempoKit.TOKEN, EscrowAbi.encodeApprove(TempoKit.RECIPIENT, DEPOSIT));
    ch = f.kit.open(DEPOSIT, List.of(approveOther), UnaryOperator.identity(), false);
    assertRefusedOffline(open(ch.openPayload(PRICE)), "tempo.session.unexpected_call");
  }

  @Test
  void anOpenOnAnotherContractIsRefused() throws Exception {
    Address other = SessionKit.address("0x2222222222222222222222222222222222222222");
    ch =
        f.kit.open(
            DEPOSIT,
            b -> {
              TempoTransaction built = b.build();
              TempoCall last = built.calls().get(0);
              return b.calls(List.of(TempoCall.of(other, last.data())));
            },
            false);
    assertRefusedOffline(open(ch.openPayload(PRICE)), "tempo.session.unexpected_call");
  }

  @Test
  void aDepositOrInitialVoucherBelowThePriceIsRefused() throws Exception {
    ch = f.kit.open(PRICE.subtract(BigInteger.ONE));
    assertRefusedOffline(
        open(ch.openPayload(PRICE.subtract(BigInteger.ONE))), "tempo.session.deposit_too_low");
    ch = f.kit.open(DEPOSIT);
    assertRefusedOffline(
        open(ch.openPayload(PRICE.subtract(BigInteger.ONE))), "tempo.session.voucher_too_low");
    assertRefusedOffline(
        open(ch.openPayload(DEPOSIT.add(BigInteger.ONE))), "tempo.session.amount_exceeds_deposit");
  }

  @Test
  void anInitialVoucherByAnotherKeyIsRefused() throws Exception {
    Map<String, Object> payload = ch.openPayload(PRICE);
    payload.put("signature", ch.voucherSignedBy(PRICE, SessionKit.randomSecret()));
    SessionMethod.OpenResult r = open(payload);
    assertEquals(ProblemType.SESSION_INVALID_SIGNATURE, r.refusal().type());
    assertEquals(0, f.standIn.requests().size());
  }

  @Test
  void anOpenTransactionOfAnotherPayerIsRefused() throws Exception {
    SessionKit.Channel other =
        SessionKit.forPayer(
                SessionKit.randomSecret(), TempoKit.RECIPIENT, TempoKit.TOKEN, f.operator)
            .open(DEPOSIT);
    Map<String, Object> payload = ch.openPayload(PRICE);
    payload.put("transaction", Hex.encode(other.openTxBytes()));
    assertRefusedOffline(open(payload), "tempo.session.payer_mismatch");
  }

  @Test
  void anOpenOnAnotherChainOrExpiredIsRefused() throws Exception {
    ch = f.kit.open(DEPOSIT, b -> b.chainId(4217), false);
    assertRefusedOffline(open(ch.openPayload(PRICE)), "tempo.chain_mismatch");
    ch = f.kit.open(DEPOSIT, b -> b.validBefore(1000), false);
    assertRefusedOffline(open(ch.openPayload(PRICE)), "tempo.tx_expired");
  }

  @Test
  void anOpenTransactionAlreadyIncludedIsReadNotRefused() throws Exception {
    f.standIn.server.stubFor(
        rpc(SYNC).willReturn(error(-32000, "expiring nonce transaction already executed")));
    String hash = SessionKit.hashOf(ch.openTxBytes());
    f.standIn.server.stubFor(
        rpc("eth_getTransactionReceipt")
            .withRequestBody(matchingJsonPath("$.params[0]", equalTo(hash)))
            .willReturn(
                result(
                    SessionKit.receipt(
                        hash,
                        true,
                        f.kit.payer(),
                        List.of(ch.channelOpenedLog(0, hash, DEPOSIT))))));
    channelReads(DEPOSIT, BigInteger.ZERO, 0);
    SessionMethod.OpenResult r = open(ch.openPayload(PRICE));
    assertNull(r.refusal(), () -> r.refusal().detail());
    assertEquals(PRICE, r.channel().acceptedCumulative());
  }

  @Test
  void aReceiptWithoutChannelOpenedIsRefused() throws Exception {
    mines(true);
    channelReads(DEPOSIT, BigInteger.ZERO, 0);
    SessionMethod.OpenResult r = open(ch.openPayload(PRICE));
    assertEquals("tempo.session.open_not_confirmed", r.refusal().reason().code());
    assertEquals(0, sent(CALL).size());
  }

  @Test
  void aChannelOpenedForAnotherDepositIsRefused() throws Exception {
    mines(true, ch.channelOpenedLog(0, RAW_TX_HASH, DEPOSIT.add(BigInteger.ONE)));
    assertEquals(
        "tempo.session.open_not_confirmed", open(ch.openPayload(PRICE)).refusal().reason().code());
  }

  @Test
  void aRevertedOpenIsRefused() throws Exception {
    mines(false);
    SessionMethod.OpenResult r = open(ch.openPayload(PRICE));
    assertEquals("tempo.tx_reverted", r.refusal().reason().code());
  }

  @Test
  void aBroadcastRefusedByTheNodeIsRefusedWithNothingPaid() throws Exception {
    f.standIn.server.stubFor(
        rpc(SYNC).willReturn(error(-32003, "insufficient funds for gas * price + value")));
    SessionMethod.OpenResult r = open(ch.openPayload(PRICE));
    assertEquals("tempo.insufficient_funds", r.refusal().reason().code());
    assertFalse(r.refusal().mayHavePaid());
    assertFalse(r.refusal().detail().contains("gas * price"));
  }

  @Test
  void aBroadcastTimeoutDuringOpenIsAnOutage() {
    f.standIn.server.stubFor(rpc(SYNC).willReturn(result("null").withFixedDelay(TIMEOUT_DELAY_MS)));
    PaymentMethodException e =
        assertThrows(PaymentMethodException.class, () -> open(ch.openPayload(PRICE)));
    assertTrue(e.reason().code().startsWith("tempo."), e.reason().code());
  }

  @Test
  void theChainSayingTheChannelIsGoneAfterTheOpenIsRefused() throws Exception {
    mines(true, openLog());
    channelReads(BigInteger.ZERO, BigInteger.ZERO, 0);
    SessionMethod.OpenResult r = open(ch.openPayload(PRICE));
    assertEquals(ProblemType.SESSION_CHANNEL_NOT_FOUND, r.refusal().type());
  }

  // ---- topUp ----

  SessionMethod.ChainResult topUp(BigInteger added) throws PaymentMethodException {
    Map<String, Object> payload = ch.topUpPayload(added);
    SessionAction.TopUp t = (SessionAction.TopUp) f.parse(ch, payload).action();
    return f.method.topUp(t, f.stored(ch, PRICE), f.context(ch, payload));
  }

  @Test
  void topUpBroadcastsAndReadsTheNewDeposit() throws Exception {
    BigInteger added = BigInteger.valueOf(500_000);
    BigInteger after = DEPOSIT.add(added);
    mines(true, ch.topUpLog(0, RAW_TX_HASH, added, after));
    channelReads(after, BigInteger.ZERO, 0);
    SessionMethod.ChainResult r = topUp(added);
    assertNull(r.refusal(), () -> r.refusal().detail());
    assertEquals(after, r.channel().deposit());
  }

  @Test
  void aTopUpOfAnotherAmountOrChannelIsRefused() throws Exception {
    BigInteger added = BigInteger.valueOf(500_000);
    Map<String, Object> payload =
        ch.topUpPayload(added, ch.topUpTx(added.add(BigInteger.ONE), b -> b, false));
    SessionAction.TopUp t = (SessionAction.TopUp) f.parse(ch, payload).action();
    assertEquals(
        "tempo.session.amount_mismatch",
        f.method.topUp(t, f.stored(ch, PRICE), f.context(ch, payload)).refusal().reason().code());
    SessionKit.Channel other = f.kit.open(DEPOSIT);
    payload = ch.topUpPayload(added, other.topUpTx(added, b -> b, false));
    t = (SessionAction.TopUp) f.parse(ch, payload).action();
    assertEquals(
        "tempo.session.descriptor_mismatch",
        f.method.topUp(t, f.stored(ch, PRICE), f.context(ch, payload)).refusal().reason().code());
    assertEquals(0, f.standIn.requests().size());
  }

  @Test
  void aTopUpReceiptWithoutTheEventIsRefused() throws Exception {
    mines(true);
    assertEquals(
        "tempo.session.topup_not_confirmed", topUp(BigInteger.TEN).refusal().reason().code());
  }

  @Test
  void aBroadcastErrorAndATimeoutDuringTopUp() throws Exception {
    f.standIn.server.stubFor(rpc(SYNC).willReturn(error(-32000, "nonce too low")));
    f.standIn.server.stubFor(rpc("eth_getTransactionReceipt").willReturn(result("null")));
    SessionMethod.ChainResult r = topUp(BigInteger.TEN);
    assertEquals("tempo.nonce_invalid", r.refusal().reason().code());
    f.standIn.server.stubFor(rpc(SYNC).willReturn(result("null").withFixedDelay(TIMEOUT_DELAY_MS)));
    assertThrows(PaymentMethodException.class, () -> topUp(BigInteger.TEN));
  }

  // ---- read ----

  @Test
  void readGivesTheChannelOrEmptyWhenTheEscrowHasNone() throws Exception {
    ChannelState s = f.stored(ch, PRICE);
    channelReads(DEPOSIT, PRICE, 1_790_000_000L);
    OnChainChannel c = f.method.read(s).orElseThrow();
    assertEquals(DEPOSIT, c.deposit());
    assertEquals(PRICE, c.settled());
    assertEquals(1_790_000_000L, c.closeRequestedAt().getEpochSecond());
    channelReads(BigInteger.ZERO, BigInteger.ZERO, 0);
    assertEquals(Optional.empty(), f.method.read(s));
  }

  @Test
  void aChannelNotFoundRevertReadsAsGoneAndOtherRevertsAreOutages() throws Exception {
    ChannelState s = f.stored(ch, PRICE);
    String notFound =
        Hex.encode(
                io.mpp4j.tempo.internal.Keccak.hash(
                    "ChannelNotFound()".getBytes(StandardCharsets.US_ASCII)))
            .substring(0, 10);
    channelReads(
        RpcStandIn.json(
            "{\"jsonrpc\":\"2.0\",\"id\":\"__rpc_request_id__\",\"error\":{\"code\":3,"
                + "\"message\":\"execution reverted\",\"data\":\""
                + notFound
                + "\"}}"));
    assertEquals(Optional.empty(), f.method.read(s));
    channelReads(
        RpcStandIn.json(
            "{\"jsonrpc\":\"2.0\",\"id\":\"__rpc_request_id__\",\"error\":{\"code\":3,"
                + "\"message\":\"execution reverted\",\"data\":\"0xdeadbeef\"}}"));
    assertThrows(PaymentMethodException.class, () -> f.method.read(s));
  }

  @Test
  void aGetChannelAnswerForAnotherChannelIsAnOutage() {
    SessionKit.Channel other = f.kit.open(DEPOSIT);
    channelReads(result(quote(Hex.encode(other.getChannelReturn(DEPOSIT, BigInteger.ZERO, 0)))));
    assertThrows(PaymentMethodException.class, () -> f.method.read(f.stored(ch, PRICE)));
  }

  // ---- settle and close ----

  static final long NONCE = 7;
  static final long ESTIMATE = 64_000;
  static final BigInteger GAS_PRICE = BigInteger.valueOf(20_000_000_000L);

  void operatorNode(String... logs) {
    f.standIn.server.stubFor(
        rpc("eth_estimateGas")
            .withRequestBody(matchingJsonPath("$.params[0].from", equalTo(f.operator.toHex())))
            .withRequestBody(matchingJsonPath("$.params[0].to", equalTo(ESCROW.toHex())))
            .willReturn(result(quote("0x" + Long.toHexString(ESTIMATE)))));
    f.standIn.server.stubFor(
        rpc("eth_gasPrice").willReturn(result(quote("0x" + GAS_PRICE.toString(16)))));
    f.standIn.server.stubFor(
        rpc("eth_getTransactionCount")
            .withRequestBody(matchingJsonPath("$.params[0]", equalTo(f.operator.toHex())))
            .withRequestBody(matchingJsonPath("$.params[1]", equalTo("pending")))
            .willReturn(result(quote("0x" + Long.toHexString(NONCE)))));
    f.standIn.server.stubFor(
        rpc(SYNC)
            .willReturn(result(SessionKit.receipt(RAW_TX_HASH, true, f.operator, List.of(logs)))));
  }

  void assertOperatorTx(TempoTransaction tx, byte[] data) throws Exception {
    assertEquals(f.operator, tx.recoverSender().orElseThrow());
    assertEquals(BigInteger.ZERO, tx.nonceKey());
    assertEquals(NONCE, tx.nonce());
    assertEquals(TempoKit.CHAIN, tx.chainId());
    assertEquals(TempoKit.TOKEN, tx.feeToken());
    assertEquals(ESTIMATE + ESTIMATE / 2 + 25_000, tx.gas());
    assertEquals(GAS_PRICE.shiftLeft(1), tx.maxFeePerGas());
    assertEquals(1, tx.calls().size());
    assertEquals(ESCROW, tx.calls().get(0).to());
    assertArrayEquals(data, tx.calls().get(0).data());
  }

  @Test
  void settleSendsTheHighestVoucherFromTheOperator() throws Exception {
    operatorNode(ch.settledLog(0, RAW_TX_HASH, PRICE));
    ChannelState s = f.stored(ch, PRICE);
    String hash = f.method.settle(s);
    TempoTransaction tx = sentTx();
    assertEquals(tx.hashHex(), hash);
    assertOperatorTx(
        tx, EscrowAbi.encodeSettle(ch.descriptor(), PRICE, Hex.decodeUnchecked(ch.voucher(PRICE))));
  }

  @Test
  void closeCapturesWhatWasSpentWithTheHighestVoucher() throws Exception {
    BigInteger accepted = PRICE.multiply(BigInteger.valueOf(3));
    BigInteger spent = PRICE.multiply(BigInteger.TWO);
    operatorNode(ch.closedLog(0, RAW_TX_HASH, spent, DEPOSIT.subtract(spent)));
    ChannelState s = f.stored(ch, accepted).withSpent(spent);
    String hash = f.method.close(s, spent);
    TempoTransaction tx = sentTx();
    assertEquals(tx.hashHex(), hash);
    assertOperatorTx(
        tx,
        EscrowAbi.encodeClose(
            ch.descriptor(), accepted, spent, Hex.decodeUnchecked(ch.voucher(accepted))));
  }

  @Test
  void closeRefusesACaptureAboveTheVoucherOrBelowTheSettledAmount() {
    ChannelState s = f.stored(ch, PRICE);
    assertThrows(PaymentMethodException.class, () -> f.method.close(s, PRICE.add(BigInteger.ONE)));
    assertThrows(
        PaymentMethodException.class,
        () -> f.method.close(s.withSettledOnChain(PRICE), PRICE.subtract(BigInteger.ONE)));
    assertEquals(0, f.standIn.requests().size());
  }

  @Test
  void aCloseReceiptWithoutChannelClosedOrRevertedFails() {
    operatorNode();
    PaymentMethodException e =
        assertThrows(
            PaymentMethodException.class, () -> f.method.close(f.stored(ch, PRICE), PRICE));
    assertEquals("tempo.session.close_not_confirmed", e.reason().code());
    operatorNode();
    f.standIn.server.stubFor(
        rpc(SYNC)
            .willReturn(
                result(
                    SessionKit.receipt(
                        RAW_TX_HASH,
                        false,
                        f.operator,
                        List.of(ch.closedLog(0, RAW_TX_HASH, PRICE, BigInteger.ZERO))))));
    e =
        assertThrows(
            PaymentMethodException.class, () -> f.method.close(f.stored(ch, PRICE), PRICE));
    assertEquals("tempo.tx_reverted", e.reason().code());
  }

  @Test
  void aBroadcastErrorAndATimeoutDuringClose() {
    operatorNode();
    f.standIn.server.stubFor(
        rpc(SYNC).willReturn(error(-32003, "insufficient funds for gas * price + value")));
    PaymentMethodException e =
        assertThrows(
            PaymentMethodException.class, () -> f.method.close(f.stored(ch, PRICE), PRICE));
    assertEquals("tempo.insufficient_funds", e.reason().code());
    assertFalse(e.getMessage().contains("gas * price"));
    f.standIn.server.stubFor(rpc(SYNC).willReturn(result("null").withFixedDelay(TIMEOUT_DELAY_MS)));
    e =
        assertThrows(
            PaymentMethodException.class, () -> f.method.close(f.stored(ch, PRICE), PRICE));
    assertTrue(e.getMessage().contains("after sending"), e.getMessage());
  }

  @Test
  void aCloseThatWouldRevertIsNotSent() {
    operatorNode();
    f.standIn.server.stubFor(
        rpc("eth_estimateGas").willReturn(error(3, "execution reverted: CaptureAmountInvalid")));
    PaymentMethodException e =
        assertThrows(
            PaymentMethodException.class, () -> f.method.close(f.stored(ch, PRICE), PRICE));
    assertEquals("tempo.session.close_reverts", e.reason().code());
    assertEquals(0, sent(SYNC).size());
  }

  @Test
  void theStandInRefusesANonceRequestForAnotherBlockTag() throws Exception {
    operatorNode();
    try (Web3jTempoRpc other = f.standIn.client().build()) {
      assertEquals(NONCE, other.pendingNonce(f.operator));
      // A request the stubs do not describe (another account's count) is refused, as a node
      // refuses a request it cannot answer: the stubs accept exactly what the method must send.
      TempoRpcException e =
          assertThrows(TempoRpcException.class, () -> other.pendingNonce(f.kit.payer()));
      assertEquals(TempoRpcException.Kind.RPC_ERROR, e.kind());
    }
  }

  @Test
  void operatorTransactionsNeedTheOperatorKey() {
    ChannelState s = f.stored(ch, PRICE);
    try (SessionFixture noKey = new SessionFixture()) {
      TempoMethod charges =
          TempoMethod.create(
              TempoConfig.builder()
                  .chainId(TempoKit.CHAIN)
                  .rpcUrl(noKey.standIn.uri)
                  .currency(TempoKit.TOKEN)
                  .recipient(TempoKit.RECIPIENT)
                  .build());
      PaymentMethodException e =
          assertThrows(PaymentMethodException.class, () -> charges.settle(s));
      assertEquals("tempo.session.no_operator_key", e.reason().code());
      charges.close();
    }
  }
}
