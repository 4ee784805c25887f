package io.mpp4j.tempo.chain;

import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts one chain fixture per test class (in {@code beforeAll}), resolves parameters of its type
 * to it and closes it when the class is done, whether its tests passed or not.
 *
 * <p>When no anvil binary is found (see {@link AnvilChain#findBinary()}) each test of the class is
 * skipped with a message naming the install command, except when the environment variable {@code
 * CI} is set: then the class fails, so that a CI run cannot silently lose its chain tests.
 *
 * @param <T> the fixture: {@link AnvilChain} ({@link AnvilExtension}) or {@link ReserveChain}
 *     ({@link ReserveChainExtension})
 */
abstract class ChainFixtureExtension<T extends AutoCloseable>
    implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {
  private final Class<T> type;
  private final Supplier<T> start;
  private final ExtensionContext.Namespace namespace;

  ChainFixtureExtension(Class<T> type, Supplier<T> start) {
    this.type = Objects.requireNonNull(type, "type == null");
    this.start = Objects.requireNonNull(start, "start == null");
    this.namespace = ExtensionContext.Namespace.create(getClass());
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    holder(context);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    Holder<T> h = holder(context);
    Assumptions.assumeTrue(h.fixture != null, h.missing);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == type;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context)
      throws ParameterResolutionException {
    Holder<T> h = holder(context);
    Assumptions.assumeTrue(h.fixture != null, h.missing);
    return Objects.requireNonNull(h.fixture);
  }

  @SuppressWarnings("unchecked") // the store holds only this extension's holder under its key
  private Holder<T> holder(ExtensionContext context) {
    ExtensionContext c = context;
    while (c.getTestMethod().isPresent() && c.getParent().isPresent()) {
      c = c.getParent().get();
    }
    return c.getStore(namespace)
        .getOrComputeIfAbsent(Holder.class, k -> startOrRecordMissing(), Holder.class);
  }

  private Holder<T> startOrRecordMissing() {
    if (AnvilChain.findBinary().isEmpty()) {
      String message =
          "anvil not found: run "
              + AnvilChain.INSTALL_HINT
              + " in the repository, or set "
              + AnvilChain.ENV_BINARY;
      if (System.getenv("CI") != null) {
        throw new IllegalStateException(
            message + " (CI is set, so chain tests may not be skipped)");
      }
      return new Holder<>(null, message + "; skipping this chain test");
    }
    return new Holder<>(start.get(), "");
  }

  private static final class Holder<T extends AutoCloseable>
      implements ExtensionContext.Store.CloseableResource {
    final @Nullable T fixture;
    final String missing;

    Holder(@Nullable T fixture, String missing) {
      this.fixture = fixture;
      this.missing = missing;
    }

    @Override
    public void close() throws Exception {
      if (fixture != null) {
        fixture.close();
      }
    }
  }
}
