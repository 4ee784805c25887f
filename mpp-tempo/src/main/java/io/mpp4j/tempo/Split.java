package io.mpp4j.tempo;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A share of every charge paid to another recipient in the same token ({@code
 * methodDetails.splits}); the primary recipient receives the amount minus all splits.
 *
 * <p>Immutable and thread-safe.
 *
 * @param recipient who receives the share
 * @param amount the share in base units (6 decimals), greater than zero
 * @param memo an exact 32-byte memo the split's transfer must carry, or null for any
 */
// equals and hashCode below compare the array's contents.
@SuppressWarnings("ArrayRecordComponent")
public record Split(Address recipient, BigInteger amount, byte @Nullable [] memo) {
  /** Validates and copies. */
  public Split {
    Objects.requireNonNull(recipient, "recipient == null");
    Objects.requireNonNull(amount, "amount == null");
    if (amount.signum() <= 0) {
      throw new IllegalArgumentException("split amount must be > 0, but was " + amount);
    }
    if (memo != null) {
      if (memo.length != 32) {
        throw new IllegalArgumentException("split memo must be 32 bytes, but was " + memo.length);
      }
      memo = memo.clone();
    }
  }

  /** A split without a memo requirement. */
  public static Split of(Address recipient, BigInteger amount) {
    return new Split(recipient, amount, null);
  }

  @Override
  public byte @Nullable [] memo() {
    return memo == null ? null : memo.clone();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Split s
        && recipient.equals(s.recipient)
        && amount.equals(s.amount)
        && Arrays.equals(memo, s.memo);
  }

  @Override
  public int hashCode() {
    return Objects.hash(recipient, amount, Arrays.hashCode(memo));
  }

  @Override
  public String toString() {
    return "Split{" + recipient + ", " + amount + (memo == null ? "" : ", memo") + "}";
  }
}
