package io.mpp4j.tempo.internal;

import org.bouncycastle.crypto.digests.KeccakDigest;

/** Keccak-256 (the Ethereum variant, not SHA3-256). */
public final class Keccak {
  private Keccak() {}

  /** Returns keccak256 of the given bytes. */
  public static byte[] hash(byte[] input) {
    return hash(input, 0, input.length);
  }

  /** Returns keccak256 of {@code input[offset, offset + length)}. */
  public static byte[] hash(byte[] input, int offset, int length) {
    KeccakDigest digest = new KeccakDigest(256);
    digest.update(input, offset, length);
    byte[] out = new byte[32];
    digest.doFinal(out, 0);
    return out;
  }
}
