package io.mpp4j.core;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * Strict base64url (RFC 4648 section 5) as MPP uses it: no padding on output, and on input only the
 * URL-safe alphabet, no padding, no whitespace and no non-zero trailing bits. Decoding to text
 * additionally requires well-formed UTF-8.
 *
 * <p>Thread-safe; all methods are static.
 *
 * <pre>{@code
 * String token = Base64Url.encode("{\"amount\":\"1000\"}");   // eyJhbW91bnQiOiIxMDAwIn0
 * String json = Base64Url.decodeToString(token);
 * }</pre>
 */
public final class Base64Url {
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  /** Lookup table: the 6-bit value of each alphabet byte, -1 for anything else. */
  private static final int[] DECODE = new int[256];

  static {
    java.util.Arrays.fill(DECODE, -1);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (int i = 0; i < alphabet.length(); i++) {
      DECODE[alphabet.charAt(i)] = i;
    }
  }

  private Base64Url() {}

  /** Encodes bytes without padding. */
  public static String encode(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes == null");
    return ENCODER.encodeToString(bytes);
  }

  /** Encodes the UTF-8 bytes of {@code text} without padding. */
  public static String encode(String text) {
    Objects.requireNonNull(text, "text == null");
    return encode(text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Decodes strict unpadded base64url.
   *
   * @throws MalformedMessageException on a character outside the URL-safe alphabet, padding, an
   *     impossible length or non-zero trailing bits
   */
  public static byte[] decode(String text) throws MalformedMessageException {
    Objects.requireNonNull(text, "text == null");
    int length = text.length();
    int rem = length % 4;
    if (rem == 1) {
      throw new MalformedMessageException("invalid base64url: impossible length");
    }
    if (text.indexOf('=') >= 0) {
      throw new MalformedMessageException("invalid base64url: padding is not allowed");
    }
    // Latin-1 bytes: anything above U+00FF becomes '?', which is outside the alphabet (and a
    // surrogate pair becomes one '?', so the bytes no longer line up with the text: refused too).
    byte[] in = text.getBytes(StandardCharsets.ISO_8859_1);
    byte[] out;
    try {
      if (in.length != length) {
        throw new IllegalArgumentException("not Latin-1");
      }
      out = DECODER.decode(in);
    } catch (IllegalArgumentException e) {
      int at = 0;
      while (at < length && isAlphabet(text.charAt(at))) {
        at++;
      }
      throw new MalformedMessageException(
          "invalid base64url: character outside the URL-safe alphabet at offset " + at);
    }
    // Canonical form only: the unused low bits of the last character must be zero.
    if (rem != 0) {
      int last = DECODE[in[length - 1] & 0xFF];
      if ((rem == 2 && (last & 0x0F) != 0) || (rem == 3 && (last & 0x03) != 0)) {
        throw new MalformedMessageException("invalid base64url: non-zero trailing bits");
      }
    }
    return out;
  }

  /** Whether {@code c} is in the base64url alphabet. */
  public static boolean isAlphabet(char c) {
    return c < 256 && DECODE[c] >= 0;
  }

  /**
   * Decodes strict base64url and then strict UTF-8.
   *
   * @throws MalformedMessageException as {@link #decode(String)}, or when the bytes are not
   *     well-formed UTF-8 (no replacement characters are produced)
   */
  public static String decodeToString(String text) throws MalformedMessageException {
    return utf8(decode(text));
  }

  /**
   * Strict UTF-8 decoding.
   *
   * @throws MalformedMessageException when the bytes are not well-formed UTF-8
   */
  static String utf8(byte[] bytes) throws MalformedMessageException {
    try {
      CharBuffer chars =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes));
      return chars.toString();
    } catch (CharacterCodingException e) {
      throw new MalformedMessageException("invalid UTF-8 in decoded base64url", e);
    }
  }
}
