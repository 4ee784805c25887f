package io.mpp4j.examples;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;

/** {@code GET /api/premium}: a charge; it only runs once the payment was verified. */
public final class PremiumServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    resp.setContentType("application/json");
    resp.getWriter()
        .write(
            "{\"message\":\"Premium content, paid for.\",\"servedAt\":\""
                + Instant.now()
                + "\"}\n");
  }
}
