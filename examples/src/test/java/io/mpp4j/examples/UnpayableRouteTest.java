package io.mpp4j.examples;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpp4j.servlet.PaymentFilter;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A user's own web.xml with a paid route that no configured method can charge (below Stripe's
 * minimum, with stripe alone) fails deployment naming the route, the method and the minimum.
 */
class UnpayableRouteTest {
  static final String KEY_PROPERTY = "mpp4j.examples.unpayable.stripeKey";
  static final String KEY = "sk_test_unpayable_route_never_printed";

  @BeforeEach
  void setKey() {
    System.setProperty(KEY_PROPERTY, KEY);
  }

  @AfterEach
  void clearKey() {
    System.clearProperty(KEY_PROPERTY);
  }

  static FilterConfig filterConfig(Map<String, String> params) {
    ServletContext context =
        (ServletContext)
            Proxy.newProxyInstance(
                UnpayableRouteTest.class.getClassLoader(),
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

  static Map<String, String> stripeAlone(String amount) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("realm", "api.example.com");
    p.put("allowEphemeralSecret", "true");
    p.put("methods", "stripe");
    p.put("stripe.apiKeyEnv", "sys:" + KEY_PROPERTY);
    p.put("stripe.networkId", "profile_example");
    p.put("stripe.apiBase", "http://127.0.0.1:9"); // never called: nothing is paid here
    p.put("route.premium.path", "/api/premium");
    p.put("route.premium.amount", "0.50");
    p.put("route.tip.path", "/api/tip");
    p.put("route.tip.amount", amount);
    return p;
  }

  @Test
  void aRouteBelowStripesMinimumWithStripeAloneFailsNamingRouteMethodAndMinimum() {
    ServletException e =
        assertThrows(
            ServletException.class,
            () -> new PaymentFilter().init(filterConfig(stripeAlone("0.01"))));
    String message = e.getMessage();
    assertTrue(message.contains("route.tip"), message);
    assertTrue(message.contains("method 'stripe'"), message);
    assertTrue(message.contains("below Stripe's minimum charge for usd (50)"), message);
    assertFalse(message.contains(KEY), "the API key was in the message");
  }

  @Test
  void atTheMinimumTheSameConfigurationDeploys() throws Exception {
    PaymentFilter filter = new PaymentFilter();
    filter.init(filterConfig(stripeAlone("0.50")));
    filter.destroy();
  }
}
