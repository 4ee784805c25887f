/**
 * The {@code stripe} payment method: Shared Payment Token charges through stripe-java. {@code
 * io.mpp4j.stripe.internal} is not API and is not exported.
 */
// "requires-automatic" and "requires-transitive-automatic": com.stripe is an automatic module with
// a stable name (below), and users who pass their own StripeClient must read it.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.mpp4j.stripe {
  requires transitive io.mpp4j.core;
  // stripe-java has no module-info; "com.stripe" is the Automatic-Module-Name in its manifest, a
  // stable name. Transitive: StripeConfig.Builder accepts an already-configured StripeClient.
  requires transitive com.stripe;
  requires java.net.http;
  requires org.slf4j;

  exports io.mpp4j.stripe;

  provides io.mpp4j.spi.PaymentMethodProvider with
      io.mpp4j.stripe.StripeMethodProvider;
}
