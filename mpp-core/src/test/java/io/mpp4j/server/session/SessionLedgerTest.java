package io.mpp4j.server.session;

import static io.mpp4j.server.session.ChannelStates.CHANNEL;
import static io.mpp4j.server.session.ChannelStates.open;
import static io.mpp4j.server.session.ChannelStates.sig;
import static io.mpp4j.server.session.ChannelStates.sigHex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpp4j.server.session.LedgerResult.InsufficientBalance;
import io.mpp4j.server.session.LedgerResult.Reason;
import io.mpp4j.server.session.LedgerResult.Refused;
import io.mpp4j.server.session.LedgerResult.Unchanged;
import io.mpp4j.server.session.LedgerResult.Updated;
import io.mpp4j.store.InMemoryStateStore;
import io.mpp4j.store.StateStore;
import io.mpp4j.store.VersionedValue;
import io.mpp4j.testing.ManualClock;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class SessionLedgerTest {
  private static final BigInteger UNIT = BigInteger.valueOf(1000);

  private final ManualClock clock = new ManualClock();
  private final InMemoryStateStore store = InMemoryStateStore.create(1_000, clock);
  private final SessionLedger ledger = new SessionLedger(store);

  private static BigInteger units(long n) {
    return UNIT.multiply(BigInteger.valueOf(n));
  }

  private ChannelState stored() {
    ChannelState s = ledger.read(CHANNEL);
    assertNotNull(s);
    return s;
  }

  private static ChannelState updated(LedgerResult r) {
    return assertInstanceOf(Updated.class, r).state();
  }

  private static Reason refusal(LedgerResult r) {
    return assertInstanceOf(Refused.class, r).reason();
  }

  @Test
  void keysAreThePrefixAndTheLowercaseChannelId() {
    assertEquals(
        "mpp:session:channel:" + CHANNEL,
        SessionLedger.key(CHANNEL.toUpperCase(Locale.ROOT).replace("0X", "0x")));
    assertThrows(IllegalArgumentException.class, () -> SessionLedger.key("0x1234"));
    assertThrows(IllegalArgumentException.class, () -> SessionLedger.key(CHANNEL + "00"));
  }

  @Test
  void openStoresTheStateUnderItsKeyOnceWithTheTtl() {
    ChannelState s = open(100_000, 5_000);
    assertEquals(s, updated(ledger.open(s)));
    VersionedValue raw = store.read("mpp:session:channel:" + CHANNEL);
    assertNotNull(raw);
    assertEquals(s.encode(), raw.value());
    assertEquals(s, stored());

    Refused again = assertInstanceOf(Refused.class, ledger.open(open(200_000, 7_000)));
    assertEquals(Reason.ALREADY_OPEN, again.reason());
    assertEquals(s, again.state(), "the first open stays");
    assertEquals(s, stored());

    clock.advance(SessionLedger.DEFAULT_TTL.minusSeconds(1));
    assertNotNull(ledger.read(CHANNEL));
    clock.advance(Duration.ofSeconds(1));
    assertNull(ledger.read(CHANNEL), "gone after the TTL");
  }

  @Test
  void everyUpdateOfAnUnknownChannelIsRefusedAsNotFound() {
    assertNull(ledger.read(CHANNEL));
    assertEquals(Reason.CHANNEL_NOT_FOUND, refusal(ledger.charge(CHANNEL, UNIT)));
    assertEquals(
        Reason.CHANNEL_NOT_FOUND, refusal(ledger.acceptVoucher(CHANNEL, units(1), sig(2))));
    assertEquals(Reason.CHANNEL_NOT_FOUND, refusal(ledger.markSettled(CHANNEL, UNIT)));
    assertEquals(Reason.CHANNEL_NOT_FOUND, refusal(ledger.recordDeposit(CHANNEL, UNIT)));
    assertEquals(
        Reason.CHANNEL_NOT_FOUND,
        refusal(ledger.requestClose(CHANNEL, Instant.ofEpochSecond(1_765_000_000L))));
    assertEquals(Reason.CHANNEL_NOT_FOUND, refusal(ledger.adjust(CHANNEL, units(2), units(1))));
    assertEquals(0, store.size(), "nothing created");
  }

  @Test
  void aHigherVoucherIsStoredWithItsSignatureBeforeTheCallReturns() {
    ledger.open(open(units(100).longValueExact(), units(1).longValueExact()));
    ChannelState s = updated(ledger.acceptVoucher(CHANNEL, units(3), sig(9)));
    assertEquals(units(3), s.acceptedCumulative());
    assertEquals(s, stored());
    assertArrayEquals(sig(9), stored().voucherSignatureBytes());
    // the full deposit is a valid voucher
    assertEquals(
        units(100),
        updated(ledger.acceptVoucher(CHANNEL, units(100), sig(3))).acceptedCumulative());
  }

  @Test
  void aVoucherEqualToTheStoredOneIsNotAcceptedAndKeepsTheStoredSignature() {
    ledger.open(open(100_000, 5_000));
    ChannelState before = stored();
    Unchanged u =
        assertInstanceOf(Unchanged.class, ledger.acceptVoucher(CHANNEL, units(5), sig(4)));
    assertEquals(before, u.state());
    assertEquals(before, stored());
    assertEquals(sigHex(1), stored().voucherSignature());
  }

  @Test
  void aVoucherBelowTheStoredOneIsRefused() {
    ledger.open(open(100_000, 5_000));
    ChannelState before = stored();
    assertEquals(
        Reason.VOUCHER_BELOW_ACCEPTED,
        refusal(ledger.acceptVoucher(CHANNEL, BigInteger.valueOf(4_999), sig(4))));
    assertEquals(
        Reason.VOUCHER_BELOW_ACCEPTED,
        refusal(ledger.acceptVoucher(CHANNEL, BigInteger.ZERO, sig(4))));
    assertEquals(before, stored());
  }

  @Test
  void aVoucherAboveTheDepositIsRefused() {
    ledger.open(open(100_000, 5_000));
    ChannelState before = stored();
    assertEquals(
        Reason.AMOUNT_EXCEEDS_DEPOSIT,
        refusal(ledger.acceptVoucher(CHANNEL, BigInteger.valueOf(100_001), sig(4))));
    assertEquals(before, stored());
    assertThrows(
        IllegalArgumentException.class,
        () -> ledger.acceptVoucher(CHANNEL, ChannelState.MAX_AMOUNT.add(BigInteger.ONE), sig(4)));
    assertThrows(
        IllegalArgumentException.class,
        () -> ledger.acceptVoucher(CHANNEL, BigInteger.valueOf(6_000), new byte[64]));
    assertEquals(before, stored());
  }

  @Test
  void anIncreaseBelowTheMinimumDeltaIsRefused() {
    ledger.open(open(100_000, 5_000));
    assertEquals(
        Reason.DELTA_TOO_SMALL,
        refusal(ledger.acceptVoucher(CHANNEL, BigInteger.valueOf(5_999), sig(4), UNIT)));
    assertEquals(BigInteger.valueOf(5_000), stored().acceptedCumulative());
    assertEquals(
        BigInteger.valueOf(6_000),
        updated(ledger.acceptVoucher(CHANNEL, BigInteger.valueOf(6_000), sig(4), UNIT))
            .acceptedCumulative());
  }

  @Test
  void chargesSpendOnlyWhatAcceptedVouchersCover() {
    ledger.open(open(units(100).longValueExact(), units(2).longValueExact()));
    assertEquals(units(1), updated(ledger.charge(CHANNEL, UNIT)).spent());
    assertEquals(units(2), updated(ledger.charge(CHANNEL, UNIT)).spent());

    InsufficientBalance ib =
        assertInstanceOf(InsufficientBalance.class, ledger.charge(CHANNEL, units(3)));
    assertEquals(units(3), ib.cost());
    assertEquals(units(3), ib.requiredTopUp(), "cost − available (0)");
    assertEquals(units(5), ib.requiredCumulative(), "spent + cost");
    assertEquals(units(2), stored().spent(), "nothing charged");

    updated(ledger.acceptVoucher(CHANNEL, units(4), sig(5)));
    ib = assertInstanceOf(InsufficientBalance.class, ledger.charge(CHANNEL, units(3)));
    assertEquals(units(1), ib.requiredTopUp(), "cost 3 − available 2");
    assertEquals(units(5), ib.requiredCumulative());
    assertEquals(units(4), updated(ledger.charge(CHANNEL, units(2))).spent());
    assertEquals(BigInteger.ZERO, stored().available());
    assertThrows(IllegalArgumentException.class, () -> ledger.charge(CHANNEL, BigInteger.ZERO));
    assertThrows(
        IllegalArgumentException.class, () -> ledger.charge(CHANNEL, BigInteger.valueOf(-1)));
  }

  @Test
  void requiredCumulativeAboveTheDepositTellsTheClientToTopUp() {
    ledger.open(open(units(3).longValueExact(), units(3).longValueExact()));
    updated(ledger.charge(CHANNEL, units(3)));
    InsufficientBalance ib =
        assertInstanceOf(InsufficientBalance.class, ledger.charge(CHANNEL, UNIT));
    assertTrue(ib.requiredCumulative().compareTo(ib.state().deposit()) > 0);
    updated(ledger.recordDeposit(CHANNEL, units(10)));
    updated(ledger.acceptVoucher(CHANNEL, units(4), sig(6)));
    assertEquals(units(4), updated(ledger.charge(CHANNEL, UNIT)).spent());
  }

  @Test
  void reserveAndAdjustChargeTheActualConsumption() {
    ledger.open(open(units(100).longValueExact(), units(10).longValueExact()));
    assertEquals(units(4), updated(ledger.reserve(CHANNEL, units(4))).spent());
    // consumed less: the difference goes back
    assertEquals(units(3), updated(ledger.adjust(CHANNEL, units(4), units(3))).spent());
    // consumed more: the difference is charged
    assertEquals(units(4), updated(ledger.reserve(CHANNEL, UNIT)).spent());
    assertEquals(units(9), updated(ledger.adjust(CHANNEL, UNIT, units(6))).spent());
    // more than vouchers cover: refused, nothing charged
    InsufficientBalance ib =
        assertInstanceOf(InsufficientBalance.class, ledger.adjust(CHANNEL, UNIT, units(3)));
    assertEquals(units(1), ib.requiredTopUp());
    assertEquals(units(9), stored().spent());
    assertInstanceOf(Unchanged.class, ledger.adjust(CHANNEL, UNIT, UNIT));
    assertEquals(
        Reason.RELEASE_ABOVE_SPENT, refusal(ledger.adjust(CHANNEL, units(10), BigInteger.ZERO)));
    assertEquals(units(9), stored().spent());
  }

  @Test
  void settlementsOnlyGrowAndNeverExceedTheAcceptedVoucher() {
    ledger.open(open(units(100).longValueExact(), units(5).longValueExact()));
    assertEquals(units(3), updated(ledger.markSettled(CHANNEL, units(3))).settledOnChain());
    assertInstanceOf(Unchanged.class, ledger.markSettled(CHANNEL, units(2)));
    assertInstanceOf(Unchanged.class, ledger.markSettled(CHANNEL, units(3)));
    assertEquals(Reason.SETTLEMENT_ABOVE_ACCEPTED, refusal(ledger.markSettled(CHANNEL, units(6))));
    assertEquals(units(3), stored().settledOnChain());
  }

  @Test
  void depositsOnlyGrow() {
    ledger.open(open(units(10).longValueExact(), units(5).longValueExact()));
    assertEquals(units(20), updated(ledger.recordDeposit(CHANNEL, units(20))).deposit());
    assertInstanceOf(Unchanged.class, ledger.recordDeposit(CHANNEL, units(20)));
    assertEquals(Reason.DEPOSIT_DECREASED, refusal(ledger.recordDeposit(CHANNEL, units(19))));
    assertEquals(units(20), stored().deposit());
  }

  @Test
  void aCloseRequestStopsVouchersAndChargesAndKeepsTheFirstTime() {
    ledger.open(open(units(100).longValueExact(), units(5).longValueExact()));
    Instant at = Instant.ofEpochSecond(1_765_000_000L);
    assertEquals(at, updated(ledger.requestClose(CHANNEL, at)).closeRequestedAt());
    assertInstanceOf(Unchanged.class, ledger.requestClose(CHANNEL, at.plusSeconds(10)));
    assertEquals(at, stored().closeRequestedAt());
    assertEquals(Reason.CLOSE_REQUESTED, refusal(ledger.charge(CHANNEL, UNIT)));
    assertEquals(Reason.CLOSE_REQUESTED, refusal(ledger.acceptVoucher(CHANNEL, units(6), sig(2))));
    assertEquals(BigInteger.ZERO, stored().spent());
    // what is owed can still be settled
    assertEquals(units(5), updated(ledger.markSettled(CHANNEL, units(5))).settledOnChain());
  }

  @Test
  void aMalformedRecordIsRefusedByEveryOperation() {
    String key = SessionLedger.key(CHANNEL);
    String good = open(100_000, 5_000).encode();
    assertNotNull(store.create(key, good.replace("spent=0", "spent=00"), Duration.ofHours(1)));
    assertThrows(MalformedChannelStateException.class, () -> ledger.read(CHANNEL));
    assertThrows(MalformedChannelStateException.class, () -> ledger.charge(CHANNEL, UNIT));
    assertThrows(
        MalformedChannelStateException.class,
        () -> ledger.acceptVoucher(CHANNEL, units(6), sig(2)));
    assertThrows(MalformedChannelStateException.class, () -> ledger.markSettled(CHANNEL, UNIT));
    assertThrows(MalformedChannelStateException.class, () -> ledger.open(open(100_000, 5_000)));
    VersionedValue raw = store.read(key);
    assertNotNull(raw);
    assertEquals(good.replace("spent=0", "spent=00"), raw.value(), "left as it was");
  }

  @Test
  void aRecordOfAnotherChannelUnderThisKeyIsRefused() {
    String other = "0x" + "12".repeat(32);
    ChannelState s = open(100_000, 5_000);
    String moved = s.encode().replace("channelId=" + CHANNEL, "channelId=" + other);
    assertNotNull(store.create(SessionLedger.key(CHANNEL), moved, Duration.ofHours(1)));
    assertThrows(MalformedChannelStateException.class, () -> ledger.charge(CHANNEL, UNIT));
  }

  @Test
  void twentyConcurrentChargesOnFiveUnitsOfCoverageSpendExactlyFive() throws Exception {
    twentyChargesOnFiveUnits(ledger);
  }

  /** The same race with each read held for a millisecond, so that the charges interleave. */
  @Test
  void twentyConcurrentChargesSpendExactlyFiveAlsoWhenReadsAreSlow() throws Exception {
    twentyChargesOnFiveUnits(new SessionLedger(new SlowReadStore(store)));
  }

  private void twentyChargesOnFiveUnits(SessionLedger under) throws Exception {
    under.open(open(units(100).longValueExact(), units(5).longValueExact()));
    int threads = 20;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<LedgerResult>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  return under.charge(CHANNEL, UNIT);
                }));
      }
      start.countDown();
      int charged = 0;
      int insufficient = 0;
      for (Future<LedgerResult> f : futures) {
        LedgerResult r = f.get(30, TimeUnit.SECONDS);
        if (r instanceof Updated) {
          charged++;
        } else {
          InsufficientBalance ib = assertInstanceOf(InsufficientBalance.class, r);
          assertEquals(UNIT, ib.requiredTopUp());
          insufficient++;
        }
      }
      assertEquals(5, charged);
      assertEquals(15, insufficient);
      assertEquals(units(5), stored().spent());
    } finally {
      pool.shutdownNow();
      assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void concurrentVouchersAndChargesLoseNoUpdate() throws Exception {
    ledger.open(open(units(1000).longValueExact(), units(1).longValueExact()));
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Integer>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int id = t;
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  int charged = 0;
                  for (int i = 0; i < 50; i++) {
                    ledger.acceptVoucher(CHANNEL, units(2 + id * 50L + i), sig(id + 1));
                    if (ledger.charge(CHANNEL, UNIT) instanceof Updated) {
                      charged++;
                    }
                  }
                  return charged;
                }));
      }
      start.countDown();
      int charged = 0;
      for (Future<Integer> f : futures) {
        charged += f.get(60, TimeUnit.SECONDS);
      }
      ChannelState end = stored();
      assertEquals(units(charged), end.spent(), "every success is in spent");
      assertTrue(end.spent().compareTo(end.acceptedCumulative()) <= 0);
      assertEquals(units(2 + 7 * 50L + 49), end.acceptedCumulative(), "the highest voucher won");
    } finally {
      pool.shutdownNow();
      assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void contentionBeyondTheRetryBoundThrowsAndChangesNothing() {
    ledger.open(open(100_000, 5_000));
    // a store whose compare-and-set always loses, as under endless contention
    StateStore losing = new LosingStore(store);
    SessionLedger bounded = new SessionLedger(losing, Duration.ofDays(1), 3);
    assertThrows(LedgerContentionException.class, () -> bounded.charge(CHANNEL, UNIT));
    assertEquals(3, ((LosingStore) losing).attempts);
    assertEquals(BigInteger.ZERO, stored().spent());
    assertThrows(
        IllegalArgumentException.class, () -> new SessionLedger(store, Duration.ofDays(1), 0));
    assertThrows(IllegalArgumentException.class, () -> new SessionLedger(store, Duration.ZERO, 1));
  }

  /** Delegates to a store but loses every compare-and-set. */
  private static final class LosingStore extends DelegatingStore {
    int attempts;

    LosingStore(StateStore delegate) {
      super(delegate);
    }

    @Override
    public @Nullable VersionedValue compareAndSet(
        String key, long expectedVersion, String value, Duration ttl) {
      attempts++;
      return null;
    }
  }

  /** Delegates to a store but holds each record read for a millisecond before answering. */
  private static final class SlowReadStore extends DelegatingStore {
    SlowReadStore(StateStore delegate) {
      super(delegate);
    }

    @Override
    public @Nullable VersionedValue read(String key) {
      VersionedValue v = super.read(key);
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return v;
    }
  }

  /** A store that passes every operation to another. */
  private abstract static class DelegatingStore implements StateStore {
    private final StateStore delegate;

    DelegatingStore(StateStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public @Nullable VersionedValue compareAndSet(
        String key, long expectedVersion, String value, Duration ttl) {
      return delegate.compareAndSet(key, expectedVersion, value, ttl);
    }

    @Override
    public @Nullable String claim(String key, Duration ttl) {
      return delegate.claim(key, ttl);
    }

    @Override
    public boolean claimAs(String key, String owner, Duration ttl) {
      return delegate.claimAs(key, owner, ttl);
    }

    @Override
    public boolean release(String key, String owner) {
      return delegate.release(key, owner);
    }

    @Override
    public @Nullable VersionedValue read(String key) {
      return delegate.read(key);
    }

    @Override
    public @Nullable VersionedValue create(String key, String value, Duration ttl) {
      return delegate.create(key, value, ttl);
    }

    @Override
    public boolean delete(String key, long expectedVersion) {
      return delegate.delete(key, expectedVersion);
    }

    @Override
    public io.mpp4j.store.CounterResult add(String key, long amount, long ceiling, Duration ttl) {
      return delegate.add(key, amount, ceiling, ttl);
    }

    @Override
    public long subtract(String key, long amount) {
      return delegate.subtract(key, amount);
    }

    @Override
    public long counter(String key) {
      return delegate.counter(key);
    }
  }
}
