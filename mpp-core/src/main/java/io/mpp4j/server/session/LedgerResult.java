package io.mpp4j.server.session;

import java.math.BigInteger;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** What a {@link SessionLedger} update did. */
public sealed interface LedgerResult {

  /**
   * The update was stored.
   *
   * @param state the channel's state as stored by this call
   */
  record Updated(ChannelState state) implements LedgerResult {
    /** Checks the components. */
    public Updated {
      Objects.requireNonNull(state, "state == null");
    }
  }

  /**
   * Nothing needed storing: the voucher equals the highest accepted one (an idempotent repeat, SPEC
   * 4.6), or a settlement below the one already recorded.
   *
   * @param state the channel's current state
   */
  record Unchanged(ChannelState state) implements LedgerResult {
    /** Checks the components. */
    public Unchanged {
      Objects.requireNonNull(state, "state == null");
    }
  }

  /**
   * A charge was refused because accepted vouchers do not cover it (SPEC 4.7: {@code 402
   * session/insufficient-balance}); nothing was charged.
   *
   * @param state the channel's current state
   * @param cost the amount that was to be charged
   * @param requiredTopUp {@code cost − available}: how much more the vouchers must cover
   * @param requiredCumulative {@code spent + cost}: the cumulative amount of the voucher that would
   *     cover the charge; when it exceeds the deposit the client must top up first
   */
  record InsufficientBalance(
      ChannelState state, BigInteger cost, BigInteger requiredTopUp, BigInteger requiredCumulative)
      implements LedgerResult {
    /** Checks the components. */
    public InsufficientBalance {
      Objects.requireNonNull(state, "state == null");
      Objects.requireNonNull(cost, "cost == null");
      Objects.requireNonNull(requiredTopUp, "requiredTopUp == null");
      Objects.requireNonNull(requiredCumulative, "requiredCumulative == null");
    }
  }

  /**
   * The update was refused; nothing was stored.
   *
   * @param reason why
   * @param state the channel's current state, or null when there is no channel
   */
  record Refused(Reason reason, @Nullable ChannelState state) implements LedgerResult {
    /** Checks the components. */
    public Refused {
      Objects.requireNonNull(reason, "reason == null");
    }
  }

  /** Why an update was refused. */
  enum Reason {
    /** No record for the channel (never opened here, or expired). */
    CHANNEL_NOT_FOUND,
    /** The channel is already open here. */
    ALREADY_OPEN,
    /** The payer requested a close: no new vouchers or charges (SPEC 4.6, 4.7). */
    CLOSE_REQUESTED,
    /** A voucher below the highest accepted one. */
    VOUCHER_BELOW_ACCEPTED,
    /** A voucher above the channel's deposit. */
    AMOUNT_EXCEEDS_DEPOSIT,
    /** A voucher whose increase is below the minimum voucher delta. */
    DELTA_TOO_SMALL,
    /** A settlement above the accepted voucher (only accepted vouchers can be settled). */
    SETTLEMENT_ABOVE_ACCEPTED,
    /** A deposit below the current one (deposits only grow). */
    DEPOSIT_DECREASED,
    /** A release of more than was spent. */
    RELEASE_ABOVE_SPENT,
    /** This server closed the channel on chain: nothing more is accepted. */
    CHANNEL_CLOSED
  }
}
