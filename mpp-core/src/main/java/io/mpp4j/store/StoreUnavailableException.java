package io.mpp4j.store;

/** The replay store could not answer (unreachable, timed out, full). Callers fail closed. */
public final class StoreUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception. */
  public StoreUnavailableException(String message) {
    super(message);
  }

  /** Creates the exception with its cause. */
  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
