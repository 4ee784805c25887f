package io.mpp4j.tempo.chain;

import static io.mpp4j.tempo.chain.AnvilChain.ALPHA_USD;
import static io.mpp4j.tempo.chain.AnvilChain.PATH_USD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mpp4j.tempo.Address;
import io.mpp4j.tempo.internal.SigningKey;
import io.mpp4j.tempo.internal.session.Bytes32;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The reference pieces on the stand-in: mppx 0.11.0's own session server ({@code
 * tools/chain/session-server.mjs}) and client ({@code tools/chain/session.mjs}, {@code
 * tempo.session.manager}) run a whole v2 session through the {@link ReserveShim} on anvil: open,
 * metered fetches, a top-up, an SSE stream with vouchers sent mid-stream, and a cooperative close
 * sent by the operator. Afterwards the recipient holds exactly what was charged, the channel is
 * gone and the payer got the rest back. If the stand-in or the shim differed from what mppx expects
 * of the precompile, the run would fail.
 */
@ReserveChainTest
class MppxSessionReferenceChainTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final BigInteger USD = BigInteger.valueOf(1_000_000);
  private static final long STEP_TIMEOUT_SECONDS = 180;

  /**
   * The server's default event count. The stream URL has no query: mppx 0.11.0's server charges a
   * bodiless voucher POST to a URL with a query string as a request, which takes the coverage its
   * own stream had reserved and ends the stream ("reserved voucher coverage is no longer
   * available"). An mppx server issue, not the chain's.
   */
  private static final int STREAM_EVENTS = 20;

  private static final BigInteger PAYER_PATH_USD = BigInteger.valueOf(100_000);

  private final Map<Long, Path> stderrFiles = new java.util.concurrent.ConcurrentHashMap<>();

  @Test
  void mppxServerAndClientRunASessionOnTheStandIn(ReserveChain chain) throws Exception {
    String payerHex = randomKeyHex();
    SigningKey payer = SigningKey.of(HexFormat.of().parseHex(payerHex.substring(2)));
    chain.fund(payer.address(), ALPHA_USD, USD.multiply(BigInteger.valueOf(5)));
    chain.approveReserve(payer, ALPHA_USD);
    // mppx's server simulates the open with eth_call and no fee token; anvil then checks the
    // payer's pathUSD against gas * maxFeePerGas (see tools/chain/README.md)
    chain.fund(payer.address(), PATH_USD, PAYER_PATH_USD);
    String operatorHex = randomKeyHex();
    SigningKey operator = SigningKey.of(HexFormat.of().parseHex(operatorHex.substring(2)));
    chain.fundOperator(operator.address(), USD);
    Address recipient = AnvilChain.randomKey().address();
    BigInteger payerStart = chain.balanceOf(ALPHA_USD, payer.address());
    BigInteger reserveBefore = chain.balanceOf(ALPHA_USD, ReserveChain.RESERVE);

    Path tools = ReserveChain.findArtifact().orElseThrow().getParent().getParent();
    Process server =
        node(
            tools,
            List.of(
                "session-server.mjs",
                "--rpc-url",
                chain.rpcUrl().toString(),
                "--recipient",
                recipient.toHex()),
            Map.of("MPPX_OPERATOR_KEY", operatorHex));
    List<JsonNode> lines;
    try {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
      String first = CompletableFuture.supplyAsync(() -> readLine(out)).get(30, TimeUnit.SECONDS);
      String baseUrl = JSON.readTree(first).path("listening").asText();
      assertTrue(baseUrl.startsWith("http://127.0.0.1:"), first);

      Process client =
          node(
              tools,
              List.of(
                  "session.mjs",
                  baseUrl,
                  "--rpc-url",
                  chain.rpcUrl().toString(),
                  "--steps",
                  "fetch /api/metered x3; topUp 500000; fetch /api/metered; close; "
                      + "sse /api/stream; close"),
              Map.of("MPPX_PRIVATE_KEY", payerHex));
      String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!client.waitFor(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        client.destroyForcibly();
      }
      assertEquals(0, client.exitValue(), output + stderr(client) + stderr(server));
      lines = new ArrayList<>();
      for (String l : output.lines().filter(l -> !l.isBlank()).toList()) {
        lines.add(JSON.readTree(l));
      }
    } finally {
      server.destroy();
      if (!server.waitFor(10, TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
    }
    assertEquals(8, lines.size(), lines.toString());
    assertTrue(lines.stream().allMatch(l -> l.path("ok").asBoolean()), lines.toString());

    // the metered channel: opened by the first fetch, 4 requests at 1000, one top-up, closed
    String metered = lines.get(0).path("channelId").asText();
    for (int i = 0; i < 3; i++) {
      JsonNode l = lines.get(i);
      assertEquals(200, l.path("status").asInt(), l.toString());
      assertEquals("{\"ok\":true}", l.path("body").asText());
      assertEquals(metered, l.path("receipt").path("channelId").asText());
      assertEquals(Integer.toString(1000 * (i + 1)), l.path("receipt").path("spent").asText());
    }
    String openTx = lines.get(0).path("receipt").path("txHash").asText();
    assertEquals(1, chain.anvil().awaitReceipt(openTx).status());
    assertEquals(
        1,
        chain.anvil().awaitReceipt(lines.get(3).path("receipt").path("txHash").asText()).status());
    assertEquals("4000", lines.get(4).path("receipt").path("spent").asText());
    JsonNode close1 = lines.get(5);
    AnvilChain.Receipt closeTx = chain.anvil().awaitReceipt(close1.path("txHash").asText());
    assertEquals(1, closeTx.status(), closeTx.toString());
    assertEquals(operator.address(), closeTx.from(), "the operator sends the close");
    assertEquals(ReserveAbi.CHANNEL_CLOSED, ReserveChain.reserveLogs(closeTx).get(0).topic0());

    // the stream: a new channel, 20 events at 100 each, vouchers sent while it ran
    JsonNode sse = lines.get(6);
    List<String> events = new ArrayList<>();
    sse.path("events").forEach(e -> events.add(e.asText()));
    List<String> expected = new ArrayList<>();
    for (int k = 1; k <= STREAM_EVENTS; k++) {
      expected.add("{\"seq\":" + k + "}");
    }
    assertEquals(expected, events);
    // the final payment-receipt event: every event charged, covered by vouchers sent mid-stream
    // (the open carried a voucher for the first event only)
    JsonNode last = sse.path("receipts").path(sse.path("receipts").size() - 1);
    assertEquals(
        Integer.toString(100 * STREAM_EVENTS), last.path("spent").asText(), sse.toString());
    assertEquals(
        Integer.toString(100 * STREAM_EVENTS),
        last.path("acceptedCumulative").asText(),
        sse.toString());
    String streamed = sse.path("channelId").asText();
    assertTrue(!streamed.equals(metered), "the stream opened its own channel");
    JsonNode close2 = lines.get(7);
    assertEquals(1, chain.anvil().awaitReceipt(close2.path("txHash").asText()).status());

    // the recipient holds exactly what was charged; the reserve keeps nothing of either channel
    assertEquals(
        BigInteger.valueOf(4 * 1000 + STREAM_EVENTS * 100), chain.balanceOf(ALPHA_USD, recipient));
    assertEquals(reserveBefore, chain.balanceOf(ALPHA_USD, ReserveChain.RESERVE));
    for (String id : List.of(metered, streamed)) {
      assertEquals(
          BigInteger.ZERO,
          chain.channelState(Bytes32.of(AnvilChain.unhex(id))).deposit(),
          "closed: " + id);
    }
    assertTrue(chain.balanceOf(ALPHA_USD, payer.address()).compareTo(payerStart) < 0);
  }

  private Process node(Path dir, List<String> args, Map<String, String> env) throws IOException {
    List<String> command = new ArrayList<>();
    command.add("node");
    command.addAll(args);
    Path err = Files.createTempFile("mppx-" + args.get(0), ".stderr");
    err.toFile().deleteOnExit();
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(dir.toFile()).redirectError(err.toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    stderrFiles.put(p.pid(), err);
    return p;
  }

  private static String readLine(BufferedReader in) {
    try {
      String l = in.readLine();
      if (l == null) {
        throw new IllegalStateException("the server ended before it listened");
      }
      return l;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The last 20,000 characters the process wrote to stderr (a file: reading never blocks). */
  private String stderr(Process p) throws IOException {
    String all = Files.readString(stderrFiles.get(p.pid()), StandardCharsets.UTF_8);
    return "\nstderr of pid " + p.pid() + ": " + all.substring(Math.max(0, all.length() - 20_000));
  }

  /** A random test key as 0x hex (the scripts take keys from the environment only). */
  private static String randomKeyHex() {
    byte[] secret = new byte[32];
    while (true) {
      new java.security.SecureRandom().nextBytes(secret);
      try {
        SigningKey.of(secret.clone());
        return "0x" + HexFormat.of().formatHex(secret);
      } catch (IllegalArgumentException outOfRange) {
        // zero or >= n: draw again
      }
    }
  }
}
