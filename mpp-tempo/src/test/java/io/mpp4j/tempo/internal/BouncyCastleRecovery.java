package io.mpp4j.tempo.internal;

import java.math.BigInteger;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.BigIntegers;
import org.jspecify.annotations.Nullable;

/**
 * The reference for the differential tests: public-key recovery on Bouncy Castle's curve
 * arithmetic, as mpp-tempo did it before {@link Secp256k1Recovery}.
 */
final class BouncyCastleRecovery {
  static final X9ECParameters PARAMS = CustomNamedCurves.getByName("secp256k1");
  static final ECCurve CURVE = PARAMS.getCurve();
  static final ECPoint G = PARAMS.getG();
  static final BigInteger N = PARAMS.getN();
  static final BigInteger HALF_N = N.shiftRight(1);

  private BouncyCastleRecovery() {}

  /**
   * Recovers {@code x || y}, or {@code null}; with {@code requireLowS} exactly the old {@code
   * Secp256k1.recoverPublicKey}, without it only {@code 1 <= s < n} is required.
   */
  static byte @Nullable [] recoverPublicKey(
      byte[] hash, BigInteger r, BigInteger s, int yParity, boolean requireLowS) {
    BigInteger maxS = requireLowS ? HALF_N : N.subtract(BigInteger.ONE);
    if (hash.length != 32
        || (yParity != 0 && yParity != 1)
        || r.signum() <= 0
        || r.compareTo(N) >= 0
        || s.signum() <= 0
        || s.compareTo(maxS) > 0) {
      return null;
    }
    ECPoint bigR;
    try {
      byte[] enc = new byte[33];
      enc[0] = (byte) (yParity == 0 ? 0x02 : 0x03);
      BigIntegers.asUnsignedByteArray(r, enc, 1, 32);
      bigR = CURVE.decodePoint(enc);
    } catch (IllegalArgumentException e) {
      return null; // r is not the x coordinate of a curve point
    }
    BigInteger e = new BigInteger(1, hash).mod(N);
    BigInteger rInv = r.modInverse(N);
    BigInteger u1 = N.subtract(e).multiply(rInv).mod(N);
    BigInteger u2 = s.multiply(rInv).mod(N);
    ECPoint q = ECAlgorithms.sumOfTwoMultiplies(G, u1, bigR, u2).normalize();
    return q.isInfinity() ? null : encode(q);
  }

  /** {@code x || y} of a normalized, finite point. */
  static byte[] encode(ECPoint q) {
    byte[] out = new byte[64];
    BigIntegers.asUnsignedByteArray(q.getAffineXCoord().toBigInteger(), out, 0, 32);
    BigIntegers.asUnsignedByteArray(q.getAffineYCoord().toBigInteger(), out, 32, 32);
    return out;
  }
}
