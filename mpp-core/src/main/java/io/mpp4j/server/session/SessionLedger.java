package io.mpp4j.server.session;

import io.mpp4j.server.session.LedgerResult.InsufficientBalance;
import io.mpp4j.server.session.LedgerResult.Reason;
import io.mpp4j.server.session.LedgerResult.Refused;
import io.mpp4j.server.session.LedgerResult.Unchanged;
import io.mpp4j.server.session.LedgerResult.Updated;
import io.mpp4j.store.StateStore;
import io.mpp4j.store.StoreUnavailableException;
import io.mpp4j.store.VersionedValue;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The accounting of payment-session channels (SPEC 4.6, 4.7) over a {@link StateStore}: one record
 * per channel, keyed {@value #KEY_PREFIX} + the lowercase channel id, holding a {@link
 * ChannelState} in its {@link ChannelState#encode() record form}.
 *
 * <p><b>Linearizable per channel.</b> Every update reads the record, decides on the state it read
 * and writes with {@link StateStore#compareAndSet}; when another update won in between it reads
 * again and decides again, up to a bound of attempts, then throws {@link LedgerContentionException}
 * having changed nothing. So two charges never both spend the same voucher coverage, also across
 * server instances sharing the store: {@code spent} never exceeds {@code acceptedCumulative}, which
 * never exceeds the deposit.
 *
 * <p><b>Fail closed.</b> A record that does not decode throws {@link
 * MalformedChannelStateException}; a store that cannot answer throws {@link
 * StoreUnavailableException} (a write may or may not have happened: re-read before relying on it).
 * In both cases the caller serves nothing against the channel.
 *
 * <p><b>What the caller checks first.</b> The ledger does not verify signatures, descriptors or
 * chain state: the session handler verifies a voucher's EIP-712 signature, its channel binding and
 * source (SPEC 4.6, 11.3) before {@link #acceptVoucher}, and the open or top-up transaction before
 * {@link #open} or {@link #recordDeposit}.
 *
 * <p><b>Time to live.</b> Each write restarts the record's TTL. Channels have no expiry, and the
 * highest voucher is what the server settles with, so the TTL must be longer than the idle time
 * after which the server settles and closes a channel (SPEC 4.7: 30 days or more); the default is
 * {@link #DEFAULT_TTL}.
 *
 * <p>Thread-safe; holds no state of its own besides its configuration.
 */
public final class SessionLedger {
  /** The prefix of every channel record's key. */
  public static final String KEY_PREFIX = "mpp:session:channel:";

  /** The default TTL of a channel record: 400 days. */
  public static final Duration DEFAULT_TTL = Duration.ofDays(400);

  /** The default bound on compare-and-set attempts per update. */
  public static final int DEFAULT_MAX_ATTEMPTS = 100;

  private final StateStore store;
  private final Duration ttl;
  private final int maxAttempts;

  /** A ledger with {@link #DEFAULT_TTL} and {@link #DEFAULT_MAX_ATTEMPTS}. */
  public SessionLedger(StateStore store) {
    this(store, DEFAULT_TTL, DEFAULT_MAX_ATTEMPTS);
  }

  /**
   * A ledger.
   *
   * @param store the store shared by every server instance
   * @param ttl the TTL of each write, positive
   * @param maxAttempts the compare-and-set attempts per update before {@link
   *     LedgerContentionException}, 1 or more
   */
  public SessionLedger(StateStore store, Duration ttl, int maxAttempts) {
    this.store = Objects.requireNonNull(store, "store == null");
    Objects.requireNonNull(ttl, "ttl == null");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive");
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be 1 or more");
    }
    this.ttl = ttl;
    this.maxAttempts = maxAttempts;
  }

  /**
   * The store key of a channel's record: {@value #KEY_PREFIX} + the lowercase channel id.
   *
   * @throws IllegalArgumentException when {@code channelId} is not {@code 0x} and 64 hex digits
   */
  public static String key(String channelId) {
    Objects.requireNonNull(channelId, "channelId == null");
    if (!ChannelState.isHex(channelId, 64, true)) {
      throw new IllegalArgumentException("channelId must be 0x and 64 hex digits");
    }
    return KEY_PREFIX + channelId.toLowerCase(Locale.ROOT);
  }

  /**
   * Reads a channel's state.
   *
   * @return the state, or null when the channel has no record
   * @throws MalformedChannelStateException when the record does not decode
   */
  public @Nullable ChannelState read(String channelId) {
    String key = key(channelId);
    VersionedValue current = store.read(key);
    return current == null ? null : decode(key, current);
  }

  /**
   * Records a newly opened channel (SPEC 4.6 open, step 6), with its initial voucher when {@code
   * state} carries one.
   *
   * @return {@link Updated} with the stored state, or {@link Refused} with {@link
   *     Reason#ALREADY_OPEN} (and the stored state) when the channel has a record already
   */
  public LedgerResult open(ChannelState state) {
    Objects.requireNonNull(state, "state == null");
    String key = key(state.channelId());
    VersionedValue written = store.create(key, state.encode(), ttl);
    if (written != null) {
      return new Updated(state);
    }
    VersionedValue existing = store.read(key);
    return new Refused(Reason.ALREADY_OPEN, existing == null ? null : decode(key, existing));
  }

  /** {@link #acceptVoucher(String, BigInteger, byte[], BigInteger)} with no minimum delta. */
  public LedgerResult acceptVoucher(String channelId, BigInteger cumulative, byte[] signature) {
    return acceptVoucher(channelId, cumulative, signature, BigInteger.ZERO);
  }

  /**
   * Accepts a voucher whose signature the caller has verified, in SPEC 11.3's order: refused when a
   * close was requested, when {@code cumulative} exceeds the deposit, or when it is below the
   * highest accepted voucher; {@link Unchanged} when it equals it (an idempotent repeat: the stored
   * voucher stays); refused when the increase is below {@code minDelta}; otherwise stored as the
   * highest voucher before this method returns (SPEC 4.6: persist before serving).
   *
   * @param cumulative the voucher's cumulative amount, a uint96
   * @param signature the voucher's 65-byte signature
   * @param minDelta the smallest increase accepted, zero or more
   * @return {@link Updated} with the new state, {@link Unchanged}, or {@link Refused} with {@link
   *     Reason#CHANNEL_NOT_FOUND}, {@link Reason#CLOSE_REQUESTED}, {@link
   *     Reason#AMOUNT_EXCEEDS_DEPOSIT}, {@link Reason#VOUCHER_BELOW_ACCEPTED} or {@link
   *     Reason#DELTA_TOO_SMALL}
   */
  public LedgerResult acceptVoucher(
      String channelId, BigInteger cumulative, byte[] signature, BigInteger minDelta) {
    return accept(channelId, cumulative, signature, minDelta, null);
  }

  private LedgerResult accept(
      String channelId,
      BigInteger cumulative,
      byte[] signature,
      BigInteger minDelta,
      @Nullable Instant now) {
    Objects.requireNonNull(minDelta, "minDelta == null");
    checkVoucher(cumulative, signature);
    if (minDelta.signum() < 0) {
      throw new IllegalArgumentException("minDelta must not be negative");
    }
    byte[] sig = signature.clone();
    return update(
        channelId,
        state -> {
          if (state.closeRequested() && !state.closed()) {
            return new Refused(Reason.CLOSE_REQUESTED, state);
          }
          Refused refused = voucherRefusal(state, cumulative);
          if (refused != null) {
            return refused;
          }
          if (cumulative.equals(state.acceptedCumulative())) {
            return new Unchanged(state);
          }
          if (cumulative.subtract(state.acceptedCumulative()).compareTo(minDelta) < 0) {
            return new Refused(Reason.DELTA_TOO_SMALL, state);
          }
          ChannelState next = state.withVoucher(cumulative, sig);
          return new Updated(now == null ? next : next.withLastActivityAt(now));
        });
  }

  /**
   * Charges {@code amount} against accepted vouchers (SPEC 4.7 steps 2 to 5): stored as spent
   * before this method returns when {@code spent + amount ≤ acceptedCumulative}, so the caller
   * delivers only after an {@link Updated}.
   *
   * @param amount the cost, positive
   * @return {@link Updated} with the new state, {@link InsufficientBalance} (nothing charged), or
   *     {@link Refused} with {@link Reason#CHANNEL_NOT_FOUND} or {@link Reason#CLOSE_REQUESTED}
   */
  public LedgerResult charge(String channelId, BigInteger amount) {
    Objects.requireNonNull(amount, "amount == null");
    if (amount.signum() <= 0) {
      throw new IllegalArgumentException("amount must be positive");
    }
    return update(
        channelId,
        state -> {
          if (state.closeRequested()) {
            return new Refused(Reason.CLOSE_REQUESTED, state);
          }
          BigInteger available = state.available();
          if (available.compareTo(amount) < 0) {
            return new InsufficientBalance(
                state, amount, amount.subtract(available), state.spent().add(amount));
          }
          return new Updated(state.withSpent(state.spent().add(amount)));
        });
  }

  /**
   * Reserves an estimate for a stream (SPEC 4.7: reserve up front, adjust as consumed): a {@link
   * #charge} of {@code estimate}, to be corrected with {@link #adjust}.
   */
  public LedgerResult reserve(String channelId, BigInteger estimate) {
    return charge(channelId, estimate);
  }

  /**
   * Corrects a reservation once consumption is known: charges {@code actual − reserved} when more
   * was consumed (which may be {@link InsufficientBalance}), gives {@code reserved − actual} back
   * when less was, and changes nothing when they are equal.
   *
   * @param reserved what {@link #reserve} charged, zero or more
   * @param actual what was consumed, zero or more
   * @return as {@link #charge} when {@code actual > reserved}; {@link Updated}, or {@link Refused}
   *     with {@link Reason#RELEASE_ABOVE_SPENT} or {@link Reason#CHANNEL_NOT_FOUND}, when less;
   *     {@link Unchanged} (or {@link Refused} with {@link Reason#CHANNEL_NOT_FOUND}) when equal
   */
  public LedgerResult adjust(String channelId, BigInteger reserved, BigInteger actual) {
    Objects.requireNonNull(reserved, "reserved == null");
    Objects.requireNonNull(actual, "actual == null");
    if (reserved.signum() < 0 || actual.signum() < 0) {
      throw new IllegalArgumentException("reserved and actual must not be negative");
    }
    int order = actual.compareTo(reserved);
    if (order > 0) {
      return charge(channelId, actual.subtract(reserved));
    }
    BigInteger refund = reserved.subtract(actual);
    return update(
        channelId,
        state -> {
          if (order == 0) {
            return new Unchanged(state);
          }
          if (state.spent().compareTo(refund) < 0) {
            return new Refused(Reason.RELEASE_ABOVE_SPENT, state);
          }
          return new Updated(state.withSpent(state.spent().subtract(refund)));
        });
  }

  /**
   * Records an amount settled on chain (after a settle or close transaction, or a re-read of the
   * channel). Settlements only grow: one at or below the recorded amount changes nothing.
   *
   * @param settled the channel's settled amount, zero or more
   * @return {@link Updated}, {@link Unchanged}, or {@link Refused} with {@link
   *     Reason#SETTLEMENT_ABOVE_ACCEPTED} or {@link Reason#CHANNEL_NOT_FOUND}
   */
  public LedgerResult markSettled(String channelId, BigInteger settled) {
    Objects.requireNonNull(settled, "settled == null");
    if (settled.signum() < 0) {
      throw new IllegalArgumentException("settled must not be negative");
    }
    return update(
        channelId,
        state -> {
          if (settled.compareTo(state.acceptedCumulative()) > 0) {
            return new Refused(Reason.SETTLEMENT_ABOVE_ACCEPTED, state);
          }
          if (settled.compareTo(state.settledOnChain()) <= 0) {
            return new Unchanged(state);
          }
          return new Updated(state.withSettledOnChain(settled));
        });
  }

  /**
   * Records the channel's deposit after a verified top-up (SPEC 4.6 topUp). Deposits only grow.
   *
   * @param deposit the channel's deposit as read from the chain, a uint96
   * @return {@link Updated}, {@link Unchanged} when equal, or {@link Refused} with {@link
   *     Reason#DEPOSIT_DECREASED} or {@link Reason#CHANNEL_NOT_FOUND}
   */
  public LedgerResult recordDeposit(String channelId, BigInteger deposit) {
    Objects.requireNonNull(deposit, "deposit == null");
    if (deposit.signum() < 0 || deposit.compareTo(ChannelState.MAX_AMOUNT) > 0) {
      throw new IllegalArgumentException("deposit must be a uint96");
    }
    return update(
        channelId,
        state -> {
          int order = deposit.compareTo(state.deposit());
          if (order < 0) {
            return new Refused(Reason.DEPOSIT_DECREASED, state);
          }
          return order == 0 ? new Unchanged(state) : new Updated(state.withDeposit(deposit));
        });
  }

  /**
   * Records that the payer requested a close (a {@code CloseRequested} event or a re-read of the
   * channel): from then on vouchers and charges are refused. The first recorded time stays.
   *
   * @param at the on-chain close request time, whole seconds
   * @return {@link Updated}, {@link Unchanged} when a close was already recorded, or {@link
   *     Refused} with {@link Reason#CHANNEL_NOT_FOUND}
   */
  public LedgerResult requestClose(String channelId, Instant at) {
    Objects.requireNonNull(at, "at == null");
    return update(
        channelId,
        state ->
            state.closeRequested()
                ? new Unchanged(state)
                : new Updated(state.withCloseRequestedAt(at)));
  }

  /**
   * Accepts a voucher whose signature the caller has verified, as {@link #acceptVoucher(String,
   * BigInteger, byte[], BigInteger)}, also refusing a channel this server closed ({@link
   * Reason#CHANNEL_CLOSED}) and recording {@code now} as the channel's last activity when the
   * voucher is new.
   */
  public LedgerResult acceptVoucher(
      String channelId, BigInteger cumulative, byte[] signature, BigInteger minDelta, Instant now) {
    Objects.requireNonNull(now, "now == null");
    return accept(channelId, cumulative, signature, minDelta, now);
  }

  /**
   * Accepts the final voucher of a cooperative close (SPEC 4.6 close): as {@link #acceptVoucher},
   * but also after the payer requested a close on chain (the cooperative close is how such a
   * channel ends early), with no minimum delta. Refused for a channel this server closed.
   */
  public LedgerResult acceptCloseVoucher(
      String channelId, BigInteger cumulative, byte[] signature) {
    checkVoucher(cumulative, signature);
    byte[] sig = signature.clone();
    return update(
        channelId,
        state -> {
          Refused refused = voucherRefusal(state, cumulative);
          if (refused != null) {
            return refused;
          }
          return cumulative.equals(state.acceptedCumulative())
              ? new Unchanged(state)
              : new Updated(state.withVoucher(cumulative, sig));
        });
  }

  /**
   * Charges {@code units} units of {@code unitPrice} plus any {@linkplain ChannelState#debt() debt}
   * against accepted vouchers, all or nothing, counting the units and recording {@code now} as the
   * channel's last activity: the metering step of a billable request or a streamed event (SPEC 4.7
   * steps 2 to 5). Stored before this method returns, so the caller delivers only after an {@link
   * Updated}.
   *
   * @param unitPrice the price of one unit, positive
   * @param units the units, 1 or more
   * @return {@link Updated}; {@link InsufficientBalance} (nothing charged; its cost includes the
   *     debt); or {@link Refused} with {@link Reason#CHANNEL_NOT_FOUND}, {@link
   *     Reason#CLOSE_REQUESTED} or {@link Reason#CHANNEL_CLOSED}
   */
  public LedgerResult chargeUnits(String channelId, BigInteger unitPrice, long units, Instant now) {
    BigInteger price = positive(unitPrice);
    Objects.requireNonNull(now, "now == null");
    if (units < 1) {
      throw new IllegalArgumentException("units must be 1 or more");
    }
    BigInteger amount = price.multiply(BigInteger.valueOf(units));
    return update(
        channelId,
        state -> {
          if (state.closed()) {
            return new Refused(Reason.CHANNEL_CLOSED, state);
          }
          if (state.closeRequested()) {
            return new Refused(Reason.CLOSE_REQUESTED, state);
          }
          BigInteger cost = amount.add(state.debt());
          BigInteger available = state.available();
          if (available.compareTo(cost) < 0) {
            return new InsufficientBalance(
                state, cost, cost.subtract(available), state.spent().add(cost));
          }
          return new Updated(
              state
                  .withSpent(state.spent().add(cost))
                  .withDebt(BigInteger.ZERO)
                  .withUnits(saturatedAdd(state.units(), units))
                  .withLastActivityAt(now));
        });
  }

  /**
   * Records units already delivered (a metered response that reported more units than it was
   * charged for up front): charges what accepted vouchers still cover, up to {@code units ×
   * unitPrice} plus any earlier debt, and records the rest as {@linkplain ChannelState#debt() debt}
   * that the next {@link #chargeUnits} pays first. Never refused for a close request (the units
   * were delivered before it was seen).
   *
   * @param unitPrice the price of one unit, positive
   * @param units the units delivered, 1 or more
   * @return {@link Updated}, or {@link Refused} with {@link Reason#CHANNEL_NOT_FOUND}
   */
  public LedgerResult recordDelivered(
      String channelId, BigInteger unitPrice, long units, Instant now) {
    BigInteger price = positive(unitPrice);
    Objects.requireNonNull(now, "now == null");
    if (units < 1) {
      throw new IllegalArgumentException("units must be 1 or more");
    }
    BigInteger amount = price.multiply(BigInteger.valueOf(units));
    return update(
        channelId,
        state -> {
          BigInteger owed = amount.add(state.debt());
          BigInteger paid = owed.min(state.available());
          BigInteger debt = owed.subtract(paid).min(ChannelState.MAX_AMOUNT);
          return new Updated(
              state
                  .withSpent(state.spent().add(paid))
                  .withDebt(debt)
                  .withUnits(saturatedAdd(state.units(), units))
                  .withLastActivityAt(now));
        });
  }

  /**
   * Gives back units charged up front but not delivered (a failed response, a stream that ended
   * before the units it had paid for): {@code spent} and {@code units} go down by them.
   *
   * @param unitPrice the price of one unit, positive
   * @param units the units to give back, 1 or more
   * @return {@link Updated}, or {@link Refused} with {@link Reason#RELEASE_ABOVE_SPENT} or {@link
   *     Reason#CHANNEL_NOT_FOUND}
   */
  public LedgerResult refundUnits(String channelId, BigInteger unitPrice, long units) {
    BigInteger price = positive(unitPrice);
    if (units < 1) {
      throw new IllegalArgumentException("units must be 1 or more");
    }
    BigInteger amount = price.multiply(BigInteger.valueOf(units));
    return update(
        channelId,
        state -> {
          if (state.spent().compareTo(amount) < 0 || state.units() < units) {
            return new Refused(Reason.RELEASE_ABOVE_SPENT, state);
          }
          return new Updated(
              state.withSpent(state.spent().subtract(amount)).withUnits(state.units() - units));
        });
  }

  /**
   * Records that this server closed the channel on chain, capturing {@code captured}: the channel
   * accepts nothing more, and its settled amount becomes at least {@code captured}.
   *
   * @param at when the close transaction was confirmed
   * @param captured the amount the close captured, at most the accepted voucher
   * @return {@link Updated}, {@link Unchanged} when already closed, or {@link Refused} with {@link
   *     Reason#SETTLEMENT_ABOVE_ACCEPTED} or {@link Reason#CHANNEL_NOT_FOUND}
   */
  public LedgerResult markClosed(String channelId, Instant at, BigInteger captured) {
    Objects.requireNonNull(at, "at == null");
    Objects.requireNonNull(captured, "captured == null");
    return update(
        channelId,
        state -> {
          if (state.closed()) {
            return new Unchanged(state);
          }
          if (captured.compareTo(state.acceptedCumulative()) > 0) {
            return new Refused(Reason.SETTLEMENT_ABOVE_ACCEPTED, state);
          }
          return new Updated(
              state.withSettledOnChain(captured.max(state.settledOnChain())).withClosedAt(at));
        });
  }

  /**
   * Deletes a channel's record: the channel vanished from the chain (SPEC 4.7: stop serving and
   * answer 410 {@code channel-not-found}). Nothing can be settled on a channel that no longer
   * exists, so its voucher is of no more use.
   *
   * @return whether a record was deleted
   */
  public boolean forget(String channelId) {
    String key = key(channelId);
    for (int attempt = 0; attempt < maxAttempts; attempt++) {
      VersionedValue current = store.read(key);
      if (current == null) {
        return false;
      }
      if (store.delete(key, current.version())) {
        return true;
      }
    }
    throw new LedgerContentionException("channel record delete lost every compare-and-set race");
  }

  /** Records {@code now} as the channel's last activity (never moving it back). */
  public LedgerResult touch(String channelId, Instant now) {
    Objects.requireNonNull(now, "now == null");
    Instant at = Instant.ofEpochSecond(now.getEpochSecond());
    return update(
        channelId,
        state ->
            state.lastActivityAt() != null && !at.isAfter(state.lastActivityAt())
                ? new Unchanged(state)
                : new Updated(state.withLastActivityAt(at)));
  }

  private static BigInteger positive(BigInteger amount) {
    Objects.requireNonNull(amount, "unitPrice == null");
    if (amount.signum() <= 0) {
      throw new IllegalArgumentException("unitPrice must be positive");
    }
    return amount;
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return sum < 0 ? Long.MAX_VALUE : sum;
  }

  /**
   * Reads, decides and writes by compare-and-set until the write wins or the attempts run out. The
   * decision returns {@link Updated} with the state to write, or any other result to return as is.
   */
  private LedgerResult update(String channelId, Function<ChannelState, LedgerResult> decide) {
    String key = key(channelId);
    for (int attempt = 0; attempt < maxAttempts; attempt++) {
      VersionedValue current = store.read(key);
      if (current == null) {
        return new Refused(Reason.CHANNEL_NOT_FOUND, null);
      }
      LedgerResult decision = decide.apply(decode(key, current));
      if (!(decision instanceof Updated updated)) {
        return decision;
      }
      if (store.compareAndSet(key, current.version(), updated.state().encode(), ttl) != null) {
        return decision;
      }
      Thread.onSpinWait();
    }
    throw new LedgerContentionException(
        "channel record update lost " + maxAttempts + " compare-and-set races; nothing changed");
  }

  private static ChannelState decode(String key, VersionedValue value) {
    ChannelState state = ChannelState.decode(value.value());
    if (!key.equals(KEY_PREFIX + state.channelId())) {
      throw new MalformedChannelStateException("channel record is stored under another channel");
    }
    return state;
  }

  /** A voucher's amount is a uint96 and its signature has the stored length. */
  private static void checkVoucher(BigInteger cumulative, byte[] signature) {
    Objects.requireNonNull(cumulative, "cumulative == null");
    Objects.requireNonNull(signature, "signature == null");
    if (cumulative.signum() < 0 || cumulative.compareTo(ChannelState.MAX_AMOUNT) > 0) {
      throw new IllegalArgumentException("cumulative must be a uint96");
    }
    if (signature.length != ChannelState.SIGNATURE_LENGTH) {
      throw new IllegalArgumentException(
          "signature must be " + ChannelState.SIGNATURE_LENGTH + " bytes");
    }
  }

  /**
   * What refuses any voucher, open or closing: a channel this server closed, an amount above the
   * deposit or below the highest accepted voucher (in that order); null when none applies.
   */
  private static @Nullable Refused voucherRefusal(ChannelState state, BigInteger cumulative) {
    if (state.closed()) {
      return new Refused(Reason.CHANNEL_CLOSED, state);
    }
    if (cumulative.compareTo(state.deposit()) > 0) {
      return new Refused(Reason.AMOUNT_EXCEEDS_DEPOSIT, state);
    }
    if (cumulative.compareTo(state.acceptedCumulative()) < 0) {
      return new Refused(Reason.VOUCHER_BELOW_ACCEPTED, state);
    }
    return null;
  }
}
