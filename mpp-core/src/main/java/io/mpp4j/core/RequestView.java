package io.mpp4j.core;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What the engine needs to know about an incoming HTTP request. Framework adapters implement it
 * over their request type; tests and non-HTTP transports use {@link #builder()}.
 */
public interface RequestView {
  /** The HTTP method, upper case. */
  String method();

  /** The normalized request path, e.g. {@code /api/premium}. */
  String path();

  /** Every value of a header (case-insensitive name), in order; empty when absent. */
  List<String> headers(String name);

  /** The first value of a header, or null. */
  default @Nullable String header(String name) {
    List<String> values = headers(name);
    return values.isEmpty() ? null : values.get(0);
  }

  /**
   * The buffered request body, or null when the request has none or the adapter did not buffer it.
   * A non-null body of a paid route is bound into the challenge by its digest.
   */
  byte @Nullable [] body();

  /** The raw query string without {@code ?} (still percent-encoded), or null when there is none. */
  default @Nullable String query() {
    return null;
  }

  /**
   * The first value of a query parameter, percent-decoded as UTF-8 ({@code +} is a space), or null
   * when absent. A value that is not valid percent-encoding counts as absent.
   */
  default @Nullable String queryParameter(String name) {
    Objects.requireNonNull(name, "name == null");
    String q = query();
    if (q == null || q.isEmpty()) {
      return null;
    }
    for (String pair : q.split("&", -1)) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      try {
        if (URLDecoder.decode(key, StandardCharsets.UTF_8).equals(name)) {
          return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        }
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    return null;
  }

  /** Starts a builder for a simple immutable view. */
  static Builder builder() {
    return new Builder();
  }

  /** Builds a simple immutable {@link RequestView}. Not thread-safe. */
  final class Builder {
    private String method = "GET";
    private String path = "/";
    private final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private byte @Nullable [] body;
    private @Nullable String query;

    private Builder() {}

    /** The HTTP method; default GET. */
    public Builder method(String method) {
      this.method = Objects.requireNonNull(method, "method == null").toUpperCase(Locale.ROOT);
      return this;
    }

    /** The path; default "/". */
    public Builder path(String path) {
      this.path = Objects.requireNonNull(path, "path == null");
      return this;
    }

    /** Adds a header value. */
    public Builder header(String name, String value) {
      Objects.requireNonNull(name, "name == null");
      Objects.requireNonNull(value, "value == null");
      headers.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
      return this;
    }

    /** The body (copied), or null. */
    /** Sets the raw query string (without {@code ?}), or null for none. */
    public Builder query(@Nullable String query) {
      this.query = query;
      return this;
    }

    public Builder body(byte @Nullable [] body) {
      this.body = body == null ? null : body.clone();
      return this;
    }

    /** Builds the view. */
    public RequestView build() {
      // Header names in arrays, looked up with equalsIgnoreCase (which compares lengths first): for
      // the few headers of a request this is several times cheaper than a case-insensitive tree.
      String[] names = new String[headers.size()];
      List<?>[] values = new List<?>[headers.size()];
      int k = 0;
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        names[k] = e.getKey();
        values[k++] = List.copyOf(e.getValue());
      }
      String m = method;
      String p = path;
      byte[] b = body;
      String q = query;
      return new RequestView() {
        @Override
        public String method() {
          return m;
        }

        @Override
        public String path() {
          return p;
        }

        @Override
        @SuppressWarnings("unchecked")
        public List<String> headers(String name) {
          Objects.requireNonNull(name, "name == null");
          for (int i = 0; i < names.length; i++) {
            if (names[i].equalsIgnoreCase(name)) {
              return (List<String>) values[i];
            }
          }
          return List.of();
        }

        @Override
        public byte @Nullable [] body() {
          return b == null ? null : b.clone();
        }

        @Override
        public @Nullable String query() {
          return q;
        }
      };
    }
  }
}
