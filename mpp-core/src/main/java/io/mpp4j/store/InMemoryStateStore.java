package io.mpp4j.store;

import java.security.SecureRandom;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * A bounded, expiring {@link StateStore} for a single JVM. Claims, records and counters together
 * count against one capacity, {@code maxEntries}. When that many entries are held, an operation
 * that would add one fails with {@link StoreUnavailableException} rather than evict a live entry
 * (which could let a payment be settled twice); operations on existing entries and removals keep
 * working. Size the store for the peak number of payments per challenge lifetime, plus the
 * sessions, idempotency entries and spend counters you keep. The gate releases the claims of
 * refused attempts that never reached a payment network, so junk credentials do not fill it.
 *
 * <p>Expiry costs no scan: each entry is also filed under the second it expires in, and a purge (at
 * most once a second on a write, or when the store is full) takes only the seconds that are due and
 * visits only the entries filed there. Each entry is filed once and visited at most once, so the
 * work per entry is constant however many live entries the store holds. An expired entry that is
 * not purged yet is absent for every operation.
 *
 * <p>Every operation is one {@code compute} on the key's map, so it is atomic per key. Versions and
 * owner tokens come from one sequence per store, so versions grow across deletes and expiries.
 *
 * <p>Thread-safe. Not shared across instances: use a shared store when you run more than one.
 */
public final class InMemoryStateStore implements StateStore {
  /** Default capacity. */
  public static final int DEFAULT_MAX_ENTRIES = 100_000;

  private static final long MAX_TTL_MILLIS = MAX_TTL.toMillis();

  private final ConcurrentHashMap<String, ClaimEntry> claims = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, RecordEntry> records = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, CounterEntry> counters = new ConcurrentHashMap<>();

  /** Entries held in the three maps, expired ones not purged yet included. */
  private final AtomicInteger held = new AtomicInteger();

  /**
   * Entries by the second their expiry falls in (the bucket of second {@code s} holds expiries in
   * {@code ((s - 1) * 1000, s * 1000]} ms), by identity. Guarded by itself. Filed and unfiled
   * inside the entry's own {@code compute}, so the current entry of a key is filed exactly once;
   * the purge never holds this lock while it touches a map.
   */
  private final TreeMap<Long, Set<Entry>> expiries = new TreeMap<>();

  private final int maxEntries;
  private final Clock clock;
  private final String tokenPrefix;
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicLong nextPurgeMillis = new AtomicLong();
  private final LongAdder purgeVisits = new LongAdder();

  private InMemoryStateStore(int maxEntries, Clock clock) {
    this.maxEntries = maxEntries;
    this.clock = clock;
    // Tokens of two stores in one JVM never match each other's claims.
    this.tokenPrefix = Long.toHexString(new SecureRandom().nextLong()) + ".";
  }

  /** A store with {@value #DEFAULT_MAX_ENTRIES} entries and the system clock. */
  public static InMemoryStateStore ofDefaults() {
    return create(DEFAULT_MAX_ENTRIES, Clock.systemUTC());
  }

  /**
   * A store with the given capacity and clock.
   *
   * @throws IllegalArgumentException when {@code maxEntries} is not positive
   */
  public static InMemoryStateStore create(int maxEntries, Clock clock) {
    if (maxEntries <= 0) {
      throw new IllegalArgumentException("maxEntries must be positive, but was " + maxEntries);
    }
    return new InMemoryStateStore(maxEntries, Objects.requireNonNull(clock, "clock == null"));
  }

  // ---- claims ----

  @Override
  public @Nullable String claim(String key, Duration ttl) {
    String token = tokenPrefix + Long.toString(sequence.incrementAndGet(), 36);
    return claimAs(key, token, ttl) ? token : null;
  }

  @Override
  public boolean claimAs(String key, String owner, Duration ttl) {
    checkKey(key);
    checkOwner(owner);
    long now = clock.millis();
    long expiry = expiry(ttl, now);
    purgeIfDue(now);
    boolean[] won = new boolean[1];
    claims.compute(
        key,
        (k, existing) -> {
          if (existing != null && existing.expiry > now) {
            return existing;
          }
          ClaimEntry claim = new ClaimEntry(k, expiry, owner);
          replace(existing, claim);
          won[0] = true;
          return claim;
        });
    return won[0];
  }

  @Override
  public boolean release(String key, String owner) {
    checkKey(key);
    Objects.requireNonNull(owner, "owner == null");
    long now = clock.millis();
    boolean[] released = new boolean[1];
    claims.computeIfPresent(
        key,
        (k, existing) -> {
          if (existing.expiry > now && !existing.owner.equals(owner)) {
            return existing;
          }
          released[0] = existing.expiry > now;
          drop(existing);
          return null;
        });
    return released[0];
  }

  /** Releases {@code key} whoever holds it (for {@link InMemoryReplayStore#release}). */
  void releaseAnyOwner(String key) {
    Objects.requireNonNull(key, "key == null");
    claims.computeIfPresent(
        key,
        (k, existing) -> {
          drop(existing);
          return null;
        });
  }

  // ---- records ----

  @Override
  public @Nullable VersionedValue read(String key) {
    checkKey(key);
    RecordEntry entry = records.get(key);
    return entry == null || entry.expiry <= clock.millis() ? null : entry.record;
  }

  @Override
  public @Nullable VersionedValue create(String key, String value, Duration ttl) {
    checkKey(key);
    checkValue(value);
    long now = clock.millis();
    long expiry = expiry(ttl, now);
    purgeIfDue(now);
    VersionedValue[] written = new VersionedValue[1];
    records.compute(
        key,
        (k, existing) -> {
          if (existing != null && existing.expiry > now) {
            return existing;
          }
          return write(existing, k, value, expiry, written);
        });
    return written[0];
  }

  @Override
  public @Nullable VersionedValue compareAndSet(
      String key, long expectedVersion, String value, Duration ttl) {
    checkKey(key);
    checkValue(value);
    long now = clock.millis();
    long expiry = expiry(ttl, now);
    VersionedValue[] written = new VersionedValue[1];
    records.computeIfPresent(
        key,
        (k, existing) -> {
          if (existing.expiry <= now) {
            drop(existing);
            return null;
          }
          if (existing.record.version() != expectedVersion) {
            return existing;
          }
          return write(existing, k, value, expiry, written);
        });
    return written[0];
  }

  /** Replaces {@code existing} (or nothing) by a record at the next version; reports it. */
  private RecordEntry write(
      @Nullable RecordEntry existing,
      String key,
      String value,
      long expiry,
      @Nullable VersionedValue[] written) {
    RecordEntry entry =
        new RecordEntry(key, expiry, new VersionedValue(value, sequence.incrementAndGet()));
    replace(existing, entry);
    written[0] = entry.record;
    return entry;
  }

  @Override
  public boolean delete(String key, long expectedVersion) {
    checkKey(key);
    long now = clock.millis();
    boolean[] deleted = new boolean[1];
    records.computeIfPresent(
        key,
        (k, existing) -> {
          boolean live = existing.expiry > now;
          if (live && existing.record.version() != expectedVersion) {
            return existing;
          }
          deleted[0] = live;
          drop(existing);
          return null;
        });
    return deleted[0];
  }

  // ---- counters ----

  @Override
  public CounterResult add(String key, long amount, long ceiling, Duration ttl) {
    checkKey(key);
    checkAmount(amount);
    if (ceiling < 0) {
      throw new IllegalArgumentException("ceiling must not be negative, but was " + ceiling);
    }
    long now = clock.millis();
    long expiry = expiry(ttl, now);
    purgeIfDue(now);
    CounterResult[] result = new CounterResult[1];
    counters.compute(
        key,
        (k, existing) -> {
          boolean live = existing != null && existing.expiry > now;
          long current = live ? existing.value : 0;
          if (amount > ceiling - current) { // no overflow: both are within [0, Long.MAX_VALUE]
            result[0] = new CounterResult(false, current);
            if (existing != null && !live) {
              drop(existing);
              return null;
            }
            return existing;
          }
          CounterEntry entry =
              new CounterEntry(k, live ? existing.expiry : expiry, current + amount);
          replace(existing, entry);
          result[0] = new CounterResult(true, entry.value);
          return entry;
        });
    return result[0];
  }

  @Override
  public long subtract(String key, long amount) {
    checkKey(key);
    checkAmount(amount);
    long now = clock.millis();
    long[] result = new long[1];
    counters.computeIfPresent(
        key,
        (k, existing) -> {
          long left = existing.expiry > now ? existing.value - amount : 0;
          if (left <= 0) {
            drop(existing);
            return null;
          }
          CounterEntry entry = new CounterEntry(k, existing.expiry, left);
          replace(existing, entry);
          result[0] = left;
          return entry;
        });
    return result[0];
  }

  @Override
  public long counter(String key) {
    checkKey(key);
    CounterEntry entry = counters.get(key);
    return entry == null || entry.expiry <= clock.millis() ? 0 : entry.value;
  }

  // ---- housekeeping ----

  /** The number of entries held, including expired ones not purged yet. */
  public int size() {
    return held.get();
  }

  /** How many filed entries purges have looked at so far (for tests: no purge scans the store). */
  long purgeVisits() {
    return purgeVisits.sum();
  }

  /** How many entries are filed under an expiry second (for tests). */
  int filedCount() {
    synchronized (expiries) {
      int n = 0;
      for (Set<Entry> entries : expiries.values()) {
        n += entries.size();
      }
      return n;
    }
  }

  /** Purges due entries when the store is full, else at most once a second. */
  private void purgeIfDue(long now) {
    if (held.get() >= maxEntries) {
      purgeDue(now);
      return;
    }
    long next = nextPurgeMillis.get();
    if (now >= next && nextPurgeMillis.compareAndSet(next, now + 1_000)) {
      purgeDue(now);
    }
  }

  /** Removes the entries whose expiry second is due, visiting only those. */
  private void purgeDue(long now) {
    List<Set<Entry>> due = new ArrayList<>();
    long lastDueSecond = Math.floorDiv(now, 1000L); // every expiry in it is <= now
    synchronized (expiries) {
      for (Iterator<Map.Entry<Long, Set<Entry>>> it =
              expiries.headMap(lastDueSecond, true).entrySet().iterator();
          it.hasNext(); ) {
        due.add(it.next().getValue());
        it.remove();
      }
    }
    for (Set<Entry> entries : due) {
      for (Entry entry : entries) {
        purgeVisits.increment();
        // Removed only while it is still the key's entry: a key written again since holds a new
        // entry, filed under its own second.
        if (mapOf(entry).remove(entry.key, entry)) {
          held.decrementAndGet();
        }
      }
    }
  }

  private ConcurrentHashMap<String, ? extends Entry> mapOf(Entry entry) {
    if (entry instanceof ClaimEntry) {
      return claims;
    }
    return entry instanceof RecordEntry ? records : counters;
  }

  /**
   * Files {@code next} in place of {@code previous} (null when the key had no entry, which then
   * takes a unit of capacity). Called inside the key's {@code compute}.
   *
   * @throws StoreUnavailableException when a new entry does not fit; nothing changed
   */
  private void replace(@Nullable Entry previous, Entry next) {
    if (previous == null && held.incrementAndGet() > maxEntries) {
      held.decrementAndGet();
      throw new StoreUnavailableException(
          "in-memory state store is full (" + maxEntries + " unexpired entries)");
    }
    synchronized (expiries) {
      if (previous != null) {
        unfile(previous);
      }
      expiries.computeIfAbsent(second(next.expiry), s -> new HashSet<>()).add(next);
    }
  }

  /** Unfiles {@code entry}, which its {@code compute} removes from the map. */
  private void drop(Entry entry) {
    synchronized (expiries) {
      unfile(entry);
    }
    held.decrementAndGet();
  }

  private void unfile(Entry entry) {
    long second = second(entry.expiry);
    Set<Entry> entries = expiries.get(second);
    if (entries != null && entries.remove(entry) && entries.isEmpty()) {
      expiries.remove(second);
    }
  }

  private static long second(long expiryMillis) {
    return Math.floorDiv(expiryMillis + 999, 1000L);
  }

  private static long expiry(Duration ttl, long now) {
    Objects.requireNonNull(ttl, "ttl == null");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive, but was " + ttl);
    }
    if (ttl.compareTo(MAX_TTL) >= 0) {
      return now + MAX_TTL_MILLIS;
    }
    long millis = ttl.toMillis();
    // Round a sub-millisecond remainder up, so an entry never lives shorter than asked.
    return now + (ttl.toNanosPart() % 1_000_000 == 0 ? millis : millis + 1);
  }

  private static void checkKey(String key) {
    Objects.requireNonNull(key, "key == null");
    if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
      throw new IllegalArgumentException(
          "key must be 1 to " + MAX_KEY_LENGTH + " chars, but was " + key.length());
    }
  }

  private static void checkOwner(String owner) {
    Objects.requireNonNull(owner, "owner == null");
    if (owner.isEmpty() || owner.length() > MAX_VALUE_LENGTH) {
      throw new IllegalArgumentException(
          "owner must be 1 to " + MAX_VALUE_LENGTH + " chars, but was " + owner.length());
    }
  }

  private static void checkValue(String value) {
    Objects.requireNonNull(value, "value == null");
    if (value.length() > MAX_VALUE_LENGTH) {
      throw new IllegalArgumentException(
          "value must be at most " + MAX_VALUE_LENGTH + " chars, but was " + value.length());
    }
  }

  private static void checkAmount(long amount) {
    if (amount <= 0) {
      throw new IllegalArgumentException("amount must be positive, but was " + amount);
    }
  }

  /** An entry; immutable, compared by identity (filed in hash sets). */
  private abstract static class Entry {
    final String key;
    final long expiry;

    Entry(String key, long expiry) {
      this.key = key;
      this.expiry = expiry;
    }
  }

  private static final class ClaimEntry extends Entry {
    final String owner;

    ClaimEntry(String key, long expiry, String owner) {
      super(key, expiry);
      this.owner = owner;
    }
  }

  private static final class RecordEntry extends Entry {
    final VersionedValue record;

    RecordEntry(String key, long expiry, VersionedValue record) {
      super(key, expiry);
      this.record = record;
    }
  }

  private static final class CounterEntry extends Entry {
    final long value;

    CounterEntry(String key, long expiry, long value) {
      super(key, expiry);
      this.value = value;
    }
  }
}
