package io.mpp4j.tempo;

import io.mpp4j.tempo.rpc.TempoRpc;
import io.mpp4j.tempo.rpc.Web3jTempoRpc;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/** Creates the JSON-RPC client a config describes. */
final class RpcClients {
  private RpcClients() {}

  static TempoRpc create(TempoConfig config) {
    URI url = Objects.requireNonNull(config.rpcUrl(), "rpcUrl == null");
    Duration receipt = config.receiptTimeout();
    // The sync broadcast must leave time to poll within the receipt deadline.
    Duration sync = receipt.dividedBy(3);
    return Web3jTempoRpc.builder(url)
        .connectTimeout(config.connectTimeout())
        .callTimeout(config.callTimeout())
        .syncSendTimeout(sync.compareTo(Duration.ofSeconds(10)) < 0 ? sync : Duration.ofSeconds(10))
        .receiptTimeout(receipt)
        .build();
  }
}
