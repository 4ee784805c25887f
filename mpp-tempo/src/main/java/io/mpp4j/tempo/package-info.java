/**
 * Building blocks of the {@code tempo} payment method: the Tempo transaction ({@code 0x76}) and
 * fee-payer handoff ({@code 0x78}) codec with its signing hashes, secp256k1 signatures and sender
 * recovery, the MPP attribution memo, and TIP-20 call and log decoding.
 *
 * <p>Every type and member here is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.mpp4j.tempo;

import org.jspecify.annotations.NullMarked;
