/**
 * Payment sessions (SPEC 4.5 to 4.7): the method-neutral engine of the {@code session} intent.
 *
 * <ul>
 *   <li>{@link io.mpp4j.server.session.SessionHandler}: the intent's handler (open, voucher, topUp,
 *       close; SPEC 11.3's check order on the stored state; the voucher rate limit; management
 *       requests; metering by request, by reported units and per streamed event);
 *   <li>{@link io.mpp4j.server.session.SessionMethod}: what a payment method implements for the
 *       chain and the signatures (Tempo's is in mpp-tempo);
 *   <li>{@link io.mpp4j.server.session.ChannelState} and {@link
 *       io.mpp4j.server.session.SessionLedger}: one channel's state with its strict record
 *       encoding, kept in a {@link io.mpp4j.store.StateStore} with compare-and-set, linearizably
 *       per channel;
 *   <li>{@link io.mpp4j.server.session.ChannelIndex} and {@link
 *       io.mpp4j.server.session.SessionSettler}: the open channels in the store, and their
 *       settlement on a schedule, idle close, chain re-reads and the settlement at shutdown;
 *   <li>{@link io.mpp4j.server.session.SessionOptions}: the policy.
 * </ul>
 *
 * <p>Every type and member here is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.mpp4j.server.session;

import org.jspecify.annotations.NullMarked;
