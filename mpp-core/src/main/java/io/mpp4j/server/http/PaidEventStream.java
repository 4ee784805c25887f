package io.mpp4j.server.http;

import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * What an application uses to stream a paid response as server-sent events, one charge per event
 * (SPEC 4.7, 11.4): the adapter hands it out for a paid exchange whose intent bills per unit (a
 * session), for example as the servlet request attribute {@code io.mpp4j.eventStream}.
 *
 * <p>{@link #send} charges one unit before it writes the event; the opening request's payment
 * covers the first. When the payer's balance runs out, it writes a {@code payment-need-voucher}
 * event, waits (bounded, about 60 s) for a voucher or top-up arriving on another request, and then
 * writes the event; when none arrives in time it ends the stream and returns false. The stream ends
 * with a {@code payment-receipt} event when the application returns (or calls {@link #close}); the
 * response's {@code Payment-Receipt} header carries the opening receipt.
 *
 * <p>Used by the request's thread (or one thread at a time of an async request).
 */
public interface PaidEventStream extends AutoCloseable {
  /**
   * Charges one unit and sends one event.
   *
   * @param event the event's name, or null for the default {@code message}
   * @param data the event's data (lines are split into {@code data:} fields)
   * @return true when the event was sent; false when the payer did not pay in time or the stream
   *     ended otherwise (nothing was sent and nothing charged for this event)
   * @throws IOException when the client went away
   */
  boolean send(@Nullable String event, String data) throws IOException;

  /** How many events were sent (and charged) so far. */
  long sent();

  /** Ends the stream with the final {@code payment-receipt} event; idempotent. */
  @Override
  void close() throws IOException;
}
