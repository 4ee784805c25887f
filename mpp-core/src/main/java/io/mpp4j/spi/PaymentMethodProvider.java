package io.mpp4j.spi;

/**
 * Creates a {@link PaymentMethod} from string settings. This is the {@link java.util.ServiceLoader}
 * bridge for string-only configuration ({@code web.xml}): a method module declares its provider in
 * {@code META-INF/services/io.mpp4j.spi.PaymentMethodProvider}, and the servlet filter looks it up
 * by {@link #name()}. Programmatic setups construct methods directly and never use providers.
 *
 * <p>Implementations must have a public no-argument constructor and be thread-safe.
 */
public interface PaymentMethodProvider {
  /** The method name this provider creates, as used in the {@code methods} init-parameter. */
  String name();

  /**
   * Creates the method.
   *
   * @throws IllegalArgumentException naming the parameter, its value and the expected form when a
   *     setting is missing or invalid
   */
  PaymentMethod create(MethodSettings settings);
}
