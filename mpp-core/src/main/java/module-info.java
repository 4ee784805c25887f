/**
 * The protocol, the engine and the seams a payment method, a framework adapter or a store plugs
 * into. {@code io.mpp4j.core.internal} is not API and is not exported.
 */
module io.mpp4j.core {
  requires com.fasterxml.jackson.databind;
  requires org.slf4j;
  requires static transitive org.jspecify;

  exports io.mpp4j.core;
  exports io.mpp4j.core.binding;
  exports io.mpp4j.core.problem;
  exports io.mpp4j.server;
  exports io.mpp4j.server.routing;
  exports io.mpp4j.server.session;
  exports io.mpp4j.spi;
  exports io.mpp4j.store;
  exports io.mpp4j.server.http;
  exports io.mpp4j.config;
  exports io.mpp4j.config.server;

  // ServerSettings resolves the payment methods named in the configuration through ServiceLoader.
  uses io.mpp4j.spi.PaymentMethodProvider;
}
