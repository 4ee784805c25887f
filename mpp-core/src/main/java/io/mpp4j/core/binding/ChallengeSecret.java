package io.mpp4j.core.binding;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The server secret that keys the HMAC-SHA256 challenge binding. It must be at least {@value
 * #MIN_LENGTH} bytes; the key bytes are the UTF-8 bytes of the configured text, as in every other
 * MPP SDK, so ids interoperate.
 *
 * <p>Immutable and thread-safe. {@link #toString()} never reveals the secret.
 *
 * <pre>{@code
 * ChallengeSecret secret = ChallengeSecret.of(System.getenv("MPP_SECRET_KEY"));
 * }</pre>
 */
public final class ChallengeSecret {
  /** The minimum secret length in bytes. */
  public static final int MIN_LENGTH = 32;

  private static final String ALGORITHM = "HmacSHA256";

  private final SecretKeySpec key;
  private final String fingerprint;
  private final ThreadLocal<Mac> macs;

  private ChallengeSecret(byte[] bytes) {
    this.key = new SecretKeySpec(bytes, ALGORITHM);
    this.fingerprint = fingerprint(bytes);
    this.macs = ThreadLocal.withInitial(this::newMac);
    Arrays.fill(bytes, (byte) 0);
  }

  /**
   * A secret from its text (for example {@code MPP_SECRET_KEY}).
   *
   * @throws IllegalArgumentException when the UTF-8 encoding is shorter than {@value #MIN_LENGTH}
   *     bytes
   */
  public static ChallengeSecret of(String secret) {
    Objects.requireNonNull(secret, "secret == null");
    return of(secret.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A secret from raw key bytes (copied).
   *
   * @throws IllegalArgumentException when shorter than {@value #MIN_LENGTH} bytes
   */
  public static ChallengeSecret of(byte[] secret) {
    Objects.requireNonNull(secret, "secret == null");
    if (secret.length < MIN_LENGTH) {
      throw new IllegalArgumentException(
          "the challenge secret must be at least "
              + MIN_LENGTH
              + " bytes, but was "
              + secret.length
              + " bytes");
    }
    return new ChallengeSecret(secret.clone());
  }

  /** A fresh random secret (32 random bytes, base64url), e.g. for a development server. */
  public static ChallengeSecret random() {
    byte[] raw = new byte[32];
    new SecureRandom().nextBytes(raw);
    String text = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    return of(text);
  }

  /**
   * A secret of any non-zero length, bypassing the {@value #MIN_LENGTH}-byte minimum. Only for
   * reproducing published test vectors that predate the minimum (the cross-SDK server-verification
   * cases use {@code "secret-key"}); never use it to protect real payments.
   *
   * @throws IllegalArgumentException when empty
   */
  public static ChallengeSecret unsafeOfAnyLength(String secret) {
    Objects.requireNonNull(secret, "secret == null");
    byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
    if (bytes.length == 0) {
      throw new IllegalArgumentException("the challenge secret must not be empty");
    }
    return new ChallengeSecret(bytes);
  }

  /** HMAC-SHA256 of {@code input} under this secret. */
  byte[] hmac(byte[] input) {
    Mac mac = macs.get();
    return mac.doFinal(input);
  }

  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  /** A short non-reversible fingerprint for logs: the first 8 hex digits of SHA-256(secret). */
  public String fingerprint() {
    return fingerprint;
  }

  private static String fingerprint(byte[] bytes) {
    try {
      byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
      return java.util.HexFormat.of().formatHex(h, 0, 4);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  /** Redacted. */
  @Override
  public String toString() {
    return "ChallengeSecret[sha256:" + fingerprint + "…]";
  }
}
