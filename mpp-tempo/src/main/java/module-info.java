/**
 * The {@code tempo} payment method: TIP-20 stablecoin charges on the Tempo chain. The API is what a
 * server configures: {@code io.mpp4j.tempo} (the method, its configuration and the parts of that)
 * and {@code io.mpp4j.tempo.rpc} (the node client, for users who plug in their own). The
 * transaction codec, the signatures and the proofs live in {@code io.mpp4j.tempo.internal}, which
 * is exported only to the conformance adapter.
 *
 * <p>web3j (the JSON-RPC transport under {@code Web3jTempoRpc}) has no module name of its own: its
 * jars carry neither a module-info nor an Automatic-Module-Name, their derived names are "core",
 * "crypto", "utils" and so on, and three of them share the package {@code org.web3j.crypto}, so
 * they cannot be modules at all. This module therefore does not require web3j: it reads web3j,
 * OkHttp and Okio from the class path ({@code --add-reads io.mpp4j.tempo=ALL-UNNAMED} when this
 * module itself is on the module path; nothing when it is on the class path, as in a WAR).
 */
// "module": the qualified export names modules that javac compiles after this one.
@SuppressWarnings("module")
module io.mpp4j.tempo {
  requires transitive io.mpp4j.core;
  requires com.fasterxml.jackson.databind;
  requires org.bouncycastle.provider;
  requires org.slf4j;

  exports io.mpp4j.tempo;
  exports io.mpp4j.tempo.rpc;
  // The conformance adapter (not published) drives the codec, signatures and proofs directly; the
  // load benchmarks (not published) build transactions.
  exports io.mpp4j.tempo.internal to
      io.mpp4j.conformance,
      io.mpp4j.benchmarks;

  provides io.mpp4j.spi.PaymentMethodProvider with
      io.mpp4j.tempo.TempoMethodProvider;
}
