package io.mpp4j.core.problem;

import java.util.Objects;

/**
 * A stable, machine-readable reason for a refusal, sent as the {@code reason} member of the problem
 * body and usable in logs and metrics. Codes are lower-case ASCII ({@code [a-z0-9_.]}); payment
 * methods prefix their own with the method name ({@code tempo.amount_mismatch}).
 *
 * <p>Immutable and thread-safe.
 *
 * @param code the code
 */
public record ReasonCode(String code) {
  /** No credential was sent. */
  public static final ReasonCode CREDENTIAL_MISSING = new ReasonCode("credential_missing");

  /** The credential could not be decoded. */
  public static final ReasonCode CREDENTIAL_MALFORMED = new ReasonCode("credential_malformed");

  /** The request carried more than one Payment credential. */
  public static final ReasonCode MULTIPLE_CREDENTIALS = new ReasonCode("multiple_credentials");

  /** The credential names a payment method the server does not have. */
  public static final ReasonCode METHOD_UNSUPPORTED = new ReasonCode("method_unsupported");

  /** The challenge id does not match the echoed parameters under any accepted secret. */
  public static final ReasonCode CHALLENGE_ID_MISMATCH = new ReasonCode("challenge_id_mismatch");

  /** The echoed realm is not this server's. */
  public static final ReasonCode REALM_MISMATCH = new ReasonCode("realm_mismatch");

  /** The echoed method or intent is not offered on this route. */
  public static final ReasonCode OFFER_MISMATCH = new ReasonCode("offer_mismatch");

  /** The echoed opaque data is not this route's. */
  public static final ReasonCode OPAQUE_MISMATCH = new ReasonCode("opaque_mismatch");

  /** A bound request field (amount, currency, recipient, ...) differs from this route's. */
  public static final ReasonCode REQUEST_MISMATCH = new ReasonCode("request_mismatch");

  /** The echoed challenge has no {@code expires}. */
  public static final ReasonCode EXPIRES_MISSING = new ReasonCode("expires_missing");

  /** The echoed {@code expires} is not an RFC 3339 date-time. */
  public static final ReasonCode EXPIRES_INVALID = new ReasonCode("expires_invalid");

  /** The challenge has expired. */
  public static final ReasonCode CHALLENGE_EXPIRED = new ReasonCode("challenge_expired");

  /** The request body does not match the bound digest, or a body came without one. */
  public static final ReasonCode DIGEST_MISMATCH = new ReasonCode("digest_mismatch");

  /** The challenge was already used. */
  public static final ReasonCode CHALLENGE_USED = new ReasonCode("challenge_used");

  /** The payload does not fit the method's schema. */
  public static final ReasonCode PAYLOAD_INVALID = new ReasonCode("payload_invalid");

  /** The payment method rejected the proof. */
  public static final ReasonCode VERIFICATION_FAILED = new ReasonCode("verification_failed");

  /** The payment backend (chain node, processor) could not be reached or failed. */
  public static final ReasonCode METHOD_UNAVAILABLE = new ReasonCode("method_unavailable");

  /** The replay store could not be reached or is full. */
  public static final ReasonCode STORE_UNAVAILABLE = new ReasonCode("store_unavailable");

  /** An unexpected error in the server; nothing was delivered. */
  public static final ReasonCode INTERNAL_ERROR = new ReasonCode("internal_error");

  /** The payment was valid but the application's policy refused access. */
  public static final ReasonCode POLICY_DENIED = new ReasonCode("policy_denied");

  /**
   * Validates the code.
   *
   * @throws IllegalArgumentException when it is empty, longer than 64 or not {@code [a-z0-9_.]}
   */
  public ReasonCode {
    Objects.requireNonNull(code, "code == null");
    if (code.isEmpty() || code.length() > 64) {
      throw new IllegalArgumentException("reason code must be 1 to 64 characters, but was " + code);
    }
    for (int i = 0; i < code.length(); i++) {
      char c = code.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '.')) {
        throw new IllegalArgumentException(
            "reason code must be [a-z0-9_.], but was \"" + code + "\"");
      }
    }
  }

  /** Returns the code with this text. */
  public static ReasonCode of(String code) {
    return new ReasonCode(code);
  }

  @Override
  public String toString() {
    return code;
  }
}
