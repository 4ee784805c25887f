package io.mpp4j.server.routing;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The paid routes of one handler, first match wins. A request is looked up on two paths, both
 * normalized and relative to the context path: the path the framework dispatches to and the raw
 * request path. It is paid when either matches, so no disagreement between the framework's decoding
 * and the normalizer's reaches a paid resource unpaid; when either cannot be normalized the request
 * is {@link Lookup.Invalid} (answer 400 {@code path_invalid}). A paid GET covers HEAD; a {@code
 * session} route also covers POST and HEAD ({@link PaidRoute#covers}).
 *
 * <p>Immutable and thread-safe.
 */
public final class RouteTable {
  private final List<PaidRoute> routes;

  /** A table of the routes, in match order. */
  public RouteTable(List<PaidRoute> routes) {
    this.routes = List.copyOf(Objects.requireNonNull(routes, "routes == null"));
  }

  /** The routes, in match order. */
  public List<PaidRoute> routes() {
    return routes;
  }

  /** What a lookup found. */
  public sealed interface Lookup {
    /** The request is on no paid route: pass it through untouched. */
    record Unpaid() implements Lookup {}

    /** The path cannot be normalized: refuse rather than risk serving a paid resource unpaid. */
    record Invalid() implements Lookup {}

    /**
     * A paid route matched.
     *
     * @param route the route
     * @param path the normalized path it matched
     */
    record Match(PaidRoute route, String path) implements Lookup {
      /** Validates. */
      public Match {
        Objects.requireNonNull(route, "route == null");
        Objects.requireNonNull(path, "path == null");
      }
    }
  }

  /**
   * Looks a request up.
   *
   * @param method the HTTP method, upper case
   * @param dispatchedPath the decoded path the framework dispatches to, relative to the context
   * @param rawPath the raw (percent-encoded) request path including the context path, or null when
   *     unknown (then {@code /})
   * @param contextPath the context path, empty for none
   */
  public Lookup lookup(
      String method,
      String dispatchedPath,
      @Nullable String rawPath,
      @Nullable String contextPath) {
    String dispatched = PathNormalizer.normalize(dispatchedPath);
    String requested = relativePath(rawPath, contextPath);
    if (dispatched == null || requested == null) {
      return new Lookup.Invalid();
    }
    PaidRoute route = find(method, dispatched);
    if (route != null) {
      return new Lookup.Match(route, dispatched);
    }
    if (!requested.equals(dispatched)) {
      route = find(method, requested);
      if (route != null) {
        return new Lookup.Match(route, requested);
      }
    }
    return new Lookup.Unpaid();
  }

  /** The first route covering a method and an already normalized path, or null. */
  public @Nullable PaidRoute find(String method, String normalizedPath) {
    for (PaidRoute r : routes) {
      if (r.matches(method, normalizedPath)) {
        return r;
      }
    }
    return null;
  }

  /**
   * The raw request path normalized, then made relative to the context path; null when it cannot be
   * normalized or does not lie under the context path (then it cannot be matched safely).
   *
   * @param rawPath the raw path including the context path, or null for {@code /}
   * @param contextPath the context path as the framework reports it, or null or empty for none
   */
  public static @Nullable String relativePath(
      @Nullable String rawPath, @Nullable String contextPath) {
    String normalized = PathNormalizer.normalize(rawPath == null ? "/" : rawPath);
    if (normalized == null || contextPath == null || contextPath.isEmpty()) {
      return normalized;
    }
    String context = PathNormalizer.normalize(contextPath);
    if (context == null || !normalized.startsWith(context)) {
      return null;
    }
    if (normalized.length() == context.length()) {
      return "/";
    }
    return normalized.charAt(context.length()) == '/'
        ? normalized.substring(context.length())
        : null;
  }
}
