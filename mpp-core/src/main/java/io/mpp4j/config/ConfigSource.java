package io.mpp4j.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Where string settings come from: {@code web.xml} init-parameters, Spring properties, a map in a
 * test. A source knows its keys, their raw values, the noun it uses for a key in messages ({@code
 * init-parameter}, {@code property}) and how to look up an environment variable (for {@code
 * ${NAME}} references and for the variables that hold secrets).
 *
 * <p>Implementations must be safe to read from the thread that reads the configuration.
 */
public interface ConfigSource {
  /** The noun for one key in messages, e.g. {@code init-parameter} or {@code property}. */
  String noun();

  /** The keys present, in any order. */
  Set<String> keys();

  /** The raw value of a key, or null when the key is absent. */
  @Nullable String get(String key);

  /** An environment variable, or null when it is unset. The default reads {@link System#getenv}. */
  default @Nullable String environment(String name) {
    return System.getenv(name);
  }

  /**
   * A source over a map, looking up environment variables with {@code environment}.
   *
   * @param noun the noun for a key in messages
   * @param values the keys and raw values (copied)
   * @param environment looks up environment variables (normally {@code System::getenv})
   */
  static ConfigSource of(
      String noun, Map<String, String> values, Function<String, @Nullable String> environment) {
    Objects.requireNonNull(noun, "noun == null");
    Objects.requireNonNull(environment, "environment == null");
    Map<String, String> copy = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    return new ConfigSource() {
      @Override
      public String noun() {
        return noun;
      }

      @Override
      public Set<String> keys() {
        return copy.keySet();
      }

      @Override
      public @Nullable String get(String key) {
        return copy.get(key);
      }

      @Override
      public @Nullable String environment(String name) {
        return environment.apply(name);
      }

      /** Lists the keys only: values may be sensitive. */
      @Override
      public String toString() {
        return "ConfigSource{" + noun + ": " + copy.keySet() + "}";
      }
    };
  }
}
