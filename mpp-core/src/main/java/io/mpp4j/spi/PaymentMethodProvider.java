package io.mpp4j.spi;

import io.mpp4j.config.Configuration;
import io.mpp4j.config.ConfigurationException;
import io.mpp4j.config.Schema;

/**
 * Creates a {@link PaymentMethod} from string settings. This is the {@link java.util.ServiceLoader}
 * bridge for string-only configuration ({@code web.xml} init-parameters, Spring properties): a
 * method module declares its provider in {@code
 * META-INF/services/io.mpp4j.spi.PaymentMethodProvider}, and the server settings look it up by
 * {@link #name()}. Programmatic setups construct methods directly and never use providers.
 *
 * <p>A provider declares its settings once, in {@link #settings()}: keys, forms, defaults,
 * required-ness and documentation. They are validated before {@link #create(Configuration)} is
 * called, which reads them typed.
 *
 * <p>Implementations must have a public no-argument constructor and be thread-safe.
 */
public interface PaymentMethodProvider {
  /** The method name this provider creates, as used in the {@code methods} setting. */
  String name();

  /**
   * The method's settings, relative to its name ({@code recipient} for {@code tempo.recipient}).
   */
  Schema settings();

  /**
   * Creates the method from settings validated against {@link #settings()}.
   *
   * @throws ConfigurationException naming the key, its value and the expected form when a value is
   *     refused (use {@link Configuration#apply} and {@link Configuration#invalid})
   */
  PaymentMethod create(Configuration settings);

  /**
   * Validates {@code settings} against {@link #settings()} and creates the method.
   *
   * @throws ConfigurationException naming the key, its value and the expected form when a setting
   *     is unknown, missing or invalid
   */
  default PaymentMethod create(MethodSettings settings) {
    return create(settings().read(settings.source(), settings.namespace()));
  }
}
