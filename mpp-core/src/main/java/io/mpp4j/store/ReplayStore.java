package io.mpp4j.store;

import java.time.Duration;
import java.util.Objects;

/**
 * The claim-only store of mpp4j 0.1, kept so code written against it keeps working: an atomic claim
 * on a key with a time-to-live, and a release that does not ask who claimed. New code uses {@link
 * StateStore}, whose release takes the owner token its claim returned, so a late or mistaken
 * release never frees somebody else's claim.
 *
 * <p>{@link #toStateStore} lets the gate and payment methods run on any {@code ReplayStore}, and
 * {@link #view} gives code that still calls these two methods a view of a {@link StateStore}.
 * Deployments with several server instances must share one store (for example Redis); the in-memory
 * store only protects a single JVM.
 *
 * <p>Implementations are thread-safe.
 */
public interface ReplayStore {
  /**
   * Atomically claims {@code key} for {@code ttl} if nobody holds it.
   *
   * @return true when this call claimed the key, false when it was already claimed and unexpired
   * @throws StoreUnavailableException when the store cannot answer; callers must fail closed
   */
  boolean tryClaim(String key, Duration ttl);

  /**
   * Releases a claim this caller made, so the key can be claimed again (for example when nothing
   * was sent to the payment network). Releasing an unknown key does nothing.
   *
   * @throws StoreUnavailableException when the store cannot answer
   */
  void release(String key);

  /**
   * {@code store} as a {@link StateStore}: itself when it is one (as {@link InMemoryReplayStore}
   * is), else an adapter with its claims only. The adapter's {@link StateStore#release} cannot tell
   * owners apart (a {@code ReplayStore} never could): it releases the key and answers true. Its
   * record and counter operations throw {@link UnsupportedOperationException}.
   */
  static StateStore toStateStore(ReplayStore store) {
    Objects.requireNonNull(store, "store == null");
    return store instanceof StateStore s ? s : new ClaimsOnlyStateStore(store);
  }

  /**
   * {@code store} seen through the two calls of this interface, for one caller (for example one
   * verification): itself when it is a {@code ReplayStore} too (or the {@code ReplayStore} that
   * {@link #toStateStore} adapted), else a view that keeps the owner token of each claim it made
   * and releases only those, so {@link #release} of a key this view did not claim does nothing.
   */
  static ReplayStore view(StateStore store) {
    Objects.requireNonNull(store, "store == null");
    if (store instanceof ReplayStore r) {
      return r;
    }
    return store instanceof ClaimsOnlyStateStore c ? c.replayStore() : new StateStoreClaims(store);
  }
}
