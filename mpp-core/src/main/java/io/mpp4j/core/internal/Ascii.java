package io.mpp4j.core.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Checks for "plain" text, printable ASCII without {@code "} and {@code \}, that can be written
 * into a quoted header parameter or a JSON string as it is. Strings are tested eight bytes at a
 * time on a copy of their Latin-1 bytes; a loop over {@code charAt} costs several times more on the
 * values MPP writes (ids, addresses, dates, base64url).
 */
public final class Ascii {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  /** Below this length the byte copy costs more than it saves. */
  private static final int WORDWISE_FROM = 16;

  private Ascii() {}

  /**
   * Whether every character of {@code s} is in U+0020..U+007E and none is {@code "} or {@code \}.
   */
  public static boolean isPlain(String s) {
    int n = s.length();
    if (n >= WORDWISE_FROM) {
      // A character above U+00FF becomes '?' in the copy, so a '?' is not trusted: such strings
      // (and every other one that fails here) are decided by the exact loop below.
      byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
      if (isPlainBytes(b, 0, b.length)) {
        return true;
      }
    }
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7E || c == '"' || c == '\\') {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether every byte of {@code b[from, to)} is printable ASCII other than {@code "}, {@code \}
   * and {@code ?}. The question mark is excluded because the JDK's encoders put it in place of
   * characters they cannot encode: a caller that sees true knows the bytes are the string's own.
   */
  public static boolean isPlainBytes(byte[] b, int from, int to) {
    int i = from;
    for (; i + 8 <= to; i += 8) {
      if (!isPlainWord((long) LONGS.get(b, i))) {
        return false;
      }
    }
    for (; i < to; i++) {
      int c = b[i];
      if (c < 0x20 || c > 0x7E || c == '"' || c == '\\' || c == '?') {
        return false;
      }
    }
    return true;
  }

  /** Whether none of the 8 bytes is >= 0x7F, < 0x20, '"', '\\' or '?' (no branches). */
  private static boolean isPlainWord(long w) {
    long quote = w ^ (0x22 * ONES);
    long backslash = w ^ (0x5C * ONES);
    long question = w ^ (0x3F * ONES);
    long special =
        w // a byte >= 0x80
            | (w + ONES) // a byte 0x7F (becomes 0x80; carries only start at bytes >= 0x80)
            | ((w - 0x20 * ONES) & ~w) // a byte < 0x20
            | ((quote - ONES) & ~quote) // a zero byte in w ^ '"'
            | ((backslash - ONES) & ~backslash) // a zero byte in w ^ '\\'
            | ((question - ONES) & ~question); // a zero byte in w ^ '?'
    return (special & HIGHS) == 0;
  }
}
