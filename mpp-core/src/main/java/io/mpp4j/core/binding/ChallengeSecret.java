package io.mpp4j.core.binding;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

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

  private static final int BLOCK = 64;
  private static final int PREFIX_CACHE_LIMIT = 1024;

  private final String fingerprint;

  /** SHA-256 states after absorbing the inner (ipad) and outer (opad) key blocks. */
  private final MessageDigest innerStart;

  private final MessageDigest outerStart;

  /** Inner states after also absorbing a route's HMAC prefix (bounded, cleared when full). */
  private final java.util.concurrent.ConcurrentHashMap<ChallengeBinder.Prefix, MessageDigest>
      prefixStates = new java.util.concurrent.ConcurrentHashMap<>();

  private ChallengeSecret(byte[] bytes) {
    this.fingerprint = fingerprint(bytes);
    // HMAC (RFC 2104): K0 is the key, hashed first if longer than a block, padded with zeros.
    byte[] k0 = new byte[BLOCK];
    byte[] k = bytes.length > BLOCK ? sha256().digest(bytes) : bytes;
    System.arraycopy(k, 0, k0, 0, k.length);
    byte[] ipad = new byte[BLOCK];
    byte[] opad = new byte[BLOCK];
    for (int i = 0; i < BLOCK; i++) {
      ipad[i] = (byte) (k0[i] ^ 0x36);
      opad[i] = (byte) (k0[i] ^ 0x5c);
    }
    this.innerStart = sha256();
    this.innerStart.update(ipad);
    this.outerStart = sha256();
    this.outerStart.update(opad);
    Arrays.fill(k0, (byte) 0);
    Arrays.fill(ipad, (byte) 0);
    Arrays.fill(opad, (byte) 0);
    Arrays.fill(bytes, (byte) 0);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  private static MessageDigest copy(MessageDigest state) {
    try {
      return (MessageDigest) state.clone();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("SHA-256 state cannot be copied", e);
    }
  }

  /**
   * HMAC-SHA256 of {@code prefix.bytes() || rest}. The hash state after the prefix (the same for
   * every challenge of a route) is computed once and reused, so only the rest is hashed per call;
   * the result is exactly HMAC-SHA256 of the whole input (RFC 2104).
   */
  byte[] hmac(ChallengeBinder.Prefix prefix, byte[] rest) {
    MessageDigest base = prefixState(prefix);
    MessageDigest inner = copy(base);
    inner.update(rest);
    byte[] innerHash = inner.digest();
    MessageDigest outer = copy(outerStart);
    outer.update(innerHash);
    return outer.digest();
  }

  /** The last prefix looked up and its state: most calls are for the same route again. */
  private volatile @Nullable PrefixState lastPrefix;

  private record PrefixState(ChallengeBinder.Prefix prefix, MessageDigest state) {}

  /**
   * The inner hash state after the key block and {@code prefix}. The last one used is checked
   * first, with {@code equals} alone: hashing a request that was just built (its encoding not yet
   * hashed) costs more than comparing it with the last one.
   */
  private MessageDigest prefixState(ChallengeBinder.Prefix prefix) {
    PrefixState last = lastPrefix;
    if (last != null && last.prefix.equals(prefix)) {
      return last.state;
    }
    MessageDigest base = prefixStates.get(prefix);
    if (base == null) {
      base = copy(innerStart);
      base.update(prefix.bytes());
      if (prefixStates.size() >= PREFIX_CACHE_LIMIT) {
        prefixStates.clear();
      }
      prefixStates.put(prefix, base);
    }
    lastPrefix = new PrefixState(prefix, base);
    return base;
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
