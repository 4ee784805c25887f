package io.mpp4j.server.http;

import io.mpp4j.core.MppHeaders;
import io.mpp4j.core.Receipt;
import io.mpp4j.core.internal.Json;
import io.mpp4j.server.PaymentStream;
import io.mpp4j.spi.PaymentMethodException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link PaidEventStream} of a streamed paid exchange: the response turns into {@code
 * text/event-stream} on the first {@link #send}, with the opening receipt in its {@code
 * Payment-Receipt} header; before every event it asks the {@link PaymentStream} for the event's
 * unit ({@link PaymentStream#nextUnit()}; the stream counts the opening payment as the first
 * event's unit, so the first event is not charged again); a unit the payer has not paid for yet is
 * asked for with the stream's prompt ({@code payment-need-voucher}), then waited for at most the
 * hold (writing a keep-alive comment every quarter of the hold, at most every 15 s, which also
 * notices a client that went away); the stream ends with a {@code payment-receipt} event carrying
 * the final receipt ({@link PaymentStream#currentReceipt()} once the settlement completed, else the
 * opening receipt).
 *
 * <p>What is billed is what was written: the settlement is completed with {@link
 * io.mpp4j.spi.Delivery#units()} = the number of events written. A unit the stream counted for an
 * event that could not be written (the client went away during the write) is the difference, so the
 * settlement bills the delivered units, not the units the stream counted.
 *
 * <p>Thread-safe: every operation holds this object's lock (a {@link #send} that waits for payment
 * holds it for at most the hold).
 */
final class MeteredEventStream implements PaidEventStream {
  /** The name of the final event. */
  static final String RECEIPT_EVENT = "payment-receipt";

  /** The longest quiet time while waiting for payment: a keep-alive comment then (15 s). */
  static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

  private static final Logger LOG = LoggerFactory.getLogger(MeteredEventStream.class);

  private final PaidExchange exchange;
  private final PaymentStream payments;
  private final Duration hold;
  private final Duration keepAlive;
  private @Nullable EventSink sink;
  private long sent;
  // The response is an event stream (the application sent or closed): it ends with the receipt.
  private boolean opened;
  // No more events: the payer did not pay in time, the backend failed, or the stream was closed.
  private boolean ended;
  // The client went away: nothing more can be written.
  private boolean broken;
  private boolean finished;

  MeteredEventStream(PaidExchange exchange, PaymentStream payments, Duration hold) {
    this.exchange = exchange;
    this.payments = payments;
    this.hold = hold;
    Duration quarter = hold.dividedBy(4);
    this.keepAlive = quarter.compareTo(KEEP_ALIVE) < 0 ? quarter : KEEP_ALIVE;
  }

  @Override
  public synchronized boolean send(@Nullable String event, String data) throws IOException {
    Objects.requireNonNull(data, "data == null");
    if (event != null
        && (event.isEmpty() || event.indexOf('\n') >= 0 || event.indexOf('\r') >= 0)) {
      throw new IllegalArgumentException("event must be null or a non-empty single line");
    }
    if (ended) {
      return false;
    }
    EventSink out = open();
    if (!reserveUnit(out)) {
      return false;
    }
    write(out, event, data);
    sent++;
    return true;
  }

  /**
   * Reserves the unit of the next event: at once when the opening payment or the payer's balance
   * covers it, otherwise after sending the prompt and waiting at most the hold. Ends the stream
   * (with the final receipt) and returns false when the unit is not paid for in time or the backend
   * failed.
   */
  private boolean reserveUnit(EventSink out) throws IOException {
    PaymentStream.PaymentPrompt prompt;
    try {
      prompt = payments.nextUnit();
    } catch (PaymentMethodException | RuntimeException e) {
      backendFailed(e);
      finish(false, true);
      return false;
    }
    if (prompt == null) {
      return true;
    }
    write(out, prompt.event(), prompt.data());
    boolean paid;
    try {
      paid = awaitPayment(out);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      paid = false;
    } catch (PaymentMethodException | RuntimeException e) {
      backendFailed(e);
      paid = false;
    }
    if (!paid) {
      finish(false, true);
    }
    return paid;
  }

  /**
   * Waits at most the hold for the payer's payment, writing a keep-alive comment every {@link
   * #keepAlive} (at most {@link #KEEP_ALIVE}): it keeps proxies from closing a quiet stream, and a
   * client that went away ends the wait at the next comment (an {@link IOException}).
   */
  private boolean awaitPayment(EventSink out)
      throws IOException, PaymentMethodException, InterruptedException {
    long deadline = System.nanoTime() + hold.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      Duration slice = Duration.ofNanos(Math.max(0, Math.min(left, keepAlive.toNanos())));
      if (payments.awaitPayment(slice)) {
        return true;
      }
      if (deadline - System.nanoTime() <= 0) {
        return false;
      }
      try {
        out.comment("");
      } catch (IOException e) {
        ended = true;
        broken = true;
        throw e;
      }
    }
  }

  private void write(EventSink out, @Nullable String event, String data) throws IOException {
    try {
      out.send(event, null, data);
    } catch (IOException e) {
      ended = true;
      broken = true;
      throw e;
    }
  }

  private void backendFailed(Exception e) {
    String challengeId = exchange.paid().credential().challenge().id();
    if (e instanceof PaymentMethodException p) {
      LOG.warn(
          "event stream for challengeId={} ended: the payment backend failed (reason={})",
          challengeId,
          p.reason());
    } else {
      LOG.warn(
          "event stream for challengeId={} ended: the payment stream failed ({})",
          challengeId,
          e.getClass().getName());
    }
  }

  /**
   * Turns the response into an event stream once: the event stream's headers, then the receipt rule
   * (the opening receipt and {@code Cache-Control: private}) before the first byte.
   *
   * @throws IllegalStateException when the response is committed or its status is not 2xx
   */
  private EventSink open() throws IOException {
    EventSink s = sink;
    if (s != null) {
      return s;
    }
    ExchangeResponse response = exchange.exchange().response();
    int status = response.status();
    if (status < 200 || status > 299) {
      throw new IllegalStateException(
          "a paid event stream needs a 2xx response, but the status is " + status);
    }
    s = response.openEventStream();
    if (!exchange.response().beforeCommit()) {
      throw new IllegalStateException("the response cannot carry the receipt");
    }
    opened = true;
    sink = s;
    return s;
  }

  @Override
  public synchronized long sent() {
    return sent;
  }

  /** Whether the application turned the response into an event stream. */
  synchronized boolean opened() {
    return opened;
  }

  @Override
  public void close() throws IOException {
    synchronized (this) {
      if (finished) {
        return;
      }
      if (!broken) {
        open();
      }
    }
    finish(false, true);
  }

  /**
   * Ends the stream once: completes the settlement with the events written, then (when the response
   * can still be written) sends the final receipt event and closes the sink. Idempotent.
   *
   * @param failed whether the application failed
   * @param writable whether the response can still be written (false once an async response
   *     completed)
   */
  synchronized void finish(boolean failed, boolean writable) {
    if (finished) {
      return;
    }
    finished = true;
    ended = true;
    exchange.settleNow(failed);
    EventSink s = sink;
    if (s == null || broken || !writable) {
      return;
    }
    try {
      s.send(RECEIPT_EVENT, null, receiptJson(exchange.finalReceipt()));
      s.close();
    } catch (IOException | RuntimeException e) {
      // The client went away after the last event: the settlement is already complete.
      LOG.debug(
          "final {} event for challengeId={} not delivered: {}",
          MppHeaders.PAYMENT_RECEIPT,
          exchange.paid().credential().challenge().id(),
          e.getClass().getName());
    }
  }

  /** A receipt as one line of JSON, as the final event's data. */
  static String receiptJson(Receipt receipt) {
    return new String(Json.write(receipt.toJsonMap()), StandardCharsets.UTF_8);
  }
}
