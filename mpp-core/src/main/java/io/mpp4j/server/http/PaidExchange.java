package io.mpp4j.server.http;

import io.mpp4j.core.Receipt;
import io.mpp4j.server.GateResult;
import io.mpp4j.server.PaymentGate;
import io.mpp4j.server.PaymentStream;
import io.mpp4j.spi.Delivery;
import io.mpp4j.spi.PaymentMethodException;
import io.mpp4j.spi.Settlement;
import java.time.Duration;
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
 * <p>A streamed exchange (a {@code session}) also offers an {@link #eventStream()}. When the
 * application answers through it, the settlement is completed with the events written ({@code
 * units}; delivered when at least one was), and the stream's final {@code payment-receipt} event is
 * written once the application returns (or closes the stream; an asynchronous application must
 * close it before it completes the response, or the final event is lost). When it answers with one
 * normal response instead, that response is settled like any other, with the units it reports.
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
  private final @Nullable MeteredEventStream events;
  private final AtomicBoolean settled = new AtomicBoolean();

  PaidExchange(
      PaymentGate gate,
      String route,
      GateResult.Paid paid,
      HttpExchange exchange,
      Duration streamHold) {
    this.gate = gate;
    this.route = route;
    this.paid = paid;
    this.exchange = exchange;
    this.response = new PaidResponse(exchange.response(), paid.receipt().toHeaderValue());
    PaymentStream stream = paid.stream();
    this.events = stream == null ? null : new MeteredEventStream(this, stream, streamHold);
  }

  /** The engine's verdict: the receipt, the verified credential and the deferred settlement. */
  public GateResult.Paid paid() {
    return paid;
  }

  /** The receipt rule the adapter's response wrapper reports to. */
  public PaidResponse response() {
    return response;
  }

  /**
   * The event stream the application may answer with, one charge per event, for a streamed exchange
   * (a {@code session}); null for one plain paid response. The adapter hands it to the application
   * (the servlet filter as the request attribute {@code io.mpp4j.eventStream}). An application that
   * does not use it answers with one normal response, settled with the units it reports.
   */
  public @Nullable PaidEventStream eventStream() {
    return events;
  }

  /**
   * The application is about to complete an asynchronous response: ends an event stream it opened
   * with the final receipt event while the response can still be written (the settlement completes
   * then). Adapters call it from their wrapper of the framework's completion, before delegating.
   */
  public void completing() {
    MeteredEventStream s = events;
    if (s != null && s.opened()) {
      s.finish(false, true);
    }
  }

  /** An asynchronous response is complete: settle from what was sent. */
  public void completed() {
    MeteredEventStream s = events;
    if (s != null && s.opened()) {
      s.finish(false, false); // the response is complete: no final event can be written any more
      return;
    }
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
   * The application returned (synchronously) or failed: ends an event stream it opened (the final
   * receipt event), then completes the deferred settlement once, with what was delivered.
   *
   * @param failed whether the application failed (threw) before returning
   */
  void settle(boolean failed) {
    MeteredEventStream s = events;
    if (s != null && s.opened()) {
      s.finish(failed, true);
      return;
    }
    settleNow(failed);
  }

  /**
   * Completes the deferred settlement once, with what was delivered: for an event stream the events
   * written (delivered when at least one was); otherwise capture when the capture rule says
   * delivered, cancel otherwise.
   *
   * @param failed whether the application failed (threw) before returning
   */
  void settleNow(boolean failed) {
    boolean delivered = response.finish(failed);
    if (!settled.compareAndSet(false, true)) {
      return;
    }
    MeteredEventStream s = events;
    Delivery delivery;
    if (s != null && s.opened()) {
      long written = s.sent();
      delivered = written > 0;
      delivery = new Delivery(delivered, response.finalStatus(failed), written);
    } else {
      delivery = delivery(delivered, failed);
    }
    Settlement settlement = paid.settlement();
    if (settlement == null) {
      return;
    }
    Exception failure = null;
    try {
      settlement.complete(delivery);
    } catch (PaymentMethodException | RuntimeException e) {
      failure = e;
    }
    // Reported (and logged by the gate's LoggingPaymentListener) as settled, cancelled or failed.
    gate.settlementCompleted(route, paid, delivered, failure);
  }

  /**
   * The receipt that ends an event stream, once the settlement is complete: the stream's {@link
   * PaymentStream#currentReceipt()}, or the opening receipt (what the {@code Payment-Receipt}
   * header carries) when it has none.
   */
  Receipt finalReceipt() {
    PaymentStream stream = paid.stream();
    Receipt current = stream == null ? null : stream.currentReceipt();
    return current == null ? paid.receipt() : current;
  }

  /** The exchange (for the event stream, which writes to its response). */
  HttpExchange exchange() {
    return exchange;
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
