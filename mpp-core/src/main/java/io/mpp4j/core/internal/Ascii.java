package io.mpp4j.core.internal;

/**
 * Checks for "plain" text, printable ASCII without {@code "} and {@code \}, that can be written
 * into a quoted header parameter or a JSON string as it is.
 */
public final class Ascii {
  private Ascii() {}

  /**
   * Whether every character of {@code s} is in U+0020..U+007E and none is {@code "} or {@code \}.
   */
  // Identity on purpose: a remembered entry is a String instance that was scanned before.
  @SuppressWarnings("ReferenceEquality")
  public static boolean isPlain(String s) {
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7E || c == '"' || c == '\\') {
        return false;
      }
    }
    return true;
  }
}
