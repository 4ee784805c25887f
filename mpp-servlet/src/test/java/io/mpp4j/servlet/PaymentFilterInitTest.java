package io.mpp4j.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpp4j.core.Challenge;
import io.mpp4j.core.Receipt;
import io.mpp4j.server.routing.DynamicPricing;
import io.mpp4j.server.routing.PaidRoute;
import io.mpp4j.test.MockPayer;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The web.xml path: init-parameters parsed into the same typed configuration, errors named. */
class PaymentFilterInitTest {
  static final String SECRET_PROPERTY = "mpp4j.test.secret";

  @BeforeAll
  static void setSecret() {
    System.setProperty(SECRET_PROPERTY, "init-test-secret-0123456789abcdef012");
  }

  @AfterAll
  static void clearSecret() {
    System.clearProperty(SECRET_PROPERTY);
  }

  static Map<String, String> valid() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put(PaymentFilter.REALM_PARAM, "api.example.com");
    p.put(PaymentFilter.SECRET_KEY_ENV_PARAM, "sys:" + SECRET_PROPERTY);
    p.put(PaymentFilter.METHODS_PARAM, "mock");
    p.put("mock.currency", "usd");
    p.put("route.premium.path", "/api/premium");
    p.put("route.premium.amount", "0.05");
    p.put("route.premium.description", "Premium");
    p.put("route.echo.path", "/api/echo");
    p.put("route.echo.methods", "POST");
    p.put("route.echo.amount", "0.01");
    return p;
  }

  static FilterConfig filterConfig(Map<String, String> params) {
    ServletContext context =
        (ServletContext)
            Proxy.newProxyInstance(
                PaymentFilterInitTest.class.getClassLoader(),
                new Class<?>[] {ServletContext.class},
                (proxy, method, args) -> null);
    return new FilterConfig() {
      @Override
      public String getFilterName() {
        return "payment";
      }

      @Override
      public ServletContext getServletContext() {
        return context;
      }

      @Override
      public String getInitParameter(String name) {
        return params.get(name);
      }

      @Override
      public Enumeration<String> getInitParameterNames() {
        return Collections.enumeration(params.keySet());
      }
    };
  }

  static String initError(Map<String, String> params) {
    ServletException e =
        assertThrows(ServletException.class, () -> new PaymentFilter().init(filterConfig(params)));
    return e.getMessage();
  }

  @Test
  void validParametersBuildTheTypedConfiguration() throws Exception {
    PaymentFilter filter = new PaymentFilter();
    filter.init(filterConfig(valid()));
    PaymentFilterConfig config = filter.config();
    assertEquals("api.example.com", config.gate().realm());
    assertEquals(2, config.routes().size());
    PaidRoute premium =
        config.routes().stream().filter(r -> r.name().equals("premium")).findFirst().orElseThrow();
    assertEquals("/api/premium", premium.pattern());
    assertEquals(PaymentFilterConfig.DEFAULT_MAX_BODY_BYTES, config.maxBodyBytes());
    assertTrue(config.requireSecure());
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "methods|| invalid init-parameter methods=\"\" (expected a comma-separated list of payment method names",
        "methods|lightning|no payment method provider named 'lightning' on the classpath (found: [mock])",
        "challengeTtl|5 minutes|invalid init-parameter challengeTtl=\"5 minutes\" (expected an ISO-8601 duration such as PT5M, or seconds",
        "challengeTtl|PT0S|invalid init-parameter challengeTtl=\"PT0S\"",
        "maxBodyBytes|-1|invalid init-parameter maxBodyBytes=\"-1\" (expected an integer from 0 to 67108864)",
        "maxBodyBytes|lots|invalid init-parameter maxBodyBytes=\"lots\"",
        "requireSecure|yes|invalid init-parameter requireSecure=\"yes\" (expected true or false)",
        "route.premium.amount|ten cents|invalid init-parameter route.premium.amount=\"ten cents\" (expected a non-negative decimal price such as 0.01)",
        "route.premium.amount|0.001|route 'premium': no payment method can charge this route: method 'mock': amount 0.001 has more than 2 decimals for currency usd",
        "route.premium.path|api/premium|invalid init-parameter route.premium.path=\"api/premium\" (expected /path or /prefix/*)",
        "route.premium.path|/api/*/x|invalid init-parameter route.premium.path=\"/api/*/x\"",
        "route.premium.methods|GET POST|invalid init-parameter route.premium.methods=\"GET POST\"",
        "route.premium.offer|stripe|route 'premium': No payment method 'stripe' for intent 'charge'. Registered: mock[charge, session]",
        "route.premium.pricing|com.example.Missing|invalid init-parameter route.premium.pricing=\"com.example.Missing\" (expected the name of a class implementing io.mpp4j.server.routing.DynamicPricing",
        "route.premium.colour|blue|unknown init-parameter route.premium.colour",
        "realmm|typo|unknown init-parameter realmm (known:",
        "mock.mode|sometimes|invalid init-parameter mock.mode=\"sometimes\" (expected accept, decline or fail)",
        "realm|${MPP4J_UNSET_VARIABLE_FOR_TEST}|invalid init-parameter realm=\"${MPP4J_UNSET_VARIABLE_FOR_TEST}\" (expected ${MPP4J_UNSET_VARIABLE_FOR_TEST} to be set",
      })
  void badValuesFailDeploymentNamingParameterValueAndForm(
      String param, String value, String expected) {
    Map<String, String> p = valid();
    p.put(param, value == null ? "" : value);
    String message = initError(p);
    assertTrue(message.contains(expected), () -> "message was: " + message);
    assertTrue(message.startsWith("PaymentFilter 'payment': "), message);
  }

  @Test
  void missingRouteAmountAndNoRoutes() {
    Map<String, String> p = valid();
    p.remove("route.premium.amount");
    assertTrue(initError(p).contains("missing init-parameter route.premium.amount"));
    Map<String, String> none = valid();
    none.keySet().removeIf(k -> k.startsWith("route."));
    assertTrue(initError(none).contains("no paid route configured"));
  }

  @Test
  void secretComesOnlyFromANamedVariableAndMustBeLongEnough() {
    Map<String, String> unset = valid();
    unset.put(PaymentFilter.SECRET_KEY_ENV_PARAM, "MPP4J_UNSET_SECRET_FOR_TEST");
    String message = initError(unset);
    assertTrue(
        message.contains(
            "no challenge secret: the variable named by init-parameter secretKeyEnv=\"MPP4J_UNSET_SECRET_FOR_TEST\" is not set"),
        message);

    System.setProperty("mpp4j.test.short", "too-short-secret");
    try {
      Map<String, String> shortSecret = valid();
      shortSecret.put(PaymentFilter.SECRET_KEY_ENV_PARAM, "sys:mpp4j.test.short");
      String m = initError(shortSecret);
      assertTrue(m.contains("must be at least 32 bytes"), m);
      assertTrue(!m.contains("too-short-secret"), "the secret never appears in the message");
    } finally {
      System.clearProperty("mpp4j.test.short");
    }
  }

  @Test
  void ephemeralSecretOnlyWhenAllowed() throws Exception {
    Map<String, String> p = valid();
    p.put(PaymentFilter.SECRET_KEY_ENV_PARAM, "MPP4J_UNSET_SECRET_FOR_TEST");
    p.put(PaymentFilter.ALLOW_EPHEMERAL_SECRET_PARAM, "true");
    new PaymentFilter().init(filterConfig(p));
  }

  @Test
  void placeholdersExpandWithDefaults() throws Exception {
    Map<String, String> p = valid();
    p.put(PaymentFilter.REALM_PARAM, "${MPP4J_UNSET_REALM_FOR_TEST:fallback.example}");
    p.put("route.premium.amount", "${mpp4j.test.price:0.07}");
    System.setProperty("mpp4j.test.price", "0.09");
    try {
      PaymentFilter filter = new PaymentFilter();
      filter.init(filterConfig(p));
      assertEquals("fallback.example", filter.config().gate().realm());
      assertEquals(
          "0.09",
          filter.config().routes().stream()
              .filter(r -> r.name().equals("premium"))
              .findFirst()
              .orElseThrow()
              .requirement()
              .amount()
              .toPlainString());
    } finally {
      System.clearProperty("mpp4j.test.price");
    }
  }

  @Test
  void webXmlStyleFilterWorksEndToEndInJetty() throws Exception {
    FilterHolder holder = new FilterHolder(PaymentFilter.class);
    holder.setInitParameters(valid());
    holder.setInitParameter(PaymentFilter.REQUIRE_SECURE_PARAM, "false");
    TestApp app = new TestApp();
    try (JettyHarness jetty = JettyHarness.start(holder, app)) {
      JettyHarness.Response unpaid = jetty.get("/api/premium");
      assertEquals(402, unpaid.status());
      Challenge c = Challenge.parse(unpaid.header("WWW-Authenticate"));
      assertEquals("5", c.request().amount());
      JettyHarness.Response paid = jetty.get("/api/premium", "Authorization", MockPayer.pay(c));
      assertEquals(200, paid.status());
      assertEquals("mock", Receipt.parse(paid.header("Payment-Receipt")).method());
      assertEquals(200, jetty.get("/free").status());
    }
  }

  /** A dynamic price: 0.01 per requested item. */
  public static final class PerItemPricing implements DynamicPricing {
    @Override
    public io.mpp4j.core.PaymentRequirement price(
        io.mpp4j.core.RequestView request, io.mpp4j.core.PaymentRequirement base) {
      String items = request.queryParameter("items");
      int n = items == null ? 1 : Math.max(1, Math.min(100, Integer.parseInt(items)));
      return base.toBuilder()
          .amount(new java.math.BigDecimal("0.01").multiply(java.math.BigDecimal.valueOf(n)))
          .build();
    }
  }

  @Test
  void dynamicPricingHook() throws Exception {
    FilterHolder holder = new FilterHolder(PaymentFilter.class);
    holder.setInitParameters(valid());
    holder.setInitParameter("route.premium.pricing", PerItemPricing.class.getName());
    try (JettyHarness jetty = JettyHarness.start(holder, new TestApp())) {
      JettyHarness.Response three = jetty.get("/api/premium?items=3");
      Challenge c = Challenge.parse(three.header("WWW-Authenticate"));
      assertEquals("3", c.request().amount());
      assertEquals(
          200, jetty.get("/api/premium?items=3", "Authorization", MockPayer.pay(c)).status());
      // The same credential cannot buy more items than it paid for.
      Challenge one = Challenge.parse(jetty.get("/api/premium?items=1").header("WWW-Authenticate"));
      assertEquals(
          402, jetty.get("/api/premium?items=5", "Authorization", MockPayer.pay(one)).status());
    }
  }

  @Test
  void routeOpaqueDataIsBoundIntoTheRequirement() throws Exception {
    Map<String, String> p = valid();
    p.put("route.premium.opaque.stripe.capture", "after_success");
    PaymentFilter filter = new PaymentFilter();
    filter.init(filterConfig(p));
    PaidRoute premium =
        filter.config().routes().stream()
            .filter(r -> r.name().equals("premium"))
            .findFirst()
            .orElseThrow();
    assertEquals(Map.of("stripe.capture", "after_success"), premium.requirement().opaque());
    Map<String, String> reserved = valid();
    reserved.put("route.premium.opaque._mpp4j_n", "x");
    assertTrue(initError(reserved).contains("route.premium.opaque._mpp4j_n"));
  }
}
