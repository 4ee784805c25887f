/**
 * Implementation details of mpp-stripe: the PaymentIntent calls, retries and replay claims, and the
 * mapping of Stripe's answers to verdicts. Not an API: anything here may change without notice.
 *
 * <p>Every type and member here is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.mpp4j.stripe.internal;

import org.jspecify.annotations.NullMarked;
