/**
 * The {@code stripe} payment method: charges paid with a Stripe Shared Payment Token. {@link
 * io.mpp4j.stripe.StripeMethod} implements the method, {@link io.mpp4j.stripe.StripeConfig} holds
 * its settings, and {@link io.mpp4j.stripe.StripeMethodProvider} makes it available to {@code
 * web.xml} configuration.
 *
 * <p>Every type and member here is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.mpp4j.stripe;

import org.jspecify.annotations.NullMarked;
