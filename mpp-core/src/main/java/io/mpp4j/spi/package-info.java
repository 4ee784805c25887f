/**
 * What payment-method authors implement: {@link io.mpp4j.spi.PaymentMethod} and its sealed {@link
 * io.mpp4j.spi.Verification} verdict. The SPI depends on {@code io.mpp4j.core} and {@code
 * io.mpp4j.store} only; the server engine depends on it, never the other way round.
 *
 * <p>Every type and member here is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.mpp4j.spi;

import org.jspecify.annotations.NullMarked;
