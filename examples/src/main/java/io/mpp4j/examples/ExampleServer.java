package io.mpp4j.examples;

import io.mpp4j.server.session.SessionMethod;
import io.mpp4j.tempo.TempoMethod;
import java.net.URL;
import java.util.Arrays;
import java.util.function.Function;
import java.util.function.Predicate;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.jspecify.annotations.Nullable;
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

  /**
   * The Stripe network id the example offers with a test-mode key when {@code STRIPE_NETWORK_ID} is
   * unset: a placeholder (the value mppx's own examples use) for test mode, where tokens come from
   * Stripe's test helper. A live key needs the real {@code profile_…} id that clients grant their
   * Shared Payment Tokens to.
   */
  static final String TEST_NETWORK_ID = "internal";

  private ExampleServer() {}

  /** Entry point. */
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("pay-mock")) {
      PayMock.run(java.util.Arrays.copyOfRange(args, 1, args.length));
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
    Server server;
    try {
      server = start(host, port);
    } catch (ConfigurationError e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    LOG.info(
        "mpp4j example listening on http://{}:{}/ (try /free, /api/premium, /api/metered and"
            + " /api/stream)",
        host,
        port);
    server.join();
  }

  /**
   * The payment methods to offer when {@code MPP_METHODS} is not set: {@code mock}, plus {@code
   * tempo} when {@code TEMPO_RECIPIENT} is set, plus {@code stripe} when {@code STRIPE_SECRET_KEY}
   * is set.
   */
  static String defaultMethods(Function<String, @Nullable String> env) {
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

  /**
   * Whether {@code methods} (comma-separated) names a method that serves the {@code session}
   * intent: {@code mock}, or {@code tempo} when this build's Tempo method is a session method and
   * {@code TEMPO_OPERATOR_KEY} is set (without the operator's key Tempo offers no sessions). When
   * none does, the launcher adds {@code mock} for the session routes alone ({@code
   * MPP_SESSION_FALLBACK}, {@code MPP_CHARGE_OFFER} in web.xml).
   */
  static boolean servesSessions(String methods, Function<String, @Nullable String> env) {
    String operatorKey = env.apply("TEMPO_OPERATOR_KEY");
    boolean tempoSessions =
        SessionMethod.class.isAssignableFrom(TempoMethod.class)
            && operatorKey != null
            && !operatorKey.isBlank();
    return namesOneOf(
        methods, name -> name.equals("mock") || (name.equals("tempo") && tempoSessions));
  }

  /** Whether one of {@code methods} (comma-separated) is {@code sessionMethod}. */
  static boolean namesOneOf(String methods, Predicate<String> sessionMethod) {
    for (String m : methods.split(",", -1)) {
      if (sessionMethod.test(m.strip())) {
        return true;
      }
    }
    return false;
  }

  /**
   * The {@code STRIPE_NETWORK_ID} to use when it is not set: {@value #TEST_NETWORK_ID} for a
   * test-mode key ({@code sk_test_…}, {@code rk_test_…}); null when it is set, when stripe is not
   * among {@code methods} or when there is no key (the stripe method then reports the missing key).
   *
   * @throws ConfigurationError for any other key (a live one) without {@code STRIPE_NETWORK_ID}
   */
  static @Nullable String defaultNetworkId(String methods, Function<String, @Nullable String> env) {
    String networkId = env.apply("STRIPE_NETWORK_ID");
    if ((networkId != null && !networkId.isBlank())
        || !Arrays.asList(methods.split("\\s*,\\s*")).contains("stripe")) {
      return null;
    }
    String key = env.apply("STRIPE_SECRET_KEY");
    if (key == null || key.isBlank()) {
      return null;
    }
    if (key.startsWith("sk_test_") || key.startsWith("rk_test_")) {
      return TEST_NETWORK_ID;
    }
    // Never name the key itself.
    throw new ConfigurationError(
        "STRIPE_NETWORK_ID is not set: with a live Stripe key (sk_live_..., rk_live_...) set it"
            + " to your Stripe Business Network profile id (profile_...), the business that"
            + " clients' Shared Payment Tokens are granted to. Only test-mode keys (sk_test_...,"
            + " rk_test_...) have a default ("
            + TEST_NETWORK_ID
            + ").");
  }

  /** Starts the webapp; port 0 picks a free one. The caller stops the server. */
  public static Server start(String host, int port) throws Exception {
    // web.xml reads ${NAME:default} from the environment first, then from system properties.
    Function<String, @Nullable String> settings =
        name -> {
          String v = System.getenv(name);
          return v == null || v.isBlank() ? System.getProperty(name) : v;
        };
    String methods = settings.apply("MPP_METHODS");
    if (methods == null || methods.isBlank()) {
      methods = defaultMethods(System::getenv);
      System.setProperty("MPP_METHODS", methods);
    }
    if (servesSessions(methods, settings)) {
      System.clearProperty("MPP_SESSION_FALLBACK");
      System.clearProperty("MPP_CHARGE_OFFER");
    } else {
      // The session routes need a method that serves sessions; the charge routes keep offering
      // exactly the methods asked for.
      System.setProperty("MPP_SESSION_FALLBACK", ",mock");
      System.setProperty("MPP_CHARGE_OFFER", methods);
    }
    String networkId = defaultNetworkId(methods, settings);
    if (networkId != null) {
      System.setProperty("STRIPE_NETWORK_ID", networkId);
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

  /** A setting that stops the example from starting; its message says what to set. */
  static final class ConfigurationError extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    ConfigurationError(String message) {
      super(message);
    }
  }

  private static String env(String name, String dflt) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? dflt : v.strip();
  }
}
