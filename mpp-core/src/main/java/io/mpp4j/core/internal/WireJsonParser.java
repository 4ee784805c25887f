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
 * A strict, allocation-light RFC 8259 parser for the small JSON documents MPP carries in headers.
 * It reads UTF-8 bytes directly and produces unmodifiable plain Java values: {@link Map} (insertion
 * order), {@link List}, {@link String}, {@link Boolean}, {@code null}, and numbers as {@link
 * Integer}, {@link Long} or {@link BigInteger} for integers and {@link Double} otherwise.
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

  private static final java.lang.invoke.VarHandle LONGS =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
          long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  /** Whether none of the 8 bytes is >= 0x80, < 0x20, '"' or '\\' (bitwise, no branches). */
  private static boolean isPlainWord(long w) {
    long quote = w ^ (0x22 * ONES);
    long backslash = w ^ (0x5C * ONES);
    long special =
        w // any byte >= 0x80
            | ((w - 0x20 * ONES) & ~w) // a byte < 0x20
            | ((quote - ONES) & ~quote) // a zero byte in w ^ '"'
            | ((backslash - ONES) & ~backslash); // a zero byte in w ^ '\\'
    return (special & HIGHS) == 0;
  }

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

  /** Root member names of a credential, as indexes into {@link #KNOWN_KEYS}. */
  private static final int K_CHALLENGE = 0;

  private static final int K_PAYLOAD = 1;
  private static final int K_SOURCE = 2;

  /** Echoed challenge member names: {@link #KNOWN_KEYS} indexes 3 (id) to 12 (header). */
  private static final int K_ECHO_FIRST = 3;

  private static final int K_ECHO_LAST = 12;

  private static final int K_REQUEST = 7;

  /**
   * Reads a credential document of the usual shape straight into its parts, without building maps
   * for the document or the echoed challenge: one JSON object with {@code challenge} (an object
   * whose members are among {@code id, realm, method, intent, request, expires, digest,
   * description, opaque, header}, each a string, {@code request} plain ASCII without escapes),
   * {@code payload} (an object, parsed as {@link #parse} would) and optionally {@code source} (a
   * string, an object or null), each member name written without escapes.
   *
   * <p>Returns null for anything else, including every malformed document: the caller then parses
   * with {@link #parse}, which accepts or reports it. Whatever this method accepts, {@link #parse}
   * accepts too and yields the same values (the same string and value readers, the same nesting
   * depths, duplicates refused), so the fallback decides every unusual case and every error
   * message.
   */
  static @Nullable CredentialFields credential(byte[] bytes) {
    if (bytes.length > Json.MAX_DOCUMENT_BYTES) {
      return null;
    }
    try {
      return new WireJsonParser(bytes).credential();
    } catch (MalformedMessageException e) {
      return null; // the general parser reports it
    }
  }

  private @Nullable CredentialFields credential() throws MalformedMessageException {
    skipWhitespace();
    if (i >= n || b[i] != '{') {
      return null;
    }
    i++;
    String[] echo = null;
    int requestStart = -1;
    int requestEnd = -1;
    Map<String, Object> payload = null;
    Object source = null;
    int seen = 0;
    skipWhitespace();
    while (true) {
      int k = knownKey();
      if (k < K_CHALLENGE || k > K_SOURCE || (seen & (1 << k)) != 0) {
        return null; // an unknown or escaped name (the general parser decides), or a duplicate
      }
      seen |= 1 << k;
      if (!colon()) {
        return null;
      }
      if (k == K_CHALLENGE) {
        echo = new String[K_ECHO_LAST - K_ECHO_FIRST + 1];
        long span = echo(echo);
        if (span < 0) {
          return null;
        }
        requestStart = (int) (span >>> 32);
        requestEnd = (int) span;
      } else if (k == K_PAYLOAD) {
        if (i >= n || b[i] != '{') {
          return null;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) value(1); // depth as inside the root
        payload = map;
      } else if (i < n && (b[i] == '"' || b[i] == '{' || b[i] == 'n')) {
        source = value(1);
      } else {
        return null;
      }
      skipWhitespace();
      if (i >= n) {
        return null;
      }
      byte c = b[i++];
      if (c == '}') {
        break;
      }
      if (c != ',') {
        return null;
      }
      skipWhitespace();
    }
    skipWhitespace();
    if (i != n || echo == null || payload == null) {
      return null;
    }
    return new CredentialFields(echo, b, requestStart, requestEnd, payload, source);
  }

  /** Skips whitespace and a ':' and the whitespace after it; false when there is no ':'. */
  private boolean colon() {
    skipWhitespace();
    if (i >= n || b[i] != ':') {
      return false;
    }
    i++;
    skipWhitespace();
    return true;
  }

  /**
   * Reads the echoed challenge object into {@code out} (indexed from {@link #K_ECHO_FIRST}), except
   * {@code request}, whose bytes are returned as {@code start << 32 | end}; -1 when the object is
   * not of the usual shape or has no plain {@code request}.
   */
  private long echo(String[] out) throws MalformedMessageException {
    if (i >= n || b[i] != '{') {
      return -1;
    }
    i++;
    int requestStart = -1;
    int requestEnd = -1;
    int seen = 0;
    skipWhitespace();
    if (i < n && b[i] == '}') {
      return -1; // no members: the required ones are missing
    }
    while (true) {
      int k = knownKey();
      if (k < K_ECHO_FIRST || k > K_ECHO_LAST || (seen & (1 << k)) != 0) {
        return -1;
      }
      seen |= 1 << k;
      if (!colon() || i >= n || b[i] != '"') {
        return -1;
      }
      if (k == K_REQUEST) {
        requestStart = i + 1;
        int end = plainEnd(requestStart);
        if (end >= n || b[end] != '"' || end - requestStart > MAX_STRING) {
          return -1;
        }
        requestEnd = end;
        i = end + 1;
      } else {
        out[k - K_ECHO_FIRST] = string();
      }
      skipWhitespace();
      if (i >= n) {
        return -1;
      }
      byte c = b[i++];
      if (c == '}') {
        break;
      }
      if (c != ',') {
        return -1;
      }
      skipWhitespace();
    }
    if (requestStart < 0) {
      return -1;
    }
    return ((long) requestStart << 32) | requestEnd;
  }

  /**
   * At a member name: its index in {@link #KNOWN_KEYS} with the position moved past it, when it is
   * one of them written without escapes; otherwise -1 with the position unchanged.
   */
  private int knownKey() {
    if (i >= n || b[i] != '"') {
      return -1;
    }
    int start = i + 1;
    if (start >= n) {
      return -1;
    }
    // Only the names starting with this byte can match: each is compared in place, closing quote
    // included, so the name is never scanned separately. With 16 bytes left the comparison is of
    // two 8-byte words under masks (every known name with its quote fits in 16 bytes).
    int[] candidates = KNOWN_BY_FIRST_BYTE[b[start] & 0xFF];
    if (candidates.length == 0) {
      return -1;
    }
    if (start + 16 <= n) {
      long w0 = (long) LONGS.get(b, start);
      long w1 = (long) LONGS.get(b, start + 8);
      for (int k : candidates) {
        if ((w0 & KNOWN_MASK0[k]) == KNOWN_WORD0[k] && (w1 & KNOWN_MASK1[k]) == KNOWN_WORD1[k]) {
          i = start + KNOWN_KEY_BYTES[k].length + 1;
          return k;
        }
      }
      return -1;
    }
    for (int k : candidates) {
      byte[] known = KNOWN_KEY_BYTES[k];
      int end = start + known.length;
      if (end < n && b[end] == '"' && sameBytes(start, known)) {
        i = end + 1;
        return k;
      }
    }
    return -1;
  }

  /** Where the run of plain string bytes starting at {@code from} ends, 8 bytes at a time. */
  private int plainEnd(int from) {
    int end = from;
    while (end + 8 <= n && isPlainWord((long) LONGS.get(b, end))) {
      end += 8;
    }
    while (end < n && PLAIN[b[end] & 0xFF]) {
      end++;
    }
    return end;
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
      return FrozenMap.EMPTY;
    }
    // Up to FrozenMap.MAX_SIZE members in two arrays (duplicates found by comparing names); a
    // hash map once there are more.
    String[] keys = new String[4];
    Object[] values = new Object[4];
    int count = 0;
    Map<String, Object> map = null;
    while (true) {
      skipWhitespace();
      if (i >= n || b[i] != '"') {
        throw error("expected a member name");
      }
      String key = key();
      skipWhitespace();
      if (i >= n || b[i] != ':') {
        throw error("expected ':'");
      }
      i++;
      skipWhitespace();
      Object value = value(depth);
      if (map == null) {
        for (int k = 0; k < count; k++) {
          if (keys[k].equals(key)) {
            throw error("duplicate member name");
          }
        }
        if (count < FrozenMap.MAX_SIZE) {
          if (count == keys.length) {
            keys = java.util.Arrays.copyOf(keys, FrozenMap.MAX_SIZE);
            values = java.util.Arrays.copyOf(values, FrozenMap.MAX_SIZE);
          }
          keys[count] = key;
          values[count] = value;
          count++;
        } else {
          map = new LinkedHashMap<>(32);
          for (int k = 0; k < count; k++) {
            map.put(keys[k], values[k]);
          }
          map.put(key, value);
        }
      } else {
        int before = map.size();
        if (map.putIfAbsent(key, value) != null || map.size() == before) {
          throw error("duplicate member name");
        }
      }
      skipWhitespace();
      if (i >= n) {
        throw error("unterminated object");
      }
      byte c = b[i++];
      if (c == '}') {
        return map != null ? Collections.unmodifiableMap(map) : new FrozenMap(keys, values, count);
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

  /** Member names MPP documents use; returned as shared constants (hash already computed). */
  private static final String[] KNOWN_KEYS = {
    "challenge",
    "payload",
    "source",
    "id",
    "realm",
    "method",
    "intent",
    "request",
    "expires",
    "digest",
    "description",
    "opaque",
    "header",
    "type",
    "hash",
    "signature",
    "status",
    "timestamp",
    "reference",
    "externalId",
    "amount",
    "currency",
    "recipient",
    "methodDetails",
    "chainId",
    "spt",
    "token"
  };

  private static final byte[][] KNOWN_KEY_BYTES = new byte[KNOWN_KEYS.length][];

  static {
    for (int k = 0; k < KNOWN_KEYS.length; k++) {
      KNOWN_KEY_BYTES[k] = KNOWN_KEYS[k].getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
    List<String> echo = CredentialFields.ECHO_MEMBERS;
    if (!KNOWN_KEYS[K_CHALLENGE].equals("challenge")
        || !KNOWN_KEYS[K_PAYLOAD].equals("payload")
        || !KNOWN_KEYS[K_SOURCE].equals("source")
        || !KNOWN_KEYS[K_REQUEST].equals("request")
        || !java.util.Arrays.asList(KNOWN_KEYS)
            .subList(K_ECHO_FIRST, K_ECHO_LAST + 1)
            .equals(echo)) {
      throw new AssertionError("KNOWN_KEYS and the credential member indexes disagree");
    }
  }

  /**
   * Each known name followed by its closing quote, as two little-endian 8-byte words and the masks
   * selecting its bytes (a name of up to 15 bytes).
   */
  private static final long[] KNOWN_WORD0 = new long[KNOWN_KEYS.length];

  private static final long[] KNOWN_WORD1 = new long[KNOWN_KEYS.length];
  private static final long[] KNOWN_MASK0 = new long[KNOWN_KEYS.length];
  private static final long[] KNOWN_MASK1 = new long[KNOWN_KEYS.length];

  static {
    for (int k = 0; k < KNOWN_KEYS.length; k++) {
      byte[] pattern = (KNOWN_KEYS[k] + '"').getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      if (pattern.length > 16) {
        throw new AssertionError("known member name longer than 15 bytes: " + KNOWN_KEYS[k]);
      }
      for (int j = 0; j < pattern.length; j++) {
        long shifted = (pattern[j] & 0xFFL) << (8 * (j % 8));
        long byteMask = 0xFFL << (8 * (j % 8));
        if (j < 8) {
          KNOWN_WORD0[k] |= shifted;
          KNOWN_MASK0[k] |= byteMask;
        } else {
          KNOWN_WORD1[k] |= shifted;
          KNOWN_MASK1[k] |= byteMask;
        }
      }
    }
  }

  /** For each first byte, the indexes of the known names starting with it. */
  private static final int[][] KNOWN_BY_FIRST_BYTE = new int[256][];

  static {
    for (int first = 0; first < 256; first++) {
      List<Integer> matching = new ArrayList<>();
      for (int k = 0; k < KNOWN_KEYS.length; k++) {
        if (KNOWN_KEYS[k].charAt(0) == first) {
          matching.add(k);
        }
      }
      KNOWN_BY_FIRST_BYTE[first] = matching.stream().mapToInt(Integer::intValue).toArray();
    }
  }

  /** A member name: a known constant when the bytes match one exactly, else a new string. */
  private String key() throws MalformedMessageException {
    int k = knownKey();
    return k >= 0 ? KNOWN_KEYS[k] : string();
  }

  private boolean sameBytes(int at, byte[] known) {
    for (int k = 0; k < known.length; k++) {
      if (b[at + k] != known[k]) {
        return false;
      }
    }
    return true;
  }

  private String string() throws MalformedMessageException {
    i++; // opening quote
    // Fast path: plain ASCII without escapes, eight bytes at a time while no byte in the word is
    // a quote, a backslash, a control character or non-ASCII.
    int start = i;
    i = plainEnd(i);
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
