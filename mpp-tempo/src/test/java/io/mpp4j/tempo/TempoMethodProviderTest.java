package io.mpp4j.tempo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpp4j.spi.MethodSettings;
import io.mpp4j.spi.PaymentMethodProvider;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The web.xml bridge: ServiceLoader registration and the tempo.* settings. */
class TempoMethodProviderTest {
  private static final String RECIPIENT = "0x742d35cc6634c0532925a3b844bc9e7595f8fe00";
  private static final String FEE_KEY =
      "59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";

  private static TempoConfig create(Map<String, String> values, Map<String, String> env) {
    TempoMethod m =
        assertInstanceOf(
            TempoMethod.class,
            new TempoMethodProvider().create(MethodSettings.of("tempo", values, env::get)));
    m.close();
    return m.config();
  }

  private static TempoConfig create(Map<String, String> values) {
    return create(values, Map.of());
  }

  private static IllegalArgumentException fails(Map<String, String> values) {
    return assertThrows(
        IllegalArgumentException.class,
        () ->
            new TempoMethodProvider()
                .create(MethodSettings.of("tempo", values, Map.of("K", "0x1234")::get)));
  }

  @Test
  void isFoundByServiceLoader() {
    boolean found = false;
    for (PaymentMethodProvider p : ServiceLoader.load(PaymentMethodProvider.class)) {
      found |= p instanceof TempoMethodProvider && p.name().equals("tempo");
    }
    assertTrue(found);
  }

  @Test
  void anOperatorKeyFromItsVariableEnablesSessionsOnTheGivenEscrow() {
    Map<String, String> values = new HashMap<>();
    values.put("network", "testnet");
    values.put("recipient", RECIPIENT);
    values.put("operatorKeyEnv", "TEMPO_OPERATOR_KEY");
    values.put("escrow", "0x2222222222222222222222222222222222222222");
    TempoConfig c = create(values, Map.of("TEMPO_OPERATOR_KEY", FEE_KEY));
    assertTrue(c.offersSessions());
    assertEquals(Fixtures.FEE_PAYER_ADDRESS, c.operatorAddress().toHex());
    assertEquals("0x2222222222222222222222222222222222222222", c.escrow().toHex());
    assertFalse(c.toString().contains(FEE_KEY));
  }

  @Test
  void withoutTheOperatorVariableSessionsAreOffAndAnEmptyEscrowIsTheDefault() {
    Map<String, String> values = new HashMap<>();
    values.put("network", "testnet");
    values.put("recipient", RECIPIENT);
    values.put("operatorKeyEnv", "TEMPO_OPERATOR_KEY");
    values.put("escrow", "");
    TempoConfig c = create(values, Map.of());
    assertFalse(c.offersSessions());
    assertEquals(TempoNetwork.CHANNEL_RESERVE, c.escrow());
  }

  @Test
  void aBadOperatorKeyFailsWithoutEchoingIt() {
    Map<String, String> values = new HashMap<>();
    values.put("network", "testnet");
    values.put("recipient", RECIPIENT);
    values.put("operatorKeyEnv", "K");
    IllegalArgumentException e = fails(values);
    assertTrue(e.getMessage().contains("operator key"), e.getMessage());
    assertFalse(e.getMessage().contains("0x1234"), e.getMessage());
  }

  @Test
  void testnetWithARecipient() {
    TempoConfig c = create(Map.of("network", "testnet", "recipient", RECIPIENT));
    assertEquals(42431, c.chainId());
    assertEquals(URI.create("https://rpc.moderato.tempo.xyz"), c.rpcUrl());
    assertEquals(TempoNetwork.PATH_USD, c.currency());
    assertEquals(Set.of(PaymentMode.PULL, PaymentMode.PUSH), c.modes());
    assertFalse(c.sponsorsFees());
  }

  @Test
  void aKnownChainIdUsesItsPublicEndpointAndALocalChainNeedsAnRpcUrl() {
    assertEquals(
        URI.create("https://rpc.tempo.xyz"),
        create(Map.of("chainId", "4217", "recipient", RECIPIENT)).rpcUrl());
    TempoConfig local =
        create(
            Map.of("chainId", "1337", "rpcUrl", "http://127.0.0.1:8545", "recipient", RECIPIENT));
    assertEquals(1337, local.chainId());
    IllegalArgumentException e = fails(Map.of("chainId", "1337", "recipient", RECIPIENT));
    assertTrue(e.getMessage().contains("tempo.rpcUrl"), e.getMessage());
  }

  @Test
  void everySetting() {
    Map<String, String> v = new HashMap<>();
    v.put("chainId", "42431");
    v.put("rpcUrl", "http://127.0.0.1:8545");
    v.put("recipient", RECIPIENT);
    v.put("currency", "0x20c0000000000000000000000000000000000001");
    v.put(
        "splits",
        "0x1111111111111111111111111111111111111111:0.01, 0x2222222222222222222222222222222222222222:0.000002");
    v.put("feePayerKeyEnv", "FEE");
    v.put("feeToken", "0x20c0000000000000000000000000000000000002");
    v.put("modes", "pull");
    v.put("connectTimeout", "PT2S");
    v.put("callTimeout", "7");
    v.put("receiptTimeout", "PT20S");
    v.put("pushReceiptWait", "PT1S");
    v.put("claimTtl", "PT48H");
    TempoConfig c = create(v, Map.of("FEE", "0x" + FEE_KEY));
    assertEquals(2, c.splits().size());
    assertEquals(BigInteger.valueOf(10_000), c.splits().get(0).amount());
    assertEquals(BigInteger.valueOf(2), c.splits().get(1).amount());
    assertTrue(c.sponsorsFees());
    assertEquals(Fixtures.FEE_PAYER_KEY.address(), c.feePayerAddress());
    assertEquals(Set.of(PaymentMode.PULL), c.modes());
    assertEquals(Duration.ofSeconds(7), c.callTimeout());
    assertEquals(Duration.ofDays(2), c.claimTtl());
    assertFalse(c.toString().contains(FEE_KEY));
  }

  @Test
  void anUnsetFeePayerVariableTurnsSponsorshipOff() {
    TempoConfig c =
        create(Map.of("network", "testnet", "recipient", RECIPIENT, "feePayerKeyEnv", "NOPE"));
    assertFalse(c.sponsorsFees());
    assertNull(c.feePayerAddress());
  }

  @Test
  void aBadFeePayerKeyIsNamedButNeverShown() {
    IllegalArgumentException e =
        fails(Map.of("network", "testnet", "recipient", RECIPIENT, "feePayerKeyEnv", "K"));
    assertTrue(e.getMessage().contains("tempo.feePayerKeyEnv"), e.getMessage());
    assertFalse(e.getMessage().contains("1234"), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "network=devnet|tempo.network",
        "chainId=abc|tempo.chainId",
        "chainId=4217,network=testnet|tempo.chainId",
        "recipient=0x1234|tempo.recipient",
        "currency=usd|tempo.currency",
        "rpcUrl=ftp://x|tempo.rpcUrl",
        "splits=0x1111111111111111111111111111111111111111|tempo.splits",
        "splits=0x1111111111111111111111111111111111111111:0.0000001|tempo.splits",
        "modes=pull;push;pay|tempo.modes",
        "modes=push|tempo",
        "callTimeout=soon|tempo.callTimeout",
        "colour=blue|tempo.colour",
      })
  void badValuesNameTheParameter(String pairs, String named) {
    Map<String, String> v = new HashMap<>();
    v.put("network", "testnet");
    v.put("recipient", RECIPIENT);
    for (String pair : pairs.split(",", -1)) {
      String[] kv = pair.split("=", 2);
      v.put(kv[0], kv[1].replace(';', ','));
    }
    if (pairs.equals("modes=push")) {
      v.put("feePayerKeyEnv", "FEE");
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  new TempoMethodProvider()
                      .create(MethodSettings.of("tempo", v, Map.of("FEE", FEE_KEY)::get)));
      assertTrue(e.getMessage().contains("tempo.modes"), e.getMessage());
      return;
    }
    IllegalArgumentException e = fails(v);
    assertTrue(e.getMessage().contains(named), e.getMessage());
  }

  @Test
  void theRecipientIsRequired() {
    IllegalArgumentException e = fails(Map.of("network", "testnet"));
    assertTrue(e.getMessage().contains("tempo.recipient"), e.getMessage());
  }
}
