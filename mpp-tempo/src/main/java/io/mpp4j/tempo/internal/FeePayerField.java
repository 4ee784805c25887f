package io.mpp4j.tempo.internal;

import io.mpp4j.tempo.Address;
import java.util.Objects;

/**
 * Field 11 of a Tempo transaction ({@code feePayerSignatureOrSender}) in one of its four wire
 * forms.
 *
 * <p>Immutable and thread-safe.
 */
public sealed interface FeePayerField {

  /** {@code 0x80}: no fee payer; the sender pays its own fees. */
  record None() implements FeePayerField {}

  /** The single byte {@code 0x00}: legacy "awaiting fee payer" marker from older clients. */
  record AwaitingLegacy() implements FeePayerField {}

  /**
   * The 20-byte sender address inside a {@code 0x78} fee-payer handoff envelope. The address is a
   * claim until the sender signature is recovered and compared with it.
   *
   * @param sender the claimed sender
   */
  record Sender(Address sender) implements FeePayerField {
    /** Checks for null. */
    public Sender {
      Objects.requireNonNull(sender, "sender == null");
    }
  }

  /**
   * {@code [yParity, r, s]}: the fee payer has co-signed; the transaction is ready to broadcast.
   *
   * @param signature the fee payer's signature over the fee-payer signing hash
   */
  record Signed(Secp256k1Signature signature) implements FeePayerField {
    /** Checks for null. */
    public Signed {
      Objects.requireNonNull(signature, "signature == null");
    }
  }

  /** The {@link None} singleton value. */
  FeePayerField NONE = new None();

  /** The {@link AwaitingLegacy} singleton value. */
  FeePayerField AWAITING_LEGACY = new AwaitingLegacy();
}
