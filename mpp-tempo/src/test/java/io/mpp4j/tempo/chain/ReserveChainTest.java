package io.mpp4j.tempo.chain;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class that runs against a local chain hosting v2 payment channels: tags it {@code
 * chain} (like {@link ChainTest}) and gives it one {@link ReserveChain} (anvil, the channel-reserve
 * stand-in and the JSON-RPC shim) for the whole class through {@link ReserveChainExtension},
 * injected as a parameter of {@code @BeforeAll}, {@code @BeforeEach}, test methods or the
 * constructor.
 *
 * <pre>{@code
 * @ReserveChainTest
 * class SessionOnChainTest {
 *   @Test
 *   void opens(ReserveChain chain) { ... }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Tag("chain")
@ExtendWith(ReserveChainExtension.class)
public @interface ReserveChainTest {}
