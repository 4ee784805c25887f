package io.mpp4j.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpp4j.config.ConfigSource;
import io.mpp4j.config.ConfigurationException;
import io.mpp4j.config.server.ServerSettings;
import io.mpp4j.server.routing.PaidRoute;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The server-level schema read from two sources: {@code web.xml}'s init-parameters and, as a Spring
 * adapter will, properties. Same keys, same validation, same messages but for the source's noun.
 */
class ServerSettingsTest {
  private static final Map<String, String> ENV =
      Map.of("TEST_SECRET", "0123456789abcdef0123456789abcdef", "SHORT", "short");

  private static Map<String, String> valid() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("realm", "api.example.com");
    p.put("secretKeyEnv", "TEST_SECRET");
    p.put("methods", "mock");
    p.put("mock.currency", "usd");
    p.put("route.all.path", "/api/*");
    p.put("route.all.amount", "0.01");
    p.put("route.premium.path", "/api/premium");
    p.put("route.premium.amount", "0.05");
    p.put("route.premium.opaque.stripe.capture", "after_success");
    p.put("route.echo.path", "/api/echo");
    p.put("route.echo.methods", "POST");
    p.put("route.echo.amount", "0.01");
    return p;
  }

  private static ServerSettings read(String noun, Map<String, String> values) {
    return ServerSettings.read(
        ConfigSource.of(noun, values, ENV::get),
        ServerSettingsTest.class.getClassLoader(),
        "fallback.example");
  }

  private static String error(String noun, Map<String, String> values) {
    return assertThrows(ConfigurationException.class, () -> read(noun, values)).getMessage();
  }

  @Test
  void readsTheGateTheRoutesAndTheAdapterOptions() {
    Map<String, String> p = valid();
    p.put("challengeTtl", "120");
    p.put("maxBodyBytes", "2048");
    p.put("requireSecure", "false");
    ServerSettings s = read("property", p);
    assertEquals("api.example.com", s.gate().realm());
    assertEquals(2048, s.maxBodyBytes());
    assertFalse(s.requireSecure());
    // Exact paths first, then prefixes.
    assertEquals(
        List.of("premium", "echo", "all"), s.routes().stream().map(PaidRoute::name).toList());
    PaidRoute premium = s.routes().get(0);
    assertEquals(Set.of("GET", "HEAD"), premium.httpMethods());
    assertEquals(Map.of("stripe.capture", "after_success"), premium.requirement().opaque());
    assertEquals(Set.of("POST"), s.routes().get(1).httpMethods());

    Map<String, String> defaults = valid();
    defaults.remove("realm");
    ServerSettings d = read("property", defaults);
    assertEquals("fallback.example", d.gate().realm());
    assertEquals(ServerSettings.DEFAULT_MAX_BODY_BYTES, d.maxBodyBytes());
    assertTrue(d.requireSecure());
    assertEquals(Duration.ofMinutes(5), ServerSettings.CHALLENGE_TTL.defaultValue());
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "methods||invalid init-parameter methods=\"\" (expected a comma-separated list of payment method names, e.g. tempo,stripe)",
        "methods|lightning|invalid init-parameter methods=\"lightning\": no payment method provider named 'lightning' on the classpath (found: [mock]); add the module that provides it",
        "challengeTtl|PT0S|invalid init-parameter challengeTtl=\"PT0S\" (expected an ISO-8601 duration such as PT5M, or seconds, between 1 second and 24 hours): challengeTtl must be between PT1S and PT24H, but was PT0S",
        "maxBodyBytes|-1|invalid init-parameter maxBodyBytes=\"-1\" (expected an integer from 0 to 67108864)",
        "requireSecure|yes|invalid init-parameter requireSecure=\"yes\" (expected true or false)",
        "replayStoreMaxEntries|0|invalid init-parameter replayStoreMaxEntries=\"0\" (expected an integer from 1 to 2147483647)",
        "secretKeyEnv|UNSET_SECRET|no challenge secret: the variable named by init-parameter secretKeyEnv=\"UNSET_SECRET\" is not set (expected an environment variable, or sys:<property>, holding at least 32 bytes; or set allowEphemeralSecret=true for development)",
        "previousSecretKeysEnv|UNSET_OLD|invalid init-parameter previousSecretKeysEnv=\"UNSET_OLD\" (expected names of set environment variables (or sys:<property>); 'UNSET_OLD' is not set)",
        "route.premium.amount|ten cents|invalid init-parameter route.premium.amount=\"ten cents\" (expected a non-negative decimal price such as 0.01)",
        "route.premium.amount||invalid init-parameter route.premium.amount=\"\" (expected a non-negative decimal price such as 0.01)",
        "route.premium.path|api/premium|invalid init-parameter route.premium.path=\"api/premium\" (expected /path or /prefix/*)",
        "route.premium.methods|GET POST|invalid init-parameter route.premium.methods=\"GET POST\" (expected HTTP methods such as GET,HEAD): not an HTTP method: GET POST",
        "route.premium.pricing|com.example.Missing|invalid init-parameter route.premium.pricing=\"com.example.Missing\" (expected the name of a class implementing io.mpp4j.server.routing.DynamicPricing with a public no-argument constructor): com.example.Missing",
        "route.premium.opaque._mpp4j_n|x|invalid init-parameter route.premium.opaque._mpp4j_n=\"x\" (expected an opaque key not starting with _mpp4j)",
        "route.premium.colour|blue|unknown init-parameter route.premium.colour (known: [amount, bindBody, currency, description, externalId, intent, methods, minVoucherDelta, offer, optional, path, pricing, suggestedDeposit, unitType], opaque.<key>)",
        "route.path|/x|unknown init-parameter route.path (expected route.<name>.<attribute> with attribute one of [path, amount, methods, intent, currency, description, offer, externalId, bindBody, pricing, unitType, suggestedDeposit, minVoucherDelta, optional, opaque.<key>])",
        "realmm|typo|unknown init-parameter realmm (known: [allowEphemeralSecret, challengeTtl, maxBodyBytes, methods, paymentAuthorizationHeader, previousSecretKeysEnv, realm, replayStoreMaxEntries, requireSecure, secretKeyEnv, sessionIdleClose, sessionRereadInterval, sessionSettleInterval, sessionSettleThreshold, sessionStreamHold, sessionVoucherRatePerSecond], route.<name>.<attribute>, <method>.<setting>)",
        "mock.mode|sometimes|invalid init-parameter mock.mode=\"sometimes\" (expected accept, decline or fail)",
        "mock.colour|blue|unknown init-parameter mock.colour (known: [currency, decimals, maxDeposit, mode, recipient, sessionSecret])",
        "realm|${MPP4J_UNSET_VARIABLE_FOR_TEST}|invalid init-parameter realm=\"${MPP4J_UNSET_VARIABLE_FOR_TEST}\" (expected ${MPP4J_UNSET_VARIABLE_FOR_TEST} to be set in the environment, or a ${MPP4J_UNSET_VARIABLE_FOR_TEST:default})",
      })
  void theSameSettingsFailTheSameWayFromEverySourceNamedInItsNoun(
      String key, String value, String expected) {
    Map<String, String> p = valid();
    p.put(key, value == null ? "" : value);
    String fromWebXml = error("init-parameter", p);
    String fromProperties = error("property", p);
    assertTrue(fromWebXml.startsWith(expected), () -> "message was: " + fromWebXml);
    String forProperties = expected.replace("init-parameter", "property");
    assertTrue(fromProperties.startsWith(forProperties), () -> "message was: " + fromProperties);
    assertEquals(fromWebXml.replace("init-parameter", "property"), fromProperties);
    assertTrue(fromProperties.contains("property " + key), fromProperties);
    assertFalse(fromProperties.contains("init-parameter"), fromProperties);
  }

  @Test
  void secretsNeverAppearInMessages() {
    Map<String, String> p = valid();
    p.put("secretKeyEnv", "SHORT");
    String m = error("property", p);
    assertTrue(
        m.startsWith("invalid secret in the variable named by property secretKeyEnv=\"SHORT\": "),
        m);
    assertTrue(m.contains("must be at least 32 bytes"), m);
    assertFalse(m.contains("short\""), m);
    assertFalse(m.matches("(?s).*\\bshort\\b.*"), m);
  }

  @Test
  void routesAreCheckedAgainstTheMethodsAndOneIsRequired() {
    Map<String, String> p = valid();
    p.put("route.premium.amount", "0.001");
    assertEquals(
        "invalid route.premium: route 'premium': no payment method can charge this route: method"
            + " 'mock': amount 0.001 has more than 2 decimals for currency usd",
        error("property", p));
    Map<String, String> none = valid();
    none.keySet().removeIf(k -> k.startsWith("route."));
    assertEquals(
        "no paid route configured: set route.<name>.path and route.<name>.amount",
        error("property", none));
    Map<String, String> missing = valid();
    missing.remove("route.premium.amount");
    assertEquals(
        "missing property route.premium.amount (expected a decimal price such as 0.01)",
        error("property", missing));
  }

  @Test
  void theDocumentedKeysListEveryRouteAttribute() {
    List<String> keys = ServerSettings.documentedKeys();
    assertTrue(keys.contains("realm"), keys.toString());
    assertTrue(keys.contains("<method>.<setting>"), keys.toString());
    assertTrue(keys.contains("route.<name>.path"), keys.toString());
    assertTrue(keys.contains("route.<name>.opaque.<key>"), keys.toString());
    assertFalse(keys.contains("route.<name>.<attribute>"), keys.toString());
  }
}
