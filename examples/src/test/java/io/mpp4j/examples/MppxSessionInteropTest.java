package io.mpp4j.examples;

import static io.mpp4j.tempo.chain.AnvilChain.ALPHA_USD;
import static io.mpp4j.tempo.chain.AnvilChain.PATH_USD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mpp4j.tempo.Address;
import io.mpp4j.tempo.chain.AnvilChain;
import io.mpp4j.tempo.chain.ReserveChain;
import io.mpp4j.tempo.chain.ReserveChainTest;
import io.mpp4j.tempo.internal.SigningKey;
import io.mpp4j.tempo.internal.session.Bytes32;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Interop for sessions: the reference TypeScript client (mppx 0.11.0's {@code
 * tempo.session.manager}, driven by {@code tools/chain/session.mjs}) against the example webapp,
 * started as its own process and configured only through the environment as the README says, on a
 * local chain hosting the v2 channel reserve ({@link ReserveChain}: anvil, the project's stand-in
 * contract at the precompile address and the JSON-RPC shim). The client opens a channel, pays
 * metered requests and a streamed response with vouchers (some sent mid-stream after {@code
 * payment-need-voucher}), tops up and closes; the server's operator key sends the close, and the
 * recipient then holds exactly what the server charged.
 */
@ReserveChainTest
class MppxSessionInteropTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final BigInteger USD = BigInteger.valueOf(1_000_000);
  private static final int METERED_PRICE = 1000; // 0.001 per request
  private static final int EVENT_PRICE = 100; // 0.0001 per event
  private static final int EVENTS = 20;

  /**
   * Fetches in a row: mppx signs a new voucher for each, faster than the server's default rate of
   * 10 new vouchers per channel and second, so the server paces them (none may be refused).
   */
  private static final int FETCHES = 25;

  private ExampleProcess example;

  @AfterEach
  void stop() throws Exception {
    if (example != null) {
      example.close();
    }
  }

  @Test
  void mppxOpensMetersStreamsTopsUpAndClosesASessionOnTheExample(ReserveChain chain)
      throws Exception {
    String payerHex = randomKeyHex();
    SigningKey payer = SigningKey.of(HexFormat.of().parseHex(payerHex.substring(2)));
    chain.fund(payer.address(), ALPHA_USD, USD.multiply(BigInteger.valueOf(5)));
    chain.approveReserve(payer, ALPHA_USD); // the stand-in moves tokens with transferFrom
    chain.fund(payer.address(), PATH_USD, BigInteger.valueOf(100_000));
    String operatorHex = randomKeyHex();
    SigningKey operator = SigningKey.of(HexFormat.of().parseHex(operatorHex.substring(2)));
    // the operator pays its settle and close fees in the channel's token (AlphaUSD here)
    chain.fund(operator.address(), ALPHA_USD, USD);
    Address recipient = AnvilChain.randomKey().address();
    BigInteger reserveBefore = chain.balanceOf(ALPHA_USD, ReserveChain.RESERVE);
    startExample(chain, recipient, operatorHex);

    List<JsonNode> lines =
        runSession(
            chain,
            payerHex,
            "fetch /api/metered x"
                + FETCHES
                + "; sse /api/stream?n="
                + EVENTS
                + "; topUp 500000; fetch /api/metered; close");
    assertEquals(FETCHES + 4, lines.size(), lines.toString());

    String channel = lines.get(0).path("channelId").asText();
    assertTrue(channel.matches("0x[0-9a-f]{64}"), lines.get(0).toString());
    for (int i = 0; i < FETCHES; i++) {
      JsonNode l = lines.get(i);
      assertEquals(200, l.path("status").asInt(), l.toString());
      JsonNode receipt = l.path("receipt");
      assertEquals("session", receipt.path("intent").asText(), l.toString());
      assertEquals(channel, receipt.path("channelId").asText());
      assertEquals(Integer.toString(METERED_PRICE * (i + 1)), receipt.path("spent").asText());
      assertTrue(JSON.readTree(l.path("body").asText()).isObject(), l.toString());
    }

    // the stream: one charge per event on the same channel (metering is per channel across both
    // routes), the events in order, vouchers sent by the client while it ran
    JsonNode sse = lines.get(FETCHES);
    assertTrue(sse.path("ok").asBoolean(), sse.toString());
    List<String> events = new ArrayList<>();
    sse.path("events").forEach(e -> events.add(e.asText()));
    List<String> expected = new ArrayList<>();
    for (int k = 1; k <= EVENTS; k++) {
      expected.add("{\"seq\":" + k + "}");
    }
    assertEquals(expected, events);
    JsonNode last = sse.path("receipts").path(sse.path("receipts").size() - 1);
    int afterStream = FETCHES * METERED_PRICE + EVENTS * EVENT_PRICE;
    assertEquals(Integer.toString(afterStream), last.path("spent").asText(), sse.toString());
    assertEquals(channel, sse.path("channelId").asText());

    JsonNode topUp = lines.get(FETCHES + 1);
    assertTrue(topUp.path("ok").asBoolean(), topUp.toString());
    JsonNode afterTopUp = lines.get(FETCHES + 2);
    assertEquals(200, afterTopUp.path("status").asInt(), afterTopUp.toString());
    int spent = afterStream + METERED_PRICE;
    assertEquals(Integer.toString(spent), afterTopUp.path("receipt").path("spent").asText());

    // the close: sent by the server's operator key, capturing exactly what was spent
    JsonNode close = lines.get(FETCHES + 3);
    String txHash = close.path("txHash").asText();
    assertTrue(txHash.matches("0x[0-9a-f]{64}"), close.toString());
    AnvilChain.Receipt closeTx = chain.anvil().awaitReceipt(txHash);
    assertEquals(1, closeTx.status(), closeTx.toString());
    assertEquals(operator.address(), closeTx.from(), "the operator sends the close");
    assertEquals(BigInteger.valueOf(spent), chain.balanceOf(ALPHA_USD, recipient));
    assertEquals(reserveBefore, chain.balanceOf(ALPHA_USD, ReserveChain.RESERVE));
    assertEquals(BigInteger.ZERO, chain.channelState(id(channel)).deposit(), "closed");

    // the channel is gone: a voucher for it is refused, nothing served
    HttpResponse<String> after = get(example.base() + "/api/metered");
    assertEquals(402, after.statusCode());
  }

  /** Starts the example with tempo sessions on {@code chain}, as the README's table says. */
  private void startExample(ReserveChain chain, Address recipient, String operatorHex)
      throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("MPP_REALM", "127.0.0.1");
    env.put("MPP_SECRET_KEY", "example-session-interop-secret-0123456789");
    env.put("MPP_METHODS", "tempo");
    env.put("TEMPO_RPC_URL", chain.rpcUrl().toString());
    env.put("TEMPO_CHAIN_ID", Long.toString(chain.chainId()));
    env.put("TEMPO_RECIPIENT", recipient.toHex());
    env.put("TEMPO_CURRENCY", ALPHA_USD.toHex());
    env.put("TEMPO_OPERATOR_KEY", operatorHex);
    example = ExampleProcess.start(env);
  }

  /** Runs session.mjs with the steps; every step must succeed. Returns one JSON line per step. */
  private List<JsonNode> runSession(ReserveChain chain, String payerHex, String steps)
      throws Exception {
    Path out = Files.createTempFile("mppx-session", ".out");
    Path err = Files.createTempFile("mppx-session", ".err");
    try {
      ProcessBuilder pb =
          new ProcessBuilder(
                  "node",
                  "session.mjs",
                  example.base(),
                  "--rpc-url",
                  chain.rpcUrl().toString(),
                  "--chain-id",
                  Long.toString(chain.chainId()),
                  "--steps",
                  steps)
              .directory(MppxClient.chainTools().toFile())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile());
      pb.environment().remove("MPPX_PRIVATE_KEY");
      pb.environment().put("MPPX_PRIVATE_KEY", payerHex);
      Process p = pb.start();
      if (!p.waitFor(240, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      String output = Files.readString(out, StandardCharsets.UTF_8);
      String errors = Files.readString(err, StandardCharsets.UTF_8);
      assertEquals(
          0,
          p.exitValue(),
          output + "\nstderr: " + tail(errors) + "\nexample: " + tail(example.output()));
      List<JsonNode> lines = new ArrayList<>();
      for (String l : output.lines().filter(l -> !l.isBlank()).toList()) {
        lines.add(JSON.readTree(l));
      }
      return lines;
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private static String tail(String s) {
    return s.substring(Math.max(0, s.length() - 20_000));
  }

  /** A random test key as 0x hex (the scripts take keys from the environment only). */
  private static String randomKeyHex() {
    byte[] secret = new byte[32];
    SecureRandom random = new SecureRandom();
    while (true) {
      random.nextBytes(secret);
      try {
        SigningKey.of(secret.clone());
        return "0x" + HexFormat.of().formatHex(secret);
      } catch (IllegalArgumentException outOfRange) {
        // zero or >= n: draw again
      }
    }
  }

  static Bytes32 id(String hex) {
    return Bytes32.of(HexFormat.of().parseHex(hex.substring(2)));
  }

  static HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
