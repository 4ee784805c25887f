package io.mpp4j.tempo.internal;

import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECMultiplier;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.util.BigIntegers;
import org.jspecify.annotations.Nullable;

/**
 * secp256k1 for Tempo: public-key recovery and RFC 6979 signing.
 *
 * <p>Recovery (public inputs only) runs on the dedicated variable-time code in {@link
 * Secp256k1Recovery}. Signing and public-key derivation, which handle private keys, stay on Bouncy
 * Castle's fixed-point comb multiplier.
 */
public final class Secp256k1 {
  private static final X9ECParameters PARAMS = CustomNamedCurves.getByName("secp256k1");
  private static final ECPoint G = PARAMS.getG();

  /** The group order n. */
  public static final BigInteger N = PARAMS.getN();

  /** n / 2: the largest accepted {@code s}. */
  public static final BigInteger HALF_N = N.shiftRight(1);

  private static final ECMultiplier FIXED = new FixedPointCombMultiplier();

  static {
    FIXED.multiply(G, BigInteger.ONE); // build the comb table used for signing once
  }

  private Secp256k1() {}

  /** True if {@code 1 <= r < n} and {@code 1 <= s <= n/2}. */
  public static boolean isValidLowS(BigInteger r, BigInteger s) {
    return r.signum() > 0 && r.compareTo(N) < 0 && s.signum() > 0 && s.compareTo(HALF_N) <= 0;
  }

  /**
   * Recovers the 20-byte address that signed {@code hash}, or {@code null} if the signature is out
   * of range, high-s, or recovers no point.
   */
  public static byte @Nullable [] recoverAddress(
      byte[] hash, BigInteger r, BigInteger s, int yParity) {
    byte[] pub = recoverPublicKey(hash, r, s, yParity);
    return pub == null ? null : address(pub);
  }

  /**
   * Recovers the 64-byte uncompressed public key (x || y, no 0x04 prefix), or {@code null} if the
   * signature is out of range, high-s, {@code r} is not the x coordinate of a curve point, or the
   * key would be the identity.
   */
  public static byte @Nullable [] recoverPublicKey(
      byte[] hash, BigInteger r, BigInteger s, int yParity) {
    if (hash.length != 32 || (yParity != 0 && yParity != 1) || !isValidLowS(r, s)) {
      return null;
    }
    return Secp256k1Recovery.recoverPublicKey(hash, r, s, yParity);
  }

  /** The Ethereum address of a 64-byte public key: the last 20 bytes of its keccak256. */
  public static byte[] address(byte[] publicKey64) {
    byte[] h = Keccak.hash(publicKey64);
    return Arrays.copyOfRange(h, 12, 32);
  }

  /** The 64-byte public key of a private key. */
  public static byte[] publicKey(BigInteger privateKey) {
    ECPoint p = FIXED.multiply(G, privateKey).normalize();
    byte[] out = new byte[64];
    BigIntegers.asUnsignedByteArray(p.getAffineXCoord().toBigInteger(), out, 0, 32);
    BigIntegers.asUnsignedByteArray(p.getAffineYCoord().toBigInteger(), out, 32, 32);
    return out;
  }

  /** True if {@code 1 <= d < n}. */
  public static boolean isValidPrivateKey(BigInteger d) {
    return d.signum() > 0 && d.compareTo(N) < 0;
  }

  /**
   * Signs a 32-byte hash with a deterministic RFC 6979 (HMAC-SHA256) nonce and returns {@code {r,
   * s, yParity}} with {@code s} normalized to the lower half of the order.
   */
  public static BigInteger[] sign(byte[] hash, BigInteger d) {
    if (hash.length != 32) {
      throw new IllegalArgumentException("hash must be 32 bytes, but was " + hash.length);
    }
    BigInteger e = new BigInteger(1, hash);
    HMacDSAKCalculator kCalc = new HMacDSAKCalculator(new SHA256Digest());
    kCalc.init(N, d, hash);
    while (true) {
      BigInteger k = kCalc.nextK();
      ECPoint bigR = FIXED.multiply(G, k).normalize();
      BigInteger rx = bigR.getAffineXCoord().toBigInteger();
      if (rx.compareTo(N) >= 0) {
        continue; // recovery id would need the x-overflow bit; practically unreachable
      }
      BigInteger r = rx;
      if (r.signum() == 0) {
        continue;
      }
      BigInteger s = BigIntegers.modOddInverse(N, k).multiply(e.add(d.multiply(r))).mod(N);
      if (s.signum() == 0) {
        continue;
      }
      int parity = bigR.getAffineYCoord().testBitZero() ? 1 : 0;
      if (s.compareTo(HALF_N) > 0) {
        s = N.subtract(s);
        parity ^= 1;
      }
      return new BigInteger[] {r, s, BigInteger.valueOf(parity)};
    }
  }
}
