package io.mpp4j.examples;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code POST /api/echo}: a charge bound to the request body (its digest is in the challenge), so a
 * credential paid for one body cannot be replayed with another. Echoes the body back.
 */
public final class EchoServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  @Override
  protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    byte[] body = req.getInputStream().readAllBytes();
    String type = req.getContentType();
    resp.setContentType(type == null ? "application/octet-stream" : type);
    resp.getOutputStream().write(body);
  }
}
