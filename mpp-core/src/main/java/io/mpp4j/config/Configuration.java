package io.mpp4j.config;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The validated settings of one namespace, read from a {@link ConfigSource} through a {@link
 * Schema}: every present setting has been parsed, every required one is present and no key is
 * unknown. Reads are typed; {@link #apply} hands a value to a validating setter and turns its
 * refusal into a {@link ConfigurationException} naming the key, the value and the form.
 *
 * <p>Values are stripped; a blank value counts as absent, except for a required setting, where it
 * is invalid. {@code ${NAME}} and {@code ${NAME:default}} references are replaced by the
 * environment variable, else the system property, {@code NAME}, else the default; values of keys
 * ending in {@code Env} and of {@linkplain Setting#variableName variable-name} settings are taken
 * literally, so a secret cannot end up in one (and then in a message).
 *
 * <p>Immutable once read; thread-safe.
 */
public final class Configuration {
  private final Schema schema;
  private final ConfigSource source;
  private final String prefix;
  private final Set<String> present;
  private final ClassLoader loader;
  private final Map<String, Object> parsed = new HashMap<>();

  Configuration(
      Schema schema, ConfigSource source, String prefix, Set<String> present, ClassLoader loader) {
    this.schema = schema;
    this.source = source;
    this.prefix = prefix;
    this.present = present;
    this.loader = loader;
    for (Setting<?> s : schema.settings()) {
      validate(s);
    }
  }

  private <T> void validate(Setting<T> s) {
    String missingForm = s.missingForm();
    if (!present.contains(s.key())) {
      if (missingForm != null) {
        throw missing(s.key(), missingForm);
      }
      return;
    }
    String value = value(s.key(), s.isVariableName());
    if (value == null || value.isEmpty()) {
      if (missingForm != null) {
        throw invalid(s.key(), value == null ? "" : value, s.expected(), null);
      }
      return;
    }
    T result;
    try {
      result = s.parse(value, loader);
    } catch (Exception | LinkageError e) {
      throw invalid(s.key(), value, s.expected(), e);
    }
    if (result == null) {
      throw new IllegalStateException("the parser of " + s + " returned null");
    }
    parsed.put(s.key(), result);
  }

  /** The source this was read from. */
  public ConfigSource source() {
    return source;
  }

  /** The source's noun for a key, e.g. {@code init-parameter}. */
  public String noun() {
    return source.noun();
  }

  /** The noun's plural, e.g. {@code init-parameters} or {@code properties}. */
  public String nouns() {
    String noun = source.noun();
    return noun.endsWith("y") ? noun.substring(0, noun.length() - 1) + "ies" : noun + "s";
  }

  /** The full key of a setting in the source, e.g. {@code tempo.recipient}. */
  public String key(Setting<?> setting) {
    return prefix + setting.key();
  }

  /** The full key of a relative key in the source. */
  public String key(String relative) {
    return prefix + relative;
  }

  /** Whether the setting has a (non-blank) value in the source. */
  public boolean isSet(Setting<?> setting) {
    return parsed.containsKey(declared(setting).key());
  }

  /** The value, else the setting's default, else null. */
  @SuppressWarnings("unchecked") // parsed holds what the same setting's parser returned
  public <T> @Nullable T find(Setting<T> setting) {
    Object v = parsed.get(declared(setting).key());
    return v != null ? (T) v : setting.defaultValue();
  }

  /**
   * The value, else the setting's default.
   *
   * @throws IllegalStateException when the setting has neither (call {@link #find} for those)
   */
  public <T> T get(Setting<T> setting) {
    T v = find(setting);
    if (v == null) {
      throw new IllegalStateException(setting + " has no value and no default");
    }
    return v;
  }

  /**
   * Hands a set value to a validating setter; does nothing when the setting is absent.
   *
   * @throws ConfigurationException naming the key, the value and the setting's {@linkplain
   *     Setting#rejected rejected form} when the setter throws {@link IllegalArgumentException}
   */
  public <T> void apply(Setting<T> setting, Consumer<? super T> setter) {
    if (!isSet(setting)) {
      return;
    }
    try {
      setter.accept(get(setting));
    } catch (IllegalArgumentException e) {
      throw invalid(setting, setting.rejected(), e);
    }
  }

  /** The value as given (stripped, references expanded), or null when absent or blank. */
  public @Nullable String raw(Setting<?> setting) {
    Setting<?> s = declared(setting);
    if (!present.contains(s.key())) {
      return null;
    }
    String v = value(s.key(), s.isVariableName());
    return v == null || v.isEmpty() ? null : v;
  }

  /**
   * The secret held by the variable a {@linkplain Setting#variableName variable-name} setting names
   * (or its default): an environment variable, or with {@code sys:} a system property.
   *
   * @return the secret, or null when no variable is named or it is unset or empty
   */
  public @Nullable String secret(Setting<String> setting) {
    if (!setting.isVariableName()) {
      throw new IllegalArgumentException(setting + " does not name a variable");
    }
    String variable = find(setting);
    return variable == null ? null : lookup(variable);
  }

  /** Reads an environment variable, or with {@code sys:} a system property; null when unset. */
  public @Nullable String lookup(String variable) {
    String value =
        variable.startsWith("sys:")
            ? System.getProperty(variable.substring(4))
            : source.environment(variable);
    return value == null || value.isEmpty() ? null : value;
  }

  /**
   * The keys of a group, without the group's prefix, and their values (stripped, expanded), in key
   * order.
   *
   * @param pattern the group's pattern, as declared ({@code metadata.<key>})
   */
  public Map<String, String> group(String pattern) {
    if (!schema.groups().contains(pattern)) {
      throw new IllegalArgumentException("no group " + pattern + " in " + schema);
    }
    String groupPrefix = pattern.substring(0, pattern.indexOf('<'));
    Map<String, String> out = new TreeMap<>();
    for (String relative : present) {
      if (groupPrefix.equals(schema.groupPrefix(relative))) {
        String v = value(relative, false);
        out.put(relative.substring(groupPrefix.length()), v == null ? "" : v);
      }
    }
    return Collections.unmodifiableMap(out);
  }

  /** An error naming the setting, its value and {@code expected}. */
  public ConfigurationException invalid(Setting<?> setting, String expected) {
    return invalid(setting, expected, null);
  }

  /** An error naming the setting, its value and {@code expected}, with the cause's message. */
  public ConfigurationException invalid(
      Setting<?> setting, String expected, @Nullable Throwable cause) {
    return invalid(setting.key(), raw(setting), expected, cause);
  }

  /**
   * An error naming a key (relative to this namespace), its value and {@code expected}: {@code
   * invalid <noun> <key>="<value>" (expected <expected>)}, followed by the cause's message if any.
   */
  public ConfigurationException invalid(
      String relative, @Nullable String value, String expected, @Nullable Throwable cause) {
    return new ConfigurationException(
        "invalid "
            + noun()
            + " "
            + key(relative)
            + "=\""
            + value
            + "\" (expected "
            + expected
            + ")"
            + (cause != null && cause.getMessage() != null ? ": " + cause.getMessage() : ""),
        cause);
  }

  /** An error for a missing key: {@code missing <noun> <key> (expected <expected>)}. */
  public ConfigurationException missing(String relative, String expected) {
    return new ConfigurationException(
        "missing " + noun() + " " + key(relative) + " (expected " + expected + ")");
  }

  private Setting<?> declared(Setting<?> setting) {
    if (schema.setting(setting.key()) == null) {
      throw new IllegalArgumentException(setting + " is not declared in " + schema);
    }
    return setting;
  }

  private @Nullable String value(String relative, boolean literal) {
    String raw = source.get(prefix + relative);
    if (raw == null) {
      return null;
    }
    if (literal || relative.endsWith("Env")) {
      return raw.strip();
    }
    return expand(relative, raw);
  }

  /** Expands ${NAME} and ${NAME:default} from the environment, then system properties. */
  private String expand(String relative, String value) {
    if (value.indexOf("${") < 0) {
      return value.strip();
    }
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < value.length()) {
      int start = value.indexOf("${", i);
      if (start < 0) {
        out.append(value, i, value.length());
        break;
      }
      int end = value.indexOf('}', start);
      if (end < 0) {
        throw invalid(
            relative,
            value,
            "a value with well-formed ${NAME} or ${NAME:default} references",
            null);
      }
      out.append(value, i, start);
      String ref = value.substring(start + 2, end);
      int colon = ref.indexOf(':');
      String name = colon < 0 ? ref : ref.substring(0, colon);
      String resolved = source.environment(name);
      if (resolved == null || resolved.isEmpty()) {
        resolved = System.getProperty(name);
      }
      if (resolved == null || resolved.isEmpty()) {
        if (colon < 0) {
          throw invalid(
              relative,
              value,
              "${" + name + "} to be set in the environment, or a ${" + name + ":default}",
              null);
        }
        resolved = ref.substring(colon + 1);
      }
      out.append(resolved);
      i = end + 1;
    }
    return out.toString().strip();
  }

  /** Lists the keys only: values may be sensitive. */
  @Override
  public String toString() {
    return "Configuration{" + noun() + " " + prefix + "*: " + new TreeMap<>(parsed).keySet() + "}";
  }
}
