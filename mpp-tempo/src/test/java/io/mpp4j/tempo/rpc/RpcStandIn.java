package io.mpp4j.tempo.rpc;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.ScenarioMappingBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * A JSON-RPC node stand-in: WireMock on a dynamic loopback port, answering per JSON-RPC method,
 * echoing the request id through response templating.
 */
final class RpcStandIn implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  /** The hash of the anvil transaction the receipt fixtures come from. */
  static final String TX_HASH =
      "0xe7a5ae5bfe98eb44ac86cb934b14ddace8ef451729c3b4c719d4745ad9b84e91";

  static final String REVERTED_TX_HASH =
      "0x79c3459fb34f14287d6b2960f2286c3af9126583e5c9847614a00495e098d033";

  /** Stand-in signed bytes; the client never decodes them. */
  static final byte[] RAW_TX = {0x76, (byte) 0xf8, 0x6d, 0x01, 0x02, 0x03, (byte) 0xab};

  static final String RAW_TX_HEX = "0x76f86d010203ab";

  private static final String ID = "{{jsonPath request.body '$.id'}}";

  final WireMockServer server;
  final URI uri;

  RpcStandIn() {
    server =
        new WireMockServer(
            WireMockConfiguration.wireMockConfig()
                .bindAddress("127.0.0.1")
                .dynamicPort()
                .containerThreads(20)
                .globalTemplating(true));
    server.start();
    uri = URI.create("http://127.0.0.1:" + server.port() + "/");
  }

  /** A client with short waits so that the suite stays fast. */
  Web3jTempoRpc.Builder client() {
    return client(uri);
  }

  /** The same short waits, for another URI. */
  static Web3jTempoRpc.Builder client(URI uri) {
    return Web3jTempoRpc.builder(uri)
        .connectTimeout(Duration.ofMillis(500))
        .callTimeout(Duration.ofSeconds(2))
        .syncSendTimeout(Duration.ofMillis(400))
        .pollInterval(Duration.ofMillis(20), Duration.ofMillis(80))
        .receiptTimeout(Duration.ofMillis(1500));
  }

  static MappingBuilder rpc(String method) {
    return post(urlEqualTo("/")).withRequestBody(matchingJsonPath("$.method", equalTo(method)));
  }

  static RequestPatternBuilder requested(String method) {
    return postRequestedFor(urlEqualTo("/"))
        .withRequestBody(matchingJsonPath("$.method", equalTo(method)));
  }

  static ResponseDefinitionBuilder result(String resultJson) {
    return json("{\"jsonrpc\":\"2.0\",\"id\":" + ID + ",\"result\":" + resultJson + "}");
  }

  static ResponseDefinitionBuilder error(int code, String message) {
    return json(
        "{\"jsonrpc\":\"2.0\",\"id\":"
            + ID
            + ",\"error\":{\"code\":"
            + code
            + ",\"message\":"
            + quote(message)
            + "}}");
  }

  static ResponseDefinitionBuilder json(String body) {
    return aResponse()
        .withStatus(200)
        .withHeader("Content-Type", "application/json")
        .withBody(body);
  }

  /** Answers {@code method} with each body in turn, repeating the last one. */
  void sequence(String method, List<ResponseDefinitionBuilder> answers) {
    String scenario = "seq-" + method;
    for (int i = 0; i < answers.size(); i++) {
      String state = i == 0 ? Scenario.STARTED : "step-" + i;
      ScenarioMappingBuilder m = rpc(method).inScenario(scenario).whenScenarioStateIs(state);
      if (i + 1 < answers.size()) {
        m = m.willSetStateTo("step-" + (i + 1));
      }
      server.stubFor(m.willReturn(answers.get(i)));
    }
  }

  int count(String method) {
    return server.countRequestsMatching(requested(method).build()).getCount();
  }

  List<JsonNode> bodies() {
    return server.findAll(postRequestedFor(urlEqualTo("/"))).stream()
        .map(LoggedRequest::getBodyAsString)
        .map(RpcStandIn::tree)
        .toList();
  }

  static JsonNode tree(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String fixture(String name) {
    try (InputStream in = RpcStandIn.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String successReceipt() {
    return fixture("receipt-success.json");
  }

  static String quote(String s) {
    try {
      return JSON.writeValueAsString(s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    server.stop();
  }
}
