/**
 * A real local Tempo chain for tests: {@link io.mpp4j.tempo.chain.AnvilChain} runs the pinned
 * {@code anvil} (installed by {@code npm ci} in {@code tools/chain}), and {@link
 * io.mpp4j.tempo.chain.ChainTest} gives a test class one chain of its own.
 */
@NullMarked
package io.mpp4j.tempo.chain;

import org.jspecify.annotations.NullMarked;
