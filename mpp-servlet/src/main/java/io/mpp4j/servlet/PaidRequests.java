package io.mpp4j.servlet;

import io.mpp4j.server.http.PaidEventStream;
import jakarta.servlet.ServletRequest;
import java.util.Objects;
import java.util.Optional;

/**
 * Typed access to what the {@link PaymentFilter} puts on a paid request.
 *
 * <pre>{@code
 * protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
 *   Optional<PaidEventStream> events = PaidRequests.eventStream(req);
 *   if (events.isEmpty()) {
 *     resp.sendError(400); // not a session request
 *     return;
 *   }
 *   try (PaidEventStream stream = events.get()) {
 *     for (int k = 1; k <= 20; k++) {
 *       if (!stream.send(null, "{\"seq\":" + k + "}")) {
 *         return; // the payer did not pay for more in time: the stream has ended
 *       }
 *     }
 *   } // close(): the final payment-receipt event
 * }
 * }</pre>
 *
 * <p>Thread-safe (no state).
 */
public final class PaidRequests {
  private PaidRequests() {}

  /**
   * The event stream of a paid request on a {@code session} route ({@link
   * PaymentFilter#EVENT_STREAM_ATTRIBUTE}): each event sent through it is charged one unit (the
   * first by the request's own payment) and flushed to the client; empty when the request is not
   * paid or its intent does not bill per event.
   *
   * @param request the request as the application got it
   */
  public static Optional<PaidEventStream> eventStream(ServletRequest request) {
    Objects.requireNonNull(request, "request == null");
    return request.getAttribute(PaymentFilter.EVENT_STREAM_ATTRIBUTE) instanceof PaidEventStream s
        ? Optional.of(s)
        : Optional.empty();
  }
}
