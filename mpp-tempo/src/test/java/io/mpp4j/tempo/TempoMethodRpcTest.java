package io.mpp4j.tempo;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.mpp4j.tempo.TempoKit.*;
import static io.mpp4j.tempo.rpc.RpcStandIn.error;
import static io.mpp4j.tempo.rpc.RpcStandIn.result;
import static io.mpp4j.tempo.rpc.RpcStandIn.rpc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.mpp4j.core.Challenge;
import io.mpp4j.core.Credential;
import io.mpp4j.core.PaymentRequirement;
import io.mpp4j.server.GateResult;
import io.mpp4j.server.PaymentGate;
import io.mpp4j.tempo.internal.Hex;
import io.mpp4j.tempo.internal.SigningKey;
import io.mpp4j.tempo.internal.TempoTransaction;
import io.mpp4j.tempo.rpc.RpcStandIn;
import io.mpp4j.tempo.rpc.TransactionReceipt;
import io.mpp4j.tempo.rpc.Web3jTempoRpc;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The tempo method over a real socket to a strict JSON-RPC stand-in ({@link RpcStandIn}): the round
 * trips a payment costs, and what the payer gets when the node fails. No receipt and no resource
 * ever follow a failure.
 */
class TempoMethodRpcTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  RpcStandIn standIn;
  WireMockServer node;
  TempoMethod method;
  PaymentGate gate;
  final PaymentRequirement route = route("0.50");
  final SigningKey payer = freshKey();

  @BeforeEach
  void start() {
    standIn = new RpcStandIn();
    node = standIn.server;
    method = method(standIn.uri);
    gate = gate(method);
  }

  @AfterEach
  void stop() {
    method.close();
    standIn.close();
  }

  static TempoMethod method(URI uri) {
    return TempoMethod.create(
        TempoConfig.builder()
            .chainId(CHAIN)
            .rpcUrl(uri)
            .currency(TOKEN)
            .recipient(RECIPIENT)
            // Generous for a loaded CI machine: a slow first answer must not turn into a retry.
            .connectTimeout(Duration.ofSeconds(2))
            .callTimeout(Duration.ofSeconds(3))
            .receiptTimeout(Duration.ofSeconds(9))
            .build());
  }

  /** The receipt JSON a Tempo node returns for {@code tx} (as anvil 1.7.1 shapes it). */
  static String receiptJson(TempoTransaction tx, boolean success) throws Exception {
    TransactionReceipt r = new SimulatedNode().mine(tx);
    List<Object> logs = new ArrayList<>();
    for (TransactionReceipt.Log l : r.logs()) {
      List<String> topics = l.topics().stream().map(Hex::encode).toList();
      logs.add(
          java.util.Map.of(
              "address",
              l.address().toHex(),
              "topics",
              topics,
              "data",
              Hex.encode(l.data()),
              "logIndex",
              "0x" + Long.toHexString(l.logIndex()),
              "transactionHash",
              r.transactionHash(),
              "blockNumber",
              "0x2",
              "removed",
              false));
    }
    java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("type", "0x76");
    m.put("status", success ? "0x1" : "0x0");
    m.put("transactionHash", r.transactionHash());
    m.put("from", r.from().toHex());
    m.put("to", TOKEN.toHex());
    m.put("blockNumber", "0x2");
    m.put("gasUsed", "0x45c4a");
    m.put("effectiveGasPrice", "0x44eaf9900");
    m.put("logs", success ? logs : List.of());
    m.put("feePayer", r.from().toHex());
    m.put("feeToken", TOKEN.toHex());
    return JSON.writeValueAsString(m);
  }

  Credential credential(TempoTransaction[] out) {
    Challenge c = challenge(gate, route);
    TempoTransaction tx = sign(payment(c, 500_000), payer);
    out[0] = tx;
    return pull(c, tx);
  }

  int requests() {
    return node.getAllServeEvents().size();
  }

  @Test
  void aPullPaymentCostsExactlyOneRoundTripWithSyncBroadcast() throws Exception {
    TempoTransaction[] tx = new TempoTransaction[1];
    Credential cred = credential(tx);
    node.stubFor(rpc("eth_sendRawTransactionSync").willReturn(result(receiptJson(tx[0], true))));
    GateResult.Paid p = assertInstanceOf(GateResult.Paid.class, gate.evaluate(route, paid(cred)));
    assertEquals(tx[0].hashHex(), p.receipt().reference());
    assertEquals(1, requests());
    JsonNode body =
        JSON.readTree(node.findAll(postRequestedFor(urlEqualTo("/"))).get(0).getBodyAsString());
    assertEquals("eth_sendRawTransactionSync", body.path("method").asText());
    assertEquals(1, body.path("params").size());
    assertEquals(Hex.encode(tx[0].encode()), body.path("params").get(0).asText());
  }

  @Test
  void withoutTheSyncMethodItSendsAndPolls() throws Exception {
    TempoTransaction[] tx = new TempoTransaction[1];
    Credential cred = credential(tx);
    node.stubFor(rpc("eth_sendRawTransactionSync").willReturn(error(-32601, "Method not found")));
    node.stubFor(rpc("eth_sendRawTransaction").willReturn(result("\"" + tx[0].hashHex() + "\"")));
    node.stubFor(
        rpc("eth_getTransactionReceipt")
            .inScenario("mining")
            .whenScenarioStateIs(Scenario.STARTED)
            .willSetStateTo("mined")
            .willReturn(result("null")));
    node.stubFor(
        rpc("eth_getTransactionReceipt")
            .inScenario("mining")
            .whenScenarioStateIs("mined")
            .willReturn(result(receiptJson(tx[0], true))));
    assertInstanceOf(GateResult.Paid.class, gate.evaluate(route, paid(cred)));
    assertEquals(1, count("eth_sendRawTransaction"));
    assertEquals(2, count("eth_getTransactionReceipt"));
  }

  int count(String m) {
    return standIn.count(m);
  }

  GateResult.Rejected failsWith(Credential cred, String reason) {
    GateResult r = gate.evaluate(route, paid(cred));
    GateResult.Rejected rej = assertInstanceOf(GateResult.Rejected.class, r, r::toString);
    assertEquals(reason, rej.problem().reason().code(), rej.problem().toString());
    assertFalse(
        rej.problem()
            .detail()
            .toLowerCase(java.util.Locale.ROOT)
            .contains("insufficient funds for gas"));
    return rej;
  }

  @Test
  void aNodeThatIsDownGetsNoPaymentAndTheCredentialStaysUsable() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    try (TempoMethod down = method(URI.create("http://127.0.0.1:" + closed + "/"))) {
      PaymentGate g = gate(down);
      Challenge c = challenge(g, route);
      TempoTransaction tx = sign(payment(c, 500_000), payer);
      Credential cred = pull(c, tx);
      GateResult.Rejected rej =
          assertInstanceOf(GateResult.Rejected.class, g.evaluate(route, paid(cred)));
      assertEquals("tempo.rpc_unavailable", rej.problem().reason().code());
      assertNotNull(rej.retryAfter());
    }
  }

  @Test
  void aServerErrorAfterSendingKeepsTheClaimAndTheRetrySettlesOnTheReceipt() throws Exception {
    TempoTransaction[] tx = new TempoTransaction[1];
    Credential cred = credential(tx);
    node.stubFor(rpc("eth_sendRawTransactionSync").willReturn(aResponse().withStatus(502)));
    GateResult.Rejected first =
        assertInstanceOf(GateResult.Rejected.class, gate.evaluate(route, paid(cred)));
    assertNotNull(first.retryAfter());
    // The node did mine it; the retry reads the receipt and never sends again.
    node.stubFor(rpc("eth_getTransactionReceipt").willReturn(result(receiptJson(tx[0], true))));
    assertInstanceOf(GateResult.Paid.class, gate.evaluate(route, paid(cred)));
    assertEquals(1, count("eth_sendRawTransactionSync"));
  }

  @Test
  void aTimeoutGetsNoPayment() throws Exception {
    TempoTransaction[] tx = new TempoTransaction[1];
    Credential cred = credential(tx);
    node.stubFor(
        rpc("eth_sendRawTransactionSync")
            .willReturn(result(receiptJson(tx[0], true)).withFixedDelay(12_000)));
    node.stubFor(rpc("eth_getTransactionReceipt").willReturn(result("null")));
    long t0 = System.nanoTime();
    GateResult r = gate.evaluate(route, paid(cred));
    assertInstanceOf(GateResult.Rejected.class, r);
    assertTrue(System.nanoTime() - t0 < 15_000_000_000L, "bounded wait");
  }

  @Test
  void malformedAnswersGetNoPayment() throws Exception {
    TempoTransaction[] tx = new TempoTransaction[1];
    Credential cred = credential(tx);
    node.stubFor(
        rpc("eth_sendRawTransactionSync")
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"jsonrpc\":")));
    node.stubFor(rpc("eth_getTransactionReceipt").willReturn(result("null")));
    assertInstanceOf(GateResult.Rejected.class, gate.evaluate(route, paid(cred)));
  }

  @Test
  void aDroppedConnectionGetsNoPayment() throws Exception {
    TempoTransaction[] tx = new TempoTransaction[1];
    Credential cred = credential(tx);
    node.stubFor(
        rpc("eth_sendRawTransactionSync")
            .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
    node.stubFor(rpc("eth_getTransactionReceipt").willReturn(result("null")));
    assertInstanceOf(GateResult.Rejected.class, gate.evaluate(route, paid(cred)));
  }

  @Test
  void aRefusalBecomesAStableReasonWithoutTheNodesText() throws Exception {
    TempoTransaction[] tx = new TempoTransaction[1];
    Credential cred = credential(tx);
    node.stubFor(
        rpc("eth_sendRawTransactionSync")
            .willReturn(
                error(-32003, "insufficient funds for gas * price + value: have 0 want 5")));
    failsWith(cred, "tempo.insufficient_funds");
  }

  @Test
  void aRevertedReceiptIsNotAPayment() throws Exception {
    TempoTransaction[] tx = new TempoTransaction[1];
    Credential cred = credential(tx);
    node.stubFor(rpc("eth_sendRawTransactionSync").willReturn(result(receiptJson(tx[0], false))));
    failsWith(cred, "tempo.tx_reverted");
  }

  @Test
  void aReceiptForAnotherTransactionIsNotAPayment() throws Exception {
    TempoTransaction[] tx = new TempoTransaction[1];
    Credential cred = credential(tx);
    TempoTransaction other = sign(payment(challenge(gate, route), 500_000), payer);
    node.stubFor(rpc("eth_sendRawTransactionSync").willReturn(result(receiptJson(other, true))));
    node.stubFor(rpc("eth_getTransactionReceipt").willReturn(result("null")));
    assertInstanceOf(GateResult.Rejected.class, gate.evaluate(route, paid(cred)));
  }

  @Test
  void pushLooksTheReceiptUpOnce() throws Exception {
    Challenge c = challenge(gate, route);
    TempoTransaction tx = sign(payment(c, 500_000), payer);
    node.stubFor(rpc("eth_getTransactionReceipt").willReturn(result(receiptJson(tx, true))));
    GateResult.Paid p =
        assertInstanceOf(
            GateResult.Paid.class,
            gate.evaluate(route, paid(push(c, tx.hashHex(), payer.address()))));
    assertEquals(tx.hashHex(), p.receipt().reference());
    assertEquals(1, requests());
  }

  @Test
  void theMethodOwnsItsClient() {
    assertTrue(method.toString().contains("127.0.0.1"));
    try (var client = RpcClients.create(method.config())) {
      assertInstanceOf(Web3jTempoRpc.class, client);
    }
    assertEquals(BigInteger.valueOf(500_000), TempoMethod.toBaseUnits(route.amount()));
  }
}
