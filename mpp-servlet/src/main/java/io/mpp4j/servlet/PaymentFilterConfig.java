package io.mpp4j.servlet;

import io.mpp4j.config.server.ServerSettings;
import io.mpp4j.core.PaymentRequirement;
import io.mpp4j.server.PaymentGate;
import io.mpp4j.server.http.PaymentHandler;
import io.mpp4j.server.routing.PaidRoute;
import io.mpp4j.server.routing.RouteTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The typed configuration of a {@link PaymentFilter}: the engine, the paid routes and the request
 * handling limits. {@code web.xml} init-parameters are parsed into this same type.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * PaymentFilterConfig config = PaymentFilterConfig.builder(gate)
 *     .route(PaidRoute.of("/api/premium", PaymentRequirement.builder().amount("0.01").build()))
 *     .build();
 * context.addFilter("payment", new PaymentFilter(config)).addMappingForUrlPatterns(null, false, "/*");
 * }</pre>
 */
public final class PaymentFilterConfig {
  /** Default {@link Builder#maxBodyBytes}: 1 MiB. */
  public static final int DEFAULT_MAX_BODY_BYTES = PaymentHandler.DEFAULT_MAX_BODY_BYTES;

  private final PaymentGate gate;
  private final List<PaidRoute> routes;
  private final int maxBodyBytes;
  private final boolean requireSecure;
  private final Duration streamHold;
  private final PaymentHandler handler;

  private PaymentFilterConfig(Builder b) {
    this.gate = b.gate;
    this.routes = List.copyOf(b.routes);
    this.maxBodyBytes = b.maxBodyBytes;
    this.requireSecure = b.requireSecure;
    this.streamHold = b.streamHold;
    this.handler =
        new PaymentHandler(gate, new RouteTable(routes), maxBodyBytes, requireSecure, streamHold);
  }

  /** mpp-core's request handling over this configuration. */
  PaymentHandler handler() {
    return handler;
  }

  /**
   * The configuration a string source describes (web.xml init-parameters, later Spring properties):
   * its gate, routes, body cap and TLS rule.
   */
  public static PaymentFilterConfig from(ServerSettings settings) {
    Builder config =
        builder(settings.gate())
            .maxBodyBytes(settings.maxBodyBytes())
            .requireSecure(settings.requireSecure())
            .streamHold(settings.gate().sessionOptions().streamHold());
    settings.routes().forEach(config::route);
    return config.build();
  }

  /** Starts a builder around the engine. */
  public static Builder builder(PaymentGate gate) {
    return new Builder(Objects.requireNonNull(gate, "gate == null"));
  }

  /** The engine. */
  public PaymentGate gate() {
    return gate;
  }

  /** The paid routes, first match wins. */
  public List<PaidRoute> routes() {
    return routes;
  }

  /** The largest request body buffered for digest binding; larger bodies get 413. */
  public int maxBodyBytes() {
    return maxBodyBytes;
  }

  /** Whether paid routes refuse plain-HTTP requests from non-loopback clients. */
  public boolean requireSecure() {
    return requireSecure;
  }

  /** How long a paid event stream waits for the payer's next voucher or top-up. */
  public Duration streamHold() {
    return streamHold;
  }

  /** Builds a {@link PaymentFilterConfig}. Not thread-safe. */
  public static final class Builder {
    private final PaymentGate gate;
    private final List<PaidRoute> routes = new ArrayList<>();
    private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    private boolean requireSecure = true;
    private Duration streamHold = PaymentHandler.DEFAULT_STREAM_HOLD;

    private Builder(PaymentGate gate) {
      this.gate = gate;
    }

    /**
     * Adds a paid route; routes are tried in the order added.
     *
     * @throws IllegalArgumentException when the route cannot be offered by the gate (unknown
     *     method, price the method cannot express)
     */
    public Builder route(PaidRoute route) {
      Objects.requireNonNull(route, "route == null");
      try {
        gate.validate(route.requirement());
      } catch (IllegalStateException | IllegalArgumentException e) {
        throw new IllegalArgumentException("route '" + route.name() + "': " + e.getMessage(), e);
      }
      routes.add(route);
      return this;
    }

    /** Adds a GET/HEAD route. */
    public Builder route(String pattern, PaymentRequirement requirement) {
      return route(PaidRoute.of(pattern, requirement));
    }

    /** Adds a route for the given HTTP methods. */
    public Builder route(Set<String> httpMethods, String pattern, PaymentRequirement requirement) {
      return route(new PaidRoute(pattern, httpMethods, pattern, requirement, null));
    }

    /**
     * The largest request body buffered for digest binding; default 1 MiB.
     *
     * @throws IllegalArgumentException when negative or above 64 MiB
     */
    public Builder maxBodyBytes(int maxBodyBytes) {
      if (maxBodyBytes < 0 || maxBodyBytes > 64 * 1024 * 1024) {
        throw new IllegalArgumentException(
            "maxBodyBytes must be between 0 and 67108864, but was " + maxBodyBytes);
      }
      this.maxBodyBytes = maxBodyBytes;
      return this;
    }

    /**
     * Whether paid routes refuse plain-HTTP requests (except from loopback clients); default true.
     * Behind a TLS-terminating proxy, make the container report such requests as secure (e.g.
     * Jetty's {@code ForwardedRequestCustomizer}) or set this to false.
     */
    public Builder requireSecure(boolean requireSecure) {
      this.requireSecure = requireSecure;
      return this;
    }

    /**
     * How long a paid event stream (a {@code session} route's {@link
     * PaymentFilter#EVENT_STREAM_ATTRIBUTE}) waits for the payer's next voucher or top-up after
     * asking for it, before it ends with the final receipt; default 60 s.
     *
     * @throws IllegalArgumentException when not positive or above 10 minutes
     */
    public Builder streamHold(Duration streamHold) {
      this.streamHold = PaymentHandler.checkStreamHold(streamHold);
      return this;
    }

    /** Builds the configuration. */
    public PaymentFilterConfig build() {
      return new PaymentFilterConfig(this);
    }
  }
}
