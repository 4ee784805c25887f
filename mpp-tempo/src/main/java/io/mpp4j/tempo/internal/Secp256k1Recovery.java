package io.mpp4j.tempo.internal;

import java.math.BigInteger;
import org.bouncycastle.util.BigIntegers;
import org.jspecify.annotations.Nullable;

/**
 * secp256k1 public-key recovery on {@link FieldElement} and {@link JacobianPoint}: variable-time
 * code for public inputs (a signature and a hash), never for private keys.
 *
 * <p>{@code Q = u1·G + u2·R} with {@code u1 = -e/r} and {@code u2 = s/r} is one interleaved
 * (Strauss) double multiplication. Both scalars are split with the GLV endomorphism {@code λ·(x, y)
 * = (βx, y)} into halves of about 128 bits, so the loop has about 129 doublings. The halves of
 * {@code u2} use width-{@value #W_R} wNAF over odd multiples of {@code R}, built per call on an
 * isomorphic curve where they are affine without an inversion; the halves of {@code u1} use
 * width-{@value #W_G} wNAF over a table of affine odd multiples of {@code G} and of {@code λG}
 * built once. All additions are therefore Jacobian-plus-affine. One inversion (for the result) and
 * one square root (to lift {@code r}) remain.
 */
final class Secp256k1Recovery {
  /** The group order. */
  static final BigInteger N =
      new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);

  static final BigInteger GX =
      new BigInteger("79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798", 16);
  static final BigInteger GY =
      new BigInteger("483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8", 16);

  /** A cube root of unity mod p; {@code (βx, y) = λ·(x, y)} for the {@link #LAMBDA} below. */
  static final BigInteger BETA =
      new BigInteger("7AE96A2B657C07106E64479EAC3434E99CF0497512F58995C1396C28719501EE", 16);

  /** A cube root of unity mod n. */
  static final BigInteger LAMBDA =
      new BigInteger("5363AD4CC05C30E0A5261C028812645A122E22EA20816678DF02967C1B23BD72", 16);

  // A short basis of the lattice {(a, b) : a + bλ ≡ 0 (mod n)}: (A1, B1) and (A2, B2) with B2 = A1.
  static final BigInteger A1 = new BigInteger("3086D221A7D46BCDE86C90E49284EB15", 16);
  static final BigInteger B1 = new BigInteger("-E4437ED6010E88286F547FA90ABFE4C3", 16);
  static final BigInteger A2 = new BigInteger("114CA50F7A8E2F3F657C1108D9D44CFD8", 16);
  static final BigInteger B2 = A1;

  // round(2^384·B2/n) and round(2^384·(-B1)/n), so that c = round(k·B/n) is (k·G + 2^383) >> 384.
  private static final int SHIFT = 384;
  private static final BigInteger G1 = roundDiv(B2.shiftLeft(SHIFT), N);
  private static final BigInteger G2 = roundDiv(B1.negate().shiftLeft(SHIFT), N);
  private static final BigInteger HALF = BigInteger.ONE.shiftLeft(SHIFT - 1);

  /** wNAF width for the per-call multiples of R: 2^(W_R - 2) = 8 odd multiples. */
  static final int W_R = 5;

  /** wNAF width for the fixed multiples of G: 2^(W_G - 2) = 256 odd multiples (and their βx). */
  static final int W_G = 10;

  private static final FieldElement BETA_FE = FieldElement.of(BETA);
  private static final FieldElement SEVEN = FieldElement.of(7);
  private static final FieldElement ONE = FieldElement.of(1);

  private static final FieldElement[] G_X;
  private static final FieldElement[] G_Y;
  private static final FieldElement[] G_BETA_X;

  static {
    int count = 1 << (W_G - 2);
    G_X = new FieldElement[count];
    G_Y = new FieldElement[count];
    G_BETA_X = new FieldElement[count];
    oddMultiples(FieldElement.of(GX), FieldElement.of(GY), G_X, G_Y);
    for (int i = 0; i < count; i++) {
      G_BETA_X[i] = new FieldElement();
      FieldElement.mul(G_BETA_X[i], G_X[i], BETA_FE);
      FieldElement.normalize(G_X[i]);
      FieldElement.normalize(G_Y[i]);
      FieldElement.normalize(G_BETA_X[i]);
    }
  }

  private Secp256k1Recovery() {}

  private static BigInteger roundDiv(BigInteger a, BigInteger b) {
    return a.add(b.shiftRight(1)).divide(b);
  }

  /**
   * Recovers the 64-byte public key {@code x || y} from a signature over a 32-byte hash, or returns
   * {@code null} if {@code r} or {@code s} is outside {@code [1, n)}, {@code r} is not the x
   * coordinate of a curve point, or the result is the identity. The caller enforces low-s.
   *
   * @param yParity the parity of R's y coordinate, 0 or 1
   */
  static byte @Nullable [] recoverPublicKey(byte[] hash, BigInteger r, BigInteger s, int yParity) {
    if (hash.length != 32 || (yParity != 0 && yParity != 1)) {
      return null;
    }
    if (r.signum() <= 0 || r.compareTo(N) >= 0 || s.signum() <= 0 || s.compareTo(N) >= 0) {
      return null;
    }
    // Lift x = r (r < n < p) to R = (x, y) with y of the given parity.
    FieldElement rx = FieldElement.of(r);
    FieldElement ry = new FieldElement();
    FieldElement alpha = new FieldElement();
    FieldElement.sqr(alpha, rx);
    FieldElement.mul(alpha, alpha, rx);
    FieldElement.add(alpha, alpha, SEVEN);
    if (!FieldElement.sqrt(ry, alpha)) {
      return null;
    }
    if (FieldElement.isOdd(ry) != (yParity == 1)) {
      FieldElement.neg(ry, ry);
    }
    BigInteger e = new BigInteger(1, hash).mod(N);
    BigInteger rInv = BigIntegers.modOddInverseVar(N, r);
    BigInteger u1 = N.subtract(e).multiply(rInv).mod(N);
    BigInteger u2 = s.multiply(rInv).mod(N);

    JacobianPoint q = linearCombination(u1, u2, rx, ry);
    FieldElement qx = new FieldElement();
    FieldElement qy = new FieldElement();
    if (!q.toAffine(qx, qy)) {
      return null;
    }
    byte[] out = new byte[64];
    FieldElement.getBytes(qx, out, 0);
    FieldElement.getBytes(qy, out, 32);
    return out;
  }

  /**
   * {@code u1·G + u2·R} for scalars in {@code [0, n)} and an affine curve point {@code R}, as a
   * Jacobian point (possibly the identity).
   *
   * <p>The multiples of {@code R} come from {@link #oddMultiplesSharedZ} as affine points on a
   * curve isomorphic to secp256k1 by {@code (x, y) ↦ (c²x, c³y)}; the ladder runs on that curve,
   * adds the multiples of {@code G} through {@link JacobianPoint#addAffineScaled}, and multiplies
   * the final {@code Z} by {@code c} to come back. This avoids an inversion per call for the table.
   */
  static JacobianPoint linearCombination(
      BigInteger u1, BigInteger u2, FieldElement rx, FieldElement ry) {
    int tableSize = 1 << (W_R - 2);
    FieldElement[] tx = new FieldElement[tableSize];
    FieldElement[] ty = new FieldElement[tableSize];
    FieldElement c = new FieldElement();
    oddMultiplesSharedZ(rx, ry, tx, ty, c);
    FieldElement[] tbx = new FieldElement[tableSize];
    for (int i = 0; i < tableSize; i++) {
      tbx[i] = new FieldElement();
      FieldElement.mul(tbx[i], tx[i], BETA_FE);
    }
    FieldElement c2 = new FieldElement();
    FieldElement c3 = new FieldElement();
    FieldElement.sqr(c2, c);
    FieldElement.mul(c3, c2, c);

    BigInteger[] g = split(u1);
    BigInteger[] h = split(u2);
    int len =
        Math.max(
                Math.max(g[0].bitLength(), g[1].bitLength()),
                Math.max(h[0].bitLength(), h[1].bitLength()))
            + 1;
    int[] wg1 = wnaf(g[0], W_G, len);
    int[] wg2 = wnaf(g[1], W_G, len);
    int[] wr1 = wnaf(h[0], W_R, len);
    int[] wr2 = wnaf(h[1], W_R, len);

    JacobianPoint acc = new JacobianPoint();
    for (int i = len - 1; i >= 0; i--) {
      acc.dbl();
      int d = wr1[i];
      if (d != 0) {
        acc.addAffine(tx[Math.abs(d) >> 1], ty[Math.abs(d) >> 1], d < 0);
      }
      d = wr2[i];
      if (d != 0) {
        acc.addAffine(tbx[Math.abs(d) >> 1], ty[Math.abs(d) >> 1], d < 0);
      }
      d = wg1[i];
      if (d != 0) {
        acc.addAffineScaled(G_X[Math.abs(d) >> 1], G_Y[Math.abs(d) >> 1], d < 0, c, c2, c3);
      }
      d = wg2[i];
      if (d != 0) {
        acc.addAffineScaled(G_BETA_X[Math.abs(d) >> 1], G_Y[Math.abs(d) >> 1], d < 0, c, c2, c3);
      }
    }
    if (!acc.infinity) {
      FieldElement.mul(acc.z, acc.z, c);
    }
    return acc;
  }

  /**
   * Splits {@code k} into {@code {k1, k2}} with {@code k ≡ k1 + k2·λ (mod n)} and both about 128
   * bits (signed). The identity holds for any rounding; rounding only keeps the halves short.
   */
  static BigInteger[] split(BigInteger k) {
    BigInteger c1 = k.multiply(G1).add(HALF).shiftRight(SHIFT);
    BigInteger c2 = k.multiply(G2).add(HALF).shiftRight(SHIFT);
    BigInteger k1 = k.subtract(c1.multiply(A1)).subtract(c2.multiply(A2));
    BigInteger k2 = c1.multiply(B1).add(c2.multiply(B2)).negate();
    return new BigInteger[] {k1, k2};
  }

  /**
   * The width-{@code w} non-adjacent form of {@code k}: {@code k = Σ d_i·2^i} with every non-zero
   * digit odd, {@code |d_i| < 2^(w-1)}, and at least {@code w - 1} zeros after each non-zero digit.
   * The result has {@code len} digits, which must be at least {@code k.bitLength() + 1}.
   */
  static int[] wnaf(BigInteger k, int w, int len) {
    if (len < k.bitLength() + 1) {
      throw new IllegalArgumentException("len must be > bitLength, but was " + len);
    }
    int[] out = new int[len];
    int sign = k.signum() < 0 ? -1 : 1;
    BigInteger mag = k.abs();
    long[] words = new long[(len + 63) / 64 + 1];
    for (int i = 0; i < words.length && mag.signum() != 0; i++) {
      words[i] = mag.longValue();
      mag = mag.shiftRight(64);
    }
    int carry = 0;
    int bit = 0;
    while (bit < len) {
      if (bitAt(words, bit) == carry) {
        bit++;
        continue;
      }
      int now = Math.min(w, len - bit);
      int word = bits(words, bit, now) + carry;
      carry = (word >>> (w - 1)) & 1;
      word -= carry << w;
      out[bit] = sign * word;
      bit += now;
    }
    if (carry != 0) {
      throw new IllegalStateException("wNAF carry out of range");
    }
    return out;
  }

  private static int bitAt(long[] words, int bit) {
    return (int) (words[bit >>> 6] >>> (bit & 63)) & 1;
  }

  /** {@code count <= 31} bits of {@code words} from {@code bit} up. */
  private static int bits(long[] words, int bit, int count) {
    int i = bit >>> 6;
    int sh = bit & 63;
    long v = words[i] >>> sh;
    if (sh + count > 64) {
      v |= words[i + 1] << (64 - sh);
    }
    return (int) (v & ((1L << count) - 1));
  }

  /**
   * Fills {@code outX/outY} with the affine odd multiples {@code P, 3P, 5P, …} of the affine point
   * {@code P = (px, py)}.
   *
   * <p>With {@code D = 2P = (X_D, Y_D, Z_D)}, the map {@code (x, y) ↦ (Z_D²x, Z_D³y)} carries the
   * curve to an isomorphic one on which {@code D} is the affine point {@code (X_D, Y_D)}; the
   * multiples are built there with mixed additions, then all brought back to affine with one
   * batched inversion of {@code Z_i·Z_D}.
   */
  static void oddMultiples(
      FieldElement px, FieldElement py, FieldElement[] outX, FieldElement[] outY) {
    int count = outX.length;
    JacobianPoint d = new JacobianPoint();
    d.setAffine(px, py, false);
    d.dbl();
    FieldElement dz = d.z;
    FieldElement dz2 = new FieldElement();
    FieldElement dz3 = new FieldElement();
    FieldElement.sqr(dz2, dz);
    FieldElement.mul(dz3, dz2, dz);
    FieldElement sx = new FieldElement();
    FieldElement sy = new FieldElement();
    FieldElement.mul(sx, px, dz2);
    FieldElement.mul(sy, py, dz3);

    JacobianPoint t = new JacobianPoint();
    t.setAffine(sx, sy, false);
    FieldElement[] zs = new FieldElement[count];
    for (int i = 0; i < count; i++) {
      outX[i] = new FieldElement(t.x);
      outY[i] = new FieldElement(t.y);
      zs[i] = new FieldElement();
      FieldElement.mul(zs[i], t.z, dz);
      if (i + 1 < count) {
        t.addAffine(d.x, d.y, false);
      }
    }
    batchInvert(zs);
    FieldElement zi2 = new FieldElement();
    for (int i = 0; i < count; i++) {
      FieldElement.sqr(zi2, zs[i]);
      FieldElement.mul(outX[i], outX[i], zi2);
      FieldElement.mul(zi2, zi2, zs[i]);
      FieldElement.mul(outY[i], outY[i], zi2);
    }
  }

  /**
   * Fills {@code outX/outY} with the odd multiples {@code P, 3P, 5P, …} of the affine point {@code
   * P = (px, py)}, as affine points on the curve isomorphic to secp256k1 by {@code (x, y) ↦ (c²x,
   * c³y)}, and sets {@code c}. No inversion is needed.
   *
   * <p>With {@code D = 2P = (X_D, Y_D, Z_D)}, scaling by {@code Z_D} makes {@code D} the affine
   * point {@code (X_D, Y_D)}, so the multiples are built with mixed additions. They then have
   * different {@code Z_i}, related by the known ratios {@code Z_(i+1) = Z_i·H_i}; each is rescaled
   * to the last one's {@code Z}, and that common {@code Z} is dropped (a second scaling), so {@code
   * c = Z_D·Z_last}.
   */
  static void oddMultiplesSharedZ(
      FieldElement px, FieldElement py, FieldElement[] outX, FieldElement[] outY, FieldElement c) {
    int count = outX.length;
    JacobianPoint d = new JacobianPoint();
    d.setAffine(px, py, false);
    d.dbl();
    FieldElement zd2 = new FieldElement();
    FieldElement zd3 = new FieldElement();
    FieldElement.sqr(zd2, d.z);
    FieldElement.mul(zd3, zd2, d.z);
    FieldElement sx = new FieldElement();
    FieldElement sy = new FieldElement();
    FieldElement.mul(sx, px, zd2);
    FieldElement.mul(sy, py, zd3);

    JacobianPoint t = new JacobianPoint();
    t.setAffine(sx, sy, false);
    FieldElement[] ratio = new FieldElement[count];
    for (int i = 0; i < count; i++) {
      outX[i] = new FieldElement(t.x);
      outY[i] = new FieldElement(t.y);
      if (i + 1 < count) {
        ratio[i] = new FieldElement();
        // (2i+1)P = ±2P only if n divides 2i+1 ∓ 2, impossible for these small i.
        if (!t.addAffine(d.x, d.y, false, ratio[i])) {
          throw new IllegalStateException("odd multiple coincides with 2P");
        }
      }
    }
    FieldElement rho = new FieldElement(ONE);
    FieldElement rho2 = new FieldElement();
    FieldElement rho3 = new FieldElement();
    for (int i = count - 2; i >= 0; i--) {
      FieldElement.mul(rho, rho, ratio[i]); // Z_last / Z_i
      FieldElement.sqr(rho2, rho);
      FieldElement.mul(rho3, rho2, rho);
      FieldElement.mul(outX[i], outX[i], rho2);
      FieldElement.mul(outY[i], outY[i], rho3);
    }
    FieldElement.mul(c, d.z, t.z);
  }

  /** Replaces every (non-zero) element by its inverse, with one field inversion. */
  static void batchInvert(FieldElement[] a) {
    int n = a.length;
    FieldElement[] prefix = new FieldElement[n];
    prefix[0] = new FieldElement(a[0]);
    for (int i = 1; i < n; i++) {
      prefix[i] = new FieldElement();
      FieldElement.mul(prefix[i], prefix[i - 1], a[i]);
    }
    FieldElement inv = new FieldElement();
    FieldElement.inv(inv, prefix[n - 1]);
    FieldElement tmp = new FieldElement();
    for (int i = n - 1; i > 0; i--) {
      FieldElement.mul(tmp, inv, prefix[i - 1]); // 1/a[i]
      FieldElement.mul(inv, inv, a[i]); // 1/(a[0]…a[i-1])
      FieldElement.set(a[i], tmp);
    }
    FieldElement.set(a[0], inv);
  }
}
