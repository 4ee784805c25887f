package io.mpp4j.store;

import java.time.Duration;

/**
 * Shared state for single-use semantics: an atomic claim on a key with a time-to-live. A payment is
 * settled only by the caller that won the claim on its replay key (a transaction hash, a challenge
 * id, an idempotency key), so the same payment is never settled twice, also under concurrency.
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
}
