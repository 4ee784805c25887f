package io.mpp4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpp4j.core.Challenge;
import io.mpp4j.core.Receipt;
import io.mpp4j.test.MockPayer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The example webapp as the README walks through it, on embedded Jetty with its defaults. */
class ExampleWebappTest {
  static Server server;
  static String base;
  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() throws Exception {
    server = ExampleServer.start("127.0.0.1", 0);
    base = "http://127.0.0.1:" + ExampleServer.port(server);
  }

  @AfterAll
  static void stop() throws Exception {
    server.stop();
  }

  static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return HTTP.send(
        request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpRequest.Builder get(String path) {
    return HttpRequest.newBuilder(URI.create(base + path)).GET();
  }

  @Test
  void freeRouteIsFree() throws Exception {
    HttpResponse<String> r = send(get("/free"));
    assertEquals(200, r.statusCode());
    assertTrue(r.body().contains("free"));
  }

  @Test
  void premiumWalksThrough402PayAnd200() throws Exception {
    HttpResponse<String> unpaid = send(get("/api/premium"));
    assertEquals(402, unpaid.statusCode());
    assertEquals("no-store", unpaid.headers().firstValue("Cache-Control").orElseThrow());
    Challenge c = Challenge.parse(unpaid.headers().firstValue("WWW-Authenticate").orElseThrow());
    assertEquals("mock", c.method());
    assertEquals("localhost", c.realm());
    assertEquals("500000", c.request().amount()); // 0.50 at the mock's six decimals
    assertEquals("usd", c.request().currency());

    HttpResponse<String> paid =
        send(
            get("/api/premium")
                .header(
                    "Authorization",
                    MockPayer.pay(unpaid.headers().allValues("WWW-Authenticate"))));
    assertEquals(200, paid.statusCode());
    assertTrue(paid.body().contains("Premium content"));
    Receipt receipt = Receipt.parse(paid.headers().firstValue("Payment-Receipt").orElseThrow());
    assertEquals("mock_" + c.id(), receipt.reference());
    assertEquals("private", paid.headers().firstValue("Cache-Control").orElseThrow());
  }

  @Test
  void echoIsBoundToItsBody() throws Exception {
    String body = "{\"hello\":\"world\"}";
    HttpResponse<String> unpaid =
        send(
            HttpRequest.newBuilder(URI.create(base + "/api/echo"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    assertEquals(402, unpaid.statusCode());
    String authorization = MockPayer.pay(unpaid.headers().allValues("WWW-Authenticate"));
    HttpResponse<String> other =
        send(
            HttpRequest.newBuilder(URI.create(base + "/api/echo"))
                .header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofString("{\"hello\":\"mallory\"}")));
    assertEquals(402, other.statusCode());
    HttpResponse<String> paid =
        send(
            HttpRequest.newBuilder(URI.create(base + "/api/echo"))
                .header("Content-Type", "application/json")
                .header(
                    "Authorization", MockPayer.pay(other.headers().allValues("WWW-Authenticate")))
                .POST(HttpRequest.BodyPublishers.ofString("{\"hello\":\"mallory\"}")));
    assertEquals(200, paid.statusCode());
    assertEquals("{\"hello\":\"mallory\"}", paid.body());
    assertNotNull(paid.headers().firstValue("Payment-Receipt").orElse(null));
  }

  @Test
  void aBadConfigurationStopsTheStart() {
    System.setProperty("MPP_METHODS", "lightning");
    try {
      Exception e = assertThrows(Exception.class, () -> ExampleServer.start("127.0.0.1", 0).stop());
      String all = String.valueOf(e) + String.valueOf(e.getCause());
      assertTrue(all.contains("lightning"), all);
    } finally {
      System.clearProperty("MPP_METHODS");
    }
  }
}
