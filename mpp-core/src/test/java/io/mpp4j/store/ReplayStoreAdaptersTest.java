package io.mpp4j.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpp4j.testing.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The bridges between the claim-only {@link ReplayStore} and {@link StateStore}. */
class ReplayStoreAdaptersTest {
  private static final Duration TTL = Duration.ofSeconds(5);

  /** A claim-only store written against the 0.1 interface. */
  private static final class LegacyStore implements ReplayStore {
    final Set<String> held = new HashSet<>();
    final List<String> released = new ArrayList<>();

    @Override
    public synchronized boolean tryClaim(String key, Duration ttl) {
      return held.add(key);
    }

    @Override
    public synchronized void release(String key) {
      released.add(key);
      held.remove(key);
    }
  }

  @Test
  void aReplayStoreThatIsAStateStoreIsUsedAsItIs() {
    InMemoryReplayStore store = InMemoryReplayStore.create(10, new ManualClock());
    assertSame(store, ReplayStore.toStateStore(store));
    assertSame(store, ReplayStore.view(store));
  }

  @Test
  void aLegacyStoreServesClaimsOnly() {
    LegacyStore legacy = new LegacyStore();
    StateStore store = ReplayStore.toStateStore(legacy);
    String owner = store.claim("k", TTL);
    assertNotNull(owner);
    assertNull(store.claim("k", TTL));
    assertFalse(store.claimAs("k", "o", TTL));
    assertTrue(store.release("k", owner));
    assertEquals(List.of("k"), legacy.released);
    assertTrue(store.claimAs("k", "o", TTL));
    assertThrows(UnsupportedOperationException.class, () -> store.read("r"));
    assertThrows(UnsupportedOperationException.class, () -> store.create("r", "v", TTL));
    assertThrows(UnsupportedOperationException.class, () -> store.compareAndSet("r", 1, "v", TTL));
    assertThrows(UnsupportedOperationException.class, () -> store.delete("r", 1));
    assertThrows(UnsupportedOperationException.class, () -> store.add("c", 1, 1, TTL));
    assertThrows(UnsupportedOperationException.class, () -> store.subtract("c", 1));
    assertThrows(UnsupportedOperationException.class, () -> store.counter("c"));
    assertSame(legacy, ReplayStore.view(store), "its view is the legacy store again");
  }

  @Test
  void aViewReleasesOnlyTheClaimsItMade() {
    InMemoryStateStore store = InMemoryStateStore.create(10, new ManualClock());
    ReplayStore view = ReplayStore.view(store);
    String other = store.claim("theirs", TTL);
    assertNotNull(other);
    assertFalse(view.tryClaim("theirs", TTL));
    view.release("theirs");
    assertNull(store.claim("theirs", TTL), "another owner's claim is untouched");

    assertTrue(view.tryClaim("mine", TTL));
    assertFalse(view.tryClaim("mine", TTL));
    view.release("mine");
    assertTrue(view.tryClaim("mine", TTL), "released by the view that claimed it");
    ReplayStore another = ReplayStore.view(store);
    another.release("mine");
    assertFalse(view.tryClaim("mine", TTL), "another view does not own it");
    view.release("never");
    assertEquals(2, store.size());
  }
}
