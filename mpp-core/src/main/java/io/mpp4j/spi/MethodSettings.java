package io.mpp4j.spi;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The string settings of one payment method, as they come from a string-only configuration source
 * such as {@code web.xml} init-parameters. Keys are given without the method's namespace ({@code
 * recipient} for the init-parameter {@code tempo.recipient}); error messages name the full
 * parameter. Secrets are never set here directly: a setting names an environment variable or system
 * property that holds the secret, resolved by {@link #secret}.
 *
 * <p>Immutable and thread-safe.
 */
public final class MethodSettings {
  private final String namespace;
  private final Map<String, String> values;
  private final Function<String, @Nullable String> environment;

  private MethodSettings(
      String namespace,
      Map<String, String> values,
      Function<String, @Nullable String> environment) {
    this.namespace = namespace;
    this.values = values;
    this.environment = environment;
  }

  /**
   * Settings for a method.
   *
   * @param namespace the method name, used in error messages ({@code tempo})
   * @param values the settings without the namespace prefix
   * @param environment looks up environment variables (normally {@code System::getenv})
   */
  public static MethodSettings of(
      String namespace,
      Map<String, String> values,
      Function<String, @Nullable String> environment) {
    Objects.requireNonNull(namespace, "namespace == null");
    Objects.requireNonNull(values, "values == null");
    Objects.requireNonNull(environment, "environment == null");
    return new MethodSettings(namespace, new TreeMap<>(values), environment);
  }

  /** The method name these settings are for. */
  public String namespace() {
    return namespace;
  }

  /** All settings (without prefix), sorted by key. */
  public Map<String, String> asMap() {
    return java.util.Collections.unmodifiableMap(values);
  }

  /** A setting, or null. */
  public @Nullable String get(String key) {
    String v = values.get(key);
    return v == null || v.isBlank() ? null : v.strip();
  }

  /** A setting, or {@code defaultValue}. */
  public String get(String key, String defaultValue) {
    String v = get(key);
    return v == null ? defaultValue : v;
  }

  /**
   * A required setting.
   *
   * @throws IllegalArgumentException naming the full parameter when it is missing
   */
  public String require(String key, String expectedForm) {
    String v = get(key);
    if (v == null) {
      throw new IllegalArgumentException(
          "missing init-parameter " + param(key) + " (expected " + expectedForm + ")");
    }
    return v;
  }

  /**
   * Resolves a secret named by a setting: the setting {@code key} holds the name of an environment
   * variable (or, when it starts with {@code sys:}, a system property) whose value is the secret.
   *
   * @param key the setting naming the secret's source, e.g. {@code apiKeyEnv}
   * @param defaultSource the source name used when the setting is absent, or null for none
   * @return the secret, or null when neither the setting nor the default names a set variable
   */
  public @Nullable String secret(String key, @Nullable String defaultSource) {
    String source = get(key);
    if (source == null) {
      source = defaultSource;
    }
    if (source == null) {
      return null;
    }
    String value =
        source.startsWith("sys:")
            ? System.getProperty(source.substring(4))
            : environment.apply(source);
    return value == null || value.isEmpty() ? null : value;
  }

  /** An error naming the parameter, its value and the expected form. */
  public IllegalArgumentException invalid(String key, String expectedForm) {
    return new IllegalArgumentException(
        "invalid init-parameter "
            + param(key)
            + "=\""
            + values.get(key)
            + "\" (expected "
            + expectedForm
            + ")");
  }

  /**
   * Applies a setting with a validating setter: the setter's {@link IllegalArgumentException}
   * becomes one naming the full parameter, its value and the expected form.
   */
  public void apply(String key, String expectedForm, Runnable setter) {
    try {
      setter.run();
    } catch (IllegalArgumentException e) {
      throw invalid(key, expectedForm);
    }
  }

  /**
   * Applies a duration setting, if present: an ISO-8601 duration ({@code PT5S}) or whole seconds,
   * handed to a validating setter.
   *
   * @param range the accepted range in words, for the error message (e.g. {@code 1 ms to 2
   *     minutes})
   * @throws IllegalArgumentException naming the parameter when the value is not a duration or the
   *     setter refuses it
   */
  public void duration(String key, String range, Consumer<Duration> setter) {
    String value = get(key);
    if (value == null) {
      return;
    }
    Duration d = null;
    if (value.length() <= 7 && value.chars().allMatch(c -> c >= '0' && c <= '9')) {
      d = Duration.ofSeconds(Long.parseLong(value));
    } else {
      try {
        d = Duration.parse(value);
      } catch (DateTimeParseException e) {
        // reported below
      }
    }
    if (d == null) {
      throw invalid(key, "an ISO-8601 duration such as PT5S, or whole seconds");
    }
    Duration parsed = d;
    apply(key, "a duration of " + range, () -> setter.accept(parsed));
  }

  /**
   * A boolean setting: {@code true} or {@code false} in any case.
   *
   * @return the value, or {@code defaultValue} when absent
   * @throws IllegalArgumentException naming the parameter for any other value
   */
  public boolean bool(String key, boolean defaultValue) {
    String value = get(key);
    if (value == null) {
      return defaultValue;
    }
    if (value.equalsIgnoreCase("true")) {
      return true;
    }
    if (value.equalsIgnoreCase("false")) {
      return false;
    }
    throw invalid(key, "true or false");
  }

  /** The full parameter name of a setting, e.g. {@code tempo.recipient}. */
  public String param(String key) {
    return namespace + "." + key;
  }

  /** Lists the keys only: values may name secret sources. */
  @Override
  public String toString() {
    return "MethodSettings{" + namespace + ": " + values.keySet() + "}";
  }
}
