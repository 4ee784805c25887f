package io.mpp4j.server.session;

import io.mpp4j.store.CounterResult;
import io.mpp4j.store.StateStore;
import io.mpp4j.store.StoreUnavailableException;
import io.mpp4j.store.VersionedValue;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** A store that passes every operation to another, or throws while {@link #down}. */
final class FlakyStore implements StateStore {
  private final StateStore delegate;
  volatile boolean down;

  FlakyStore(StateStore delegate) {
    this.delegate = delegate;
  }

  private void check() {
    if (down) {
      throw new StoreUnavailableException("down (test)");
    }
  }

  @Override
  public @Nullable String claim(String key, Duration ttl) {
    check();
    return delegate.claim(key, ttl);
  }

  @Override
  public boolean claimAs(String key, String owner, Duration ttl) {
    check();
    return delegate.claimAs(key, owner, ttl);
  }

  @Override
  public boolean release(String key, String owner) {
    check();
    return delegate.release(key, owner);
  }

  @Override
  public @Nullable VersionedValue read(String key) {
    check();
    return delegate.read(key);
  }

  @Override
  public @Nullable VersionedValue create(String key, String value, Duration ttl) {
    check();
    return delegate.create(key, value, ttl);
  }

  @Override
  public @Nullable VersionedValue compareAndSet(
      String key, long expectedVersion, String value, Duration ttl) {
    check();
    return delegate.compareAndSet(key, expectedVersion, value, ttl);
  }

  @Override
  public boolean delete(String key, long expectedVersion) {
    check();
    return delegate.delete(key, expectedVersion);
  }

  @Override
  public CounterResult add(String key, long amount, long ceiling, Duration ttl) {
    check();
    return delegate.add(key, amount, ceiling, ttl);
  }

  @Override
  public long subtract(String key, long amount) {
    check();
    return delegate.subtract(key, amount);
  }

  @Override
  public long counter(String key) {
    check();
    return delegate.counter(key);
  }
}
