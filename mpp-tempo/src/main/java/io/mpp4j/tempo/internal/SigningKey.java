package io.mpp4j.tempo.internal;

import io.mpp4j.tempo.Address;
import java.math.BigInteger;
import java.util.Objects;

/**
 * A secp256k1 private key that signs 32-byte hashes deterministically (RFC 6979, HMAC-SHA256) and
 * always produces low-s signatures: the signing half of {@link io.mpp4j.tempo.Secp256k1PrivateKey},
 * which users configure. {@link #toString()} shows only the address.
 *
 * <p>Immutable and thread-safe.
 */
public final class SigningKey {
  private final BigInteger d;
  private final Address address;

  private SigningKey(BigInteger d) {
    this.d = d;
    this.address = Address.of(Secp256k1.address(Secp256k1.publicKey(d)));
  }

  /**
   * Creates a key from its 32-byte big-endian scalar.
   *
   * @throws IllegalArgumentException if the bytes are not 32 long or not in {@code [1, n)}
   */
  public static SigningKey of(byte[] secret) {
    Objects.requireNonNull(secret, "secret == null");
    if (secret.length != 32) {
      throw new IllegalArgumentException("private key must be 32 bytes, but was " + secret.length);
    }
    BigInteger d = new BigInteger(1, secret);
    if (!Secp256k1.isValidPrivateKey(d)) {
      throw new IllegalArgumentException("private key is out of range");
    }
    return new SigningKey(d);
  }

  /** The key's Ethereum address. */
  public Address address() {
    return address;
  }

  /** Signs a 32-byte hash. */
  public Secp256k1Signature sign(byte[] hash) {
    Objects.requireNonNull(hash, "hash == null");
    BigInteger[] rsv = Secp256k1.sign(hash, d);
    return new Secp256k1Signature(rsv[0], rsv[1], rsv[2].intValueExact());
  }

  @Override
  public String toString() {
    return "SigningKey[address=" + address + "]";
  }
}
