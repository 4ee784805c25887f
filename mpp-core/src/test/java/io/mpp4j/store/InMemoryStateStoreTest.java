package io.mpp4j.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class InMemoryStateStoreTest extends StateStoreContract {
  @Override
  protected StateStore newStore(Clock clock) {
    return InMemoryStateStore.create(100_000, clock);
  }

  @Override
  protected @Nullable StateStore newBoundedStore(Clock clock, int maxEntries) {
    return InMemoryStateStore.create(maxEntries, clock);
  }

  @Test
  void purgeVisitsOnlyTheEntriesThatExpiredWhateverTheirKind() {
    InMemoryStateStore s = InMemoryStateStore.create(100_000, clock);
    for (int i = 0; i < 20_000; i++) {
      assertNotNull(s.claim("live-" + i, Duration.ofHours(1)));
      assertNotNull(s.create("live-" + i, "v", Duration.ofHours(1)));
      assertTrue(s.add("live-" + i, 1, 10, Duration.ofHours(1)).accepted());
    }
    for (int i = 0; i < 5; i++) {
      assertNotNull(s.claim("short-" + i, Duration.ofSeconds(5)));
      assertNotNull(s.create("short-" + i, "v", Duration.ofSeconds(5)));
      assertTrue(s.add("short-" + i, 1, 10, Duration.ofSeconds(5)).accepted());
    }
    long before = s.purgeVisits();
    clock.advance(Duration.ofSeconds(6));
    assertNotNull(s.claim("after", Duration.ofHours(1)));
    assertEquals(before + 15, s.purgeVisits(), "only the 15 expired entries were visited");
    assertEquals(60_001, s.size());
    assertEquals(60_001, s.filedCount());
  }

  @Test
  void rewritesKeepOneFiledEntryPerKeyAndRemovalsLeaveNone() {
    InMemoryStateStore s = InMemoryStateStore.create(1_000, clock);
    VersionedValue v = s.create("r", "0", Duration.ofSeconds(10));
    for (int i = 1; i <= 100; i++) {
      clock.advance(Duration.ofMillis(700)); // each write lands in another expiry second
      v = s.compareAndSet("r", v.version(), Integer.toString(i), Duration.ofSeconds(10));
      assertNotNull(v);
      s.add("c", 1, 1_000, Duration.ofMinutes(10));
    }
    assertEquals(2, s.size());
    assertEquals(2, s.filedCount());
    assertTrue(s.delete("r", v.version()));
    assertEquals(0, s.subtract("c", 100));
    assertEquals(0, s.size());
    assertEquals(0, s.filedCount());
    for (int i = 0; i < 150_000; i++) {
      String owner = s.claim("junk-" + i, Duration.ofMinutes(6));
      assertNotNull(owner);
      assertTrue(s.release("junk-" + i, owner));
    }
    assertEquals(0, s.size(), "released claims hold no capacity");
    assertEquals(0, s.filedCount());
  }

  @Test
  void aFullStoreDoesNotRescanItsLiveEntriesPerCall() {
    InMemoryStateStore s = InMemoryStateStore.create(1_000, clock);
    for (int i = 0; i < 1_000; i++) {
      assertNotNull(s.create("k" + i, "v", Duration.ofMinutes(5)));
    }
    for (int i = 0; i < 100; i++) {
      assertThrows(StoreUnavailableException.class, () -> s.claim("new", Duration.ofMinutes(5)));
    }
    assertEquals(0, s.purgeVisits());
    assertEquals(1_000, s.size());
  }

  @Test
  void ttlsAreRoundedUpToAMillisecondAndCappedAtTheMaximum() {
    InMemoryStateStore s = InMemoryStateStore.create(10, clock);
    assertNotNull(s.claim("tiny", Duration.ofNanos(1)));
    assertNull(s.claim("tiny", Duration.ofSeconds(1)), "a nanosecond TTL lasts a millisecond");
    clock.advance(Duration.ofMillis(1));
    assertNotNull(s.claim("tiny", Duration.ofSeconds(1)));

    assertNotNull(s.claim("long", Duration.ofSeconds(Long.MAX_VALUE)));
    clock.advance(StateStore.MAX_TTL.minusDays(1));
    assertNull(s.claim("long", Duration.ofSeconds(1)), "held for years");
    clock.advance(Duration.ofDays(1));
    assertNotNull(s.claim("long", Duration.ofSeconds(1)), "but not beyond the cap");
  }

  @Test
  void validatesCapacity() {
    assertThrows(
        IllegalArgumentException.class, () -> InMemoryStateStore.create(0, Clock.systemUTC()));
    assertThrows(NullPointerException.class, () -> InMemoryStateStore.create(1, null));
    assertEquals(0, InMemoryStateStore.ofDefaults().size());
  }

  @Test
  void twoStoresDoNotAcceptEachOthersTokens() {
    InMemoryStateStore a = InMemoryStateStore.create(10, clock);
    InMemoryStateStore b = InMemoryStateStore.create(10, clock);
    String owner = a.claim("k", Duration.ofSeconds(5));
    assertNotNull(owner);
    assertNotNull(b.claim("k", Duration.ofSeconds(5)));
    assertFalse(b.release("k", owner), "a token of store a is not an owner in store b");
  }
}
