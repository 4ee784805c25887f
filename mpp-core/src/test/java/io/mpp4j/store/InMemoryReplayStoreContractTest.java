package io.mpp4j.store;

import java.time.Clock;
import org.jspecify.annotations.Nullable;

/** {@link InMemoryReplayStore} is a full {@link StateStore} too. */
class InMemoryReplayStoreContractTest extends StateStoreContract {
  @Override
  protected StateStore newStore(Clock clock) {
    return InMemoryReplayStore.create(100_000, clock);
  }

  @Override
  protected @Nullable StateStore newBoundedStore(Clock clock, int maxEntries) {
    return InMemoryReplayStore.create(maxEntries, clock);
  }
}
