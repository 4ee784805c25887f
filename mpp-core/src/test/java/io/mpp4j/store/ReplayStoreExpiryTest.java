package io.mpp4j.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpp4j.testing.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Expiry without scans: purge work is proportional to what expired, never to what is held. */
class ReplayStoreExpiryTest {
  @Test
  void purgeVisitsOnlyTheClaimsThatExpired() {
    ManualClock clock = new ManualClock();
    InMemoryReplayStore store = InMemoryReplayStore.create(100_000, clock);
    for (int i = 0; i < 50_000; i++) {
      assertTrue(store.tryClaim("live-" + i, Duration.ofHours(1)));
    }
    for (int i = 0; i < 10; i++) {
      assertTrue(store.tryClaim("short-" + i, Duration.ofSeconds(5)));
    }
    long before = store.purgeVisits();
    for (int i = 0; i < 1_000; i++) {
      store.tryClaim("more-" + i, Duration.ofHours(1)); // a purge is due at most once a second
    }
    assertEquals(before, store.purgeVisits(), "nothing expired, nothing visited");

    clock.advance(Duration.ofSeconds(6));
    assertTrue(store.tryClaim("after", Duration.ofHours(1)));
    assertEquals(before + 10, store.purgeVisits(), "only the 10 expired claims were visited");
    assertEquals(51_001, store.size());
    for (int i = 0; i < 10; i++) {
      assertTrue(store.tryClaim("short-" + i, Duration.ofSeconds(5)), "expired keys are free");
    }
  }

  @Test
  void aFullStoreRefusesNewClaimsWithoutEvictingOrScanningLiveOnes() {
    ManualClock clock = new ManualClock();
    InMemoryReplayStore store = InMemoryReplayStore.create(1_000, clock);
    for (int i = 0; i < 1_000; i++) {
      assertTrue(store.tryClaim("k" + i, Duration.ofMinutes(5)));
    }
    for (int i = 0; i < 100; i++) {
      assertThrows(
          StoreUnavailableException.class, () -> store.tryClaim("new", Duration.ofMinutes(5)));
    }
    assertEquals(0, store.purgeVisits(), "a full store does not rescan its live claims per call");
    assertEquals(1_000, store.size());
    store.release("k7");
    assertTrue(store.tryClaim("new", Duration.ofMinutes(5)), "a released slot is usable at once");
    store.release("new");
    for (int i = 0; i < 1_000; i++) {
      if (i != 7) {
        assertFalse(store.tryClaim("k" + i, Duration.ofMinutes(5)), "live claim k" + i + " kept");
      }
    }
  }

  @Test
  void claimAndReleaseChurnLeavesNothingBehind() {
    ManualClock clock = new ManualClock();
    InMemoryReplayStore store = InMemoryReplayStore.create(100_000, clock);
    for (int i = 0; i < 150_000; i++) {
      assertTrue(store.tryClaim("junk-" + i, Duration.ofMinutes(6)));
      store.release("junk-" + i);
    }
    assertEquals(0, store.size());
    assertEquals(0, store.filedCount(), "released claims leave no expiry entry behind");
  }

  @Test
  void aKeyClaimedAgainAfterExpiryIsFiledUnderItsNewExpiryOnly() {
    ManualClock clock = new ManualClock();
    InMemoryReplayStore store = InMemoryReplayStore.create(10, clock);
    assertTrue(store.tryClaim("k", Duration.ofSeconds(2)));
    clock.advance(Duration.ofSeconds(3));
    assertTrue(store.tryClaim("k", Duration.ofSeconds(60))); // purges the old one, files the new
    assertEquals(1, store.filedCount());
    clock.advance(Duration.ofSeconds(10));
    assertTrue(store.tryClaim("other", Duration.ofSeconds(60)));
    assertFalse(store.tryClaim("k", Duration.ofSeconds(60)), "the renewed claim is still live");
  }
}
