package io.mpp4j.tempo.rpc;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A JSON-RPC call failed. The message is mpp4j's own words; the node's error text is never kept (it
 * may echo transaction data and is not a stable interface).
 */
public final class TempoRpcException extends Exception {
  private static final long serialVersionUID = 1L;

  /** What went wrong, as a stable category. */
  public enum Kind {
    /** The node could not be reached or answered 5xx / no JSON-RPC answer at all. */
    UNAVAILABLE("tempo.rpc_unavailable"),
    /** No answer within the configured time. */
    TIMEOUT("tempo.rpc_timeout"),
    /** The answer was not valid JSON-RPC or had an unexpected shape. */
    MALFORMED_RESPONSE("tempo.rpc_malformed_response"),
    /** The node refused the transaction (invalid, underfunded, expired, nonce ...). */
    REJECTED("tempo.tx_rejected"),
    /** The transaction was sent but no receipt appeared within the bounded wait. */
    NOT_MINED("tempo.tx_not_mined"),
    /** Any other JSON-RPC error answer. */
    RPC_ERROR("tempo.rpc_error");

    private final String reason;

    Kind(String reason) {
      this.reason = reason;
    }

    /** The stable reason code, e.g. {@code tempo.rpc_timeout}. */
    public String reason() {
      return reason;
    }
  }

  private final Kind kind;
  private final boolean maybeSent;
  private final @Nullable String detailCode;
  private final byte @Nullable [] revertData;

  /**
   * Creates the exception.
   *
   * @param kind the category
   * @param maybeSent whether the transaction may have reached the node (then a replay claim on it
   *     must be kept)
   * @param detailCode a finer stable code for {@link Kind#REJECTED} (for example {@code
   *     tempo.insufficient_funds}), or null
   * @param message mpp4j's description, without node text or transaction data
   * @param cause the underlying exception, or null
   */
  public TempoRpcException(
      Kind kind,
      boolean maybeSent,
      @Nullable String detailCode,
      String message,
      @Nullable Throwable cause) {
    this(kind, maybeSent, detailCode, message, cause, null);
  }

  /**
   * Creates the exception for a reverted {@code eth_call}, keeping the contract's revert data (an
   * ABI error such as {@code ChannelNotFound()}: chain data, not the node's text).
   *
   * @param revertData the revert data, or null; kept only when it is 4 to 1024 bytes
   */
  public TempoRpcException(
      Kind kind,
      boolean maybeSent,
      @Nullable String detailCode,
      String message,
      @Nullable Throwable cause,
      byte @Nullable [] revertData) {
    super(Objects.requireNonNull(message, "message == null"), cause);
    this.kind = Objects.requireNonNull(kind, "kind == null");
    this.maybeSent = maybeSent;
    this.detailCode = detailCode;
    this.revertData =
        revertData == null || revertData.length < 4 || revertData.length > 1024
            ? null
            : revertData.clone();
  }

  /** The revert data of a reverted call (a copy), or null when there is none. */
  public byte @Nullable [] revertData() {
    return revertData == null ? null : revertData.clone();
  }

  /** The category. */
  public Kind kind() {
    return kind;
  }

  /** Whether the transaction may have reached the node. */
  public boolean maybeSent() {
    return maybeSent;
  }

  /** The finest stable reason code: the detail code if any, else the kind's. */
  public String reason() {
    return detailCode != null ? detailCode : kind.reason();
  }
}
