package io.mpp4j.core.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AsciiTest {

  @Test
  void everySingleSpecialCharacterAtEveryPositionOfALongString() {
    String base = "abcdefghijklmnopqrstuvwxyz0123456789";
    assertTrue(Ascii.isPlain(base));
    assertTrue(Ascii.isPlain(""));
    for (char special : new char[] {0, 0x1F, '"', '\\', 0x7F, 0x80, 0xFF, 0x100, 0x2028, 0xD800}) {
      for (int at = 0; at < base.length(); at++) {
        String s = base.substring(0, at) + special + base.substring(at + 1);
        assertFalse(Ascii.isPlain(s), () -> escape(s));
      }
    }
    // A question mark is plain text.
    assertTrue(Ascii.isPlain(base + "?"));
    // U+013F and U+0122 have the low bytes of '?' and '"': never taken for them.
    assertFalse(Ascii.isPlain(base + "\u013f"));
    assertFalse(Ascii.isPlain(base + "\u0122"));
  }

  private static String escape(String s) {
    StringBuilder sb = new StringBuilder();
    s.chars()
        .forEach(c -> sb.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", c) : (char) c));
    return sb.toString();
  }
}
