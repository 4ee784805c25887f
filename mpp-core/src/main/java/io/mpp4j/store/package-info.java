/**
 * Shared state for single-use semantics: {@link io.mpp4j.store.ReplayStore} with an atomic claim,
 * and a bounded in-memory default.
 *
 * <p>Every type and member here is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.mpp4j.store;

import org.jspecify.annotations.NullMarked;
