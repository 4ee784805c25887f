package io.mpp4j.server.session;

import io.mpp4j.server.session.LedgerResult.Updated;
import io.mpp4j.spi.PaymentMethodException;
import io.mpp4j.store.StateStore;
import io.mpp4j.store.StoreUnavailableException;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Background settlement of payment sessions (SPEC 4.7): on one scheduler thread, at the shorter of
 * the settlement and re-read intervals, it walks the {@link ChannelIndex} (the open channels of
 * every instance sharing the store) and, per channel:
 *
 * <ol>
 *   <li>re-reads it from the chain when the re-read interval has passed since this instance last
 *       did: a vanished channel is forgotten (its next request answers 410 {@code
 *       channel-not-found}), a close request stops service ({@code channel-finalized}), a higher
 *       deposit is recorded;
 *   <li>closes it when it has been idle longer than {@link SessionOptions#idleClose()}, capturing
 *       exactly what was consumed ({@code max(spent + debt, settled)});
 *   <li>settles it when the consumed but unsettled amount reached {@link
 *       SessionOptions#settleThreshold()} (any amount when there is none). A settlement transfers
 *       the highest voucher, so the settler settles a channel only when that voucher is fully
 *       spent: a payer that signed ahead of its consumption is never charged for what it did not
 *       consume (its channel is settled by its close instead).
 * </ol>
 *
 * <p>A settlement or close holds the channel's claim ({@link SessionHandler#BUSY_KEY_PREFIX}) in
 * the store, so no channel is settled or closed twice at once, also across instances. Failures of
 * one channel (chain, store) are logged without amounts' signatures and the walk goes on; the next
 * run retries. {@link #close()} stops the schedule and settles every fully spent channel with an
 * unsettled amount, within a bounded wait.
 *
 * <p>Thread-safe.
 */
public final class SessionSettler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SessionSettler.class);
  private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(30);

  private final StateStore store;
  private final Map<String, SessionMethod> methods;
  private final SessionOptions options;
  private final Clock clock;
  private final SessionLedger ledger;
  private final ChannelIndex index;
  private final Map<String, Instant> lastRead = new ConcurrentHashMap<>();
  private final Map<String, Instant> firstSeen = new ConcurrentHashMap<>();
  private final Object runLock = new Object();
  private volatile boolean closed;
  private @Nullable ScheduledExecutorService scheduler;

  /**
   * A settler (not running until {@link #start()}).
   *
   * @param store the store shared by every instance
   * @param methods the session methods by name, as the channels' index names them
   * @param options the schedule
   * @param clock the clock (idle times, re-read intervals)
   */
  public SessionSettler(
      StateStore store, Map<String, SessionMethod> methods, SessionOptions options, Clock clock) {
    this.store = Objects.requireNonNull(store, "store == null");
    this.methods = Map.copyOf(methods);
    this.options = Objects.requireNonNull(options, "options == null");
    this.clock = Objects.requireNonNull(clock, "clock == null");
    this.ledger = new SessionLedger(store);
    this.index = new ChannelIndex(store);
  }

  /** Starts the schedule on one daemon thread. */
  public synchronized void start() {
    if (scheduler != null || closed) {
      throw new IllegalStateException("the settler was started already");
    }
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "mpp4j-session-settler");
              t.setDaemon(true);
              return t;
            });
    long period =
        Math.min(options.settleInterval().toMillis(), options.rereadInterval().toMillis());
    ScheduledFuture<?> unused =
        scheduler.scheduleWithFixedDelay(this::runSafely, period, period, TimeUnit.MILLISECONDS);
  }

  private void runSafely() {
    try {
      runOnce();
    } catch (RuntimeException e) {
      LOG.warn("session settlement run failed: {}", e.getClass().getSimpleName());
    }
  }

  /**
   * One walk over the open channels: re-read, idle close, settle (see the class comment).
   *
   * @return how many channels were settled or closed
   */
  public int runOnce() {
    synchronized (runLock) {
      return walk(false);
    }
  }

  /** Stops the schedule and settles every fully spent channel with an unsettled amount. */
  @Override
  public void close() {
    @Nullable ScheduledExecutorService s;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      s = scheduler;
    }
    if (s != null) {
      s.shutdown();
      try {
        if (!s.awaitTermination(SHUTDOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
          s.shutdownNow();
        }
      } catch (InterruptedException e) {
        s.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
    synchronized (runLock) {
      try {
        walk(true);
      } catch (RuntimeException e) {
        LOG.warn("session settlement at shutdown failed: {}", e.getClass().getSimpleName());
      }
    }
  }

  private int walk(boolean shutdown) {
    List<ChannelIndex.Entry> entries;
    try {
      entries = index.all();
    } catch (StoreUnavailableException e) {
      LOG.warn("session settlement: the store is unavailable");
      return 0;
    }
    int done = 0;
    Set<String> live = new HashSet<>();
    for (ChannelIndex.Entry entry : entries) {
      live.add(entry.channelId());
      SessionMethod method = methods.get(entry.method());
      if (method == null) {
        continue; // another instance's method; that instance settles it
      }
      try {
        if (visit(entry.channelId(), method, shutdown)) {
          done++;
        }
      } catch (PaymentMethodException e) {
        LOG.warn("session settlement of {} failed: {}", entry.channelId(), e.getMessage());
      } catch (StoreUnavailableException | LedgerContentionException e) {
        LOG.warn("session settlement of {}: the store is unavailable", entry.channelId());
      } catch (MalformedChannelStateException e) {
        LOG.warn("session settlement of {}: {}", entry.channelId(), e.getMessage());
      }
    }
    lastRead.keySet().retainAll(live);
    firstSeen.keySet().retainAll(live);
    return done;
  }

  /** One channel; true when it was settled or closed. */
  private boolean visit(String id, SessionMethod method, boolean shutdown)
      throws PaymentMethodException {
    ChannelState state = ledger.read(id);
    if (state == null || state.closed()) {
      index.remove(id);
      return false;
    }
    Instant now = clock.instant();
    if (!shutdown) {
      Instant read = lastRead.get(id);
      if (read == null || !now.isBefore(read.plus(options.rereadInterval()))) {
        lastRead.put(id, now);
        state = reread(id, state, method);
        if (state == null) {
          return false;
        }
      }
      Instant active = state.lastActivityAt();
      if (active == null) {
        active = firstSeen.computeIfAbsent(id, k -> now);
      }
      if (!now.isBefore(active.plus(options.idleClose()))) {
        return closeIdle(id, method);
      }
    }
    BigInteger unsettled = state.spent().subtract(state.settledOnChain());
    boolean fullySpent = state.available().signum() == 0;
    @Nullable BigInteger threshold = shutdown ? null : options.settleThreshold();
    boolean due = threshold == null ? unsettled.signum() > 0 : unsettled.compareTo(threshold) >= 0;
    if (!fullySpent || !due || state.voucherSignature() == null) {
      return false;
    }
    return settle(id, method);
  }

  /** Re-reads the channel from the chain; null when it vanished (and was forgotten). */
  private @Nullable ChannelState reread(String id, ChannelState state, SessionMethod method)
      throws PaymentMethodException {
    Optional<OnChainChannel> chain = method.read(state);
    if (chain.isEmpty()) {
      LOG.info("session channel {} is gone from the chain; it is no longer served", id);
      ledger.forget(id);
      index.remove(id);
      return null;
    }
    OnChainChannel c = chain.get();
    if (c.deposit().compareTo(state.deposit()) > 0) {
      ledger.recordDeposit(id, c.deposit());
    }
    if (c.settled().compareTo(state.settledOnChain()) > 0) {
      ledger.markSettled(id, c.settled()); // refused when above the accepted voucher: kept as is
    }
    if (c.closeRequestedAt() != null && !state.closeRequested()) {
      LOG.info("session channel {}: the payer requested a close; service stops", id);
      ledger.requestClose(id, Instant.ofEpochSecond(c.closeRequestedAt().getEpochSecond()));
    }
    return ledger.read(id);
  }

  private boolean settle(String id, SessionMethod method) throws PaymentMethodException {
    String busy = SessionHandler.BUSY_KEY_PREFIX + id;
    String owner = store.claim(busy, SessionHandler.BUSY_TTL);
    if (owner == null) {
      return false; // another instance or a close is at it
    }
    try {
      ChannelState state = ledger.read(id);
      if (state == null
          || state.closed()
          || state.voucherSignature() == null
          || state.acceptedCumulative().compareTo(state.settledOnChain()) <= 0
          || state.available().signum() != 0) {
        return false;
      }
      method.settle(state);
      ledger.markSettled(id, state.acceptedCumulative());
      return true;
    } finally {
      release(busy, owner);
    }
  }

  private boolean closeIdle(String id, SessionMethod method) throws PaymentMethodException {
    String busy = SessionHandler.BUSY_KEY_PREFIX + id;
    String owner = store.claim(busy, SessionHandler.BUSY_TTL);
    if (owner == null) {
      return false;
    }
    try {
      ChannelState state = ledger.read(id);
      if (state == null || state.closed()) {
        return false;
      }
      if (state.voucherSignature() == null) {
        index.remove(id); // nothing to capture and no voucher to close with
        return false;
      }
      BigInteger capture =
          state
              .spent()
              .add(state.debt())
              .max(state.settledOnChain())
              .min(state.acceptedCumulative());
      method.close(state, capture);
      LedgerResult marked = ledger.markClosed(id, clock.instant(), capture);
      index.remove(id);
      LOG.info("session channel {} closed after being idle", id);
      return marked instanceof Updated;
    } finally {
      release(busy, owner);
    }
  }

  private void release(String busy, String owner) {
    try {
      store.release(busy, owner);
    } catch (StoreUnavailableException ignored) {
      // the claim expires with its TTL
    }
  }
}
