/**
 * What payment-method authors implement: {@link io.mpp4j.spi.PaymentMethod} and its sealed {@link
 * io.mpp4j.spi.Verification} verdict.
 *
 * <p>Every type and member here is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.mpp4j.spi;

import org.jspecify.annotations.NullMarked;
