package io.mpp4j.server.session;

/**
 * A ledger update lost its compare-and-set race more often than the ledger's retry bound allows.
 * Nothing was changed by the failing call; callers fail closed (refuse the request or voucher, or
 * ask the client to retry) and never serve on the assumption that the update happened.
 */
public final class LedgerContentionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception. */
  public LedgerContentionException(String message) {
    super(message);
  }
}
