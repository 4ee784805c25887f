package io.mpp4j.server;

import io.mpp4j.core.Credential;
import io.mpp4j.core.RequestView;

/**
 * The application's access policy for otherwise valid payments, consulted after the challenge
 * binding, route and expiry checks and <em>before</em> the payment method settles, so a refused
 * payer is never charged. A refusal is answered with 403 and no challenge.
 *
 * <p>Implementations must be thread-safe and fast; they run on the request path.
 */
@FunctionalInterface
public interface PayerPolicy {
  /** Allows every payer. */
  PayerPolicy ALLOW_ALL = (credential, request) -> true;

  /**
   * Whether this payer may pay for this request.
   *
   * @param credential the credential (its {@code source} identifies the payer)
   * @param request the incoming request
   */
  boolean allows(Credential credential, RequestView request);
}
