package io.mpp4j.stripe.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.stripe.net.ApiMode;
import com.stripe.net.ApiResource;
import com.stripe.net.RequestOptions;
import com.stripe.net.StripeRequest;
import com.stripe.net.StripeResponse;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the transport puts on the wire, seen by a plain HTTP server on a loopback socket. */
class JdkStripeHttpClientTest {
  private record Seen(String method, String path, List<String> contentTypes, String body) {}

  private final ConcurrentLinkedQueue<Seen> seen = new ConcurrentLinkedQueue<>();
  private HttpServer server;
  private String base;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          byte[] body;
          try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
          }
          List<String> types = exchange.getRequestHeaders().get("Content-Type");
          seen.add(
              new Seen(
                  exchange.getRequestMethod(),
                  exchange.getRequestURI().getPath(),
                  types == null ? List.of() : List.copyOf(types),
                  new String(body, StandardCharsets.UTF_8)));
          byte[] answer =
              "{\"id\":\"pi_1\",\"object\":\"payment_intent\"}".getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, answer.length);
          exchange.getResponseBody().write(answer);
          exchange.close();
        });
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private static StripeRequest request(ApiResource.RequestMethod method, String url)
      throws Exception {
    return StripeRequest.create(
        method,
        url,
        method == ApiResource.RequestMethod.POST
            ? Map.of("amount", 100, "currency", "usd", "confirm", true)
            : null,
        RequestOptions.builder().setApiKey("sk_test_transport").build(),
        ApiMode.V1);
  }

  private static JdkStripeHttpClient transport() {
    return new JdkStripeHttpClient(Duration.ofSeconds(2), Duration.ofSeconds(5));
  }

  @Test
  void formPostCarriesExactlyTheContentTypeOfItsContent() throws Exception {
    StripeRequest request = request(ApiResource.RequestMethod.POST, base + "/v1/payment_intents");
    assertNotNull(request.content());
    assertEquals(
        "application/x-www-form-urlencoded;charset=UTF-8", request.content().contentType());

    StripeResponse response = transport().request(request);

    assertEquals(200, response.code());
    Seen s = seen.poll();
    assertNotNull(s);
    assertEquals("POST", s.method());
    assertEquals("/v1/payment_intents", s.path());
    assertEquals(List.of(request.content().contentType()), s.contentTypes());
    assertEquals(request.content().stringContent(), s.body());
  }

  @Test
  void requestWithoutContentCarriesNoContentType() throws Exception {
    StripeRequest request =
        request(ApiResource.RequestMethod.GET, base + "/v1/payment_intents/pi_1");
    assertNull(request.content());

    transport().request(request);

    Seen s = seen.poll();
    assertNotNull(s);
    assertEquals("GET", s.method());
    assertEquals(List.of(), s.contentTypes());
    assertEquals("", s.body());
  }
}
