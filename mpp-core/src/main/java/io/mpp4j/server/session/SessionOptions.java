package io.mpp4j.server.session;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The server's session policy (SPEC 4.7): how many new vouchers a channel may send per second, how
 * long a stream waits for a voucher, and when the {@link SessionSettler} settles, re-reads and
 * closes channels. Immutable; the {@code with…} methods return changed copies.
 *
 * @param voucherRatePerSecond new vouchers accepted per channel per second (SPEC 4.7: about 10), 1
 *     or more; re-presenting the highest accepted voucher is not counted
 * @param streamHold how long a stream waits for a voucher or top-up after asking for one (SPEC 4.7:
 *     about 60 s), 1 second to 10 minutes
 * @param settleInterval how often the settler runs (settles channels whose unsettled amount reached
 *     the threshold, or every channel with an unsettled amount when there is no threshold), 1
 *     second or more
 * @param settleThreshold the unsettled amount (base units) from which a channel is settled on the
 *     next run, or null to settle every channel with an unsettled amount on each run
 * @param idleClose how long a channel may go without a voucher or a charge before the settler
 *     closes it (SPEC 4.7: 30 days or more), 1 minute or more
 * @param rereadInterval how often the settler re-reads each open channel from the chain (a close
 *     request, a top-up made elsewhere, a channel that vanished), 1 second or more
 */
public record SessionOptions(
    int voucherRatePerSecond,
    Duration streamHold,
    Duration settleInterval,
    @Nullable BigInteger settleThreshold,
    Duration idleClose,
    Duration rereadInterval) {

  /** The default rate of new vouchers per channel and second. */
  public static final int DEFAULT_VOUCHER_RATE = 10;

  /** The default time a stream waits for payment. */
  public static final Duration DEFAULT_STREAM_HOLD = Duration.ofSeconds(60);

  /** The default settlement interval. */
  public static final Duration DEFAULT_SETTLE_INTERVAL = Duration.ofHours(1);

  /** The default idle time after which a channel is closed. */
  public static final Duration DEFAULT_IDLE_CLOSE = Duration.ofDays(30);

  /** The default interval between re-reads of a channel from the chain. */
  public static final Duration DEFAULT_REREAD_INTERVAL = Duration.ofMinutes(5);

  /** Checks the components. */
  public SessionOptions {
    if (voucherRatePerSecond < 1 || voucherRatePerSecond > 1_000_000) {
      throw new IllegalArgumentException("voucherRatePerSecond must be 1 to 1000000");
    }
    between("streamHold", streamHold, Duration.ofSeconds(1), Duration.ofMinutes(10));
    between("settleInterval", settleInterval, Duration.ofSeconds(1), Duration.ofDays(365));
    if (settleThreshold != null
        && (settleThreshold.signum() <= 0
            || settleThreshold.compareTo(ChannelState.MAX_AMOUNT) > 0)) {
      throw new IllegalArgumentException("settleThreshold must be a positive uint96");
    }
    between("idleClose", idleClose, Duration.ofMinutes(1), Duration.ofDays(3650));
    between("rereadInterval", rereadInterval, Duration.ofSeconds(1), Duration.ofDays(365));
  }

  /**
   * The defaults: 10 vouchers/s, 60 s hold, hourly settlement, 30-day idle close, 5 min re-read.
   */
  public static SessionOptions defaults() {
    return new SessionOptions(
        DEFAULT_VOUCHER_RATE,
        DEFAULT_STREAM_HOLD,
        DEFAULT_SETTLE_INTERVAL,
        null,
        DEFAULT_IDLE_CLOSE,
        DEFAULT_REREAD_INTERVAL);
  }

  /** These options with another voucher rate. */
  public SessionOptions withVoucherRatePerSecond(int rate) {
    return new SessionOptions(
        rate, streamHold, settleInterval, settleThreshold, idleClose, rereadInterval);
  }

  /** These options with another stream hold. */
  public SessionOptions withStreamHold(Duration hold) {
    return new SessionOptions(
        voucherRatePerSecond, hold, settleInterval, settleThreshold, idleClose, rereadInterval);
  }

  /** These options with another settlement interval. */
  public SessionOptions withSettleInterval(Duration interval) {
    return new SessionOptions(
        voucherRatePerSecond, streamHold, interval, settleThreshold, idleClose, rereadInterval);
  }

  /** These options with another settlement threshold (null: settle whatever is unsettled). */
  public SessionOptions withSettleThreshold(@Nullable BigInteger threshold) {
    return new SessionOptions(
        voucherRatePerSecond, streamHold, settleInterval, threshold, idleClose, rereadInterval);
  }

  /** These options with another idle time before a close. */
  public SessionOptions withIdleClose(Duration idle) {
    return new SessionOptions(
        voucherRatePerSecond, streamHold, settleInterval, settleThreshold, idle, rereadInterval);
  }

  /** These options with another re-read interval. */
  public SessionOptions withRereadInterval(Duration interval) {
    return new SessionOptions(
        voucherRatePerSecond, streamHold, settleInterval, settleThreshold, idleClose, interval);
  }

  private static void between(String name, Duration value, Duration min, Duration max) {
    Objects.requireNonNull(value, name + " == null");
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new IllegalArgumentException(
          name + " must be between " + min + " and " + max + ", but was " + value);
    }
  }
}
