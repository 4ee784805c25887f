package io.mpp4j.servlet;

import io.mpp4j.server.http.PaidResponse;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;

/**
 * The response a paid request's application writes to: reports every commit point (a write, a
 * flush), status change, error page, redirect and reset to mpp-core's {@link PaidResponse}, which
 * applies the receipt rule, and lets it filter the receipt and {@code Cache-Control} headers.
 */
final class ReceiptResponse extends HttpServletResponseWrapper {
  private final PaidResponse rule;
  private ServletOutputStream stream;
  private PrintWriter writer;

  ReceiptResponse(HttpServletResponse response, PaidResponse rule) {
    super(response);
    this.rule = rule;
  }

  /** Applies the receipt rule before the response commits. */
  void beforeCommit() {
    rule.beforeCommit();
  }

  @Override
  public void setHeader(String name, String value) {
    if (PaidResponse.isReceiptHeader(name)) {
      return; // only the filter sets the receipt
    }
    if (rule.carriesReceipt() && "Cache-Control".equalsIgnoreCase(name)) {
      super.setHeader(name, PaidResponse.withPrivate(value));
      return;
    }
    super.setHeader(name, value);
  }

  @Override
  public void addHeader(String name, String value) {
    if (PaidResponse.isReceiptHeader(name)) {
      return;
    }
    if (rule.carriesReceipt() && "Cache-Control".equalsIgnoreCase(name)) {
      String existing = getHeader(name);
      super.setHeader(
          name, PaidResponse.withPrivate(existing == null ? value : existing + ", " + value));
      return;
    }
    super.addHeader(name, value);
  }

  @Override
  public void setStatus(int sc) {
    super.setStatus(sc);
    rule.statusChanged(); // the application changed its mind before the response left
  }

  @Override
  public void reset() {
    super.reset(); // throws when committed; otherwise headers and status are gone
    rule.reset();
  }

  @Override
  public void flushBuffer() throws IOException {
    rule.beforeCommit();
    super.flushBuffer();
  }

  @Override
  public void sendError(int sc, String msg) throws IOException {
    rule.refused(); // an error never carries a receipt (the container keeps the headers)
    super.sendError(sc, msg);
  }

  @Override
  public void sendError(int sc) throws IOException {
    rule.refused();
    super.sendError(sc);
  }

  @Override
  public void sendRedirect(String location) throws IOException {
    rule.refused(); // a paid redirect is not the content: no receipt, not delivered
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
              rule.beforeCommit();
              out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
              rule.beforeCommit();
              out.write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
              rule.beforeCommit();
              out.flush();
            }

            @Override
            public void close() throws IOException {
              rule.beforeCommit();
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
                  rule.beforeCommit();
                  out.write(cbuf, off, len);
                }

                @Override
                public void flush() {
                  rule.beforeCommit();
                  out.flush();
                }

                @Override
                public void close() {
                  rule.beforeCommit();
                  out.close();
                }
              });
    }
    return writer;
  }
}
