package io.mpp4j.stripe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpp4j.spi.MethodSettings;
import io.mpp4j.spi.PaymentMethodProvider;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The web.xml bridge: ServiceLoader registration and namespaced settings. */
class StripeMethodProviderTest {
  private static final String KEY = "sk_test_providerKey4242";

  private static MethodSettings settings(Map<String, String> values, Map<String, String> env) {
    return MethodSettings.of("stripe", values, env::get);
  }

  private static StripeConfig create(Map<String, String> values) {
    PaymentMethodProvider provider = new StripeMethodProvider();
    StripeMethod m =
        assertInstanceOf(
            StripeMethod.class,
            provider.create(settings(values, Map.of("STRIPE_SECRET_KEY", KEY))));
    return m.config();
  }

  @Test
  void isFoundByServiceLoader() {
    boolean found = false;
    for (PaymentMethodProvider p : ServiceLoader.load(PaymentMethodProvider.class)) {
      found |= p instanceof StripeMethodProvider && p.name().equals("stripe");
    }
    assertTrue(found);
  }

  @Test
  void minimalSettings() {
    StripeConfig c = create(Map.of("networkId", "profile_web"));
    assertEquals("profile_web", c.networkId());
    assertEquals(KEY, c.apiKey());
    assertEquals("usd", c.currency());
  }

  @Test
  void everySetting() {
    Map<String, String> values = new HashMap<>();
    values.put("networkId", "profile_web");
    values.put("apiBase", "http://127.0.0.1:12111/");
    values.put("currency", "JPY");
    values.put("paymentMethodTypes", "card, link");
    values.put("captureAfterSuccess", "TRUE");
    values.put("connectTimeout", "PT2S");
    values.put("readTimeout", "7");
    values.put("retryBudget", "PT12S");
    values.put("maxAttempts", "4");
    values.put("sptPlacement", "payment-method-data");
    values.put("stripeVersion", "2026-04-22.preview");
    values.put("sptClaimTtl", "P2D");
    values.put("metadata.shop", "north");
    StripeConfig c = create(values);
    assertEquals("http://127.0.0.1:12111", c.apiBase());
    assertEquals("jpy", c.currency());
    assertEquals(List.of("card", "link"), c.paymentMethodTypes());
    assertTrue(c.captureAfterSuccess());
    assertEquals(Duration.ofSeconds(2), c.connectTimeout());
    assertEquals(Duration.ofSeconds(7), c.readTimeout());
    assertEquals(Duration.ofSeconds(12), c.retryBudget());
    assertEquals(4, c.maxAttempts());
    assertEquals(SptPlacement.PAYMENT_METHOD_DATA, c.sptPlacement());
    assertEquals("2026-04-22.preview", c.stripeVersion());
    assertEquals(Duration.ofDays(2), c.sptClaimTtl());
    assertEquals(Map.of("shop", "north"), c.metadata());
  }

  @Test
  void keyFromANamedVariableOrSystemProperty() {
    PaymentMethodProvider provider = new StripeMethodProvider();
    StripeMethod m =
        (StripeMethod)
            provider.create(
                settings(
                    Map.of("networkId", "p_1", "apiKeyEnv", "SHOP_STRIPE_KEY"),
                    Map.of("SHOP_STRIPE_KEY", KEY)));
    assertEquals(KEY, m.config().apiKey());

    System.setProperty("mpp4j.test.stripeKey", KEY);
    try {
      m =
          (StripeMethod)
              provider.create(
                  settings(
                      Map.of("networkId", "p_1", "apiKeyEnv", "sys:mpp4j.test.stripeKey"),
                      Map.of()));
      assertEquals(KEY, m.config().apiKey());
    } finally {
      System.clearProperty("mpp4j.test.stripeKey");
    }
  }

  @Test
  void missingKeyNamesTheParameter() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new StripeMethodProvider().create(settings(Map.of("networkId", "p_1"), Map.of())));
    assertTrue(e.getMessage().contains("stripe.apiKeyEnv"), e.getMessage());
    assertTrue(e.getMessage().contains("STRIPE_SECRET_KEY"), e.getMessage());
  }

  @Test
  void badKeyNeverEchoesIt() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new StripeMethodProvider()
                    .create(
                        settings(
                            Map.of("networkId", "p_1"),
                            Map.of("STRIPE_SECRET_KEY", "sk_live_secret value"))));
    assertTrue(e.getMessage().contains("stripe.apiKeyEnv"), e.getMessage());
    assertFalse(e.getMessage().contains("sk_live_secret"), e.getMessage());
  }

  @Test
  void missingNetworkIdNamesTheParameter() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> create(Map.of()));
    assertTrue(e.getMessage().contains("stripe.networkId"), e.getMessage());
  }

  @Test
  void badValuesNameTheParameterAndTheExpectedForm() {
    Map<String, String> cases =
        Map.of(
            "captureAfterSuccess", "yes",
            "connectTimeout", "five seconds",
            "readTimeout", "PT10M",
            "maxAttempts", "many",
            "sptPlacement", "header",
            "currency", "dollars",
            "apiBase", "localhost:12111",
            "paymentMethodTypes", "card,,link",
            "stripeVersion", "latest version");
    cases.forEach(
        (key, value) -> {
          IllegalArgumentException e =
              assertThrows(
                  IllegalArgumentException.class,
                  () -> create(Map.of("networkId", "p_1", key, value)),
                  key);
          assertTrue(e.getMessage().contains("stripe." + key), e.getMessage());
          assertTrue(e.getMessage().contains("expected"), e.getMessage());
        });
  }

  @Test
  void unknownSettingIsATypo() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> create(Map.of("networkId", "p_1", "networkid", "p_2")));
    assertTrue(e.getMessage().contains("stripe.networkid"), e.getMessage());
  }

  @Test
  void reservedMetadataIsRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> create(Map.of("networkId", "p_1", "metadata.mpp_intent", "x")));
    assertTrue(e.getMessage().contains("stripe.metadata"), e.getMessage());
  }
}
