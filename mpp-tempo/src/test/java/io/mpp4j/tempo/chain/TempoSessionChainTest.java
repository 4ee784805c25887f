package io.mpp4j.tempo.chain;

import static io.mpp4j.tempo.chain.AnvilChain.ALPHA_USD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mpp4j.core.Challenge;
import io.mpp4j.core.Credential;
import io.mpp4j.core.Intent;
import io.mpp4j.core.PaymentRequirement;
import io.mpp4j.core.RequestView;
import io.mpp4j.core.SessionTerms;
import io.mpp4j.core.binding.ChallengeSecret;
import io.mpp4j.core.problem.ProblemType;
import io.mpp4j.core.problem.ReasonCode;
import io.mpp4j.server.GateResult;
import io.mpp4j.server.PaymentGate;
import io.mpp4j.server.session.ChannelState;
import io.mpp4j.server.session.SessionLedger;
import io.mpp4j.server.session.SessionOptions;
import io.mpp4j.server.session.SessionSettler;
import io.mpp4j.store.InMemoryStateStore;
import io.mpp4j.tempo.Address;
import io.mpp4j.tempo.Secp256k1PrivateKey;
import io.mpp4j.tempo.TempoConfig;
import io.mpp4j.tempo.TempoMethod;
import io.mpp4j.tempo.internal.SigningKey;
import io.mpp4j.testkit.tempo.SessionKit;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The session intent end to end in process on a local chain hosting v2 channels: the real gate, the
 * real {@link TempoMethod} talking JSON-RPC to the {@link ReserveChain}, an in-memory store, and
 * credentials built by {@link SessionKit}. Every accepted payment must end as tokens the recipient
 * holds on chain; every refusal must charge nothing.
 */
@ReserveChainTest
class TempoSessionChainTest {
  static final String REALM = "api.example.com";
  static final String SECRET = "tempo-session-chain-test-secret-0123456789abcdef";
  static final BigInteger PRICE = BigInteger.valueOf(1000); // 0.001 AlphaUSD per request
  static final BigInteger DEPOSIT = BigInteger.valueOf(1_000_000);
  static final BigInteger USD = BigInteger.valueOf(1_000_000);
  static final ObjectMapper JSON = new ObjectMapper();

  final PaymentRequirement route =
      PaymentRequirement.builder()
          .intent(Intent.SESSION)
          .amount("0.001")
          .session(new SessionTerms("request", new BigDecimal("1.00"), null))
          .build();
  final InMemoryStateStore store = InMemoryStateStore.ofDefaults();
  final SessionLedger ledger = new SessionLedger(store);
  final List<TempoMethod> methods = new ArrayList<>();
  final List<SessionSettler> settlers = new ArrayList<>();
  final byte[] operatorSecret = SessionKit.randomSecret();
  final SigningKey operator = SigningKey.of(operatorSecret);
  final byte[] payerSecret = SessionKit.randomSecret();
  final SigningKey payer = SigningKey.of(payerSecret);
  ReserveChain chain;
  Address recipient;
  SessionKit kit;

  @BeforeEach
  void setUp(ReserveChain chain) {
    this.chain = chain;
    recipient = AnvilChain.randomKey().address();
    // the payer pays its approve, open and top-up fees in AlphaUSD; so does the operator
    chain.fund(payer.address(), ALPHA_USD, USD.multiply(BigInteger.valueOf(4)));
    chain.approveReserve(payer, ALPHA_USD);
    chain.fund(operator.address(), ALPHA_USD, USD);
    kit = SessionKit.forPayer(payerSecret, recipient, ALPHA_USD, operator.address());
  }

  @AfterEach
  void tearDown() {
    settlers.forEach(SessionSettler::close);
    methods.forEach(TempoMethod::close);
  }

  // ---- the engine ----

  PaymentGate gate(SessionOptions options) {
    TempoMethod m =
        TempoMethod.create(
            TempoConfig.builder()
                .chainId(chain.chainId())
                .rpcUrl(chain.rpcUrl())
                .currency(ALPHA_USD)
                .recipient(recipient)
                .operatorKey(Secp256k1PrivateKey.of(operatorSecret))
                .receiptTimeout(Duration.ofSeconds(30))
                .build());
    methods.add(m);
    return PaymentGate.builder()
        .realm(REALM)
        .secret(ChallengeSecret.of(SECRET))
        .store(store)
        .method(m)
        .sessionOptions(options)
        .build();
  }

  static SessionOptions options() {
    return SessionOptions.defaults().withVoucherRatePerSecond(1000);
  }

  /** {@link #options()} with a settler that runs every second. */
  static SessionOptions shortSettlerOptions() {
    return options()
        .withSettleInterval(Duration.ofSeconds(1))
        .withRereadInterval(Duration.ofSeconds(1));
  }

  SessionSettler settler(PaymentGate gate) {
    SessionSettler s = Objects.requireNonNull(gate.startSessionSettler());
    settlers.add(s);
    return s;
  }

  static Challenge challenge(PaymentGate gate, PaymentRequirement route) {
    GateResult r = gate.evaluate(route, RequestView.builder().path("/api/metered").build());
    return ((GateResult.PaymentRequired) r).challenges().get(0);
  }

  GateResult send(PaymentGate gate, String httpMethod, Credential c) {
    RequestView view =
        RequestView.builder()
            .method(httpMethod)
            .path("/api/metered")
            .header("Authorization", c.toHeaderValue())
            .build();
    return gate.evaluate(route, view);
  }

  GateResult send(
      PaymentGate gate, String httpMethod, SessionKit.Channel ch, Map<String, Object> payload) {
    return send(gate, httpMethod, ch.credential(challenge(gate, route), payload));
  }

  static String describe(GateResult r) {
    return r instanceof GateResult.Rejected rej ? rej.problem().toString() : r.toString();
  }

  static GateResult.Paid paid(GateResult r) {
    return assertInstanceOf(GateResult.Paid.class, r, () -> describe(r));
  }

  static GateResult.Acknowledged acknowledged(GateResult r) {
    return assertInstanceOf(GateResult.Acknowledged.class, r, () -> describe(r));
  }

  static GateResult.Rejected rejected(GateResult r, ProblemType type) {
    GateResult.Rejected rej = assertInstanceOf(GateResult.Rejected.class, r, () -> describe(r));
    assertEquals(type, rej.problem().type(), rej.problem().toString());
    assertEquals(type.status(), rej.status());
    return rej;
  }

  /** Opens a channel of {@code deposit} through the gate with an initial voucher of one price. */
  SessionKit.Channel open(PaymentGate gate, BigInteger deposit) {
    SessionKit.Channel ch = kit.open(deposit);
    acknowledged(send(gate, "POST", ch, ch.openPayload(PRICE)));
    assertEquals(deposit, chain.channel(ch.descriptor()).deposit());
    return ch;
  }

  ChannelState state(SessionKit.Channel ch) {
    return Objects.requireNonNull(ledger.read(ch.id()), "no channel " + ch.id());
  }

  static BigInteger units(long n) {
    return PRICE.multiply(BigInteger.valueOf(n));
  }

  static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  /** The reserve's {@code Settled} logs for {@code channelId}, read from anvil directly. */
  List<JsonNode> settledLogs(String channelId) {
    ObjectNode filter = JSON.createObjectNode();
    filter.put("address", ReserveChain.RESERVE.toHex());
    filter.put("fromBlock", "0x0");
    filter.put("toBlock", "latest");
    filter.putArray("topics").add(ReserveAbi.SETTLED).add(channelId);
    List<JsonNode> out = new ArrayList<>();
    chain.anvil().rpc("eth_getLogs", filter).forEach(out::add);
    return out;
  }

  // ---- 1. a channel's whole life ----

  @Test
  void openMeterTopUpSettleMeterAndCloseLeaveTheRecipientExactlyWhatWasSpent() throws Exception {
    PaymentGate gate = gate(shortSettlerOptions());
    SessionKit.Channel ch = open(gate, DEPOSIT);
    assertEquals(BigInteger.ZERO, state(ch).spent(), "an open charges nothing");

    // three requests on new vouchers, then one voucher re-presented for three more
    for (int i = 1; i <= 3; i++) {
      paid(send(gate, "GET", ch, ch.voucherPayload(units(i))));
    }
    Credential covering = ch.credential(challenge(gate, route), ch.voucherPayload(units(6)));
    for (int i = 0; i < 3; i++) {
      paid(send(gate, "GET", covering));
    }
    rejected(send(gate, "GET", covering), ProblemType.SESSION_INSUFFICIENT_BALANCE);
    assertEquals(units(6), state(ch).spent());

    // a top-up
    BigInteger added = BigInteger.valueOf(500_000);
    acknowledged(send(gate, "POST", ch, ch.topUpPayload(added)));
    BigInteger deposit = DEPOSIT.add(added);
    assertEquals(deposit, chain.channel(ch.descriptor()).deposit());
    assertEquals(deposit, state(ch).deposit());

    // the settler settles the fully spent channel on chain
    SessionSettler settler = settler(gate);
    await(() -> state(ch).settledOnChain().equals(units(6)), "the settlement of 6 units");
    settler.close();
    assertEquals(units(6), chain.channel(ch.descriptor()).settled());
    assertEquals(units(6), chain.balanceOf(ALPHA_USD, recipient));
    List<JsonNode> settled = settledLogs(ch.id());
    assertEquals(1, settled.size(), settled.toString());
    assertEquals(
        units(6), ReserveAbi.uint(AnvilChain.unhex(settled.get(0).path("data").asText()), 0));

    // more requests after the settlement
    for (int i = 7; i <= 9; i++) {
      paid(send(gate, "GET", ch, ch.voucherPayload(units(i))));
    }
    acknowledged(send(gate, "POST", ch, ch.voucherPayload(units(12)))); // signed, not spent
    BigInteger spent = units(9);
    assertEquals(spent, state(ch).spent());

    // the cooperative close captures exactly what was spent
    BigInteger payerBefore = chain.balanceOf(ALPHA_USD, payer.address());
    GateResult.Acknowledged closed =
        acknowledged(send(gate, "POST", ch, ch.closePayload(units(12))));
    assertNotNull(closed.receipt().extra().get("txHash"));
    assertEquals(spent, chain.balanceOf(ALPHA_USD, recipient), "the recipient holds the spent");
    assertEquals(
        payerBefore.add(deposit).subtract(spent),
        chain.balanceOf(ALPHA_USD, payer.address()),
        "the payer gets the rest back");
    assertEquals(
        new ReserveAbi.ChannelState(BigInteger.ZERO, BigInteger.ZERO, 0),
        chain.channel(ch.descriptor()),
        "the channel is gone");
    // the operator paid its settle and close fees in the channel's token
    assertTrue(chain.balanceOf(ALPHA_USD, operator.address()).compareTo(USD) < 0);
    assertEquals(BigInteger.ZERO, chain.balanceOf(AnvilChain.PATH_USD, operator.address()));

    // nothing is served afterwards
    rejected(
        send(gate, "GET", ch, ch.voucherPayload(units(12))), ProblemType.SESSION_CHANNEL_FINALIZED);
    assertEquals(spent, chain.balanceOf(ALPHA_USD, recipient));
  }

  // ---- 2. no chain round trip per metered request ----

  @Test
  void fiftyMeteredRequestsOnAnOpenChannelSendNoJsonRpcRequest() {
    PaymentGate gate = gate(options());
    int beforeOpen = chain.shim().requestsReceived();
    SessionKit.Channel ch = open(gate, DEPOSIT);
    // the counter sees the server's calls: the open broadcasts and reads (the test's own
    // getChannel read in open() adds one)
    assertTrue(chain.shim().requestsReceived() - beforeOpen > 1, "the open went through the shim");
    Challenge c = challenge(gate, route);
    int before = chain.shim().requestsReceived();
    long served = 0;
    BigInteger cumulative = PRICE;
    for (int i = 0; i < 25; i++) {
      // a new voucher covering two more requests, used by one and re-presented for the next
      cumulative = cumulative.add(units(2));
      Credential next = ch.credential(c, ch.voucherPayload(cumulative));
      paid(send(gate, "GET", next));
      paid(send(gate, "GET", next));
      served += 2;
    }
    int rpcRequests = chain.shim().requestsReceived() - before;
    assertEquals(50, served);
    assertEquals(0, rpcRequests, "JSON-RPC requests during 50 metered requests");
    assertEquals(units(50), state(ch).spent());
    assertEquals(units(51), state(ch).acceptedCumulative());
  }

  // ---- 3. attacks ----

  static Map<String, Object> with(Map<String, Object> payload, String key, Object value) {
    Map<String, Object> p = new LinkedHashMap<>(payload);
    p.put(key, value);
    return p;
  }

  @Test
  void forgedLowerExcessiveHighSAndForeignPayeeVouchersAreRefusedAndChargeNothing() {
    PaymentGate gate = gate(options());
    SessionKit.Channel ch = open(gate, DEPOSIT);
    paid(send(gate, "GET", ch, ch.voucherPayload(units(5))));
    ChannelState before = state(ch);
    int rpcBefore = chain.shim().requestsReceived();

    Map<String, Object> higher = ch.voucherPayload(units(8));
    rejected(
        send(
            gate,
            "GET",
            ch,
            with(higher, "signature", ch.voucherSignedBy(units(8), SessionKit.randomSecret()))),
        ProblemType.SESSION_INVALID_SIGNATURE);
    rejected(send(gate, "GET", ch, ch.voucherPayload(units(4))), ProblemType.VERIFICATION_FAILED);
    rejected(
        send(gate, "GET", ch, ch.voucherPayload(DEPOSIT.add(PRICE))),
        ProblemType.SESSION_AMOUNT_EXCEEDS_DEPOSIT);
    rejected(
        send(
            gate,
            "GET",
            ch,
            with(higher, "signature", SessionKit.highS((String) higher.get("signature")))),
        ProblemType.SESSION_INVALID_SIGNATURE);
    Map<String, Object> foreign = new LinkedHashMap<>(ch.descriptorJson());
    foreign.put("payee", AnvilChain.randomKey().address().toHex());
    GateResult.Rejected rej =
        rejected(
            send(gate, "GET", ch, with(higher, "descriptor", foreign)),
            ProblemType.VERIFICATION_FAILED);
    assertEquals(ReasonCode.of("tempo.session.descriptor_mismatch"), rej.problem().reason());

    ChannelState after = state(ch);
    assertEquals(before.spent(), after.spent(), "nothing charged");
    assertEquals(before.acceptedCumulative(), after.acceptedCumulative(), "nothing accepted");
    assertEquals(before.voucherSignature(), after.voucherSignature());
    assertEquals(rpcBefore, chain.shim().requestsReceived(), "refusals need no chain read");
    assertEquals(BigInteger.ZERO, chain.balanceOf(ALPHA_USD, recipient));
  }

  @Test
  void twentyConcurrentRequestsOnAVoucherCoveringFiveServeExactlyFive() throws Exception {
    PaymentGate gate = gate(options());
    SessionKit.Channel ch = open(gate, DEPOSIT);
    paid(send(gate, "GET", ch, ch.voucherPayload(units(2))));
    assertEquals(units(1), state(ch).spent());
    // a voucher covering five more requests, stored without a charge
    acknowledged(send(gate, "POST", ch, ch.voucherPayload(units(6))));
    Credential covering = ch.credential(challenge(gate, route), ch.voucherPayload(units(6)));
    ExecutorService pool = Executors.newFixedThreadPool(20);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<GateResult>> futures = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        futures.add(
            pool.submit(
                () -> {
                  go.await();
                  return send(gate, "GET", covering);
                }));
      }
      go.countDown();
      int served = 0;
      for (Future<GateResult> f : futures) {
        GateResult r = f.get(30, TimeUnit.SECONDS);
        if (r instanceof GateResult.Paid) {
          served++;
        } else {
          rejected(r, ProblemType.SESSION_INSUFFICIENT_BALANCE);
        }
      }
      assertEquals(5, served);
    } finally {
      pool.shutdownNow();
      assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }
    assertEquals(units(6), state(ch).spent());
    // the spent credential replayed
    GateResult.Rejected replay =
        rejected(send(gate, "GET", covering), ProblemType.SESSION_INSUFFICIENT_BALANCE);
    assertEquals(PRICE.toString(), replay.problem().toJsonMap().get("requiredTopUp"));
    assertEquals(units(6), state(ch).spent());
  }

  // ---- 4. restart ----

  @Test
  void aSecondGateOverTheSameStoreContinuesTheChannelAndClosesIt() {
    PaymentGate first = gate(options());
    SessionKit.Channel ch = open(first, DEPOSIT);
    paid(send(first, "GET", ch, ch.voucherPayload(units(3))));
    acknowledged(send(first, "POST", ch, ch.voucherPayload(units(6)))); // accepted, unspent
    methods.get(0).close(); // the first process goes away

    PaymentGate second = gate(options());
    Credential accepted = ch.credential(challenge(second, route), ch.voucherPayload(units(6)));
    for (int i = 0; i < 5; i++) {
      paid(send(second, "GET", accepted));
    }
    rejected(send(second, "GET", accepted), ProblemType.SESSION_INSUFFICIENT_BALANCE);
    rejected(send(second, "GET", ch, ch.voucherPayload(units(5))), ProblemType.VERIFICATION_FAILED);
    assertEquals(units(6), state(ch).spent());
    assertEquals(units(6), state(ch).acceptedCumulative());

    acknowledged(send(second, "POST", ch, ch.closePayload(units(6))));
    assertEquals(units(6), chain.balanceOf(ALPHA_USD, recipient));
    assertEquals(BigInteger.ZERO, chain.channel(ch.descriptor()).deposit());
    rejected(
        send(second, "GET", ch, ch.voucherPayload(units(6))),
        ProblemType.SESSION_CHANNEL_FINALIZED);
  }

  // ---- 5. the vanished channel ----

  @Test
  void aChannelClosedBehindTheServersBackIsGoneAfterTheSettlersReRead() throws Exception {
    PaymentGate gate = gate(shortSettlerOptions());
    SessionKit.Channel ch = open(gate, DEPOSIT);
    paid(send(gate, "GET", ch, ch.voucherPayload(units(2))));
    acknowledged(send(gate, "POST", ch, ch.voucherPayload(units(4))));

    // the operator key closes the channel directly, not through the server
    byte[] sig = AnvilChain.unhex(ch.voucher(units(2)));
    AnvilChain.Receipt close =
        chain.callReserve(
            operator, ReserveAbi.close(ch.descriptor(), units(2), units(2), sig), ALPHA_USD);
    assertEquals(1, close.status(), close.toString());
    assertEquals(BigInteger.ZERO, chain.channel(ch.descriptor()).deposit());

    SessionSettler settler = settler(gate);
    await(
        () -> {
          @Nullable ChannelState s = ledger.read(ch.id());
          return s == null
              || s.closedAt() != null
              || s.closeRequestedAt() != null
              || s.deposit().signum() == 0;
        },
        "the settler's re-read of the closed channel");
    settler.close();
    @Nullable ChannelState left = ledger.read(ch.id());
    rejected(
        send(gate, "GET", ch, ch.voucherPayload(units(4))), ProblemType.SESSION_CHANNEL_NOT_FOUND);
    @Nullable ChannelState now = ledger.read(ch.id());
    assertEquals(
        left == null ? null : left.spent(), now == null ? null : now.spent(), "nothing served");
    assertEquals(units(2), chain.balanceOf(ALPHA_USD, recipient));
  }
}
