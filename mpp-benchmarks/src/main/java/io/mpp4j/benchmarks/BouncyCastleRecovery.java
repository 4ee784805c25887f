package io.mpp4j.benchmarks;

import io.mpp4j.tempo.Address;
import io.mpp4j.tempo.internal.Secp256k1Signature;
import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.KeccakDigest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;

/**
 * secp256k1 public-key recovery (SEC 1 section 4.1.6) and the Ethereum address of the key, written
 * on Bouncy Castle's curve arithmetic: the reference for {@link TempoCredentialBenchmark}.
 */
final class BouncyCastleRecovery {
  private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256k1");
  private static final BigInteger N = CURVE.getN();

  private BouncyCastleRecovery() {}

  static Address recover(byte[] hash, Secp256k1Signature signature) {
    BigInteger r = signature.r();
    BigInteger s = signature.s();
    // R = the point with x = r (the signatures here never need r + n) and the given y parity.
    byte[] compressed = new byte[33];
    compressed[0] = (byte) (signature.yParity() == 0 ? 0x02 : 0x03);
    byte[] x = r.toByteArray();
    int len = Math.min(32, x.length);
    System.arraycopy(x, x.length - len, compressed, 33 - len, len);
    ECPoint point = CURVE.getCurve().decodePoint(compressed);
    BigInteger e = new BigInteger(1, hash);
    BigInteger rInverse = r.modInverse(N);
    // Q = r^-1 (s R - e G)
    ECPoint q =
        ECAlgorithms.sumOfTwoMultiplies(
                CURVE.getG(),
                e.negate().mod(N).multiply(rInverse).mod(N),
                point,
                s.multiply(rInverse).mod(N))
            .normalize();
    byte[] uncompressed = q.getEncoded(false);
    KeccakDigest keccak = new KeccakDigest(256);
    keccak.update(uncompressed, 1, 64);
    byte[] digest = new byte[32];
    keccak.doFinal(digest, 0);
    return Address.of(Arrays.copyOfRange(digest, 12, 32));
  }
}
