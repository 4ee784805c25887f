package io.mpp4j.server.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP request and its response, as a framework adapter presents them to the {@link
 * PaymentHandler}. The adapter translates, it does not decide: paths are given as the framework
 * sees them and normalized by the handler.
 *
 * <p>An exchange is used by one thread at a time.
 */
public interface HttpExchange {
  /** The HTTP method, upper case. */
  String method();

  /**
   * The decoded path the framework dispatches to within the application (for a servlet: servlet
   * path plus path info), {@code /} when empty. The handler normalizes it.
   */
  String dispatchedPath();

  /**
   * The raw request path as it came on the wire (still percent-encoded, without the query),
   * including the {@link #contextPath()}, or null when the framework does not know it.
   */
  @Nullable String rawPath();

  /** The prefix of {@link #rawPath()} that is not part of the routes' paths; empty for none. */
  String contextPath();

  /** Every value of a header (case-insensitive name), in order; empty when absent. */
  List<String> headers(String name);

  /** The first value of a header, or null. */
  default @Nullable String header(String name) {
    List<String> values = headers(name);
    return values.isEmpty() ? null : values.get(0);
  }

  /** The raw query string without {@code ?}, or null when there is none. */
  @Nullable String query();

  /** Whether the request came over TLS (as the framework, possibly behind a proxy, reports it). */
  boolean isSecure();

  /** The client's address, or null when unknown. */
  @Nullable String remoteAddress();

  /** The declared {@code Content-Length}, or -1 when not declared. */
  long declaredContentLength();

  /**
   * The request body. The handler reads at most its cap plus one byte from it, and only for a route
   * that binds the body.
   */
  InputStream body() throws IOException;

  /**
   * Whether this is a dispatch (forward, include, error page, async) within a request whose payment
   * was already accepted: see {@link #markPaid()}. Such a dispatch is not charged again.
   */
  boolean nestedInPaidRequest();

  /** Records on the request that its payment was accepted, for {@link #nestedInPaidRequest()}. */
  void markPaid();

  /**
   * The units the application reported for metering (for a servlet: the request attribute {@code
   * io.mpp4j.units}), or null. Only a non-negative {@code Long} or {@code Integer} counts.
   */
  @Nullable Object reportedUnits();

  /**
   * Called when the application returned: if the response continues asynchronously, the adapter
   * arranges for {@link PaidExchange#completed()} when it is done (and {@link
   * PaidExchange#abandoned()} on a timeout or error) and returns true; otherwise false, and the
   * handler settles now.
   */
  boolean continuesAsynchronously(PaidExchange paid);

  /** The response. */
  ExchangeResponse response();
}
