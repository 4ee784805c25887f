package io.mpp4j.test;

import io.mpp4j.spi.MethodSettings;
import io.mpp4j.spi.PaymentMethod;
import io.mpp4j.spi.PaymentMethodProvider;
import java.util.Locale;

/**
 * Makes {@link MockPaymentMethod} available to string configuration ({@code web.xml}) under the
 * name {@code mock}. Settings: {@code mock.currency} (default {@code usd}), {@code mock.decimals}
 * (default {@code 2}), {@code mock.recipient} (default {@code mock-merchant}), {@code mock.mode}
 * ({@code accept}, {@code decline} or {@code fail}; default {@code accept}).
 */
public final class MockPaymentMethodProvider implements PaymentMethodProvider {
  /** Creates the provider (ServiceLoader). */
  public MockPaymentMethodProvider() {}

  @Override
  public String name() {
    return MockPaymentMethod.NAME;
  }

  @Override
  public PaymentMethod create(MethodSettings settings) {
    int decimals;
    try {
      decimals = Integer.parseInt(settings.get("decimals", "2"));
    } catch (NumberFormatException e) {
      throw settings.invalid("decimals", "an integer from 0 to 18");
    }
    if (decimals < 0 || decimals > 18) {
      throw settings.invalid("decimals", "an integer from 0 to 18");
    }
    MockPaymentMethod.Mode mode;
    try {
      mode =
          MockPaymentMethod.Mode.valueOf(settings.get("mode", "accept").toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw settings.invalid("mode", "accept, decline or fail");
    }
    return MockPaymentMethod.create(
            settings.get("currency", "usd"), decimals, settings.get("recipient", "mock-merchant"))
        .mode(mode);
  }
}
