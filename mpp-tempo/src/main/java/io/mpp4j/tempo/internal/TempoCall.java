package io.mpp4j.tempo.internal;

import io.mpp4j.tempo.Address;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One call of a Tempo transaction: {@code [to, value, data]}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param to the called contract, or {@code null} for contract creation (empty on the wire)
 * @param value the native value sent, non-negative, at most 256 bits
 * @param data the calldata (copied)
 */
// equals and hashCode below compare the array's contents.
@SuppressWarnings("ArrayRecordComponent")
public record TempoCall(@Nullable Address to, BigInteger value, byte[] data) {

  /** Validates and copies. */
  public TempoCall {
    Objects.requireNonNull(value, "value == null");
    Objects.requireNonNull(data, "data == null");
    if (value.signum() < 0 || value.bitLength() > 256) {
      throw new IllegalArgumentException("value must be a uint256, but was " + value);
    }
    data = data.clone();
  }

  /** A call to {@code to} with zero value. */
  public static TempoCall of(Address to, byte[] data) {
    return new TempoCall(Objects.requireNonNull(to, "to == null"), BigInteger.ZERO, data);
  }

  /** A copy of the calldata. */
  @Override
  public byte[] data() {
    return data.clone();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof TempoCall c
        && Objects.equals(to, c.to)
        && value.equals(c.value)
        && Arrays.equals(data, c.data);
  }

  @Override
  public int hashCode() {
    return Objects.hash(to, value, Arrays.hashCode(data));
  }

  @Override
  public String toString() {
    return "TempoCall[to=" + to + ", value=" + value + ", data=" + Hex.encode(data) + "]";
  }
}
