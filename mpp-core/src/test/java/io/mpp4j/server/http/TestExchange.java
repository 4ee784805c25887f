package io.mpp4j.server.http;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A tiny in-memory exchange, no servlet: what a framework adapter would translate. Its response
 * commits on the first flush or when {@code commit()} is called, like a container's.
 */
final class TestExchange implements HttpExchange {
  String method = "GET";
  String dispatchedPath = "/";
  @Nullable String rawPath;
  String contextPath = "";
  final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
  @Nullable String query;
  boolean secure = true;
  @Nullable String remoteAddress = "10.0.0.7";
  long declaredContentLength = -1;
  @Nullable InputStream body;
  boolean nested;
  boolean paid;
  @Nullable Object units;
  boolean async;
  final TestResponse response = new TestResponse();

  static TestExchange get(String path) {
    TestExchange e = new TestExchange();
    e.dispatchedPath = path;
    e.rawPath = path;
    return e;
  }

  TestExchange header(String name, String value) {
    headers.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    return this;
  }

  TestExchange body(byte[] bytes, boolean declared) {
    body = new ByteArrayInputStream(bytes);
    declaredContentLength = declared ? bytes.length : -1;
    return this;
  }

  @Override
  public String method() {
    return method;
  }

  @Override
  public String dispatchedPath() {
    return dispatchedPath;
  }

  @Override
  public @Nullable String rawPath() {
    return rawPath;
  }

  @Override
  public String contextPath() {
    return contextPath;
  }

  @Override
  public List<String> headers(String name) {
    return headers.getOrDefault(name, List.of());
  }

  @Override
  public @Nullable String query() {
    return query;
  }

  @Override
  public boolean isSecure() {
    return secure;
  }

  @Override
  public @Nullable String remoteAddress() {
    return remoteAddress;
  }

  @Override
  public long declaredContentLength() {
    return declaredContentLength;
  }

  @Override
  public InputStream body() throws IOException {
    if (body == null) {
      throw new IOException("no body");
    }
    return body;
  }

  @Override
  public boolean nestedInPaidRequest() {
    return nested && paid;
  }

  @Override
  public void markPaid() {
    paid = true;
  }

  @Override
  public @Nullable Object reportedUnits() {
    return units;
  }

  @Override
  public boolean continuesAsynchronously(PaidExchange exchange) {
    return async;
  }

  @Override
  public TestResponse response() {
    return response;
  }

  /** The response: headers in a case-insensitive map, the body in memory. */
  static final class TestResponse implements ExchangeResponse {
    int status = 200;
    final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    volatile boolean committed;
    int flushes;

    /** When not negative: the number of body writes that succeed before the client is gone. */
    int writesBeforeDisconnect = -1;

    void commit() {
      committed = true;
    }

    String text() {
      return bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    List<String> all(String name) {
      return headers.getOrDefault(name, List.of());
    }

    @Override
    public boolean isCommitted() {
      return committed;
    }

    @Override
    public int status() {
      return status;
    }

    @Override
    public void setStatus(int status) {
      if (!committed) {
        this.status = status;
      }
    }

    @Override
    public @Nullable String header(String name) {
      List<String> v = headers.get(name);
      return v == null ? null : v.get(0);
    }

    @Override
    public void setHeader(String name, @Nullable String value) {
      if (committed) {
        return;
      }
      if (value == null) {
        headers.remove(name);
      } else {
        headers.put(name, new ArrayList<>(List.of(value)));
      }
    }

    @Override
    public void addHeader(String name, String value) {
      if (!committed) {
        headers.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
      }
    }

    @Override
    public void resetBuffer() {
      if (committed) {
        throw new IllegalStateException("committed");
      }
      bytes.reset();
    }

    @Override
    public void setContentType(String contentType) {
      setHeader("Content-Type", contentType);
    }

    @Override
    public void setContentLength(long length) {
      setHeader("Content-Length", Long.toString(length));
    }

    private void disconnectWhenDue() throws IOException {
      if (writesBeforeDisconnect == 0) {
        throw new IOException("connection reset by peer");
      }
      if (writesBeforeDisconnect > 0) {
        writesBeforeDisconnect--;
      }
    }

    @Override
    public OutputStream body() {
      return new OutputStream() {
        @Override
        public void write(int b) throws IOException {
          disconnectWhenDue();
          bytes.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          disconnectWhenDue();
          bytes.write(b, off, len);
        }

        @Override
        public void flush() {
          flushes++;
          committed = true;
        }
      };
    }
  }
}
