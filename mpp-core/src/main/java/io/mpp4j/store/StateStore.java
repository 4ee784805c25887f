package io.mpp4j.store;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Shared state with time-to-live: the seam behind single use, payment sessions, idempotent replay
 * and spend limits. It holds three kinds of entry, each in its own key space (the same key string
 * may name a claim, a record and a counter at once, independently):
 *
 * <ul>
 *   <li><b>claims</b>: a key held by one owner until it is released by that owner or expires. A
 *       payment is settled only by the caller that won the claim on its replay key (a challenge id,
 *       a transaction hash, a token), so it is never settled twice, also under concurrency;
 *   <li><b>records</b>: a small versioned value (a channel's state, an idempotency entry) read and
 *       changed by compare-and-set;
 *   <li><b>counters</b>: a non-negative number that grows only while it stays at or below a ceiling
 *       (spend reservations against a limit).
 * </ul>
 *
 * <p><b>Atomicity.</b> Every operation touches exactly one key and is atomic and linearizable: a
 * check and the update it decides happen as one step, with no window for another caller in between,
 * also across the server instances that share the store. A Redis implementation runs each as one
 * command or one Lua script on that one key ({@code SET NX PX} for a claim, a script for the
 * compare-and-delete, compare-and-set and ceiling checks), so one round trip per operation and
 * nothing that spans Redis Cluster slots; an implementation that keeps auxiliary keys per entry
 * puts them under the entry key's hash tag.
 *
 * <p><b>Time-to-live.</b> Every write takes a positive TTL; the entry lives while {@code now <
 * written + ttl} by the store's clock and is gone (absent for every operation) from then on. TTLs
 * below a millisecond count as one millisecond; TTLs above {@link #MAX_TTL} are shortened to it.
 * Expired entries hold no capacity for long: a store removes them without scanning its live
 * entries.
 *
 * <p><b>Failures.</b> {@link StoreUnavailableException} means the store could not answer
 * (unreachable, timed out, full) and nothing can be assumed about the operation's outcome beyond
 * what its documentation says: callers fail closed (refuse the payment, keep a claim, treat a
 * record as unknown). A store that is full refuses operations that would add an entry with that
 * exception and never evicts a live entry to make room (that could let a payment be settled twice);
 * operations on existing entries and removals still work. {@link IllegalArgumentException} and
 * {@link NullPointerException} mean a programming error in the arguments.
 *
 * <p>Keys and values are caller data: never put a credential, token or secret in one (hash it
 * first). The one exception is a session channel's highest voucher signature, which the server must
 * keep to settle and close the channel ({@code io.mpp4j.server.session.ChannelState}); a store must
 * therefore never log values and must be as protected as the server's own data. Implementations are
 * thread-safe. Deployments with several server instances must share one store; {@link
 * InMemoryStateStore} protects one JVM only. {@code StateStoreContract} in mpp-core's test-jar is
 * the contract every implementation must pass.
 */
public interface StateStore {
  /** The longest TTL a store must honour; longer ones are shortened to it. */
  Duration MAX_TTL = Duration.ofDays(3650);

  /** The longest key, in chars. */
  int MAX_KEY_LENGTH = 512;

  /** The longest owner token or record value, in chars. */
  int MAX_VALUE_LENGTH = 8192;

  // ---- claims ----

  /**
   * Atomically claims {@code key} for {@code ttl} if nobody holds it, under a new owner token the
   * store makes (unique for the store's lifetime, also across instances sharing it).
   *
   * @return the owner token that {@link #release} needs, or null when the key is held (by anyone,
   *     whatever the owner) and unexpired
   * @throws StoreUnavailableException when the store cannot answer or is full; the key may or may
   *     not be claimed (it then expires with the TTL): callers fail closed
   */
  @Nullable String claim(String key, Duration ttl);

  /**
   * Atomically claims {@code key} for {@code ttl} under an owner the caller names, if nobody holds
   * it. For a claim that a later call (another request of the same attempt) may release: the owner
   * is then derived from what both calls know, and must not be guessable from the key alone by
   * another party that shares the store. A claim is not reentrant: it fails while held, also by the
   * same owner.
   *
   * @param owner the owner token, 1 to {@link #MAX_VALUE_LENGTH} chars
   * @return true when this call claimed the key, false when it is held and unexpired
   * @throws StoreUnavailableException when the store cannot answer or is full; callers fail closed
   */
  boolean claimAs(String key, String owner, Duration ttl);

  /**
   * Atomically releases {@code key} if {@code owner} holds it, so the key can be claimed again (for
   * example when nothing was sent to the payment network). A release with another owner's token, a
   * stale token (the claim expired and someone else claimed the key since) or for a key nobody
   * holds changes nothing.
   *
   * @return true when this call released the claim, false when it changed nothing
   * @throws StoreUnavailableException when the store cannot answer; the claim may still be held and
   *     then expires with its TTL
   */
  boolean release(String key, String owner);

  // ---- records ----

  /**
   * Reads the record at {@code key}.
   *
   * @return its value and version, or null when there is none (never written, deleted or expired)
   * @throws StoreUnavailableException when the store cannot answer
   */
  @Nullable VersionedValue read(String key);

  /**
   * Atomically creates the record at {@code key} if there is none, with a TTL of {@code ttl}.
   *
   * @param value the value, at most {@link #MAX_VALUE_LENGTH} chars
   * @return the record as written, or null when a live record exists (unchanged)
   * @throws StoreUnavailableException when the store cannot answer or is full; the record may or
   *     may not exist
   */
  @Nullable VersionedValue create(String key, String value, Duration ttl);

  /**
   * Atomically replaces the record at {@code key} if its version is {@code expectedVersion}; the
   * TTL starts again at {@code ttl}. Versions grow strictly with every successful write of a key,
   * also across a delete or expiry and a new {@link #create}, so a version read once never matches
   * a later state of the key (no ABA).
   *
   * @return the record as written, with a greater version, or null when the record is absent or at
   *     another version (unchanged; read it again)
   * @throws StoreUnavailableException when the store cannot answer; the write may or may not have
   *     happened
   */
  @Nullable VersionedValue compareAndSet(
      String key, long expectedVersion, String value, Duration ttl);

  /**
   * Atomically deletes the record at {@code key} if its version is {@code expectedVersion}.
   *
   * @return true when this call deleted it, false when it is absent or at another version
   * @throws StoreUnavailableException when the store cannot answer
   */
  boolean delete(String key, long expectedVersion);

  // ---- counters ----

  /**
   * Atomically adds {@code amount} to the counter at {@code key} if the result stays at or below
   * {@code ceiling}; otherwise changes nothing. An absent counter counts as zero and is created by
   * the first accepted add with a TTL of {@code ttl}; later adds and subtractions keep that expiry
   * (a fixed window, as a spend limit per period needs). A refused add creates nothing.
   *
   * @param amount a positive amount
   * @param ceiling the largest value allowed, zero or more
   * @return whether the add was accepted, and the counter's value after it (when accepted) or as it
   *     stands (when refused)
   * @throws StoreUnavailableException when the store cannot answer, or is full and the counter is
   *     absent; the add may or may not have happened: callers fail closed (refuse the spend)
   */
  CounterResult add(String key, long amount, long ceiling, Duration ttl);

  /**
   * Atomically subtracts {@code amount} from the counter at {@code key} (releases a reservation),
   * never below zero. A counter that reaches zero is removed, so it holds no capacity; an absent
   * counter stays absent.
   *
   * @param amount a positive amount
   * @return the counter's value after the subtraction, zero when absent
   * @throws StoreUnavailableException when the store cannot answer; the subtraction may or may not
   *     have happened (the reservation then lapses with the counter's TTL)
   */
  long subtract(String key, long amount);

  /**
   * Reads the counter at {@code key}.
   *
   * @return its value, zero when absent or expired
   * @throws StoreUnavailableException when the store cannot answer
   */
  long counter(String key);
}
