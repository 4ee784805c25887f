/**
 * The protocol, the engine and the seams a payment method, a framework adapter or a store plugs
 * into. {@code io.mpp4j.core.internal} is not API and is not exported.
 */
// "module": the qualified export below names a module that javac compiles after this one.
@SuppressWarnings("module")
module io.mpp4j.core {
  requires com.fasterxml.jackson.databind;
  requires org.slf4j;
  requires static transitive org.jspecify;

  exports io.mpp4j.core;
  exports io.mpp4j.core.binding;
  exports io.mpp4j.core.problem;
  exports io.mpp4j.server;
  exports io.mpp4j.server.routing;
  exports io.mpp4j.spi;
  exports io.mpp4j.store;
  // Other parts of issue 12 add packages to this module in parallel: io.mpp4j.server.http (the
  // framework-neutral exchange) and io.mpp4j.config (the configuration schema). Both are API; the
  // lead adds "exports io.mpp4j.server.http;" and "exports io.mpp4j.config;" here at merge (javac
  // refuses an export of a package that does not exist yet).

  // Temporary: mpp-servlet's GateResultWriter still calls io.mpp4j.core.internal.Json. That code
  // moves into core with the exchange (io.mpp4j.server.http); the lead deletes this line at merge.
  exports io.mpp4j.core.internal to
      io.mpp4j.servlet;
}
