package io.mpp4j.server;

import io.mpp4j.core.Credential;
import io.mpp4j.spi.PaymentMethod;
import io.mpp4j.spi.VerificationContext;
import java.util.Objects;

/**
 * What an {@link IntentHandler} gets for one credential: the route's name, the payment method that
 * serves the credential and the method's {@link VerificationContext} (the credential, the offered
 * request, the route's requirement, the request, the gate's {@link io.mpp4j.store.StateStore},
 * clock and the challenge's expiry).
 *
 * <p>Immutable; valid for the request it was made for.
 */
public final class IntentContext {
  private final String route;
  private final PaymentMethod method;
  private final VerificationContext verification;

  /**
   * Creates the context (the gate does this; tests of a handler may too).
   *
   * @param route the route's name, as given to {@link PaymentGate#evaluate(String,
   *     io.mpp4j.core.PaymentRequirement, io.mpp4j.core.RequestView)}
   * @param method the payment method named by the credential's challenge
   * @param verification what the method needs to verify the credential
   */
  public IntentContext(String route, PaymentMethod method, VerificationContext verification) {
    this.route = Objects.requireNonNull(route, "route == null");
    this.method = Objects.requireNonNull(method, "method == null");
    this.verification = Objects.requireNonNull(verification, "verification == null");
  }

  /** The route's name (for events and state keys; not authenticated by the payer). */
  public String route() {
    return route;
  }

  /** The payment method named by the challenge, as registered with the gate. */
  public PaymentMethod method() {
    return method;
  }

  /** The method's view: credential, offered request, requirement, request, store, clock, expiry. */
  public VerificationContext verification() {
    return verification;
  }

  /** The credential (its challenge is bound to this server and claimed for this request). */
  public Credential credential() {
    return verification.credential();
  }
}
