package io.mpp4j.core;

/**
 * Malformed protocol input: a header, token or JSON document that does not follow the MPP wire
 * format. This is the one exception type every parser in mpp4j throws for bad input; the message
 * names the field and the defect (for example "missing `request` auth-param") and never contains
 * the input itself, so it is safe to return to a client and to log.
 */
public final class MalformedMessageException extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what is wrong, naming the field; must not quote secrets or credentials
   */
  public MalformedMessageException(String message) {
    super(message, null, false, false);
  }

  /**
   * Creates the exception with the lower-level cause. The cause is kept for debugging only; its
   * message is not part of this exception's message.
   *
   * @param message what is wrong, naming the field
   * @param cause the underlying failure
   */
  public MalformedMessageException(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
