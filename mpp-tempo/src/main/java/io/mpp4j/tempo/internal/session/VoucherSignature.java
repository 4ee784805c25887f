package io.mpp4j.tempo.internal.session;

import io.mpp4j.core.MalformedMessageException;
import io.mpp4j.tempo.Address;
import io.mpp4j.tempo.internal.Hex;
import io.mpp4j.tempo.internal.Secp256k1Signature;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A voucher signature as v2 sessions accept it (SPEC 4.4, 11.3): exactly 65 bytes {@code r || s ||
 * v} with {@code v} 27 or 28, {@code r} in {@code [1, n)} and {@code s} in {@code [1, n/2]} (low-s
 * only). Everything is checked when parsing, before any elliptic-curve work; 64-byte EIP-2098,
 * {@code v} 0/1, high-s and the P-256/WebAuthn envelopes are refused.
 *
 * <p>Immutable and thread-safe. {@link #toString()} does not show the signature.
 */
public final class VoucherSignature {
  /** The only accepted length. */
  public static final int LENGTH = 65;

  private final byte[] bytes;
  private final Secp256k1Signature signature;

  private VoucherSignature(byte[] bytes, Secp256k1Signature signature) {
    this.bytes = bytes;
    this.signature = signature;
  }

  /**
   * Parses {@code 0x} plus 130 hex digits. The length is checked before the hex is decoded.
   *
   * @throws MalformedMessageException if the text is not a valid signature as described above
   */
  public static VoucherSignature parse(String hex) throws MalformedMessageException {
    Objects.requireNonNull(hex, "hex == null");
    if (hex.length() != 2 + 2 * LENGTH) {
      throw new MalformedMessageException("voucher signature must be 65 bytes of 0x-hex");
    }
    return of(Hex.decode(hex, LENGTH, "voucher signature"));
  }

  /**
   * Reads 65 bytes {@code r || s || v}.
   *
   * @throws MalformedMessageException if the bytes are not a valid signature as described above
   */
  public static VoucherSignature of(byte[] sig) throws MalformedMessageException {
    Objects.requireNonNull(sig, "sig == null");
    if (sig.length != LENGTH) {
      throw new MalformedMessageException("voucher signature must be 65 bytes");
    }
    int v = sig[64] & 0xff;
    if (v != 27 && v != 28) {
      throw new MalformedMessageException("voucher signature v must be 27 or 28");
    }
    BigInteger r = new BigInteger(1, Arrays.copyOfRange(sig, 0, 32));
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(sig, 32, 64));
    // Range and low-s checks (s <= n/2) happen here, before any recovery.
    Secp256k1Signature parsed = Secp256k1Signature.of(r, s, v - 27);
    return new VoucherSignature(sig.clone(), parsed);
  }

  /** Wraps a signature made by this project's signer (always low-s), as {@code v = 27/28}. */
  public static VoucherSignature of(Secp256k1Signature signature) {
    Objects.requireNonNull(signature, "signature == null");
    return new VoucherSignature(signature.toBytes65(), signature);
  }

  /**
   * Recovers the signer of a 32-byte digest.
   *
   * @return the signer, or empty if no public key recovers
   */
  public Optional<Address> recoverSigner(byte[] digest) {
    return signature.recoverAddress(digest);
  }

  /** A copy of the 65 bytes. */
  public byte[] toBytes() {
    return bytes.clone();
  }

  /** Lower-case {@code 0x}-prefixed hex of the 65 bytes. */
  public String toHex() {
    return Hex.encode(bytes);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof VoucherSignature other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "VoucherSignature[65 bytes]";
  }
}
