package io.mpp4j.server;

import io.mpp4j.core.Receipt;
import io.mpp4j.spi.PaymentMethodException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How a streamed paid exchange ({@link IntentOutcome.Stream}) asks for more payment between events,
 * for intents that bill per unit (sessions: a voucher per event, SPEC 11.4's {@code
 * payment-need-voucher}). The adapter calls {@link #nextUnit()} before each billable event; when it
 * returns a {@link PaymentPrompt}, the adapter sends it as an event and calls {@link #awaitPayment}
 * before sending the data, and ends the stream when the payer does not pay in time.
 *
 * <p>Used by one response's thread at a time; the payment itself arrives on another request (the
 * payer's next credential), so implementations read it from the shared store.
 */
public interface PaymentStream {
  /**
   * Reserves the next unit.
   *
   * @return null when the next unit is paid for (and now counted), otherwise the payment request to
   *     send as an event
   * @throws PaymentMethodException when the store or the payment backend failed; end the stream
   */
  @Nullable PaymentPrompt nextUnit() throws PaymentMethodException;

  /**
   * Waits until the payer has paid for the next unit, at most {@code timeout}.
   *
   * @return true when the next unit is now paid for (and counted), false on timeout
   * @throws PaymentMethodException when the store or the payment backend failed; end the stream
   * @throws InterruptedException when the thread was interrupted; end the stream
   */
  boolean awaitPayment(Duration timeout) throws PaymentMethodException, InterruptedException;

  /**
   * The receipt as it stands after the units counted so far, for the stream's final receipt event
   * (SPEC 4.7: a stream ends with {@code event: payment-receipt}). Reads nothing from the store: it
   * reflects the last charge this stream made. After the exchange's settlement completed, it
   * reflects the settlement too.
   *
   * @return the receipt, or null when the intent has none to add (then send the {@link
   *     IntentOutcome.Stream#receipt()})
   */
  default @Nullable Receipt currentReceipt() {
    return null;
  }

  /**
   * A payment request sent as one server-sent event.
   *
   * @param event the event name (for example {@code payment-need-voucher})
   * @param data the event's data (JSON, one line)
   */
  record PaymentPrompt(String event, String data) {
    /** Validates: the name and data are single lines. */
    public PaymentPrompt {
      if (event.isEmpty() || event.indexOf('\n') >= 0 || event.indexOf('\r') >= 0) {
        throw new IllegalArgumentException("event must be a non-empty single line");
      }
      if (data.indexOf('\n') >= 0 || data.indexOf('\r') >= 0) {
        throw new IllegalArgumentException("data must be a single line");
      }
    }
  }
}
