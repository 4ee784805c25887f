package io.mpp4j.stripe;

/**
 * Where the shared payment token goes in the PaymentIntent request. Stripe's preview API has
 * carried it in two places, and upstream has not settled on one: the reference SDK sends it at the
 * top level, while Stripe's 2026-04-22 preview changelog documents it inside {@code
 * payment_method_data}. Pick the one your pinned {@code Stripe-Version} accepts.
 */
public enum SptPlacement {
  /** {@code shared_payment_granted_token=<spt>} (the default, as the reference SDK sends it). */
  TOP_LEVEL,
  /** {@code payment_method_data[shared_payment_granted_token]=<spt>}. */
  PAYMENT_METHOD_DATA
}
