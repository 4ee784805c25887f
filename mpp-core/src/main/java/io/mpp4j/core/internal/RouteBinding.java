package io.mpp4j.core.internal;

import io.mpp4j.core.CanonicalJson;
import io.mpp4j.core.PaymentRequest;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Compares the pinned fields of an echoed request with the request a route issues now. Fields are
 * dotted paths into the request object; a field absent on both sides matches, absent on one side
 * does not. {@code 0x}-prefixed hex strings compare case-insensitively; other values compare by
 * their canonical JSON.
 */
public final class RouteBinding {
  private RouteBinding() {}

  /** The first pinned field that differs, or null when all match. */
  public static @Nullable String firstMismatch(
      PaymentRequest expected, PaymentRequest echoed, List<String> fields) {
    for (String field : fields) {
      Object a = lookup(expected.fields(), field);
      Object b = lookup(echoed.fields(), field);
      if (!sameValue(a, b)) {
        return field;
      }
    }
    return null;
  }

  private static @Nullable Object lookup(Map<String, Object> root, String path) {
    Object current = root;
    int start = 0;
    while (true) {
      int dot = path.indexOf('.', start);
      String key = dot < 0 ? path.substring(start) : path.substring(start, dot);
      if (!(current instanceof Map<?, ?> map)) {
        return null;
      }
      current = map.get(key);
      if (dot < 0 || current == null) {
        return current;
      }
      start = dot + 1;
    }
  }

  private static boolean sameValue(@Nullable Object a, @Nullable Object b) {
    if (a == null || b == null) {
      return a == b;
    }
    if (a instanceof String sa && b instanceof String sb) {
      return isHex(sa) && isHex(sb) ? sa.equalsIgnoreCase(sb) : sa.equals(sb);
    }
    if (a instanceof String || b instanceof String) {
      return false;
    }
    return Objects.equals(
        CanonicalJson.canonicalizeToString(a), CanonicalJson.canonicalizeToString(b));
  }

  private static boolean isHex(String s) {
    if (s.length() < 3 || s.charAt(0) != '0' || (s.charAt(1) != 'x' && s.charAt(1) != 'X')) {
      return false;
    }
    for (int i = 2; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
        return false;
      }
    }
    return true;
  }
}
