/**
 * The framework-neutral request lifecycle around the engine: a framework adapter translates its
 * request and response into an {@link io.mpp4j.server.http.HttpExchange} and hands it to a {@link
 * io.mpp4j.server.http.PaymentHandler}, which matches the paid routes, enforces TLS, prices the
 * request, buffers and caps its body, asks the {@link io.mpp4j.server.PaymentGate}, writes
 * refusals, and runs the application with a {@link io.mpp4j.server.http.PaidExchange} that attaches
 * the receipt and settles exactly once from what was sent.
 *
 * <p>Every type and member here is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.mpp4j.server.http;

import org.jspecify.annotations.NullMarked;
