package io.mpp4j.store;

import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded, expiring {@link ReplayStore} for a single JVM. Claims live until their time-to-live
 * passes; expired claims are purged as the store fills. When {@code maxEntries} unexpired claims
 * are held, new claims fail with {@link StoreUnavailableException} rather than evict a live claim
 * (which could let a payment be settled twice): size the store for the peak number of payments per
 * challenge lifetime.
 *
 * <p>Thread-safe. Not shared across instances: use a shared store when you run more than one.
 */
public final class InMemoryReplayStore implements ReplayStore {
  /** Default capacity. */
  public static final int DEFAULT_MAX_ENTRIES = 100_000;

  private final ConcurrentHashMap<String, Long> claims = new ConcurrentHashMap<>();
  private final int maxEntries;
  private final Clock clock;
  private final AtomicLong nextPurgeMillis = new AtomicLong();

  private InMemoryReplayStore(int maxEntries, Clock clock) {
    this.maxEntries = maxEntries;
    this.clock = clock;
  }

  /** A store with {@value #DEFAULT_MAX_ENTRIES} entries and the system clock. */
  public static InMemoryReplayStore ofDefaults() {
    return create(DEFAULT_MAX_ENTRIES, Clock.systemUTC());
  }

  /**
   * A store with the given capacity and clock.
   *
   * @throws IllegalArgumentException when {@code maxEntries} is not positive
   */
  public static InMemoryReplayStore create(int maxEntries, Clock clock) {
    if (maxEntries <= 0) {
      throw new IllegalArgumentException("maxEntries must be positive, but was " + maxEntries);
    }
    return new InMemoryReplayStore(maxEntries, Objects.requireNonNull(clock, "clock == null"));
  }

  @Override
  public boolean tryClaim(String key, Duration ttl) {
    Objects.requireNonNull(key, "key == null");
    Objects.requireNonNull(ttl, "ttl == null");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive, but was " + ttl);
    }
    long now = clock.millis();
    long expiry = now + ttl.toMillis();
    if (claims.size() >= maxEntries) {
      purgeExpired(now, true);
      if (claims.size() >= maxEntries) {
        throw new StoreUnavailableException(
            "in-memory replay store is full (" + maxEntries + " unexpired claims)");
      }
    } else if (claims.size() > maxEntries / 4 && now >= nextPurgeMillis.get()) {
      purgeExpired(now, false);
    }
    boolean[] won = new boolean[1];
    claims.compute(
        key,
        (k, existing) -> {
          if (existing == null || existing <= now) {
            won[0] = true;
            return expiry;
          }
          return existing;
        });
    return won[0];
  }

  @Override
  public void release(String key) {
    claims.remove(Objects.requireNonNull(key, "key == null"));
  }

  /** The number of claims held, including expired ones not purged yet. */
  public int size() {
    return claims.size();
  }

  private void purgeExpired(long now, boolean force) {
    long next = nextPurgeMillis.get();
    if (!force && (now < next || !nextPurgeMillis.compareAndSet(next, now + 1_000))) {
      return;
    }
    for (Iterator<Map.Entry<String, Long>> it = claims.entrySet().iterator(); it.hasNext(); ) {
      if (it.next().getValue() <= now) {
        it.remove();
      }
    }
  }
}
