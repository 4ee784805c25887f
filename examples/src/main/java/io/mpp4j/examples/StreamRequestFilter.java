package io.mpp4j.examples;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Checks {@code /api/stream}'s {@code n} before the payment filter runs, so that a request the
 * stream cannot serve is a {@code 400} problem and never a payment: mapped ahead of the payment
 * filter in {@code web.xml}.
 */
public final class StreamRequestFilter extends HttpFilter {
  private static final long serialVersionUID = 1L;

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
      throws IOException, ServletException {
    if (StreamServlet.events(req.getQueryString()) == null) {
      StreamServlet.badRequest(resp);
      return;
    }
    chain.doFilter(req, resp);
  }
}
