package io.mpp4j.spi;

import io.mpp4j.config.ConfigSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The string settings of one payment method, without the method's namespace ({@code recipient} for
 * {@code tempo.recipient}), for {@link PaymentMethodProvider#create(MethodSettings)}: a convenience
 * for tests and programmatic use over a {@link ConfigSource} whose keys carry the namespace and are
 * called {@code init-parameter}s in messages. Secrets are never set here directly: a setting names
 * an environment variable or system property that holds the secret.
 *
 * <p>Immutable and thread-safe.
 */
public final class MethodSettings {
  private final String namespace;
  private final ConfigSource source;

  private MethodSettings(String namespace, ConfigSource source) {
    this.namespace = namespace;
    this.source = source;
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
    Map<String, String> prefixed = new LinkedHashMap<>();
    values.forEach((k, v) -> prefixed.put(namespace + "." + k, v));
    return new MethodSettings(namespace, ConfigSource.of("init-parameter", prefixed, environment));
  }

  /** The settings of {@code namespace} in {@code source} (keys {@code <namespace>.<setting>}). */
  public static MethodSettings of(String namespace, ConfigSource source) {
    Objects.requireNonNull(namespace, "namespace == null");
    Objects.requireNonNull(source, "source == null");
    return new MethodSettings(namespace, source);
  }

  /** The method name these settings are for. */
  public String namespace() {
    return namespace;
  }

  /** The source, whose keys carry the namespace. */
  public ConfigSource source() {
    return source;
  }

  /** Lists the keys only: values may name secret sources. */
  @Override
  public String toString() {
    return "MethodSettings{" + namespace + ": " + source.keys() + "}";
  }
}
