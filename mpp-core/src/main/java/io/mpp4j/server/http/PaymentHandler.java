package io.mpp4j.server.http;

import io.mpp4j.core.Intent;
import io.mpp4j.core.MppHeaders;
import io.mpp4j.core.PaymentRequirement;
import io.mpp4j.core.problem.Problem;
import io.mpp4j.core.problem.ProblemType;
import io.mpp4j.core.problem.ReasonCode;
import io.mpp4j.server.GateResult;
import io.mpp4j.server.PaymentGate;
import io.mpp4j.server.routing.PaidRoute;
import io.mpp4j.server.routing.RouteTable;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The request handling every framework adapter calls: route matching ({@link RouteTable}), the TLS
 * requirement, pricing, body buffering with its caps, the {@link PaymentGate}'s verdict, the
 * refusal answers, and the paid exchange that attaches the receipt and settles once. The adapter
 * only translates its request and response into an {@link HttpExchange} and runs the application
 * when told to.
 *
 * <pre>{@code
 * handler.handle(exchange, (paid, body) -> {
 *   // paid == null: not a paid route (or a dispatch within a paid request); run the application.
 *   // paid != null: run it with a response that reports to paid.response() and a request that
 *   // replays body (when not null); hand it paid.eventStream() when not null (a session).
 * });
 * }</pre>
 *
 * <p>Sessions (SPEC 4.5, 4.7, 11.4): a {@code session} route also covers {@code POST} and {@code
 * HEAD} ({@link PaidRoute#covers}); a payment-management request the gate {@linkplain
 * GateResult.Acknowledged acknowledges} gets {@code 204} with the receipt and the application does
 * not run; a paid request whose result streams gets a {@link PaidEventStream} that charges one unit
 * per event after the first and waits at most {@link #streamHold()} for the payer's next payment. A
 * session's credentials are not bound to a request body (its challenge pays for many requests); a
 * {@code POST} body is still read, within the cap, so the gate sees whether there is one.
 *
 * <p>Immutable and thread-safe.
 */
public final class PaymentHandler {
  /** Default {@link #maxBodyBytes()}: 1 MiB. */
  public static final int DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

  /** The largest allowed {@link #maxBodyBytes()}: 64 MiB. */
  public static final int MAX_BODY_BYTES_LIMIT = 64 * 1024 * 1024;

  /**
   * Default {@link #streamHold()}: 60 s, how long an event stream waits for the payer's next
   * voucher or top-up (SPEC 4.7).
   */
  public static final Duration DEFAULT_STREAM_HOLD = Duration.ofSeconds(60);

  /** The longest allowed {@link #streamHold()}: 10 minutes. */
  public static final Duration MAX_STREAM_HOLD = Duration.ofMinutes(10);

  private static final Set<String> BODY_METHODS = Set.of("POST", "PUT", "PATCH");

  private final PaymentGate gate;
  private final RouteTable routes;
  private final int maxBodyBytes;
  private final boolean requireSecure;
  private final Duration streamHold;

  /**
   * A handler whose event streams wait {@link #DEFAULT_STREAM_HOLD} for payment.
   *
   * @param gate the engine
   * @param routes the paid routes
   * @param maxBodyBytes the largest request body buffered for digest binding; larger ones get 413
   * @param requireSecure whether paid routes refuse plain-HTTP requests from non-loopback clients
   * @throws IllegalArgumentException when maxBodyBytes is negative or above {@link
   *     #MAX_BODY_BYTES_LIMIT}
   */
  public PaymentHandler(
      PaymentGate gate, RouteTable routes, int maxBodyBytes, boolean requireSecure) {
    this(gate, routes, maxBodyBytes, requireSecure, DEFAULT_STREAM_HOLD);
  }

  /**
   * A handler.
   *
   * @param gate the engine
   * @param routes the paid routes
   * @param maxBodyBytes the largest request body buffered for digest binding; larger ones get 413
   * @param requireSecure whether paid routes refuse plain-HTTP requests from non-loopback clients
   * @param streamHold how long a paid event stream waits for the payer's next payment before it
   *     ends (SPEC 4.7: about 60 s)
   * @throws IllegalArgumentException when maxBodyBytes is negative or above {@link
   *     #MAX_BODY_BYTES_LIMIT}, or streamHold is not positive or above {@link #MAX_STREAM_HOLD}
   */
  public PaymentHandler(
      PaymentGate gate,
      RouteTable routes,
      int maxBodyBytes,
      boolean requireSecure,
      Duration streamHold) {
    this.gate = Objects.requireNonNull(gate, "gate == null");
    this.routes = Objects.requireNonNull(routes, "routes == null");
    if (maxBodyBytes < 0 || maxBodyBytes > MAX_BODY_BYTES_LIMIT) {
      throw new IllegalArgumentException(
          "maxBodyBytes must be between 0 and "
              + MAX_BODY_BYTES_LIMIT
              + ", but was "
              + maxBodyBytes);
    }
    this.maxBodyBytes = maxBodyBytes;
    this.requireSecure = requireSecure;
    this.streamHold = checkStreamHold(streamHold);
  }

  /**
   * Checks a stream hold.
   *
   * @throws IllegalArgumentException when not positive or above {@link #MAX_STREAM_HOLD}
   */
  public static Duration checkStreamHold(Duration streamHold) {
    Objects.requireNonNull(streamHold, "streamHold == null");
    if (streamHold.isNegative()
        || streamHold.isZero()
        || streamHold.compareTo(MAX_STREAM_HOLD) > 0) {
      throw new IllegalArgumentException(
          "streamHold must be positive and at most " + MAX_STREAM_HOLD + ", but was " + streamHold);
    }
    return streamHold;
  }

  /** What the adapter runs when the handler lets a request through. */
  @FunctionalInterface
  public interface Application<X extends Exception> {
    /**
     * Runs the application.
     *
     * @param paid null for a request that is not guarded; else the paid exchange, whose {@link
     *     PaidExchange#response()} the adapter's response wrapper must report to
     * @param body the request body the handler already read (replay it to the application), or null
     *     when it did not read it
     */
    void run(@Nullable PaidExchange paid, byte @Nullable [] body) throws IOException, X;
  }

  /** The engine. */
  public PaymentGate gate() {
    return gate;
  }

  /** The paid routes. */
  public RouteTable routes() {
    return routes;
  }

  /** The body buffering cap. */
  public int maxBodyBytes() {
    return maxBodyBytes;
  }

  /** Whether plain HTTP is refused on paid routes (except from loopback clients). */
  public boolean requireSecure() {
    return requireSecure;
  }

  /** How long a paid event stream waits for the payer's next payment. */
  public Duration streamHold() {
    return streamHold;
  }

  /**
   * Handles one request: answers it (a refusal) or runs the application, and for a paid request
   * settles when the response is done (now, or later when it continues asynchronously).
   */
  public <X extends Exception> void handle(HttpExchange exchange, Application<X> application)
      throws IOException, X {
    if (exchange.nestedInPaidRequest()) {
      application.run(null, null); // a dispatch within a request that was paid for
      return;
    }
    String method = exchange.method();
    boolean head = "HEAD".equals(method);
    RouteTable.Lookup lookup =
        routes.lookup(
            method, exchange.dispatchedPath(), exchange.rawPath(), exchange.contextPath());
    if (lookup instanceof RouteTable.Lookup.Invalid) {
      refuse(exchange, "path_invalid", "The request path cannot be normalized.", head);
      return;
    }
    if (!(lookup instanceof RouteTable.Lookup.Match match)) {
      application.run(null, null);
      return;
    }
    if (requireSecure && !exchange.isSecure() && !isLoopback(exchange.remoteAddress())) {
      refuse(exchange, "tls_required", "Payments are only accepted over HTTPS.", head);
      return;
    }
    guard(exchange, match.route(), match.path(), head, application);
  }

  private <X extends Exception> void guard(
      HttpExchange exchange, PaidRoute route, String path, boolean head, Application<X> application)
      throws IOException, X {
    PaymentRequirement requirement =
        route.pricing() == null
            ? route.requirement()
            : route.pricing().price(new ExchangeView(exchange, path, null), route.requirement());
    boolean session = Intent.SESSION.equals(requirement.intent());
    byte[] body = null;
    if ((requirement.bindBody() || session) && BODY_METHODS.contains(exchange.method())) {
      if (exchange.declaredContentLength() > maxBodyBytes) {
        tooLarge(exchange, head);
        return;
      }
      try {
        body =
            exchange.declaredContentLength() == 0
                ? new byte[0]
                : read(exchange.body(), maxBodyBytes);
      } catch (IOException e) {
        refuse(exchange, "body_unreadable", "The request body could not be read.", head);
        return;
      }
      if (body == null) {
        tooLarge(exchange, head);
        return;
      }
    }
    if (session && requirement.bindBody()) {
      // A session's challenge is presented again and again (every voucher, top-up, close and
      // metered request of the channel), so its credentials cannot be bound to one request body:
      // the voucher, not the challenge, pays. The body is still read (above), so that the gate can
      // tell a bodiless management POST from a billable one, and replayed to the application.
      requirement = requirement.toBuilder().bindBody(false).build();
    }
    // The gate reports (and its LoggingPaymentListener logs) what happened.
    GateResult result =
        gate.evaluate(route.name(), requirement, new ExchangeView(exchange, path, body));
    if (result instanceof GateResult.Acknowledged ack) {
      // A payment-management request (a session's voucher, top-up or close): processed, nothing
      // charged for content, the application does not run.
      acknowledge(exchange.response(), ack);
      return;
    }
    if (!(result instanceof GateResult.Paid paid)) {
      Refusals.write(exchange.response(), result, head);
      return;
    }
    // A streamed exchange (a session) also hands the application its event stream.
    PaidExchange paidExchange = new PaidExchange(gate, route.name(), paid, exchange, streamHold);
    exchange.markPaid();
    boolean failed = true;
    try {
      application.run(paidExchange, body);
      failed = false;
    } finally {
      if (!exchange.continuesAsynchronously(paidExchange)) {
        paidExchange.settle(failed);
      }
    }
  }

  /**
   * {@code 204 No Content} with the receipt and {@code Cache-Control: no-store}, for a GET, POST or
   * HEAD alike: no content, so neither {@code Content-Type} nor {@code Content-Length} (RFC 9110
   * 15.3.5).
   */
  private static void acknowledge(ExchangeResponse response, GateResult.Acknowledged ack) {
    if (response.isCommitted()) {
      return;
    }
    response.resetBuffer();
    response.setStatus(204);
    response.setHeader(MppHeaders.PAYMENT_RECEIPT, ack.receipt().toHeaderValue());
    response.setHeader("Cache-Control", "no-store");
  }

  private static void refuse(HttpExchange exchange, String reason, String detail, boolean head)
      throws IOException {
    Refusals.write(
        exchange.response(),
        Problem.of(ProblemType.BAD_REQUEST, ReasonCode.of(reason), detail),
        head);
  }

  private void tooLarge(HttpExchange exchange, boolean head) throws IOException {
    Refusals.writePlain(
        exchange.response(),
        413,
        "Content Too Large",
        "The request body exceeds " + maxBodyBytes + " bytes.",
        head);
  }

  /** Reads at most {@code max} bytes; returns null when the body is larger. */
  static byte @Nullable [] read(InputStream in, int max) throws IOException {
    byte[] buf = new byte[Math.min(Math.max(max, 0) + 1, 16 * 1024)];
    int len = 0;
    while (true) {
      if (len == buf.length) {
        if (buf.length > max) {
          return null;
        }
        buf = Arrays.copyOf(buf, Math.min(buf.length * 2, max + 1));
      }
      int n = in.read(buf, len, buf.length - len);
      if (n < 0) {
        break;
      }
      len += n;
      if (len > max) {
        return null;
      }
    }
    return Arrays.copyOf(buf, len);
  }

  static boolean isLoopback(@Nullable String addr) {
    return addr != null
        && (addr.startsWith("127.")
            || addr.equals("::1")
            || addr.equals("0:0:0:0:0:0:0:1")
            || addr.equals("[::1]"));
  }
}
