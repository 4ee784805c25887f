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
 * neither. This holds even when the application commits the response early.
 */
final class ReceiptResponse extends HttpServletResponseWrapper {
  private final String receiptHeader;
  private boolean applied;
  private boolean delivered;
  private ServletOutputStream stream;
  private PrintWriter writer;

  ReceiptResponse(HttpServletResponse response, String receiptHeader) {
    super(response);
    this.receiptHeader = receiptHeader;
  }

  /** Applies the headers if not done yet; returns whether the response is a success (2xx). */
  boolean beforeCommit() {
    if (!applied) {
      applied = true;
      HttpServletResponse r = (HttpServletResponse) getResponse();
      int status = r.getStatus();
      delivered = status >= 200 && status < 300;
      if (delivered && !r.isCommitted()) {
        r.setHeader(MppHeaders.PAYMENT_RECEIPT, receiptHeader);
        r.setHeader("Cache-Control", withPrivate(r.getHeader("Cache-Control")));
      }
    }
    return delivered;
  }

  /** Whether the response was a success when its headers were applied. */
  boolean delivered() {
    return applied ? delivered : beforeCommit();
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
    for (String part : existing.split(",")) {
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
    if (applied && delivered && (sc < 200 || sc >= 300) && !isCommitted()) {
      // The application changed its mind before the response left: no receipt on an error.
      delivered = false;
      super.setHeader(MppHeaders.PAYMENT_RECEIPT, null);
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
    applied = true; // an error never carries a receipt
    delivered = false;
    super.sendError(sc, msg);
  }

  @Override
  public void sendError(int sc) throws IOException {
    applied = true;
    delivered = false;
    super.sendError(sc);
  }

  @Override
  public void sendRedirect(String location) throws IOException {
    applied = true;
    delivered = false;
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
