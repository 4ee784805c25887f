package io.mpp4j.tempo.chain;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts one {@link AnvilChain} per test class (in {@code beforeAll}), resolves {@code AnvilChain}
 * parameters to it and closes it when the class is done, whether its tests passed or not.
 *
 * <p>When no anvil binary is found (see {@link AnvilChain#findBinary()}) each test of the class is
 * skipped with a message naming the install command, except when the environment variable {@code
 * CI} is set: then the class fails, so that a CI run cannot silently lose its chain tests.
 */
public final class AnvilExtension
    implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(AnvilExtension.class);

  /** Used by JUnit. */
  public AnvilExtension() {}

  @Override
  public void beforeAll(ExtensionContext context) {
    holder(context);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    Holder h = holder(context);
    Assumptions.assumeTrue(h.chain != null, h.missing);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == AnvilChain.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context)
      throws ParameterResolutionException {
    Holder h = holder(context);
    Assumptions.assumeTrue(h.chain != null, h.missing);
    return h.chain;
  }

  private static Holder holder(ExtensionContext context) {
    return classContext(context)
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(Holder.class, k -> startOrRecordMissing(), Holder.class);
  }

  private static ExtensionContext classContext(ExtensionContext context) {
    ExtensionContext c = context;
    while (c.getTestMethod().isPresent() && c.getParent().isPresent()) {
      c = c.getParent().get();
    }
    return c;
  }

  private static Holder startOrRecordMissing() {
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
      return new Holder(null, message + "; skipping this chain test");
    }
    return new Holder(AnvilChain.start(), "");
  }

  private static final class Holder implements ExtensionContext.Store.CloseableResource {
    final @Nullable AnvilChain chain;
    final String missing;

    Holder(@Nullable AnvilChain chain, String missing) {
      this.chain = chain;
      this.missing = missing;
    }

    @Override
    public void close() {
      if (chain != null) {
        chain.close();
      }
    }
  }
}
