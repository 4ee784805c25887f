package io.mpp4j.servlet;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The application behind the filter in tests; counts how often each paid resource was served. It
 * answers by the path the container dispatched (servlet path and path info), so it serves the same
 * resources under any context path.
 */
final class TestApp extends HttpServlet {
  private static final long serialVersionUID = 1L;
  final AtomicInteger premiumServed = new AtomicInteger();
  final AtomicInteger echoServed = new AtomicInteger();

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String path = path(req);
    switch (path) {
      case "/api/echo" -> {
        echoServed.incrementAndGet();
        byte[] body = req.getInputStream().readAllBytes();
        resp.setContentType("application/octet-stream");
        resp.getOutputStream().write(body);
      }
      case "/api/early" -> {
        resp.setContentType("text/plain");
        resp.getWriter().write("early");
        resp.flushBuffer();
        resp.getWriter().write(" and more");
      }
      case "/api/fail" -> {
        resp.setStatus(500);
        resp.getWriter().write("broken");
      }
      case "/api/error" -> resp.sendError(503);
      case "/api/cached" -> {
        resp.setHeader("Cache-Control", "public, max-age=60");
        resp.getWriter().write("cached");
      }
      case "/api/forged" -> {
        resp.setHeader("Payment-Receipt", "forged-by-app");
        resp.setStatus(500);
      }
      default -> {
        if (path.toLowerCase(java.util.Locale.ROOT).contains("premium")) {
          premiumServed.incrementAndGet();
        }
        resp.setContentType("text/plain");
        resp.getOutputStream().write(("served " + path).getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  /** The path the container dispatched: servlet path and path info, without the context path. */
  static String path(HttpServletRequest req) {
    return req.getServletPath() + (req.getPathInfo() == null ? "" : req.getPathInfo());
  }
}
