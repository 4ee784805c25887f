package io.mpp4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Base64UrlTest {
  @ParameterizedTest
  @CsvSource({
    "a,YQ",
    "ab,YWI",
    "abc,YWJj",
    ">>>???,Pj4-Pz8_",
    "'{\"key\":\"value\"}',eyJrZXkiOiJ2YWx1ZSJ9"
  })
  void encodesWithoutPaddingAndDecodesBack(String text, String encoded) throws Exception {
    assertEquals(encoded, Base64Url.encode(text));
    assertEquals(text, Base64Url.decodeToString(encoded));
  }

  @Test
  void emptyIsEmpty() throws Exception {
    assertEquals("", Base64Url.encode(""));
    assertEquals("", Base64Url.decodeToString(""));
  }

  @ParameterizedTest
  @ValueSource(strings = {"not-valid!!!", "YQ==", "YQ=", "Y Q", "YW+j", "YW/j", "Y", "YWJjZ", "é"})
  void rejectsAnythingButStrictUnpaddedBase64url(String input) {
    assertThrows(MalformedMessageException.class, () -> Base64Url.decode(input));
  }

  /** Long texts go to the JDK decoder on Latin-1 bytes, where a surrogate pair is one byte. */
  @Test
  void reportsCharactersBeyondLatin1InLongTextsAtTheirOffset() {
    String valid = "A".repeat(120);
    for (int at : new int[] {0, 57, 118}) {
      String text = valid.substring(0, at) + "\ud83d\ude00" + valid.substring(at + 2);
      MalformedMessageException e =
          assertThrows(MalformedMessageException.class, () -> Base64Url.decode(text));
      assertEquals(
          "invalid base64url: character outside the URL-safe alphabet at offset " + at,
          e.getMessage());
    }
  }

  @Test
  void rejectsNonZeroTrailingBits() {
    // "YR" decodes to the same byte as "YQ" with non-zero unused bits: not canonical.
    assertThrows(MalformedMessageException.class, () -> Base64Url.decode("YR"));
    assertThrows(MalformedMessageException.class, () -> Base64Url.decode("YWJ"));
  }

  @Test
  void decodingToTextRequiresWellFormedUtf8() throws Exception {
    assertArrayEquals(new byte[] {(byte) 0xFF}, Base64Url.decode("_w"));
    MalformedMessageException e =
        assertThrows(MalformedMessageException.class, () -> Base64Url.decodeToString("_w"));
    assertEquals("invalid UTF-8 in decoded base64url", e.getMessage());
    // An encoded lone surrogate (ED A0 80) is not UTF-8 either.
    assertThrows(
        MalformedMessageException.class,
        () ->
            Base64Url.decodeToString(
                Base64Url.encode(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80})));
  }

  @Test
  void roundTripsUnicode() throws Exception {
    String text = "Payment for café ☕ 😀";
    assertEquals(text, Base64Url.decodeToString(Base64Url.encode(text)));
  }
}
