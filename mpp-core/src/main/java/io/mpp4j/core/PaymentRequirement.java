package io.mpp4j.core;

import io.mpp4j.core.internal.HeaderText;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What one route costs: the intent, the price in human units (each payment method converts it to
 * its own base units and currency), the methods offered, and what else is bound into the challenge.
 * Built once per route (or per request, for dynamic pricing).
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * PaymentRequirement premium = PaymentRequirement.builder()
 *     .amount(new BigDecimal("0.01"))
 *     .description("Premium API call")
 *     .methods(List.of("tempo", "stripe"))
 *     .build();
 * }</pre>
 */
public final class PaymentRequirement {
  private final Intent intent;
  private final BigDecimal amount;
  private final @Nullable String currency;
  private final @Nullable String description;
  private final @Nullable String externalId;
  private final List<String> methods;
  private final Map<String, String> opaque;
  private final boolean bindBody;
  private final @Nullable SessionTerms session;

  private PaymentRequirement(Builder b) {
    this.intent = b.intent;
    this.amount = Objects.requireNonNull(b.amount, "amount == null (set the price)");
    this.currency = b.currency;
    this.description = b.description;
    this.externalId = b.externalId;
    this.methods = List.copyOf(b.methods);
    this.opaque = Map.copyOf(b.opaque);
    this.bindBody = b.bindBody;
    this.session = b.session;
    if (session != null && !intent.equals(Intent.SESSION)) {
      throw new IllegalArgumentException("session terms need intent session, not " + intent);
    }
  }

  /** Starts a builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder pre-filled with this requirement. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.intent = intent;
    b.amount = amount;
    b.currency = currency;
    b.description = description;
    b.externalId = externalId;
    b.methods = List.copyOf(methods);
    b.opaque = new LinkedHashMap<>(opaque);
    b.bindBody = bindBody;
    b.session = session;
    return b;
  }

  /** The intent; default {@link Intent#CHARGE}. */
  public Intent intent() {
    return intent;
  }

  /** The price in human units of the currency (e.g. {@code 0.01} dollars). */
  public BigDecimal amount() {
    return amount;
  }

  /** A currency overriding the payment method's configured one, or null. */
  public @Nullable String currency() {
    return currency;
  }

  /** Display text for the offer, or null. */
  public @Nullable String description() {
    return description;
  }

  /** The merchant reference bound into the request, or null. */
  public @Nullable String externalId() {
    return externalId;
  }

  /** The payment methods offered, by name, in offer order; empty means every registered one. */
  public List<String> methods() {
    return methods;
  }

  /** Server correlation data bound into the challenge ({@code opaque}). */
  public Map<String, String> opaque() {
    return opaque;
  }

  /** Whether a request body is bound into the challenge by its digest; default true. */
  public boolean bindBody() {
    return bindBody;
  }

  /**
   * The session terms (unit type, suggested deposit, minimum voucher delta) of a {@code session}
   * route, or null: then a session route's unit type is {@code request} and nothing else is
   * offered.
   */
  public @Nullable SessionTerms session() {
    return session;
  }

  @Override
  public String toString() {
    return "PaymentRequirement{intent="
        + intent
        + ", amount="
        + amount.toPlainString()
        + (currency == null ? "" : ", currency=" + currency)
        + ", methods="
        + methods
        + "}";
  }

  /** Builds a {@link PaymentRequirement}. Not thread-safe. */
  public static final class Builder {
    private Intent intent = Intent.CHARGE;
    private @Nullable BigDecimal amount;
    private @Nullable String currency;
    private @Nullable String description;
    private @Nullable String externalId;
    private List<String> methods = List.of();
    private Map<String, String> opaque = new LinkedHashMap<>();
    private boolean bindBody = true;
    private @Nullable SessionTerms session;

    private Builder() {}

    /** The intent; default {@link Intent#CHARGE}. */
    public Builder intent(Intent intent) {
      this.intent = Objects.requireNonNull(intent, "intent == null");
      return this;
    }

    /**
     * The price in human units; required.
     *
     * @throws IllegalArgumentException when negative
     */
    public Builder amount(BigDecimal amount) {
      Objects.requireNonNull(amount, "amount == null");
      if (amount.signum() < 0) {
        throw new IllegalArgumentException(
            "amount must not be negative, but was " + amount.toPlainString());
      }
      this.amount = amount;
      return this;
    }

    /**
     * The price in human units, as a decimal string such as {@code "0.01"}.
     *
     * @throws IllegalArgumentException when not a plain non-negative decimal number
     */
    public Builder amount(String amount) {
      Objects.requireNonNull(amount, "amount == null");
      BigDecimal value;
      try {
        if (amount.length() > 40 || amount.indexOf('e') >= 0 || amount.indexOf('E') >= 0) {
          throw new NumberFormatException();
        }
        value = new BigDecimal(amount);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "amount must be a plain decimal number such as 0.01, but was \"" + amount + "\"");
      }
      return amount(value);
    }

    /** A currency overriding the method's configured one (method-specific format). */
    public Builder currency(@Nullable String currency) {
      this.currency = currency;
      return this;
    }

    /**
     * Display text for the offer.
     *
     * @throws IllegalArgumentException when it has control characters or characters outside
     *     ISO-8859-1, which an HTTP header cannot carry
     */
    public Builder description(@Nullable String description) {
      if (description != null) {
        HeaderText.check("description", description);
      }
      this.description = description;
      return this;
    }

    /** The merchant reference bound into the request. */
    public Builder externalId(@Nullable String externalId) {
      this.externalId = externalId;
      return this;
    }

    /** The methods offered, by name, in offer order; empty (the default) offers all. */
    public Builder methods(List<String> methods) {
      Objects.requireNonNull(methods, "methods == null");
      for (String m : methods) {
        Objects.requireNonNull(m, "method name == null");
      }
      this.methods = List.copyOf(methods);
      return this;
    }

    /**
     * Adds an opaque correlation entry bound into the challenge (and echoed by the client).
     *
     * @throws IllegalArgumentException for keys starting with {@code _mpp4j}, which are reserved
     */
    public Builder opaque(String key, String value) {
      Objects.requireNonNull(key, "key == null");
      Objects.requireNonNull(value, "value == null");
      if (key.startsWith("_mpp4j")) {
        throw new IllegalArgumentException("opaque keys starting with _mpp4j are reserved: " + key);
      }
      opaque.put(key, value);
      return this;
    }

    /** Whether a request body is bound by digest; default true. */
    public Builder bindBody(boolean bindBody) {
      this.bindBody = bindBody;
      return this;
    }

    /** The session terms; only for intent {@code session} ({@link #build} checks). */
    public Builder session(@Nullable SessionTerms session) {
      this.session = session;
      return this;
    }

    /**
     * Builds the requirement.
     *
     * @throws NullPointerException when no amount was set
     * @throws IllegalArgumentException when session terms are set for another intent
     */
    public PaymentRequirement build() {
      return new PaymentRequirement(this);
    }
  }
}
