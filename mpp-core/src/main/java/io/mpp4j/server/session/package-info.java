/**
 * Per-channel accounting of payment sessions (SPEC 4.7): {@link
 * io.mpp4j.server.session.ChannelState}, one channel's state with its strict record encoding, and
 * {@link io.mpp4j.server.session.SessionLedger}, which opens channels, accepts vouchers, charges,
 * records settlements and close requests over a {@link io.mpp4j.store.StateStore} with
 * compare-and-set, linearizably per channel.
 *
 * <p>Every type and member here is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.mpp4j.server.session;

import org.jspecify.annotations.NullMarked;
