package io.mpp4j.tempo.internal;

import io.mpp4j.core.MalformedMessageException;

/** Lower-case hex with a {@code 0x} prefix. */
public final class Hex {
  private static final char[] DIGITS = "0123456789abcdef".toCharArray();

  private Hex() {}

  /** Encodes bytes as {@code 0x…} lower-case hex. */
  public static String encode(byte[] bytes) {
    char[] out = new char[2 + bytes.length * 2];
    out[0] = '0';
    out[1] = 'x';
    for (int i = 0; i < bytes.length; i++) {
      out[2 + 2 * i] = DIGITS[(bytes[i] >> 4) & 0xf];
      out[3 + 2 * i] = DIGITS[bytes[i] & 0xf];
    }
    return new String(out);
  }

  /**
   * Decodes {@code 0x}-prefixed hex (either case) of at most {@code maxBytes} bytes.
   *
   * @param what names the field in error messages
   */
  public static byte[] decode(String hex, int maxBytes, String what)
      throws MalformedMessageException {
    if (!hex.startsWith("0x") && !hex.startsWith("0X")) {
      throw new MalformedMessageException(what + " must start with 0x");
    }
    int len = hex.length() - 2;
    if (len % 2 != 0) {
      throw new MalformedMessageException(what + " has an odd number of hex digits");
    }
    if (len / 2 > maxBytes) {
      throw new MalformedMessageException(what + " is longer than " + maxBytes + " bytes");
    }
    byte[] out = new byte[len / 2];
    for (int i = 0; i < out.length; i++) {
      int hi = digit(hex.charAt(2 + 2 * i));
      int lo = digit(hex.charAt(3 + 2 * i));
      if (hi < 0 || lo < 0) {
        throw new MalformedMessageException(what + " contains a non-hex character");
      }
      out[i] = (byte) ((hi << 4) | lo);
    }
    return out;
  }

  /**
   * Decodes {@code 0x}-prefixed hex that was validated before (for example a component of a record
   * that checks its form).
   *
   * @throws IllegalArgumentException if it is not {@code 0x}-prefixed hex after all
   */
  public static byte[] decodeUnchecked(String hex) {
    try {
      return decode(hex, hex.length(), "hex");
    } catch (MalformedMessageException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** An ASCII hex digit's value, or -1 (Character.digit would also accept non-ASCII digits). */
  private static int digit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    } else if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }
}
