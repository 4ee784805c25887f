package io.mpp4j.tempo.internal;

import java.math.BigInteger;
import org.bouncycastle.math.raw.Mod;

/**
 * A mutable element of the secp256k1 base field, {@code p = 2^256 - 2^32 - 977}, for the
 * variable-time public-key recovery in {@link Secp256k1Recovery}. Not for secret data: the
 * operations branch on values.
 *
 * <p>Five 52-bit limbs, {@code value = n0 + n1·2^52 + n2·2^104 + n3·2^156 + n4·2^208}. Every
 * operation except the {@code …Lazy} ones leaves its result <em>weakly normalized</em>: {@code n0 <
 * 2^52 + 2^47}, {@code n1, n2, n3 < 2^52}, {@code n4 < 2^48}, so the value is below {@code 2^256 +
 * 2^47 < 2p} but may still be {@code >= p}. {@link #normalize} makes it canonical. The lazy
 * operations skip the carry pass and leave limbs below 2^54, which only {@link #mul} and {@link
 * #sqr} accept.
 *
 * <p>A limb product {@code P = a·b < 2^108} is formed as the 128-bit product of {@code a} and
 * {@code b·2^9}: {@link Math#multiplyHigh} (both operands are non-negative and below 2^63, so the
 * signed high half is the unsigned one) gives {@code P >> 55}, and the low half shifted right by 9
 * gives {@code P mod 2^55}. Each column keeps the two parts in separate sums, which cannot
 * overflow, so no carries are handled until the column sums are reduced.
 *
 * <p>Operations are static, take the destination first, and allow the destination to alias any
 * operand.
 */
final class FieldElement {
  static final long M = 0xFFFFFFFFFFFFFL; // 2^52 - 1
  static final long M48 = 0xFFFFFFFFFFFFL; // 2^48 - 1

  /** {@code 2^256 mod p}. */
  static final long R256 = 0x1000003D1L;

  // p in 52-bit limbs.
  static final long P0 = 0xFFFFEFFFFFC2FL;
  static final long P1 = M;
  static final long P2 = M;
  static final long P3 = M;
  static final long P4 = M48;

  /** The field prime. */
  static final BigInteger P =
      BigInteger.ONE.shiftLeft(256).subtract(BigInteger.valueOf(0x1000003D1L));

  long n0;
  long n1;
  long n2;
  long n3;
  long n4;

  FieldElement() {}

  FieldElement(FieldElement a) {
    set(this, a);
  }

  static FieldElement of(long v) {
    if (v < 0) {
      throw new IllegalArgumentException("v must be >= 0, but was " + v);
    }
    FieldElement r = new FieldElement();
    r.n0 = v & M;
    r.n1 = v >>> 52;
    return r;
  }

  /** The element of a non-negative integer below 2^256 (it need not be below p). */
  static FieldElement of(BigInteger v) {
    if (v.signum() < 0 || v.bitLength() > 256) {
      throw new IllegalArgumentException(
          "v must be in [0, 2^256), but has " + v.bitLength() + " bits");
    }
    FieldElement r = new FieldElement();
    r.n0 = v.longValue() & M;
    r.n1 = v.shiftRight(52).longValue() & M;
    r.n2 = v.shiftRight(104).longValue() & M;
    r.n3 = v.shiftRight(156).longValue() & M;
    r.n4 = v.shiftRight(208).longValue() & M48;
    return r;
  }

  /** Sets raw limbs; for tests of non-normalized inputs. */
  static FieldElement ofLimbs(long n0, long n1, long n2, long n3, long n4) {
    FieldElement r = new FieldElement();
    r.n0 = n0;
    r.n1 = n1;
    r.n2 = n2;
    r.n3 = n3;
    r.n4 = n4;
    return r;
  }

  /** The value of the limbs as they are (not reduced mod p). */
  BigInteger toBigIntegerRaw() {
    return BigInteger.valueOf(n4)
        .shiftLeft(52)
        .add(BigInteger.valueOf(n3))
        .shiftLeft(52)
        .add(BigInteger.valueOf(n2))
        .shiftLeft(52)
        .add(BigInteger.valueOf(n1))
        .shiftLeft(52)
        .add(BigInteger.valueOf(n0));
  }

  /** The canonical value in {@code [0, p)}. */
  BigInteger toBigInteger() {
    FieldElement c = new FieldElement(this);
    normalize(c);
    return c.toBigIntegerRaw();
  }

  /** Reads 32 big-endian bytes (any value below 2^256). */
  static void setBytes(FieldElement r, byte[] b, int off) {
    long w3 = be64(b, off);
    long w2 = be64(b, off + 8);
    long w1 = be64(b, off + 16);
    long w0 = be64(b, off + 24);
    r.n0 = w0 & M;
    r.n1 = ((w0 >>> 52) | (w1 << 12)) & M;
    r.n2 = ((w1 >>> 40) | (w2 << 24)) & M;
    r.n3 = ((w2 >>> 28) | (w3 << 36)) & M;
    r.n4 = w3 >>> 16;
  }

  /** Writes the canonical value as 32 big-endian bytes; {@code a} is normalized in place. */
  static void getBytes(FieldElement a, byte[] out, int off) {
    normalize(a);
    long w0 = a.n0 | (a.n1 << 52);
    long w1 = (a.n1 >>> 12) | (a.n2 << 40);
    long w2 = (a.n2 >>> 24) | (a.n3 << 28);
    long w3 = (a.n3 >>> 36) | (a.n4 << 16);
    putBe64(out, off, w3);
    putBe64(out, off + 8, w2);
    putBe64(out, off + 16, w1);
    putBe64(out, off + 24, w0);
  }

  private static long be64(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[off + i] & 0xFFL);
    }
    return v;
  }

  private static void putBe64(byte[] b, int off, long v) {
    for (int i = 7; i >= 0; i--) {
      b[off + i] = (byte) v;
      v >>>= 8;
    }
  }

  static void set(FieldElement r, FieldElement a) {
    r.n0 = a.n0;
    r.n1 = a.n1;
    r.n2 = a.n2;
    r.n3 = a.n3;
    r.n4 = a.n4;
  }

  /**
   * Carries limbs that may hold up to 62 bits each into the weakly normalized form, folding bits at
   * and above 2^256 back in with {@code 2^256 = 0x1000003D1 (mod p)}.
   */
  private static void weak(FieldElement r, long t0, long t1, long t2, long t3, long t4) {
    t1 += t0 >>> 52;
    t0 &= M;
    t2 += t1 >>> 52;
    t1 &= M;
    t3 += t2 >>> 52;
    t2 &= M;
    t4 += t3 >>> 52;
    t3 &= M;
    long x = t4 >>> 48;
    r.n0 = t0 + x * R256;
    r.n1 = t1;
    r.n2 = t2;
    r.n3 = t3;
    r.n4 = t4 & M48;
  }

  /** Makes {@code r} the canonical representative in {@code [0, p)}. */
  static void normalize(FieldElement r) {
    long t0 = r.n0;
    long t1 = r.n1;
    long t2 = r.n2;
    long t3 = r.n3;
    long t4 = r.n4;
    // First pass: as weak(), so the value is below 2^256 + 2^47.
    t1 += t0 >>> 52;
    t0 &= M;
    t2 += t1 >>> 52;
    t1 &= M;
    t3 += t2 >>> 52;
    t2 &= M;
    t4 += t3 >>> 52;
    t3 &= M;
    long x = t4 >>> 48;
    t4 &= M48;
    t0 += x * R256;
    // Second pass: exact 52-bit limbs; a carry out of the top means the value was >= 2^256.
    t1 += t0 >>> 52;
    t0 &= M;
    t2 += t1 >>> 52;
    t1 &= M;
    t3 += t2 >>> 52;
    t2 &= M;
    t4 += t3 >>> 52;
    t3 &= M;
    x = t4 >>> 48;
    t4 &= M48;
    // Now value = x·2^256 + t with t < 2^256 (x is 0 or 1). Subtract p once if the value is >= p:
    // that is x == 1, or t >= p. Subtracting p is adding 2^256 - p = 0x1000003D1 and dropping
    // 2^256.
    boolean geP = x != 0 || (t4 == P4 && t3 == P3 && t2 == P2 && t1 == P1 && t0 >= P0);
    if (geP) {
      t0 += R256;
      t1 += t0 >>> 52;
      t0 &= M;
      t2 += t1 >>> 52;
      t1 &= M;
      t3 += t2 >>> 52;
      t2 &= M;
      t4 += t3 >>> 52;
      t3 &= M;
      t4 &= M48;
    }
    r.n0 = t0;
    r.n1 = t1;
    r.n2 = t2;
    r.n3 = t3;
    r.n4 = t4;
  }

  /** True if the value is 0 mod p; does not change {@code a}. */
  static boolean isZero(FieldElement a) {
    // The value is below 2^256 + 2^47 < 2p, so it is 0 mod p exactly when it is 0 or p.
    long t0 = a.n0;
    long t1 = a.n1 + (t0 >>> 52);
    t0 &= M;
    long t2 = a.n2 + (t1 >>> 52);
    t1 &= M;
    long t3 = a.n3 + (t2 >>> 52);
    t2 &= M;
    long t4 = a.n4 + (t3 >>> 52);
    t3 &= M;
    if ((t4 >>> 48) != 0) {
      return false; // at least 2^256, so neither 0 nor p
    }
    return (t0 | t1 | t2 | t3 | t4) == 0
        || (t0 == P0 && t1 == P1 && t2 == P2 && t3 == P3 && t4 == P4);
  }

  /** True if {@code a ≡ b (mod p)}; changes neither. */
  static boolean equal(FieldElement a, FieldElement b) {
    FieldElement x = new FieldElement(a);
    FieldElement y = new FieldElement(b);
    normalize(x);
    normalize(y);
    return x.n0 == y.n0 && x.n1 == y.n1 && x.n2 == y.n2 && x.n3 == y.n3 && x.n4 == y.n4;
  }

  /** True if the canonical value is odd; normalizes {@code a} in place. */
  static boolean isOdd(FieldElement a) {
    normalize(a);
    return (a.n0 & 1) != 0;
  }

  static void add(FieldElement r, FieldElement a, FieldElement b) {
    weak(r, a.n0 + b.n0, a.n1 + b.n1, a.n2 + b.n2, a.n3 + b.n3, a.n4 + b.n4);
  }

  /**
   * {@code r = a - b}, computed as {@code a + 2p - b} limb by limb (each limb of 2p exceeds b's).
   */
  static void sub(FieldElement r, FieldElement a, FieldElement b) {
    weak(
        r,
        a.n0 + 2 * P0 - b.n0,
        a.n1 + 2 * P1 - b.n1,
        a.n2 + 2 * P2 - b.n2,
        a.n3 + 2 * P3 - b.n3,
        a.n4 + 2 * P4 - b.n4);
  }

  static void neg(FieldElement r, FieldElement a) {
    weak(r, 2 * P0 - a.n0, 2 * P1 - a.n1, 2 * P2 - a.n2, 2 * P3 - a.n3, 2 * P4 - a.n4);
  }

  /** {@code r = a·k} for {@code 0 <= k <= 64}. */
  static void mulSmall(FieldElement r, FieldElement a, int k) {
    weak(r, a.n0 * k, a.n1 * k, a.n2 * k, a.n3 * k, a.n4 * k);
  }

  /**
   * {@code r = a + b} without carrying: for weakly normalized operands the limbs stay below 2^54,
   * so the result is only fit as an operand of {@link #mul} or {@link #sqr}.
   */
  static void addLazy(FieldElement r, FieldElement a, FieldElement b) {
    r.n0 = a.n0 + b.n0;
    r.n1 = a.n1 + b.n1;
    r.n2 = a.n2 + b.n2;
    r.n3 = a.n3 + b.n3;
    r.n4 = a.n4 + b.n4;
  }

  /**
   * {@code r = a - b} as {@code a + 2p - b} without carrying: for weakly normalized operands the
   * limbs stay below 2^54, so the result is only fit as an operand of {@link #mul} or {@link #sqr}.
   */
  static void subLazy(FieldElement r, FieldElement a, FieldElement b) {
    r.n0 = a.n0 + 2 * P0 - b.n0;
    r.n1 = a.n1 + 2 * P1 - b.n1;
    r.n2 = a.n2 + 2 * P2 - b.n2;
    r.n3 = a.n3 + 2 * P3 - b.n3;
    r.n4 = a.n4 + 2 * P4 - b.n4;
  }

  /**
   * {@code r = 3a} without carrying; for a weakly normalized {@code a} only fit as an operand of
   * {@link #mul} or {@link #sqr}.
   */
  static void mul3Lazy(FieldElement r, FieldElement a) {
    r.n0 = a.n0 * 3;
    r.n1 = a.n1 * 3;
    r.n2 = a.n2 * 3;
    r.n3 = a.n3 * 3;
    r.n4 = a.n4 * 3;
  }

  /**
   * {@code r = a·b}. Accepts any operands whose limbs are below 2^54 (weakly normalized elements
   * and the results of the lazy operations), and returns a weakly normalized result.
   */
  static void mul(FieldElement r, FieldElement a, FieldElement b) {
    final long a0 = a.n0;
    final long a1 = a.n1;
    final long a2 = a.n2;
    final long a3 = a.n3;
    final long a4 = a.n4;
    // b·2^9 (below 2^63): the 128-bit product a_i·b_j·2^9 then has P >> 55 as its signed high
    // half and (P mod 2^55)·2^9 as its low half, for P = a_i·b_j < 2^108.
    final long b0s = b.n0 << 9;
    final long b1s = b.n1 << 9;
    final long b2s = b.n2 << 9;
    final long b3s = b.n3 << 9;
    final long b4s = b.n4 << 9;
    long lo;
    long h;
    lo = a0 * b0s;
    long c0 = lo >>> 9;
    h = Math.multiplyHigh(a0, b0s);
    long c1 = h << 3;
    lo = a0 * b1s;
    c1 += lo >>> 9;
    h = Math.multiplyHigh(a0, b1s);
    lo = a1 * b0s;
    c1 += lo >>> 9;
    h += Math.multiplyHigh(a1, b0s);
    long c2 = h << 3;
    lo = a0 * b2s;
    c2 += lo >>> 9;
    h = Math.multiplyHigh(a0, b2s);
    lo = a1 * b1s;
    c2 += lo >>> 9;
    h += Math.multiplyHigh(a1, b1s);
    lo = a2 * b0s;
    c2 += lo >>> 9;
    h += Math.multiplyHigh(a2, b0s);
    long c3 = h << 3;
    lo = a0 * b3s;
    c3 += lo >>> 9;
    h = Math.multiplyHigh(a0, b3s);
    lo = a1 * b2s;
    c3 += lo >>> 9;
    h += Math.multiplyHigh(a1, b2s);
    lo = a2 * b1s;
    c3 += lo >>> 9;
    h += Math.multiplyHigh(a2, b1s);
    lo = a3 * b0s;
    c3 += lo >>> 9;
    h += Math.multiplyHigh(a3, b0s);
    long c4 = h << 3;
    lo = a0 * b4s;
    c4 += lo >>> 9;
    h = Math.multiplyHigh(a0, b4s);
    lo = a1 * b3s;
    c4 += lo >>> 9;
    h += Math.multiplyHigh(a1, b3s);
    lo = a2 * b2s;
    c4 += lo >>> 9;
    h += Math.multiplyHigh(a2, b2s);
    lo = a3 * b1s;
    c4 += lo >>> 9;
    h += Math.multiplyHigh(a3, b1s);
    lo = a4 * b0s;
    c4 += lo >>> 9;
    h += Math.multiplyHigh(a4, b0s);
    long c5 = h << 3;
    lo = a1 * b4s;
    c5 += lo >>> 9;
    h = Math.multiplyHigh(a1, b4s);
    lo = a2 * b3s;
    c5 += lo >>> 9;
    h += Math.multiplyHigh(a2, b3s);
    lo = a3 * b2s;
    c5 += lo >>> 9;
    h += Math.multiplyHigh(a3, b2s);
    lo = a4 * b1s;
    c5 += lo >>> 9;
    h += Math.multiplyHigh(a4, b1s);
    long c6 = h << 3;
    lo = a2 * b4s;
    c6 += lo >>> 9;
    h = Math.multiplyHigh(a2, b4s);
    lo = a3 * b3s;
    c6 += lo >>> 9;
    h += Math.multiplyHigh(a3, b3s);
    lo = a4 * b2s;
    c6 += lo >>> 9;
    h += Math.multiplyHigh(a4, b2s);
    long c7 = h << 3;
    lo = a3 * b4s;
    c7 += lo >>> 9;
    h = Math.multiplyHigh(a3, b4s);
    lo = a4 * b3s;
    c7 += lo >>> 9;
    h += Math.multiplyHigh(a4, b3s);
    long c8 = h << 3;
    lo = a4 * b4s;
    c8 += lo >>> 9;
    h = Math.multiplyHigh(a4, b4s);
    long c9 = h << 3;
    reduce(r, c0, c1, c2, c3, c4, c5, c6, c7, c8, c9);
  }

  /** {@code r = a²}, with the same operand bounds as {@link #mul}. */
  static void sqr(FieldElement r, FieldElement a) {
    final long a0 = a.n0;
    final long a1 = a.n1;
    final long a2 = a.n2;
    final long a3 = a.n3;
    final long a4 = a.n4;
    final long a0s = a0 << 9;
    final long a1s = a1 << 9;
    final long a2s = a2 << 9;
    final long a3s = a3 << 9;
    final long a4s = a4 << 9;
    final long d0 = a0 << 1;
    final long d1 = a1 << 1;
    final long d2 = a2 << 1;
    final long d3 = a3 << 1;
    long lo;
    long h;
    lo = a0 * a0s;
    long c0 = lo >>> 9;
    h = Math.multiplyHigh(a0, a0s);
    long c1 = h << 3;
    lo = d0 * a1s;
    c1 += lo >>> 9;
    h = Math.multiplyHigh(d0, a1s);
    long c2 = h << 3;
    lo = d0 * a2s;
    c2 += lo >>> 9;
    h = Math.multiplyHigh(d0, a2s);
    lo = a1 * a1s;
    c2 += lo >>> 9;
    h += Math.multiplyHigh(a1, a1s);
    long c3 = h << 3;
    lo = d0 * a3s;
    c3 += lo >>> 9;
    h = Math.multiplyHigh(d0, a3s);
    lo = d1 * a2s;
    c3 += lo >>> 9;
    h += Math.multiplyHigh(d1, a2s);
    long c4 = h << 3;
    lo = d0 * a4s;
    c4 += lo >>> 9;
    h = Math.multiplyHigh(d0, a4s);
    lo = d1 * a3s;
    c4 += lo >>> 9;
    h += Math.multiplyHigh(d1, a3s);
    lo = a2 * a2s;
    c4 += lo >>> 9;
    h += Math.multiplyHigh(a2, a2s);
    long c5 = h << 3;
    lo = d1 * a4s;
    c5 += lo >>> 9;
    h = Math.multiplyHigh(d1, a4s);
    lo = d2 * a3s;
    c5 += lo >>> 9;
    h += Math.multiplyHigh(d2, a3s);
    long c6 = h << 3;
    lo = d2 * a4s;
    c6 += lo >>> 9;
    h = Math.multiplyHigh(d2, a4s);
    lo = a3 * a3s;
    c6 += lo >>> 9;
    h += Math.multiplyHigh(a3, a3s);
    long c7 = h << 3;
    lo = d3 * a4s;
    c7 += lo >>> 9;
    h = Math.multiplyHigh(d3, a4s);
    long c8 = h << 3;
    lo = a4 * a4s;
    c8 += lo >>> 9;
    h = Math.multiplyHigh(a4, a4s);
    long c9 = h << 3;
    reduce(r, c0, c1, c2, c3, c4, c5, c6, c7, c8, c9);
  }

  /** {@code 2^260 mod p}, times 2^9 for the same product split as in {@link #mul}. */
  private static final long R260_SHIFTED = 0x1000003D10L << 9;

  /**
   * Reduces the column sums of a product ({@code value = Σ c_k·2^(52k)}, each {@code c_k < 2^59},
   * {@code c9 < 2^56}) to a weakly normalized element, using {@code 2^260 ≡ R = 0x1000003D10 (mod
   * p)}: each high column {@code c_k} (k ≥ 5) becomes {@code c_k·R} at column {@code k - 5}, split
   * at 2^55 like a limb product. What lands at 2^260 again ({@code u < 2^41}) is folded once more
   * as {@code u·2^36 + u·0x3D10}.
   */
  private static void reduce(
      FieldElement r,
      long c0,
      long c1,
      long c2,
      long c3,
      long c4,
      long c5,
      long c6,
      long c7,
      long c8,
      long c9) {
    c0 += (c5 * R260_SHIFTED) >>> 9;
    c1 += Math.multiplyHigh(c5, R260_SHIFTED) << 3;
    c1 += (c6 * R260_SHIFTED) >>> 9;
    c2 += Math.multiplyHigh(c6, R260_SHIFTED) << 3;
    c2 += (c7 * R260_SHIFTED) >>> 9;
    c3 += Math.multiplyHigh(c7, R260_SHIFTED) << 3;
    c3 += (c8 * R260_SHIFTED) >>> 9;
    c4 += Math.multiplyHigh(c8, R260_SHIFTED) << 3;
    c4 += (c9 * R260_SHIFTED) >>> 9;
    long u = Math.multiplyHigh(c9, R260_SHIFTED) << 3;
    c0 += ((u << 36) & M) + u * 0x3D10L;
    c1 += u >>> 16;
    weak(r, c0, c1, c2, c3, c4);
  }

  /** {@code r = a^(2^k)}. */
  private static void sqrN(FieldElement r, FieldElement a, int k) {
    sqr(r, a);
    for (int i = 1; i < k; i++) {
      sqr(r, r);
    }
  }

  /**
   * Sets {@code x2, x3, x22, x223} to {@code a^(2^k - 1)} for k = 2, 3, 22, 223: the start of the
   * square-root addition chain.
   */
  private static void chainPrefix(
      FieldElement a, FieldElement x2, FieldElement x3, FieldElement x22, FieldElement x223) {
    FieldElement t = new FieldElement();
    FieldElement x11 = new FieldElement();
    FieldElement x44 = new FieldElement();
    sqr(x2, a);
    mul(x2, x2, a);
    sqr(x3, x2);
    mul(x3, x3, a);
    sqrN(t, x3, 3);
    mul(t, t, x3); // x6
    sqrN(t, t, 3);
    mul(t, t, x3); // x9
    sqrN(x11, t, 2);
    mul(x11, x11, x2);
    sqrN(x22, x11, 11);
    mul(x22, x22, x11);
    sqrN(x44, x22, 22);
    mul(x44, x44, x22);
    sqrN(t, x44, 44);
    mul(t, t, x44); // x88
    FieldElement x88 = new FieldElement(t);
    sqrN(t, t, 88);
    mul(t, t, x88); // x176
    sqrN(t, t, 44);
    mul(t, t, x44); // x220
    sqrN(t, t, 3);
    mul(x223, t, x3);
  }

  /** p as eight little-endian 32-bit words, for {@link Mod#modOddInverseVar}. */
  private static final int[] P_WORDS = {
    0xFFFFFC2F, 0xFFFFFFFE, -1, -1, -1, -1, -1, -1,
  };

  /**
   * {@code r = a⁻¹} (0 for 0), with Bouncy Castle's variable-time binary GCD ({@link
   * Mod#modOddInverseVar}), which is several times faster here than the {@code a^(p-2)} chain.
   */
  static void inv(FieldElement r, FieldElement a) {
    FieldElement c = new FieldElement(a);
    normalize(c);
    int[] x = new int[8];
    long w0 = c.n0 | (c.n1 << 52);
    long w1 = (c.n1 >>> 12) | (c.n2 << 40);
    long w2 = (c.n2 >>> 24) | (c.n3 << 28);
    long w3 = (c.n3 >>> 36) | (c.n4 << 16);
    x[0] = (int) w0;
    x[1] = (int) (w0 >>> 32);
    x[2] = (int) w1;
    x[3] = (int) (w1 >>> 32);
    x[4] = (int) w2;
    x[5] = (int) (w2 >>> 32);
    x[6] = (int) w3;
    x[7] = (int) (w3 >>> 32);
    int[] z = new int[8];
    if (!Mod.modOddInverseVar(P_WORDS, x, z)) {
      r.n0 = 0;
      r.n1 = 0;
      r.n2 = 0;
      r.n3 = 0;
      r.n4 = 0;
      return;
    }
    w0 = (z[0] & 0xFFFFFFFFL) | ((long) z[1] << 32);
    w1 = (z[2] & 0xFFFFFFFFL) | ((long) z[3] << 32);
    w2 = (z[4] & 0xFFFFFFFFL) | ((long) z[5] << 32);
    w3 = (z[6] & 0xFFFFFFFFL) | ((long) z[7] << 32);
    r.n0 = w0 & M;
    r.n1 = ((w0 >>> 52) | (w1 << 12)) & M;
    r.n2 = ((w1 >>> 40) | (w2 << 24)) & M;
    r.n3 = ((w2 >>> 28) | (w3 << 36)) & M;
    r.n4 = w3 >>> 16;
  }

  /**
   * Sets {@code r = a^((p+1)/4)}, a square root of {@code a} if one exists, and returns whether it
   * is one ({@code r² ≡ a}). The exponent's bits are 223 ones, a zero, 22 ones, then {@code 0000 11
   * 00}.
   */
  static boolean sqrt(FieldElement r, FieldElement a) {
    FieldElement x2 = new FieldElement();
    FieldElement x3 = new FieldElement();
    FieldElement x22 = new FieldElement();
    FieldElement t = new FieldElement();
    FieldElement a0 = new FieldElement(a);
    chainPrefix(a0, x2, x3, x22, t);
    sqrN(t, t, 23);
    mul(t, t, x22);
    sqrN(t, t, 6);
    mul(t, t, x2);
    sqrN(r, t, 2);
    sqr(t, r);
    return equal(t, a0);
  }
}
