package io.mpp4j.store;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/** A {@link ReplayStore} as a {@link StateStore}; see {@link ReplayStore#toStateStore}. */
final class ClaimsOnlyStateStore implements StateStore {
  private final ReplayStore store;
  private final AtomicLong tokens = new AtomicLong();

  ClaimsOnlyStateStore(ReplayStore store) {
    this.store = store;
  }

  ReplayStore replayStore() {
    return store;
  }

  @Override
  public @Nullable String claim(String key, Duration ttl) {
    return store.tryClaim(key, ttl) ? "replay-store." + tokens.incrementAndGet() : null;
  }

  @Override
  public boolean claimAs(String key, String owner, Duration ttl) {
    return store.tryClaim(key, ttl);
  }

  @Override
  public boolean release(String key, String owner) {
    store.release(key);
    return true;
  }

  @Override
  public @Nullable VersionedValue read(String key) {
    throw unsupported();
  }

  @Override
  public @Nullable VersionedValue create(String key, String value, Duration ttl) {
    throw unsupported();
  }

  @Override
  public @Nullable VersionedValue compareAndSet(
      String key, long expectedVersion, String value, Duration ttl) {
    throw unsupported();
  }

  @Override
  public boolean delete(String key, long expectedVersion) {
    throw unsupported();
  }

  @Override
  public CounterResult add(String key, long amount, long ceiling, Duration ttl) {
    throw unsupported();
  }

  @Override
  public long subtract(String key, long amount) {
    throw unsupported();
  }

  @Override
  public long counter(String key) {
    throw unsupported();
  }

  private static UnsupportedOperationException unsupported() {
    return new UnsupportedOperationException(
        "a ReplayStore holds claims only; configure a StateStore for records and counters");
  }
}
