package io.mpp4j.stripe.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/**
 * What of Stripe's answers may be repeated: short machine codes ({@code card_declined}) and request
 * ids ({@code req_…}), never messages. Also the one-way hash that names secrets in store keys.
 */
public final class SafeText {
  private SafeText() {}

  /** Whether {@code s} is a short lower-case machine code ({@code [a-z_]{1,40}}). */
  public static boolean isCode(@Nullable String s) {
    if (s == null || s.isEmpty() || s.length() > 40) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c == '_')) {
        return false;
      }
    }
    return true;
  }

  /** A Stripe request id when it looks like one ({@code [A-Za-z0-9_]{1,64}}), else null. */
  public static @Nullable String requestId(@Nullable String s) {
    if (s == null || s.isEmpty() || s.length() > 64) {
      return null;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_')) {
        return null;
      }
    }
    return s;
  }

  /** Lower-case hex SHA-256 of the UTF-8 text. */
  public static String sha256(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
