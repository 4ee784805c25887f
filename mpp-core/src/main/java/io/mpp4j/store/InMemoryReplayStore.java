package io.mpp4j.store;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A bounded, expiring {@link ReplayStore} for a single JVM. Claims live until their time-to-live
 * passes. When {@code maxEntries} unexpired claims are held, new claims fail with {@link
 * StoreUnavailableException} rather than evict a live claim (which could let a payment be settled
 * twice): size the store for the peak number of payments per challenge lifetime. The gate releases
 * the claims of refused attempts that never reached a payment network, so junk credentials do not
 * fill it.
 *
 * <p>Expiry costs no scan: each claim is also filed under the second it expires in, and a purge (at
 * most once a second, or when the store is full) takes only the seconds that are due and visits
 * only the claims filed there. Each claim is filed once and visited at most once, so the work per
 * claim is constant however many live claims the store holds.
 *
 * <p>Thread-safe. Not shared across instances: use a shared store when you run more than one.
 */
public final class InMemoryReplayStore implements ReplayStore {
  /** Default capacity. */
  public static final int DEFAULT_MAX_ENTRIES = 100_000;

  private final ConcurrentHashMap<String, Long> claims = new ConcurrentHashMap<>();

  /**
   * Claim keys by the second their expiry falls in (the bucket of second {@code s} holds expiries
   * in {@code ((s - 1) * 1000, s * 1000]} ms). Guarded by itself. Filed and unfiled inside the
   * claim's own {@code compute} on {@link #claims}, so a key is filed exactly under its current
   * expiry; the purge never holds this lock while it touches {@link #claims}.
   */
  private final TreeMap<Long, Set<String>> expiries = new TreeMap<>();

  private final int maxEntries;
  private final Clock clock;
  private final AtomicLong nextPurgeMillis = new AtomicLong();
  private final LongAdder purgeVisits = new LongAdder();

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
      purgeDue(now);
      if (claims.size() >= maxEntries) {
        throw new StoreUnavailableException(
            "in-memory replay store is full (" + maxEntries + " unexpired claims)");
      }
    } else {
      long next = nextPurgeMillis.get();
      if (now >= next && nextPurgeMillis.compareAndSet(next, now + 1_000)) {
        purgeDue(now);
      }
    }
    boolean[] won = new boolean[1];
    claims.compute(
        key,
        (k, existing) -> {
          if (existing == null || existing <= now) {
            if (existing != null) {
              unfile(k, existing);
            }
            file(k, expiry);
            won[0] = true;
            return expiry;
          }
          return existing;
        });
    return won[0];
  }

  @Override
  public void release(String key) {
    Objects.requireNonNull(key, "key == null");
    claims.computeIfPresent(
        key,
        (k, existing) -> {
          unfile(k, existing);
          return null;
        });
  }

  /** The number of claims held, including expired ones not purged yet. */
  public int size() {
    return claims.size();
  }

  /** How many filed claims purges have looked at so far (for tests: no purge scans the store). */
  long purgeVisits() {
    return purgeVisits.sum();
  }

  /** How many claim keys are filed under an expiry second (for tests). */
  int filedCount() {
    synchronized (expiries) {
      int n = 0;
      for (Set<String> keys : expiries.values()) {
        n += keys.size();
      }
      return n;
    }
  }

  /** Removes the claims whose expiry second is due, visiting only those. */
  private void purgeDue(long now) {
    List<Set<String>> due = new ArrayList<>();
    long lastDueSecond = Math.floorDiv(now, 1000L); // every expiry in it is <= now
    synchronized (expiries) {
      for (Iterator<Map.Entry<Long, Set<String>>> it =
              expiries.headMap(lastDueSecond, true).entrySet().iterator();
          it.hasNext(); ) {
        due.add(it.next().getValue());
        it.remove();
      }
    }
    for (Set<String> keys : due) {
      for (String key : keys) {
        purgeVisits.increment();
        // A key claimed again since is filed under its new second; keep it.
        claims.computeIfPresent(key, (k, expiry) -> expiry <= now ? null : expiry);
      }
    }
  }

  private void file(String key, long expiry) {
    long second = Math.floorDiv(expiry + 999, 1000L);
    synchronized (expiries) {
      expiries.computeIfAbsent(second, s -> new HashSet<>()).add(key);
    }
  }

  private void unfile(String key, long expiry) {
    long second = Math.floorDiv(expiry + 999, 1000L);
    synchronized (expiries) {
      Set<String> keys = expiries.get(second);
      if (keys != null && keys.remove(key) && keys.isEmpty()) {
        expiries.remove(second);
      }
    }
  }
}
