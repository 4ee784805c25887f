package io.mpp4j.servlet;

import io.mpp4j.config.ConfigSource;
import io.mpp4j.config.server.ServerSettings;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Turns {@code web.xml} init-parameters into a {@link PaymentFilterConfig} through mpp-core's
 * {@link ServerSettings}, which validates them and names a bad one as an {@code init-parameter}.
 */
final class FilterSettings {
  private FilterSettings() {}

  /**
   * @throws io.mpp4j.config.ConfigurationException naming the parameter, its value and the form
   */
  static PaymentFilterConfig parse(
      Map<String, String> initParams,
      Function<String, @Nullable String> env,
      String defaultRealm,
      ClassLoader loader) {
    ServerSettings settings =
        ServerSettings.read(
            ConfigSource.of("init-parameter", initParams, env), loader, defaultRealm);
    PaymentFilterConfig.Builder config =
        PaymentFilterConfig.builder(settings.gate())
            .maxBodyBytes(settings.maxBodyBytes())
            .requireSecure(settings.requireSecure());
    settings.routes().forEach(config::route);
    return config.build();
  }
}
