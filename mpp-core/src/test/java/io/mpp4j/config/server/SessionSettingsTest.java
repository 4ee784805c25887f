package io.mpp4j.config.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpp4j.config.ConfigSource;
import io.mpp4j.config.ConfigurationException;
import io.mpp4j.core.Intent;
import io.mpp4j.core.SessionTerms;
import io.mpp4j.server.routing.PaidRoute;
import io.mpp4j.server.session.SessionOptions;
import io.mpp4j.server.session.SessionSettler;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The session settings of web.xml / ServerSettings. */
class SessionSettingsTest {
  private static final String SERVICES = "META-INF/services/io.mpp4j.spi.PaymentMethodProvider";

  @TempDir Path dir;

  /** A class loader that also lists the fake session provider as a service. */
  private ClassLoader loader() throws IOException {
    Path file = dir.resolve("providers");
    Files.writeString(
        file, "io.mpp4j.server.session.FakeSessionProvider\n", StandardCharsets.UTF_8);
    URL url = file.toUri().toURL();
    ClassLoader parent = getClass().getClassLoader();
    return new ClassLoader(parent) {
      @Override
      public Enumeration<URL> getResources(String name) throws IOException {
        if (SERVICES.equals(name)) {
          return Collections.enumeration(java.util.List.of(url));
        }
        return super.getResources(name);
      }
    };
  }

  private ServerSettings read(Map<String, String> values) throws IOException {
    Map<String, String> all = new LinkedHashMap<>();
    all.put("methods", "fake");
    all.put("allowEphemeralSecret", "true");
    all.putAll(values);
    return ServerSettings.read(ConfigSource.of("init-param", all, name -> null), loader(), "h");
  }

  @Test
  void aSessionRouteBecomesASessionRequirementCoveringPostAndHead() throws IOException {
    ServerSettings s =
        read(
            Map.of(
                "route.metered.path", "/api/metered",
                "route.metered.amount", "0.001",
                "route.metered.methods", "GET",
                "route.metered.intent", "session",
                "route.metered.unitType", "request",
                "route.metered.suggestedDeposit", "1.00",
                "route.metered.minVoucherDelta", "0.001"));
    PaidRoute route = s.routes().get(0);
    assertEquals(Intent.SESSION, route.requirement().intent());
    assertEquals(
        new SessionTerms("request", new BigDecimal("1.00"), new BigDecimal("0.001")),
        route.requirement().session());
    assertEquals(Set.of("GET", "POST", "HEAD"), route.httpMethods());
    SessionSettler settler = s.gate().startSessionSettler();
    assertNotNull(settler);
    settler.close();
  }

  @Test
  void aSessionRouteWithoutTermsUsesTheUnitTypeRequest() throws IOException {
    ServerSettings s =
        read(
            Map.of(
                "route.m.path", "/m",
                "route.m.amount", "0.001",
                "route.m.intent", "session"));
    assertEquals(SessionTerms.of("request"), s.routes().get(0).requirement().session());
  }

  @Test
  void sessionTermsOnAChargeRouteAreRefused() {
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () ->
                read(
                    Map.of(
                        "route.m.path", "/m",
                        "route.m.amount", "0.001",
                        "route.m.unitType", "request")));
    assertTrue(e.getMessage().contains("route.m.unitType"), e.getMessage());
    assertTrue(e.getMessage().contains("intent=session"), e.getMessage());
  }

  @Test
  void badSessionTermsAreRefusedNamingTheKey() {
    for (Map.Entry<String, String> bad :
        Map.of(
                "route.m.unitType", "per request",
                "route.m.suggestedDeposit", "0",
                "route.m.minVoucherDelta", "-1",
                "sessionVoucherRatePerSecond", "0",
                "sessionStreamHold", "PT11M",
                "sessionSettleThreshold", "1.5",
                "sessionIdleClose", "PT1S")
            .entrySet()) {
      Map<String, String> values = new LinkedHashMap<>();
      values.put("route.m.path", "/m");
      values.put("route.m.amount", "0.001");
      values.put("route.m.intent", "session");
      values.put(bad.getKey(), bad.getValue());
      ConfigurationException e =
          assertThrows(ConfigurationException.class, () -> read(values), bad.getKey());
      assertTrue(e.getMessage().contains(bad.getKey()), e.getMessage());
    }
  }

  @Test
  void theSessionPolicyIsReadIntoTheGate() throws IOException {
    ServerSettings s =
        read(
            Map.of(
                "route.m.path", "/m",
                "route.m.amount", "0.001",
                "route.m.intent", "session",
                "sessionVoucherRatePerSecond", "25",
                "sessionStreamHold", "PT30S",
                "sessionSettleInterval", "600",
                "sessionSettleThreshold", "5000000",
                "sessionIdleClose", "P7D",
                "sessionRereadInterval", "PT1M"));
    assertEquals(
        new SessionOptions(
            25,
            Duration.ofSeconds(30),
            Duration.ofMinutes(10),
            BigInteger.valueOf(5_000_000),
            Duration.ofDays(7),
            Duration.ofMinutes(1)),
        s.gate().sessionOptions());
    assertEquals(
        SessionOptions.defaults(),
        read(Map.of("route.m.path", "/m", "route.m.amount", "1", "route.m.intent", "session"))
            .gate()
            .sessionOptions());
  }

  @Test
  void anOptionalRouteWhoseMethodsAreAllAbsentIsSkipped() throws IOException {
    ServerSettings s =
        read(
            Map.of(
                "route.paid.path", "/paid",
                "route.paid.amount", "0.01",
                "route.paid.intent", "session",
                "route.metered.path", "/api/metered",
                "route.metered.amount", "0.001",
                "route.metered.intent", "session",
                "route.metered.offer", "tempo",
                "route.metered.optional", "true"));
    assertEquals(1, s.routes().size());
    assertEquals("paid", s.routes().get(0).name());
    assertNull(s.routes().stream().filter(r -> r.name().equals("metered")).findAny().orElse(null));
  }

  @Test
  void aRouteThatIsNotOptionalStillRefusesToStartWithoutItsMethods() {
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () ->
                read(
                    Map.of(
                        "route.metered.path", "/api/metered",
                        "route.metered.amount", "0.001",
                        "route.metered.offer", "tempo")));
    assertTrue(e.getMessage().contains("metered"), e.getMessage());
  }

  @Test
  void theNewKeysAreDocumented() {
    assertTrue(ServerSettings.documentedKeys().contains("route.<name>.unitType"));
    assertTrue(ServerSettings.documentedKeys().contains("route.<name>.optional"));
    assertTrue(ServerSettings.documentedKeys().contains("sessionSettleInterval"));
  }
}
