package io.mpp4j.test;

import java.math.BigInteger;
import java.util.Objects;

/**
 * What one settle or close of the mock session method moved on its simulated chain, recorded by
 * {@link MockPaymentMethod} ({@link MockPaymentMethod#settlements()}, {@link
 * MockPaymentMethod#takeSettlement}).
 *
 * <p>Immutable and thread-safe.
 *
 * @param channelId the channel
 * @param kind settle or close
 * @param cumulativeAmount the voucher it was sent with
 * @param paid what this transaction moved to the payee
 * @param totalSettled what the payee holds from the channel after it (for a close: the capture)
 * @param refunded what returned to the payer (a close's {@code deposit − capture}; zero for a
 *     settle)
 * @param txHash the transaction's hash, as the receipt carries it
 */
public record MockSettlement(
    String channelId,
    Kind kind,
    BigInteger cumulativeAmount,
    BigInteger paid,
    BigInteger totalSettled,
    BigInteger refunded,
    String txHash) {

  /** Which operator transaction. */
  public enum Kind {
    /** {@code settle}: the highest voucher settled, the channel stays open. */
    SETTLE,
    /** {@code close}: the capture settled, the rest refunded, the channel gone. */
    CLOSE
  }

  /** Checks the components. */
  public MockSettlement {
    Objects.requireNonNull(channelId, "channelId == null");
    Objects.requireNonNull(kind, "kind == null");
    Objects.requireNonNull(cumulativeAmount, "cumulativeAmount == null");
    Objects.requireNonNull(paid, "paid == null");
    Objects.requireNonNull(totalSettled, "totalSettled == null");
    Objects.requireNonNull(refunded, "refunded == null");
    Objects.requireNonNull(txHash, "txHash == null");
  }
}
