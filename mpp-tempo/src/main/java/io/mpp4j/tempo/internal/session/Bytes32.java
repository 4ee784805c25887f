package io.mpp4j.tempo.internal.session;

import io.mpp4j.core.MalformedMessageException;
import io.mpp4j.tempo.internal.Hex;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An ABI {@code bytes32} value: a channel id, a salt or an {@code expiringNonceHash}. Compared as
 * bytes, so the case of its hex form never matters; {@link #toHex()} is lower-case (the form SPEC
 * 4.7 keys channel state by).
 *
 * <p>Immutable and thread-safe.
 */
public final class Bytes32 {
  /** Length in bytes. */
  public static final int LENGTH = 32;

  private final byte[] bytes;

  private Bytes32(byte[] bytes) {
    this.bytes = bytes;
  }

  /**
   * Wraps 32 bytes (copied).
   *
   * @throws IllegalArgumentException if {@code bytes} is not 32 bytes long
   */
  public static Bytes32 of(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes == null");
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException("bytes32 must be 32 bytes, but was " + bytes.length);
    }
    return new Bytes32(bytes.clone());
  }

  /**
   * Parses {@code 0x} plus exactly 64 hex digits in either case.
   *
   * @param what names the field in error messages
   * @throws MalformedMessageException if the text is not 32 bytes of hex
   */
  public static Bytes32 parse(String hex, String what) throws MalformedMessageException {
    Objects.requireNonNull(hex, "hex == null");
    byte[] b = Hex.decode(hex, LENGTH, what);
    if (b.length != LENGTH) {
      throw new MalformedMessageException(what + " must be 32 bytes");
    }
    return new Bytes32(b);
  }

  /** A copy of the 32 bytes. */
  public byte[] toBytes() {
    return bytes.clone();
  }

  /** Copies the 32 bytes into {@code out} at {@code offset}. */
  void copyTo(byte[] out, int offset) {
    System.arraycopy(bytes, 0, out, offset, LENGTH);
  }

  /** Lower-case {@code 0x}-prefixed hex. */
  public String toHex() {
    return Hex.encode(bytes);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Bytes32 other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return toHex();
  }
}
