package io.mpp4j.server.session;

import io.mpp4j.core.Receipt;
import io.mpp4j.core.internal.Json;
import io.mpp4j.core.problem.ReasonCode;
import io.mpp4j.server.PaymentStream;
import io.mpp4j.server.session.LedgerResult.InsufficientBalance;
import io.mpp4j.server.session.LedgerResult.Refused;
import io.mpp4j.server.session.LedgerResult.Updated;
import io.mpp4j.spi.Delivery;
import io.mpp4j.spi.PaymentMethodException;
import io.mpp4j.spi.Settlement;
import io.mpp4j.store.StoreUnavailableException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * One billable session exchange after its first unit was charged: the {@link Settlement} that
 * meters a plain response by its reported units and the {@link PaymentStream} that charges a
 * streamed one per event.
 *
 * <p>A plain response: the request paid one unit up front. When the application reports more
 * ({@link Delivery#units()}), the rest is charged once the response is done; what the channel no
 * longer covers is recorded as the channel's debt, which the next charge pays first (so a response
 * that overran the balance is paid by the next request, never served for free). When it reports
 * none, or the response failed, the unit is given back.
 *
 * <p>A stream: the opening unit pays for the first event; each further {@link #nextUnit()} charges
 * one unit, or answers the {@code payment-need-voucher} prompt; {@link #awaitPayment} polls the
 * ledger with bounded backoff until a voucher or top-up on another request makes the unit
 * chargeable. The settlement then gives back an opening unit no event used.
 *
 * <p>Used by one response thread at a time; the settlement completes once.
 */
final class MeteredExchange implements Settlement, PaymentStream {
  private static final Duration FIRST_POLL = Duration.ofMillis(10);
  private static final Duration MAX_POLL = Duration.ofMillis(250);

  private final SessionLedger ledger;
  private final String channelId;
  private final BigInteger unitPrice;
  private final String method;
  private final String challengeId;
  private final Clock clock;
  private final Duration streamHold;
  private final AtomicBoolean completed = new AtomicBoolean();

  private volatile ChannelState state;
  private long charged = 1; // the opening unit
  private long streamed;
  private boolean streamUsed;

  MeteredExchange(
      SessionLedger ledger,
      ChannelState state,
      BigInteger unitPrice,
      String method,
      String challengeId,
      Clock clock,
      Duration streamHold) {
    this.ledger = ledger;
    this.state = state;
    this.channelId = state.channelId();
    this.unitPrice = unitPrice;
    this.method = method;
    this.challengeId = challengeId;
    this.clock = clock;
    this.streamHold = streamHold;
  }

  /** The receipt after the opening charge. */
  Receipt receipt() {
    return SessionReceipts.of(method, challengeId, state, clock.instant(), null);
  }

  @Override
  public synchronized @Nullable PaymentPrompt nextUnit() throws PaymentMethodException {
    streamUsed = true;
    if (streamed < charged) {
      streamed++; // the opening unit (or one paid while waiting) pays for this event
      return null;
    }
    LedgerResult r = charge();
    if (r instanceof Updated u) {
      state = u.state();
      charged++;
      streamed++;
      return null;
    }
    InsufficientBalance ib = (InsufficientBalance) r;
    state = ib.state();
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("channelId", channelId);
    data.put("requiredCumulative", ib.requiredCumulative().toString());
    data.put("acceptedCumulative", ib.state().acceptedCumulative().toString());
    data.put("deposit", ib.state().deposit().toString());
    return new PaymentPrompt(
        "payment-need-voucher", new String(Json.write(data), StandardCharsets.UTF_8));
  }

  @Override
  public synchronized boolean awaitPayment(Duration timeout)
      throws PaymentMethodException, InterruptedException {
    Duration bound = timeout.compareTo(streamHold) < 0 ? timeout : streamHold;
    long deadline = System.nanoTime() + Math.max(0, bound.toNanos());
    long pause = FIRST_POLL.toNanos();
    while (true) {
      LedgerResult r = charge();
      if (r instanceof Updated u) {
        state = u.state();
        charged++;
        streamed++;
        return true;
      }
      state = ((InsufficientBalance) r).state();
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      long wait = Math.min(pause, left);
      Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      pause = Math.min(pause * 2, MAX_POLL.toNanos());
    }
  }

  @Override
  public @Nullable Receipt currentReceipt() {
    return receipt();
  }

  @Override
  public synchronized void complete(Delivery delivery) throws PaymentMethodException {
    if (!completed.compareAndSet(false, true)) {
      return;
    }
    // A stream is billed for the events the adapter reports written: an event counted but whose
    // write failed (the client went away) is given back.
    long consumed =
        streamUsed
            ? Math.min(streamed, delivery.units())
            : delivery.delivered() ? delivery.units() : 0;
    long extra = consumed - charged;
    try {
      LedgerResult r;
      if (extra > 0) {
        r = ledger.recordDelivered(channelId, unitPrice, extra, clock.instant());
      } else if (extra < 0) {
        r = ledger.refundUnits(channelId, unitPrice, -extra);
      } else {
        return;
      }
      if (r instanceof Updated u) {
        state = u.state();
      }
    } catch (StoreUnavailableException | LedgerContentionException e) {
      throw unavailable(e);
    }
  }

  /** One unit, or why not; a refusal (closed, vanished) ends the stream. */
  private LedgerResult charge() throws PaymentMethodException {
    LedgerResult r;
    try {
      r = ledger.chargeUnits(channelId, unitPrice, 1, clock.instant());
    } catch (StoreUnavailableException | LedgerContentionException e) {
      throw unavailable(e);
    }
    if (r instanceof Refused refused) {
      throw PaymentMethodException.of(
          method,
          ReasonCode.of("session." + refused.reason().name().toLowerCase(java.util.Locale.ROOT)),
          "the channel no longer accepts charges",
          challengeId,
          null,
          null);
    }
    return r;
  }

  private PaymentMethodException unavailable(RuntimeException e) {
    return PaymentMethodException.of(
        method,
        ReasonCode.STORE_UNAVAILABLE,
        "the session store could not record the charge",
        challengeId,
        null,
        e);
  }
}
