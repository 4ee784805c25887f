package io.mpp4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Base64;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link Base64Url#decode} has two decoders: a lookup table for short texts (ids, nonces) and the
 * JDK's for long ones. On every text both accept the same inputs, yield the same bytes and word
 * every error the same way.
 */
class Base64UrlDecoderProperties {
  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  @Property(tries = 3000)
  void shortAndLongDecodersAgree(@ForAll("texts") String text) {
    int length = text.length();
    int rem = length % 4;
    if (rem == 1 || text.indexOf('=') >= 0) {
      return; // refused before either decoder runs
    }
    Outcome viaTable = outcome(() -> Base64Url.decodeShort(text, 0, length, rem));
    Outcome viaJdk = outcome(() -> Base64Url.decodeLong(text, 0, length, rem));
    assertEquals(viaJdk.error, viaTable.error, text);
    if (viaJdk.error == null) {
      assertArrayEquals(viaJdk.bytes, viaTable.bytes, text);
      // and both are the RFC 4648 decoding
      assertArrayEquals(Base64.getUrlDecoder().decode(text), viaTable.bytes, text);
    }
  }

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

  /** Decoding in place after a prefix is decoding the rest, errors and offsets included. */
  @Property(tries = 2000)
  void decodingFromAnOffsetIsDecodingTheRest(
      @ForAll("textsWithPadding") String text, @ForAll("prefixes") String prefix) {
    Outcome whole = outcome(() -> Base64Url.decode(text));
    Outcome inPlace = outcome(() -> Base64Url.decode(prefix + text, prefix.length()));
    assertEquals(whole.error, inPlace.error, text);
    if (whole.error == null) {
      assertArrayEquals(whole.bytes, inPlace.bytes, text);
    }
  }

  @Provide
  Arbitrary<String> prefixes() {
    return Arbitraries.oneOf(
        Arbitraries.just(""),
        Arbitraries.just("Payment "),
        Arbitraries.strings().withChars(ALPHABET + "= ,\u0141").ofMaxLength(12));
  }

  @Property(tries = 500)
  void encodeThenDecodeIsTheIdentity(@ForAll byte[] bytes) throws Exception {
    assertArrayEquals(bytes, Base64Url.decode(Base64Url.encode(bytes)));
  }

  @Provide
  Arbitrary<String> texts() {
    Arbitrary<String> valid = Arbitraries.strings().withChars(ALPHABET).ofMaxLength(120);
    // Mostly the alphabet, with the odd character outside it (ASCII, Latin-1, beyond Latin-1).
    Arbitrary<String> noisy =
        Arbitraries.strings()
            .withChars(
                ALPHABET
                    + ALPHABET
                    + ALPHABET
                    + "+/ .\u0000\u007f\u00e9\u00ff\u0141\u20ac\ud83d\ude00\ud800")
            .ofMaxLength(120);
    return Arbitraries.oneOf(valid, noisy);
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
