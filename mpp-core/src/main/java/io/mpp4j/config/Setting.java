package io.mpp4j.config;

import java.lang.reflect.InvocationTargetException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The declaration of one string setting: its key (relative to its {@link Schema}'s namespace), how
 * its value is parsed, the expected form named in errors, whether it is required, its default and
 * its documentation. Declarations are immutable; the modifiers return copies.
 *
 * <p>A setting never holds a secret: {@link #variableName} declares a setting whose value is the
 * name of the environment variable (or {@code sys:<property>}) holding the secret, resolved by
 * {@link Configuration#secret}. Such values, like every value whose key ends in {@code Env}, are
 * taken literally ({@code ${...}} references are not expanded in them).
 *
 * @param <T> the parsed type
 */
public final class Setting<T> {
  /**
   * Parses a raw (stripped, expanded, non-blank) value; any exception means it is invalid, and its
   * message, if any, is appended to the error.
   */
  @FunctionalInterface
  public interface Parser<T> {
    /**
     * Parses a value.
     *
     * @param value the stripped, non-blank value
     * @param loader the class loader for settings that name classes
     */
    T parse(String value, ClassLoader loader) throws Exception;
  }

  private final String key;
  private final String expected;
  private final String rejected;
  private final @Nullable String missingForm;
  private final @Nullable T defaultValue;
  private final String defaultText;
  private final String doc;
  private final boolean variableName;
  private final Parser<T> parser;

  private Setting(
      String key,
      String expected,
      String rejected,
      @Nullable String missingForm,
      @Nullable T defaultValue,
      String defaultText,
      String doc,
      boolean variableName,
      Parser<T> parser) {
    this.key = key;
    this.expected = expected;
    this.rejected = rejected;
    this.missingForm = missingForm;
    this.defaultValue = defaultValue;
    this.defaultText = defaultText;
    this.doc = doc;
    this.variableName = variableName;
    this.parser = parser;
  }

  /**
   * A setting parsed by {@code parser}.
   *
   * @param key the key, relative to the schema's namespace
   * @param expected the expected form, named in errors ({@code an http(s) URL})
   */
  public static <T> Setting<T> of(String key, String expected, Parser<T> parser) {
    Objects.requireNonNull(key, "key == null");
    Objects.requireNonNull(expected, "expected == null");
    Objects.requireNonNull(parser, "parser == null");
    if (key.isEmpty()) {
      throw new IllegalArgumentException("key is empty");
    }
    return new Setting<>(key, expected, expected, null, null, "none", "", false, parser);
  }

  /** A text setting. */
  public static Setting<String> string(String key, String expected) {
    return of(key, expected, (v, l) -> v);
  }

  /** An integer from {@code min} to {@code max}. */
  public static Setting<Integer> integer(String key, int min, int max) {
    return of(
        key,
        "an integer from " + min + " to " + max,
        (v, l) -> {
          int parsed;
          try {
            parsed = Integer.parseInt(v);
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException(); // the expected form says it all
          }
          if (parsed < min || parsed > max) {
            throw new IllegalArgumentException();
          }
          return parsed;
        });
  }

  /** {@code true} or {@code false}, in any case. */
  public static Setting<Boolean> bool(String key) {
    return of(
        key,
        "true or false",
        (v, l) ->
            switch (v.toLowerCase(Locale.ROOT)) {
              case "true" -> Boolean.TRUE;
              case "false" -> Boolean.FALSE;
              default -> throw new IllegalArgumentException();
            });
  }

  /**
   * A duration: ISO-8601 ({@code PT5S}, any case) or whole seconds. The range is checked by the
   * setter the value is {@linkplain Configuration#apply applied} to; declare the form named then
   * with {@link #rejectedAs}.
   */
  public static Setting<Duration> duration(String key, String expected) {
    return of(key, expected, (v, l) -> parseDuration(v));
  }

  /** A comma-separated list; blank elements are dropped. */
  public static Setting<List<String>> csv(String key, String expected) {
    return of(key, expected, (v, l) -> csv(v));
  }

  /**
   * One of named choices, matched case-insensitively with {@code -} read as {@code _}.
   *
   * @param choices the lower-case names and their values, in documentation order
   */
  public static <T> Setting<T> choice(String key, String expected, Map<String, T> choices) {
    Map<String, T> copy = Collections.unmodifiableMap(new LinkedHashMap<>(choices));
    return of(
        key,
        expected,
        (v, l) -> {
          T value = copy.get(v.toLowerCase(Locale.ROOT).replace('-', '_'));
          if (value == null) {
            throw new IllegalArgumentException();
          }
          return value;
        });
  }

  /**
   * The name of the environment variable (or {@code sys:<property>}) that holds a secret; the
   * secret is read with {@link Configuration#secret}. The value is never expanded.
   *
   * @param defaultVariable the variable used when the setting is absent, or null for none
   */
  public static Setting<String> variableName(String key, @Nullable String defaultVariable) {
    Objects.requireNonNull(key, "key == null");
    return new Setting<>(
        key,
        "the name of an environment variable, or sys:<property>",
        "the name of an environment variable, or sys:<property>",
        null,
        defaultVariable,
        defaultVariable == null ? "none" : defaultVariable,
        "",
        true,
        (v, l) -> v);
  }

  /**
   * The name of a class implementing {@code type} with a public no-argument constructor; the value
   * read is a new instance, loaded through the configuration's class loader.
   */
  public static <I> Setting<I> implementation(String key, Class<I> type) {
    return of(
        key,
        "the name of a class implementing "
            + type.getName()
            + " with a public no-argument constructor",
        (v, loader) -> {
          Class<?> cls = Class.forName(v, true, loader);
          try {
            return type.cast(cls.getConstructor().newInstance());
          } catch (InvocationTargetException e) {
            throw new IllegalArgumentException(
                "its constructor failed", e.getCause() == null ? e : e.getCause());
          }
        });
  }

  /** A copy that is required; a missing value is reported with {@code missingForm} as expected. */
  public Setting<T> required(String missingForm) {
    Objects.requireNonNull(missingForm, "missingForm == null");
    return new Setting<>(
        key, expected, rejected, missingForm, null, "— (required)", doc, variableName, parser);
  }

  /** A copy with a default value, documented as {@code text}. */
  public Setting<T> defaultValue(T value, String text) {
    Objects.requireNonNull(value, "value == null");
    Objects.requireNonNull(text, "text == null");
    return new Setting<>(key, expected, rejected, null, value, text, doc, variableName, parser);
  }

  /** A copy whose default is documented as {@code text} but supplied by the reader. */
  public Setting<T> documentedDefault(String text) {
    Objects.requireNonNull(text, "text == null");
    return new Setting<>(
        key, expected, rejected, missingForm, defaultValue, text, doc, variableName, parser);
  }

  /** A copy naming {@code form} when a setter refuses the parsed value. */
  public Setting<T> rejectedAs(String form) {
    Objects.requireNonNull(form, "form == null");
    return new Setting<>(
        key, expected, form, missingForm, defaultValue, defaultText, doc, variableName, parser);
  }

  /** A copy with documentation text. */
  public Setting<T> doc(String text) {
    Objects.requireNonNull(text, "text == null");
    return new Setting<>(
        key,
        expected,
        rejected,
        missingForm,
        defaultValue,
        defaultText,
        text,
        variableName,
        parser);
  }

  /** The key, relative to the schema's namespace. */
  public String key() {
    return key;
  }

  /** The expected form named when the value cannot be parsed. */
  public String expected() {
    return expected;
  }

  /** The expected form named when a setter refuses the parsed value. */
  public String rejected() {
    return rejected;
  }

  /** Whether the setting must be present. */
  public boolean isRequired() {
    return missingForm != null;
  }

  /** The expected form named when a required setting is missing, or null when it is optional. */
  public @Nullable String missingForm() {
    return missingForm;
  }

  /** The default value, or null when there is none (or the reader supplies it). */
  public @Nullable T defaultValue() {
    return defaultValue;
  }

  /** The default as documented. */
  public String defaultText() {
    return defaultText;
  }

  /** The documentation text. */
  public String doc() {
    return doc;
  }

  /** Whether the value names the variable holding a secret (and is never expanded). */
  public boolean isVariableName() {
    return variableName;
  }

  T parse(String value, ClassLoader loader) throws Exception {
    return parser.parse(value, loader);
  }

  @Override
  public String toString() {
    return "Setting{" + key + "}";
  }

  static Duration parseDuration(String text) {
    String t = text.strip();
    if (!t.isEmpty() && t.length() <= 12 && t.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return Duration.ofSeconds(Long.parseLong(t));
    }
    return Duration.parse(t.toUpperCase(Locale.ROOT));
  }

  static List<String> csv(@Nullable String value) {
    List<String> out = new ArrayList<>();
    if (value == null) {
      return out;
    }
    for (String part : value.split(",", -1)) {
      String s = part.strip();
      if (!s.isEmpty()) {
        out.add(s);
      }
    }
    return Collections.unmodifiableList(out);
  }
}
