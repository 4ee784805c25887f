package io.mpp4j.servlet;

import io.mpp4j.core.MppHeaders;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.Locale;

/**
 * Wraps the response of a paid request so that, at the moment it is about to be committed (first
 * byte written, an explicit flush, or the end of the filter chain), a 2xx response gets {@code
 * Payment-Receipt} and a {@code Cache-Control} that includes {@code private}; any other status gets
 * neither. This holds even when the application commits the response early, and while the response
 * is not committed the receipt follows the status: it is removed when the response turns into an
 * error ({@code setStatus}, {@code sendError}, {@code sendRedirect}, an exception, an async
 * timeout) and set again when it turns back into a success.
 *
 * <p>{@link #finish(boolean)} answers from what was sent, not from how the application returned: a
 * 2xx committed with the receipt is delivered even when the application (or the client's
 * connection) failed afterwards.
 *
 * <p>Thread-safe for one writer at a time (an async handler may write on another thread; the
 * container completes the response on yet another).
 */
final class ReceiptResponse extends HttpServletResponseWrapper {
  private final String receiptHeader;
  private volatile boolean applied;
  // Whether the receipt is on the response (status 2xx when it was set or last re-checked).
  private volatile boolean delivered;
  // sendError or sendRedirect: this response is not the content, whatever status follows.
  private volatile boolean refused;
  private ServletOutputStream stream;
  private PrintWriter writer;

  ReceiptResponse(HttpServletResponse response, String receiptHeader) {
    super(response);
    this.receiptHeader = receiptHeader;
  }

  /** Applies the headers if not done yet; returns whether the receipt is on the response. */
  boolean beforeCommit() {
    if (!applied) {
      synchronized (this) {
        if (!applied) {
          applied = true;
          sync();
        }
      }
    }
    return delivered;
  }

  /** Sets or removes the receipt to match the status, while the headers can still change. */
  private void sync() {
    HttpServletResponse r = (HttpServletResponse) getResponse();
    if (r.isCommitted()) {
      return; // what was sent stays as it was
    }
    int status = r.getStatus();
    boolean success = !refused && status >= 200 && status < 300;
    if (success) {
      r.setHeader(MppHeaders.PAYMENT_RECEIPT, receiptHeader);
      r.setHeader("Cache-Control", withPrivate(r.getHeader("Cache-Control")));
    } else if (delivered) {
      r.setHeader(MppHeaders.PAYMENT_RECEIPT, null);
    }
    delivered = success;
  }

  /** Takes the receipt off an uncommitted response that is turning into an error. */
  private synchronized void withdraw(boolean decided) {
    withdraw(decided, false);
  }

  private synchronized void withdraw(boolean decided, boolean refuse) {
    if (!getResponse().isCommitted()) {
      if (refuse) {
        refused = true;
      }
      if (delivered) {
        ((HttpServletResponse) getResponse()).setHeader(MppHeaders.PAYMENT_RECEIPT, null);
      }
      delivered = false;
      applied = decided;
    }
  }

  /**
   * Decides, when the application is done, whether the payment was delivered: the response was
   * committed as a 2xx with the receipt, or it is an uncommitted 2xx (which now gets the receipt
   * and is sent by the container). When the application failed before anything was committed, the
   * container answers with an error: the receipt is removed and the payment was not delivered.
   */
  synchronized boolean finish(boolean failed) {
    if (failed) {
      withdraw(true);
      return delivered;
    }
    return beforeCommit();
  }

  /**
   * The status the client gets, once {@link #finish} decided: the response's status, or 500 when
   * the application failed before anything was committed (the container answers with an error).
   */
  int finalStatus(boolean failed) {
    HttpServletResponse r = (HttpServletResponse) getResponse();
    int status = r.getStatus();
    if (failed && !r.isCommitted() && (status < 400 || status > 599)) {
      return 500;
    }
    return status < 100 || status > 599 ? 500 : status;
  }

  /**
   * An async cycle timed out or failed: the container or a listener answers next. Until something
   * is committed the response starts over (a listener that answers 2xx through this wrapper gets
   * the receipt again).
   */
  void abandon() {
    withdraw(false);
  }

  /**
   * Adds {@code private} to a Cache-Control value (dropping {@code public}, which contradicts it).
   */
  static String withPrivate(String existing) {
    if (existing == null || existing.isBlank()) {
      return "private";
    }
    StringBuilder sb = new StringBuilder();
    boolean hasPrivate = false;
    for (String part : existing.split(",", -1)) {
      String directive = part.strip();
      String name = directive.toLowerCase(Locale.ROOT);
      if (directive.isEmpty() || name.equals("public")) {
        continue;
      }
      if (name.equals("private") || name.startsWith("private=")) {
        hasPrivate = true;
      }
      sb.append(sb.length() == 0 ? "" : ", ").append(directive);
    }
    if (!hasPrivate) {
      sb.append(sb.length() == 0 ? "" : ", ").append("private");
    }
    return sb.toString();
  }

  @Override
  public void setHeader(String name, String value) {
    if (isReceiptHeader(name)) {
      return; // only the filter sets the receipt
    }
    if (applied && delivered && "Cache-Control".equalsIgnoreCase(name)) {
      super.setHeader(name, withPrivate(value));
      return;
    }
    super.setHeader(name, value);
  }

  @Override
  public void addHeader(String name, String value) {
    if (isReceiptHeader(name)) {
      return;
    }
    if (applied && delivered && "Cache-Control".equalsIgnoreCase(name)) {
      super.setHeader(
          name, withPrivate(getHeader(name) == null ? value : getHeader(name) + ", " + value));
      return;
    }
    super.addHeader(name, value);
  }

  @Override
  public void setStatus(int sc) {
    super.setStatus(sc);
    if (applied) {
      synchronized (this) {
        sync(); // the application changed its mind before the response left
      }
    }
  }

  @Override
  public void reset() {
    super.reset(); // throws when committed; otherwise headers and status are gone
    synchronized (this) {
      applied = false;
      delivered = false;
      refused = false;
    }
  }

  private static boolean isReceiptHeader(String name) {
    return MppHeaders.PAYMENT_RECEIPT.equalsIgnoreCase(name);
  }

  @Override
  public void flushBuffer() throws IOException {
    beforeCommit();
    super.flushBuffer();
  }

  @Override
  public void sendError(int sc, String msg) throws IOException {
    withdraw(true, true); // an error never carries a receipt (the container keeps the headers)
    super.sendError(sc, msg);
  }

  @Override
  public void sendError(int sc) throws IOException {
    withdraw(true, true);
    super.sendError(sc);
  }

  @Override
  public void sendRedirect(String location) throws IOException {
    withdraw(true, true); // a paid redirect is not the content: no receipt, not delivered
    super.sendRedirect(location);
  }

  @Override
  public ServletOutputStream getOutputStream() throws IOException {
    if (stream == null) {
      ServletOutputStream out = super.getOutputStream();
      stream =
          new ServletOutputStream() {
            @Override
            public void write(int b) throws IOException {
              beforeCommit();
              out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
              beforeCommit();
              out.write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
              beforeCommit();
              out.flush();
            }

            @Override
            public void close() throws IOException {
              beforeCommit();
              out.close();
            }

            @Override
            public boolean isReady() {
              return out.isReady();
            }

            @Override
            public void setWriteListener(WriteListener listener) {
              out.setWriteListener(listener);
            }
          };
    }
    return stream;
  }

  @Override
  public PrintWriter getWriter() throws IOException {
    if (writer == null) {
      PrintWriter out = super.getWriter();
      writer =
          new PrintWriter(
              new Writer() {
                @Override
                public void write(char[] cbuf, int off, int len) {
                  beforeCommit();
                  out.write(cbuf, off, len);
                }

                @Override
                public void flush() {
                  beforeCommit();
                  out.flush();
                }

                @Override
                public void close() {
                  beforeCommit();
                  out.close();
                }
              });
    }
    return writer;
  }
}
