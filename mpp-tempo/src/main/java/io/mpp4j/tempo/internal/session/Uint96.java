package io.mpp4j.tempo.internal.session;

import io.mpp4j.core.MalformedMessageException;
import java.math.BigInteger;

/** Channel amounts are ABI {@code uint96} (SPEC 4.3): {@code 0 ≤ x ≤ 2^96 − 1}. */
public final class Uint96 {
  /** {@code 2^96 − 1}. */
  public static final BigInteger MAX = BigInteger.ONE.shiftLeft(96).subtract(BigInteger.ONE);

  /** Decimal digits of {@link #MAX}: longer input is refused before it is parsed. */
  static final int MAX_DIGITS = MAX.toString().length();

  private Uint96() {}

  /** Whether {@code x} is in {@code [0, 2^96 − 1]}. */
  public static boolean isValid(BigInteger x) {
    return x.signum() >= 0 && x.compareTo(MAX) <= 0;
  }

  /**
   * Parses a decimal amount as sent in credentials: ASCII digits only, no sign, no leading zero
   * (except {@code "0"} itself), at most {@value #MAX_DIGITS} digits, at most {@link #MAX}.
   *
   * @param what names the field in error messages
   * @throws MalformedMessageException for anything else
   */
  public static BigInteger parseDecimal(String text, String what) throws MalformedMessageException {
    int n = text.length();
    if (n == 0 || n > MAX_DIGITS) {
      throw new MalformedMessageException(what + " must be 1 to " + MAX_DIGITS + " digits");
    }
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        throw new MalformedMessageException(what + " must be a decimal integer");
      }
    }
    if (n > 1 && text.charAt(0) == '0') {
      throw new MalformedMessageException(what + " has a leading zero");
    }
    BigInteger x = new BigInteger(text);
    if (x.compareTo(MAX) > 0) {
      throw new MalformedMessageException(what + " is above 2^96 - 1");
    }
    return x;
  }

  /** {@code x} as a 32-byte big-endian ABI word; {@code x} must be valid. */
  static void writeWord(BigInteger x, byte[] out, int offset) {
    if (!isValid(x)) {
      throw new IllegalArgumentException("amount is not a uint96");
    }
    byte[] b = x.toByteArray();
    int len = b.length;
    int from = 0;
    if (len > 1 && b[0] == 0) {
      from = 1;
      len--;
    }
    System.arraycopy(b, from, out, offset + 32 - len, len);
  }
}
