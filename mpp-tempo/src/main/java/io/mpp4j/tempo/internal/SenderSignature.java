package io.mpp4j.tempo.internal;

import io.mpp4j.core.MalformedMessageException;
import io.mpp4j.tempo.Address;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The sender signature envelope of a Tempo transaction: a raw 65-byte secp256k1 signature, or a
 * type-prefixed P-256, WebAuthn or keychain (access key) signature. Only the kind is decoded for
 * the prefixed forms; their bytes are kept unchanged.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * SenderSignature sig = SenderSignature.parse(bytes);
 * if (sig.kind() == SenderSignature.Kind.SECP256K1) { ... sig.secp256k1() ... }
 * }</pre>
 */
public final class SenderSignature {
  /** The envelope kinds. */
  public enum Kind {
    /** 65 bytes {@code r || s || v}. */
    SECP256K1,
    /** Prefix {@code 0x01}. */
    P256,
    /** Prefix {@code 0x02}. */
    WEBAUTHN,
    /** Prefix {@code 0x03}: keychain (access key) V1, user address then inner signature. */
    KEYCHAIN_V1,
    /** Prefix {@code 0x04}: keychain V2, user address (20 bytes) then a 65-byte inner signature. */
    KEYCHAIN_V2
  }

  private final Kind kind;
  private final byte[] bytes;
  private final @Nullable Secp256k1Signature secp256k1;
  private final @Nullable Address keychainUser;

  private SenderSignature(
      Kind kind,
      byte[] bytes,
      @Nullable Secp256k1Signature secp256k1,
      @Nullable Address keychainUser) {
    this.kind = kind;
    this.bytes = bytes;
    this.secp256k1 = secp256k1;
    this.keychainUser = keychainUser;
  }

  /** Wraps a secp256k1 signature; it encodes canonically with {@code v = 27 + yParity}. */
  public static SenderSignature of(Secp256k1Signature signature) {
    Objects.requireNonNull(signature, "signature == null");
    return new SenderSignature(Kind.SECP256K1, signature.toBytes65(), signature, null);
  }

  /**
   * Reads an envelope. A 65-byte value is secp256k1 ({@code v} in {0, 1, 27, 28}, low-s); longer
   * values are classified by their first byte.
   *
   * @throws MalformedMessageException if the envelope is empty, of an unknown kind, too short for
   *     its kind, or an invalid secp256k1 signature
   */
  public static SenderSignature parse(byte[] envelope) throws MalformedMessageException {
    Objects.requireNonNull(envelope, "envelope == null");
    if (envelope.length == 65) {
      return of(Secp256k1Signature.parse65(envelope));
    }
    if (envelope.length < 2) {
      throw new MalformedMessageException("sender signature is too short");
    }
    byte[] copy = envelope.clone();
    switch (envelope[0]) {
      case 0x01:
        return new SenderSignature(Kind.P256, copy, null, null);
      case 0x02:
        return new SenderSignature(Kind.WEBAUTHN, copy, null, null);
      case 0x03:
      case 0x04:
        if (envelope.length < 1 + Address.LENGTH + 65) {
          throw new MalformedMessageException("keychain sender signature is too short");
        }
        if (envelope[0] == 0x04 && envelope.length != 1 + Address.LENGTH + 65) {
          throw new MalformedMessageException("keychain V2 sender signature must be 86 bytes");
        }
        Address user = Address.of(Arrays.copyOfRange(envelope, 1, 1 + Address.LENGTH));
        return new SenderSignature(
            envelope[0] == 0x03 ? Kind.KEYCHAIN_V1 : Kind.KEYCHAIN_V2, copy, null, user);
      default:
        throw new MalformedMessageException("sender signature has an unknown type prefix");
    }
  }

  /** The envelope kind. */
  public Kind kind() {
    return kind;
  }

  /** The canonical envelope bytes (secp256k1 with {@code v = 27/28}; other kinds unchanged). */
  public byte[] toBytes() {
    return bytes.clone();
  }

  /** The secp256k1 signature, or {@code null} for the other kinds. */
  public @Nullable Secp256k1Signature secp256k1() {
    return secp256k1;
  }

  /** The user (account) address of a keychain signature, or {@code null} for other kinds. */
  public @Nullable Address keychainUser() {
    return keychainUser;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof SenderSignature other
        && kind == other.kind
        && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return 31 * kind.hashCode() + Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "SenderSignature[" + kind + "]";
  }
}
