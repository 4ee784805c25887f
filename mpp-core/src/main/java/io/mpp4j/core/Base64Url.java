package io.mpp4j.core;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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
    return decode(text, 0);
  }

  /**
   * {@link #decode(String)} of {@code text.substring(from)}, without making that string; offsets in
   * error messages count from {@code from}.
   */
  static byte[] decode(String text, int from) throws MalformedMessageException {
    int end = text.length();
    int length = end - from;
    int rem = length % 4;
    if (rem == 1) {
      throw new MalformedMessageException("invalid base64url: impossible length");
    }
    // Padding can only end a text the decoders would accept; elsewhere a '=' makes them fail, and
    // the failure is then reported as padding, without a scan of every valid text for it.
    if (length > 0 && (text.charAt(end - 1) == '=' || length > 1 && text.charAt(end - 2) == '=')) {
      throw padding();
    }
    try {
      return decode(text, from, length, rem);
    } catch (MalformedMessageException e) {
      if (text.indexOf('=', from) >= 0) {
        throw padding();
      }
      throw e;
    }
  }

  private static MalformedMessageException padding() {
    return new MalformedMessageException("invalid base64url: padding is not allowed");
  }

  /**
   * {@link #decode} of {@code text[from, from + length)}, which passed the length and padding
   * checks, with the JDK decoder.
   */
  private static byte[] decode(String text, int from, int length, int rem)
      throws MalformedMessageException {
    // Latin-1 bytes are a plain array copy for compact strings; anything above U+00FF becomes '?',
    // which is outside the alphabet. The JDK decoder rejects every character outside it, and
    // decodes the slice in place (its output array is exactly the decoded length).
    byte[] in = text.getBytes(StandardCharsets.ISO_8859_1);
    if (in.length != text.length()) {
      // A surrogate pair became a single '?': the text has a character outside the alphabet, and
      // the bytes no longer line up with it.
      throw outsideAlphabet(text, from);
    }
    byte[] out;
    try {
      ByteBuffer decoded = DECODER.decode(ByteBuffer.wrap(in, from, length));
      out = decoded.array();
      if (decoded.arrayOffset() != 0 || decoded.remaining() != out.length) {
        out =
            Arrays.copyOfRange(out, decoded.arrayOffset(), decoded.arrayOffset() + decoded.limit());
      }
    } catch (IllegalArgumentException e) {
      throw outsideAlphabet(text, from);
    }
    // Canonical form only: the unused low bits of the last character must be zero.
    if (rem != 0) {
      int last = DECODE[in[from + length - 1] & 0xFF];
      if ((rem == 2 && (last & 0x0F) != 0) || (rem == 3 && (last & 0x03) != 0)) {
        throw new MalformedMessageException("invalid base64url: non-zero trailing bits");
      }
    }
    return out;
  }

  /** The error for the first character of {@code text} from {@code from} outside the alphabet. */
  private static MalformedMessageException outsideAlphabet(String text, int from) {
    int at = from;
    while (at < text.length() && isAlphabet(text.charAt(at))) {
      at++;
    }
    return outsideAlphabetAt(at - from);
  }

  private static MalformedMessageException outsideAlphabetAt(int offset) {
    return new MalformedMessageException(
        "invalid base64url: character outside the URL-safe alphabet at offset " + offset);
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
