package io.mpp4j.store;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link StateStore} seen as a {@link ReplayStore} by one caller; see {@link ReplayStore#view}.
 */
final class StateStoreClaims implements ReplayStore {
  private final StateStore store;

  /** The owner token of each claim this view holds. */
  private final ConcurrentHashMap<String, String> owners = new ConcurrentHashMap<>();

  StateStoreClaims(StateStore store) {
    this.store = store;
  }

  @Override
  public boolean tryClaim(String key, Duration ttl) {
    String owner = store.claim(key, ttl);
    if (owner == null) {
      return false;
    }
    owners.put(key, owner);
    return true;
  }

  @Override
  public void release(String key) {
    String owner = owners.remove(key);
    if (owner != null) {
      store.release(key, owner);
    }
  }
}
