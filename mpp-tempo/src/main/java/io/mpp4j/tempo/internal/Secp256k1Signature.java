package io.mpp4j.tempo.internal;

import io.mpp4j.core.MalformedMessageException;
import io.mpp4j.tempo.Address;
import java.math.BigInteger;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.util.BigIntegers;

/**
 * A recoverable secp256k1 signature {@code (r, s, yParity)} in canonical low-s form.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * Secp256k1Signature sig = Secp256k1Signature.parse65(bytes);
 * Optional<Address> signer = sig.recoverAddress(hash);
 * }</pre>
 *
 * @param r in {@code [1, n)}
 * @param s in {@code [1, n/2]} (high-s signatures are refused)
 * @param yParity 0 or 1
 */
public record Secp256k1Signature(BigInteger r, BigInteger s, int yParity) {

  /** Validates the ranges. */
  public Secp256k1Signature {
    Objects.requireNonNull(r, "r == null");
    Objects.requireNonNull(s, "s == null");
    if (yParity != 0 && yParity != 1) {
      throw new IllegalArgumentException("yParity must be 0 or 1, but was " + yParity);
    }
    if (!Secp256k1.isValidLowS(r, s)) {
      throw new IllegalArgumentException("r must be in [1, n) and s in [1, n/2]");
    }
  }

  /**
   * Reads the 65-byte {@code r || s || v} form, with {@code v} in {0, 1, 27, 28}.
   *
   * @throws MalformedMessageException for a wrong length, bad {@code v}, out-of-range {@code r} or
   *     {@code s}, or a high-s signature
   */
  public static Secp256k1Signature parse65(byte[] sig) throws MalformedMessageException {
    Objects.requireNonNull(sig, "sig == null");
    if (sig.length != 65) {
      throw new MalformedMessageException("secp256k1 signature must be 65 bytes");
    }
    int v = sig[64] & 0xff;
    int parity;
    if (v == 0 || v == 1) {
      parity = v;
    } else if (v == 27 || v == 28) {
      parity = v - 27;
    } else {
      throw new MalformedMessageException("secp256k1 signature v must be 0, 1, 27 or 28");
    }
    return of(
        new BigInteger(1, java.util.Arrays.copyOfRange(sig, 0, 32)),
        new BigInteger(1, java.util.Arrays.copyOfRange(sig, 32, 64)),
        parity);
  }

  /**
   * Builds a signature from untrusted parts.
   *
   * @throws MalformedMessageException if a part is out of range or {@code s} is high
   */
  public static Secp256k1Signature of(BigInteger r, BigInteger s, int yParity)
      throws MalformedMessageException {
    if (yParity != 0 && yParity != 1) {
      throw new MalformedMessageException("signature yParity must be 0 or 1");
    }
    if (r.signum() <= 0 || r.compareTo(Secp256k1.N) >= 0) {
      throw new MalformedMessageException("signature r is out of range");
    }
    if (s.signum() <= 0 || s.compareTo(Secp256k1.N) >= 0) {
      throw new MalformedMessageException("signature s is out of range");
    }
    if (s.compareTo(Secp256k1.HALF_N) > 0) {
      throw new MalformedMessageException("signature s is high (s > n/2 is not canonical)");
    }
    return new Secp256k1Signature(r, s, yParity);
  }

  /** The canonical 65-byte form {@code r || s || v} with {@code v = 27 + yParity}. */
  public byte[] toBytes65() {
    byte[] out = new byte[65];
    BigIntegers.asUnsignedByteArray(r, out, 0, 32);
    BigIntegers.asUnsignedByteArray(s, out, 32, 32);
    out[64] = (byte) (27 + yParity);
    return out;
  }

  /**
   * Recovers the address that produced this signature over a 32-byte hash.
   *
   * @return the signer, or empty if no public key recovers (an invalid signature)
   */
  public Optional<Address> recoverAddress(byte[] hash) {
    Objects.requireNonNull(hash, "hash == null");
    if (hash.length != 32) {
      throw new IllegalArgumentException("hash must be 32 bytes, but was " + hash.length);
    }
    byte[] a = Secp256k1.recoverAddress(hash, r, s, yParity);
    return a == null ? Optional.empty() : Optional.of(Address.of(a));
  }
}
