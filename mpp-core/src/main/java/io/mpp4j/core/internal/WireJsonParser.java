package io.mpp4j.core.internal;

import io.mpp4j.core.MalformedMessageException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A strict RFC 8259 parser for the small JSON documents MPP carries in headers. It reads UTF-8
 * bytes directly and produces unmodifiable plain Java values: {@link Map} (insertion order), {@link
 * List}, {@link String}, {@link Boolean}, {@code null}, and numbers as {@link Integer}, {@link
 * Long} or {@link BigInteger} for integers and {@link Double} otherwise.
 *
 * <p>Strict means: well-formed UTF-8 only (no byte order mark, overlong forms, surrogates or code
 * points above U+10FFFF); escaped lone surrogates refused; duplicate object keys refused; no
 * comments, trailing commas, leading zeros, or text after the value; nesting at most {@value
 * Json#MAX_DEPTH} deep; strings at most 64 KiB and numbers at most 64 characters. Work is linear in
 * the input. Error messages describe the defect and its offset, never the input.
 */
final class WireJsonParser {
  private static final int MAX_STRING = 64 * 1024;
  private static final int MAX_NUMBER = 64;

  /** Bytes that can appear in a string as themselves: printable ASCII except '"' and '\\'. */
  private static final boolean[] PLAIN = new boolean[256];

  static {
    for (int c = 0x20; c < 0x7F; c++) {
      PLAIN[c] = c != '"' && c != '\\';
    }
  }

  private final byte[] b;
  private final int n;
  private int i;
  private char[] scratch;

  private WireJsonParser(byte[] bytes) {
    this.b = bytes;
    this.n = bytes.length;
    this.scratch = new char[0]; // allocated on the first string that needs decoding
  }

  /** Parses one JSON value. */
  static @Nullable Object parse(byte[] bytes) throws MalformedMessageException {
    WireJsonParser p = new WireJsonParser(bytes);
    p.skipWhitespace();
    Object value = p.value(0);
    p.skipWhitespace();
    if (p.i != p.n) {
      throw p.error("unexpected text after the JSON value");
    }
    return value;
  }

  private MalformedMessageException error(String what) {
    return new MalformedMessageException("invalid JSON: " + what + " at offset " + i);
  }

  private void skipWhitespace() {
    while (i < n) {
      byte c = b[i];
      if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
        i++;
      } else {
        return;
      }
    }
  }

  private @Nullable Object value(int depth) throws MalformedMessageException {
    if (i >= n) {
      throw error("unexpected end of input");
    }
    byte c = b[i];
    switch (c) {
      case '{':
        return object(depth + 1);
      case '[':
        return array(depth + 1);
      case '"':
        return string();
      case 't':
        literal("true");
        return Boolean.TRUE;
      case 'f':
        literal("false");
        return Boolean.FALSE;
      case 'n':
        literal("null");
        return null;
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number();
        }
        throw error("unexpected character");
    }
  }

  private void literal(String word) throws MalformedMessageException {
    int len = word.length();
    if (i + len > n) {
      throw error("truncated literal");
    }
    for (int k = 0; k < len; k++) {
      if (b[i + k] != word.charAt(k)) {
        throw error("invalid literal");
      }
    }
    i += len;
  }

  private Map<String, Object> object(int depth) throws MalformedMessageException {
    if (depth > Json.MAX_DEPTH) {
      throw error("nesting deeper than " + Json.MAX_DEPTH);
    }
    i++; // {
    skipWhitespace();
    if (i < n && b[i] == '}') {
      i++;
      return Collections.emptyMap();
    }
    Map<String, Object> map = new LinkedHashMap<>();
    while (true) {
      skipWhitespace();
      if (i >= n || b[i] != '"') {
        throw error("expected a member name");
      }
      String key = string();
      skipWhitespace();
      if (i >= n || b[i] != ':') {
        throw error("expected ':'");
      }
      i++;
      skipWhitespace();
      Object value = value(depth);
      if (map.containsKey(key)) {
        throw error("duplicate member name");
      }
      map.put(key, value);
      skipWhitespace();
      if (i >= n) {
        throw error("unterminated object");
      }
      byte c = b[i++];
      if (c == '}') {
        return Collections.unmodifiableMap(map);
      }
      if (c != ',') {
        throw error("expected ',' or '}'");
      }
    }
  }

  private List<Object> array(int depth) throws MalformedMessageException {
    if (depth > Json.MAX_DEPTH) {
      throw error("nesting deeper than " + Json.MAX_DEPTH);
    }
    i++; // [
    List<Object> list = new ArrayList<>(4);
    skipWhitespace();
    if (i < n && b[i] == ']') {
      i++;
      return Collections.unmodifiableList(list);
    }
    while (true) {
      skipWhitespace();
      list.add(value(depth));
      skipWhitespace();
      if (i >= n) {
        throw error("unterminated array");
      }
      byte c = b[i++];
      if (c == ']') {
        return Collections.unmodifiableList(list);
      }
      if (c != ',') {
        throw error("expected ',' or ']'");
      }
    }
  }

  private String string() throws MalformedMessageException {
    i++; // opening quote
    // Plain ASCII without escapes becomes a string in one step; anything else is decoded below.
    int start = i;
    while (i < n && PLAIN[b[i] & 0xFF]) {
      i++;
    }
    if (i < n) {
      byte c = b[i];
      if (c == '"') {
        int len = i - start;
        if (len > MAX_STRING) {
          throw error("string longer than " + MAX_STRING + " characters");
        }
        i++;
        return new String(b, start, len, java.nio.charset.StandardCharsets.ISO_8859_1);
      }
    }
    // Slow path: escapes and multi-byte UTF-8.
    if (scratch.length == 0) {
      scratch = new char[Math.min(n, MAX_STRING) + 2];
    }
    int len = 0;
    for (int k = start; k < i; k++) {
      scratch[len++] = (char) b[k];
    }
    while (true) {
      if (i >= n) {
        throw error("unterminated string");
      }
      if (len >= MAX_STRING) {
        throw error("string longer than " + MAX_STRING + " characters");
      }
      int c = b[i] & 0xFF;
      if (c == '"') {
        i++;
        return new String(scratch, 0, len);
      }
      if (c == '\\') {
        i++;
        if (i >= n) {
          throw error("unterminated escape");
        }
        int e = b[i++];
        switch (e) {
          case '"' -> scratch[len++] = '"';
          case '\\' -> scratch[len++] = '\\';
          case '/' -> scratch[len++] = '/';
          case 'b' -> scratch[len++] = '\b';
          case 'f' -> scratch[len++] = '\f';
          case 'n' -> scratch[len++] = '\n';
          case 'r' -> scratch[len++] = '\r';
          case 't' -> scratch[len++] = '\t';
          case 'u' -> {
            char u = hex4();
            if (Character.isHighSurrogate(u)) {
              if (i + 6 > n || b[i] != '\\' || b[i + 1] != 'u') {
                throw error("lone surrogate escape");
              }
              i += 2;
              char low = hex4();
              if (!Character.isLowSurrogate(low)) {
                throw error("lone surrogate escape");
              }
              scratch[len++] = u;
              scratch[len++] = low;
            } else if (Character.isLowSurrogate(u)) {
              throw error("lone surrogate escape");
            } else {
              scratch[len++] = u;
            }
          }
          default -> throw error("invalid escape");
        }
        continue;
      }
      if (c < 0x20) {
        throw error("control character in string");
      }
      if (c < 0x80) {
        scratch[len++] = (char) c;
        i++;
        continue;
      }
      int cp = utf8();
      if (cp >= 0x10000) {
        scratch[len++] = Character.highSurrogate(cp);
        scratch[len++] = Character.lowSurrogate(cp);
      } else {
        scratch[len++] = (char) cp;
      }
    }
  }

  private char hex4() throws MalformedMessageException {
    if (i + 4 > n) {
      throw error("truncated \\u escape");
    }
    int v = 0;
    for (int k = 0; k < 4; k++) {
      int d = Character.digit(b[i + k], 16);
      if (d < 0) {
        throw error("invalid \\u escape");
      }
      v = (v << 4) | d;
    }
    i += 4;
    return (char) v;
  }

  /** Decodes one multi-byte UTF-8 sequence strictly (RFC 3629). */
  private int utf8() throws MalformedMessageException {
    int c = b[i] & 0xFF;
    int need;
    int cp;
    int min;
    if (c >= 0xC2 && c <= 0xDF) {
      need = 1;
      cp = c & 0x1F;
      min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
      need = 2;
      cp = c & 0x0F;
      min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
      need = 3;
      cp = c & 0x07;
      min = 0x10000;
    } else {
      throw error("ill-formed UTF-8");
    }
    if (i + need >= n) {
      throw error("truncated UTF-8");
    }
    for (int k = 1; k <= need; k++) {
      int cc = b[i + k] & 0xFF;
      if ((cc & 0xC0) != 0x80) {
        throw error("ill-formed UTF-8");
      }
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      throw error("ill-formed UTF-8");
    }
    i += need + 1;
    return cp;
  }

  private Object number() throws MalformedMessageException {
    int start = i;
    if (b[i] == '-') {
      i++;
    }
    if (i >= n) {
      throw error("truncated number");
    }
    if (b[i] == '0') {
      i++;
    } else if (b[i] >= '1' && b[i] <= '9') {
      while (i < n && b[i] >= '0' && b[i] <= '9') {
        i++;
      }
    } else {
      throw error("invalid number");
    }
    boolean integral = true;
    if (i < n && b[i] == '.') {
      integral = false;
      i++;
      int digits = i;
      while (i < n && b[i] >= '0' && b[i] <= '9') {
        i++;
      }
      if (i == digits) {
        throw error("invalid number");
      }
    }
    if (i < n && (b[i] == 'e' || b[i] == 'E')) {
      integral = false;
      i++;
      if (i < n && (b[i] == '+' || b[i] == '-')) {
        i++;
      }
      int digits = i;
      while (i < n && b[i] >= '0' && b[i] <= '9') {
        i++;
      }
      if (i == digits) {
        throw error("invalid number");
      }
    }
    int len = i - start;
    if (len > MAX_NUMBER) {
      throw error("number longer than " + MAX_NUMBER + " characters");
    }
    String text = new String(b, start, len, java.nio.charset.StandardCharsets.ISO_8859_1);
    if (!integral) {
      double d = Double.parseDouble(text);
      if (Double.isInfinite(d)) {
        throw error("number out of range");
      }
      return d;
    }
    if (len <= 9) {
      return Integer.parseInt(text);
    }
    if (len <= 18) {
      long v = Long.parseLong(text);
      return v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE ? (Object) (int) v : (Object) v;
    }
    BigInteger big = new BigInteger(text);
    return big.bitLength() < 64 ? (Object) big.longValue() : big;
  }
}
