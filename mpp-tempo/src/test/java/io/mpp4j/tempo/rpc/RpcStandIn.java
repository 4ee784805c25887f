package io.mpp4j.tempo.rpc;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.ScenarioMappingBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.ResponseTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.github.tomakehurst.wiremock.http.Response;
import com.github.tomakehurst.wiremock.matching.MatchResult;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.matching.ValueMatcher;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A JSON-RPC node stand-in, as strict as a real node: WireMock on a dynamic loopback port.
 *
 * <p>A stub made with {@link #rpc(String)} answers only a {@code POST} to {@code /} with a JSON
 * content type ({@code application/json}, optionally {@code ; charset=utf-8}: what jsonrpsee, the
 * server of reth-based Tempo nodes, accepts; anvil also accepts it) whose body is one JSON-RPC 2.0
 * request: {@code "jsonrpc":"2.0"}, an integer or string {@code id}, a known {@code method} string,
 * a {@code params} array. Answers made with {@link #result} and {@link #error} echo the request's
 * {@code id} exactly (number or string). Everything else gets what a node gives:
 *
 * <ul>
 *   <li>another path: HTTP 404; another HTTP method on {@code /}: HTTP 405;
 *   <li>a {@code POST} without a JSON content type: HTTP 415 (jsonrpsee's answer; anvil answers
 *       -32600 instead: both refuse);
 *   <li>a body that is not one JSON-RPC 2.0 request: -32600 "Invalid request" (with the request's
 *       id when it has a valid one, else {@code null});
 *   <li>a well-formed request for a method no stub answers (an unknown one, or a known one the test
 *       did not stub): -32601 "Method not found".
 * </ul>
 */
public final class RpcStandIn implements AutoCloseable {
  public static final ObjectMapper JSON = new ObjectMapper();

  /** The content types a node accepts (case-insensitive). */
  public static final String JSON_CONTENT_TYPE = "(?i)application/json( ?; ?charset=utf-8)?";

  /** The JSON-RPC methods of a Tempo node that mpp4j's client may call. */
  public static final Set<String> KNOWN_METHODS =
      Set.of(
          "eth_sendRawTransactionSync",
          "eth_sendRawTransaction",
          "eth_getTransactionReceipt",
          "eth_chainId",
          "eth_call",
          "eth_getBlockByNumber",
          "eth_getTransactionCount",
          "eth_estimateGas",
          "eth_gasPrice");

  /** The hash of the anvil transaction the receipt fixtures come from. */
  public static final String TX_HASH =
      "0xe7a5ae5bfe98eb44ac86cb934b14ddace8ef451729c3b4c719d4745ad9b84e91";

  public static final String REVERTED_TX_HASH =
      "0x79c3459fb34f14287d6b2960f2286c3af9126583e5c9847614a00495e098d033";

  /** Stand-in signed bytes; the client never decodes them. */
  static final byte[] RAW_TX = {0x76, (byte) 0xf8, 0x6d, 0x01, 0x02, 0x03, (byte) 0xab};

  static final String RAW_TX_HEX = "0x76f86d010203ab";

  /** Replaced in an answer body by the request's id as JSON (or {@code null}). */
  private static final String ID = "\"__rpc_request_id__\"";

  private static final String PATH = "/";

  /**
   * Replaced in an answer body by the keccak256 hash of the raw transaction in the request's first
   * parameter (what a node reports for a broadcast), so a stub can answer transactions whose bytes
   * the test does not know in advance.
   */
  public static final String RAW_TX_HASH = "__raw_tx_hash__";

  public final WireMockServer server;
  public final URI uri;

  public RpcStandIn() {
    server =
        new WireMockServer(
            WireMockConfiguration.wireMockConfig()
                .bindAddress("127.0.0.1")
                .dynamicPort()
                .containerThreads(20)
                .globalTemplating(true)
                .extensions(new EchoId()));
    server.start();
    uri = URI.create("http://127.0.0.1:" + server.port() + PATH);
    refuseTheRest();
  }

  /** The refusals of a real node, below every stub a test adds (higher number, lower priority). */
  private void refuseTheRest() {
    server.stubFor(any(anyUrl()).atPriority(100).willReturn(aResponse().withStatus(404)));
    server.stubFor(
        any(urlPathEqualTo(PATH)).atPriority(90).willReturn(aResponse().withStatus(405)));
    server.stubFor(
        post(urlPathEqualTo(PATH))
            .atPriority(80)
            .willReturn(
                aResponse()
                    .withStatus(415)
                    .withHeader("Content-Type", "text/plain")
                    .withBody("Supported content types: application/json")));
    server.stubFor(
        post(urlPathEqualTo(PATH))
            .withHeader("Content-Type", matching(JSON_CONTENT_TYPE))
            .atPriority(70)
            .willReturn(error(-32600, "Invalid request")));
    server.stubFor(
        post(urlPathEqualTo(PATH))
            .withHeader("Content-Type", matching(JSON_CONTENT_TYPE))
            .andMatching(r -> MatchResult.of(wellFormed(r) != null))
            .atPriority(60)
            .willReturn(error(-32601, "Method not found")));
  }

  /** A client with short waits so that the suite stays fast. */
  public Web3jTempoRpc.Builder client() {
    return client(uri);
  }

  /** The same short waits, for another URI. */
  public static Web3jTempoRpc.Builder client(URI uri) {
    return Web3jTempoRpc.builder(uri)
        .connectTimeout(Duration.ofMillis(500))
        .callTimeout(Duration.ofSeconds(2))
        .syncSendTimeout(Duration.ofMillis(400))
        .pollInterval(Duration.ofMillis(20), Duration.ofMillis(80))
        .receiptTimeout(Duration.ofMillis(1500));
  }

  /** A stub for well-formed JSON-RPC 2.0 requests of {@code method}, as a node receives them. */
  public static MappingBuilder rpc(String method) {
    if (!KNOWN_METHODS.contains(method)) {
      throw new IllegalArgumentException("not a method of a Tempo node: " + method);
    }
    return post(urlPathEqualTo(PATH))
        .withHeader("Content-Type", matching(JSON_CONTENT_TYPE))
        .andMatching(request(method));
  }

  static RequestPatternBuilder requested(String method) {
    return postRequestedFor(urlEqualTo(PATH))
        .withRequestBody(matchingJsonPath("$.method", equalTo(method)));
  }

  /** A success answer echoing the request's id. */
  public static ResponseDefinitionBuilder result(String resultJson) {
    return json("{\"jsonrpc\":\"2.0\",\"id\":" + ID + ",\"result\":" + resultJson + "}");
  }

  /** An error answer echoing the request's id. */
  public static ResponseDefinitionBuilder error(int code, String message) {
    return json(
        "{\"jsonrpc\":\"2.0\",\"id\":"
            + ID
            + ",\"error\":{\"code\":"
            + code
            + ",\"message\":"
            + quote(message)
            + "}}");
  }

  /** An answer with exactly this body, as a node sends it (HTTP 200, JSON). */
  public static ResponseDefinitionBuilder json(String body) {
    return aResponse()
        .withStatus(200)
        .withHeader("Content-Type", "application/json")
        .withBody(body);
  }

  /** Answers {@code method} with each body in turn, repeating the last one. */
  public void sequence(String method, List<ResponseDefinitionBuilder> answers) {
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

  /** How many requests for {@code method} arrived. */
  public int count(String method) {
    return server.countRequestsMatching(requested(method).build()).getCount();
  }

  /** The bodies of every request that arrived, in order. */
  public List<JsonNode> bodies() {
    return server.findAll(postRequestedFor(urlEqualTo(PATH))).stream()
        .map(LoggedRequest::getBodyAsString)
        .map(RpcStandIn::tree)
        .toList();
  }

  /** Every request that arrived, in order. */
  public List<LoggedRequest> requests() {
    return server.findAll(postRequestedFor(urlEqualTo(PATH)));
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

  public static String quote(String s) {
    try {
      return JSON.writeValueAsString(s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Matches a body that is one JSON-RPC 2.0 request for {@code method}. */
  private static ValueMatcher<Request> request(String method) {
    return r -> {
      JsonNode body = wellFormed(r);
      return MatchResult.of(body != null && method.equals(body.get("method").textValue()));
    };
  }

  /** The body when it is one JSON-RPC 2.0 request, else null. */
  private static @Nullable JsonNode wellFormed(Request r) {
    if (!RequestMethod.POST.equals(r.getMethod())) {
      return null;
    }
    JsonNode body;
    try {
      body = JSON.readTree(r.getBodyAsString());
    } catch (IOException e) {
      return null;
    }
    if (body == null || !body.isObject()) {
      return null;
    }
    JsonNode jsonrpc = body.get("jsonrpc");
    JsonNode method = body.get("method");
    JsonNode params = body.get("params");
    boolean valid =
        jsonrpc != null
            && jsonrpc.isTextual()
            && "2.0".equals(jsonrpc.textValue())
            && validId(body.get("id"))
            && method != null
            && method.isTextual()
            && params != null
            && params.isArray();
    return valid ? body : null;
  }

  private static boolean validId(@Nullable JsonNode id) {
    return id != null && (id.isIntegralNumber() || id.isTextual());
  }

  /** Puts the request's id (as JSON; {@code null} when it has no valid one) into the answer. */
  static final class EchoId implements ResponseTransformerV2 {
    @Override
    public Response transform(Response response, ServeEvent serveEvent) {
      String body = response.getBodyAsString();
      if (body != null && body.contains(RAW_TX_HASH)) {
        body = body.replace(RAW_TX_HASH, rawTxHash(serveEvent.getRequest().getBodyAsString()));
        response = Response.Builder.like(response).but().body(body).build();
      }
      if (body == null || !body.contains(ID)) {
        return response;
      }
      String id = "null";
      try {
        JsonNode request = JSON.readTree(serveEvent.getRequest().getBodyAsString());
        JsonNode given = request == null ? null : request.get("id");
        if (validId(given)) {
          id = JSON.writeValueAsString(given);
        }
      } catch (IOException e) {
        // not JSON: the id stays null, as a node answers
      }
      return Response.Builder.like(response).but().body(body.replace(ID, id)).build();
    }

    @Override
    public String getName() {
      return "json-rpc-echo-id";
    }

    private static String rawTxHash(String requestBody) {
      try {
        JsonNode params = JSON.readTree(requestBody).get("params");
        byte[] raw = io.mpp4j.tempo.internal.Hex.decodeUnchecked(params.get(0).textValue());
        return io.mpp4j.tempo.internal.Hex.encode(io.mpp4j.tempo.internal.Keccak.hash(raw));
      } catch (IOException | RuntimeException e) {
        return "0x";
      }
    }
  }

  @Override
  public void close() {
    server.stop();
  }
}
