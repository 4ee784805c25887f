package io.mpp4j.server.session;

import static io.mpp4j.server.session.FakeSessionMethod.channel;
import static io.mpp4j.server.session.FakeSessionMethod.openPayload;
import static io.mpp4j.server.session.FakeSessionMethod.voucher;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpp4j.core.Challenge;
import io.mpp4j.core.Credential;
import io.mpp4j.core.Intent;
import io.mpp4j.core.PaymentRequirement;
import io.mpp4j.core.RequestView;
import io.mpp4j.core.binding.ChallengeSecret;
import io.mpp4j.core.problem.ProblemType;
import io.mpp4j.server.GateResult;
import io.mpp4j.server.PaymentGate;
import io.mpp4j.store.InMemoryStateStore;
import io.mpp4j.testing.ManualClock;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Settlement on a schedule, idle close, chain re-reads and the shutdown settlement. */
class SessionSettlerTest {
  static final String CH = channel(0x5e77);

  final ManualClock clock = new ManualClock();
  final InMemoryStateStore store = InMemoryStateStore.create(10_000, clock);
  final FakeSessionMethod method = new FakeSessionMethod();
  final SessionLedger ledger = new SessionLedger(store);
  final PaymentRequirement metered =
      PaymentRequirement.builder().intent(Intent.SESSION).amount("0.001").build();
  PaymentGate gate;
  Challenge challenge;

  @BeforeEach
  void setUp() {
    clock.now = Instant.parse("2026-12-08T01:00:00Z");
    gate =
        PaymentGate.builder()
            .realm("api.example.com")
            .secret(ChallengeSecret.of(SessionHandlerTest.SECRET))
            .clock(clock)
            .store(store)
            .method(method)
            .build();
    RequestView view = RequestView.builder().method("GET").path("/m").build();
    challenge = ((GateResult.PaymentRequired) gate.evaluate(metered, view)).challenges().get(0);
  }

  GateResult send(String httpMethod, Map<String, Object> payload) {
    String header = Credential.of(challenge, payload, null).toHeaderValue();
    RequestView view =
        RequestView.builder().method(httpMethod).path("/m").header("Authorization", header).build();
    return gate.evaluate(metered, view);
  }

  SessionSettler settler(SessionOptions options) {
    return new SessionSettler(store, Map.of(FakeSessionMethod.NAME, method), options, clock);
  }

  /** Opens {@link #CH} with a voucher of {@code voucher} and spends {@code requests} units. */
  void openAndSpend(long voucher, int requests) {
    assertInstanceOf(
        GateResult.Acknowledged.class, send("POST", openPayload(CH, 1_000_000, voucher)));
    for (int i = 0; i < requests; i++) {
      assertInstanceOf(GateResult.Paid.class, send("GET", voucher(CH, voucher)));
    }
  }

  ChannelState state() {
    return java.util.Objects.requireNonNull(ledger.read(CH));
  }

  @Test
  void openedChannelsAreIndexedInTheStore() {
    openAndSpend(2000, 0);
    assertEquals(
        List.of(new ChannelIndex.Entry(CH, FakeSessionMethod.NAME)), new ChannelIndex(store).all());
  }

  @Test
  void aFullySpentChannelIsSettledOnceAndMarkedSettled() {
    openAndSpend(2000, 2);
    SessionSettler s = settler(SessionOptions.defaults());
    assertEquals(1, s.runOnce());
    assertEquals(1, method.settles.get());
    assertEquals(BigInteger.valueOf(2000), state().settledOnChain());
    assertEquals(0, s.runOnce());
    assertEquals(1, method.settles.get());
  }

  @Test
  void aChannelWhoseVoucherIsAheadOfConsumptionIsNotSettled() {
    openAndSpend(5000, 2);
    assertEquals(0, settler(SessionOptions.defaults()).runOnce());
    assertEquals(0, method.settles.get());
    assertEquals(BigInteger.ZERO, state().settledOnChain());
  }

  @Test
  void belowTheThresholdNothingIsSettledUntilItIsReached() {
    openAndSpend(2000, 2);
    SessionSettler s =
        settler(SessionOptions.defaults().withSettleThreshold(BigInteger.valueOf(3000)));
    assertEquals(0, s.runOnce());
    assertInstanceOf(GateResult.Acknowledged.class, send("POST", voucher(CH, 3000)));
    assertInstanceOf(GateResult.Paid.class, send("GET", voucher(CH, 3000)));
    assertEquals(1, s.runOnce());
    assertEquals(BigInteger.valueOf(3000), state().settledOnChain());
  }

  @Test
  void anIdleChannelIsClosedCapturingWhatWasSpent() {
    openAndSpend(5000, 3);
    SessionSettler s = settler(SessionOptions.defaults());
    clock.advance(Duration.ofDays(29));
    s.runOnce();
    assertEquals(0, method.closes.get());
    clock.advance(Duration.ofDays(1).plusSeconds(1));
    assertEquals(1, s.runOnce());
    assertEquals(BigInteger.valueOf(3000), method.captured.get(CH));
    assertTrue(state().closed());
    assertTrue(new ChannelIndex(store).all().isEmpty());
    RequestView view = RequestView.builder().method("GET").path("/m").build();
    challenge = ((GateResult.PaymentRequired) gate.evaluate(metered, view)).challenges().get(0);
    SessionHandlerTest.rejected(
        send("GET", voucher(CH, 5000)), ProblemType.SESSION_CHANNEL_FINALIZED);
  }

  @Test
  void aChannelGoneFromTheChainIsForgottenAndAnswers410ChannelNotFound() {
    openAndSpend(5000, 1);
    method.chain.remove(CH);
    settler(SessionOptions.defaults()).runOnce();
    assertNull(ledger.read(CH));
    SessionHandlerTest.rejected(
        send("GET", voucher(CH, 5000)), ProblemType.SESSION_CHANNEL_NOT_FOUND);
  }

  @Test
  void aCloseRequestOnChainStopsService() {
    openAndSpend(5000, 1);
    method.requestCloseOnChain(CH, Instant.parse("2026-12-08T01:00:05Z"));
    settler(SessionOptions.defaults()).runOnce();
    assertTrue(state().closeRequested());
    SessionHandlerTest.rejected(
        send("GET", voucher(CH, 5000)), ProblemType.SESSION_CHANNEL_FINALIZED);
  }

  @Test
  void aHigherDepositOnChainIsRecordedAndReReadsFollowTheInterval() {
    openAndSpend(5000, 0);
    SessionSettler s = settler(SessionOptions.defaults());
    s.runOnce();
    assertEquals(1, method.reads.get());
    method.chain.put(CH, new OnChainChannel(BigInteger.valueOf(3_000_000), BigInteger.ZERO, null));
    s.runOnce();
    assertEquals(1, method.reads.get(), "not before the re-read interval");
    clock.advance(SessionOptions.DEFAULT_REREAD_INTERVAL);
    s.runOnce();
    assertEquals(2, method.reads.get());
    assertEquals(BigInteger.valueOf(3_000_000), state().deposit());
  }

  @Test
  void aChainOutageIsRetriedOnTheNextRun() {
    openAndSpend(2000, 2);
    SessionSettler s = settler(SessionOptions.defaults());
    method.chainDown = true;
    assertEquals(0, s.runOnce());
    method.chainDown = false;
    clock.advance(SessionOptions.DEFAULT_REREAD_INTERVAL);
    assertEquals(1, s.runOnce());
    assertEquals(BigInteger.valueOf(2000), state().settledOnChain());
  }

  @Test
  void shutdownSettlesWhatIsOwedEvenBelowTheThreshold() {
    openAndSpend(2000, 2);
    SessionSettler s =
        settler(SessionOptions.defaults().withSettleThreshold(BigInteger.valueOf(1_000_000)));
    s.start();
    s.close();
    assertEquals(1, method.settles.get());
    assertEquals(BigInteger.valueOf(2000), state().settledOnChain());
  }

  @Test
  void theScheduleRunsOnItsOwnThread() throws Exception {
    openAndSpend(2000, 2);
    SessionSettler s = settler(SessionOptions.defaults().withSettleInterval(Duration.ofSeconds(1)));
    s.start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (method.settles.get() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertEquals(1, method.settles.get());
    } finally {
      s.close();
    }
    assertEquals(1, method.settles.get());
  }

  @Test
  void twoSettlersOnOneStoreNeverSettleAChannelTwice() throws Exception {
    openAndSpend(2000, 2);
    SessionSettler a = settler(SessionOptions.defaults());
    SessionSettler b = settler(SessionOptions.defaults());
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      CountDownLatch go = new CountDownLatch(1);
      Future<Integer> fa =
          pool.submit(
              () -> {
                go.await();
                return a.runOnce();
              });
      Future<Integer> fb =
          pool.submit(
              () -> {
                go.await();
                return b.runOnce();
              });
      go.countDown();
      assertEquals(1, fa.get(10, TimeUnit.SECONDS) + fb.get(10, TimeUnit.SECONDS));
    } finally {
      pool.shutdownNow();
      assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }
    assertEquals(1, method.settles.get());
    assertEquals(1, method.maxConcurrentSettles.get());
  }

  @Test
  void theIndexKeepsManyChannelsAcrossPagesAndReusesFreedSlots() throws Exception {
    ChannelIndex index = new ChannelIndex(store);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> adds = new java.util.ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int base = t * 60;
        adds.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 60; i++) {
                    index.add(channel(1000 + base + i), "fake");
                  }
                }));
      }
      for (Future<?> f : adds) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
      assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }
    assertEquals(240, index.all().size());
    assertEquals(240, index.all().stream().map(ChannelIndex.Entry::channelId).distinct().count());
    index.add(channel(1000), "fake");
    assertEquals(240, index.all().size(), "an id already present is not added twice");
    index.remove(channel(1005));
    assertFalse(index.all().contains(new ChannelIndex.Entry(channel(1005), "fake")));
    index.add(channel(5000), "fake");
    assertEquals(240, index.all().size());
    assertTrue(store.read(ChannelIndex.KEY_PREFIX + "3") == null, "freed slot reused");
  }
}
