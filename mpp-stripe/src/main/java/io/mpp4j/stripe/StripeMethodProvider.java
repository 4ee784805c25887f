package io.mpp4j.stripe;

import io.mpp4j.spi.MethodSettings;
import io.mpp4j.spi.PaymentMethod;
import io.mpp4j.spi.PaymentMethodProvider;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

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
 * <p>An unknown setting, a missing required one or a bad value fails with an {@link
 * IllegalArgumentException} naming the parameter; messages never contain the API key.
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

  private static final Set<String> KNOWN =
      Set.of(
          "apiKeyEnv",
          "networkId",
          "apiBase",
          "currency",
          "paymentMethodTypes",
          "captureAfterSuccess",
          "connectTimeout",
          "readTimeout",
          "retryBudget",
          "maxAttempts",
          "sptPlacement",
          "stripeVersion",
          "sptClaimTtl",
          "chargesPerSecond");

  /** Creates the provider (ServiceLoader). */
  public StripeMethodProvider() {}

  @Override
  public String name() {
    return StripeMethod.NAME;
  }

  @Override
  public PaymentMethod create(MethodSettings settings) {
    for (String key : settings.asMap().keySet()) {
      if (!KNOWN.contains(key) && !key.startsWith("metadata.")) {
        throw new IllegalArgumentException(
            "unknown init-parameter "
                + settings.param(key)
                + " (known: "
                + new TreeSet<>(KNOWN)
                + " and metadata.<key>)");
      }
    }
    StripeConfig.Builder b = StripeConfig.builder();

    String apiKey = settings.secret("apiKeyEnv", DEFAULT_API_KEY_ENV);
    if (apiKey == null) {
      throw new IllegalArgumentException(
          "no Stripe API key: the variable named by init-parameter "
              + settings.param("apiKeyEnv")
              + " ("
              + settings.get("apiKeyEnv", DEFAULT_API_KEY_ENV)
              + ") is not set");
    }
    try {
      b.apiKey(apiKey);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "invalid Stripe API key in the variable named by init-parameter "
              + settings.param("apiKeyEnv")
              + ": "
              + e.getMessage());
    }

    String networkId = settings.require("networkId", "a Stripe profile id such as profile_…");
    settings.apply("networkId", "printable ASCII without spaces", () -> b.networkId(networkId));
    String apiBase = settings.get("apiBase");
    if (apiBase != null) {
      settings.apply("apiBase", "an absolute http(s) URL", () -> b.apiBase(apiBase));
    }
    String currency = settings.get("currency");
    if (currency != null) {
      settings.apply("currency", "a three-letter ISO 4217 code", () -> b.currency(currency));
    }
    String types = settings.get("paymentMethodTypes");
    if (types != null) {
      List<String> list = new ArrayList<>();
      for (String t : types.split(",", -1)) {
        list.add(t.strip());
      }
      settings.apply(
          "paymentMethodTypes",
          "comma-separated types such as card,link",
          () -> b.paymentMethodTypes(list));
    }
    if (settings.get("captureAfterSuccess") != null) {
      b.captureAfterSuccess(settings.bool("captureAfterSuccess", false));
    }
    settings.duration("connectTimeout", "1 ms to 2 minutes", b::connectTimeout);
    settings.duration("readTimeout", "1 ms to 2 minutes", b::readTimeout);
    settings.duration("retryBudget", "100 ms to 5 minutes", b::retryBudget);
    settings.duration("sptClaimTtl", "1 minute to 30 days", b::sptClaimTtl);
    String attempts = settings.get("maxAttempts");
    if (attempts != null) {
      int n;
      try {
        n = Integer.parseInt(attempts);
      } catch (NumberFormatException e) {
        throw settings.invalid("maxAttempts", "an integer from 1 to 10");
      }
      settings.apply("maxAttempts", "an integer from 1 to 10", () -> b.maxAttempts(n));
    }
    String rate = settings.get("chargesPerSecond");
    if (rate != null) {
      int n;
      try {
        n = Integer.parseInt(rate.strip());
      } catch (NumberFormatException e) {
        throw settings.invalid("chargesPerSecond", "an integer from 1 to 10000");
      }
      settings.apply("chargesPerSecond", "an integer from 1 to 10000", () -> b.chargesPerSecond(n));
    }
    String placement = settings.get("sptPlacement");
    if (placement != null) {
      switch (placement.toLowerCase(Locale.ROOT).replace('-', '_')) {
        case "top_level":
          b.sptPlacement(SptPlacement.TOP_LEVEL);
          break;
        case "payment_method_data":
          b.sptPlacement(SptPlacement.PAYMENT_METHOD_DATA);
          break;
        default:
          throw settings.invalid("sptPlacement", "top_level or payment_method_data");
      }
    }
    String version = settings.get("stripeVersion");
    if (version != null) {
      settings.apply(
          "stripeVersion", "a version such as 2026-07-29.preview", () -> b.stripeVersion(version));
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    settings
        .asMap()
        .forEach(
            (k, v) -> {
              if (k.startsWith("metadata.")) {
                metadata.put(k.substring("metadata.".length()), v.strip());
              }
            });
    if (!metadata.isEmpty()) {
      try {
        b.metadata(metadata);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "invalid init-parameter " + settings.param("metadata.*") + ": " + e.getMessage());
      }
    }
    return StripeMethod.create(b.build());
  }
}
