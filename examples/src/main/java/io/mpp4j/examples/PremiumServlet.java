package io.mpp4j.examples;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code GET /api/premium}: a charge; it only runs once the payment was verified. It writes a fixed
 * message, as {@link FreeServlet} does, so that the load benchmark's comparison of the two routes
 * measures the payment path and nothing else.
 */
public final class PremiumServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    resp.setContentType("application/json");
    resp.getWriter().write("{\"message\":\"Premium content, paid for.\"}\n");
  }
}
