package io.mpp4j.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The word-at-a-time checks of {@link Ascii} agree with a plain loop on every input. */
class AsciiProperties {

  @Property(tries = 3000)
  void isPlainAgreesWithTheLoop(@ForAll("texts") String s) {
    assertEquals(reference(s, false), Ascii.isPlain(s), () -> escape(s));
    // Again, and for an equal other instance.
    assertEquals(reference(s, false), Ascii.isPlain(s), () -> escape(s));
    assertEquals(reference(s, false), Ascii.isPlain(new String(s)), () -> escape(s));
  }

  @Property(tries = 3000)
  void isPlainBytesAgreesWithTheLoop(@ForAll("texts") String s) {
    byte[] b = new byte[s.length()];
    StringBuilder asLatin1 = new StringBuilder(b.length);
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) s.charAt(i); // every byte value, including 0x7F..0xFF
      asLatin1.append((char) (b[i] & 0xFF));
    }
    String bytes = asLatin1.toString();
    assertEquals(reference(bytes, true), Ascii.isPlainBytes(b, 0, b.length), () -> escape(bytes));
  }

  @Test
  void everySingleSpecialCharacterAtEveryPositionOfALongString() {
    String base = "abcdefghijklmnopqrstuvwxyz0123456789";
    assertTrue(Ascii.isPlain(base));
    for (char special : new char[] {0, 0x1F, '"', '\\', 0x7F, 0x80, 0xFF, 0x100, 0x2028, 0xD800}) {
      for (int at = 0; at < base.length(); at++) {
        String s = base.substring(0, at) + special + base.substring(at + 1);
        assertFalse(Ascii.isPlain(s), () -> escape(s));
      }
    }
    // A question mark is plain text; only the byte check refuses it (see Ascii#isPlainBytes).
    assertTrue(Ascii.isPlain(base + "?"));
    // U+013F and U+0122 have the low bytes of '?' and '"': never taken for them.
    assertFalse(Ascii.isPlain(base + "\u013f"));
    assertFalse(Ascii.isPlain(base + "\u0122"));
  }

  @Provide
  Arbitrary<String> texts() {
    Arbitrary<Character> mostlyPlain =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(40, Arbitraries.chars().range(' ', '~')),
            net.jqwik.api.Tuple.of(1, Arbitraries.chars().range('\u0000', '\u001f')),
            net.jqwik.api.Tuple.of(1, Arbitraries.chars().range('\u007f', '\u00ff')),
            net.jqwik.api.Tuple.of(1, Arbitraries.chars().range('\u0100', '\uffff')),
            net.jqwik.api.Tuple.of(2, Arbitraries.of('"', '\\', '?')));
    return mostlyPlain.list().ofMaxSize(80).map(AsciiProperties::join);
  }

  private static String join(java.util.List<Character> chars) {
    StringBuilder sb = new StringBuilder(chars.size());
    chars.forEach(sb::append);
    return sb.toString();
  }

  private static boolean reference(String s, boolean questionMarkSpecial) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7E || c == '"' || c == '\\' || (questionMarkSpecial && c == '?')) {
        return false;
      }
    }
    return true;
  }

  private static String escape(String s) {
    StringBuilder sb = new StringBuilder();
    s.chars()
        .forEach(c -> sb.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", c) : (char) c));
    return sb.toString();
  }
}
