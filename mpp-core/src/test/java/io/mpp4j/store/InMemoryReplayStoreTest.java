package io.mpp4j.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpp4j.testing.ManualClock;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InMemoryReplayStoreTest {
  @Test
  void claimsOnceUntilExpiryOrRelease() {
    ManualClock clock = new ManualClock();
    InMemoryReplayStore store = InMemoryReplayStore.create(10, clock);
    assertTrue(store.tryClaim("k", Duration.ofSeconds(10)));
    assertFalse(store.tryClaim("k", Duration.ofSeconds(10)));
    clock.advance(Duration.ofSeconds(9));
    assertFalse(store.tryClaim("k", Duration.ofSeconds(10)));
    clock.advance(Duration.ofSeconds(1));
    assertTrue(store.tryClaim("k", Duration.ofSeconds(10)), "expired claims can be taken again");
    store.release("k");
    assertTrue(store.tryClaim("k", Duration.ofSeconds(10)));
    store.release("unknown");
  }

  @Test
  void failsClosedWhenFullOfLiveClaimsAndPurgesExpiredOnes() {
    ManualClock clock = new ManualClock();
    InMemoryReplayStore store = InMemoryReplayStore.create(3, clock);
    for (int i = 0; i < 3; i++) {
      assertTrue(store.tryClaim("k" + i, Duration.ofSeconds(5)));
    }
    assertThrows(
        StoreUnavailableException.class, () -> store.tryClaim("k3", Duration.ofSeconds(5)));
    clock.advance(Duration.ofSeconds(6));
    assertTrue(store.tryClaim("k3", Duration.ofSeconds(5)));
    assertEquals(1, store.size());
  }

  @Test
  void exactlyOneWinnerUnderContention() throws Exception {
    InMemoryReplayStore store = InMemoryReplayStore.ofDefaults();
    int threads = 32;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int round = 0; round < 50; round++) {
        String key = "key-" + round;
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger wins = new AtomicInteger();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          futures.add(
              pool.submit(
                  () -> {
                    start.await();
                    if (store.tryClaim(key, Duration.ofMinutes(1))) {
                      wins.incrementAndGet();
                    }
                    return null;
                  }));
        }
        start.countDown();
        for (Future<?> f : futures) {
          f.get(10, TimeUnit.SECONDS);
        }
        assertEquals(1, wins.get(), "round " + round);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void validatesArguments() {
    assertThrows(
        IllegalArgumentException.class, () -> InMemoryReplayStore.create(0, Clock.systemUTC()));
    InMemoryReplayStore store = InMemoryReplayStore.ofDefaults();
    assertThrows(IllegalArgumentException.class, () -> store.tryClaim("k", Duration.ZERO));
    assertThrows(NullPointerException.class, () -> store.tryClaim(null, Duration.ofSeconds(1)));
  }
}
