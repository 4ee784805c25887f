package io.mpp4j.core;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Request-body digests for the {@code digest} challenge parameter (RFC 9530): SHA-256 over the raw
 * body bytes. mpp4j emits the structured form {@code sha-256=:<base64>:}; when verifying it also
 * accepts the unwrapped {@code sha-256=<base64>} that some other SDKs emit, comparing the 32-byte
 * hashes in constant time.
 *
 * <p>Thread-safe; all methods are static.
 */
public final class BodyDigest {
  private static final String PREFIX = "sha-256=";

  private BodyDigest() {}

  /** {@code sha-256=:<standard base64 with padding>:} of {@code body}. */
  public static String compute(byte[] body) {
    Objects.requireNonNull(body, "body == null");
    return format(sha256(body));
  }

  /** Formats a SHA-256 hash in the RFC 9530 structured form. */
  public static String format(byte[] sha256) {
    return PREFIX + ":" + Base64.getEncoder().encodeToString(sha256) + ":";
  }

  /**
   * Whether {@code digest} (either form) is the SHA-256 of {@code body}; false for any other
   * algorithm or a malformed value.
   */
  public static boolean matches(String digest, byte[] body) {
    Objects.requireNonNull(digest, "digest == null");
    Objects.requireNonNull(body, "body == null");
    byte[] claimed = parse(digest);
    return claimed != null && MessageDigest.isEqual(claimed, sha256(body));
  }

  /** The 32-byte hash in a {@code sha-256=} digest value of either form, or null. */
  public static byte @Nullable [] parse(String digest) {
    if (digest.length() > 128 || !digest.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      return null;
    }
    String b64 = digest.substring(PREFIX.length());
    if (b64.length() >= 2 && b64.startsWith(":") && b64.endsWith(":")) {
      b64 = b64.substring(1, b64.length() - 1);
    }
    byte[] hash;
    try {
      // Accept the standard alphabet (RFC 9530) with or without padding.
      hash = Base64.getDecoder().decode(b64);
    } catch (IllegalArgumentException e) {
      return null;
    }
    return hash.length == 32 ? hash : null;
  }

  /** SHA-256 of {@code bytes}. */
  public static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
