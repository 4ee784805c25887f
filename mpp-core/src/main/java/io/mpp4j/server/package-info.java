/**
 * What application authors and framework adapters call: {@link io.mpp4j.server.PaymentGate}
 * evaluates a request against a route's {@link io.mpp4j.core.PaymentRequirement} and returns a
 * sealed {@link io.mpp4j.server.GateResult}.
 *
 * <p>Every type and member here is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.mpp4j.server;

import org.jspecify.annotations.NullMarked;
