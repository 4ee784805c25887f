package io.mpp4j.stripe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.stripe.StripeClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every builder rule, one line each. */
class StripeConfigTest {
  private static final String KEY = "sk_test_configKey4242";

  private static StripeConfig.Builder valid() {
    return StripeConfig.builder().apiKey(KEY).networkId("profile_cfg");
  }

  @Test
  void defaults() {
    StripeConfig c = valid().build();
    assertEquals("usd", c.currency());
    assertEquals(List.of("card"), c.paymentMethodTypes());
    assertEquals("2026-07-29.preview", c.stripeVersion());
    assertEquals(SptPlacement.TOP_LEVEL, c.sptPlacement());
    assertFalse(c.captureAfterSuccess());
    assertEquals(3, c.maxAttempts());
    assertEquals(Duration.ofSeconds(5), c.connectTimeout());
    assertEquals(Duration.ofSeconds(20), c.readTimeout());
    assertEquals(Duration.ofSeconds(30), c.retryBudget());
    assertEquals(Duration.ofHours(24), c.sptClaimTtl());
    assertNull(c.apiBase());
    assertNull(c.stripeClient());
    assertTrue(c.metadata().isEmpty());
  }

  @Test
  void toStringNeverShowsTheKey() {
    String s = valid().apiBase("http://127.0.0.1:1234/").build().toString();
    assertFalse(s.contains(KEY), s);
    assertTrue(s.contains("apiKey=<redacted>"), s);
    assertTrue(s.contains("apiBase=http://127.0.0.1:1234,"), s);
  }

  @Test
  void toBuilderKeepsEverything() {
    StripeConfig c = valid().currency("EUR").maxAttempts(5).metadata(Map.of("a", "b")).build();
    StripeConfig copy = c.toBuilder().build();
    assertEquals(c.toString(), copy.toString());
    assertEquals(KEY, copy.apiKey());
  }

  @Test
  void requiresNetworkIdAndExactlyOneCredential() {
    assertThrows(IllegalStateException.class, () -> StripeConfig.builder().apiKey(KEY).build());
    assertThrows(
        IllegalStateException.class, () -> StripeConfig.builder().networkId("profile_x").build());
    StripeClient client = new StripeClient("sk_test_other");
    assertThrows(IllegalStateException.class, () -> valid().stripeClient(client).build());
    assertThrows(
        IllegalStateException.class,
        () ->
            StripeConfig.builder()
                .networkId("profile_x")
                .stripeClient(client)
                .apiBase("http://localhost:1")
                .build());
    assertSame(
        client,
        StripeConfig.builder().networkId("profile_x").stripeClient(client).build().stripeClient());
  }

  @Test
  void apiKeyRulesNeverEchoTheKey() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> valid().apiKey("sk_test_has space"));
    assertFalse(e.getMessage().contains("sk_test"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> valid().apiKey(""));
    assertThrows(IllegalArgumentException.class, () -> valid().apiKey("sk_test_\n"));
  }

  @Test
  void apiBaseMustBeAnHttpUrl() {
    assertThrows(IllegalArgumentException.class, () -> valid().apiBase("ftp://host"));
    assertThrows(IllegalArgumentException.class, () -> valid().apiBase("/v1"));
    assertThrows(IllegalArgumentException.class, () -> valid().apiBase("http://host?x=1"));
    assertThrows(IllegalArgumentException.class, () -> valid().apiBase("http://u:p@host"));
    assertThrows(IllegalArgumentException.class, () -> valid().apiBase("http://ho st"));
  }

  @Test
  void networkIdMustBePrintable() {
    assertThrows(IllegalArgumentException.class, () -> valid().networkId(""));
    assertThrows(IllegalArgumentException.class, () -> valid().networkId("profile x"));
    assertThrows(IllegalArgumentException.class, () -> valid().networkId("p".repeat(256)));
  }

  @Test
  void paymentMethodTypesRules() {
    assertThrows(IllegalArgumentException.class, () -> valid().paymentMethodTypes(List.of()));
    assertThrows(
        IllegalArgumentException.class, () -> valid().paymentMethodTypes(List.of("card", "card")));
    assertThrows(IllegalArgumentException.class, () -> valid().paymentMethodTypes(List.of("Card")));
  }

  @Test
  void currencyMustBeThreeLetters() {
    assertThrows(IllegalArgumentException.class, () -> valid().currency("usdc"));
    assertEquals("eur", valid().currency("EUR").build().currency());
  }

  @Test
  void timeoutsAndRetriesAreBounded() {
    assertThrows(IllegalArgumentException.class, () -> valid().connectTimeout(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> valid().readTimeout(Duration.ofMinutes(3)));
    assertThrows(IllegalArgumentException.class, () -> valid().maxAttempts(0));
    assertThrows(IllegalArgumentException.class, () -> valid().maxAttempts(11));
    assertThrows(IllegalArgumentException.class, () -> valid().retryBackoff(Duration.ofMillis(-1)));
    assertThrows(
        IllegalArgumentException.class, () -> valid().retryBackoff(Duration.ofSeconds(11)));
    assertThrows(IllegalArgumentException.class, () -> valid().retryBudget(Duration.ofMillis(99)));
    assertThrows(IllegalArgumentException.class, () -> valid().retryBudget(Duration.ofMinutes(6)));
    assertThrows(IllegalArgumentException.class, () -> valid().sptClaimTtl(Duration.ofSeconds(59)));
    assertThrows(IllegalArgumentException.class, () -> valid().sptClaimTtl(Duration.ofDays(31)));
  }

  @Test
  void stripeVersionMustLookLikeOne() {
    assertThrows(IllegalArgumentException.class, () -> valid().stripeVersion("2026 07"));
    assertEquals(
        "2026-04-22.preview", valid().stripeVersion("2026-04-22.preview").build().stripeVersion());
  }

  @Test
  void metadataRules() {
    assertThrows(IllegalArgumentException.class, () -> valid().metadata(Map.of("mpp_x", "1")));
    assertThrows(
        IllegalArgumentException.class, () -> valid().metadata(Map.of("machine_payment", "1")));
    assertThrows(IllegalArgumentException.class, () -> valid().metadata(Map.of("a[b]", "1")));
    assertThrows(IllegalArgumentException.class, () -> valid().metadata(Map.of("", "1")));
    assertThrows(
        IllegalArgumentException.class, () -> valid().metadata(Map.of("k", "v".repeat(501))));
    Map<String, String> many = new HashMap<>();
    for (int i = 0; i < 41; i++) {
      many.put("k" + i, "v");
    }
    assertThrows(IllegalArgumentException.class, () -> valid().metadata(many));
  }
}
