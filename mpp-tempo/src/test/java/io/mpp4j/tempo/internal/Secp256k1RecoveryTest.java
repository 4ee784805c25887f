package io.mpp4j.tempo.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;
import java.util.Random;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.BigIntegers;
import org.junit.jupiter.api.Test;

/**
 * Differential tests of {@link Secp256k1Recovery} (through {@link Secp256k1#recoverPublicKey})
 * against Bouncy Castle ({@link BouncyCastleRecovery}), plus the group-law corner cases.
 */
class Secp256k1RecoveryTest {
  private static final BigInteger N = Secp256k1Recovery.N;
  private static final BigInteger P = FieldElement.P;
  private static final BigInteger GX = Secp256k1Recovery.GX;
  private static final BigInteger GY = Secp256k1Recovery.GY;

  private static byte[] hash(BigInteger v) {
    return BigIntegers.asUnsignedByteArray(32, v);
  }

  private static byte[] randomHash(Random rnd) {
    byte[] h = new byte[32];
    rnd.nextBytes(h);
    return h;
  }

  /** New and reference agree, through the public entry point (low-s enforced). */
  private static byte[] assertSame(byte[] h, BigInteger r, BigInteger s, int parity) {
    byte[] expected = BouncyCastleRecovery.recoverPublicKey(h, r, s, parity, true);
    byte[] actual = Secp256k1.recoverPublicKey(h, r, s, parity);
    assertArrayEquals(expected, actual, () -> "r=" + r.toString(16) + " s=" + s.toString(16));
    return actual;
  }

  /** New and reference agree on the bare math (any s in [1, n)). */
  private static byte[] assertSameAnyS(byte[] h, BigInteger r, BigInteger s, int parity) {
    byte[] expected = BouncyCastleRecovery.recoverPublicKey(h, r, s, parity, false);
    byte[] actual = Secp256k1Recovery.recoverPublicKey(h, r, s, parity);
    assertArrayEquals(expected, actual, () -> "r=" + r.toString(16) + " s=" + s.toString(16));
    return actual;
  }

  @Test
  void signedRandomHashesRecoverTheSigner() {
    Random rnd = new Random(0x5EC9256B1L);
    for (int i = 0; i < 2000; i++) {
      BigInteger d = new BigInteger(256, rnd).mod(N.subtract(BigInteger.ONE)).add(BigInteger.ONE);
      byte[] h = randomHash(rnd);
      BigInteger[] sig = Secp256k1.sign(h, d);
      int parity = sig[2].intValueExact();
      byte[] pub = assertSame(h, sig[0], sig[1], parity);
      assertArrayEquals(Secp256k1.publicKey(d), pub);
      // The other parity recovers a different key (or none), the same way in both.
      byte[] other = assertSame(h, sig[0], sig[1], parity ^ 1);
      assertFalse(java.util.Arrays.equals(pub, other));
    }
  }

  @Test
  void arbitraryInputsAgree() {
    Random rnd = new Random(42L);
    int recovered = 0;
    for (int i = 0; i < 2000; i++) {
      byte[] h = randomHash(rnd);
      BigInteger r = new BigInteger(256, rnd).mod(N);
      BigInteger s = new BigInteger(256, rnd).mod(N);
      int parity = rnd.nextInt(2);
      assertSame(h, r, s, parity);
      if (assertSameAnyS(h, r, s, parity) != null) {
        recovered++;
      }
    }
    // About half of all x are on the curve; make sure both outcomes were exercised.
    assertTrue(recovered > 800 && recovered < 1200, "recovered " + recovered);
  }

  @Test
  void outOfRangeScalarsRecoverNothing() {
    byte[] h = hash(BigInteger.valueOf(12345));
    BigInteger ok = BigInteger.valueOf(3);
    for (BigInteger bad :
        List.of(
            BigInteger.ZERO,
            N,
            N.add(BigInteger.ONE),
            P,
            BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE),
            BigInteger.ONE.negate())) {
      for (int parity = 0; parity < 2; parity++) {
        assertNull(Secp256k1.recoverPublicKey(h, bad, ok, parity));
        assertNull(Secp256k1.recoverPublicKey(h, ok, bad, parity));
        assertNull(Secp256k1Recovery.recoverPublicKey(h, bad, ok, parity));
        assertNull(Secp256k1Recovery.recoverPublicKey(h, ok, bad, parity));
      }
    }
    assertNull(Secp256k1.recoverPublicKey(h, ok, ok, 2));
    assertNull(Secp256k1.recoverPublicKey(new byte[31], ok, ok, 0));
  }

  @Test
  void highSIsRefusedButTheMathAgrees() {
    Random rnd = new Random(7L);
    BigInteger d = new BigInteger(250, rnd);
    for (int i = 0; i < 50; i++) {
      byte[] h = randomHash(rnd);
      BigInteger[] sig = Secp256k1.sign(h, d);
      int parity = sig[2].intValueExact();
      BigInteger highS = N.subtract(sig[1]);
      assertNull(Secp256k1.recoverPublicKey(h, sig[0], highS, parity ^ 1));
      // (r, n - s) with the flipped parity is the same signature in high-s form.
      assertArrayEquals(Secp256k1.publicKey(d), assertSameAnyS(h, sig[0], highS, parity ^ 1));
      assertSameAnyS(h, sig[0], highS, parity);
    }
    BigInteger halfN = N.shiftRight(1);
    byte[] h = randomHash(rnd);
    BigInteger r = GX;
    assertNotNull(assertSame(h, r, halfN, 0)); // the largest low s
    assertNull(Secp256k1.recoverPublicKey(h, r, halfN.add(BigInteger.ONE), 0));
    assertSameAnyS(h, r, halfN.add(BigInteger.ONE), 0);
    assertSameAnyS(h, r, N.subtract(BigInteger.ONE), 1);
  }

  @Test
  void smallAndSpecialR() {
    Random rnd = new Random(99L);
    int notOnCurve = 0;
    for (int x = 1; x <= 64; x++) {
      BigInteger r = BigInteger.valueOf(x);
      for (int parity = 0; parity < 2; parity++) {
        byte[] h = randomHash(rnd);
        BigInteger s = new BigInteger(250, rnd).add(BigInteger.ONE);
        if (assertSame(h, r, s, parity) == null) {
          notOnCurve++;
        }
      }
    }
    assertTrue(notOnCurve > 0 && notOnCurve < 128, "both kinds of small x: " + notOnCurve);
    // x = 5: 5³ + 7 = 132 is not a square mod p (checked against the Euler criterion).
    BigInteger five = BigInteger.valueOf(5);
    assertEquals(
        P.subtract(BigInteger.ONE),
        five.pow(3).add(BigInteger.valueOf(7)).modPow(P.subtract(BigInteger.ONE).shiftRight(1), P));
    assertNull(Secp256k1.recoverPublicKey(randomHash(rnd), five, BigInteger.TEN, 0));
    // The largest r.
    BigInteger rMax = N.subtract(BigInteger.ONE);
    for (int parity = 0; parity < 2; parity++) {
      assertSame(randomHash(rnd), rMax, BigInteger.valueOf(77), parity);
    }
  }

  @Test
  void hashesAtTheEdgesOfTheOrder() {
    Random rnd = new Random(5L);
    BigInteger d = new BigInteger(200, rnd);
    for (BigInteger e :
        List.of(
            BigInteger.ZERO,
            BigInteger.ONE,
            N.subtract(BigInteger.ONE),
            N,
            N.add(BigInteger.ONE),
            BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE))) {
      byte[] h = hash(e);
      BigInteger[] sig = Secp256k1.sign(h, d);
      byte[] pub = assertSame(h, sig[0], sig[1], sig[2].intValueExact());
      assertArrayEquals(Secp256k1.publicKey(d), pub);
      assertSame(h, GX, BigInteger.valueOf(1000), 0);
      assertSame(h, GX, BigInteger.valueOf(1000), 1);
    }
  }

  /**
   * With {@code r = Gx} the lifted point is {@code ±G}, so {@code Q = (s ∓ e)/r · G}; choosing the
   * hash makes the interleaved ladder add a point to itself or to its negation.
   */
  @Test
  void ladderDoublingAndCancellation() {
    BigInteger r = GX;
    assertEquals(0, GY.mod(BigInteger.TWO).intValue()); // parity 0 lifts to G itself
    for (BigInteger s :
        List.of(BigInteger.ONE, BigInteger.TWO, BigInteger.valueOf(0xABCDEF), N.shiftRight(1))) {
      // R = G, e = s: u1 = -s/r and u2 = s/r cancel: the identity, no key.
      assertNull(assertSame(hash(s), r, s, 0));
      // R = -G, e = -s: u1 = s/r, u2 = s/r on -G: cancels too.
      assertNull(assertSame(hash(N.subtract(s)), r, s, 1));
      // R = G, e = -s: u1 = u2, every digit adds the same multiple twice (a doubling in add).
      byte[] pub = assertSame(hash(N.subtract(s)), r, s, 0);
      assertNotNull(pub);
      BigInteger k = s.multiply(r.modInverse(N)).shiftLeft(1).mod(N);
      assertArrayEquals(
          BouncyCastleRecovery.encode(BouncyCastleRecovery.G.multiply(k).normalize()), pub);
    }
  }

  @Test
  void linearCombinationsOfG() {
    FieldElement gx = FieldElement.of(GX);
    FieldElement gy = FieldElement.of(GY);
    BigInteger[][] cases = {
      {BigInteger.ONE, BigInteger.ONE},
      {BigInteger.ONE, N.subtract(BigInteger.ONE)},
      {BigInteger.ZERO, BigInteger.ONE},
      {BigInteger.ONE, BigInteger.ZERO},
      {BigInteger.ZERO, BigInteger.ZERO},
      {BigInteger.valueOf(3), BigInteger.valueOf(5)},
      {BigInteger.valueOf(1000), N.subtract(BigInteger.valueOf(1000))},
      {N.subtract(BigInteger.ONE), N.subtract(BigInteger.ONE)},
      {Secp256k1Recovery.LAMBDA, N.subtract(Secp256k1Recovery.LAMBDA)},
      {Secp256k1Recovery.LAMBDA, Secp256k1Recovery.LAMBDA},
    };
    for (BigInteger[] c : cases) {
      JacobianPoint q = Secp256k1Recovery.linearCombination(c[0], c[1], gx, gy);
      ECPoint expected = BouncyCastleRecovery.G.multiply(c[0].add(c[1]).mod(N)).normalize();
      assertPoint(expected, q);
    }
  }

  @Test
  void pointAdditionCornerCases() {
    FieldElement gx = FieldElement.of(GX);
    FieldElement gy = FieldElement.of(GY);
    JacobianPoint p = new JacobianPoint();
    p.addAffine(gx, gy, false); // identity + G
    assertPoint(BouncyCastleRecovery.G, p);
    p.addAffine(gx, gy, false); // G + G
    assertPoint(BouncyCastleRecovery.G.twice().normalize(), p);
    p.addAffine(gx, gy, true); // 2G - G
    assertPoint(BouncyCastleRecovery.G, p);
    p.addAffine(gx, gy, true); // G - G
    assertTrue(p.infinity);
    p.dbl();
    assertTrue(p.infinity);
    p.addAffine(gx, gy, true);
    assertPoint(BouncyCastleRecovery.G.negate().normalize(), p);
    // A non-trivial Z: 3G (Jacobian) + 3G (affine) doubles, 3G + (-3G) cancels.
    JacobianPoint j = new JacobianPoint();
    j.setAffine(gx, gy, false);
    j.dbl();
    j.addAffine(gx, gy, false);
    ECPoint g3 = BouncyCastleRecovery.G.multiply(BigInteger.valueOf(3)).normalize();
    FieldElement x3 = FieldElement.of(g3.getAffineXCoord().toBigInteger());
    FieldElement y3 = FieldElement.of(g3.getAffineYCoord().toBigInteger());
    JacobianPoint k = new JacobianPoint();
    k.set(j);
    k.addAffine(x3, y3, false);
    assertPoint(BouncyCastleRecovery.G.multiply(BigInteger.valueOf(6)).normalize(), k);
    k.set(j);
    k.addAffine(x3, y3, true);
    assertTrue(k.infinity);
  }

  @Test
  void endomorphismAndSplit() {
    ECPoint lg = BouncyCastleRecovery.G.multiply(Secp256k1Recovery.LAMBDA).normalize();
    assertEquals(GX.multiply(Secp256k1Recovery.BETA).mod(P), lg.getAffineXCoord().toBigInteger());
    assertEquals(GY, lg.getAffineYCoord().toBigInteger());
    Random rnd = new Random(3L);
    for (int i = 0; i < 2000; i++) {
      BigInteger k = i < 3 ? BigInteger.valueOf(i) : new BigInteger(256, rnd).mod(N);
      if (i == 3) {
        k = N.subtract(BigInteger.ONE);
      }
      BigInteger[] parts = Secp256k1Recovery.split(k);
      assertEquals(k, parts[0].add(parts[1].multiply(Secp256k1Recovery.LAMBDA)).mod(N));
      assertTrue(parts[0].bitLength() <= 129 && parts[1].bitLength() <= 129);
    }
  }

  @Test
  void wnafDigits() {
    Random rnd = new Random(11L);
    for (int i = 0; i < 500; i++) {
      BigInteger k = new BigInteger(130, rnd);
      if (rnd.nextBoolean()) {
        k = k.negate();
      }
      for (int w : new int[] {2, 5, 8, 12}) {
        int[] digits = Secp256k1Recovery.wnaf(k, w, k.bitLength() + 1);
        BigInteger sum = BigInteger.ZERO;
        int lastNonZero = -w;
        for (int j = digits.length - 1; j >= 0; j--) {
          sum = sum.shiftLeft(1).add(BigInteger.valueOf(digits[j]));
        }
        for (int j = 0; j < digits.length; j++) {
          int d = digits[j];
          if (d != 0) {
            assertTrue((d & 1) == 1 && Math.abs(d) < (1 << (w - 1)), "digit " + d);
            assertTrue(j - lastNonZero >= w, "gap");
            lastNonZero = j;
          }
        }
        assertEquals(k, sum);
      }
    }
  }

  @Test
  void fixedTableMatchesBouncyCastle() {
    FieldElement[] xs = new FieldElement[16];
    FieldElement[] ys = new FieldElement[16];
    Secp256k1Recovery.oddMultiples(FieldElement.of(GX), FieldElement.of(GY), xs, ys);
    for (int i = 0; i < xs.length; i++) {
      ECPoint e = BouncyCastleRecovery.G.multiply(BigInteger.valueOf(2L * i + 1)).normalize();
      assertEquals(e.getAffineXCoord().toBigInteger(), xs[i].toBigInteger());
      assertEquals(e.getAffineYCoord().toBigInteger(), ys[i].toBigInteger());
    }
  }

  @Test
  void sharedZTableMapsBackToTheMultiples() {
    Random rnd = new Random(17L);
    for (int round = 0; round < 20; round++) {
      BigInteger k = new BigInteger(256, rnd).mod(N.subtract(BigInteger.ONE)).add(BigInteger.ONE);
      ECPoint p = BouncyCastleRecovery.G.multiply(k).normalize();
      FieldElement[] xs = new FieldElement[8];
      FieldElement[] ys = new FieldElement[8];
      FieldElement c = new FieldElement();
      Secp256k1Recovery.oddMultiplesSharedZ(
          FieldElement.of(p.getAffineXCoord().toBigInteger()),
          FieldElement.of(p.getAffineYCoord().toBigInteger()),
          xs,
          ys,
          c);
      BigInteger cv = c.toBigInteger();
      BigInteger cInv2 = cv.modInverse(P).pow(2).mod(P);
      BigInteger cInv3 = cInv2.multiply(cv.modInverse(P)).mod(P);
      for (int i = 0; i < xs.length; i++) {
        ECPoint e = p.multiply(BigInteger.valueOf(2L * i + 1)).normalize();
        assertEquals(
            e.getAffineXCoord().toBigInteger(), xs[i].toBigInteger().multiply(cInv2).mod(P));
        assertEquals(
            e.getAffineYCoord().toBigInteger(), ys[i].toBigInteger().multiply(cInv3).mod(P));
      }
    }
  }

  private static void assertPoint(ECPoint expected, JacobianPoint actual) {
    FieldElement x = new FieldElement();
    FieldElement y = new FieldElement();
    if (expected.isInfinity()) {
      assertFalse(actual.toAffine(x, y), "expected the identity");
      return;
    }
    assertTrue(actual.toAffine(x, y), "unexpected identity");
    assertEquals(expected.normalize().getAffineXCoord().toBigInteger(), x.toBigInteger());
    assertEquals(expected.normalize().getAffineYCoord().toBigInteger(), y.toBigInteger());
  }
}
