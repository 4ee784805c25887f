/**
 * Shared state with time-to-live: {@link io.mpp4j.store.StateStore} (claims with owner tokens,
 * versioned records, counters with a ceiling), its bounded in-memory implementation {@link
 * io.mpp4j.store.InMemoryStateStore}, and the older claim-only {@link io.mpp4j.store.ReplayStore}.
 *
 * <p>Every type and member here is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.mpp4j.store;

import org.jspecify.annotations.NullMarked;
