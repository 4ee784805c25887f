package io.mpp4j.server.session;

import io.mpp4j.spi.PaymentMethod;
import io.mpp4j.spi.PaymentMethodException;
import io.mpp4j.spi.Verification;
import io.mpp4j.spi.VerificationContext;
import java.math.BigInteger;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The part of a {@code session} payment method that needs its chain or its cryptography; the
 * session handler of mpp-core does the rest (the check order, the ledger, metering, receipts,
 * settlement schedule). A {@link PaymentMethod} that serves the session intent implements this
 * interface too; Tempo's is in mpp-tempo.
 *
 * <p>Threading: one instance serves every request; implementations keep nothing per request or per
 * channel in fields (channel state lives in the {@link SessionLedger}).
 *
 * <p>Cost: {@link #parse} and {@link #verifyVoucher} are CPU only (no I/O); the other methods talk
 * to the chain and are bounded by the method's own timeouts. A metered request on an open channel
 * calls none of the chain methods.
 */
public interface SessionMethod {
  /**
   * Parses the credential's payload into its action: format and sizes checked (amounts are uint96,
   * a signature has the method's length, a transaction decodes), the descriptor's channel id
   * recomputed and compared with the one sent, and the payload's descriptor checked against the
   * offered request (payee = recipient, token = currency, escrow, chain, operator). No signature is
   * recovered and nothing is read from the chain.
   *
   * @return the action, or a refusal (402 {@code malformed-credential} or {@code
   *     verification-failed}, nothing paid)
   */
  ParsedAction parse(VerificationContext context);

  /**
   * Verifies a voucher's signature against the channel's signer as stored (taken from the chain at
   * open, never from the payload) and checks the credential's {@code source} against the channel
   * (SPEC 11.3). CPU only. The caller has already checked the format ({@link #parse}).
   *
   * @param channel the channel as stored
   * @param cumulativeAmount the voucher's cumulative amount
   * @param signature the voucher's signature
   * @param context the request's context (for the credential's {@code source})
   * @return null when valid, else the refusal ({@code session/invalid-signature}, {@code
   *     session/signer-mismatch}, ...), nothing paid
   */
  Verification.@Nullable Rejected verifyVoucher(
      ChannelState channel,
      BigInteger cumulativeAmount,
      byte[] signature,
      VerificationContext context);

  /**
   * Opens a channel: checks the open transaction against the offer (SPEC 4.6: its calls, the
   * descriptor, the payer it recovers to, the expiring nonce hash), co-signs it when sponsoring,
   * broadcasts it, verifies the {@code ChannelOpened} receipt, reads the channel and verifies the
   * initial voucher (at least the request's amount). Idempotent for one transaction: a transaction
   * that was already included is not sent again; its receipt is read.
   *
   * @return the channel to store: descriptor, deposit and settled from the chain, the initial
   *     voucher accepted, nothing spent; or a refusal
   * @throws PaymentMethodException when the chain failed (nothing is stored; the payer may retry)
   */
  OpenResult open(SessionAction.Open open, VerificationContext context)
      throws PaymentMethodException;

  /**
   * Tops a channel up: checks the transaction (a {@code topUp} of the stated amount on this
   * channel's descriptor), co-signs when sponsoring, broadcasts, verifies the receipt and reads the
   * channel again.
   *
   * @return the channel as the chain reports it after the top-up, or a refusal
   * @throws PaymentMethodException when the chain failed
   */
  ChainResult topUp(SessionAction.TopUp topUp, ChannelState channel, VerificationContext context)
      throws PaymentMethodException;

  /**
   * Reads the channel from the chain.
   *
   * @return the channel, or empty when the escrow has no such channel (closed or never opened)
   * @throws PaymentMethodException when the chain failed
   */
  Optional<OnChainChannel> read(ChannelState channel) throws PaymentMethodException;

  /**
   * Settles the channel's highest accepted voucher on chain (a transaction from the operator or
   * payee key), waiting for its receipt.
   *
   * @return the settlement transaction's hash
   * @throws PaymentMethodException when the chain failed or refused
   */
  String settle(ChannelState channel) throws PaymentMethodException;

  /**
   * Closes the channel cooperatively with its highest accepted voucher, capturing {@code capture}
   * (the caller passes {@code max(spent, settledOnChain)}, which is at most the voucher and the
   * deposit); the rest of the deposit returns to the payer. Waits for the receipt.
   *
   * @return the close transaction's hash
   * @throws PaymentMethodException when the chain failed or refused
   */
  String close(ChannelState channel, BigInteger capture) throws PaymentMethodException;

  /**
   * What {@link #parse} found.
   *
   * @param action the action, or null when refused
   * @param refusal why the payload was refused, or null
   */
  record ParsedAction(@Nullable SessionAction action, Verification.@Nullable Rejected refusal) {
    /** Exactly one of the two. */
    public ParsedAction {
      if ((action == null) == (refusal == null)) {
        throw new IllegalArgumentException("exactly one of action and refusal");
      }
    }

    /** A parsed action. */
    public static ParsedAction of(SessionAction action) {
      return new ParsedAction(action, null);
    }

    /** A refused payload. */
    public static ParsedAction refused(Verification.Rejected refusal) {
      return new ParsedAction(null, refusal);
    }
  }

  /**
   * What {@link #open} found.
   *
   * @param channel the channel to store, or null when refused
   * @param refusal why the open was refused, or null
   */
  record OpenResult(@Nullable ChannelState channel, Verification.@Nullable Rejected refusal) {
    /** Exactly one of the two. */
    public OpenResult {
      if ((channel == null) == (refusal == null)) {
        throw new IllegalArgumentException("exactly one of channel and refusal");
      }
    }
  }

  /**
   * What {@link #topUp} found.
   *
   * @param channel the channel as the chain reports it after the top-up, or null when refused
   * @param refusal why the top-up was refused, or null
   */
  record ChainResult(@Nullable OnChainChannel channel, Verification.@Nullable Rejected refusal) {
    /** Exactly one of the two. */
    public ChainResult {
      if ((channel == null) == (refusal == null)) {
        throw new IllegalArgumentException("exactly one of channel and refusal");
      }
    }
  }
}
