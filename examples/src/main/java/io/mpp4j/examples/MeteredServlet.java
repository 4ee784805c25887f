package io.mpp4j.examples;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code GET /api/metered}: a {@code session} route at a fixed price per request (0.001, unit type
 * {@code request}). It only runs once the filter has charged this request against the payer's
 * channel; the response carries the session receipt. It writes a fixed message, as {@link
 * PremiumServlet} does, so the load benchmark compares payment paths and nothing else.
 */
public final class MeteredServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    resp.setContentType("application/json");
    resp.getWriter().write("{\"message\":\"Metered content, paid per request.\"}\n");
  }
}
