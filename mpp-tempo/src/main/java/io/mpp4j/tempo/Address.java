package io.mpp4j.tempo;

import io.mpp4j.core.MalformedMessageException;
import io.mpp4j.tempo.internal.Hex;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A 20-byte account or contract address. Compared as bytes, so case and EIP-55 checksums never
 * matter.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * Address pathUsd = Address.parse("0x20c0000000000000000000000000000000000000");
 * }</pre>
 */
public final class Address {
  /** Length of an address in bytes. */
  public static final int LENGTH = 20;

  private final byte[] bytes;

  private Address(byte[] bytes) {
    this.bytes = bytes;
  }

  /**
   * Wraps 20 bytes (copied).
   *
   * @throws IllegalArgumentException if {@code bytes} is not 20 bytes long
   */
  public static Address of(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes == null");
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException("address must be 20 bytes, but was " + bytes.length);
    }
    return new Address(bytes.clone());
  }

  /**
   * Parses {@code 0x} plus 40 hex digits in any case. The EIP-55 checksum is not checked.
   *
   * @throws MalformedMessageException if the text is not a 20-byte hex address
   */
  public static Address parse(String hex) throws MalformedMessageException {
    Objects.requireNonNull(hex, "hex == null");
    byte[] b = Hex.decode(hex, LENGTH, "address");
    if (b.length != LENGTH) {
      throw new MalformedMessageException("address must be 20 bytes");
    }
    return new Address(b);
  }

  /** A copy of the 20 bytes. */
  public byte[] toBytes() {
    return bytes.clone();
  }

  /** Lower-case {@code 0x}-prefixed hex. */
  public String toHex() {
    return Hex.encode(bytes);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Address a && Arrays.equals(bytes, a.bytes);
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
