/**
 * Paid routes, framework-neutral: path patterns, request-path normalization and per-request
 * pricing. Framework adapters match requests against {@link io.mpp4j.server.routing.PaidRoute}s on
 * the normalized path.
 */
@NullMarked
package io.mpp4j.server.routing;

import org.jspecify.annotations.NullMarked;
