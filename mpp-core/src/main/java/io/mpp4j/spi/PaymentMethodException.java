package io.mpp4j.spi;

import io.mpp4j.core.problem.ReasonCode;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An infrastructure failure inside a payment method: the chain node or payment processor could not
 * be reached, timed out or answered with a server error. It is not a verdict on the payment; the
 * gate answers without a receipt and without delivering the resource.
 *
 * <p>The message carries correlation data (method, challenge id, upstream request id) but never
 * credentials, secrets or the upstream service's own error text.
 */
public final class PaymentMethodException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String method;
  // Not serialized with the exception (ReasonCode is not Serializable; mpp4j never serializes
  // exceptions). javac's serial lint asks for this from JDK 18 on.
  private final transient ReasonCode reason;
  private final @Nullable String challengeId;
  private final @Nullable String upstreamRequestId;

  private PaymentMethodException(
      String method,
      ReasonCode reason,
      String message,
      @Nullable String challengeId,
      @Nullable String upstreamRequestId,
      @Nullable Throwable cause) {
    super(message, cause);
    this.method = method;
    this.reason = reason;
    this.challengeId = challengeId;
    this.upstreamRequestId = upstreamRequestId;
  }

  /**
   * Creates the exception.
   *
   * @param method the payment method name
   * @param reason a stable reason code, e.g. {@code tempo.rpc_timeout}
   * @param message what failed, in mpp4j's words
   * @param challengeId the challenge being verified, or null
   * @param upstreamRequestId the upstream service's request id, or null
   * @param cause the underlying failure, or null
   */
  public static PaymentMethodException of(
      String method,
      ReasonCode reason,
      String message,
      @Nullable String challengeId,
      @Nullable String upstreamRequestId,
      @Nullable Throwable cause) {
    return new PaymentMethodException(
        Objects.requireNonNull(method, "method == null"),
        Objects.requireNonNull(reason, "reason == null"),
        Objects.requireNonNull(message, "message == null"),
        challengeId,
        upstreamRequestId,
        cause);
  }

  /** The payment method name. */
  public String method() {
    return method;
  }

  /** The stable reason code. */
  public ReasonCode reason() {
    return reason;
  }

  /** The challenge being verified, or null. */
  public @Nullable String challengeId() {
    return challengeId;
  }

  /** The upstream request id, or null. */
  public @Nullable String upstreamRequestId() {
    return upstreamRequestId;
  }

  @Override
  public String getMessage() {
    StringBuilder sb = new StringBuilder(super.getMessage());
    sb.append("; method: ").append(method).append("; reason: ").append(reason.code());
    if (challengeId != null) {
      sb.append("; challenge-id: ").append(challengeId);
    }
    if (upstreamRequestId != null) {
      sb.append("; upstream-request-id: ").append(upstreamRequestId);
    }
    return sb.toString();
  }
}
