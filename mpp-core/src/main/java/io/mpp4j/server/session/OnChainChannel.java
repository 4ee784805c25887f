package io.mpp4j.server.session;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A channel as the escrow reports it (v2 {@code getChannel}: SPEC 4.3): what was deposited, what
 * was settled, and whether the payer asked to close. A channel that does not exist (never opened,
 * or closed and deleted) is not an {@code OnChainChannel}: {@link SessionMethod#read} answers
 * empty.
 *
 * @param deposit the deposit, base units
 * @param settled the amount settled to the payee so far, base units
 * @param closeRequestedAt when the payer requested a close, or null when it did not
 */
public record OnChainChannel(
    BigInteger deposit, BigInteger settled, @Nullable Instant closeRequestedAt) {
  /** Checks the components: amounts are uint96 and {@code settled ≤ deposit}. */
  public OnChainChannel {
    Objects.requireNonNull(deposit, "deposit == null");
    Objects.requireNonNull(settled, "settled == null");
    if (deposit.signum() < 0 || deposit.compareTo(ChannelState.MAX_AMOUNT) > 0) {
      throw new IllegalArgumentException("deposit is not a uint96");
    }
    if (settled.signum() < 0 || settled.compareTo(deposit) > 0) {
      throw new IllegalArgumentException("settled must be between 0 and the deposit");
    }
  }
}
