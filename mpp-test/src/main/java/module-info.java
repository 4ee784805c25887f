/** Test doubles and fixtures for users' and adapters' tests: a payment method on command. */
module io.mpp4j.test {
  requires transitive io.mpp4j.core;

  exports io.mpp4j.test;

  provides io.mpp4j.spi.PaymentMethodProvider with
      io.mpp4j.test.MockPaymentMethodProvider;
}
