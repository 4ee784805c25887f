package io.mpp4j.server.session;

import io.mpp4j.core.Receipt;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The session receipt (SPEC 4.7): {@code method}, {@code intent} {@code session}, {@code status},
 * {@code timestamp}, {@code reference} = the channel id, {@code challengeId}, {@code channelId},
 * {@code acceptedCumulative} and {@code spent} (decimal strings), {@code units} (a number: the
 * units charged on the channel) and, after a settlement or close, {@code txHash}.
 */
final class SessionReceipts {
  private SessionReceipts() {}

  static Receipt of(
      String method, String challengeId, ChannelState state, Instant now, @Nullable String txHash) {
    Receipt r =
        Receipt.success(method, state.channelId(), now)
            .with("intent", "session")
            .with("challengeId", challengeId)
            .with("channelId", state.channelId())
            .with("acceptedCumulative", state.acceptedCumulative().toString())
            .with("spent", state.spent().toString())
            .with("units", state.units());
    return txHash == null ? r : r.with("txHash", txHash);
  }
}
