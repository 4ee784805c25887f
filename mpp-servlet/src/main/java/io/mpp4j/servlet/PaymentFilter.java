package io.mpp4j.servlet;

import io.mpp4j.config.ConfigSource;
import io.mpp4j.config.ConfigurationException;
import io.mpp4j.config.server.ServerSettings;
import io.mpp4j.core.PaymentRequirement;
import io.mpp4j.server.PaymentGate;
import io.mpp4j.server.http.PaidEventStream;
import io.mpp4j.server.routing.PaidRoute;
import io.mpp4j.server.routing.RouteTable;
import io.mpp4j.server.session.SessionSettler;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A jakarta servlet {@link Filter} that guards paid routes with the MPP {@code Payment} scheme. An
 * unpaid request to a paid route gets {@code 402} with one {@code WWW-Authenticate: Payment}
 * challenge per payment method; a request carrying a valid credential is verified and settled by
 * mpp-core's {@link PaymentGate}, then passed to the application, and its 2xx answer carries a
 * {@code Payment-Receipt}. Requests to other routes pass through untouched.
 *
 * <p>Two ways to construct it: the no-argument constructor for {@code web.xml}, which reads the
 * init-parameters below once in {@link #init}, and {@link #PaymentFilter(PaymentFilterConfig)} for
 * programmatic setups (embedded Jetty, Spring, {@code ServletContext#addFilter}). A filter instance
 * has no static state.
 *
 * <pre>{@code
 * <filter>
 *   <filter-name>payment</filter-name>
 *   <filter-class>io.mpp4j.servlet.PaymentFilter</filter-class>
 *   <async-supported>true</async-supported>
 *   <init-param><param-name>realm</param-name><param-value>api.example.com</param-value></init-param>
 *   <init-param><param-name>secretKeyEnv</param-name><param-value>MPP_SECRET_KEY</param-value></init-param>
 *   <init-param><param-name>methods</param-name><param-value>tempo</param-value></init-param>
 *   <init-param><param-name>tempo.recipient</param-name><param-value>0x742d…</param-value></init-param>
 *   <init-param><param-name>route.premium.path</param-name><param-value>/api/premium</param-value></init-param>
 *   <init-param><param-name>route.premium.amount</param-name><param-value>0.01</param-value></init-param>
 * </filter>
 * <filter-mapping>
 *   <filter-name>payment</filter-name><url-pattern>/*</url-pattern>
 *   <dispatcher>REQUEST</dispatcher><dispatcher>FORWARD</dispatcher><dispatcher>INCLUDE</dispatcher>
 *   <dispatcher>ERROR</dispatcher><dispatcher>ASYNC</dispatcher>
 * </filter-mapping>
 * }</pre>
 *
 * <p>Map it for all dispatcher types (and with {@code <async-supported>true</async-supported>} for
 * async servlets): a forward, include, error page or async dispatch to a paid route from a request
 * that was not paid for is guarded like a request to that route, and is not charged again within a
 * paid request. Routes are matched relative to the context path, on both the path the container
 * dispatches and the normalized raw URI. A paid request is settled when its response is done (on
 * completion for async requests), from what was sent: see {@code docs/servlet-filter.md}.
 *
 * <p>A {@code session} route also guards {@code POST} and {@code HEAD} on its paths: the payer's
 * vouchers, top-ups and close arrive there as bodiless {@code POST}s (or a {@code HEAD}), and the
 * filter answers them {@code 204} with the receipt without running the application. A paid request
 * on such a route may stream its answer through the {@link #EVENT_STREAM_ATTRIBUTE event stream},
 * one charge per event.
 *
 * <p>The init-parameters are the server settings of {@link io.mpp4j.config.server.ServerSettings}
 * ({@code realm}, {@code secretKeyEnv}, {@code methods}, {@code route.<name>.*}, ...) plus each
 * method's {@code <method>.<setting>}; values may use {@code ${ENV_OR_PROPERTY}} and {@code
 * ${NAME:default}}. The table of every key, its default and its form is in {@code
 * docs/servlet-filter.md} (a test keeps it equal to the declarations).
 *
 * <p>A bad value fails deployment with a {@link ServletException} naming the parameter, its value
 * and the expected form. Credentials, receipts and secrets never appear in logs; the challenge id
 * is logged as the correlation id.
 */
public final class PaymentFilter implements Filter {
  /** Init-parameter: the realm. */
  public static final String REALM_PARAM = "realm";

  /** Init-parameter: where the secret is (a variable name). */
  public static final String SECRET_KEY_ENV_PARAM = "secretKeyEnv";

  /** Init-parameter: where previous secrets are (variable names). */
  public static final String PREVIOUS_SECRET_KEYS_ENV_PARAM = "previousSecretKeysEnv";

  /** Init-parameter: allow a random secret when none is configured. */
  public static final String ALLOW_EPHEMERAL_SECRET_PARAM = "allowEphemeralSecret";

  /** Init-parameter: challenge lifetime. */
  public static final String CHALLENGE_TTL_PARAM = "challengeTtl";

  /** Init-parameter: the payment methods. */
  public static final String METHODS_PARAM = "methods";

  /** Init-parameter: the body buffering cap. */
  public static final String MAX_BODY_BYTES_PARAM = "maxBodyBytes";

  /** Init-parameter: refuse plain HTTP. */
  public static final String REQUIRE_SECURE_PARAM = "requireSecure";

  /** Init-parameter: use the Payment-Authorization request header. */
  public static final String PAYMENT_AUTHORIZATION_HEADER_PARAM = "paymentAuthorizationHeader";

  /** Init-parameter: in-memory replay store capacity. */
  public static final String REPLAY_STORE_MAX_ENTRIES_PARAM = "replayStoreMaxEntries";

  /** Prefix of the route init-parameters: {@code route.<name>.<attribute>}. */
  public static final String ROUTE_PARAM_PREFIX = "route.";

  /**
   * Request attribute an application may set on a paid request to report how many units it consumed
   * (for metering), as a non-negative {@code Long} or {@code Integer}. The filter reads it when it
   * completes a deferred settlement and passes it in {@link io.mpp4j.spi.Delivery#units()}. Without
   * it the units are 1 for a delivered response and 0 for one that was not delivered; any other
   * value (a negative number, a string, a fraction) is ignored with a warning and the default
   * applies. A plain charge does not depend on it.
   */
  public static final String UNITS_ATTRIBUTE = "io.mpp4j.units";

  /**
   * Request attribute holding the {@link PaidEventStream} of a paid request whose intent bills per
   * event (a {@code session} route); absent on other requests. Read it with {@link
   * PaidRequests#eventStream}. An application that streams through it answers {@code
   * text/event-stream}: each event is charged (the first by the request's own payment) and flushed,
   * the payer is asked for more with a {@code payment-need-voucher} event when its balance runs
   * out, and the stream ends with a {@code payment-receipt} event when the application returns or
   * closes it. An application that ignores it answers once, metered by {@link #UNITS_ATTRIBUTE}.
   */
  public static final String EVENT_STREAM_ATTRIBUTE = "io.mpp4j.eventStream";

  private static final Logger LOG = LoggerFactory.getLogger(PaymentFilter.class);

  /**
   * Request attribute set on a request whose payment was accepted, so that the forwards, includes,
   * error and async dispatches within it are not charged again.
   */
  static final String PAID_ATTRIBUTE = PaymentFilter.class.getName() + ".paid";

  private volatile @Nullable PaymentFilterConfig config;
  private volatile @Nullable SessionSettler settler;

  /** For {@code web.xml}: the configuration is read from init-parameters in {@link #init}. */
  public PaymentFilter() {}

  /** For programmatic setups: init-parameters are ignored. */
  public PaymentFilter(PaymentFilterConfig config) {
    this.config = Objects.requireNonNull(config, "config == null");
  }

  /**
   * Guards every request this filter is mapped to (all HTTP methods but OPTIONS) with one
   * requirement.
   */
  public PaymentFilter(PaymentGate gate, PaymentRequirement requirement) {
    this(
        PaymentFilterConfig.builder(gate)
            .route(
                new PaidRoute(
                    "all",
                    Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"),
                    "/*",
                    requirement,
                    null))
            .build());
  }

  @Override
  public void init(FilterConfig filterConfig) throws ServletException {
    if (config != null) {
      LOG.debug("PaymentFilter configured programmatically; init-parameters ignored");
      settler = config.gate().startSessionSettler();
      return;
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (String name : Collections.list(filterConfig.getInitParameterNames())) {
      params.put(name, filterConfig.getInitParameter(name));
    }
    String serverName = filterConfig.getServletContext().getVirtualServerName();
    String defaultRealm = serverName == null || serverName.isBlank() ? "localhost" : serverName;
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null) {
      loader = PaymentFilter.class.getClassLoader();
    }
    try {
      PaymentFilterConfig parsed =
          PaymentFilterConfig.from(
              ServerSettings.read(
                  ConfigSource.of("init-parameter", params, System::getenv), loader, defaultRealm));
      this.config = parsed;
      settler = parsed.gate().startSessionSettler();
      LOG.info(
          "mpp4j PaymentFilter '{}' ready: realm={}, paid routes={}",
          filterConfig.getFilterName(),
          parsed.gate().realm(),
          parsed.routes().stream().map(r -> r.httpMethods() + " " + r.pattern()).toList());
    } catch (ConfigurationException e) {
      throw new ServletException(
          "PaymentFilter '" + filterConfig.getFilterName() + "': " + e.getMessage(), e);
    }
  }

  /** The configuration in force (after {@link #init} for web.xml deployments). */
  public PaymentFilterConfig config() {
    PaymentFilterConfig c = config;
    if (c == null) {
      throw new IllegalStateException("PaymentFilter is not initialized");
    }
    return c;
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    if (!(req instanceof HttpServletRequest request)
        || !(res instanceof HttpServletResponse response)) {
      chain.doFilter(req, res);
      return;
    }
    // mpp-core's handler decides (routes, TLS, body caps, the gate, the receipt and the
    // settlement); this filter only translates the servlet objects and runs the chain.
    config()
        .handler()
        .handle(
            new ServletExchange(request, response),
            (paid, body) -> {
              if (paid == null) {
                chain.doFilter(request, response);
                return;
              }
              ReceiptResponse appResponse = new ReceiptResponse(response, paid.response());
              PaidEventStream events = paid.eventStream();
              if (events != null) {
                request.setAttribute(EVENT_STREAM_ATTRIBUTE, events);
              }
              chain.doFilter(new PaidRequest(request, body, paid, appResponse), appResponse);
            });
  }

  /**
   * The raw request URI normalized, then made relative to the context path; null when it cannot be
   * normalized or does not lie under the context path (see {@link RouteTable#relativePath}).
   */
  static @Nullable String requestedPath(HttpServletRequest request) {
    return RouteTable.relativePath(ServletExchange.rawPath(request), request.getContextPath());
  }

  /**
   * Stops the session settler this filter started in {@link #init} (when a configured method serves
   * sessions), which first settles what is owed on its channels (SPEC 4.7: settle on graceful
   * shutdown).
   */
  @Override
  public void destroy() {
    SessionSettler s = settler;
    settler = null;
    if (s != null) {
      s.close();
    }
  }
}
