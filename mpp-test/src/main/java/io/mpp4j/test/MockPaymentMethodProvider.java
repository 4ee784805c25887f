package io.mpp4j.test;

import io.mpp4j.config.Configuration;
import io.mpp4j.config.Schema;
import io.mpp4j.config.Setting;
import io.mpp4j.spi.PaymentMethod;
import io.mpp4j.spi.PaymentMethodProvider;
import java.math.BigDecimal;
import java.util.Map;

/**
 * Makes {@link MockPaymentMethod} available to string configuration ({@code web.xml}) under the
 * name {@code mock}. Settings: {@code mock.currency} (default {@code usd}), {@code mock.decimals}
 * (default {@code 2}), {@code mock.recipient} (default {@code mock-merchant}), {@code mock.mode}
 * ({@code accept}, {@code decline} or {@code fail}; default {@code accept}); for the session
 * intent, {@code mock.sessionSecret} (what voucher keys derive from, at least 16 characters;
 * default {@value MockPaymentMethod#DEFAULT_SESSION_SECRET}) and {@code mock.maxDeposit} (the
 * largest channel deposit in human units; default {@code 1000}).
 */
public final class MockPaymentMethodProvider implements PaymentMethodProvider {
  static final Setting<String> CURRENCY =
      Setting.string("currency", "a currency code").defaultValue("usd", "`usd`");
  static final Setting<Integer> DECIMALS =
      Setting.integer("decimals", 0, 18).defaultValue(2, "`2`");
  static final Setting<String> RECIPIENT =
      Setting.string("recipient", "a recipient name")
          .defaultValue("mock-merchant", "`mock-merchant`");
  static final Setting<MockPaymentMethod.Mode> MODE =
      Setting.choice(
              "mode",
              "accept, decline or fail",
              Map.of(
                  "accept", MockPaymentMethod.Mode.ACCEPT,
                  "decline", MockPaymentMethod.Mode.DECLINE,
                  "fail", MockPaymentMethod.Mode.FAIL))
          .defaultValue(MockPaymentMethod.Mode.ACCEPT, "`accept`");
  static final Setting<String> SESSION_SECRET =
      Setting.of(
              "sessionSecret",
              "at least 16 characters",
              (v, l) -> {
                if (v.length() < 16) {
                  throw new IllegalArgumentException("shorter than 16 characters");
                }
                return v;
              })
          .defaultValue(
              MockPaymentMethod.DEFAULT_SESSION_SECRET,
              "`" + MockPaymentMethod.DEFAULT_SESSION_SECRET + "`");
  static final Setting<BigDecimal> MAX_DEPOSIT =
      Setting.of(
              "maxDeposit",
              "a positive decimal amount such as 1000",
              (v, l) -> {
                BigDecimal d = new BigDecimal(v);
                if (d.signum() <= 0) {
                  throw new IllegalArgumentException("not positive");
                }
                return d;
              })
          .defaultValue(MockPaymentMethod.DEFAULT_MAX_DEPOSIT, "`1000`");
  private static final Schema SETTINGS =
      Schema.of(CURRENCY, DECIMALS, RECIPIENT, MODE, SESSION_SECRET, MAX_DEPOSIT);

  /** Creates the provider (ServiceLoader). */
  public MockPaymentMethodProvider() {}

  @Override
  public String name() {
    return MockPaymentMethod.NAME;
  }

  @Override
  public Schema settings() {
    return SETTINGS;
  }

  @Override
  public PaymentMethod create(Configuration settings) {
    return MockPaymentMethod.create(
            settings.get(CURRENCY), settings.get(DECIMALS), settings.get(RECIPIENT))
        .mode(settings.get(MODE))
        .sessionSecret(settings.get(SESSION_SECRET))
        .maxDeposit(settings.get(MAX_DEPOSIT));
  }
}
