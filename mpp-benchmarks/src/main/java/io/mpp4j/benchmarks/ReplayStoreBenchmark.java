package io.mpp4j.benchmarks;

import io.mpp4j.server.PaymentGate;
import io.mpp4j.store.InMemoryReplayStore;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link InMemoryReplayStore#tryClaim} with a fresh key on every call, the store work the gate does
 * once per paid request (and which {@link CredentialVerificationBenchmark} leaves out).
 *
 * <p>Keys look like the gate's claim keys ({@code mpp:challenge:} and about 43 more characters) and
 * are made from a counter, so every claim is new and wins. Building the key is part of {@link
 * #tryClaimFreshKey}; {@link #buildKeyOnly} measures that part alone so it can be subtracted.
 *
 * <p>The store has room for {@value #MAX_ENTRIES} claims and is replaced by an empty one before
 * every iteration. Claims live for minutes, so without a reset the store would fill up across
 * iterations (about 1.4 million claims per one-second iteration on a 2-core machine) and eventually
 * refuse claims. Resetting every iteration also keeps the map size comparable between iterations:
 * each one measures claims into a map growing from empty to a few million entries, including the
 * map's resizing and the garbage collector copying the live claims.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(1)
@State(Scope.Thread)
public class ReplayStoreBenchmark {
  /** Store capacity. */
  static final int MAX_ENTRIES = 10_000_000;

  /** A claim lifetime like the gate's: challenge TTL plus grace. */
  private static final Duration TTL =
      PaymentGate.DEFAULT_CHALLENGE_TTL.plus(PaymentGate.CLAIM_GRACE);

  /** {@code mpp:challenge:} plus a 24-character id stem; the counter adds the rest. */
  private static final String KEY_PREFIX = "mpp:challenge:Zb3kQ9xW1nT7vLp2RcYe5HsJ-";

  private InMemoryReplayStore store;
  private long counter = 1_000_000_000_000_000L;

  @Setup(Level.Iteration)
  public void newStore() {
    store = InMemoryReplayStore.create(MAX_ENTRIES, Clock.systemUTC());
  }

  /** One winning claim on a key never seen before. */
  @Benchmark
  public boolean tryClaimFreshKey() {
    return store.tryClaim(KEY_PREFIX + counter++, TTL);
  }

  /** Baseline: building the key alone. */
  @Benchmark
  public String buildKeyOnly() {
    return KEY_PREFIX + counter++;
  }
}
