package io.mpp4j.core.internal;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The fast path of {@link Json#write}: writes the JSON value trees mpp4j itself builds (problem
 * bodies, receipts, credentials) into one growable byte array, without Jackson's per-call setup of
 * a generator, serializer lookups and buffer recycling.
 *
 * <p>It handles only what it can write exactly as the Jackson mapper of {@link Json} does: {@code
 * null}, {@link Boolean}, {@link Integer}, {@link Long}, {@link Short}, {@link Byte}, {@link
 * BigInteger}, strings of printable ASCII (with {@code "} and {@code \} escaped by a backslash),
 * and maps with string keys and lists of the JDK (or {@link FrozenMap}), nested at most {@value
 * Json#MAX_DEPTH} deep. For anything else {@link #tryWrite} gives up and the caller hands the whole
 * document to Jackson, so the two never have to agree on escapes, number forms or odd types.
 */
final class JsonWriter {
  private static final byte[] NULL = {'n', 'u', 'l', 'l'};
  private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
  private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};

  private byte[] buf = new byte[256]; // a problem body or receipt fits without growing
  private int len;

  private JsonWriter() {}

  /**
   * The compact JSON of {@code value}, byte for byte as Jackson writes it, or null when the tree
   * holds anything this writer leaves to Jackson.
   */
  static byte @Nullable [] tryWrite(@Nullable Object value) {
    JsonWriter out = new JsonWriter();
    return out.value(value, 0) ? Arrays.copyOf(out.buf, out.len) : null;
  }

  /**
   * Writes one value; false when it (or something in it) is not for this writer. What was written
   * so far is then garbage, which is fine: the caller drops the whole document.
   *
   * @param depth how many maps and lists enclose {@code value}
   */
  private boolean value(@Nullable Object value, int depth) {
    // Exact class tests: BigInteger can be subclassed (with its own toString), and the final
    // classes are decided by one compare each, cheaper than an instanceof on an interface.
    if (value == null) {
      raw(NULL);
      return true;
    }
    Class<?> type = value.getClass();
    if (type == String.class) {
      return string((String) value);
    }
    if (type == Integer.class || type == Long.class || type == Short.class || type == Byte.class) {
      integer(((Number) value).longValue());
      return true;
    }
    if (type == Boolean.class) {
      raw((Boolean) value ? TRUE : FALSE);
      return true;
    }
    if (type == BigInteger.class) {
      return ascii(value.toString()); // digits and a sign, as Jackson's writeNumber(BigInteger)
    }
    if (!isPlainContainer(type) || depth >= Json.MAX_DEPTH) {
      return false;
    }
    if (value instanceof Map<?, ?> map) {
      return object(map, depth + 1);
    }
    if (value instanceof List<?> list) {
      return array(list, depth + 1);
    }
    return false;
  }

  /**
   * Whether Jackson writes instances of {@code type} as a plain JSON object or array when they are
   * maps or lists: true for the JDK's own classes and {@link FrozenMap}. A class of the application
   * may carry Jackson annotations (a {@code @JsonValue}, a custom serializer) that change its form.
   */
  private static boolean isPlainContainer(Class<?> type) {
    return type == FrozenMap.class || type.getClassLoader() == null;
  }

  private boolean object(Map<?, ?> map, int depth) {
    write('{');
    if (map instanceof FrozenMap frozen) {
      // Same order as its entry set, which Jackson walks, without an entry object per member.
      for (int i = 0, n = frozen.size(); i < n; i++) {
        if (i > 0) {
          write(',');
        }
        if (!string(frozen.keyAt(i))) {
          return false;
        }
        write(':');
        if (!value(frozen.valueAt(i), depth)) {
          return false;
        }
      }
    } else {
      boolean first = true;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!first) {
          write(',');
        }
        first = false;
        // A null or non-string key is Jackson's to write or to refuse.
        if (!(e.getKey() instanceof String key) || !string(key)) {
          return false;
        }
        write(':');
        if (!value(e.getValue(), depth)) {
          return false;
        }
      }
    }
    write('}');
    return true;
  }

  private boolean array(List<?> list, int depth) {
    write('[');
    boolean first = true;
    for (Object item : list) {
      if (!first) {
        write(',');
      }
      first = false;
      if (!value(item, depth)) {
        return false;
      }
    }
    write(']');
    return true;
  }

  /**
   * Writes a quoted string of printable ASCII, escaping {@code "} and {@code \} as Jackson does;
   * false for any other character (control characters, DEL, non-ASCII, surrogates), whose escapes
   * and encodings are left to Jackson.
   */
  @SuppressWarnings("deprecation") // getBytes(int, int, byte[], int): exact for plain ASCII
  private boolean string(String s) {
    int n = s.length();
    if (Ascii.isPlain(s)) {
      // The common case (names, ids, URIs): written as it is, constants recognized without a scan.
      ensure(n + 2);
      buf[len++] = '"';
      s.getBytes(0, n, buf, len);
      len += n;
      buf[len++] = '"';
      return true;
    }
    ensure(2 * n + 2); // every character escaped, and the quotes
    byte[] b = buf; // locals: the loop keeps them in registers
    int at = len;
    b[at++] = '"';
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        b[at++] = '\\';
        b[at++] = (byte) c;
      } else if (c >= 0x20 && c <= 0x7E) {
        b[at++] = (byte) c;
      } else {
        return false;
      }
    }
    b[at++] = '"';
    len = at;
    return true;
  }

  /** Writes a string known to need no escape and no quotes (the digits of a BigInteger). */
  private boolean ascii(String s) {
    int n = s.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7E) {
        return false; // not expected from toString(); left to Jackson rather than assumed
      }
      buf[len++] = (byte) c;
    }
    return true;
  }

  /** Writes {@code v} in decimal, as {@link Long#toString(long)} does, without a String. */
  private void integer(long v) {
    ensure(20); // "-9223372036854775808"
    // Digits are taken from the value made negative, which (unlike its absolute value) exists for
    // every long, Long.MIN_VALUE included.
    long negative = v;
    if (v < 0) {
      buf[len++] = '-';
    } else {
      negative = -v;
    }
    int digits = 1;
    for (long rest = negative; rest <= -10; rest /= 10) {
      digits++;
    }
    int end = len + digits;
    for (int at = end - 1; at >= len; at--) {
      buf[at] = (byte) ('0' - (negative % 10));
      negative /= 10;
    }
    len = end;
  }

  private void raw(byte[] bytes) {
    ensure(bytes.length);
    System.arraycopy(bytes, 0, buf, len, bytes.length);
    len += bytes.length;
  }

  private void write(char c) {
    ensure(1);
    buf[len++] = (byte) c;
  }

  private void ensure(int more) {
    if (len + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
    }
  }
}
