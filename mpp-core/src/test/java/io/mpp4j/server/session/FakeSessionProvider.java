package io.mpp4j.server.session;

import io.mpp4j.config.Configuration;
import io.mpp4j.config.Schema;
import io.mpp4j.spi.PaymentMethod;
import io.mpp4j.spi.PaymentMethodProvider;

/** Provides {@link FakeSessionMethod} as {@code fake}, for the settings tests. */
public final class FakeSessionProvider implements PaymentMethodProvider {
  @Override
  public String name() {
    return FakeSessionMethod.NAME;
  }

  @Override
  public Schema settings() {
    return Schema.of();
  }

  @Override
  public PaymentMethod create(Configuration settings) {
    return new FakeSessionMethod();
  }
}
