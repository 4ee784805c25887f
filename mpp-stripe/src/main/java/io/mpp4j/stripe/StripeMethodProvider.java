package io.mpp4j.stripe;

import io.mpp4j.config.Configuration;
import io.mpp4j.config.ConfigurationException;
import io.mpp4j.config.Schema;
import io.mpp4j.config.Setting;
import io.mpp4j.spi.PaymentMethod;
import io.mpp4j.spi.PaymentMethodProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes {@link StripeMethod} available to string configuration ({@code web.xml}) under the name
 * {@code stripe}. Settings (init-parameters prefixed {@code stripe.}):
 *
 * <dl>
 *   <dt>{@code apiKeyEnv}
 *   <dd>Name of the environment variable holding the Stripe secret key, or {@code sys:<name>} for a
 *       system property; default {@code STRIPE_SECRET_KEY}. Never the key itself. Deployment fails
 *       when it is unset.
 *   <dt>{@code networkId}
 *   <dd>Required: the Stripe Business Network profile id ({@code profile_…}).
 *   <dt>{@code apiBase}
 *   <dd>API base URL for a local stand-in or a proxy; default Stripe's.
 *   <dt>{@code currency}
 *   <dd>Three-letter ISO 4217 code; default {@code usd}.
 *   <dt>{@code paymentMethodTypes}
 *   <dd>Comma-separated, e.g. {@code card,link}; default {@code card}.
 *   <dt>{@code captureAfterSuccess}
 *   <dd>{@code true}: authorize, capture after a 2xx answer, cancel otherwise; default {@code
 *       false}.
 *   <dt>{@code connectTimeout}, {@code readTimeout}, {@code retryBudget}
 *   <dd>ISO-8601 durations ({@code PT5S}) or whole seconds; defaults 5 s, 20 s, 30 s.
 *   <dt>{@code maxAttempts}
 *   <dd>Attempts per Stripe call, 1 to 10; default 3.
 *   <dt>{@code sptPlacement}
 *   <dd>{@code top_level} (default) or {@code payment_method_data}.
 *   <dt>{@code stripeVersion}
 *   <dd>{@code Stripe-Version} header; default {@value StripeConfig#DEFAULT_STRIPE_VERSION}.
 *   <dt>{@code chargesPerSecond}
 *   <dd>Bound on PaymentIntent creates a second (also the burst), 1 to 10,000; default {@value
 *       StripeConfig#DEFAULT_CHARGES_PER_SECOND}. Attempts beyond it are answered as retriable
 *       without calling Stripe.
 *   <dt>{@code sptClaimTtl}
 *   <dd>How long a used token stays claimed; ISO-8601 or seconds; default 24 h.
 *   <dt>{@code metadata.<key>}
 *   <dd>Extra PaymentIntent metadata entries.
 * </dl>
 *
 * <p>The settings are declared once, in {@link #settings()}. An unknown setting, a missing required
 * one or a bad value fails with a {@link ConfigurationException} naming the parameter; messages
 * never contain the API key.
 *
 * <p>Stateless and thread-safe.
 *
 * <pre>{@code
 * <init-param><param-name>methods</param-name><param-value>stripe</param-value></init-param>
 * <init-param><param-name>stripe.networkId</param-name><param-value>profile_61RZ...</param-value></init-param>
 * <init-param><param-name>stripe.apiBase</param-name><param-value>${STRIPE_API_BASE:}</param-value></init-param>
 * }</pre>
 */
public final class StripeMethodProvider implements PaymentMethodProvider {
  /** Default variable holding the API key. */
  public static final String DEFAULT_API_KEY_ENV = "STRIPE_SECRET_KEY";

  private static final String DURATION = "an ISO-8601 duration such as PT5S, or whole seconds";

  static final Setting<String> API_KEY_ENV =
      Setting.variableName("apiKeyEnv", DEFAULT_API_KEY_ENV)
          .doc("Name of the variable holding the Stripe secret or restricted key.");
  static final Setting<String> NETWORK_ID =
      Setting.string("networkId", "printable ASCII without spaces")
          .required("a Stripe profile id such as profile_…")
          .doc("The Stripe Business Network profile id.");
  static final Setting<String> API_BASE =
      Setting.string("apiBase", "an absolute http(s) URL")
          .documentedDefault("Stripe's")
          .doc("API base URL for a local stand-in or a proxy.");
  static final Setting<String> CURRENCY =
      Setting.string("currency", "a three-letter ISO 4217 code")
          .documentedDefault("`usd`")
          .doc("Three-letter ISO 4217 code.");
  static final Setting<List<String>> PAYMENT_METHOD_TYPES =
      Setting.of(
              "paymentMethodTypes",
              "comma-separated types such as card,link",
              (v, l) -> {
                List<String> list = new ArrayList<>();
                for (String t : v.split(",", -1)) {
                  list.add(t.strip());
                }
                return List.copyOf(list);
              })
          .documentedDefault("`card`")
          .doc("Comma-separated payment method types.");
  static final Setting<Boolean> CAPTURE_AFTER_SUCCESS =
      Setting.bool("captureAfterSuccess")
          .defaultValue(false, "`false`")
          .doc("Authorize, capture after a 2xx answer, cancel otherwise.");
  static final Setting<Duration> CONNECT_TIMEOUT =
      duration("connectTimeout", "1 ms to 2 minutes", "`PT5S`");
  static final Setting<Duration> READ_TIMEOUT =
      duration("readTimeout", "1 ms to 2 minutes", "`PT20S`");
  static final Setting<Duration> RETRY_BUDGET =
      duration("retryBudget", "100 ms to 5 minutes", "`PT30S`");
  static final Setting<Integer> MAX_ATTEMPTS =
      Setting.integer("maxAttempts", 1, 10)
          .documentedDefault("`3`")
          .doc("Attempts per Stripe call.");
  static final Setting<SptPlacement> SPT_PLACEMENT =
      Setting.choice(
              "sptPlacement",
              "top_level or payment_method_data",
              Map.of(
                  "top_level", SptPlacement.TOP_LEVEL,
                  "payment_method_data", SptPlacement.PAYMENT_METHOD_DATA))
          .documentedDefault("`top_level`")
          .doc("Where the token goes in the PaymentIntent request.");
  static final Setting<String> STRIPE_VERSION =
      Setting.string("stripeVersion", "a version such as 2026-07-29.preview")
          .documentedDefault("`" + StripeConfig.DEFAULT_STRIPE_VERSION + "`")
          .doc("The Stripe-Version header.");
  static final Setting<Duration> SPT_CLAIM_TTL =
      duration("sptClaimTtl", "1 minute to 30 days", "`PT24H`");
  static final Setting<Integer> CHARGES_PER_SECOND =
      Setting.integer("chargesPerSecond", 1, 10_000)
          .documentedDefault("`" + StripeConfig.DEFAULT_CHARGES_PER_SECOND + "`")
          .doc("Bound on PaymentIntent creates a second (also the burst).");
  static final String METADATA = "metadata.<key>";

  private static final Schema SETTINGS =
      Schema.of(
              API_KEY_ENV,
              NETWORK_ID,
              API_BASE,
              CURRENCY,
              PAYMENT_METHOD_TYPES,
              CAPTURE_AFTER_SUCCESS,
              CONNECT_TIMEOUT,
              READ_TIMEOUT,
              RETRY_BUDGET,
              MAX_ATTEMPTS,
              SPT_PLACEMENT,
              STRIPE_VERSION,
              CHARGES_PER_SECOND,
              SPT_CLAIM_TTL)
          .withGroup(METADATA);

  /** Creates the provider (ServiceLoader). */
  public StripeMethodProvider() {}

  @Override
  public String name() {
    return StripeMethod.NAME;
  }

  @Override
  public Schema settings() {
    return SETTINGS;
  }

  @Override
  public PaymentMethod create(Configuration settings) {
    StripeConfig.Builder b = StripeConfig.builder();
    String named = "the variable named by " + settings.noun() + " " + settings.key(API_KEY_ENV);
    String apiKey = settings.secret(API_KEY_ENV);
    if (apiKey == null) {
      throw new ConfigurationException(
          "no Stripe API key: " + named + " (" + settings.get(API_KEY_ENV) + ") is not set");
    }
    try {
      b.apiKey(apiKey);
    } catch (IllegalArgumentException e) {
      // The message names the rule broken, never the key.
      throw new ConfigurationException(
          "invalid Stripe API key in " + named + ": " + e.getMessage());
    }
    settings.apply(NETWORK_ID, b::networkId);
    settings.apply(API_BASE, b::apiBase);
    settings.apply(CURRENCY, b::currency);
    settings.apply(PAYMENT_METHOD_TYPES, b::paymentMethodTypes);
    settings.apply(CAPTURE_AFTER_SUCCESS, b::captureAfterSuccess);
    settings.apply(CONNECT_TIMEOUT, b::connectTimeout);
    settings.apply(READ_TIMEOUT, b::readTimeout);
    settings.apply(RETRY_BUDGET, b::retryBudget);
    settings.apply(SPT_CLAIM_TTL, b::sptClaimTtl);
    settings.apply(MAX_ATTEMPTS, b::maxAttempts);
    settings.apply(CHARGES_PER_SECOND, b::chargesPerSecond);
    settings.apply(SPT_PLACEMENT, b::sptPlacement);
    settings.apply(STRIPE_VERSION, b::stripeVersion);
    Map<String, String> metadata = new LinkedHashMap<>(settings.group(METADATA));
    if (!metadata.isEmpty()) {
      try {
        b.metadata(metadata);
      } catch (IllegalArgumentException e) {
        throw new ConfigurationException(
            "invalid " + settings.noun() + " " + settings.key("metadata.*") + ": " + e.getMessage(),
            e);
      }
    }
    return StripeMethod.create(b.build());
  }

  private static Setting<Duration> duration(String key, String range, String dflt) {
    return Setting.duration(key, DURATION)
        .rejectedAs("a duration of " + range)
        .documentedDefault(dflt)
        .doc("ISO-8601 duration (PT5S) or whole seconds, " + range + ".");
  }
}
