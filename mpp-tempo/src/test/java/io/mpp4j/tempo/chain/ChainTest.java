package io.mpp4j.tempo.chain;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class that runs against a real local Tempo chain: tags it {@code chain} (select with
 * {@code -Dgroups=chain}, leave out with {@code -DexcludedGroups=chain}) and gives it one {@link
 * AnvilChain} for the whole class through {@link AnvilExtension}, injected as a parameter of
 * {@code @BeforeAll}, {@code @BeforeEach}, test methods or the constructor.
 *
 * <pre>{@code
 * @ChainTest
 * class PaymentOnChainTest {
 *   @Test
 *   void pays(AnvilChain chain) { ... }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Tag("chain")
@ExtendWith(AnvilExtension.class)
public @interface ChainTest {}
