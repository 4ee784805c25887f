package io.mpp4j.servlet;

import io.mpp4j.server.GateResult;
import io.mpp4j.server.PaymentGate;
import io.mpp4j.spi.Delivery;
import io.mpp4j.spi.PaymentMethodException;
import io.mpp4j.spi.Settlement;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One paid request from the moment its payment was accepted until its response is done: completes
 * the deferred settlement exactly once with a {@link Delivery} built from what was sent (see {@link
 * ReceiptResponse#finish}) and the units the application reported ({@link
 * PaymentFilter#UNITS_ATTRIBUTE}). A synchronous request is settled when the filter chain returns;
 * an asynchronous one ({@code startAsync}) when the container completes it ({@link
 * AsyncListener#onComplete}), with the final status.
 */
final class PaidExchange implements AsyncListener {
  private static final Logger LOG = LoggerFactory.getLogger(PaymentFilter.class);

  private final PaymentGate gate;
  private final String route;
  private final GateResult.Paid paid;
  private final ReceiptResponse response;
  private final AtomicBoolean settled = new AtomicBoolean();
  private volatile @Nullable HttpServletRequest request;

  PaidExchange(PaymentGate gate, String route, GateResult.Paid paid, ReceiptResponse response) {
    this.gate = gate;
    this.route = route;
    this.paid = paid;
    this.response = response;
  }

  /** The request the application sees: its async contexts hand out the receipt wrapper. */
  HttpServletRequest wrap(HttpServletRequest request) {
    this.request = request;
    return new AsyncAwareRequest(request);
  }

  /**
   * Called when the filter chain returned (normally or not). Settles now, or on completion when the
   * request went asynchronous.
   */
  void chainReturned(HttpServletRequest request, boolean failed) {
    if (request.isAsyncStarted()) {
      // Normally registered in startAsync already; covers an application that started async on
      // the container's own request. A second registration is harmless (settled once).
      try {
        request.getAsyncContext().addListener(this);
        return;
      } catch (IllegalStateException e) {
        // Completed in the meantime: the response is final, settle now.
      }
    }
    settle(failed);
  }

  /**
   * Completes the deferred settlement once, with what was delivered: capture when delivered, cancel
   * otherwise.
   */
  private void settle(boolean failed) {
    boolean delivered = response.finish(failed);
    if (!settled.compareAndSet(false, true)) {
      return;
    }
    Settlement settlement = paid.settlement();
    if (settlement == null) {
      return;
    }
    Exception failure = null;
    try {
      settlement.complete(delivery(delivered, failed));
    } catch (PaymentMethodException | RuntimeException e) {
      failure = e;
    }
    // Reported (and logged by the gate's LoggingPaymentListener) as settled, cancelled or failed.
    gate.settlementCompleted(route, paid, delivered, failure);
  }

  /** The delivery from the capture rule's verdict, the final status and the reported units. */
  private Delivery delivery(boolean delivered, boolean failed) {
    int status = response.finalStatus(failed);
    Delivery d = delivered ? Delivery.success(status) : Delivery.failure(status);
    HttpServletRequest r = request;
    Long units = r == null ? null : reportedUnits(r.getAttribute(PaymentFilter.UNITS_ATTRIBUTE));
    return units == null ? d : d.withUnits(units);
  }

  /**
   * The units the application set in {@link PaymentFilter#UNITS_ATTRIBUTE}: a non-negative {@code
   * Long} or {@code Integer}. Anything else is ignored with a warning (the default applies).
   */
  private @Nullable Long reportedUnits(@Nullable Object value) {
    if (value == null) {
      return null;
    }
    if ((value instanceof Long || value instanceof Integer) && ((Number) value).longValue() >= 0) {
      return ((Number) value).longValue();
    }
    LOG.warn(
        "ignoring request attribute {} for challengeId={}: expected a non-negative Long or"
            + " Integer, got {}",
        PaymentFilter.UNITS_ATTRIBUTE,
        paid.credential().challenge().id(),
        value instanceof Number ? value : value.getClass().getName());
    return null;
  }

  @Override
  public void onComplete(AsyncEvent event) {
    settle(false);
  }

  @Override
  public void onTimeout(AsyncEvent event) {
    response.abandon();
  }

  @Override
  public void onError(AsyncEvent event) {
    response.abandon();
  }

  @Override
  public void onStartAsync(AsyncEvent event) {
    AsyncContext context = event.getAsyncContext();
    if (context != null) {
      context.addListener(this); // a new async cycle: listeners must register again
    }
  }

  /** Starts async cycles with the wrappers, so the application cannot write around the receipt. */
  private final class AsyncAwareRequest extends HttpServletRequestWrapper {
    private @Nullable ReceiptAsyncContext current;

    AsyncAwareRequest(HttpServletRequest request) {
      super(request);
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
      context.addListener(PaidExchange.this);
      current = new ReceiptAsyncContext(context);
      return current;
    }

    @Override
    public synchronized AsyncContext getAsyncContext() {
      AsyncContext real = getRequest().getAsyncContext();
      ReceiptAsyncContext c = current;
      return c != null && c.delegate == real ? c : real;
    }
  }

  /** Applies the receipt before the application completes an async response. */
  private final class ReceiptAsyncContext implements AsyncContext {
    final AsyncContext delegate;

    ReceiptAsyncContext(AsyncContext delegate) {
      this.delegate = delegate;
    }

    @Override
    public void complete() {
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
