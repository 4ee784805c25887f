package io.mpp4j.core.problem;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The registry of MPP problem types (RFC 9457), with the same slugs, titles and statuses as the
 * other MPP SDKs. Every type URI is {@value #BASE_URI} followed by the slug.
 */
public enum ProblemType {
  /** No credential was sent. */
  PAYMENT_REQUIRED("payment-required", 402, "Payment Required"),
  /** The credential could not be decoded or lacks required fields. */
  MALFORMED_CREDENTIAL("malformed-credential", 402, "Malformed Credential"),
  /** The echoed challenge is unknown, tampered with, for another route, used or lacks expiry. */
  INVALID_CHALLENGE("invalid-challenge", 402, "Invalid Challenge"),
  /** The challenge is past its {@code expires}. */
  PAYMENT_EXPIRED("payment-expired", 402, "Payment Expired"),
  /** The proof of payment is invalid or the payment failed. */
  VERIFICATION_FAILED("verification-failed", 402, "Verification Failed"),
  /** The amount paid is too low. */
  PAYMENT_INSUFFICIENT("payment-insufficient", 402, "Payment Insufficient"),
  /** The payment method is not accepted here. */
  METHOD_UNSUPPORTED("method-unsupported", 400, "Method Unsupported"),
  /** The payload does not fit the method's schema. */
  INVALID_PAYLOAD("invalid-payload", 402, "Invalid Payload"),
  /** The request itself is unacceptable (e.g. several credentials). */
  BAD_REQUEST("bad-request", 400, "Bad Request"),
  /** The payer must complete an action (e.g. 3-D Secure). */
  PAYMENT_ACTION_REQUIRED("payment-action-required", 402, "Payment Action Required"),
  /** Session: the voucher signature is invalid. */
  SESSION_INVALID_SIGNATURE("session/invalid-signature", 402, "Invalid Signature"),
  /** Session: the voucher signer is not the channel's signer. */
  SESSION_SIGNER_MISMATCH("session/signer-mismatch", 402, "Signer Mismatch"),
  /** Session: the voucher exceeds the deposit. */
  SESSION_AMOUNT_EXCEEDS_DEPOSIT("session/amount-exceeds-deposit", 402, "Amount Exceeds Deposit"),
  /** Session: the voucher increment is below the minimum. */
  SESSION_DELTA_TOO_SMALL("session/delta-too-small", 402, "Delta Too Small"),
  /** Session: the channel does not exist. */
  SESSION_CHANNEL_NOT_FOUND("session/channel-not-found", 410, "Channel Not Found"),
  /** Session: the channel is finalized or closed. */
  SESSION_CHANNEL_FINALIZED("session/channel-finalized", 410, "Channel Finalized"),
  /** Session: the challenge is unknown. */
  SESSION_CHALLENGE_NOT_FOUND("session/challenge-not-found", 402, "Challenge Not Found"),
  /** Session: the channel balance does not cover the request. */
  SESSION_INSUFFICIENT_BALANCE("session/insufficient-balance", 402, "Insufficient Balance"),
  /**
   * A valid payment was refused by the application's access policy. Not an MPP registry type;
   * answered with 403 and no challenge.
   */
  FORBIDDEN("forbidden", 403, "Forbidden"),
  /**
   * Too many requests of one kind in a short time (a session channel's new vouchers beyond the
   * configured rate, SPEC 4.7). Not an MPP registry type; answered with 429 and {@code
   * Retry-After}.
   */
  RATE_LIMITED("rate-limited", 429, "Too Many Requests");

  /** The base of every type URI. */
  public static final String BASE_URI = "https://paymentauth.org/problems/";

  private final String slug;
  private final int status;
  private final String title;
  private final String uri;

  ProblemType(String slug, int status, String title) {
    this.slug = slug;
    this.status = status;
    this.title = title;
    this.uri = BASE_URI + slug;
  }

  /** The slug, e.g. {@code invalid-challenge}. */
  public String slug() {
    return slug;
  }

  /** The HTTP status this type is answered with. */
  public int status() {
    return status;
  }

  /** The short human-readable title. */
  public String title() {
    return title;
  }

  /** The type URI, e.g. {@code https://paymentauth.org/problems/invalid-challenge}. */
  public String uri() {
    return uri;
  }

  /** The conformance-suite spelling, e.g. {@code invalid_challenge}. */
  public String errorCode() {
    return slug.replace('-', '_').replace('/', '_');
  }

  /** The type with this URI or slug, or null. */
  public static @Nullable ProblemType fromUri(String uriOrSlug) {
    Objects.requireNonNull(uriOrSlug, "uriOrSlug == null");
    String slug =
        uriOrSlug.startsWith(BASE_URI) ? uriOrSlug.substring(BASE_URI.length()) : uriOrSlug;
    for (ProblemType t : values()) {
      if (t.slug.equals(slug)) {
        return t;
      }
    }
    return null;
  }
}
