package io.mpp4j.stripe.internal;

import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.ApiException;
import com.stripe.exception.AuthenticationException;
import com.stripe.exception.CardException;
import com.stripe.exception.IdempotencyException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.PermissionException;
import com.stripe.exception.RateLimitException;
import com.stripe.exception.StripeException;
import io.mpp4j.core.problem.ReasonCode;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * One failed attempt at a Stripe call, reduced to what is safe to keep: its kind, whether the
 * request may have reached Stripe (so something may exist there under the idempotency key), the
 * HTTP status, Stripe's machine codes when they look like codes, and the request id. Stripe's
 * messages are dropped here, because they can quote the request (and so the token).
 *
 * @param kind what went wrong
 * @param mayHaveReached whether Stripe may have acted on the request
 * @param status the HTTP status, or null
 * @param code Stripe's error code when safe ({@code [a-z_]{1,40}}), or null
 * @param declineCode Stripe's decline code when safe, or null
 * @param requestId Stripe's request id when well-formed, or null
 * @param exceptionType the simple name of the exception (and of its I/O cause), for logs
 */
public record Failure(
    Kind kind,
    boolean mayHaveReached,
    @Nullable Integer status,
    @Nullable String code,
    @Nullable String declineCode,
    @Nullable String requestId,
    String exceptionType) {

  /** What went wrong in one attempt. */
  public enum Kind {
    /** The card or token was declined (402). A verdict. */
    DECLINED(false, true),
    /** The idempotency key was used with other parameters. A verdict. */
    IDEMPOTENCY_CONFLICT(false, true),
    /** Stripe refused the request (400, 404). A verdict. */
    INVALID_REQUEST(false, true),
    /** The API key was refused (401, 403): a configuration error. */
    NOT_AUTHORIZED(false, false),
    /** Too many requests (429). */
    RATE_LIMITED(true, false),
    /** Stripe failed (5xx, 409) or could not be reached. */
    UNAVAILABLE(true, false),
    /** Stripe did not answer in time. */
    TIMEOUT(true, false),
    /** Stripe's answer could not be understood. */
    MALFORMED(false, false);

    private final boolean retriable;
    private final boolean verdict;

    Kind(boolean retriable, boolean verdict) {
      this.retriable = retriable;
      this.verdict = verdict;
    }

    /** Whether another attempt with the same idempotency key may succeed. */
    public boolean retriable() {
      return retriable;
    }

    /** Whether Stripe gave a definite answer about the payment. */
    public boolean verdict() {
      return verdict;
    }
  }

  /** Classifies what a stripe-java call threw. */
  public static Failure of(Exception e) {
    if (e instanceof StripeException se) {
      Integer status = se.getStatusCode();
      String code = SafeText.isCode(se.getCode()) ? se.getCode() : null;
      String requestId = SafeText.requestId(se.getRequestId());
      String type = se.getClass().getSimpleName();
      if (se instanceof CardException ce) {
        String decline = SafeText.isCode(ce.getDeclineCode()) ? ce.getDeclineCode() : null;
        return new Failure(Kind.DECLINED, true, status, code, decline, requestId, type);
      }
      if (se instanceof IdempotencyException) {
        return new Failure(Kind.IDEMPOTENCY_CONFLICT, true, status, code, null, requestId, type);
      }
      if (se instanceof InvalidRequestException) {
        return new Failure(Kind.INVALID_REQUEST, true, status, code, null, requestId, type);
      }
      if (se instanceof AuthenticationException || se instanceof PermissionException) {
        return new Failure(Kind.NOT_AUTHORIZED, false, status, code, null, requestId, type);
      }
      if (se instanceof RateLimitException) {
        return new Failure(Kind.RATE_LIMITED, false, status, code, null, requestId, type);
      }
      if (se instanceof ApiConnectionException) {
        Throwable cause = se.getCause();
        String withCause = cause == null ? type : type + "/" + cause.getClass().getSimpleName();
        if (cause instanceof HttpConnectTimeoutException) {
          return new Failure(Kind.TIMEOUT, false, null, null, null, null, withCause);
        }
        if (cause instanceof SocketTimeoutException
            || cause instanceof HttpTimeoutException
            || cause instanceof TimeoutException) {
          return new Failure(Kind.TIMEOUT, true, null, null, null, null, withCause);
        }
        boolean notSent =
            cause instanceof ConnectException
                || cause instanceof UnknownHostException
                || cause instanceof NoRouteToHostException;
        return new Failure(Kind.UNAVAILABLE, !notSent, null, null, null, null, withCause);
      }
      if (se instanceof ApiException && status != null && (status >= 500 || status == 409)) {
        return new Failure(Kind.UNAVAILABLE, true, status, code, null, requestId, type);
      }
      return new Failure(Kind.MALFORMED, true, status, code, null, requestId, type);
    }
    return new Failure(Kind.MALFORMED, true, null, null, null, null, e.getClass().getSimpleName());
  }

  /** An answer that arrived but could not be used. */
  public static Failure malformed(@Nullable String requestId) {
    return new Failure(Kind.MALFORMED, true, null, null, null, requestId, "MalformedAnswer");
  }

  /** The stable reason code for a verdict ({@link Kind#verdict()}) or an outage. */
  public ReasonCode reason() {
    switch (kind) {
      case DECLINED:
        {
          String suffix = declineCode != null ? declineCode : code;
          return suffix == null || suffix.equals("card_declined")
              ? ReasonCode.of("stripe.card_declined")
              : ReasonCode.of("stripe.card_declined." + suffix);
        }
      case IDEMPOTENCY_CONFLICT:
        return ReasonCode.of("stripe.idempotency_conflict");
      case INVALID_REQUEST:
        return code == null
            ? ReasonCode.of("stripe.invalid_request")
            : ReasonCode.of("stripe.invalid_request." + code);
      case NOT_AUTHORIZED:
        return ReasonCode.of("stripe.not_authorized");
      case RATE_LIMITED:
        return ReasonCode.of("stripe.rate_limited");
      case TIMEOUT:
        return ReasonCode.of("stripe.timeout");
      case MALFORMED:
        return ReasonCode.of("stripe.malformed_response");
      case UNAVAILABLE:
      default:
        return ReasonCode.of("stripe.unavailable");
    }
  }

  /** A one-line summary without any of Stripe's text, for logs and exception messages. */
  public String summary() {
    StringBuilder sb = new StringBuilder(exceptionType);
    if (status != null) {
      sb.append(" status=").append(status);
    }
    if (code != null) {
      sb.append(" code=").append(code);
    }
    if (declineCode != null) {
      sb.append(" decline_code=").append(declineCode);
    }
    return sb.toString();
  }
}
