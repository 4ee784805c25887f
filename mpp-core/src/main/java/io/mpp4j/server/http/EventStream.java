package io.mpp4j.server.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** The {@code text/event-stream} encoding (WHATWG HTML, server-sent events) over a body stream. */
final class EventStream implements EventSink {
  static final String CONTENT_TYPE = "text/event-stream;charset=utf-8";

  private final OutputStream out;
  private boolean closed;

  EventStream(OutputStream out) {
    this.out = out;
  }

  /** The bytes of one event, ending with the blank line that dispatches it. */
  static byte[] encode(@Nullable String event, @Nullable String id, String data) {
    Objects.requireNonNull(data, "data == null");
    StringBuilder sb = new StringBuilder(data.length() + 32);
    if (event != null) {
      sb.append("event: ").append(field("event", event)).append('\n');
    }
    if (id != null) {
      if (id.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("event id contains NUL");
      }
      sb.append("id: ").append(field("id", id)).append('\n');
    }
    for (String line : data.split("\r\n|\r|\n", -1)) {
      sb.append("data: ").append(line).append('\n');
    }
    return sb.append('\n').toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String field(String name, String value) {
    if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
      throw new IllegalArgumentException("event " + name + " contains a line break");
    }
    return value;
  }

  @Override
  public void send(@Nullable String event, @Nullable String id, String data) throws IOException {
    write(encode(event, id, data));
  }

  @Override
  public void comment(String text) throws IOException {
    Objects.requireNonNull(text, "text == null");
    String line = ":" + (text.isEmpty() ? "" : " " + field("comment", text)) + "\n\n";
    write(line.getBytes(StandardCharsets.UTF_8));
  }

  private void write(byte[] bytes) throws IOException {
    if (closed) {
      throw new IOException("the event stream is closed");
    }
    try {
      out.write(bytes);
      out.flush();
    } catch (IOException e) {
      closed = true;
      throw e;
    }
  }

  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      out.close();
    }
  }
}
