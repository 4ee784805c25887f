package io.mpp4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Base64;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** {@link Base64Url#decode} accepts exactly strict base64url and words every error by its rule. */
class Base64UrlDecoderProperties {
  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  /** {@link Base64Url#decode} against the rules written out one by one, in their order. */
  @Property(tries = 3000)
  void decodeFollowsTheRulesInOrder(@ForAll("textsWithPadding") String text) {
    Outcome actual = outcome(() -> Base64Url.decode(text));
    String expectedError = null;
    int at = 0;
    while (at < text.length() && ALPHABET.indexOf(text.charAt(at)) >= 0) {
      at++;
    }
    int rem = text.length() % 4;
    int lastSextet =
        text.isEmpty() ? 0 : Math.max(0, ALPHABET.indexOf(text.charAt(text.length() - 1)));
    if (rem == 1) {
      expectedError = "invalid base64url: impossible length";
    } else if (text.indexOf('=') >= 0) {
      expectedError = "invalid base64url: padding is not allowed";
    } else if (at < text.length()) {
      expectedError = "invalid base64url: character outside the URL-safe alphabet at offset " + at;
    } else if (rem == 2 && (lastSextet & 0x0F) != 0 || rem == 3 && (lastSextet & 0x03) != 0) {
      expectedError = "invalid base64url: non-zero trailing bits";
    }
    assertEquals(expectedError, actual.error, text);
    if (expectedError == null) {
      assertArrayEquals(Base64.getUrlDecoder().decode(text), actual.bytes, text);
    }
  }

  @Property(tries = 500)
  void encodeThenDecodeIsTheIdentity(@ForAll byte[] bytes) throws Exception {
    assertArrayEquals(bytes, Base64Url.decode(Base64Url.encode(bytes)));
  }

  @Provide
  Arbitrary<String> textsWithPadding() {
    Arbitrary<String> body = Arbitraries.strings().withChars(ALPHABET).ofMaxLength(200);
    Arbitrary<String> noisy =
        Arbitraries.strings().withChars(ALPHABET + ALPHABET + "==+/ \u00e9\u0141").ofMaxLength(200);
    return Arbitraries.oneOf(
        body,
        noisy,
        body.map(t -> t + "="),
        body.map(t -> t + "=="),
        body.map(t -> t.isEmpty() ? "=" : t.substring(0, t.length() / 2) + "=" + t));
  }

  // Never compared as a whole; the property compares the bytes with assertArrayEquals.
  @SuppressWarnings("ArrayRecordComponent")
  private record Outcome(byte[] bytes, String error) {}

  private interface Decoding {
    byte[] run() throws MalformedMessageException;
  }

  private static Outcome outcome(Decoding decoding) {
    try {
      return new Outcome(decoding.run(), null);
    } catch (MalformedMessageException e) {
      return new Outcome(null, e.getMessage());
    }
  }
}
