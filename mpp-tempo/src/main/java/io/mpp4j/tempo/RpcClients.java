package io.mpp4j.tempo;

import io.mpp4j.tempo.rpc.TempoRpc;

/** Creates the JSON-RPC client a config describes. */
final class RpcClients {
  private RpcClients() {}

  static TempoRpc create(TempoConfig config) {
    throw new UnsupportedOperationException("pending merge of the JSON-RPC client");
  }
}
