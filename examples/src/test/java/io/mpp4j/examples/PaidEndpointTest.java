package io.mpp4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpp4j.core.PaymentRequirement;
import io.mpp4j.core.Receipt;
import io.mpp4j.core.binding.ChallengeSecret;
import io.mpp4j.server.PaymentGate;
import io.mpp4j.servlet.PaymentFilter;
import io.mpp4j.servlet.PaymentFilterConfig;
import io.mpp4j.test.MockPayer;
import io.mpp4j.test.MockPaymentMethod;
import jakarta.servlet.DispatcherType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The README's example of testing a paid endpoint with the mock payment method. */
class PaidEndpointTest {
  MockPaymentMethod mock = MockPaymentMethod.create();
  Server server = new Server();
  HttpClient http = HttpClient.newHttpClient();
  String base;

  @BeforeEach
  void start() throws Exception {
    PaymentGate gate =
        PaymentGate.builder()
            .realm("test")
            .secret(ChallengeSecret.of("a-test-secret-of-at-least-32-bytes!"))
            .method(mock)
            .build();
    PaymentFilterConfig config =
        PaymentFilterConfig.builder(gate)
            .route("/api/premium", PaymentRequirement.builder().amount("0.01").build())
            .build();
    ServletContextHandler context = new ServletContextHandler("/");
    context.addServlet(PremiumServlet.class, "/api/premium"); // your servlet
    context.addFilter(
        new FilterHolder(new PaymentFilter(config)), "/*", EnumSet.allOf(DispatcherType.class));
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    server.setHandler(context);
    server.start();
    base = "http://127.0.0.1:" + connector.getLocalPort();
  }

  @AfterEach
  void stop() throws Exception {
    server.stop();
  }

  HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void paidEndpointAsksForPaymentThenServes() throws Exception {
    HttpResponse<String> unpaid = get("/api/premium");
    assertEquals(402, unpaid.statusCode());

    String authorization = MockPayer.pay(unpaid.headers().allValues("WWW-Authenticate"));
    HttpResponse<String> paid = get("/api/premium", "Authorization", authorization);
    assertEquals(200, paid.statusCode());
    Receipt receipt = Receipt.parse(paid.headers().firstValue("Payment-Receipt").orElseThrow());
    assertEquals("mock", receipt.method());
    assertEquals(1, mock.settled().size());
  }

  @Test
  void declinedPaymentNeverReachesTheServlet() throws Exception {
    mock.mode(MockPaymentMethod.Mode.DECLINE);
    HttpResponse<String> unpaid = get("/api/premium");
    String authorization = MockPayer.pay(unpaid.headers().allValues("WWW-Authenticate"));
    HttpResponse<String> declined = get("/api/premium", "Authorization", authorization);
    assertEquals(402, declined.statusCode());
    assertTrue(declined.body().contains("verification-failed"));
  }
}
