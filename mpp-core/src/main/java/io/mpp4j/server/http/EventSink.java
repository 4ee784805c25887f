package io.mpp4j.server.http;

import java.io.Closeable;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * Writes server-sent events on one response, each delivered to the client as soon as it is sent
 * (for a stream of data events with payment requests in between). Obtained from {@link
 * ExchangeResponse#openEventStream()}. Not thread-safe: one writer at a time.
 */
public interface EventSink extends Closeable {
  /**
   * Sends one event and flushes it.
   *
   * @param event the event type ({@code event:} field), or null for the default {@code message}
   * @param id the event id ({@code id:} field), or null
   * @param data the data; each line becomes one {@code data:} field
   * @throws IllegalArgumentException when the type or id contains a line break (or the id NUL)
   * @throws IOException when the client is gone; the stream is then closed
   */
  void send(@Nullable String event, @Nullable String id, String data) throws IOException;

  /**
   * Sends a comment line and flushes it: clients ignore it, and it keeps an idle stream open
   * through proxies and reveals a client that went away.
   *
   * @param text the comment, possibly empty
   * @throws IllegalArgumentException when the text contains a line break
   * @throws IOException when the client is gone; the stream is then closed
   */
  void comment(String text) throws IOException;

  /** Sends a data-only event. */
  default void send(String data) throws IOException {
    send(null, null, data);
  }

  /** Ends the stream (the response completes normally). */
  @Override
  void close() throws IOException;
}
