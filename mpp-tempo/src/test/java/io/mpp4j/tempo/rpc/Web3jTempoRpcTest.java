package io.mpp4j.tempo.rpc;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static io.mpp4j.tempo.rpc.RpcStandIn.RAW_TX;
import static io.mpp4j.tempo.rpc.RpcStandIn.RAW_TX_HEX;
import static io.mpp4j.tempo.rpc.RpcStandIn.TX_HASH;
import static io.mpp4j.tempo.rpc.RpcStandIn.error;
import static io.mpp4j.tempo.rpc.RpcStandIn.json;
import static io.mpp4j.tempo.rpc.RpcStandIn.result;
import static io.mpp4j.tempo.rpc.RpcStandIn.rpc;
import static io.mpp4j.tempo.rpc.RpcStandIn.successReceipt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.mpp4j.tempo.Address;
import io.mpp4j.tempo.internal.Hex;
import io.mpp4j.tempo.rpc.TempoRpcException.Kind;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class Web3jTempoRpcTest {
  private static final String SYNC = "eth_sendRawTransactionSync";
  private static final String SEND = "eth_sendRawTransaction";
  private static final String RECEIPT = "eth_getTransactionReceipt";

  private RpcStandIn node;

  @BeforeEach
  void start() {
    node = new RpcStandIn();
  }

  @AfterEach
  void stop() {
    node.close();
  }

  private static void assertSuccessReceipt(TransactionReceipt r) throws Exception {
    assertEquals(TX_HASH, r.transactionHash());
    assertTrue(r.success());
    assertEquals(Address.parse("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266"), r.from());
    assertEquals(2, r.blockNumber());
    assertEquals(BigInteger.valueOf(0x45c4a), r.gasUsed());
    assertEquals(new BigInteger("44eaf9900", 16), r.effectiveGasPrice());
    assertEquals(2, r.logs().size());

    Address alphaUsd = Address.parse("0x20c0000000000000000000000000000000000001");
    String transferTopic = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";
    String fromTopic = "0x000000000000000000000000f39fd6e51aad88f6f4ce6ab8827279cfffb92266";

    TransactionReceipt.Log payment = r.logs().get(0);
    assertEquals(0, payment.logIndex());
    assertEquals(alphaUsd, payment.address());
    assertEquals(
        List.of(
            transferTopic,
            fromTopic,
            "0x00000000000000000000000070997970c51812dc3a010c7d01b50e0d17dc79c8"),
        payment.topics().stream().map(Hex::encode).toList());
    assertEquals(
        "0x00000000000000000000000000000000000000000000000000000000000f4240",
        Hex.encode(payment.data()));

    TransactionReceipt.Log fee = r.logs().get(1);
    assertEquals(1, fee.logIndex());
    assertEquals(alphaUsd, fee.address());
    assertEquals(
        List.of(
            transferTopic,
            fromTopic,
            "0x000000000000000000000000feec000000000000000000000000000000000000"),
        fee.topics().stream().map(Hex::encode).toList());
    assertEquals(
        "0x00000000000000000000000000000000000000000000000000000000000014a7",
        Hex.encode(fee.data()));
  }

  // ---- the synchronous broadcast ----

  @Test
  void syncSendIsOneRequestWithOnlyTheSignedTransaction() throws Exception {
    node.server.stubFor(rpc(SYNC).willReturn(result(successReceipt())));
    try (Web3jTempoRpc rpc = node.client().build()) {
      assertSuccessReceipt(rpc.sendAndWait(RAW_TX, TX_HASH));
    }
    List<JsonNode> bodies = node.bodies();
    assertEquals(1, bodies.size());
    JsonNode body = bodies.get(0);
    Set<String> fields = iterable(body.fieldNames());
    assertEquals(Set.of("jsonrpc", "method", "params", "id"), fields);
    assertEquals("2.0", body.get("jsonrpc").textValue());
    assertEquals(SYNC, body.get("method").textValue());
    assertEquals(RpcStandIn.JSON.createArrayNode().add(RAW_TX_HEX), body.get("params"));
    assertTrue(body.get("id").isIntegralNumber());
  }

  @Test
  void everyRequestIsOneJsonRpcPostWithTheJsonContentType() throws Exception {
    node.server.stubFor(rpc("eth_chainId").willReturn(result("\"0xa5bf\"")));
    node.server.stubFor(rpc(RECEIPT).willReturn(result(successReceipt())));
    try (Web3jTempoRpc rpc = node.client().build()) {
      assertEquals(42431, rpc.chainId());
      assertSuccessReceipt(rpc.receipt(TX_HASH).orElseThrow());
    }
    List<LoggedRequest> sent = node.requests();
    assertEquals(2, sent.size());
    long previous = -1;
    for (LoggedRequest r : sent) {
      assertEquals(RequestMethod.POST, r.getMethod());
      assertEquals("/", r.getUrl());
      // exactly, not web3j's "application/json; charset=UTF-8"
      assertEquals("application/json", r.getHeader("Content-Type"));
      JsonNode body = RpcStandIn.tree(r.getBodyAsString());
      assertEquals("2.0", body.get("jsonrpc").textValue());
      assertTrue(body.get("id").isIntegralNumber(), body::toString);
      assertTrue(body.get("id").longValue() > previous, "a fresh id per request");
      previous = body.get("id").longValue();
      assertTrue(body.get("params").isArray());
    }
    assertEquals(
        "eth_chainId", RpcStandIn.tree(sent.get(0).getBodyAsString()).get("method").asText());
    assertEquals(RECEIPT, RpcStandIn.tree(sent.get(1).getBodyAsString()).get("method").asText());
  }

  // ---- the stand-in is as strict as a node ----

  private HttpResponse<String> raw(String method, String path, String contentType, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(node.uri.resolve(path))
            .timeout(Duration.ofSeconds(5))
            .method(method, HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String chainIdRequest(String id) {
    return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"eth_chainId\",\"params\":[]}";
  }

  @Test
  void theStandInRefusesARequestWithoutTheJsonContentType() throws Exception {
    node.server.stubFor(rpc("eth_chainId").willReturn(result("\"0xa5bf\"")));
    String body = chainIdRequest("7");
    for (String contentType :
        new String[] {null, "text/plain", "application/x-www-form-urlencoded"}) {
      HttpResponse<String> r = raw("POST", "/", contentType, body);
      assertEquals(415, r.statusCode(), String.valueOf(contentType));
    }
    // the same request with the JSON content type is answered, its id echoed
    for (String contentType :
        new String[] {"application/json", "application/json; charset=utf-8", "Application/JSON"}) {
      HttpResponse<String> r = raw("POST", "/", contentType, body);
      assertEquals(200, r.statusCode(), contentType);
      assertEquals(
          RpcStandIn.tree("{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":\"0xa5bf\"}"),
          RpcStandIn.tree(r.body()));
    }
    HttpResponse<String> stringId = raw("POST", "/", "application/json", chainIdRequest("\"a-7\""));
    assertEquals("a-7", RpcStandIn.tree(stringId.body()).get("id").textValue());
  }

  @Test
  void theStandInAnswersWhatANodeAnswersToAnythingElse() throws Exception {
    node.server.stubFor(rpc("eth_chainId").willReturn(result("\"0xa5bf\"")));
    String ct = "application/json";
    // not one JSON-RPC 2.0 request: -32600, with the id when it has a valid one
    String[][] invalid = {
      {"{\"jsonrpc\":\"1.0\",\"id\":7,\"method\":\"eth_chainId\",\"params\":[]}", "7"},
      {"{\"id\":7,\"method\":\"eth_chainId\",\"params\":[]}", "7"},
      {"{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"eth_chainId\"}", "7"},
      {"{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"eth_chainId\",\"params\":{}}", "7"},
      {"{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":7,\"params\":[]}", "7"},
      {"{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"eth_chainId\",\"params\":[]}", "null"},
      {"{\"jsonrpc\":\"2.0\",\"method\":\"eth_chainId\",\"params\":[]}", "null"},
      {"[" + chainIdRequest("7") + "]", "null"},
      {"hello", "null"}
    };
    for (String[] c : invalid) {
      HttpResponse<String> r = raw("POST", "/", ct, c[0]);
      assertEquals(200, r.statusCode(), c[0]);
      JsonNode answer = RpcStandIn.tree(r.body());
      assertEquals(-32600, answer.path("error").path("code").intValue(), c[0]);
      assertEquals(RpcStandIn.tree(c[1]), answer.get("id"), c[0]);
    }
    // a well-formed request for a method nobody answers: -32601
    JsonNode unknown =
        RpcStandIn.tree(
            raw("POST", "/", ct, chainIdRequest("8").replace("eth_chainId", "eth_foo")).body());
    assertEquals(-32601, unknown.path("error").path("code").intValue());
    assertEquals(8, unknown.get("id").intValue());
    // the wrong HTTP method or path
    assertEquals(405, raw("GET", "/", null, "").statusCode());
    assertEquals(405, raw("PUT", "/", ct, chainIdRequest("7")).statusCode());
    assertEquals(404, raw("POST", "/other", ct, chainIdRequest("7")).statusCode());
    assertThrows(IllegalArgumentException.class, () -> rpc("eth_foo"));
  }

  private static Set<String> iterable(java.util.Iterator<String> it) {
    java.util.Set<String> out = new java.util.HashSet<>();
    it.forEachRemaining(out::add);
    return out;
  }

  @Test
  void revertedReceiptIsParsedAsFailure() throws Exception {
    node.server.stubFor(rpc(SYNC).willReturn(result(RpcStandIn.fixture("receipt-reverted.json"))));
    try (Web3jTempoRpc rpc = node.client().build()) {
      TransactionReceipt r = rpc.sendAndWait(RAW_TX, RpcStandIn.REVERTED_TX_HASH);
      assertFalse(r.success());
      assertEquals(5, r.blockNumber());
      assertEquals(BigInteger.valueOf(0x5b40), r.gasUsed());
      assertEquals(1, r.logs().size());
      assertEquals(
          "0x000000000000000000000000000000000000000000000000000000000000012a",
          Hex.encode(r.logs().get(0).data()));
    }
  }

  @Test
  void methodNotFoundFallsBackToSendAndPollingAndIsRemembered() throws Exception {
    node.server.stubFor(rpc(SYNC).willReturn(error(-32601, "Method not found")));
    node.server.stubFor(rpc(SEND).willReturn(result(RpcStandIn.quote(TX_HASH))));
    node.sequence(RECEIPT, List.of(result("null"), result("null"), result(successReceipt())));
    try (Web3jTempoRpc rpc = node.client().build()) {
      assertSuccessReceipt(rpc.sendAndWait(RAW_TX, TX_HASH));
      assertEquals(1, node.count(SYNC));
      assertEquals(1, node.count(SEND));
      assertEquals(3, node.count(RECEIPT));
      JsonNode send =
          node.bodies().stream()
              .filter(b -> SEND.equals(b.get("method").textValue()))
              .findFirst()
              .orElseThrow();
      assertEquals(RpcStandIn.JSON.createArrayNode().add(RAW_TX_HEX), send.get("params"));

      // The same client does not try the synchronous method again.
      assertSuccessReceipt(rpc.sendAndWait(RAW_TX, TX_HASH));
      assertEquals(1, node.count(SYNC));
      assertEquals(2, node.count(SEND));
    }
  }

  @Test
  void nodeConfirmationTimeoutPollsWithoutSendingAgain() throws Exception {
    node.server.stubFor(rpc(SYNC).willReturn(error(-32603, "Transaction confirmation timeout")));
    node.sequence(RECEIPT, List.of(result("null"), result(successReceipt())));
    try (Web3jTempoRpc rpc = node.client().build()) {
      assertSuccessReceipt(rpc.sendAndWait(RAW_TX, TX_HASH));
    }
    assertEquals(1, node.count(SYNC));
    assertEquals(0, node.count(SEND));
    assertEquals(2, node.count(RECEIPT));
  }

  @Test
  void localTimeoutOfTheSyncCallPollsWithoutSendingAgain() throws Exception {
    node.server.stubFor(rpc(SYNC).willReturn(result(successReceipt()).withFixedDelay(1_500)));
    node.server.stubFor(rpc(RECEIPT).willReturn(result(successReceipt())));
    try (Web3jTempoRpc rpc = node.client().syncSendTimeout(Duration.ofMillis(200)).build()) {
      assertSuccessReceipt(rpc.sendAndWait(RAW_TX, TX_HASH));
    }
    assertEquals(1, node.count(SYNC));
    assertEquals(0, node.count(SEND));
    assertEquals(1, node.count(RECEIPT));
  }

  @Test
  void localTimeoutAndNoReceiptIsNotMined() {
    node.server.stubFor(rpc(SYNC).willReturn(result(successReceipt()).withFixedDelay(1_500)));
    node.server.stubFor(rpc(RECEIPT).willReturn(result("null")));
    try (Web3jTempoRpc rpc =
        node.client()
            .syncSendTimeout(Duration.ofMillis(200))
            .receiptTimeout(Duration.ofMillis(600))
            .build()) {
      TempoRpcException e =
          assertThrows(TempoRpcException.class, () -> rpc.sendAndWait(RAW_TX, TX_HASH));
      assertEquals(Kind.NOT_MINED, e.kind());
      assertTrue(e.maybeSent());
      assertEquals("tempo.tx_not_mined", e.reason());
    }
    assertEquals(0, node.count(SEND));
  }

  @Test
  void neverMinedIsNotMinedAfterTheDeadline() {
    node.server.stubFor(rpc(SYNC).willReturn(error(-32601, "Method not found")));
    node.server.stubFor(rpc(SEND).willReturn(result(RpcStandIn.quote(TX_HASH))));
    node.server.stubFor(rpc(RECEIPT).willReturn(result("null")));
    try (Web3jTempoRpc rpc = node.client().receiptTimeout(Duration.ofMillis(700)).build()) {
      long start = System.nanoTime();
      TempoRpcException e =
          assertThrows(TempoRpcException.class, () -> rpc.sendAndWait(RAW_TX, TX_HASH));
      long elapsedMs = (System.nanoTime() - start) / 1_000_000;
      assertEquals(Kind.NOT_MINED, e.kind());
      assertTrue(e.maybeSent());
      assertTrue(elapsedMs >= 700, "gave up before the deadline: " + elapsedMs + " ms");
      // 20 ms doubling to 80 ms: a handful of polls, not a busy loop.
      int polls = node.count(RECEIPT);
      assertTrue(polls >= 5 && polls <= 40, "polls: " + polls);
    }
  }

  // ---- transport faults ----

  @Test
  void http5xxToASendMaybeSent() {
    node.server.stubFor(rpc(SYNC).willReturn(aResponse().withStatus(502).withBody("bad gateway")));
    try (Web3jTempoRpc rpc = node.client().build()) {
      TempoRpcException e =
          assertThrows(TempoRpcException.class, () -> rpc.sendAndWait(RAW_TX, TX_HASH));
      assertEquals(Kind.UNAVAILABLE, e.kind());
      assertTrue(e.maybeSent());
      assertFalse(e.getMessage().contains("bad gateway"));
    }
    assertEquals(1, node.count(SYNC));
    assertEquals(0, node.count(SEND));
  }

  @Test
  void http429ToASendWasNotProcessed() {
    node.server.stubFor(rpc(SYNC).willReturn(aResponse().withStatus(429)));
    try (Web3jTempoRpc rpc = node.client().build()) {
      TempoRpcException e =
          assertThrows(TempoRpcException.class, () -> rpc.sendAndWait(RAW_TX, TX_HASH));
      assertEquals(Kind.UNAVAILABLE, e.kind());
      assertFalse(e.maybeSent());
    }
  }

  @Test
  void readsAreRetriedOnTransportFailuresOnly() throws Exception {
    node.sequence(
        "eth_chainId",
        List.of(aResponse().withStatus(503), aResponse().withStatus(503), result("\"0xa5bf\"")));
    try (Web3jTempoRpc rpc = node.client().build()) {
      assertEquals(42431, rpc.chainId());
    }
    assertEquals(3, node.count("eth_chainId"));
  }

  @Test
  void readRetriesAreBounded() {
    node.server.stubFor(rpc("eth_chainId").willReturn(aResponse().withStatus(503)));
    try (Web3jTempoRpc rpc = node.client().readAttempts(2).build()) {
      TempoRpcException e = assertThrows(TempoRpcException.class, rpc::chainId);
      assertEquals(Kind.UNAVAILABLE, e.kind());
      assertFalse(e.maybeSent());
    }
    assertEquals(2, node.count("eth_chainId"));
  }

  @Test
  void malformedJsonToASendMaybeSent() {
    node.server.stubFor(rpc(SYNC).willReturn(json("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{")));
    try (Web3jTempoRpc rpc = node.client().build()) {
      TempoRpcException e =
          assertThrows(TempoRpcException.class, () -> rpc.sendAndWait(RAW_TX, TX_HASH));
      assertEquals(Kind.MALFORMED_RESPONSE, e.kind());
      assertTrue(e.maybeSent());
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"jsonrpc\":\"2.0\",\"id\":{{jsonPath request.body '$.id'}} }",
        "{\"jsonrpc\":\"1.0\",\"id\":{{jsonPath request.body '$.id'}},\"result\":\"0x1\"}",
        "{\"jsonrpc\":\"2.0\",\"id\":987654321,\"result\":\"0x1\"}",
        "{\"jsonrpc\":\"2.0\",\"id\":\"{{jsonPath request.body '$.id'}}\",\"result\":\"0x1\"}",
        "{\"jsonrpc\":\"2.0\",\"id\":{{jsonPath request.body '$.id'}}.5,\"result\":\"0x1\"}",
        "{\"jsonrpc\":\"2.0\",\"id\":null,\"result\":\"0x1\"}",
        "{\"jsonrpc\":\"2.0\",\"result\":\"0x1\"}",
        "[]",
        "\"0x1\"",
        "",
        "<html>502 Bad Gateway</html>"
      })
  void wrongJsonRpcShapeIsMalformed(String body) {
    node.server.stubFor(rpc("eth_chainId").willReturn(json(body)));
    try (Web3jTempoRpc rpc = node.client().build()) {
      TempoRpcException e = assertThrows(TempoRpcException.class, rpc::chainId);
      assertEquals(Kind.MALFORMED_RESPONSE, e.kind());
      assertFalse(e.maybeSent());
    }
    assertEquals(1, node.count("eth_chainId"));
  }

  @Test
  void syncAnswerWithoutReceiptIsMalformedAndMaybeSent() {
    node.server.stubFor(rpc(SYNC).willReturn(result("null")));
    try (Web3jTempoRpc rpc = node.client().build()) {
      TempoRpcException e =
          assertThrows(TempoRpcException.class, () -> rpc.sendAndWait(RAW_TX, TX_HASH));
      assertEquals(Kind.MALFORMED_RESPONSE, e.kind());
      assertTrue(e.maybeSent());
    }
  }

  @Test
  void connectionRefusedIsUnavailableAndNotSent() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    try (Web3jTempoRpc rpc =
        RpcStandIn.client(URI.create("http://127.0.0.1:" + port + "/")).build()) {
      TempoRpcException e =
          assertThrows(TempoRpcException.class, () -> rpc.sendAndWait(RAW_TX, TX_HASH));
      assertEquals(Kind.UNAVAILABLE, e.kind());
      assertFalse(e.maybeSent());
      assertFalse(e.getMessage().contains(String.valueOf(port)));

      TempoRpcException read = assertThrows(TempoRpcException.class, () -> rpc.receipt(TX_HASH));
      assertEquals(Kind.UNAVAILABLE, read.kind());
      assertFalse(read.maybeSent());
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Fault.class,
      names = {"CONNECTION_RESET_BY_PEER", "EMPTY_RESPONSE", "RANDOM_DATA_THEN_CLOSE"})
  void droppedConnectionOnASendMaybeSent(Fault fault) {
    node.server.stubFor(rpc(SYNC).willReturn(aResponse().withFault(fault)));
    try (Web3jTempoRpc rpc = node.client().build()) {
      TempoRpcException e =
          assertThrows(TempoRpcException.class, () -> rpc.sendAndWait(RAW_TX, TX_HASH));
      assertTrue(e.maybeSent(), fault + " " + e.kind());
      assertTrue(
          e.kind() == Kind.UNAVAILABLE || e.kind() == Kind.MALFORMED_RESPONSE,
          fault + " " + e.kind());
    }
    // Not re-sent, neither by OkHttp nor by the client.
    assertEquals(1, node.count(SYNC));
    assertEquals(0, node.count(SEND));
  }

  @Test
  void droppedConnectionOnThePlainSendMaybeSent() {
    node.server.stubFor(rpc(SYNC).willReturn(error(-32601, "Method not found")));
    node.server.stubFor(
        rpc(SEND).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
    try (Web3jTempoRpc rpc = node.client().build()) {
      TempoRpcException e =
          assertThrows(TempoRpcException.class, () -> rpc.sendAndWait(RAW_TX, TX_HASH));
      assertEquals(Kind.UNAVAILABLE, e.kind());
      assertTrue(e.maybeSent());
    }
    assertEquals(1, node.count(SEND));
  }

  @Test
  void oversizedAnswerIsRefused() {
    String big = "\"0x" + "00".repeat(4096) + "\"";
    node.server.stubFor(rpc("eth_call").willReturn(result(big)));
    try (Web3jTempoRpc rpc = node.client().maxResponseBytes(2048).build()) {
      TempoRpcException e =
          assertThrows(
              TempoRpcException.class,
              () -> rpc.call(null, Address.of(new byte[20]), new byte[] {1}));
      assertEquals(Kind.MALFORMED_RESPONSE, e.kind());
    }
  }

  // ---- node refusals ----

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "-32003|nonce too low|tempo.nonce_invalid",
        "-32000|insufficient funds for gas * price + value: have 0 want 13572|"
            + "tempo.insufficient_funds",
        "-32003|insufficient fee token balance|tempo.insufficient_funds",
        "-32000|transaction expired: validBefore 1795316518 is in the past|tempo.tx_expired",
        "-32003|invalid signature|tempo.invalid_signature",
        "-32003|max fee per gas less than block base fee|tempo.fee_too_low",
        "-32000|replacement transaction underpriced|tempo.nonce_invalid",
        "-32000|transaction underpriced|tempo.fee_too_low",
        "-32602|Failed to decode transaction|tempo.tx_rejected",
        "-32003|native value transfer not allowed in Tempo mode|tempo.tx_rejected"
      })
  void refusalsCarryAStableCodeAndNoNodeText(int code, String message, String detail) {
    node.server.stubFor(rpc(SYNC).willReturn(error(code, message)));
    node.server.stubFor(rpc(RECEIPT).willReturn(result("null")));
    try (Web3jTempoRpc rpc = node.client().build()) {
      TempoRpcException e =
          assertThrows(TempoRpcException.class, () -> rpc.sendAndWait(RAW_TX, TX_HASH));
      assertEquals(Kind.REJECTED, e.kind());
      assertFalse(e.maybeSent());
      assertEquals(detail, e.reason());
      // mpp4j's words only: the node's text never reaches the message.
      assertEquals(
          SYNC + ": the node refused the transaction (" + detail + ", JSON-RPC code " + code + ")",
          e.getMessage());
    }
    assertEquals(0, node.count(SEND));
  }

  @Test
  void nonceComplaintAboutThisVeryMinedTransactionReturnsItsReceipt() throws Exception {
    node.server.stubFor(rpc(SYNC).willReturn(error(-32003, "nonce too low")));
    node.server.stubFor(rpc(RECEIPT).willReturn(result(successReceipt())));
    try (Web3jTempoRpc rpc = node.client().build()) {
      assertSuccessReceipt(rpc.sendAndWait(RAW_TX, TX_HASH));
    }
  }

  @Test
  void alreadyKnownPollsTheReceipt() throws Exception {
    node.server.stubFor(rpc(SYNC).willReturn(error(-32000, "already known")));
    node.sequence(RECEIPT, List.of(result("null"), result(successReceipt())));
    try (Web3jTempoRpc rpc = node.client().build()) {
      assertSuccessReceipt(rpc.sendAndWait(RAW_TX, TX_HASH));
    }
    assertEquals(0, node.count(SEND));
  }

  @Test
  void alreadyKnownButNeverMinedMaybeSent() {
    node.server.stubFor(rpc(SYNC).willReturn(error(-32000, "already known")));
    node.server.stubFor(rpc(RECEIPT).willReturn(result("null")));
    try (Web3jTempoRpc rpc = node.client().receiptTimeout(Duration.ofMillis(500)).build()) {
      TempoRpcException e =
          assertThrows(TempoRpcException.class, () -> rpc.sendAndWait(RAW_TX, TX_HASH));
      assertEquals(Kind.NOT_MINED, e.kind());
      assertTrue(e.maybeSent());
      assertEquals("tempo.already_known", e.reason());
    }
  }

  @Test
  void internalErrorOnASendMaybeSent() {
    node.server.stubFor(rpc(SYNC).willReturn(error(-32603, "database is locked")));
    try (Web3jTempoRpc rpc = node.client().build()) {
      TempoRpcException e =
          assertThrows(TempoRpcException.class, () -> rpc.sendAndWait(RAW_TX, TX_HASH));
      assertEquals(Kind.RPC_ERROR, e.kind());
      assertTrue(e.maybeSent());
      assertFalse(e.getMessage().contains("locked"));
    }
  }

  @Test
  void plainSendReportingAnotherHashIsAMismatch() {
    node.server.stubFor(rpc(SYNC).willReturn(error(-32601, "Method not found")));
    node.server.stubFor(
        rpc(SEND).willReturn(result(RpcStandIn.quote(RpcStandIn.REVERTED_TX_HASH))));
    try (Web3jTempoRpc rpc = node.client().build()) {
      TempoRpcException e =
          assertThrows(TempoRpcException.class, () -> rpc.sendAndWait(RAW_TX, TX_HASH));
      assertEquals(Kind.MALFORMED_RESPONSE, e.kind());
      assertEquals("tempo.tx_hash_mismatch", e.reason());
      assertTrue(e.maybeSent());
    }
  }

  // ---- receipts ----

  @Test
  void receiptOfAnotherTransactionIsAMismatch() {
    node.server.stubFor(rpc(SYNC).willReturn(result(successReceipt())));
    String other = "0x" + "ab".repeat(32);
    try (Web3jTempoRpc rpc = node.client().build()) {
      TempoRpcException e =
          assertThrows(TempoRpcException.class, () -> rpc.sendAndWait(RAW_TX, other));
      assertEquals(Kind.MALFORMED_RESPONSE, e.kind());
      assertEquals("tempo.tx_hash_mismatch", e.reason());
      assertTrue(e.maybeSent());

      node.server.stubFor(rpc(RECEIPT).willReturn(result(successReceipt())));
      TempoRpcException read = assertThrows(TempoRpcException.class, () -> rpc.receipt(other));
      assertEquals("tempo.tx_hash_mismatch", read.reason());
      assertFalse(read.maybeSent());
    }
  }

  @Test
  void receiptLookup() throws Exception {
    node.sequence(RECEIPT, List.of(result("null"), result(successReceipt())));
    try (Web3jTempoRpc rpc = node.client().build()) {
      assertEquals(Optional.empty(), rpc.receipt(TX_HASH));
      assertSuccessReceipt(rpc.receipt(TX_HASH).orElseThrow());
    }
    JsonNode first = node.bodies().get(0);
    assertEquals(RpcStandIn.JSON.createArrayNode().add(TX_HASH), first.get("params"));
  }

  @Test
  void aReceiptWithoutSenderIsMalformed() {
    ObjectNode r = (ObjectNode) RpcStandIn.tree(successReceipt());
    r.remove("from");
    node.server.stubFor(rpc(RECEIPT).willReturn(result(r.toString())));
    try (Web3jTempoRpc rpc = node.client().build()) {
      TempoRpcException e = assertThrows(TempoRpcException.class, () -> rpc.receipt(TX_HASH));
      assertEquals(Kind.MALFORMED_RESPONSE, e.kind());
    }
  }

  @Test
  void malformedReceiptDuringPollingStopsAtOnce() {
    node.server.stubFor(rpc(SYNC).willReturn(error(-32603, "Transaction confirmation timeout")));
    String broken = successReceipt().replace("\"status\": \"0x1\"", "\"status\": \"0x2\"");
    node.server.stubFor(rpc(RECEIPT).willReturn(result(broken)));
    try (Web3jTempoRpc rpc = node.client().build()) {
      TempoRpcException e =
          assertThrows(TempoRpcException.class, () -> rpc.sendAndWait(RAW_TX, TX_HASH));
      assertEquals(Kind.MALFORMED_RESPONSE, e.kind());
      assertTrue(e.maybeSent());
    }
    assertEquals(1, node.count(RECEIPT));
  }

  // ---- other reads ----

  @Test
  void ethCallSendsFromToDataAtLatest() throws Exception {
    node.server.stubFor(
        rpc("eth_call")
            .willReturn(
                result("\"0x00000000000000000000000000000000000000000000000000000000000f4240\"")));
    Address from = Address.parse("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266");
    Address token = Address.parse("0x20c0000000000000000000000000000000000001");
    try (Web3jTempoRpc rpc = node.client().build()) {
      byte[] out = rpc.call(from, token, new byte[] {0x70, (byte) 0xa0, (byte) 0x82, 0x31});
      assertEquals(BigInteger.valueOf(1_000_000), new BigInteger(1, out));
    }
    JsonNode params = node.bodies().get(0).get("params");
    assertEquals(2, params.size());
    assertEquals(from.toHex(), params.get(0).get("from").textValue());
    assertEquals(token.toHex(), params.get(0).get("to").textValue());
    assertEquals("0x70a08231", params.get(0).get("data").textValue());
    assertEquals("latest", params.get(1).textValue());
  }

  @Test
  void ethCallRevertIsReported() {
    node.server.stubFor(
        rpc("eth_call").willReturn(error(3, "execution reverted: InsufficientBalance")));
    try (Web3jTempoRpc rpc = node.client().build()) {
      TempoRpcException e =
          assertThrows(
              TempoRpcException.class, () -> rpc.call(null, Address.of(new byte[20]), new byte[0]));
      assertEquals(Kind.RPC_ERROR, e.kind());
      assertEquals("tempo.call_reverted", e.reason());
      assertFalse(e.getMessage().contains("InsufficientBalance"));
    }
    JsonNode tx = node.bodies().get(0).get("params").get(0);
    assertNull(tx.get("from"));
  }

  @Test
  void latestBlockTimestamp() throws Exception {
    node.server.stubFor(
        rpc("eth_getBlockByNumber")
            .willReturn(result("{\"number\":\"0x5\",\"timestamp\":\"0x6b025b2f\"}")));
    try (Web3jTempoRpc rpc = node.client().build()) {
      assertEquals(0x6b025b2fL, rpc.latestBlockTimestamp());
    }
    JsonNode params = node.bodies().get(0).get("params");
    assertEquals("latest", params.get(0).textValue());
    assertFalse(params.get(1).booleanValue());
  }

  @Test
  void chainIdIsParsed() throws Exception {
    node.server.stubFor(rpc("eth_chainId").willReturn(result("\"0xa5bf\"")));
    try (Web3jTempoRpc rpc = node.client().build()) {
      assertEquals(42431, rpc.chainId());
    }
  }

  // ---- arguments and settings ----

  @Test
  void argumentsAreChecked() {
    try (Web3jTempoRpc rpc = node.client().build()) {
      assertThrows(IllegalArgumentException.class, () -> rpc.sendAndWait(new byte[0], TX_HASH));
      assertThrows(
          IllegalArgumentException.class,
          () -> rpc.sendAndWait(RAW_TX, TX_HASH.toUpperCase(Locale.ROOT).replace("0X", "0x")));
      assertThrows(IllegalArgumentException.class, () -> rpc.receipt("0x1234"));
      assertThrows(NullPointerException.class, () -> rpc.sendAndWait(null, TX_HASH));
    }
    assertEquals(0, node.bodies().size());
  }

  @Test
  void builderRules() {
    URI uri = node.uri;
    assertThrows(
        IllegalArgumentException.class, () -> Web3jTempoRpc.builder(URI.create("ws://x:1/")));
    assertThrows(IllegalArgumentException.class, () -> Web3jTempoRpc.builder(URI.create("/rpc")));
    assertThrows(
        IllegalArgumentException.class,
        () -> Web3jTempoRpc.builder(uri).connectTimeout(Duration.ZERO));
    assertThrows(
        IllegalArgumentException.class,
        () -> Web3jTempoRpc.builder(uri).callTimeout(Duration.ofMillis(-1)));
    assertThrows(
        IllegalArgumentException.class,
        () -> Web3jTempoRpc.builder(uri).receiptTimeout(Duration.ofMinutes(11)));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            Web3jTempoRpc.builder(uri).pollInterval(Duration.ofSeconds(2), Duration.ofSeconds(1)));
    assertThrows(
        IllegalArgumentException.class, () -> Web3jTempoRpc.builder(uri).maxResponseBytes(10));
    assertThrows(IllegalArgumentException.class, () -> Web3jTempoRpc.builder(uri).readAttempts(0));
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                Web3jTempoRpc.builder(uri)
                    .syncSendTimeout(Duration.ofSeconds(30))
                    .receiptTimeout(Duration.ofSeconds(30))
                    .build());
    assertTrue(e.getMessage().contains("syncSendTimeout"));
    assertFalse(e.getMessage().contains(String.valueOf(node.server.port())));
  }
}
