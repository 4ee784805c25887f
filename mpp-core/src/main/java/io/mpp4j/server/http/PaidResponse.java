package io.mpp4j.server.http;

import io.mpp4j.core.MppHeaders;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The receipt rule of a paid response. At the moment the response is about to be committed (first
 * byte written, an explicit flush, or the end of the application), a 2xx response gets {@code
 * Payment-Receipt} and a {@code Cache-Control} that includes {@code private}; any other status gets
 * neither. This holds even when the application commits the response early, and while the response
 * is not committed the receipt follows the status: it is removed when the response turns into an
 * error (a status change, a framework error or redirect, an exception, an async timeout) and set
 * again when it turns back into a success.
 *
 * <p>The adapter's response wrapper reports the events (it calls {@link #beforeCommit()} before
 * every write or flush, {@link #statusChanged()}, {@link #refused()}, {@link #reset()}) and lets
 * this class filter the headers the application sets ({@link #isReceiptHeader}, {@link
 * #carriesReceipt}). Whether the payment was delivered is decided from what was sent, not from how
 * the application returned: a 2xx committed with the receipt is delivered even when the application
 * (or the client's connection) failed afterwards.
 *
 * <p>Thread-safe for one writer at a time (an async handler may write on another thread; the
 * framework completes the response on yet another).
 */
public final class PaidResponse {
  private final ExchangeResponse response;
  private final String receiptHeader;
  private volatile boolean applied;
  // Whether the receipt is on the response (status 2xx when it was set or last re-checked).
  private volatile boolean delivered;
  // An error page or redirect: this response is not the content, whatever status follows.
  private volatile boolean refused;

  PaidResponse(ExchangeResponse response, String receiptHeader) {
    this.response = response;
    this.receiptHeader = receiptHeader;
  }

  /**
   * The response is about to be committed (a write or flush): applies the receipt rule once;
   * returns whether the receipt is on the response.
   */
  public boolean beforeCommit() {
    if (!applied) {
      synchronized (this) {
        if (!applied) {
          applied = true;
          sync();
        }
      }
    }
    return delivered;
  }

  /** The application set a status: the rule follows it while the headers can still change. */
  public void statusChanged() {
    if (applied) {
      synchronized (this) {
        sync();
      }
    }
  }

  /**
   * The application answers with an error page or a redirect ({@code sendError}, {@code
   * sendRedirect}): no receipt, not delivered. Call it before the framework writes that answer.
   */
  public void refused() {
    withdraw(true, true);
  }

  /** The application reset the response (status and headers are gone): the rule starts over. */
  public synchronized void reset() {
    applied = false;
    delivered = false;
    refused = false;
  }

  /**
   * An async cycle timed out or failed: the framework or a listener answers next. Until something
   * is committed the response starts over (a listener that answers 2xx gets the receipt again).
   */
  void abandon() {
    withdraw(false, false);
  }

  /** Whether a header is the receipt, which only this rule sets (the application's is dropped). */
  public static boolean isReceiptHeader(String name) {
    return MppHeaders.PAYMENT_RECEIPT.equalsIgnoreCase(name);
  }

  /**
   * Whether the receipt is on the response: then every {@code Cache-Control} the application sets
   * must go through {@link #withPrivate}.
   */
  public boolean carriesReceipt() {
    return applied && delivered;
  }

  /** Sets or removes the receipt to match the status, while the headers can still change. */
  private void sync() {
    if (response.isCommitted()) {
      return; // what was sent stays as it was
    }
    int status = response.status();
    boolean success = !refused && status >= 200 && status < 300;
    if (success) {
      response.setHeader(MppHeaders.PAYMENT_RECEIPT, receiptHeader);
      response.setHeader("Cache-Control", withPrivate(response.header("Cache-Control")));
    } else if (delivered) {
      response.setHeader(MppHeaders.PAYMENT_RECEIPT, null);
    }
    delivered = success;
  }

  /** Takes the receipt off an uncommitted response that is turning into an error. */
  private synchronized void withdraw(boolean decided, boolean refuse) {
    if (!response.isCommitted()) {
      if (refuse) {
        refused = true;
      }
      if (delivered) {
        response.setHeader(MppHeaders.PAYMENT_RECEIPT, null);
      }
      delivered = false;
      applied = decided;
    }
  }

  /**
   * Decides, when the application is done, whether the payment was delivered: the response was
   * committed as a 2xx with the receipt, or it is an uncommitted 2xx (which now gets the receipt
   * and is sent by the framework). When the application failed before anything was committed, the
   * framework answers with an error: the receipt is removed and the payment was not delivered.
   */
  synchronized boolean finish(boolean failed) {
    if (failed) {
      withdraw(true, false);
      return delivered;
    }
    return beforeCommit();
  }

  /**
   * The status the client gets, once {@link #finish} decided: the response's status, or 500 when
   * the application failed before anything was committed (the framework answers with an error).
   */
  int finalStatus(boolean failed) {
    int status = response.status();
    if (failed && !response.isCommitted() && (status < 400 || status > 599)) {
      return 500;
    }
    return status < 100 || status > 599 ? 500 : status;
  }

  /**
   * Adds {@code private} to a Cache-Control value (dropping {@code public}, which contradicts it).
   */
  public static String withPrivate(@Nullable String existing) {
    if (existing == null || existing.isBlank()) {
      return "private";
    }
    StringBuilder sb = new StringBuilder();
    boolean hasPrivate = false;
    for (String part : existing.split(",", -1)) {
      String directive = part.strip();
      String name = directive.toLowerCase(Locale.ROOT);
      if (directive.isEmpty() || name.equals("public")) {
        continue;
      }
      if (name.equals("private") || name.startsWith("private=")) {
        hasPrivate = true;
      }
      sb.append(sb.length() == 0 ? "" : ", ").append(directive);
    }
    if (!hasPrivate) {
      sb.append(sb.length() == 0 ? "" : ", ").append("private");
    }
    return sb.toString();
  }
}
