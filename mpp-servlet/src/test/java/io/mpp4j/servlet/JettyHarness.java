package io.mpp4j.servlet;

import io.mpp4j.core.PaymentRequirement;
import io.mpp4j.core.binding.ChallengeSecret;
import io.mpp4j.server.PaymentGate;
import io.mpp4j.spi.PaymentMethod;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * An embedded Jetty 12 on a loopback ephemeral port, with the filter under test in front of one
 * servlet, and a raw HTTP/1.x client so tests control the exact request line (path tricks
 * included). The connector accepts even ambiguous URIs, so the filter, not Jetty, must stop bypass
 * attempts. Also the gate and price most filter tests put behind it.
 */
final class JettyHarness implements AutoCloseable {
  final Server server;
  final int port;

  private JettyHarness(Server server, int port) {
    this.server = server;
    this.port = port;
  }

  static JettyHarness start(FilterHolder filter, HttpServlet servlet) throws Exception {
    return start("/", filter, EnumSet.of(DispatcherType.REQUEST), Map.of("/*", servlet));
  }

  /**
   * A context at {@code contextPath} ({@code "/"} for the root), the filter mapped to {@code /*}
   * for the given dispatcher types, and servlets by mapping. Filter and servlets support async.
   */
  static JettyHarness start(
      String contextPath,
      FilterHolder filter,
      EnumSet<DispatcherType> dispatches,
      Map<String, HttpServlet> servlets)
      throws Exception {
    return start(contextPath, filter, dispatches, servlets, context -> {});
  }

  /** As above, with a last change to the context before it starts (error pages, say). */
  static JettyHarness start(
      String contextPath,
      FilterHolder filter,
      EnumSet<DispatcherType> dispatches,
      Map<String, HttpServlet> servlets,
      java.util.function.Consumer<ServletContextHandler> customizer)
      throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    connector.setIdleTimeout(10_000);
    connector
        .getConnectionFactory(HttpConnectionFactory.class)
        .getHttpConfiguration()
        .setUriCompliance(UriCompliance.UNSAFE);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler(contextPath);
    context.getServletHandler().setDecodeAmbiguousURIs(true);
    for (Map.Entry<String, HttpServlet> s : servlets.entrySet()) {
      ServletHolder holder = new ServletHolder(s.getValue());
      holder.setAsyncSupported(true);
      context.addServlet(holder, s.getKey());
    }
    filter.setAsyncSupported(true);
    context.addFilter(filter, "/*", dispatches);
    customizer.accept(context);
    server.setHandler(context);
    server.start();
    return new JettyHarness(server, connector.getLocalPort());
  }

  static JettyHarness start(Filter filter, HttpServlet servlet) throws Exception {
    return start(new FilterHolder(filter), servlet);
  }

  /** A gate for the realm {@code api.test} that charges with {@code method} alone. */
  static PaymentGate gate(String secret, PaymentMethod method) {
    return PaymentGate.builder()
        .realm("api.test")
        .secret(ChallengeSecret.of(secret))
        .method(method)
        .build();
  }

  /** A price of one cent (0.01 in the method's currency), without a description. */
  static PaymentRequirement cent() {
    return PaymentRequirement.builder().amount("0.01").build();
  }

  /** Stops Jetty; declares no InterruptedException, so try-with-resources stays warning-free. */
  @Override
  public void close() {
    try {
      server.stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping Jetty", e);
    } catch (Exception e) {
      throw new IllegalStateException("stopping Jetty failed", e);
    }
  }

  /** A parsed response. */
  // Never compared as a whole; tests read the body with assertArrayEquals or as text.
  @SuppressWarnings("ArrayRecordComponent")
  record Response(int status, Map<String, List<String>> headers, byte[] body) {
    String header(String name) {
      List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
      return v == null ? null : v.get(0);
    }

    List<String> all(String name) {
      return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  Response get(String path, String... headers) throws IOException {
    return send("GET", path, null, headers);
  }

  /** Sends an HTTP/1.0 request (no chunked responses, connection closes after). */
  Response send(String method, String path, byte[] body, String... headers) throws IOException {
    StringBuilder req = new StringBuilder();
    req.append(method).append(' ').append(path).append(" HTTP/1.0\r\n");
    req.append("Host: 127.0.0.1:").append(port).append("\r\n");
    for (int i = 0; i < headers.length; i += 2) {
      req.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
    }
    if (body != null) {
      req.append("Content-Length: ").append(body.length).append("\r\n");
    }
    req.append("\r\n");
    return exchange(req.toString().getBytes(StandardCharsets.ISO_8859_1), body);
  }

  Response exchange(byte[] head, byte[] body) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(15_000);
      OutputStream out = socket.getOutputStream();
      out.write(head);
      if (body != null) {
        out.write(body);
      }
      out.flush();
      return parse(socket.getInputStream());
    }
  }

  private static Response parse(InputStream in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    in.transferTo(all);
    byte[] bytes = all.toByteArray();
    int split = indexOf(bytes, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    if (split < 0) {
      throw new IOException(
          "no complete response head: " + new String(bytes, StandardCharsets.ISO_8859_1));
    }
    String[] lines = new String(bytes, 0, split, StandardCharsets.ISO_8859_1).split("\r\n", -1);
    int status = Integer.parseInt(lines[0].split(" ", -1)[1]);
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers
          .computeIfAbsent(
              lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .add(lines[i].substring(colon + 1).strip());
    }
    byte[] body = java.util.Arrays.copyOfRange(bytes, split + 4, bytes.length);
    return new Response(status, headers, body);
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
