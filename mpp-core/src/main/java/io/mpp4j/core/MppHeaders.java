package io.mpp4j.core;

/** HTTP header and scheme names used by MPP. */
public final class MppHeaders {
  /** The authentication scheme name, matched case-insensitively. */
  public static final String SCHEME = "Payment";

  /** Response header carrying one or more challenges. */
  public static final String WWW_AUTHENTICATE = "WWW-Authenticate";

  /** Default request header carrying the credential. */
  public static final String AUTHORIZATION = "Authorization";

  /**
   * Alternative request header for the credential, used when a challenge carries {@code
   * header="Payment-Authorization"} (so an existing {@code Authorization} header can stay).
   */
  public static final String PAYMENT_AUTHORIZATION = "Payment-Authorization";

  /** Response header carrying the receipt on success. */
  public static final String PAYMENT_RECEIPT = "Payment-Receipt";

  /** Request header with the client's method/intent preferences. */
  public static final String ACCEPT_PAYMENT = "Accept-Payment";

  /** Media type of problem-details bodies. */
  public static final String PROBLEM_JSON = "application/problem+json";

  private MppHeaders() {}
}
