/**
 * The server-level configuration schema, {@link io.mpp4j.config.server.ServerSettings}: realm,
 * secrets, challenge lifetime, payment methods (through their {@link
 * io.mpp4j.spi.PaymentMethodProvider}s), routes and the adapter options, read from any {@link
 * io.mpp4j.config.ConfigSource} into a {@link io.mpp4j.server.PaymentGate} and {@link
 * io.mpp4j.server.routing.PaidRoute}s.
 *
 * <p>Every type and member here is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.mpp4j.config.server;

import org.jspecify.annotations.NullMarked;
