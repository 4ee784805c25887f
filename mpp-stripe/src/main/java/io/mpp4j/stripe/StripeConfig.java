package io.mpp4j.stripe;

import com.stripe.StripeClient;
import io.mpp4j.stripe.internal.Currencies;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The settings of the {@code stripe} payment method: how to reach Stripe, what to offer, and how
 * patiently to settle.
 *
 * <p>Immutable and thread-safe. The API key is never printed, not even by {@link #toString()}.
 *
 * <pre>{@code
 * StripeConfig config = StripeConfig.builder()
 *     .apiKey(System.getenv("STRIPE_SECRET_KEY"))
 *     .networkId("profile_61RZ...")            // your Stripe Business Network profile
 *     .currency("usd")
 *     .build();
 * PaymentGate gate = PaymentGate.builder()
 *     .realm("api.example.com")
 *     .secret(secret)
 *     .method(StripeMethod.create(config))
 *     .build();
 * }</pre>
 */
public final class StripeConfig {
  /** The preview API version Shared Payment Tokens need, sent as {@code Stripe-Version}. */
  public static final String DEFAULT_STRIPE_VERSION = "2026-07-29.preview";

  /** Default currency. */
  public static final String DEFAULT_CURRENCY = "usd";

  /** Default payment method types offered to the payer. */
  public static final List<String> DEFAULT_PAYMENT_METHOD_TYPES = List.of("card");

  /** Default time to open a connection to Stripe. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /** Default time to wait for Stripe's answer to one request. */
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(20);

  /** Default number of attempts per Stripe call (the first plus retries). */
  public static final int DEFAULT_MAX_ATTEMPTS = 3;

  /** Default wait before the first retry; it doubles for each further retry. */
  public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofMillis(250);

  /** Default bound on all attempts of one Stripe call together, waits included. */
  public static final Duration DEFAULT_RETRY_BUDGET = Duration.ofSeconds(30);

  /** Default time a used shared payment token stays claimed in the replay store. */
  public static final Duration DEFAULT_SPT_CLAIM_TTL = Duration.ofHours(24);

  /**
   * Default bound on PaymentIntent creates a second (also the burst): a quarter of Stripe's default
   * live-mode limit of 100 operations a second, so the merchant's other Stripe traffic keeps its
   * share, and Stripe's test-mode limit.
   */
  public static final int DEFAULT_CHARGES_PER_SECOND = 25;

  private static final int MAX_USER_METADATA = 40;

  private final @Nullable String apiKey;
  private final @Nullable StripeClient stripeClient;
  private final @Nullable String apiBase;
  private final String networkId;
  private final List<String> paymentMethodTypes;
  private final String currency;
  private final boolean captureAfterSuccess;
  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final int maxAttempts;
  private final Duration retryBackoff;
  private final Duration retryBudget;
  private final SptPlacement sptPlacement;
  private final String stripeVersion;
  private final Map<String, String> metadata;
  private final Duration sptClaimTtl;
  private final int chargesPerSecond;
  private final LongSupplier ticker;

  private StripeConfig(Builder b, String networkId) {
    this.apiKey = b.apiKey;
    this.stripeClient = b.stripeClient;
    this.apiBase = b.apiBase;
    this.networkId = networkId;
    this.paymentMethodTypes = List.copyOf(b.paymentMethodTypes);
    this.currency = b.currency;
    this.captureAfterSuccess = b.captureAfterSuccess;
    this.connectTimeout = b.connectTimeout;
    this.readTimeout = b.readTimeout;
    this.maxAttempts = b.maxAttempts;
    this.retryBackoff = b.retryBackoff;
    this.retryBudget = b.retryBudget;
    this.sptPlacement = b.sptPlacement;
    this.stripeVersion = b.stripeVersion;
    this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(b.metadata));
    this.sptClaimTtl = b.sptClaimTtl;
    this.chargesPerSecond = b.chargesPerSecond;
    this.ticker = b.ticker;
  }

  /** Starts a builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder pre-filled with these settings (the API key or client included). */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.apiKey = apiKey;
    b.stripeClient = stripeClient;
    b.apiBase = apiBase;
    b.networkId = networkId;
    b.paymentMethodTypes = new ArrayList<>(paymentMethodTypes);
    b.currency = currency;
    b.captureAfterSuccess = captureAfterSuccess;
    b.connectTimeout = connectTimeout;
    b.readTimeout = readTimeout;
    b.maxAttempts = maxAttempts;
    b.retryBackoff = retryBackoff;
    b.retryBudget = retryBudget;
    b.sptPlacement = sptPlacement;
    b.stripeVersion = stripeVersion;
    b.metadata = new LinkedHashMap<>(metadata);
    b.sptClaimTtl = sptClaimTtl;
    b.chargesPerSecond = chargesPerSecond;
    b.ticker = ticker;
    return b;
  }

  /** The API key, or null when a configured client was given. Package-private: never exposed. */
  @Nullable String apiKey() {
    return apiKey;
  }

  /** The caller's configured client, or null when this module builds its own. */
  public @Nullable StripeClient stripeClient() {
    return stripeClient;
  }

  /** The API base URL overriding Stripe's ({@code https://api.stripe.com}), or null. */
  public @Nullable String apiBase() {
    return apiBase;
  }

  /** The Stripe Business Network profile id offered as {@code methodDetails.networkId}. */
  public String networkId() {
    return networkId;
  }

  /** The payment method types offered as {@code methodDetails.paymentMethodTypes}. */
  public List<String> paymentMethodTypes() {
    return paymentMethodTypes;
  }

  /** The currency (lower-case ISO 4217) unless a route overrides it. */
  public String currency() {
    return currency;
  }

  /** Whether routes authorize first and capture after the application answered 2xx by default. */
  public boolean captureAfterSuccess() {
    return captureAfterSuccess;
  }

  /** The connect timeout per Stripe request. */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** The read timeout per Stripe request. */
  public Duration readTimeout() {
    return readTimeout;
  }

  /** Attempts per Stripe call, the first included. */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** The wait before the first retry (doubling after). */
  public Duration retryBackoff() {
    return retryBackoff;
  }

  /** The bound on all attempts of one Stripe call together. */
  public Duration retryBudget() {
    return retryBudget;
  }

  /** Where the shared payment token goes in the request. */
  public SptPlacement sptPlacement() {
    return sptPlacement;
  }

  /** The {@code Stripe-Version} sent with every request. */
  public String stripeVersion() {
    return stripeVersion;
  }

  /** Extra PaymentIntent metadata, also offered as {@code methodDetails.metadata}. */
  public Map<String, String> metadata() {
    return metadata;
  }

  /** How long a used shared payment token stays claimed. */
  public Duration sptClaimTtl() {
    return sptClaimTtl;
  }

  /** The bound on PaymentIntent creates a second (also the burst). */
  public int chargesPerSecond() {
    return chargesPerSecond;
  }

  /** The monotonic time source of the rate bound (tests replace it). */
  LongSupplier ticker() {
    return ticker;
  }

  /** Lists the settings with the API key redacted. */
  @Override
  public String toString() {
    return "StripeConfig{"
        + (stripeClient != null ? "stripeClient=<caller's>" : "apiKey=<redacted>")
        + (apiBase == null ? "" : ", apiBase=" + apiBase)
        + ", networkId="
        + networkId
        + ", paymentMethodTypes="
        + paymentMethodTypes
        + ", currency="
        + currency
        + ", captureAfterSuccess="
        + captureAfterSuccess
        + ", connectTimeout="
        + connectTimeout
        + ", readTimeout="
        + readTimeout
        + ", maxAttempts="
        + maxAttempts
        + ", retryBackoff="
        + retryBackoff
        + ", retryBudget="
        + retryBudget
        + ", sptPlacement="
        + sptPlacement
        + ", stripeVersion="
        + stripeVersion
        + ", metadata="
        + metadata.keySet()
        + ", sptClaimTtl="
        + sptClaimTtl
        + ", chargesPerSecond="
        + chargesPerSecond
        + "}";
  }

  /** Builds a {@link StripeConfig}. Not thread-safe. */
  public static final class Builder {
    private @Nullable String apiKey;
    private @Nullable StripeClient stripeClient;
    private @Nullable String apiBase;
    private @Nullable String networkId;
    private List<String> paymentMethodTypes = new ArrayList<>(DEFAULT_PAYMENT_METHOD_TYPES);
    private String currency = DEFAULT_CURRENCY;
    private boolean captureAfterSuccess;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration readTimeout = DEFAULT_READ_TIMEOUT;
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Duration retryBackoff = DEFAULT_RETRY_BACKOFF;
    private Duration retryBudget = DEFAULT_RETRY_BUDGET;
    private SptPlacement sptPlacement = SptPlacement.TOP_LEVEL;
    private String stripeVersion = DEFAULT_STRIPE_VERSION;
    private Map<String, String> metadata = new LinkedHashMap<>();
    private Duration sptClaimTtl = DEFAULT_SPT_CLAIM_TTL;
    private int chargesPerSecond = DEFAULT_CHARGES_PER_SECOND;
    private LongSupplier ticker = System::nanoTime;

    private Builder() {}

    /**
     * The Stripe secret or restricted key ({@code sk_…}, {@code rk_…}) this module builds its own
     * client with. Read it from a secret source such as an environment variable; never put it in
     * {@code web.xml}. Required unless {@link #stripeClient} is set.
     *
     * @throws IllegalArgumentException when empty or containing whitespace or control characters
     *     (the message never repeats the key)
     */
    public Builder apiKey(String apiKey) {
      Objects.requireNonNull(apiKey, "apiKey == null");
      if (apiKey.isEmpty() || apiKey.length() > 512) {
        throw new IllegalArgumentException("apiKey must be 1 to 512 characters");
      }
      for (int i = 0; i < apiKey.length(); i++) {
        char c = apiKey.charAt(i);
        if (c <= 0x20 || c >= 0x7F) {
          throw new IllegalArgumentException(
              "apiKey must be printable ASCII without spaces (check the secret's source)");
        }
      }
      this.apiKey = apiKey;
      return this;
    }

    /**
     * A configured stripe-java client to use instead of an API key (for example one with a custom
     * {@code HttpClient}). Its network retries are overridden per request: this module does its own
     * retries with the same idempotency key. Mind its transport: stripe-java's default, {@code
     * HttpURLConnection}, silently resends a POST when a kept-alive connection drops; Stripe
     * answers that hidden copy as a replay, which this module refuses (fail closed, but a paid
     * request goes unserved). Run such a client with {@code -Dsun.net.http.retryPost=false}, or let
     * this module build its client from {@link #apiKey}.
     */
    public Builder stripeClient(StripeClient stripeClient) {
      this.stripeClient = Objects.requireNonNull(stripeClient, "stripeClient == null");
      return this;
    }

    /**
     * The API base URL, for a local stand-in in tests or an egress proxy; default Stripe's own.
     * Only with {@link #apiKey}.
     *
     * @throws IllegalArgumentException when not an absolute http(s) URL without query or fragment
     */
    public Builder apiBase(@Nullable String apiBase) {
      if (apiBase == null) {
        this.apiBase = null;
        return this;
      }
      URI uri;
      try {
        uri = new URI(apiBase);
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException(
            "apiBase must be an absolute http(s) URL, but was \"" + apiBase + "\"");
      }
      String scheme = uri.getScheme();
      if (!("https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme))
          || uri.getHost() == null
          || uri.getRawQuery() != null
          || uri.getRawFragment() != null
          || uri.getRawUserInfo() != null) {
        throw new IllegalArgumentException(
            "apiBase must be an absolute http(s) URL without user info, query or fragment, but"
                + " was \""
                + apiBase
                + "\"");
      }
      String base = apiBase;
      while (base.endsWith("/")) {
        base = base.substring(0, base.length() - 1);
      }
      this.apiBase = base;
      return this;
    }

    /**
     * The Stripe Business Network profile id ({@code profile_…}) payers' agents issue tokens for;
     * required.
     *
     * @throws IllegalArgumentException when empty, longer than 255 or not printable ASCII without
     *     spaces
     */
    public Builder networkId(String networkId) {
      Objects.requireNonNull(networkId, "networkId == null");
      if (networkId.isEmpty() || networkId.length() > 255 || !printableToken(networkId)) {
        throw new IllegalArgumentException(
            "networkId must be 1 to 255 printable ASCII characters without spaces, but was \""
                + networkId
                + "\"");
      }
      this.networkId = networkId;
      return this;
    }

    /**
     * The payment method types offered ({@code card}, {@code link}, …); default {@code [card]}.
     *
     * @throws IllegalArgumentException when empty, repeating a type, or a type is not {@code
     *     [a-z_]{1,40}}
     */
    public Builder paymentMethodTypes(List<String> types) {
      Objects.requireNonNull(types, "types == null");
      if (types.isEmpty()) {
        throw new IllegalArgumentException("paymentMethodTypes must name at least one type");
      }
      LinkedHashSet<String> seen = new LinkedHashSet<>();
      for (String t : types) {
        Objects.requireNonNull(t, "payment method type == null");
        if (!t.matches("[a-z_]{1,40}")) {
          throw new IllegalArgumentException(
              "payment method types must be [a-z_]{1,40} such as card, but was \"" + t + "\"");
        }
        if (!seen.add(t)) {
          throw new IllegalArgumentException("payment method type \"" + t + "\" is repeated");
        }
      }
      this.paymentMethodTypes = new ArrayList<>(seen);
      return this;
    }

    /**
     * The currency, a three-letter ISO 4217 code (sent lower case); default {@code usd}. A route
     * may override it.
     *
     * @throws IllegalArgumentException when not three ASCII letters
     */
    public Builder currency(String currency) {
      this.currency = Currencies.normalize(Objects.requireNonNull(currency, "currency == null"));
      return this;
    }

    /**
     * Whether every route authorizes first and captures only after the application answered 2xx
     * (cancelling the authorization otherwise); default false (charge at verification). A route
     * overrides it with the {@code opaque} entry {@link StripeMethod#CAPTURE_OPAQUE_KEY}.
     */
    public Builder captureAfterSuccess(boolean captureAfterSuccess) {
      this.captureAfterSuccess = captureAfterSuccess;
      return this;
    }

    /**
     * The connect timeout per request; default 5 seconds.
     *
     * @throws IllegalArgumentException when not between 1 ms and 2 minutes
     */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = between("connectTimeout", timeout, Duration.ofMillis(1), 2);
      return this;
    }

    /**
     * The read timeout per request; default 20 seconds. A call that times out is retried with the
     * same idempotency key.
     *
     * @throws IllegalArgumentException when not between 1 ms and 2 minutes
     */
    public Builder readTimeout(Duration timeout) {
      this.readTimeout = between("readTimeout", timeout, Duration.ofMillis(1), 2);
      return this;
    }

    /**
     * Attempts per Stripe call, the first included; default 3. Only outages (5xx, 409, 429,
     * timeouts, connection failures) are retried, always with the same idempotency key.
     *
     * @throws IllegalArgumentException when not between 1 and 10
     */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1 || maxAttempts > 10) {
        throw new IllegalArgumentException(
            "maxAttempts must be between 1 and 10, but was " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * The wait before the first retry, doubling for each further one; default 250 ms.
     *
     * @throws IllegalArgumentException when negative or longer than 10 seconds
     */
    public Builder retryBackoff(Duration backoff) {
      Objects.requireNonNull(backoff, "retryBackoff == null");
      if (backoff.isNegative() || backoff.compareTo(Duration.ofSeconds(10)) > 0) {
        throw new IllegalArgumentException(
            "retryBackoff must be between PT0S and PT10S, but was " + backoff);
      }
      this.retryBackoff = backoff;
      return this;
    }

    /**
     * The bound on one Stripe call with all its retries and waits; default 30 seconds. No attempt
     * starts after it is spent, and each attempt's timeouts are cut to what is left of it.
     *
     * @throws IllegalArgumentException when not between 100 ms and 5 minutes
     */
    public Builder retryBudget(Duration budget) {
      this.retryBudget = between("retryBudget", budget, Duration.ofMillis(100), 5);
      return this;
    }

    /**
     * Where the shared payment token goes in the request; default {@link SptPlacement#TOP_LEVEL}.
     */
    public Builder sptPlacement(SptPlacement placement) {
      this.sptPlacement = Objects.requireNonNull(placement, "sptPlacement == null");
      return this;
    }

    /**
     * The {@code Stripe-Version} sent with every request; default {@value #DEFAULT_STRIPE_VERSION},
     * the preview version Shared Payment Tokens need.
     *
     * @throws IllegalArgumentException when not {@code [0-9A-Za-z._-]{1,40}}
     */
    public Builder stripeVersion(String version) {
      Objects.requireNonNull(version, "stripeVersion == null");
      if (!version.matches("[0-9A-Za-z._-]{1,40}")) {
        throw new IllegalArgumentException(
            "stripeVersion must look like 2026-07-29.preview, but was \"" + version + "\"");
      }
      this.stripeVersion = version;
      return this;
    }

    /**
     * Extra PaymentIntent metadata (and {@code methodDetails.metadata} of the offer); default none.
     *
     * @throws IllegalArgumentException for more than 40 entries, keys that are empty, longer than
     *     40, contain square brackets or are reserved ({@code machine_payment} and every key
     *     starting with {@code mpp_}, which this module sets), or values longer than 500 characters
     */
    public Builder metadata(Map<String, String> metadata) {
      Objects.requireNonNull(metadata, "metadata == null");
      if (metadata.size() > MAX_USER_METADATA) {
        throw new IllegalArgumentException(
            "metadata may have at most "
                + MAX_USER_METADATA
                + " entries, but has "
                + metadata.size());
      }
      Map<String, String> copy = new LinkedHashMap<>();
      for (Map.Entry<String, String> e : metadata.entrySet()) {
        String key = Objects.requireNonNull(e.getKey(), "metadata key == null");
        String value = Objects.requireNonNull(e.getValue(), "metadata value == null");
        if (key.isEmpty() || key.length() > 40 || key.indexOf('[') >= 0 || key.indexOf(']') >= 0) {
          throw new IllegalArgumentException(
              "metadata keys must be 1 to 40 characters without [ or ], but was \"" + key + "\"");
        }
        if (key.equals("machine_payment") || key.startsWith("mpp_")) {
          throw new IllegalArgumentException(
              "metadata key \"" + key + "\" is reserved (machine_payment and mpp_*)");
        }
        if (value.length() > 500) {
          throw new IllegalArgumentException(
              "metadata value of \"" + key + "\" is longer than 500 characters");
        }
        copy.put(key, value);
      }
      this.metadata = copy;
      return this;
    }

    /**
     * How long a used shared payment token stays claimed in the replay store, so it cannot pay a
     * second challenge; default 24 hours. Keep it longer than the tokens your payers' agents issue
     * live.
     *
     * @throws IllegalArgumentException when not between 1 minute and 30 days
     */
    public Builder sptClaimTtl(Duration ttl) {
      Objects.requireNonNull(ttl, "sptClaimTtl == null");
      if (ttl.compareTo(Duration.ofMinutes(1)) < 0 || ttl.compareTo(Duration.ofDays(30)) > 0) {
        throw new IllegalArgumentException(
            "sptClaimTtl must be between PT1M and P30D, but was " + ttl);
      }
      this.sptClaimTtl = ttl;
      return this;
    }

    /**
     * The bound on PaymentIntent creates a second, also the burst; default {@value
     * #DEFAULT_CHARGES_PER_SECOND}. A verification that would call Stripe beyond it is answered as
     * a retriable outage ({@code 402} with {@code Retry-After}, reason {@code stripe.busy}) without
     * calling Stripe and without using up the token, so junk tokens cannot spend the merchant's
     * Stripe rate limit. The bound is per method instance (per server), not per client.
     *
     * @throws IllegalArgumentException when not between 1 and 10,000
     */
    public Builder chargesPerSecond(int perSecond) {
      if (perSecond < 1 || perSecond > 10_000) {
        throw new IllegalArgumentException(
            "chargesPerSecond must be between 1 and 10000, but was " + perSecond);
      }
      this.chargesPerSecond = perSecond;
      return this;
    }

    /** The rate bound's monotonic nanosecond time source; for tests. */
    Builder ticker(LongSupplier ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker == null");
      return this;
    }

    /**
     * Builds the config.
     *
     * @throws IllegalStateException when the network id is missing, or not exactly one of the API
     *     key and a client is set, or {@code apiBase} is set together with a client
     */
    public StripeConfig build() {
      if (networkId == null) {
        throw new IllegalStateException("networkId is required (your Stripe profile_… id)");
      }
      if (apiKey == null && stripeClient == null) {
        throw new IllegalStateException("apiKey is required (or a configured stripeClient)");
      }
      if (apiKey != null && stripeClient != null) {
        throw new IllegalStateException("set either apiKey or stripeClient, not both");
      }
      if (stripeClient != null && apiBase != null) {
        throw new IllegalStateException(
            "apiBase applies to the client this module builds; configure the base URL on the"
                + " stripeClient instead");
      }
      return new StripeConfig(this, networkId);
    }

    private static Duration between(String name, Duration value, Duration min, long maxMinutes) {
      Objects.requireNonNull(value, name + " == null");
      if (value.compareTo(min) < 0 || value.compareTo(Duration.ofMinutes(maxMinutes)) > 0) {
        throw new IllegalArgumentException(
            name + " must be between " + min + " and PT" + maxMinutes + "M, but was " + value);
      }
      return value;
    }

    private static boolean printableToken(String s) {
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c <= 0x20 || c >= 0x7F) {
          return false;
        }
      }
      return true;
    }
  }
}
