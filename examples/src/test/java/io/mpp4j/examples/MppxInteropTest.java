package io.mpp4j.examples;

import static io.mpp4j.tempo.chain.AnvilChain.ALPHA_USD;
import static io.mpp4j.tempo.chain.AnvilChain.PATH_USD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mpp4j.core.Receipt;
import io.mpp4j.tempo.Address;
import io.mpp4j.tempo.Secp256k1PrivateKey;
import io.mpp4j.tempo.chain.AnvilChain;
import io.mpp4j.tempo.chain.ChainTest;
import java.io.IOException;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Interop: the reference TypeScript client (mppx 0.11.0, pinned in tools/chain) pays the example
 * webapp's tempo route on a real local chain (anvil). The example runs as its own process,
 * configured only through the environment as the README says.
 */
@ChainTest
class MppxInteropTest {
  static final BigInteger PRICE = BigInteger.valueOf(500_000); // /api/premium costs 0.50
  static final ObjectMapper JSON = new ObjectMapper();

  Process server;
  String base;

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.destroy();
      if (!server.waitFor(20, TimeUnit.SECONDS)) {
        server.destroyForcibly().waitFor();
      }
    }
  }

  static Path chainTools() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      Path tools = dir.resolve("tools/chain");
      if (Files.isRegularFile(tools.resolve("pay.mjs"))
          && Files.isDirectory(tools.resolve("node_modules/mppx"))) {
        return tools;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException(
        "tools/chain with mppx installed not found: " + AnvilChain.INSTALL_HINT);
  }

  void startExample(AnvilChain chain, Address recipient, Map<String, String> extra)
      throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
                java, "-cp", System.getProperty("java.class.path"), ExampleServer.class.getName())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    Map<String, String> env = pb.environment();
    env.put("PORT", Integer.toString(port));
    env.put("MPP_REALM", "127.0.0.1");
    env.put("MPP_SECRET_KEY", "example-tempo-interop-secret-0123456789");
    env.put("MPP_METHODS", "tempo");
    env.put("TEMPO_RPC_URL", chain.rpcUrl().toString());
    env.put("TEMPO_CHAIN_ID", Long.toString(chain.chainId()));
    env.put("TEMPO_RECIPIENT", recipient.toHex());
    env.put("TEMPO_CURRENCY", ALPHA_USD.toHex());
    env.remove("TEMPO_FEE_PAYER_KEY");
    env.putAll(extra);
    server = pb.start();
    base = "http://127.0.0.1:" + port;
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      try {
        HttpResponse<Void> r =
            http.send(
                HttpRequest.newBuilder(URI.create(base + "/free")).build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // starting
      }
      if (System.nanoTime() > deadline || !server.isAlive()) {
        throw new IllegalStateException("example did not start");
      }
      Thread.sleep(200);
    }
  }

  /** Runs pay.mjs with the reference client; returns its one-line JSON result. */
  JsonNode payWithMppx(AnvilChain chain, String payerHex, String... options) throws Exception {
    Path tools = chainTools();
    List<String> cmd = new ArrayList<>(List.of("node", "pay.mjs", base + "/api/premium"));
    cmd.addAll(List.of("--rpc-url", chain.rpcUrl().toString(), "--chain-id", "42431"));
    cmd.addAll(List.of(options));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(tools.toFile());
    pb.environment().put("MPPX_PRIVATE_KEY", "0x" + payerHex);
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    Process p = pb.start();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("mppx did not finish within 90 s");
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    return JSON.readTree(out.substring(out.lastIndexOf('\n') + 1));
  }

  /** A fresh payer's key as hex, funded with {@code alpha} AlphaUSD and {@code path} pathUSD. */
  static String fundedPayerHex(AnvilChain chain, BigInteger alpha, BigInteger path) {
    byte[] secret = new byte[32];
    new java.security.SecureRandom().nextBytes(secret);
    Secp256k1PrivateKey key = Secp256k1PrivateKey.of(secret);
    chain.fund(key.address(), ALPHA_USD, alpha);
    if (path.signum() > 0) {
      chain.fund(key.address(), PATH_USD, path);
    }
    return HexFormat.of().formatHex(secret);
  }

  static Address address(String hex) {
    return Secp256k1PrivateKey.of(HexFormat.of().parseHex(hex)).address();
  }

  void assertPaid(JsonNode result, AnvilChain chain, Address recipient) throws Exception {
    assertEquals(200, result.path("status").asInt(), result.toString());
    Receipt receipt = Receipt.parse(result.path("paymentReceipt").asText());
    assertEquals("tempo", receipt.method());
    assertEquals("success", receipt.status());
    assertTrue(receipt.reference().matches("0x[0-9a-f]{64}"), receipt.reference());
    assertEquals(PRICE, chain.balanceOf(ALPHA_USD, recipient));
  }

  @Test
  void mppxPaysThePremiumRouteWithAPullPayment(AnvilChain chain) throws Exception {
    Address recipient = AnvilChain.randomKey().address();
    startExample(chain, recipient, Map.of());
    // mppx leaves feeToken empty; anvil admits such a transaction only if the sender holds
    // pathUSD for the fee (see AnvilChain#fundedPayer)
    String payer =
        fundedPayerHex(chain, BigInteger.valueOf(10_000_000), BigInteger.valueOf(1_000_000));
    assertPaid(payWithMppx(chain, payer, "--mode", "pull"), chain, recipient);
  }

  @Test
  void mppxPaysWithAPushPayment(AnvilChain chain) throws Exception {
    Address recipient = AnvilChain.randomKey().address();
    startExample(chain, recipient, Map.of());
    String payer =
        fundedPayerHex(chain, BigInteger.valueOf(10_000_000), BigInteger.valueOf(1_000_000));
    assertPaid(payWithMppx(chain, payer, "--mode", "push"), chain, recipient);
  }

  @Test
  void mppxPaysASponsoredRouteHoldingOnlyThePrice(AnvilChain chain) throws Exception {
    Address recipient = AnvilChain.randomKey().address();
    startExample(chain, recipient, Map.of("TEMPO_FEE_PAYER_KEY", AnvilChain.DEV_KEYS_HEX.get(2)));
    String payer = fundedPayerHex(chain, PRICE, BigInteger.ZERO); // exactly the price, no fee money
    assertPaid(payWithMppx(chain, payer), chain, recipient);
    assertEquals(BigInteger.ZERO, chain.balanceOf(ALPHA_USD, address(payer)));
  }
}
