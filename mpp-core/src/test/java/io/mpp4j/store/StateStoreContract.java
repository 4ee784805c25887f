package io.mpp4j.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mpp4j.testing.ManualClock;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link StateStore}, written once: every implementation's test extends this class
 * and passes all of it (mpp-core's test-jar publishes it for stores in other modules). It covers
 * claims with owner-only release, versioned records, counters with a ceiling, TTL expiry on a
 * controllable clock, concurrency (one owner per claim, no lost update, never above a ceiling) and,
 * for bounded stores, capacity.
 *
 * <p>The test methods are public so that subclasses in other packages run them.
 *
 * <p>Time moves only through {@link #elapse}, which moves the {@link ManualClock} given to {@link
 * #newStore}; a store whose TTLs run on a server's clock overrides it (for example to sleep), and
 * the TTLs used here stay within seconds for that reason.
 */
public abstract class StateStoreContract {
  /** Threads in the concurrency cases. */
  protected static final int THREADS = 16;

  /** The clock the store under test was created with. */
  protected final ManualClock clock = new ManualClock();

  /** The store under test, fresh for every test. */
  protected StateStore store;

  /** A fresh, empty store on {@code clock} with room for at least 100,000 entries. */
  protected abstract StateStore newStore(Clock clock);

  /**
   * A fresh, empty store on {@code clock} that holds at most {@code maxEntries} entries, or null
   * when the implementation has no such bound (the capacity cases are then skipped).
   */
  protected abstract @Nullable StateStore newBoundedStore(Clock clock, int maxEntries);

  /** Lets {@code d} pass for the store's TTLs. */
  protected void elapse(Duration d) {
    clock.advance(d);
  }

  @BeforeEach
  public void freshStore() {
    store = newStore(clock);
  }

  private static final Duration TTL = Duration.ofSeconds(2);

  // ---- claims ----

  @Test
  public void aClaimReturnsAnOwnerTokenAndIsRefusedWhileHeld() {
    String owner = store.claim("k", TTL);
    assertNotNull(owner);
    assertFalse(owner.isEmpty());
    assertNull(store.claim("k", TTL), "held");
    assertFalse(store.claimAs("k", owner, TTL), "held, also for its own owner");
    assertNotNull(store.claim("other", TTL), "keys are independent");
  }

  @Test
  public void ownerTokensAreUnique() {
    Set<String> owners = new HashSet<>();
    for (int i = 0; i < 1_000; i++) {
      assertTrue(owners.add(store.claim("k" + i, TTL)), "token " + i + " is new");
    }
    String again = store.claim("k0-again", TTL);
    assertFalse(owners.contains(again));
  }

  @Test
  public void onlyTheOwnerReleasesAClaim() {
    String owner = store.claim("k", TTL);
    assertNotNull(owner);
    assertFalse(store.release("k", owner + "x"), "a wrong token changes nothing");
    assertFalse(store.release("k", "someone-else"));
    assertNull(store.claim("k", TTL), "still held");
    assertTrue(store.release("k", owner));
    assertFalse(store.release("k", owner), "a second release changes nothing");
    String next = store.claim("k", TTL);
    assertNotNull(next, "released keys can be claimed again");
    assertFalse(store.release("k", owner), "the old owner's token is stale");
    assertNull(store.claim("k", TTL), "the new claim survived the stale release");
    assertFalse(store.release("never-claimed", owner));
  }

  @Test
  public void aStaleTokenDoesNotReleaseTheNextOwnersClaim() {
    String first = store.claim("k", TTL);
    assertNotNull(first);
    elapse(TTL);
    String second = store.claim("k", TTL);
    assertNotNull(second, "an expired claim can be taken again");
    assertFalse(store.release("k", first), "the first owner's claim expired");
    assertNull(store.claim("k", TTL), "the second owner still holds it");
    assertTrue(store.release("k", second));
  }

  @Test
  public void namedOwnersReleaseFromAnotherCall() {
    assertTrue(store.claimAs("k", "attempt-7", TTL));
    assertFalse(store.claimAs("k", "attempt-7", TTL), "not reentrant");
    assertFalse(store.claimAs("k", "attempt-8", TTL));
    assertFalse(store.release("k", "attempt-8"));
    assertTrue(store.release("k", "attempt-7"));
    assertTrue(store.claimAs("k", "attempt-8", TTL));
  }

  @Test
  public void aClaimLivesForItsTtl() {
    assertNotNull(store.claim("k", TTL));
    elapse(TTL.minusMillis(100));
    assertNull(store.claim("k", TTL), "held until the TTL has passed");
    elapse(Duration.ofMillis(100));
    assertNotNull(store.claim("k", TTL), "free once it has");
  }

  @Test
  public void veryLongTtlsAreAccepted() {
    assertNotNull(store.claim("k", Duration.ofSeconds(Long.MAX_VALUE)));
    assertNotNull(store.create("r", "v", Duration.ofSeconds(Long.MAX_VALUE)));
    assertTrue(store.add("c", 1, 5, Duration.ofSeconds(Long.MAX_VALUE)).accepted());
    elapse(TTL);
    assertNull(store.claim("k", TTL));
    assertNotNull(store.read("r"));
    assertEquals(1, store.counter("c"));
  }

  @Test
  public void claimsRecordsAndCountersHaveSeparateKeySpaces() {
    assertNotNull(store.claim("k", TTL));
    assertNull(store.read("k"));
    assertEquals(0, store.counter("k"));
    VersionedValue record = store.create("k", "v", TTL);
    assertNotNull(record);
    assertTrue(store.add("k", 3, 10, TTL).accepted());
    assertNull(store.claim("k", TTL), "the claim is untouched");
    assertEquals(record, store.read("k"));
    assertEquals(3, store.counter("k"));
  }

  // ---- records ----

  @Test
  public void aRecordIsCreatedOnceAndChangedOnlyAtItsVersion() {
    assertNull(store.read("r"));
    VersionedValue v1 = store.create("r", "one", TTL);
    assertNotNull(v1);
    assertEquals("one", v1.value());
    assertEquals(v1, store.read("r"));
    assertNull(store.create("r", "other", TTL), "create-if-absent");
    assertEquals(v1, store.read("r"), "unchanged");

    assertNull(store.compareAndSet("r", v1.version() + 1, "x", TTL), "wrong version");
    assertEquals(v1, store.read("r"), "unchanged");
    VersionedValue v2 = store.compareAndSet("r", v1.version(), "two", TTL);
    assertNotNull(v2);
    assertEquals("two", v2.value());
    assertTrue(v2.version() > v1.version());
    assertEquals(v2, store.read("r"));
    assertNull(store.compareAndSet("r", v1.version(), "again", TTL), "the old version is stale");

    assertFalse(store.delete("r", v1.version()), "delete at a stale version");
    assertEquals(v2, store.read("r"));
    assertTrue(store.delete("r", v2.version()));
    assertNull(store.read("r"));
    assertFalse(store.delete("r", v2.version()), "already gone");
  }

  @Test
  public void absentRecordsCannotBeSetOrDeleted() {
    assertNull(store.compareAndSet("r", 1, "v", TTL));
    assertFalse(store.delete("r", 1));
    assertNull(store.read("r"), "compareAndSet does not create");
  }

  @Test
  public void versionsGrowAcrossDeleteAndExpiry() {
    VersionedValue v1 = store.create("r", "a", TTL);
    assertNotNull(v1);
    assertTrue(store.delete("r", v1.version()));
    VersionedValue v2 = store.create("r", "b", TTL);
    assertNotNull(v2);
    assertTrue(v2.version() > v1.version(), "a re-created record does not reuse a version");
    assertNull(store.compareAndSet("r", v1.version(), "stale", TTL), "no ABA");
    elapse(TTL);
    assertNull(store.read("r"), "expired");
    VersionedValue v3 = store.create("r", "c", TTL);
    assertNotNull(v3);
    assertTrue(v3.version() > v2.version());
    assertNull(store.compareAndSet("r", v2.version(), "stale", TTL), "no ABA after expiry");
  }

  @Test
  public void everyWriteSetsTheRecordsTtl() {
    VersionedValue v1 = store.create("r", "a", TTL);
    assertNotNull(v1);
    elapse(Duration.ofSeconds(1));
    VersionedValue v2 = store.compareAndSet("r", v1.version(), "b", TTL);
    assertNotNull(v2);
    elapse(Duration.ofMillis(1_500));
    assertEquals(v2, store.read("r"), "the TTL started again at the write");
    elapse(Duration.ofMillis(500));
    assertNull(store.read("r"), "and ran out");
    assertNull(store.compareAndSet("r", v2.version(), "c", TTL), "an expired record is absent");
    assertFalse(store.delete("r", v2.version()));
    assertNotNull(store.create("r", "d", TTL), "and can be created again");
  }

  @Test
  public void recordValuesAreBounded() {
    String largest = "x".repeat(StateStore.MAX_VALUE_LENGTH);
    VersionedValue v = store.create("r", largest, TTL);
    assertNotNull(v);
    assertEquals(largest, v.value());
    assertNotNull(store.create("empty", "", TTL), "an empty value is a value");
    assertThrows(IllegalArgumentException.class, () -> store.create("s", largest + "x", TTL));
    assertThrows(
        IllegalArgumentException.class,
        () -> store.compareAndSet("r", v.version(), largest + "x", TTL));
    assertEquals(v, store.read("r"));
    assertNull(store.read("s"));
  }

  // ---- counters ----

  @Test
  public void aCounterGrowsOnlyUpToItsCeiling() {
    assertEquals(0, store.counter("c"));
    assertEquals(new CounterResult(true, 40), store.add("c", 40, 100, TTL));
    assertEquals(new CounterResult(true, 100), store.add("c", 60, 100, TTL), "up to the ceiling");
    assertEquals(new CounterResult(false, 100), store.add("c", 1, 100, TTL), "not beyond");
    assertEquals(100, store.counter("c"));
    assertEquals(new CounterResult(false, 100), store.add("c", 5, 50, TTL), "a lower ceiling");
    assertEquals(new CounterResult(false, 100), store.add("c", Long.MAX_VALUE, 100, TTL));
    assertEquals(
        new CounterResult(false, 100),
        store.add("c", Long.MAX_VALUE, Long.MAX_VALUE, TTL),
        "no overflow");
  }

  @Test
  public void aRefusedAddCreatesNothing() {
    assertEquals(new CounterResult(false, 0), store.add("c", 11, 10, TTL));
    assertEquals(0, store.counter("c"));
    assertEquals(new CounterResult(false, 0), store.add("z", 1, 0, TTL), "a zero ceiling");
    assertEquals(new CounterResult(true, 10), store.add("c", 10, 10, TTL));
  }

  @Test
  public void subtractingReleasesAReservationNeverBelowZero() {
    store.add("c", 70, 100, TTL);
    assertEquals(50, store.subtract("c", 20));
    assertEquals(new CounterResult(true, 100), store.add("c", 50, 100, TTL), "room again");
    assertEquals(0, store.subtract("c", 500), "never below zero");
    assertEquals(0, store.counter("c"));
    assertEquals(0, store.subtract("absent", 5), "an absent counter stays absent");
    assertEquals(0, store.counter("absent"));
  }

  @Test
  public void aCounterKeepsTheTtlOfItsFirstAdd() {
    Duration window = Duration.ofSeconds(3);
    store.add("c", 1, 10, window);
    elapse(Duration.ofSeconds(2));
    assertEquals(new CounterResult(true, 3), store.add("c", 2, 10, window));
    assertEquals(2, store.subtract("c", 1));
    elapse(Duration.ofSeconds(1));
    assertEquals(0, store.counter("c"), "the window ended 3 s after the first add");
    assertEquals(0, store.subtract("c", 1));
    assertEquals(new CounterResult(true, 10), store.add("c", 10, 10, window), "a new window");
    elapse(Duration.ofMillis(2_900));
    assertEquals(10, store.counter("c"));
  }

  @Test
  public void aCounterAtZeroStartsANewWindow() {
    Duration window = Duration.ofSeconds(3);
    store.add("c", 5, 10, window);
    elapse(Duration.ofSeconds(2));
    assertEquals(0, store.subtract("c", 5));
    assertEquals(new CounterResult(true, 4), store.add("c", 4, 10, window));
    elapse(Duration.ofSeconds(2));
    assertEquals(4, store.counter("c"), "removed at zero, so the new add set a new TTL");
  }

  // ---- arguments ----

  @Test
  public void argumentsAreChecked() {
    assertThrows(NullPointerException.class, () -> store.claim(null, TTL));
    assertThrows(NullPointerException.class, () -> store.claim("k", null));
    assertThrows(IllegalArgumentException.class, () -> store.claim("", TTL));
    String longest = "k".repeat(StateStore.MAX_KEY_LENGTH);
    assertNotNull(store.claim(longest, TTL));
    assertThrows(IllegalArgumentException.class, () -> store.claim(longest + "k", TTL));
    assertThrows(IllegalArgumentException.class, () -> store.claim("k", Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> store.claim("k", Duration.ofMillis(-1)));
    assertThrows(IllegalArgumentException.class, () -> store.claimAs("k", "", TTL));
    assertThrows(NullPointerException.class, () -> store.release("k", null));
    assertThrows(NullPointerException.class, () -> store.create("r", null, TTL));
    assertThrows(IllegalArgumentException.class, () -> store.create("r", "v", Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> store.add("c", 0, 10, TTL));
    assertThrows(IllegalArgumentException.class, () -> store.add("c", -1, 10, TTL));
    assertThrows(IllegalArgumentException.class, () -> store.add("c", 1, -1, TTL));
    assertThrows(IllegalArgumentException.class, () -> store.subtract("c", 0));
    assertNotNull(store.claim("k", TTL), "refused calls claimed nothing");
    assertNull(store.read("r"));
    assertEquals(0, store.counter("c"));
  }

  // ---- concurrency ----

  @Test
  public void racingClaimsHaveExactlyOneOwner() throws Exception {
    for (int round = 0; round < 50; round++) {
      String key = "race-" + round;
      AtomicInteger wins = new AtomicInteger();
      List<String> owners = new ArrayList<>();
      race(
          () -> {
            String owner = store.claim(key, Duration.ofMinutes(1));
            if (owner != null) {
              wins.incrementAndGet();
              synchronized (owners) {
                owners.add(owner);
              }
            }
            return null;
          });
      assertEquals(1, wins.get(), "round " + round);
      assertTrue(store.release(key, owners.get(0)));
    }
  }

  @Test
  public void racingCompareAndSetLosesNoUpdate() throws Exception {
    assertNotNull(store.create("n", "0", Duration.ofMinutes(1)));
    int perThread = 200;
    AtomicLong retries = new AtomicLong();
    race(
        () -> {
          for (int i = 0; i < perThread; i++) {
            while (true) {
              VersionedValue now = store.read("n");
              assertNotNull(now);
              String next = Long.toString(Long.parseLong(now.value()) + 1);
              if (store.compareAndSet("n", now.version(), next, Duration.ofMinutes(1)) != null) {
                break;
              }
              retries.incrementAndGet();
            }
          }
          return null;
        });
    VersionedValue last = store.read("n");
    assertNotNull(last);
    assertEquals(Integer.toString(THREADS * perThread), last.value(), "every increment counted");
  }

  @Test
  public void racingReservationsNeverPassTheCeiling() throws Exception {
    long ceiling = 1_000;
    AtomicLong accepted = new AtomicLong();
    race(
        () -> {
          for (int i = 0; i < 200; i++) {
            CounterResult r = store.add("spend", 3, ceiling, Duration.ofMinutes(1));
            assertTrue(r.value() <= ceiling, "above the ceiling: " + r.value());
            if (r.accepted()) {
              accepted.incrementAndGet();
            }
          }
          return null;
        });
    assertEquals(333, accepted.get(), "exactly as many reservations as fit");
    assertEquals(999, store.counter("spend"));

    AtomicLong kept = new AtomicLong();
    race(
        () -> {
          for (int i = 0; i < 300; i++) {
            CounterResult r = store.add("mixed", 3, ceiling, Duration.ofMinutes(1));
            assertTrue(r.value() <= ceiling, "above the ceiling: " + r.value());
            if (r.accepted()) {
              if (i % 3 == 0) {
                store.subtract("mixed", 3); // a released reservation
              } else {
                kept.incrementAndGet();
              }
            }
          }
          return null;
        });
    assertEquals(kept.get() * 3, store.counter("mixed"), "the counter is the sum of what was kept");
    assertTrue(store.counter("mixed") <= ceiling);
  }

  @Test
  public void racingOwnersReleaseOnlyTheirOwnClaims() throws Exception {
    AtomicInteger strayReleases = new AtomicInteger();
    race(
        () -> {
          for (int i = 0; i < 500; i++) {
            String mine = store.claim("shared", Duration.ofMinutes(1));
            if (mine != null) {
              assertNull(store.claim("shared", Duration.ofMinutes(1)), "held while mine");
              assertTrue(store.release("shared", mine), "only I can release it");
            } else if (store.release("shared", "not-an-owner")) {
              strayReleases.incrementAndGet();
            }
          }
          return null;
        });
    assertEquals(0, strayReleases.get());
  }

  // ---- capacity ----

  @Test
  public void aFullStoreRefusesNewEntriesAndKeepsEveryLiveOne() {
    StateStore small = newBoundedStore(clock, 3);
    assumeTrue(small != null, "this store has no entry bound");
    String owner = small.claim("claim", TTL);
    assertNotNull(owner);
    VersionedValue record = small.create("record", "v", TTL);
    assertNotNull(record);
    assertTrue(small.add("counter", 1, 10, TTL).accepted());

    assertThrows(StoreUnavailableException.class, () -> small.claim("new", TTL));
    assertThrows(StoreUnavailableException.class, () -> small.claimAs("new", "o", TTL));
    assertThrows(StoreUnavailableException.class, () -> small.create("new", "v", TTL));
    assertThrows(StoreUnavailableException.class, () -> small.add("new", 1, 10, TTL));
    assertEquals(new CounterResult(false, 0), small.add("new", 11, 10, TTL), "nothing to add");

    assertNull(small.claim("claim", TTL), "no live entry was evicted");
    assertEquals(record, small.read("record"));
    VersionedValue changed = small.compareAndSet("record", record.version(), "w", TTL);
    assertNotNull(changed, "existing entries still change");
    assertEquals(new CounterResult(true, 3), small.add("counter", 2, 10, TTL));
    assertEquals(2, small.subtract("counter", 1));

    assertTrue(small.release("claim", owner), "a release frees a place");
    assertNotNull(small.create("new", "v", TTL));
    assertThrows(StoreUnavailableException.class, () -> small.claim("claim", TTL));
    assertTrue(small.delete("new", small.read("new").version()));
    assertNotNull(small.claim("newer", TTL));
    assertEquals(0, small.subtract("counter", 2), "a counter at zero frees its place");
    assertTrue(small.add("another", 1, 10, TTL).accepted());
  }

  @Test
  public void expiredEntriesFreeTheirPlaces() {
    StateStore small = newBoundedStore(clock, 3);
    assumeTrue(small != null, "this store has no entry bound");
    assertNotNull(small.claim("a", TTL));
    assertNotNull(small.create("b", "v", TTL));
    assertTrue(small.add("c", 1, 1, TTL).accepted());
    assertThrows(StoreUnavailableException.class, () -> small.claim("d", TTL));
    elapse(TTL.plusSeconds(1));
    assertNotNull(small.claim("d", TTL));
    assertNotNull(small.create("e", "v", TTL));
    assertTrue(small.add("f", 1, 1, TTL).accepted());
    assertThrows(StoreUnavailableException.class, () -> small.claim("g", TTL));
  }

  /** Runs {@code task} on {@link #THREADS} threads released at once, and waits for all. */
  protected static void race(Callable<?> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  return task.call();
                }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
      assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }
  }
}
