package io.mpp4j.examples;

import static io.mpp4j.tempo.chain.AnvilChain.ALPHA_USD;
import static io.mpp4j.tempo.chain.AnvilChain.PATH_USD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mpp4j.core.Receipt;
import io.mpp4j.tempo.Address;
import io.mpp4j.tempo.Secp256k1PrivateKey;
import io.mpp4j.tempo.chain.AnvilChain;
import io.mpp4j.tempo.chain.ChainTest;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
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

  ExampleProcess example;

  @AfterEach
  void stop() throws Exception {
    if (example != null) {
      example.close();
    }
  }

  void startExample(AnvilChain chain, Address recipient, Map<String, String> extra)
      throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("MPP_REALM", "127.0.0.1");
    env.put("MPP_SECRET_KEY", "example-tempo-interop-secret-0123456789");
    env.put("MPP_METHODS", "tempo");
    env.put("TEMPO_RPC_URL", chain.rpcUrl().toString());
    env.put("TEMPO_CHAIN_ID", Long.toString(chain.chainId()));
    env.put("TEMPO_RECIPIENT", recipient.toHex());
    env.put("TEMPO_CURRENCY", ALPHA_USD.toHex());
    env.putAll(extra);
    example = ExampleProcess.start(env);
  }

  /** Runs pay.mjs with the reference client; returns its one-line JSON result. */
  JsonNode payWithMppx(AnvilChain chain, String payerHex, String... options) throws Exception {
    List<String> args =
        new ArrayList<>(List.of("--rpc-url", chain.rpcUrl().toString(), "--chain-id", "42431"));
    args.addAll(List.of(options));
    return MppxClient.pay(
        example.base() + "/api/premium", args, Map.of("MPPX_PRIVATE_KEY", "0x" + payerHex));
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
