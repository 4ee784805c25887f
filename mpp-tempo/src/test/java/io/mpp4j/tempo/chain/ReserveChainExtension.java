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
 * Starts one {@link ReserveChain} per test class (in {@code beforeAll}), resolves {@code
 * ReserveChain} parameters to it and closes it when the class is done, whether its tests passed or
 * not.
 *
 * <p>Without an anvil binary each test of the class is skipped, except when the environment
 * variable {@code CI} is set: then the class fails (as with {@link AnvilExtension}).
 */
public final class ReserveChainExtension
    implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(ReserveChainExtension.class);

  /** Used by JUnit. */
  public ReserveChainExtension() {}

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
    return parameter.getParameter().getType() == ReserveChain.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context)
      throws ParameterResolutionException {
    Holder h = holder(context);
    Assumptions.assumeTrue(h.chain != null, h.missing);
    return h.chain;
  }

  private static Holder holder(ExtensionContext context) {
    ExtensionContext c = context;
    while (c.getTestMethod().isPresent() && c.getParent().isPresent()) {
      c = c.getParent().get();
    }
    return c.getStore(NAMESPACE)
        .getOrComputeIfAbsent(Holder.class, k -> startOrRecordMissing(), Holder.class);
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
    return new Holder(ReserveChain.start(), "");
  }

  private static final class Holder implements ExtensionContext.Store.CloseableResource {
    final @Nullable ReserveChain chain;
    final String missing;

    Holder(@Nullable ReserveChain chain, String missing) {
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
