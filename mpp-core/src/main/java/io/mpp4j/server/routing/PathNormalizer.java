package io.mpp4j.server.routing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Normalizes a request path for paid-route matching so that no encoding trick reaches a paid
 * resource unpaid: {@code ;parameters} are removed from every segment, percent-escapes are decoded
 * (including an encoded {@code /}, which then separates segments), backslashes count as slashes,
 * empty segments collapse, {@code .} and {@code ..} are resolved, and the result is lower-cased
 * (matching is case-insensitive). A path that cannot be normalized safely (bad escapes, control
 * characters, NUL, {@code ..} above the root, invalid UTF-8) yields null: the filter answers 400.
 */
public final class PathNormalizer {
  private PathNormalizer() {}

  /** True when the raw path is already normal (the common case; no allocation). */
  static boolean isSimple(String raw) {
    int n = raw.length();
    if (n == 0 || raw.charAt(0) != '/') {
      return false;
    }
    char prev = 0;
    for (int i = 0; i < n; i++) {
      char c = raw.charAt(i);
      if (c == '%' || c == ';' || c == '\\' || c < 0x21 || c > 0x7E || (c >= 'A' && c <= 'Z')) {
        return false;
      }
      if (c == '/' && prev == '/') {
        return false;
      }
      if (c == '.' && (prev == '/' || prev == '.')) {
        return false; // possible dot-segment; take the slow path
      }
      prev = c;
    }
    return true;
  }

  /** The normalized, lower-cased path, or null when it is not acceptable. */
  public static @Nullable String normalize(String raw) {
    if (raw.length() > 8192) {
      return null;
    }
    if (isSimple(raw)) {
      return raw;
    }
    if (raw.isEmpty() || raw.charAt(0) != '/') {
      return raw.isEmpty() ? "/" : null;
    }
    // 1. Drop ;parameters from each raw segment (before decoding, as containers do).
    StringBuilder noParams = new StringBuilder(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == ';') {
        while (i + 1 < raw.length() && raw.charAt(i + 1) != '/') {
          i++;
        }
        continue;
      }
      noParams.append(c);
    }
    // 2. Percent-decode as UTF-8; decode repeatedly so double encoding cannot hide a separator.
    String decoded = noParams.toString();
    for (int round = 0; round < 3 && decoded.indexOf('%') >= 0; round++) {
      decoded = percentDecode(decoded);
      if (decoded == null) {
        return null;
      }
    }
    if (decoded.indexOf('%') >= 0) {
      return null; // still encoded after three rounds: refuse rather than guess
    }
    // 3. Split on / and \, resolve dot segments, drop empty ones.
    Deque<String> segments = new ArrayDeque<>();
    int start = 0;
    for (int i = 0; i <= decoded.length(); i++) {
      if (i == decoded.length() || decoded.charAt(i) == '/' || decoded.charAt(i) == '\\') {
        String seg = decoded.substring(start, i);
        start = i + 1;
        if (seg.isEmpty() || seg.equals(".")) {
          continue;
        }
        if (seg.indexOf(';') >= 0) {
          seg = seg.substring(0, seg.indexOf(';')); // a ;param that was percent-encoded
          if (seg.isEmpty()) {
            continue;
          }
        }
        if (seg.equals("..")) {
          if (segments.isEmpty()) {
            return null;
          }
          segments.removeLast();
          continue;
        }
        for (int k = 0; k < seg.length(); k++) {
          char c = seg.charAt(k);
          if (c < 0x20 || c == 0x7F) {
            return null;
          }
        }
        segments.addLast(seg);
      }
    }
    boolean trailingSlash =
        decoded.endsWith("/") && !segments.isEmpty()
            || decoded.endsWith("\\") && !segments.isEmpty();
    StringBuilder out = new StringBuilder(decoded.length());
    for (String seg : segments) {
      out.append('/').append(seg);
    }
    if (out.length() == 0 || trailingSlash) {
      out.append('/');
    }
    return out.toString().toLowerCase(Locale.ROOT);
  }

  private static @Nullable String percentDecode(String s) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length()) {
          return null;
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return null;
        }
        int b = (hi << 4) | lo;
        if (b == 0) {
          return null;
        }
        bytes.write(b);
        i += 2;
      } else if (c < 0x80) {
        bytes.write(c);
      } else {
        byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
          utf8 = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
          i++;
        }
        bytes.write(utf8, 0, utf8.length);
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
          .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      return null;
    }
  }
}
