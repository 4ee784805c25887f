package io.mpp4j.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Proxy;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The raw-URI half of route matching: normalized, then made relative to the context path, and
 * refused when it does not lie under the context path (a container that routed such a request into
 * this context saw something the filter cannot see).
 */
class RequestedPathTest {
  static HttpServletRequest request(
      String uri, String contextPath, DispatcherType type, Map<String, Object> attributes) {
    return (HttpServletRequest)
        Proxy.newProxyInstance(
            RequestedPathTest.class.getClassLoader(),
            new Class<?>[] {HttpServletRequest.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "getRequestURI" -> uri;
                  case "getContextPath" -> contextPath;
                  case "getDispatcherType" -> type;
                  case "getAttribute" -> attributes.get((String) args[0]);
                  default -> throw new UnsupportedOperationException(method.getName());
                });
  }

  static String path(String uri, String contextPath) {
    return PaymentFilter.requestedPath(request(uri, contextPath, DispatcherType.REQUEST, Map.of()));
  }

  @Test
  void theContextPathIsStrippedAfterNormalizing() {
    assertEquals("/api/premium", path("/shop/api/premium", "/shop"));
    assertEquals("/api/premium", path("/%73hop/api/premium", "/shop"));
    assertEquals("/api/premium", path("/./shop/api/premium", "/shop"));
    assertEquals("/api/premium", path("/x/../shop/api/premium", "/shop"));
    assertEquals("/api/premium", path("/a/%62/api/premium", "/a/b"));
    assertEquals("/api/premium", path("/Shop/API/premium", "/Shop"));
    assertEquals("/", path("/shop", "/shop"));
    assertEquals("/api/premium", path("/api/premium", ""));
  }

  @Test
  void aPathOutsideTheContextPathIsRefused() {
    assertNull(path("/api/premium", "/shop"));
    assertNull(path("/shopping/api/premium", "/shop"));
    assertNull(path("/shop/../api/premium", "/shop"));
    assertNull(path("/a/api/premium", "/a/b"));
    assertNull(path("/shop/%zz", "/shop"));
  }

  @Test
  void anIncludeIsMatchedOnTheIncludedUri() {
    HttpServletRequest include =
        request(
            "/shop/free/page",
            "/shop",
            DispatcherType.INCLUDE,
            Map.of(RequestDispatcher.INCLUDE_REQUEST_URI, "/shop/api/%70remium"));
    assertEquals("/api/premium", PaymentFilter.requestedPath(include));
  }
}
