package io.mpp4j.tempo.internal;

import io.mpp4j.tempo.Address;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A TIP-20 {@code Transfer} or {@code TransferWithMemo} event read from a receipt log. {@code
 * from}, {@code to} (and {@code memo}) are indexed topics; the amount is the 32-byte data.
 *
 * <p>Receipts also carry a fee {@code Transfer} to {@link #FEE_MANAGER}, often on the payment token
 * itself: match on (token, from, to, amount, memo) with {@link #matches}, never by counting logs.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * Optional<Tip20Transfer> t = Tip20Transfer.fromLog(logIndex, emitter, topics, data);
 * }</pre>
 *
 * @param logIndex the log's index in the receipt
 * @param token the emitting contract
 * @param from the sender
 * @param to the recipient
 * @param amount the amount in base units
 * @param memo the memo of a {@code TransferWithMemo} (copied), or {@code null}
 */
// equals and hashCode below compare the array's contents.
@SuppressWarnings("ArrayRecordComponent")
public record Tip20Transfer(
    long logIndex,
    Address token,
    Address from,
    Address to,
    BigInteger amount,
    byte @Nullable [] memo) {

  /** topic0 of {@code Transfer(address,address,uint256)}. */
  public static final String TRANSFER_TOPIC =
      "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";

  /** topic0 of {@code TransferWithMemo(address,address,uint256,bytes32)}. */
  public static final String TRANSFER_WITH_MEMO_TOPIC =
      "0x57bc7354aa85aed339e000bccffabbc529466af35f0772c8f8ee1145927de7f0";

  /** The fee manager that receives the fee {@code Transfer} in every receipt. */
  public static final String FEE_MANAGER = "0xfeec000000000000000000000000000000000000";

  /** Validates and copies. */
  public Tip20Transfer {
    Objects.requireNonNull(token, "token == null");
    Objects.requireNonNull(from, "from == null");
    Objects.requireNonNull(to, "to == null");
    Objects.requireNonNull(amount, "amount == null");
    if (memo != null) {
      if (memo.length != 32) {
        throw new IllegalArgumentException("memo must be 32 bytes, but was " + memo.length);
      }
      memo = memo.clone();
    }
  }

  /**
   * Reads a log.
   *
   * @return the transfer, or empty if the log is not a well-formed {@code Transfer} or {@code
   *     TransferWithMemo} (wrong topic0, topic count, data length or address padding)
   */
  public static Optional<Tip20Transfer> fromLog(
      long logIndex, Address emitter, List<byte[]> topics, byte[] data) {
    Objects.requireNonNull(emitter, "emitter == null");
    Objects.requireNonNull(topics, "topics == null");
    Objects.requireNonNull(data, "data == null");
    if (topics.isEmpty() || data.length != 32) {
      return Optional.empty();
    }
    String topic0 = Hex.encode(topics.get(0));
    int expectedTopics;
    if (topic0.equals(TRANSFER_TOPIC)) {
      expectedTopics = 3;
    } else if (topic0.equals(TRANSFER_WITH_MEMO_TOPIC)) {
      expectedTopics = 4;
    } else {
      return Optional.empty();
    }
    if (topics.size() != expectedTopics) {
      return Optional.empty();
    }
    Address from = topicAddress(topics.get(1));
    Address to = topicAddress(topics.get(2));
    if (from == null || to == null) {
      return Optional.empty();
    }
    byte[] memo = null;
    if (expectedTopics == 4) {
      memo = topics.get(3);
      if (memo.length != 32) {
        return Optional.empty();
      }
    }
    return Optional.of(
        new Tip20Transfer(logIndex, emitter, from, to, new BigInteger(1, data), memo));
  }

  private static @Nullable Address topicAddress(byte[] topic) {
    if (topic.length != 32) {
      return null;
    }
    for (int i = 0; i < 12; i++) {
      if (topic[i] != 0) {
        return null;
      }
    }
    return Address.of(Arrays.copyOfRange(topic, 12, 32));
  }

  /**
   * Merges each {@code Transfer} immediately followed (at the next log index) by a {@code
   * TransferWithMemo} with the same token, from, to and amount into the single memo transfer.
   *
   * @param transfers transfers in log order
   */
  public static List<Tip20Transfer> collapseMemoPairs(List<Tip20Transfer> transfers) {
    List<Tip20Transfer> out = new ArrayList<>(transfers.size());
    for (int i = 0; i < transfers.size(); i++) {
      Tip20Transfer t = transfers.get(i);
      if (t.memo == null && i + 1 < transfers.size()) {
        Tip20Transfer next = transfers.get(i + 1);
        if (next.memo != null
            && next.logIndex == t.logIndex + 1
            && next.token.equals(t.token)
            && next.from.equals(t.from)
            && next.to.equals(t.to)
            && next.amount.equals(t.amount)) {
          continue; // the memo event that follows stands for both
        }
      }
      out.add(t);
    }
    return List.copyOf(out);
  }

  /**
   * True if this transfer moved {@code amount} of {@code token} from {@code from} to {@code to}
   * and, when {@code memo} is non-null, carried exactly that memo.
   */
  public boolean matches(
      Address token, Address from, Address to, BigInteger amount, byte @Nullable [] memo) {
    return this.token.equals(token)
        && this.from.equals(from)
        && this.to.equals(to)
        && this.amount.equals(amount)
        && (memo == null || (this.memo != null && Arrays.equals(this.memo, memo)));
  }

  /** A copy of the memo, or {@code null}. */
  @Override
  public byte @Nullable [] memo() {
    return memo == null ? null : memo.clone();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Tip20Transfer t
        && logIndex == t.logIndex
        && token.equals(t.token)
        && from.equals(t.from)
        && to.equals(t.to)
        && amount.equals(t.amount)
        && Arrays.equals(memo, t.memo);
  }

  @Override
  public int hashCode() {
    return Objects.hash(logIndex, token, from, to, amount, Arrays.hashCode(memo));
  }
}
