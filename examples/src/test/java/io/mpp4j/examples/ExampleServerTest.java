package io.mpp4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The launcher's defaults: which methods to offer and the Stripe network id in test mode. */
class ExampleServerTest {
  @Test
  void methodsDefaultToMockPlusWhatIsConfigured() {
    assertEquals("mock", ExampleServer.defaultMethods(Map.<String, String>of()::get));
    assertEquals(
        "mock,stripe", ExampleServer.defaultMethods(Map.of("STRIPE_SECRET_KEY", "sk_test_1")::get));
    assertEquals(
        "mock,tempo,stripe",
        ExampleServer.defaultMethods(
            Map.of("STRIPE_SECRET_KEY", "sk_test_1", "TEMPO_RECIPIENT", "0xabc")::get));
  }

  @Test
  void theSessionRoutesNeedTempoOrMockAndGetTheMockOtherwise() {
    Map<String, String> none = Map.of();
    assertTrue(ExampleServer.servesSessions("mock", none::get));
    assertTrue(ExampleServer.servesSessions("stripe, mock", none::get));
    assertFalse(ExampleServer.servesSessions("stripe", none::get));
    assertFalse(ExampleServer.servesSessions("mockery,tempos", none::get));
    // Tempo offers sessions only with the operator's key.
    assertFalse(ExampleServer.servesSessions("tempo", none::get));
    assertFalse(ExampleServer.servesSessions("tempo", Map.of("TEMPO_OPERATOR_KEY", " ")::get));
    assertTrue(ExampleServer.namesOneOf("stripe, tempo", "tempo"::equals));
    assertFalse(ExampleServer.namesOneOf("stripe, tempo", "mock"::equals));
  }

  @Test
  void theStreamsEventCountIsBoundedAndReadFromTheQueryAlone() {
    assertEquals(StreamServlet.DEFAULT_EVENTS, StreamServlet.events(null));
    assertEquals(StreamServlet.DEFAULT_EVENTS, StreamServlet.events(""));
    assertEquals(StreamServlet.DEFAULT_EVENTS, StreamServlet.events("x=1&nn=5"));
    assertEquals(7, StreamServlet.events("x=1&n=7"));
    assertEquals(1000, StreamServlet.events("n=1000"));
    for (String bad :
        new String[] {
          "n=0", "n=1001", "n=99999", "n=", "n", "n=1e3", "n=+5", "n=5&n=5", "n=" + "9".repeat(300)
        }) {
      assertNull(StreamServlet.events(bad), bad);
    }
  }

  @Test
  void aTestKeyGetsTheDocumentedTestNetworkId() {
    assertEquals("internal", ExampleServer.TEST_NETWORK_ID);
    for (String key : new String[] {"sk_test_abc", "rk_test_abc"}) {
      assertEquals(
          ExampleServer.TEST_NETWORK_ID,
          ExampleServer.defaultNetworkId("stripe", Map.of("STRIPE_SECRET_KEY", key)::get));
      assertEquals(
          ExampleServer.TEST_NETWORK_ID,
          ExampleServer.defaultNetworkId("mock, stripe", Map.of("STRIPE_SECRET_KEY", key)::get));
    }
  }

  @Test
  void aSetNetworkIdOrNoStripeNeedsNoDefault() {
    assertNull(
        ExampleServer.defaultNetworkId(
            "stripe",
            Map.of("STRIPE_SECRET_KEY", "sk_live_abc", "STRIPE_NETWORK_ID", "profile_1")::get));
    assertNull(
        ExampleServer.defaultNetworkId(
            "mock,tempo", Map.of("STRIPE_SECRET_KEY", "sk_live_x")::get));
    // No key: the stripe method itself reports the missing key.
    assertNull(ExampleServer.defaultNetworkId("stripe", Map.<String, String>of()::get));
  }

  @Test
  void aLiveOrUnknownKeyWithoutNetworkIdIsRefusedWithoutNamingTheKey() {
    for (String key : new String[] {"sk_live_secret1", "rk_live_secret1", "sk_secret1"}) {
      ExampleServer.ConfigurationError e =
          assertThrows(
              ExampleServer.ConfigurationError.class,
              () ->
                  ExampleServer.defaultNetworkId(
                      "mock,stripe",
                      Map.of("STRIPE_SECRET_KEY", key, "STRIPE_NETWORK_ID", " ")::get));
      assertTrue(e.getMessage().startsWith("STRIPE_NETWORK_ID is not set"), e.getMessage());
      assertFalse(e.getMessage().contains("secret1"), e.getMessage());
    }
  }
}
