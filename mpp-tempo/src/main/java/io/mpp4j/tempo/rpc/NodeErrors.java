package io.mpp4j.tempo.rpc;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Maps a node's JSON-RPC error answer to a stable outcome. The node's message is only matched here,
 * never stored or shown: node wording differs between clients and versions, so the codes below are
 * a best effort and anything unrecognized falls back to a generic code.
 */
final class NodeErrors {
  static final int METHOD_NOT_FOUND = -32601;
  static final int INTERNAL_ERROR = -32603;
  static final int LIMIT_EXCEEDED = -32005;

  static final String ALREADY_KNOWN = "tempo.already_known";
  static final String INSUFFICIENT_FUNDS = "tempo.insufficient_funds";
  static final String NONCE_INVALID = "tempo.nonce_invalid";
  static final String TX_EXPIRED = "tempo.tx_expired";
  static final String INVALID_SIGNATURE = "tempo.invalid_signature";
  static final String FEE_TOO_LOW = "tempo.fee_too_low";
  static final String TX_REJECTED = "tempo.tx_rejected";

  private NodeErrors() {}

  /** How to go on after an error answer to a transaction broadcast. */
  enum SendOutcome {
    /** The node does not offer the method: remember it and use the fallback. */
    UNSUPPORTED,
    /** The node accepted the transaction but stopped waiting for it: poll the receipt. */
    CONFIRMATION_TIMEOUT,
    /** The node already has this transaction: poll the receipt. */
    ALREADY_KNOWN,
    /** The node refused the transaction; see {@link #rejectionCode}. */
    REJECTED,
    /** The node is rate limiting; nothing was processed. */
    RATE_LIMITED,
    /** An internal error: the transaction may or may not have been accepted. */
    UNKNOWN
  }

  /** Classifies an error answer to {@code eth_sendRawTransaction[Sync]}. */
  static SendOutcome classifySend(int code, @Nullable String message) {
    String m = lower(message);
    if (code == METHOD_NOT_FOUND || isUnsupportedMethod(m)) {
      return SendOutcome.UNSUPPORTED;
    }
    if (m.contains("confirmation timeout")
        || (code == INTERNAL_ERROR && (m.contains("timeout") || m.contains("timed out")))) {
      return SendOutcome.CONFIRMATION_TIMEOUT;
    }
    if (isAlreadyKnown(m)) {
      return SendOutcome.ALREADY_KNOWN;
    }
    if (code == LIMIT_EXCEEDED
        || m.contains("rate limit")
        || m.contains("too many requests")
        || m.contains("limit exceeded")) {
      return SendOutcome.RATE_LIMITED;
    }
    if (!TX_REJECTED.equals(rejectionCode(m))) {
      return SendOutcome.REJECTED;
    }
    return code == INTERNAL_ERROR ? SendOutcome.UNKNOWN : SendOutcome.REJECTED;
  }

  /** The detail code of a refused transaction, from the node's message. */
  static String rejectionCode(@Nullable String message) {
    String m = lower(message);
    if (m.contains("insufficient funds")
        || m.contains("insufficient balance")
        || m.contains("insufficient fee")
        || m.contains("exceeds balance")
        || m.contains("balance too low")) {
      return INSUFFICIENT_FUNDS;
    }
    if (m.contains("nonce") || m.contains("replacement transaction")) {
      return NONCE_INVALID;
    }
    if (m.contains("expired")
        || m.contains("validbefore")
        || m.contains("valid_before")
        || m.contains("valid before")
        || m.contains("validafter")
        || m.contains("valid_after")
        || m.contains("not yet valid")) {
      return TX_EXPIRED;
    }
    if (m.contains("signature") || m.contains("invalid sender") || m.contains("recover")) {
      return INVALID_SIGNATURE;
    }
    if (m.contains("underpriced")
        || m.contains("fee too low")
        || m.contains("less than block base fee")
        || m.contains("fee cap")
        || m.contains("gas price too low")
        || m.contains("tip too low")) {
      return FEE_TOO_LOW;
    }
    return TX_REJECTED;
  }

  private static boolean isUnsupportedMethod(String m) {
    return m.contains("method not found")
        || m.contains("method not supported")
        || m.contains("unsupported method")
        || m.contains("method is not supported")
        || m.contains("not implemented")
        || (m.contains("method") && (m.contains("does not exist") || m.contains("not available")));
  }

  private static boolean isAlreadyKnown(String m) {
    return m.contains("already known")
        || m.contains("alreadyknown")
        || m.contains("already imported")
        || m.contains("known transaction")
        || m.contains("already exists")
        || m.contains("already in the pool")
        || m.contains("already in pool");
  }

  private static String lower(@Nullable String message) {
    return message == null ? "" : message.toLowerCase(Locale.ROOT);
  }
}
