/**
 * The cryptography of Tempo sessions, {@code sessionProtocol} v2 (the TIP-1034 channel reserve):
 * the channel descriptor and its {@code channelId}, the {@code expiringNonceHash} of an open
 * transaction, the EIP-712 voucher digest and strict voucher signatures (SPEC 4.3, 4.4, 11.3). Not
 * an API, and not exported: anything here may change without notice.
 *
 * <p>Every type and member here is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.mpp4j.tempo.internal.session;

import org.jspecify.annotations.NullMarked;
