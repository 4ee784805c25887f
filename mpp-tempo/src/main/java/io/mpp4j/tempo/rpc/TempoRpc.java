package io.mpp4j.tempo.rpc;

import io.mpp4j.tempo.Address;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

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
   * @return the mined receipt, whose hash has been checked to equal {@code txHash}
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

  /**
   * {@code eth_call} against the latest block, for example a TIP-20 {@code balanceOf} or a
   * simulation of one call.
   *
   * @param from the caller, or null for the node's default
   * @param to the contract
   * @param data the call data
   * @return the returned bytes
   * @throws TempoRpcException on failure; a revert is {@link TempoRpcException.Kind#RPC_ERROR} with
   *     reason {@code tempo.call_reverted}
   */
  byte[] call(@Nullable Address from, Address to, byte[] data) throws TempoRpcException;

  /**
   * The timestamp (seconds) of the latest block, from {@code eth_getBlockByNumber("latest")}. The
   * chain's clock can differ from the server's (a fresh anvil starts at 1).
   */
  long latestBlockTimestamp() throws TempoRpcException;

  /**
   * {@code eth_getTransactionCount(account, "pending")}: the next regular-lane nonce of an account
   * (its sender's transactions pending in the pool counted).
   */
  long pendingNonce(Address account) throws TempoRpcException;

  /**
   * {@code eth_estimateGas} of one call from {@code from} to {@code to} with {@code data}.
   *
   * @throws TempoRpcException on failure; a call that would revert is {@link
   *     TempoRpcException.Kind#RPC_ERROR} with reason {@code tempo.call_reverted}
   */
  long estimateGas(Address from, Address to, byte[] data) throws TempoRpcException;

  /** {@code eth_gasPrice}: the node's suggested gas price (base fee plus tip), in wei per gas. */
  java.math.BigInteger gasPrice() throws TempoRpcException;

  /** Releases the HTTP resources. */
  @Override
  void close();
}
