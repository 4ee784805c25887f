package io.mpp4j.tempo;

import io.mpp4j.tempo.internal.SigningKey;
import java.util.Objects;

/**
 * A secp256k1 private key: the fee payer's key a server that sponsors fees configures ({@link
 * TempoConfig.Builder#feePayerKey}). The method signs with it; it offers no signing of its own.
 * {@link #toString()} shows only the address.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * Secp256k1PrivateKey key = Secp256k1PrivateKey.of(secret32);
 * }</pre>
 */
public final class Secp256k1PrivateKey {
  private final SigningKey key;

  private Secp256k1PrivateKey(SigningKey key) {
    this.key = key;
  }

  /**
   * Creates a key from its 32-byte big-endian scalar.
   *
   * @throws IllegalArgumentException if the bytes are not 32 long or not in {@code [1, n)}
   */
  public static Secp256k1PrivateKey of(byte[] secret) {
    Objects.requireNonNull(secret, "secret == null");
    return new Secp256k1PrivateKey(SigningKey.of(secret));
  }

  /** The key's Ethereum address. */
  public Address address() {
    return key.address();
  }

  /** The key that signs, for this module's own code. */
  SigningKey signingKey() {
    return key;
  }

  @Override
  public String toString() {
    return "Secp256k1PrivateKey[address=" + key.address() + "]";
  }
}
