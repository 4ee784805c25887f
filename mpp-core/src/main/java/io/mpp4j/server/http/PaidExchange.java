package io.mpp4j.server.http;

import io.mpp4j.server.GateResult;
import io.mpp4j.server.PaymentGate;
import io.mpp4j.spi.Delivery;
import io.mpp4j.spi.PaymentMethodException;
import io.mpp4j.spi.Settlement;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One paid request from the moment its payment was accepted until its response is done: its {@link
 * #response()} applies the receipt rule, and the deferred settlement is completed exactly once with
 * a {@link Delivery} built from what was sent and the units the application reported ({@link
 * HttpExchange#reportedUnits()}), then reported to the gate ({@link
 * PaymentGate#settlementCompleted}). A synchronous request is settled when the application returns;
 * an asynchronous one when the adapter reports {@link #completed()}.
 *
 * <p>Thread-safe: completion may race between threads; the settlement still runs once.
 */
public final class PaidExchange {
  private static final Logger LOG = LoggerFactory.getLogger(PaidExchange.class);

  private final PaymentGate gate;
  private final String route;
  private final GateResult.Paid paid;
  private final HttpExchange exchange;
  private final PaidResponse response;
  private final AtomicBoolean settled = new AtomicBoolean();

  PaidExchange(PaymentGate gate, String route, GateResult.Paid paid, HttpExchange exchange) {
    this.gate = gate;
    this.route = route;
    this.paid = paid;
    this.exchange = exchange;
    this.response = new PaidResponse(exchange.response(), paid.receipt().toHeaderValue());
  }

  /** The engine's verdict: the receipt, the verified credential and the deferred settlement. */
  public GateResult.Paid paid() {
    return paid;
  }

  /** The receipt rule the adapter's response wrapper reports to. */
  public PaidResponse response() {
    return response;
  }

  /** An asynchronous response is complete: settle from what was sent. */
  public void completed() {
    settle(false);
  }

  /**
   * An asynchronous cycle timed out or failed: until something is committed, the response starts
   * over (see {@link PaidResponse}).
   */
  public void abandoned() {
    response.abandon();
  }

  /**
   * Completes the deferred settlement once, with what was delivered: capture when delivered, cancel
   * otherwise.
   *
   * @param failed whether the application failed (threw) before returning
   */
  void settle(boolean failed) {
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
    Long units = units(exchange.reportedUnits());
    return units == null ? d : d.withUnits(units);
  }

  /**
   * The reported units: a non-negative {@code Long} or {@code Integer}. Anything else is ignored
   * with a warning (the default applies).
   */
  private @Nullable Long units(@Nullable Object value) {
    if (value == null) {
      return null;
    }
    if ((value instanceof Long || value instanceof Integer) && ((Number) value).longValue() >= 0) {
      return ((Number) value).longValue();
    }
    LOG.warn(
        "ignoring the reported units for challengeId={}: expected a non-negative Long or Integer,"
            + " got {}",
        paid.credential().challenge().id(),
        value instanceof Number ? value : value.getClass().getName());
    return null;
  }
}
