package io.mpp4j.tempo.chain;

/**
 * Starts one {@link ReserveChain} per test class, resolves {@code ReserveChain} parameters to it
 * and closes it when the class is done (see {@link ChainFixtureExtension}, which also says when a
 * missing anvil skips or fails the class).
 */
public final class ReserveChainExtension extends ChainFixtureExtension<ReserveChain> {
  /** Used by JUnit. */
  public ReserveChainExtension() {
    super(ReserveChain.class, ReserveChain::start);
  }
}
