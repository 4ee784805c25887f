package io.mpp4j.server.session;

/**
 * A stored channel record could not be decoded: unknown format version, a missing, extra, reordered
 * or badly formed field, or values that break the state's invariants. Callers fail closed: the
 * channel is treated as unusable (nothing is served or charged against it) until an operator looks
 * at it. The message names the field, never its value.
 */
public final class MalformedChannelStateException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception. */
  public MalformedChannelStateException(String message) {
    super(message);
  }

  /** Creates the exception with its cause. */
  public MalformedChannelStateException(String message, Throwable cause) {
    super(message, cause);
  }
}
