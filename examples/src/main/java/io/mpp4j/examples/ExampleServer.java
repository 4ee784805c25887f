package io.mpp4j.examples;

import java.net.URL;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the example webapp ({@code webapp/WEB-INF/web.xml} on the classpath) on embedded Jetty 12 in
 * the foreground. Environment: {@code PORT} (default 8080) and {@code HOST} (default 127.0.0.1);
 * everything else ({@code MPP_REALM}, {@code MPP_SECRET_KEY}, {@code MPP_METHODS}, {@code TEMPO_*},
 * {@code STRIPE_*}) is read by the filter through {@code web.xml}.
 *
 * <pre>
 * java -jar examples/target/mpp-example.jar            # serve
 * java -jar examples/target/mpp-example.jar pay-mock "&lt;WWW-Authenticate value&gt;"
 * </pre>
 */
public final class ExampleServer {
  private static final Logger LOG = LoggerFactory.getLogger(ExampleServer.class);

  private ExampleServer() {}

  /** Entry point. */
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("pay-mock")) {
      PayMock.main(java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    String host = env("HOST", "127.0.0.1");
    int port;
    try {
      port = Integer.parseInt(env("PORT", "8080"));
    } catch (NumberFormatException e) {
      System.err.println("PORT must be a number, but was " + System.getenv("PORT"));
      System.exit(2);
      return;
    }
    Server server = start(host, port);
    LOG.info("mpp4j example listening on http://{}:{}/ (try /free and /api/premium)", host, port);
    server.join();
  }

  /**
   * The payment methods to offer when {@code MPP_METHODS} is not set: {@code mock}, plus {@code
   * tempo} when {@code TEMPO_RECIPIENT} is set, plus {@code stripe} when {@code STRIPE_SECRET_KEY}
   * is set.
   */
  static String defaultMethods(java.util.function.Function<String, String> env) {
    StringBuilder methods = new StringBuilder("mock");
    String recipient = env.apply("TEMPO_RECIPIENT");
    if (recipient != null && !recipient.isBlank()) {
      methods.append(",tempo");
    }
    String key = env.apply("STRIPE_SECRET_KEY");
    if (key != null && !key.isBlank()) {
      methods.append(",stripe");
    }
    return methods.toString();
  }

  /** Starts the webapp; port 0 picks a free one. The caller stops the server. */
  public static Server start(String host, int port) throws Exception {
    String methods = System.getenv("MPP_METHODS");
    if ((methods == null || methods.isBlank()) && System.getProperty("MPP_METHODS") == null) {
      // web.xml reads ${MPP_METHODS:mock}: the environment first, then system properties.
      System.setProperty("MPP_METHODS", defaultMethods(System::getenv));
    }
    Server server = new Server();
    HttpConfiguration http = new HttpConfiguration();
    // Jetty caches header fields per connection; payment credentials are unique per request, so
    // caching them only costs time (it showed up as the top cost of paid requests under load).
    http.setHeaderCacheSize(Integer.getInteger("mpp4j.example.headerCacheSize", 0));
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost(host);
    connector.setPort(port);
    server.addConnector(connector);

    WebAppContext webapp = new WebAppContext();
    webapp.setContextPath("/");
    URL base = ExampleServer.class.getClassLoader().getResource("webapp/WEB-INF/web.xml");
    if (base == null) {
      throw new IllegalStateException("webapp/WEB-INF/web.xml is not on the classpath");
    }
    String root =
        base.toString().substring(0, base.toString().length() - "WEB-INF/web.xml".length());
    webapp.setBaseResource(ResourceFactory.of(webapp).newResource(root));
    // The servlets, the filter and the payment-method providers come from this application's class
    // path, not from WEB-INF/lib.
    webapp.setParentLoaderPriority(true);
    webapp.setThrowUnavailableOnStartupException(true);
    server.setHandler(webapp);
    server.setStopAtShutdown(true);
    server.start();
    return server;
  }

  /** The port a started server listens on. */
  public static int port(Server server) {
    return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }

  private static String env(String name, String dflt) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? dflt : v.strip();
  }
}
