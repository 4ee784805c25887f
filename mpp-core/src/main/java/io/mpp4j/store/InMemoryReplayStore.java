package io.mpp4j.store;

import java.time.Clock;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * An {@link InMemoryStateStore} that also answers the older {@link ReplayStore} calls, for code
 * written against them: {@link #tryClaim} claims under a fresh owner token it does not return, and
 * {@link #release(String)} releases a claim whoever holds it. Both work on the same claims as the
 * {@link StateStore} calls. New code uses {@link InMemoryStateStore}.
 *
 * <p>Bounded and expiring exactly like {@link InMemoryStateStore}; thread-safe; one JVM only.
 */
public final class InMemoryReplayStore implements ReplayStore, StateStore {
  /** Default capacity. */
  public static final int DEFAULT_MAX_ENTRIES = InMemoryStateStore.DEFAULT_MAX_ENTRIES;

  private final InMemoryStateStore store;

  private InMemoryReplayStore(InMemoryStateStore store) {
    this.store = store;
  }

  /** A store with {@value #DEFAULT_MAX_ENTRIES} entries and the system clock. */
  public static InMemoryReplayStore ofDefaults() {
    return new InMemoryReplayStore(InMemoryStateStore.ofDefaults());
  }

  /**
   * A store with the given capacity and clock.
   *
   * @throws IllegalArgumentException when {@code maxEntries} is not positive
   */
  public static InMemoryReplayStore create(int maxEntries, Clock clock) {
    return new InMemoryReplayStore(InMemoryStateStore.create(maxEntries, clock));
  }

  @Override
  public boolean tryClaim(String key, Duration ttl) {
    return store.claim(key, ttl) != null;
  }

  /** Releases {@code key} whoever holds it; an unknown key does nothing. */
  @Override
  public void release(String key) {
    store.releaseAnyOwner(key);
  }

  @Override
  public @Nullable String claim(String key, Duration ttl) {
    return store.claim(key, ttl);
  }

  @Override
  public boolean claimAs(String key, String owner, Duration ttl) {
    return store.claimAs(key, owner, ttl);
  }

  @Override
  public boolean release(String key, String owner) {
    return store.release(key, owner);
  }

  @Override
  public @Nullable VersionedValue read(String key) {
    return store.read(key);
  }

  @Override
  public @Nullable VersionedValue create(String key, String value, Duration ttl) {
    return store.create(key, value, ttl);
  }

  @Override
  public @Nullable VersionedValue compareAndSet(
      String key, long expectedVersion, String value, Duration ttl) {
    return store.compareAndSet(key, expectedVersion, value, ttl);
  }

  @Override
  public boolean delete(String key, long expectedVersion) {
    return store.delete(key, expectedVersion);
  }

  @Override
  public CounterResult add(String key, long amount, long ceiling, Duration ttl) {
    return store.add(key, amount, ceiling, ttl);
  }

  @Override
  public long subtract(String key, long amount) {
    return store.subtract(key, amount);
  }

  @Override
  public long counter(String key) {
    return store.counter(key);
  }

  /** The number of entries held, including expired ones not purged yet. */
  public int size() {
    return store.size();
  }

  /** How many filed entries purges have looked at so far (for tests: no purge scans the store). */
  long purgeVisits() {
    return store.purgeVisits();
  }

  /** How many entries are filed under an expiry second (for tests). */
  int filedCount() {
    return store.filedCount();
  }
}
