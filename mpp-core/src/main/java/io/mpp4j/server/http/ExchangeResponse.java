package io.mpp4j.server.http;

import java.io.IOException;
import java.io.OutputStream;
import org.jspecify.annotations.Nullable;

/**
 * The response side of an {@link HttpExchange}: the few operations the handler needs to answer a
 * refusal, attach a receipt and stream events. Adapters implement it over their response type.
 */
public interface ExchangeResponse {
  /** Whether the status and headers were sent (they can no longer change). */
  boolean isCommitted();

  /** The status set so far (200 when none was set). */
  int status();

  /** Sets the status. */
  void setStatus(int status);

  /** The first value of a response header, or null. */
  @Nullable String header(String name);

  /** Sets a header, replacing its values; a null value removes it. */
  void setHeader(String name, @Nullable String value);

  /** Adds a header value. */
  void addHeader(String name, String value);

  /** Discards the buffered body (not the status or headers); the response must not be committed. */
  void resetBuffer();

  /** Sets the {@code Content-Type}, including any charset parameter. */
  void setContentType(String contentType);

  /** Sets the {@code Content-Length}. */
  void setContentLength(long length);

  /** The body stream; flushing it commits the response. */
  OutputStream body() throws IOException;

  /**
   * Turns this response into a {@code text/event-stream} (server-sent events) and returns the sink
   * that writes its events, flushing each one to the client. The status stays as set (200 unless
   * changed).
   *
   * @throws IllegalStateException when the response is already committed
   */
  default EventSink openEventStream() throws IOException {
    if (isCommitted()) {
      throw new IllegalStateException("the response is already committed");
    }
    setContentType(EventStream.CONTENT_TYPE);
    setHeader("Cache-Control", "no-cache");
    return new EventStream(body());
  }
}
