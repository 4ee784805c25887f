package io.mpp4j.server.session;

import java.math.BigInteger;
import java.util.Objects;

/**
 * One session credential's action (SPEC 4.5), as a {@link SessionMethod} parsed it from the
 * credential's payload: format checked, channel id recomputed from the descriptor and equal to the
 * one sent, nothing verified against the chain or a signature yet.
 *
 * <p>Amounts are base units (uint96). Signatures and transactions are raw bytes; they are secrets
 * of a kind (a voucher lets the payee settle) and never logged, so the records' {@code toString}
 * leaves them out.
 */
// The byte-array components are copied in and out; the records are never compared or hashed.
@SuppressWarnings("ArrayRecordComponent")
public sealed interface SessionAction {
  /** The channel the action is about: {@code 0x} and 64 lowercase hex digits. */
  String channelId();

  /**
   * {@code open}: a signed transaction opening the channel, and the initial voucher.
   *
   * @param channelId the channel id recomputed from the descriptor and the transaction
   * @param descriptor the channel as the method will store it (deposit, settled and the accounting
   *     are zero until the channel is read from the chain)
   * @param transaction the signed open transaction, as sent
   * @param cumulativeAmount the initial voucher's cumulative amount
   * @param signature the initial voucher's signature
   */
  record Open(
      String channelId,
      ChannelState descriptor,
      byte[] transaction,
      BigInteger cumulativeAmount,
      byte[] signature)
      implements SessionAction {
    /** Checks the components. */
    public Open {
      Objects.requireNonNull(channelId, "channelId == null");
      Objects.requireNonNull(descriptor, "descriptor == null");
      transaction = transaction.clone();
      Objects.requireNonNull(cumulativeAmount, "cumulativeAmount == null");
      signature = signature.clone();
    }

    @Override
    public byte[] transaction() {
      return transaction.clone();
    }

    @Override
    public byte[] signature() {
      return signature.clone();
    }

    @Override
    public String toString() {
      return "Open{channelId=" + channelId + ", cumulativeAmount=" + cumulativeAmount + "}";
    }
  }

  /**
   * {@code topUp}: a signed transaction adding to the channel's deposit.
   *
   * @param channelId the channel
   * @param transaction the signed top-up transaction, as sent
   * @param additionalDeposit the amount the payer says it adds (checked against the transaction)
   */
  record TopUp(String channelId, byte[] transaction, BigInteger additionalDeposit)
      implements SessionAction {
    /** Checks the components. */
    public TopUp {
      Objects.requireNonNull(channelId, "channelId == null");
      transaction = transaction.clone();
      Objects.requireNonNull(additionalDeposit, "additionalDeposit == null");
    }

    @Override
    public byte[] transaction() {
      return transaction.clone();
    }

    @Override
    public String toString() {
      return "TopUp{channelId=" + channelId + ", additionalDeposit=" + additionalDeposit + "}";
    }
  }

  /**
   * {@code voucher}: a cumulative voucher.
   *
   * @param channelId the channel
   * @param cumulativeAmount the voucher's cumulative amount
   * @param signature the voucher's signature
   */
  record Voucher(String channelId, BigInteger cumulativeAmount, byte[] signature)
      implements SessionAction {
    /** Checks the components. */
    public Voucher {
      Objects.requireNonNull(channelId, "channelId == null");
      Objects.requireNonNull(cumulativeAmount, "cumulativeAmount == null");
      signature = signature.clone();
    }

    @Override
    public byte[] signature() {
      return signature.clone();
    }

    @Override
    public String toString() {
      return "Voucher{channelId=" + channelId + ", cumulativeAmount=" + cumulativeAmount + "}";
    }
  }

  /**
   * {@code close}: the payer asks the server to close the channel cooperatively, with its final
   * voucher.
   *
   * @param channelId the channel
   * @param cumulativeAmount the final voucher's cumulative amount
   * @param signature the final voucher's signature
   */
  record Close(String channelId, BigInteger cumulativeAmount, byte[] signature)
      implements SessionAction {
    /** Checks the components. */
    public Close {
      Objects.requireNonNull(channelId, "channelId == null");
      Objects.requireNonNull(cumulativeAmount, "cumulativeAmount == null");
      signature = signature.clone();
    }

    @Override
    public byte[] signature() {
      return signature.clone();
    }

    @Override
    public String toString() {
      return "Close{channelId=" + channelId + ", cumulativeAmount=" + cumulativeAmount + "}";
    }
  }
}
