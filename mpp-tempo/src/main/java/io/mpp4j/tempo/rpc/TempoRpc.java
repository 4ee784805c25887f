package io.mpp4j.tempo.rpc;

import java.util.Optional;

/**
 * The JSON-RPC calls the {@code tempo} payment method makes. Every call is bounded in time;
 * failures are {@link TempoRpcException}s that say whether the transaction may have reached the
 * node, never carrying the node's own error text.
 *
 * <p>Implementations are thread-safe.
 */
public interface TempoRpc extends AutoCloseable {

  /**
   * Broadcasts a signed transaction and waits for its receipt. With a node that offers {@code
   * eth_sendRawTransactionSync} this is one round trip; otherwise (method not found, or the sync
   * call timed out) it falls back to {@code eth_sendRawTransaction} and/or polling {@code
   * eth_getTransactionReceipt} with a bounded backoff.
   *
   * @param rawTx the canonical signed transaction bytes (0x76 ...)
   * @param txHash the locally computed hash (0x + 64 lowercase hex), used to poll
   * @return the mined receipt; its hash is checked by the caller
   * @throws TempoRpcException on any failure; {@link TempoRpcException#maybeSent()} tells whether
   *     the node may have accepted the transaction
   */
  TransactionReceipt sendAndWait(byte[] rawTx, String txHash) throws TempoRpcException;

  /**
   * {@code eth_getTransactionReceipt}.
   *
   * @return the receipt, or empty when the node knows no mined transaction with this hash
   */
  Optional<TransactionReceipt> receipt(String txHash) throws TempoRpcException;

  /** {@code eth_chainId}. */
  long chainId() throws TempoRpcException;

  /** Releases the HTTP resources. */
  @Override
  void close();
}
