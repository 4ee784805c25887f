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
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
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

    // nothing is served afterwards
    GateResult after = send(gate, "GET", ch, ch.voucherPayload(units(12)));
    GateResult.Rejected refused = assertInstanceOf(GateResult.Rejected.class, after);
    assertTrue(refused.status() == 410 || refused.status() == 402, refused.toString());
    assertEquals(spent, chain.balanceOf(ALPHA_USD, recipient));
  }
}
