package io.mpp4j.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The settings of one namespace ({@code tempo.*}, {@code route.<name>.*}, the server's top level):
 * declared {@link Setting}s, plus groups of free keys under a prefix such as {@code
 * metadata.<key>}. {@link #read} validates a source against it: an unknown key, a missing required
 * setting or a value that does not parse fails with a {@link ConfigurationException} naming the
 * key, the value and the expected form. Immutable and thread-safe.
 */
public final class Schema {
  private final Map<String, Setting<?>> settings;
  private final List<String> groups;

  private Schema(Map<String, Setting<?>> settings, List<String> groups) {
    this.settings = settings;
    this.groups = groups;
  }

  /** A schema of these settings, in documentation order; keys must be distinct. */
  public static Schema of(Setting<?>... settings) {
    Map<String, Setting<?>> map = new LinkedHashMap<>();
    for (Setting<?> s : settings) {
      if (map.put(s.key(), s) != null) {
        throw new IllegalArgumentException("duplicate setting " + s.key());
      }
    }
    return new Schema(Collections.unmodifiableMap(map), List.of());
  }

  /**
   * A copy that also accepts a group of free keys, documented as {@code pattern}: the part before
   * the first {@code <} is the prefix ({@code metadata.<key>} accepts {@code metadata.anything}). A
   * pattern without a literal prefix ({@code <method>.<setting>}) is documentation only.
   */
  public Schema withGroup(String pattern) {
    Objects.requireNonNull(pattern, "pattern == null");
    if (pattern.indexOf('<') < 0) {
      throw new IllegalArgumentException("a group pattern names its free part in <>: " + pattern);
    }
    List<String> more = new ArrayList<>(groups);
    more.add(pattern);
    return new Schema(settings, List.copyOf(more));
  }

  /** The declared settings, in documentation order. */
  public List<Setting<?>> settings() {
    return List.copyOf(settings.values());
  }

  /** The group patterns, e.g. {@code metadata.<key>}. */
  public List<String> groups() {
    return groups;
  }

  /** Every documented key: the settings' keys, then the group patterns. */
  public List<String> documentedKeys() {
    List<String> keys = new ArrayList<>(settings.keySet());
    keys.addAll(groups);
    return Collections.unmodifiableList(keys);
  }

  /** The declared setting with this key, or null. */
  public @Nullable Setting<?> setting(String key) {
    return settings.get(key);
  }

  /**
   * Reads and validates the keys of {@code namespace} ({@code tempo} reads {@code tempo.*}; the
   * empty namespace reads every key), loading classes through the thread's context class loader.
   */
  public Configuration read(ConfigSource source, String namespace) {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    return read(source, namespace, loader == null ? Schema.class.getClassLoader() : loader);
  }

  /** Reads and validates the keys of {@code namespace}, loading classes through {@code loader}. */
  public Configuration read(ConfigSource source, String namespace, ClassLoader loader) {
    String prefix = namespace.isEmpty() ? "" : namespace + ".";
    return read(source, prefix, k -> k.startsWith(prefix), loader);
  }

  Configuration read(
      ConfigSource source, String prefix, Predicate<String> keys, ClassLoader loader) {
    Objects.requireNonNull(source, "source == null");
    Objects.requireNonNull(loader, "loader == null");
    List<String> present = new ArrayList<>();
    for (String key : source.keys()) {
      if (keys.test(key)) {
        present.add(key.substring(prefix.length()));
      }
    }
    Collections.sort(present);
    for (String relative : present) {
      if (!settings.containsKey(relative) && groupPrefix(relative) == null) {
        throw new ConfigurationException(
            "unknown " + source.noun() + " " + prefix + relative + " (known: " + known() + ")");
      }
    }
    return new Configuration(this, source, prefix, Set.copyOf(present), loader);
  }

  /** The prefix of the group a relative key belongs to, or null. */
  @Nullable String groupPrefix(String relative) {
    for (String pattern : groups) {
      String p = pattern.substring(0, pattern.indexOf('<'));
      if (!p.isEmpty() && relative.startsWith(p) && relative.length() > p.length()) {
        return p;
      }
    }
    return null;
  }

  private String known() {
    StringBuilder out = new StringBuilder(new java.util.TreeSet<>(settings.keySet()).toString());
    for (String g : groups) {
      out.append(", ").append(g);
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return "Schema" + documentedKeys();
  }
}
