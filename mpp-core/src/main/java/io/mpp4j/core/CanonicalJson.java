package io.mpp4j.core;

import io.mpp4j.core.internal.Ascii;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The JSON Canonicalization Scheme (RFC 8785), the one canonical form mpp4j produces for the {@code
 * request} and {@code opaque} challenge parameters.
 *
 * <p>Input is a tree of plain Java values as produced by mpp4j's JSON parsing: {@link Map} with
 * {@link String} keys, {@link List} (or any {@link Collection}), {@link String}, {@link Number},
 * {@link Boolean} and {@code null}. Object members are sorted by the UTF-16 code units of their
 * names, strings are written as raw UTF-8 with only {@code "}, {@code \} and control characters
 * escaped (lowercase hex), and numbers are written the way ECMAScript's {@code Number.toString}
 * writes the nearest IEEE-754 double.
 *
 * <p>Thread-safe; all methods are static.
 */
public final class CanonicalJson {
  private static final long MAX_SAFE_INTEGER = (1L << 53);
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private CanonicalJson() {}

  /**
   * Returns the canonical UTF-8 bytes of {@code value}.
   *
   * @throws IllegalArgumentException for values JSON cannot represent: non-finite numbers, lone
   *     UTF-16 surrogates, non-string map keys or unsupported types
   */
  public static byte[] canonicalize(@Nullable Object value) {
    Out out = new Out();
    write(out, value, 0);
    return out.toByteArray();
  }

  /** Returns the canonical form of {@code value} as a string. */
  public static String canonicalizeToString(@Nullable Object value) {
    return new String(canonicalize(value), StandardCharsets.UTF_8);
  }

  /** The ECMAScript {@code Number.prototype.toString()} form of {@code number}, as JCS requires. */
  public static String formatNumber(Number number) {
    if (number instanceof Integer
        || number instanceof Long
        || number instanceof Short
        || number instanceof Byte) {
      long v = number.longValue();
      if (v >= -MAX_SAFE_INTEGER && v <= MAX_SAFE_INTEGER) {
        return Long.toString(v);
      }
      return formatDouble((double) v);
    }
    if (number instanceof BigInteger big && big.bitLength() <= 53) {
      return big.toString();
    }
    return formatDouble(number.doubleValue());
  }

  private static final int MAX_DEPTH = 256;

  private static void write(Out out, @Nullable Object value, int depth) {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException("JSON nesting deeper than " + MAX_DEPTH);
    }
    if (value == null) {
      out.ascii("null");
    } else if (value instanceof String s) {
      writeString(out, s);
    } else if (value instanceof Boolean b) {
      out.ascii(b ? "true" : "false");
    } else if (value instanceof Number n) {
      out.ascii(formatNumber(n));
    } else if (value instanceof Map<?, ?> map) {
      writeObject(out, map, depth);
    } else if (value instanceof Collection<?> list) {
      out.write('[');
      boolean first = true;
      for (Object item : list) {
        if (!first) {
          out.write(',');
        }
        first = false;
        write(out, item, depth + 1);
      }
      out.write(']');
    } else {
      throw new IllegalArgumentException(
          "cannot canonicalize a " + value.getClass().getName() + " as JSON");
    }
  }

  /** Objects up to this many members are sorted in place with their values (no lookups). */
  private static final int SMALL_OBJECT = 16;

  private static void writeObject(Out out, Map<?, ?> map, int depth) {
    int size = map.size();
    String[] keys = new String[size];
    Object[] values = size <= SMALL_OBJECT ? new Object[size] : null;
    int count = 0;
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (!(e.getKey() instanceof String s)) {
        throw new IllegalArgumentException("JSON object keys must be strings");
      }
      if (count == size) {
        throw new java.util.ConcurrentModificationException("map changed while canonicalizing");
      }
      keys[count] = s;
      if (values != null) {
        values[count] = e.getValue();
      }
      count++;
    }
    // String.compareTo orders by UTF-16 code units, exactly as RFC 8785 section 3.2.3 requires.
    if (values != null) {
      for (int i = 1; i < count; i++) { // insertion sort of (key, value) pairs: few members
        String key = keys[i];
        Object value = values[i];
        int j = i - 1;
        while (j >= 0 && keys[j].compareTo(key) > 0) {
          keys[j + 1] = keys[j];
          values[j + 1] = values[j];
          j--;
        }
        keys[j + 1] = key;
        values[j + 1] = value;
      }
    } else {
      java.util.Arrays.sort(keys, 0, count);
    }
    out.write('{');
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        out.write(',');
      }
      String key = keys[i];
      writeString(out, key);
      out.write(':');
      write(out, values != null ? values[i] : map.get(key), depth + 1);
    }
    out.write('}');
  }

  private static void writeString(Out out, String s) {
    out.write('"');
    int n = s.length();
    if (Ascii.isPlain(s)) {
      // The common case (names, amounts, addresses): printable ASCII without quote or backslash,
      // written as it is; constant strings are recognized without a scan (see Ascii#isPlain).
      out.plainLatin1(s);
      out.write('"');
      return;
    }
    int i = out.plainAscii(s); // the common case: printable ASCII without quote or backslash
    for (; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        switch (c) {
          case '"' -> out.ascii("\\\"");
          case '\\' -> out.ascii("\\\\");
          case '\b' -> out.ascii("\\b");
          case '\t' -> out.ascii("\\t");
          case '\n' -> out.ascii("\\n");
          case '\f' -> out.ascii("\\f");
          case '\r' -> out.ascii("\\r");
          default -> {
            if (c < 0x20) {
              out.ascii("\\u00");
              out.write(HEX[c >> 4]);
              out.write(HEX[c & 0xF]);
            } else {
              out.write(c);
            }
          }
        }
      } else if (c < 0x800) {
        out.write(0xC0 | (c >> 6));
        out.write(0x80 | (c & 0x3F));
      } else if (Character.isHighSurrogate(c)) {
        if (i + 1 >= n || !Character.isLowSurrogate(s.charAt(i + 1))) {
          throw new IllegalArgumentException("lone UTF-16 surrogate in JSON string");
        }
        int cp = Character.toCodePoint(c, s.charAt(++i));
        out.write(0xF0 | (cp >> 18));
        out.write(0x80 | ((cp >> 12) & 0x3F));
        out.write(0x80 | ((cp >> 6) & 0x3F));
        out.write(0x80 | (cp & 0x3F));
      } else if (Character.isLowSurrogate(c)) {
        throw new IllegalArgumentException("lone UTF-16 surrogate in JSON string");
      } else {
        out.write(0xE0 | (c >> 12));
        out.write(0x80 | ((c >> 6) & 0x3F));
        out.write(0x80 | (c & 0x3F));
      }
    }
    out.write('"');
  }

  /** ECMAScript Number::toString for a double (ECMA-262, section 6.1.6.1.20). */
  static String formatDouble(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      throw new IllegalArgumentException("JSON cannot represent " + d);
    }
    if (d == 0) {
      return "0"; // also -0
    }
    boolean negative = d < 0;
    double abs = Math.abs(d);
    // The shortest decimal that reads back as the same double, and of those the closest to the
    // exact binary value, as ECMAScript's Number::toString requires.
    BigDecimal exact = new BigDecimal(abs);
    BigDecimal shortest = exact;
    for (int p = 1; p <= 17; p++) {
      // The p-digit decimals just below and just above the exact value; at a power of two the
      // rounding interval is lopsided, so the nearest one may not read back while the other does.
      BigDecimal down = exact.round(new MathContext(p, RoundingMode.FLOOR));
      BigDecimal up = exact.round(new MathContext(p, RoundingMode.CEILING));
      boolean downOk = down.doubleValue() == abs;
      boolean upOk = up.doubleValue() == abs;
      if (downOk && upOk) {
        int cmp = exact.subtract(down).compareTo(up.subtract(exact));
        if (cmp < 0) {
          shortest = down;
        } else if (cmp > 0) {
          shortest = up;
        } else {
          shortest = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
        }
        break;
      }
      if (downOk || upOk) {
        shortest = downOk ? down : up;
        break;
      }
    }
    shortest = shortest.stripTrailingZeros();
    String digits = shortest.unscaledValue().toString();
    int k = digits.length();
    int n = k - shortest.scale(); // value = 0.d1..dk * 10^n
    StringBuilder sb = new StringBuilder(24);
    if (negative) {
      sb.append('-');
    }
    if (k <= n && n <= 21) {
      sb.append(digits);
      sb.append("0".repeat(n - k));
    } else if (0 < n && n <= 21) {
      sb.append(digits, 0, n).append('.').append(digits, n, k);
    } else if (-6 < n && n <= 0) {
      sb.append("0.").append("0".repeat(-n)).append(digits);
    } else {
      int e = n - 1;
      sb.append(digits.charAt(0));
      if (k > 1) {
        sb.append('.').append(digits, 1, k);
      }
      sb.append('e').append(e < 0 ? '-' : '+').append(Math.abs(e));
    }
    return sb.toString();
  }

  /** A growable byte buffer without the synchronization of {@link ByteArrayOutputStream}. */
  private static final class Out {
    private byte[] buf = new byte[256]; // a typical request object fits without growing
    private int len;

    void write(int b) {
      if (len == buf.length) {
        buf = java.util.Arrays.copyOf(buf, buf.length * 2);
      }
      buf[len++] = (byte) b;
    }

    /**
     * Writes the leading printable-ASCII run of {@code s} needing no escape; returns its length.
     */
    int plainAscii(String s) {
      int n = s.length();
      if (len + n > buf.length) {
        buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, len + n + 16));
      }
      byte[] b = buf; // locals: the loop keeps them in registers
      int at = len;
      int i = 0;
      while (i < n) {
        char c = s.charAt(i);
        if (c < 0x20 || c > 0x7E || c == '"' || c == '\\') {
          break;
        }
        b[at + i] = (byte) c;
        i++;
      }
      len = at + i;
      return i;
    }

    /** Writes {@code s}, which {@link Ascii#isPlain} accepted: one byte per character. */
    @SuppressWarnings("deprecation") // exact for ASCII, which is all a plain string holds
    void plainLatin1(String s) {
      int n = s.length();
      if (len + n > buf.length) {
        buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, len + n + 16));
      }
      s.getBytes(0, n, buf, len);
      len += n;
    }

    void ascii(String s) {
      for (int i = 0; i < s.length(); i++) {
        write(s.charAt(i));
      }
    }

    byte[] toByteArray() {
      return java.util.Arrays.copyOf(buf, len);
    }
  }
}
