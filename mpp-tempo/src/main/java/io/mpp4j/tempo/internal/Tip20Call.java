package io.mpp4j.tempo.internal;

import io.mpp4j.core.MalformedMessageException;
import io.mpp4j.tempo.Address;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.util.BigIntegers;
import org.jspecify.annotations.Nullable;

/**
 * A decoded TIP-20 {@code transfer(address,uint256)} or {@code
 * transferWithMemo(address,uint256,bytes32)} call. Decoding is strict ABI: the calldata length is
 * exact and the address's 12 padding bytes are zero, so a decoded call re-encodes to the same
 * bytes.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * Optional<Tip20Call> call = Tip20Call.decode(tempoCall.data());
 * }</pre>
 *
 * @param recipient the {@code to} argument
 * @param amount the amount in base units
 * @param memo the 32-byte memo of {@code transferWithMemo} (copied), or {@code null} for {@code
 *     transfer}
 */
// equals and hashCode below compare the array's contents.
@SuppressWarnings("ArrayRecordComponent")
public record Tip20Call(Address recipient, BigInteger amount, byte @Nullable [] memo) {
  /** Selector of {@code transfer(address,uint256)}. */
  public static final int TRANSFER_SELECTOR = 0xa9059cbb;

  /** Selector of {@code transferWithMemo(address,uint256,bytes32)}. */
  public static final int TRANSFER_WITH_MEMO_SELECTOR = 0x95777d59;

  /** Validates and copies. */
  public Tip20Call {
    Objects.requireNonNull(recipient, "recipient == null");
    Objects.requireNonNull(amount, "amount == null");
    if (amount.signum() < 0 || amount.bitLength() > 256) {
      throw new IllegalArgumentException("amount must be a uint256, but was " + amount);
    }
    if (memo != null) {
      if (memo.length != 32) {
        throw new IllegalArgumentException("memo must be 32 bytes, but was " + memo.length);
      }
      memo = memo.clone();
    }
  }

  /** A {@code transfer}. */
  public static Tip20Call transfer(Address recipient, BigInteger amount) {
    return new Tip20Call(recipient, amount, null);
  }

  /** A {@code transferWithMemo}. */
  public static Tip20Call transferWithMemo(Address recipient, BigInteger amount, byte[] memo) {
    return new Tip20Call(recipient, amount, Objects.requireNonNull(memo, "memo == null"));
  }

  /**
   * Decodes calldata.
   *
   * @return the call, or empty if the selector is neither {@code transfer} nor {@code
   *     transferWithMemo}
   * @throws MalformedMessageException if the selector matches but the arguments are not strict ABI
   */
  public static Optional<Tip20Call> decode(byte[] calldata) throws MalformedMessageException {
    Objects.requireNonNull(calldata, "calldata == null");
    if (calldata.length < 4) {
      return Optional.empty();
    }
    int selector =
        ((calldata[0] & 0xff) << 24)
            | ((calldata[1] & 0xff) << 16)
            | ((calldata[2] & 0xff) << 8)
            | (calldata[3] & 0xff);
    boolean withMemo;
    if (selector == TRANSFER_SELECTOR) {
      withMemo = false;
    } else if (selector == TRANSFER_WITH_MEMO_SELECTOR) {
      withMemo = true;
    } else {
      return Optional.empty();
    }
    int expected = 4 + 32 * (withMemo ? 3 : 2);
    if (calldata.length != expected) {
      throw new MalformedMessageException(
          (withMemo ? "transferWithMemo" : "transfer")
              + " calldata must be "
              + expected
              + " bytes");
    }
    for (int i = 4; i < 16; i++) {
      if (calldata[i] != 0) {
        throw new MalformedMessageException("TIP-20 recipient has non-zero padding");
      }
    }
    Address to = Address.of(Arrays.copyOfRange(calldata, 16, 36));
    BigInteger amount = new BigInteger(1, Arrays.copyOfRange(calldata, 36, 68));
    byte[] memo = withMemo ? Arrays.copyOfRange(calldata, 68, 100) : null;
    return Optional.of(new Tip20Call(to, amount, memo));
  }

  /** True for {@code transferWithMemo}. */
  public boolean hasMemo() {
    return memo != null;
  }

  /** A copy of the memo, or {@code null}. */
  @Override
  public byte @Nullable [] memo() {
    return memo == null ? null : memo.clone();
  }

  /** The ABI calldata. */
  public byte[] encode() {
    byte[] out = new byte[memo == null ? 68 : 100];
    int sel = memo == null ? TRANSFER_SELECTOR : TRANSFER_WITH_MEMO_SELECTOR;
    out[0] = (byte) (sel >>> 24);
    out[1] = (byte) (sel >>> 16);
    out[2] = (byte) (sel >>> 8);
    out[3] = (byte) sel;
    System.arraycopy(recipient.toBytes(), 0, out, 16, 20);
    BigIntegers.asUnsignedByteArray(amount, out, 36, 32);
    if (memo != null) {
      System.arraycopy(memo, 0, out, 68, 32);
    }
    return out;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Tip20Call c
        && recipient.equals(c.recipient)
        && amount.equals(c.amount)
        && Arrays.equals(memo, c.memo);
  }

  @Override
  public int hashCode() {
    return Objects.hash(recipient, amount, Arrays.hashCode(memo));
  }

  @Override
  public String toString() {
    return "Tip20Call[recipient="
        + recipient
        + ", amount="
        + amount
        + (memo == null ? "" : ", memo=" + Hex.encode(memo))
        + "]";
  }
}
