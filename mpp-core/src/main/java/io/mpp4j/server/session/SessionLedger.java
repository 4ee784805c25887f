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
import java.util.regex.Pattern;
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

  private static final Pattern CHANNEL_ID = Pattern.compile("0x[0-9a-fA-F]{64}");

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
    if (!CHANNEL_ID.matcher(channelId).matches()) {
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
    Objects.requireNonNull(cumulative, "cumulative == null");
    Objects.requireNonNull(signature, "signature == null");
    Objects.requireNonNull(minDelta, "minDelta == null");
    if (cumulative.signum() < 0 || cumulative.compareTo(ChannelState.MAX_AMOUNT) > 0) {
      throw new IllegalArgumentException("cumulative must be a uint96");
    }
    if (signature.length != ChannelState.SIGNATURE_LENGTH) {
      throw new IllegalArgumentException(
          "signature must be " + ChannelState.SIGNATURE_LENGTH + " bytes");
    }
    if (minDelta.signum() < 0) {
      throw new IllegalArgumentException("minDelta must not be negative");
    }
    byte[] sig = signature.clone();
    return update(
        channelId,
        state -> {
          if (state.closeRequested()) {
            return new Refused(Reason.CLOSE_REQUESTED, state);
          }
          if (cumulative.compareTo(state.deposit()) > 0) {
            return new Refused(Reason.AMOUNT_EXCEEDS_DEPOSIT, state);
          }
          int order = cumulative.compareTo(state.acceptedCumulative());
          if (order < 0) {
            return new Refused(Reason.VOUCHER_BELOW_ACCEPTED, state);
          }
          if (order == 0) {
            return new Unchanged(state);
          }
          if (cumulative.subtract(state.acceptedCumulative()).compareTo(minDelta) < 0) {
            return new Refused(Reason.DELTA_TOO_SMALL, state);
          }
          return new Updated(state.withVoucher(cumulative, sig));
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
}
