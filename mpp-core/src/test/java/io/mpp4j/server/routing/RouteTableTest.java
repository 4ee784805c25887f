package io.mpp4j.server.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.mpp4j.core.Intent;
import io.mpp4j.core.PaymentRequirement;
import io.mpp4j.core.SessionTerms;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Route lookup on both paths (the dispatched one and the raw one relative to the context path), the
 * refusal of paths that cannot be normalized, first match wins, and HEAD as GET.
 */
class RouteTableTest {
  static final PaymentRequirement CENT = PaymentRequirement.builder().amount("0.01").build();
  static final PaidRoute PREMIUM = PaidRoute.of("/api/premium", CENT);
  static final PaidRoute API = new PaidRoute("api", Set.of("GET", "POST"), "/api/*", CENT, null);
  static final RouteTable TABLE = new RouteTable(List.of(PREMIUM, API));

  static RouteTable.Lookup.Match match(RouteTable.Lookup lookup) {
    return assertInstanceOf(RouteTable.Lookup.Match.class, lookup);
  }

  @Test
  void theFirstMatchingRouteWins() {
    RouteTable.Lookup.Match m = match(TABLE.lookup("GET", "/api/premium", "/api/premium", ""));
    assertSame(PREMIUM, m.route());
    assertEquals("/api/premium", m.path());
    assertSame(API, match(TABLE.lookup("GET", "/api/other", "/api/other", "")).route());
    assertSame(API, match(TABLE.lookup("POST", "/api/premium", "/api/premium", "")).route());
  }

  @Test
  void headIsCoveredByAGetRoute() {
    assertSame(PREMIUM, match(TABLE.lookup("HEAD", "/api/premium", "/api/premium", "")).route());
    assertInstanceOf(
        RouteTable.Lookup.Unpaid.class, TABLE.lookup("DELETE", "/api/x", "/api/x", ""));
  }

  @Test
  void aSessionRouteAlsoCoversPostAndHeadForItsManagementRequests() {
    PaymentRequirement metered =
        PaymentRequirement.builder()
            .intent(Intent.SESSION)
            .amount("0.001")
            .session(SessionTerms.of("request"))
            .build();
    PaidRoute getOnly = new PaidRoute("stream", Set.of("GET"), "/api/stream", metered, null);
    PaidRoute putOnly = new PaidRoute("put", Set.of("PUT"), "/api/put", metered, null);
    PaidRoute chargeGet = new PaidRoute("charge", Set.of("GET"), "/api/charge", CENT, null);
    RouteTable table = new RouteTable(List.of(getOnly, putOnly, chargeGet));
    for (String method : List.of("GET", "POST", "HEAD")) {
      assertSame(getOnly, match(table.lookup(method, "/api/stream", "/api/stream", "")).route());
    }
    for (String method : List.of("PUT", "POST", "HEAD")) {
      assertSame(putOnly, match(table.lookup(method, "/api/put", "/api/put", "")).route());
    }
    assertInstanceOf(
        RouteTable.Lookup.Unpaid.class, table.lookup("DELETE", "/api/stream", "/api/stream", ""));
    assertInstanceOf(
        RouteTable.Lookup.Unpaid.class, table.lookup("GET", "/api/put", "/api/put", ""));
    // A charge route covers only its own methods (and HEAD with GET).
    assertInstanceOf(
        RouteTable.Lookup.Unpaid.class, table.lookup("POST", "/api/charge", "/api/charge", ""));
    assertSame(chargeGet, match(table.lookup("HEAD", "/api/charge", "/api/charge", "")).route());
  }

  @Test
  void theDispatchedPathIsNormalizedBeforeMatching() {
    RouteTable.Lookup.Match m = match(TABLE.lookup("GET", "/API//Premium/", "/free", ""));
    assertSame(PREMIUM, m.route());
    assertEquals("/api/premium/", m.path());
  }

  @Test
  void theRawPathMatchesWhenTheDispatchedOneDoesNot() {
    RouteTable.Lookup.Match m =
        match(TABLE.lookup("GET", "/free/page", "/shop/api/%70remium;x=1", "/shop"));
    assertSame(PREMIUM, m.route());
    assertEquals("/api/premium", m.path());
    assertInstanceOf(
        RouteTable.Lookup.Unpaid.class, TABLE.lookup("GET", "/free", "/shop/free", "/shop"));
  }

  @Test
  void aPathThatCannotBeNormalizedIsInvalid() {
    assertInstanceOf(RouteTable.Lookup.Invalid.class, TABLE.lookup("GET", "/free", "/%zz", ""));
    assertInstanceOf(
        RouteTable.Lookup.Invalid.class, TABLE.lookup("GET", "/a/../../x", "/free", ""));
    assertInstanceOf(
        RouteTable.Lookup.Invalid.class, TABLE.lookup("GET", "/free", "/free", "/shop"));
  }

  @Test
  void theContextPathIsStrippedAfterNormalizing() {
    assertEquals("/api/premium", RouteTable.relativePath("/shop/api/premium", "/shop"));
    assertEquals("/api/premium", RouteTable.relativePath("/%73hop/api/premium", "/shop"));
    assertEquals("/api/premium", RouteTable.relativePath("/x/../shop/api/premium", "/shop"));
    assertEquals("/api/premium", RouteTable.relativePath("/Shop/API/premium", "/Shop"));
    assertEquals("/", RouteTable.relativePath("/shop", "/shop"));
    assertEquals("/", RouteTable.relativePath(null, ""));
    assertEquals("/api/premium", RouteTable.relativePath("/api/premium", null));
    assertNull(RouteTable.relativePath("/shopping/api/premium", "/shop"));
    assertNull(RouteTable.relativePath("/shop/../api/premium", "/shop"));
    assertNull(RouteTable.relativePath("/shop/%zz", "/shop"));
  }
}
