package io.mpp4j.stripe.internal;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Stripe's currency rules: how many decimals an amount has on the wire, and the smallest charge
 * Stripe accepts. The tables follow Stripe's published lists as recorded in SPEC.md section 11.2.
 */
public final class Currencies {
  /** Currencies Stripe charges in whole units. */
  static final Set<String> ZERO_DECIMAL =
      Set.of(
          "bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv",
          "xaf", "xof", "xpf");

  /** Currencies with three decimals on the wire whose last digit must be 0. */
  static final Set<String> THREE_DECIMAL = Set.of("bhd", "jod", "kwd", "omr", "tnd");

  /** Zero-decimal currencies that Stripe nevertheless takes in two-decimal form. */
  static final Set<String> WHOLE_UNITS_TWO_DECIMAL_FORM = Set.of("isk");

  /** The smallest charge Stripe accepts, in the wire's minor units. */
  static final Map<String, Long> MINIMUMS =
      Map.ofEntries(
          Map.entry("aed", 200L),
          Map.entry("ars", 50L),
          Map.entry("aud", 50L),
          Map.entry("bgn", 100L),
          Map.entry("brl", 50L),
          Map.entry("cad", 50L),
          Map.entry("chf", 50L),
          Map.entry("cop", 50L),
          Map.entry("czk", 1500L),
          Map.entry("dkk", 250L),
          Map.entry("eur", 50L),
          Map.entry("gbp", 30L),
          Map.entry("hkd", 400L),
          Map.entry("huf", 17500L),
          Map.entry("idr", 50L),
          Map.entry("ils", 50L),
          Map.entry("inr", 50L),
          Map.entry("jpy", 50L),
          Map.entry("krw", 50L),
          Map.entry("mxn", 1000L),
          Map.entry("myr", 200L),
          Map.entry("nok", 300L),
          Map.entry("nzd", 50L),
          Map.entry("php", 50L),
          Map.entry("pln", 200L),
          Map.entry("ron", 200L),
          Map.entry("rub", 50L),
          Map.entry("sek", 300L),
          Map.entry("sgd", 50L),
          Map.entry("thb", 1000L),
          Map.entry("usd", 50L),
          Map.entry("zar", 50L));

  /** Largest amount accepted on the wire (twelve digits, beyond any single Stripe charge). */
  static final long MAX_MINOR_UNITS = 999_999_999_999L;

  private Currencies() {}

  /**
   * The currency as Stripe spells it: three ASCII letters, lower case.
   *
   * @throws IllegalArgumentException when it is not three ASCII letters
   */
  public static String normalize(String currency) {
    Objects.requireNonNull(currency, "currency == null");
    if (currency.length() != 3) {
      throw notACurrency(currency);
    }
    for (int i = 0; i < 3; i++) {
      char c = currency.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z')) {
        throw notACurrency(currency);
      }
    }
    return currency.toLowerCase(Locale.ROOT);
  }

  private static IllegalArgumentException notACurrency(String currency) {
    return new IllegalArgumentException(
        "currency must be a three-letter ISO 4217 code such as usd, but was \"" + currency + "\"");
  }

  /** The number of decimals of an amount on the wire (two-decimal form for ISK). */
  public static int wireDecimals(String currency) {
    if (ZERO_DECIMAL.contains(currency)) {
      return 0;
    }
    if (THREE_DECIMAL.contains(currency)) {
      return 3;
    }
    return 2;
  }

  /** The decimals a human amount may have (ISK: none; three-decimal currencies: two). */
  public static int humanDecimals(String currency) {
    if (ZERO_DECIMAL.contains(currency) || WHOLE_UNITS_TWO_DECIMAL_FORM.contains(currency)) {
      return 0;
    }
    return 2;
  }

  /** Stripe's minimum charge in minor units, or 1 when Stripe publishes none for the currency. */
  public static long minimum(String currency) {
    return MINIMUMS.getOrDefault(currency, 1L);
  }

  /**
   * Converts a price in human units (dollars, yen) into Stripe's minor units.
   *
   * @param amount the price, e.g. {@code 0.50}
   * @param currency a normalized currency code
   * @return the wire amount
   * @throws IllegalArgumentException when the amount has more decimals than the currency allows, is
   *     below Stripe's minimum for the currency, or is implausibly large
   */
  public static long toMinorUnits(BigDecimal amount, String currency) {
    Objects.requireNonNull(amount, "amount == null");
    Objects.requireNonNull(currency, "currency == null");
    if (amount.signum() < 0) {
      throw new IllegalArgumentException(
          "amount must not be negative, but was " + amount.toPlainString());
    }
    int allowed = humanDecimals(currency);
    if (amount.stripTrailingZeros().scale() > allowed) {
      throw new IllegalArgumentException(
          "amount "
              + amount.toPlainString()
              + " "
              + currency
              + " has more decimals than Stripe charges in "
              + currency
              + " (at most "
              + allowed
              + ")");
    }
    BigDecimal minor = amount.movePointRight(wireDecimals(currency)).stripTrailingZeros();
    if (minor.compareTo(BigDecimal.valueOf(MAX_MINOR_UNITS)) > 0) {
      throw new IllegalArgumentException(
          "amount " + amount.toPlainString() + " " + currency + " is larger than Stripe accepts");
    }
    long value = minor.longValueExact();
    long minimum = minimum(currency);
    if (value < minimum) {
      throw new IllegalArgumentException(
          "amount "
              + amount.toPlainString()
              + " "
              + currency
              + " ("
              + value
              + " in minor units) is below Stripe's minimum charge for "
              + currency
              + " ("
              + minimum
              + "); a challenge for it could never be paid");
    }
    return value;
  }
}
