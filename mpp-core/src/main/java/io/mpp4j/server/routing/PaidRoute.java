package io.mpp4j.server.routing;

import io.mpp4j.core.Intent;
import io.mpp4j.core.PaymentRequirement;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One paid route: the HTTP methods and path pattern it covers, and what it costs. Patterns are an
 * exact path ({@code /api/premium}) or a prefix ending in {@code /*} ({@code /api/*}, which also
 * covers {@code /api}); they are matched case-insensitively against the normalized request path
 * (relative to the context path).
 *
 * <p>A route covers its own HTTP methods, {@code HEAD} when it covers {@code GET}, and, when its
 * requirement's intent is {@code session}, also {@code POST} and {@code HEAD}: a session's
 * payment-management requests (vouchers, top-ups, close) arrive as bodiless {@code POST}s, or a
 * {@code HEAD} for a pure top-up, to the paid URL itself (SPEC 4.5, 11.4), whatever methods the
 * route serves content for.
 *
 * <p>Immutable and thread-safe.
 *
 * @param name a name for logs and configuration errors
 * @param httpMethods the HTTP methods covered (upper case), e.g. GET and HEAD
 * @param pattern the path pattern
 * @param requirement the price and offers
 * @param pricing a hook computing the requirement per request, or null for the static one
 */
public record PaidRoute(
    String name,
    Set<String> httpMethods,
    String pattern,
    PaymentRequirement requirement,
    @Nullable DynamicPricing pricing) {

  /**
   * Validates the route.
   *
   * @throws IllegalArgumentException when the pattern does not start with "/" or has a "*" other
   *     than a trailing "/*", or no HTTP method is given
   */
  public PaidRoute {
    Objects.requireNonNull(name, "name == null");
    Objects.requireNonNull(pattern, "pattern == null");
    Objects.requireNonNull(requirement, "requirement == null");
    httpMethods =
        Set.copyOf(
            Objects.requireNonNull(httpMethods, "httpMethods == null").stream()
                .map(m -> m.strip().toUpperCase(Locale.ROOT))
                .toList());
    if (httpMethods.isEmpty()) {
      throw new IllegalArgumentException("route " + name + " covers no HTTP method");
    }
    if (!pattern.startsWith("/")) {
      throw new IllegalArgumentException(
          "route " + name + " path must start with \"/\", but was \"" + pattern + "\"");
    }
    int star = pattern.indexOf('*');
    if (star >= 0 && (star != pattern.length() - 1 || !pattern.endsWith("/*"))) {
      throw new IllegalArgumentException(
          "route "
              + name
              + " path may only end in \"/*\" as a wildcard, but was \""
              + pattern
              + "\"");
    }
    boolean wildcard = pattern.endsWith("/*");
    String base = wildcard ? pattern.substring(0, pattern.length() - 2) : pattern;
    String normalized = PathNormalizer.normalize(base.isEmpty() ? "/" : base);
    if (normalized == null) {
      throw new IllegalArgumentException("route " + name + " path is not a valid path: " + pattern);
    }
    if (normalized.length() > 1 && normalized.endsWith("/")) {
      normalized = normalized.substring(0, normalized.length() - 1);
    }
    pattern = wildcard ? (normalized.equals("/") ? "/*" : normalized + "/*") : normalized;
  }

  /** A route for GET and HEAD requests to {@code pattern}. */
  public static PaidRoute of(String pattern, PaymentRequirement requirement) {
    return new PaidRoute(pattern, Set.of("GET", "HEAD"), pattern, requirement, null);
  }

  /** Whether this route covers a request (the path already normalized and lower-cased). */
  public boolean matches(String httpMethod, String normalizedPath) {
    if (!covers(httpMethod)) {
      return false;
    }
    if (pattern.endsWith("/*")) {
      int base = pattern.length() - 2;
      return normalizedPath.regionMatches(0, pattern, 0, base)
          && (normalizedPath.length() == base || normalizedPath.charAt(base) == '/');
    }
    return normalizedPath.equals(pattern)
        || (normalizedPath.length() == pattern.length() + 1
            && normalizedPath.endsWith("/")
            && normalizedPath.startsWith(pattern));
  }

  /**
   * Whether this route covers an HTTP method (upper case): one of its own; {@code HEAD} when it
   * covers {@code GET} (a HEAD runs the GET handler, as {@code HttpServlet.doHead} does); and for a
   * {@code session} route also {@code POST} and {@code HEAD}, the payment-management requests.
   */
  public boolean covers(String httpMethod) {
    if (httpMethods.contains(httpMethod)) {
      return true;
    }
    boolean head = "HEAD".equals(httpMethod);
    if (head && httpMethods.contains("GET")) {
      return true;
    }
    return (head || "POST".equals(httpMethod)) && isSession();
  }

  /** Whether the route's intent is {@code session} (its management requests come to its URL). */
  public boolean isSession() {
    return Intent.SESSION.equals(requirement.intent());
  }
}
