/**
 * Implementation details of mpp-tempo: a strict RLP codec, keccak-256, secp256k1 recovery and
 * signing, and the Tempo transaction codec. Not an API: anything here may change without notice.
 *
 * <p>Every type and member here is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.mpp4j.tempo.internal;

import org.jspecify.annotations.NullMarked;
