package io.mpp4j.core.internal;

import io.mpp4j.core.MalformedMessageException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A hand-written, single-pass scanner for RFC 9110 authentication headers ({@code
 * WWW-Authenticate}, {@code Authorization}): a comma-separated list of {@code scheme [ token68 /
 * auth-param *( "," auth-param ) ]}. Every character is looked at a bounded number of times, so the
 * work is linear in the header length whatever the input; there are no regular expressions.
 *
 * <p>Two modes: {@linkplain #scanLenient lenient} (challenges: text after an unescaped closing
 * quote, or an unterminated quoted string, ends the scan without an error, as the cross-SDK vectors
 * require) and {@linkplain #scanStrict strict} (credentials: any such defect is an error).
 */
public final class AuthHeaderScanner {

  /** One scanned scheme with its auth-params (names lower-cased) or its token68. */
  public static final class Item {
    private final String scheme;
    private final Map<String, String> params = new LinkedHashMap<>();
    private @Nullable String token68;
    private @Nullable String duplicate;

    Item(String scheme) {
      this.scheme = scheme;
    }

    /** The scheme name as written. */
    public String scheme() {
      return scheme;
    }

    /** Whether the scheme is {@code name}, compared case-insensitively. */
    public boolean isScheme(String name) {
      return scheme.equalsIgnoreCase(name);
    }

    /** The auth-params in header order, keyed by lower-cased name. */
    public Map<String, String> params() {
      return params;
    }

    /** The token68 credential, if the scheme carried one instead of auth-params. */
    public @Nullable String token68() {
      return token68;
    }

    /** The first auth-param name that occurred twice, if any. */
    public @Nullable String duplicate() {
      return duplicate;
    }
  }

  private final String s;
  private final int n;
  private final boolean strict;
  private int i;

  private AuthHeaderScanner(String s, boolean strict) {
    this.s = s;
    this.n = s.length();
    this.strict = strict;
  }

  /** Scans a challenge header; trailing garbage ends the scan silently. */
  public static List<Item> scanLenient(String header) throws MalformedMessageException {
    return new AuthHeaderScanner(header, false).scan();
  }

  /** Scans a credentials header; any syntax defect is an error. */
  public static List<Item> scanStrict(String header) throws MalformedMessageException {
    return new AuthHeaderScanner(header, true).scan();
  }

  private List<Item> scan() throws MalformedMessageException {
    for (int k = 0; k < n; k++) {
      char c = s.charAt(k);
      if ((c < 0x20 && c != '\t') || c == 0x7F) {
        throw new MalformedMessageException("control character in authentication header");
      }
    }
    List<Item> items = new ArrayList<>(2);
    while (true) {
      skipListSeparators();
      if (i >= n) {
        return items;
      }
      int start = i;
      skipToken();
      if (i == start) {
        stop("expected an authentication scheme at offset " + i);
        return items;
      }
      Item item = new Item(s.substring(start, i));
      items.add(item);
      if (i >= n) {
        return items;
      }
      if (s.charAt(i) == ',') {
        continue; // scheme without parameters
      }
      if (!isWhitespace(s.charAt(i))) {
        stop("expected a space after the scheme name");
        return items;
      }
      skipWhitespace();
      if (i >= n) {
        return items;
      }
      if (!scanParamsOrToken68(item)) {
        return items;
      }
    }
  }

  /**
   * Reads the rest of one scheme. Returns false when scanning must stop (lenient mode garbage or
   * the end of the header), true when another scheme follows.
   */
  private boolean scanParamsOrToken68(Item item) throws MalformedMessageException {
    // token68 when the first word is not followed by "=" + something other than "=" / end.
    if (isToken68Start()) {
      int start = i;
      while (i < n && isToken68Char(s.charAt(i))) {
        i++;
      }
      while (i < n && s.charAt(i) == '=') {
        i++;
      }
      item.token68 = s.substring(start, i);
      return afterItemValue();
    }
    while (true) {
      int nameStart = i;
      skipToken();
      if (i == nameStart) {
        stop("expected an auth-param name at offset " + i);
        return false;
      }
      String name = s.substring(nameStart, i).toLowerCase(Locale.ROOT);
      skipWhitespace();
      if (i >= n || s.charAt(i) != '=') {
        stop("expected '=' after an auth-param name");
        return false;
      }
      i++;
      skipWhitespace();
      String value;
      if (i < n && s.charAt(i) == '"') {
        value = readQuoted();
        if (value == null) {
          stop("unterminated quoted string in an auth-param");
          return false;
        }
      } else {
        int valueStart = i;
        skipToken();
        value = s.substring(valueStart, i);
      }
      if (item.params.putIfAbsent(name, value) != null && item.duplicate == null) {
        item.duplicate = name;
      }
      skipWhitespace();
      if (i >= n) {
        return false;
      }
      if (s.charAt(i) != ',') {
        stop("unexpected text after an auth-param");
        return false;
      }
      // A comma: either another auth-param of this scheme, or the start of the next scheme.
      skipListSeparators();
      if (i >= n) {
        return false;
      }
      if (!nextIsAuthParam()) {
        return true;
      }
    }
  }

  /** After a token68: end, or a comma before the next scheme. */
  private boolean afterItemValue() throws MalformedMessageException {
    skipWhitespace();
    if (i >= n) {
      return false;
    }
    if (s.charAt(i) != ',') {
      stop("unexpected text after credentials");
      return false;
    }
    return true;
  }

  /** Looks ahead (without consuming) for {@code token BWS "="} not followed by another "=". */
  private boolean nextIsAuthParam() {
    int j = i;
    while (j < n && isTchar(s.charAt(j))) {
      j++;
    }
    if (j == i) {
      return false;
    }
    while (j < n && isWhitespace(s.charAt(j))) {
      j++;
    }
    return j < n && s.charAt(j) == '=';
  }

  /** True when the text at {@code i} is a token68 rather than the first auth-param. */
  private boolean isToken68Start() {
    int j = i;
    while (j < n && isToken68Char(s.charAt(j))) {
      j++;
    }
    if (j == i) {
      return false;
    }
    int k = j;
    while (k < n && isWhitespace(s.charAt(k))) {
      k++;
    }
    if (k >= n || s.charAt(k) != '=') {
      return true; // a bare word: token68
    }
    // "word=" followed by "=", end or comma is token68 padding; otherwise an auth-param.
    if (k != j) {
      return false; // "name = value"
    }
    int after = k + 1;
    return after >= n || s.charAt(after) == '=' || s.charAt(after) == ',';
  }

  private @Nullable String readQuoted() {
    i++; // opening quote
    StringBuilder sb = null;
    int runStart = i;
    while (i < n) {
      char c = s.charAt(i);
      if (c == '"') {
        String value = sb == null ? s.substring(runStart, i) : sb.append(s, runStart, i).toString();
        i++;
        return value;
      }
      if (c == '\\') {
        if (i + 1 >= n) {
          i = n;
          return null;
        }
        if (sb == null) {
          sb = new StringBuilder();
        }
        sb.append(s, runStart, i).append(s.charAt(i + 1));
        i += 2;
        runStart = i;
        continue;
      }
      i++;
    }
    return null;
  }

  /** In strict mode throws; in lenient mode ends the scan silently. */
  private void stop(String message) throws MalformedMessageException {
    if (strict) {
      throw new MalformedMessageException(message);
    }
    i = n;
  }

  private void skipToken() {
    while (i < n && isTchar(s.charAt(i))) {
      i++;
    }
  }

  private void skipWhitespace() {
    while (i < n && isWhitespace(s.charAt(i))) {
      i++;
    }
  }

  private void skipListSeparators() {
    while (i < n && (isWhitespace(s.charAt(i)) || s.charAt(i) == ',')) {
      i++;
    }
  }

  private static boolean isWhitespace(char c) {
    return c == ' ' || c == '\t';
  }

  /** RFC 9110 tchar. */
  static boolean isTchar(char c) {
    if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
      return true;
    }
    return switch (c) {
      case '!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '^', '_', '`', '|', '~' -> true;
      default -> false;
    };
  }

  /** RFC 9110 token68 characters, without the trailing "=" padding. */
  static boolean isToken68Char(char c) {
    return c >= 'a' && c <= 'z'
        || c >= 'A' && c <= 'Z'
        || c >= '0' && c <= '9'
        || c == '-'
        || c == '.'
        || c == '_'
        || c == '~'
        || c == '+'
        || c == '/';
  }
}
