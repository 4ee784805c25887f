package io.mpp4j.tempo.chain;

/**
 * Starts one {@link AnvilChain} per test class, resolves {@code AnvilChain} parameters to it and
 * closes it when the class is done (see {@link ChainFixtureExtension}, which also says when a
 * missing anvil skips or fails the class).
 */
public final class AnvilExtension extends ChainFixtureExtension<AnvilChain> {
  /** Used by JUnit. */
  public AnvilExtension() {
    super(AnvilChain.class, AnvilChain::start);
  }
}
