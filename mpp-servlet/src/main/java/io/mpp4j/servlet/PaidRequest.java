package io.mpp4j.servlet;

import io.mpp4j.server.http.PaidExchange;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UnsupportedEncodingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * The request a paid request's application sees: replays the body the handler already read (to bind
 * its digest), and starts async cycles with the receipt wrappers, so the application cannot
 * complete a response around the receipt and the settlement waits for the completion.
 */
final class PaidRequest extends HttpServletRequestWrapper {
  private final PaidExchange paid;
  private final ReceiptResponse response;
  private final byte @Nullable [] body;
  private boolean streamUsed;
  private boolean readerUsed;
  private @Nullable ReceiptAsyncContext current;

  PaidRequest(
      HttpServletRequest request,
      byte @Nullable [] body,
      PaidExchange paid,
      ReceiptResponse response) {
    super(request);
    this.body = body;
    this.paid = paid;
    this.response = response;
  }

  @Override
  public ServletInputStream getInputStream() throws IOException {
    if (body == null) {
      return super.getInputStream();
    }
    if (readerUsed) {
      throw new IllegalStateException("getReader() was already called");
    }
    streamUsed = true;
    ByteArrayInputStream in = new ByteArrayInputStream(body);
    return new ServletInputStream() {
      @Override
      public int read() {
        return in.read();
      }

      @Override
      public int read(byte[] b, int off, int len) {
        return in.read(b, off, len);
      }

      @Override
      public boolean isFinished() {
        return in.available() == 0;
      }

      @Override
      public boolean isReady() {
        return true;
      }

      @Override
      public void setReadListener(ReadListener listener) {
        try {
          listener.onDataAvailable();
          listener.onAllDataRead();
        } catch (IOException e) {
          listener.onError(e);
        }
      }
    };
  }

  @Override
  public BufferedReader getReader() throws IOException {
    if (body == null) {
      return super.getReader();
    }
    if (streamUsed) {
      throw new IllegalStateException("getInputStream() was already called");
    }
    readerUsed = true;
    String encoding = getCharacterEncoding();
    Charset charset;
    try {
      charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
    } catch (IllegalArgumentException e) {
      throw new UnsupportedEncodingException(encoding);
    }
    return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body), charset));
  }

  @Override
  public int getContentLength() {
    return body == null ? super.getContentLength() : body.length;
  }

  @Override
  public long getContentLengthLong() {
    return body == null ? super.getContentLengthLong() : body.length;
  }

  @Override
  public AsyncContext startAsync() {
    return track(getRequest().startAsync(this, response));
  }

  @Override
  public AsyncContext startAsync(ServletRequest request, ServletResponse servletResponse) {
    return track(getRequest().startAsync(request, servletResponse));
  }

  private synchronized AsyncContext track(AsyncContext context) {
    context.addListener(new Completion(paid));
    current = new ReceiptAsyncContext(context, response, paid);
    return current;
  }

  @Override
  public synchronized AsyncContext getAsyncContext() {
    AsyncContext real = getRequest().getAsyncContext();
    ReceiptAsyncContext c = current;
    return c != null && c.delegate == real ? c : real;
  }

  /** Reports the end of an async cycle to the paid exchange, which settles once. */
  static final class Completion implements AsyncListener {
    private final PaidExchange paid;

    Completion(PaidExchange paid) {
      this.paid = paid;
    }

    @Override
    public void onComplete(AsyncEvent event) {
      paid.completed();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
      paid.abandoned();
    }

    @Override
    public void onError(AsyncEvent event) {
      paid.abandoned();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
      AsyncContext context = event.getAsyncContext();
      if (context != null) {
        context.addListener(this); // a new async cycle: listeners must register again
      }
    }
  }

  /**
   * Applies the receipt, and ends an event stream with its final receipt event, before the
   * application completes an async response.
   */
  private static final class ReceiptAsyncContext implements AsyncContext {
    final AsyncContext delegate;
    private final ReceiptResponse response;
    private final PaidExchange paid;

    ReceiptAsyncContext(AsyncContext delegate, ReceiptResponse response, PaidExchange paid) {
      this.delegate = delegate;
      this.response = response;
      this.paid = paid;
    }

    @Override
    public void complete() {
      paid.completing();
      response.beforeCommit();
      delegate.complete();
    }

    @Override
    public ServletRequest getRequest() {
      return delegate.getRequest();
    }

    @Override
    public ServletResponse getResponse() {
      return delegate.getResponse();
    }

    @Override
    public boolean hasOriginalRequestAndResponse() {
      return delegate.hasOriginalRequestAndResponse();
    }

    @Override
    public void dispatch() {
      delegate.dispatch();
    }

    @Override
    public void dispatch(String path) {
      delegate.dispatch(path);
    }

    @Override
    public void dispatch(ServletContext context, String path) {
      delegate.dispatch(context, path);
    }

    @Override
    public void start(Runnable run) {
      delegate.start(run);
    }

    @Override
    public void addListener(AsyncListener listener) {
      delegate.addListener(listener);
    }

    @Override
    public void addListener(
        AsyncListener listener, ServletRequest request, ServletResponse servletResponse) {
      delegate.addListener(listener, request, servletResponse);
    }

    @Override
    public <T extends AsyncListener> T createListener(Class<T> clazz) throws ServletException {
      return delegate.createListener(clazz);
    }

    @Override
    public void setTimeout(long timeout) {
      delegate.setTimeout(timeout);
    }

    @Override
    public long getTimeout() {
      return delegate.getTimeout();
    }
  }
}
