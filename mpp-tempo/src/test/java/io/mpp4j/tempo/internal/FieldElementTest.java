package io.mpp4j.tempo.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bouncycastle.util.BigIntegers;
import org.junit.jupiter.api.Test;

/** {@link FieldElement} against BigInteger arithmetic mod p. */
class FieldElementTest {
  private static final BigInteger P = FieldElement.P;
  private static final BigInteger TWO_256 = BigInteger.ONE.shiftLeft(256);
  private static final long M = FieldElement.M;

  /** Canonical and non-canonical values: boundaries, carries, and random ones. */
  private static List<FieldElement> samples() {
    List<FieldElement> out = new ArrayList<>();
    for (BigInteger v :
        List.of(
            BigInteger.ZERO,
            BigInteger.ONE,
            BigInteger.TWO,
            BigInteger.valueOf(7),
            P.subtract(BigInteger.ONE),
            P.subtract(BigInteger.TWO),
            P, // 0, not normalized
            P.add(BigInteger.ONE), // 1, not normalized
            TWO_256.subtract(BigInteger.ONE), // >= p
            BigInteger.ONE.shiftLeft(52).subtract(BigInteger.ONE), // full low limb
            BigInteger.ONE.shiftLeft(52), // carry into limb 1
            BigInteger.ONE.shiftLeft(208), // top limb only
            BigInteger.ONE.shiftLeft(255),
            BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE.shiftLeft(32)), // near p
            BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE))) {
      out.add(FieldElement.of(v));
    }
    // The largest limbs a weakly normalized element may hold (value 2^256 + 2^47 - 1 + ...).
    out.add(FieldElement.ofLimbs((1L << 52) + (1L << 47) - 1, M, M, M, (1L << 48) - 1));
    out.add(FieldElement.ofLimbs((1L << 52) + (1L << 47) - 1, 0, 0, 0, 0));
    out.add(FieldElement.ofLimbs(M, M, M, M, 0));
    out.add(FieldElement.ofLimbs(FieldElement.P0 + 5, M, M, M, FieldElement.M48)); // p + 5
    out.add(FieldElement.ofLimbs(0, 0, 0, 0, FieldElement.M48));
    Random rnd = new Random(20260101L);
    for (int i = 0; i < 60; i++) {
      out.add(FieldElement.of(new BigInteger(256, rnd)));
      out.add(
          FieldElement.ofLimbs(
              (rnd.nextLong() & M) + (rnd.nextLong() & ((1L << 47) - 1)),
              rnd.nextLong() & M,
              rnd.nextLong() & M,
              rnd.nextLong() & M,
              rnd.nextLong() & FieldElement.M48));
    }
    return out;
  }

  private static BigInteger val(FieldElement a) {
    return a.toBigIntegerRaw().mod(P);
  }

  /** The invariant every operation must leave: n0 < 2^53, n1..n3 < 2^52, n4 < 2^48. */
  private static void assertWeak(FieldElement a) {
    assertTrue(a.n0 >= 0 && a.n0 < (1L << 52) + (1L << 47), "n0 " + a.n0);
    assertTrue(a.n1 >= 0 && a.n1 <= M, "n1");
    assertTrue(a.n2 >= 0 && a.n2 <= M, "n2");
    assertTrue(a.n3 >= 0 && a.n3 <= M, "n3");
    assertTrue(a.n4 >= 0 && a.n4 <= FieldElement.M48, "n4");
  }

  @Test
  void arithmeticMatchesBigInteger() {
    List<FieldElement> s = samples();
    FieldElement r = new FieldElement();
    for (FieldElement a : s) {
      BigInteger av = val(a);
      for (FieldElement b : s) {
        BigInteger bv = val(b);
        FieldElement.mul(r, a, b);
        assertWeak(r);
        assertEquals(av.multiply(bv).mod(P), r.toBigInteger(), "mul");
        FieldElement.add(r, a, b);
        assertWeak(r);
        assertEquals(av.add(bv).mod(P), r.toBigInteger(), "add");
        FieldElement.sub(r, a, b);
        assertWeak(r);
        assertEquals(av.subtract(bv).mod(P), r.toBigInteger(), "sub");
      }
      FieldElement.sqr(r, a);
      assertWeak(r);
      assertEquals(av.multiply(av).mod(P), r.toBigInteger(), "sqr");
      FieldElement.neg(r, a);
      assertWeak(r);
      assertEquals(av.negate().mod(P), r.toBigInteger(), "neg");
      for (int k : new int[] {0, 1, 2, 3, 8, 64}) {
        FieldElement.mulSmall(r, a, k);
        assertWeak(r);
        assertEquals(av.multiply(BigInteger.valueOf(k)).mod(P), r.toBigInteger(), "mulSmall");
      }
      assertEquals(av.signum() == 0, FieldElement.isZero(a), "isZero " + a.toBigIntegerRaw());
    }
  }

  private static void assertBelow2to54(FieldElement a) {
    long bound = 1L << 54;
    assertTrue(
        a.n0 >= 0
            && a.n0 < bound
            && a.n1 >= 0
            && a.n1 < bound
            && a.n2 >= 0
            && a.n2 < bound
            && a.n3 >= 0
            && a.n3 < bound
            && a.n4 >= 0
            && a.n4 < bound,
        "lazy limbs must stay below 2^54");
  }

  @Test
  void lazyResultsMultiplyCorrectly() {
    List<FieldElement> s = samples();
    FieldElement lazy = new FieldElement();
    FieldElement r = new FieldElement();
    FieldElement other = s.get(s.size() - 1);
    BigInteger ov = val(other);
    for (FieldElement a : s) {
      BigInteger av = val(a);
      for (FieldElement b : s) {
        BigInteger bv = val(b);
        FieldElement.addLazy(lazy, a, b);
        assertBelow2to54(lazy);
        FieldElement.mul(r, lazy, other);
        assertWeak(r);
        assertEquals(av.add(bv).multiply(ov).mod(P), r.toBigInteger(), "addLazy·x");
        FieldElement.subLazy(lazy, a, b);
        assertBelow2to54(lazy);
        FieldElement.mul(r, other, lazy);
        assertEquals(av.subtract(bv).multiply(ov).mod(P), r.toBigInteger(), "x·subLazy");
        FieldElement.sqr(r, lazy);
        assertWeak(r);
        assertEquals(av.subtract(bv).pow(2).mod(P), r.toBigInteger(), "subLazy²");
      }
      FieldElement.mul3Lazy(lazy, a);
      assertBelow2to54(lazy);
      FieldElement.mul(r, lazy, lazy);
      assertEquals(av.multiply(BigInteger.valueOf(3)).pow(2).mod(P), r.toBigInteger(), "3a·3a");
    }
  }

  @Test
  void widestLimbsMultiplyCorrectly() {
    long max = (1L << 54) - 1;
    List<FieldElement> wide = new ArrayList<>();
    wide.add(FieldElement.ofLimbs(max, max, max, max, max));
    wide.add(FieldElement.ofLimbs(max, 0, max, 0, max));
    wide.add(FieldElement.ofLimbs(0, 0, 0, 0, max));
    Random rnd = new Random(54L);
    for (int i = 0; i < 200; i++) {
      wide.add(
          FieldElement.ofLimbs(
              rnd.nextLong() & max,
              rnd.nextLong() & max,
              rnd.nextLong() & max,
              rnd.nextLong() & max,
              rnd.nextLong() & max));
    }
    FieldElement r = new FieldElement();
    for (FieldElement a : wide) {
      BigInteger av = val(a);
      FieldElement.sqr(r, a);
      assertWeak(r);
      assertEquals(av.pow(2).mod(P), r.toBigInteger(), "sqr");
      for (FieldElement b : wide.subList(0, 20)) {
        FieldElement.mul(r, a, b);
        assertWeak(r);
        assertEquals(av.multiply(val(b)).mod(P), r.toBigInteger(), "mul");
      }
    }
  }

  @Test
  void aliasedOperands() {
    for (FieldElement a : samples()) {
      BigInteger av = val(a);
      FieldElement x = new FieldElement(a);
      FieldElement.mul(x, x, x);
      assertEquals(av.multiply(av).mod(P), x.toBigInteger());
      x = new FieldElement(a);
      FieldElement.sqr(x, x);
      assertEquals(av.multiply(av).mod(P), x.toBigInteger());
      x = new FieldElement(a);
      FieldElement.sub(x, x, x);
      assertTrue(FieldElement.isZero(x));
      x = new FieldElement(a);
      FieldElement.add(x, x, x);
      assertEquals(av.shiftLeft(1).mod(P), x.toBigInteger());
    }
  }

  @Test
  void normalizeIsCanonical() {
    for (FieldElement a : samples()) {
      BigInteger expected = val(a);
      FieldElement c = new FieldElement(a);
      FieldElement.normalize(c);
      assertEquals(expected, c.toBigIntegerRaw());
      assertTrue(c.n0 <= M && c.n4 <= FieldElement.M48);
      assertEquals(expected.testBit(0), FieldElement.isOdd(new FieldElement(a)));
      byte[] out = new byte[32];
      FieldElement.getBytes(new FieldElement(a), out, 0);
      assertArrayEquals(BigIntegers.asUnsignedByteArray(32, expected), out);
      FieldElement back = new FieldElement();
      FieldElement.setBytes(back, out, 0);
      assertEquals(expected, back.toBigIntegerRaw());
    }
  }

  @Test
  void bytesOfValuesAtOrAboveP() {
    byte[] in = BigIntegers.asUnsignedByteArray(32, TWO_256.subtract(BigInteger.ONE));
    FieldElement a = new FieldElement();
    FieldElement.setBytes(a, in, 0);
    assertEquals(TWO_256.subtract(BigInteger.ONE), a.toBigIntegerRaw());
    assertEquals(TWO_256.subtract(BigInteger.ONE).mod(P), a.toBigInteger());
    FieldElement.setBytes(a, BigIntegers.asUnsignedByteArray(32, P), 0);
    assertTrue(FieldElement.isZero(a));
  }

  @Test
  void inverseAndSquareRoot() {
    BigInteger exp = P.add(BigInteger.ONE).shiftRight(2);
    for (FieldElement a : samples()) {
      BigInteger av = val(a);
      FieldElement r = new FieldElement();
      FieldElement.inv(r, a);
      assertWeak(r);
      BigInteger expectedInv = av.signum() == 0 ? BigInteger.ZERO : av.modInverse(P);
      assertEquals(expectedInv, r.toBigInteger(), "inv");

      boolean isSquare =
          av.modPow(P.subtract(BigInteger.ONE).shiftRight(1), P).compareTo(BigInteger.ONE) <= 0;
      boolean found = FieldElement.sqrt(r, a);
      assertEquals(isSquare, found, "sqrt existence");
      assertEquals(av.modPow(exp, P), r.toBigInteger(), "sqrt candidate");
      if (found) {
        assertEquals(av, r.toBigInteger().pow(2).mod(P));
      }
    }
  }

  @Test
  void sqrtOfNonSquareIsRefused() {
    FieldElement r = new FieldElement();
    // -1 is not a square mod p (p = 3 mod 4); 4 is.
    assertFalse(FieldElement.sqrt(r, FieldElement.of(P.subtract(BigInteger.ONE))));
    assertTrue(FieldElement.sqrt(r, FieldElement.of(4)));
    BigInteger root = r.toBigInteger();
    assertTrue(root.equals(BigInteger.TWO) || root.equals(P.subtract(BigInteger.TWO)));
  }
}
