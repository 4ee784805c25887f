package io.mpp4j.core;

import java.util.Objects;

/**
 * A payment intent name such as {@code charge} or {@code session}. Intents are open-ended strings
 * on the wire ({@code 1*(ALPHA / DIGIT / "-")}); the registered ones are constants here.
 *
 * <p>Immutable and thread-safe.
 *
 * @param name the wire name
 */
public record Intent(String name) {
  /** One-time payment: one credential, one settlement. */
  public static final Intent CHARGE = new Intent("charge");

  /** Escrowed deposit with streamed vouchers. */
  public static final Intent SESSION = new Intent("session");

  /** Recurring payment. */
  public static final Intent SUBSCRIPTION = new Intent("subscription");

  /**
   * Validates the intent name.
   *
   * @throws IllegalArgumentException when the name is empty or has characters other than ASCII
   *     letters, digits and "-"
   */
  public Intent {
    Objects.requireNonNull(name, "name == null");
    if (!isValid(name)) {
      throw new IllegalArgumentException(
          "intent must be 1*(ALPHA / DIGIT / \"-\"), but was \"" + name + "\"");
    }
  }

  /** Returns the intent named {@code name}. */
  public static Intent of(String name) {
    return switch (name) {
      case "charge" -> CHARGE;
      case "session" -> SESSION;
      case "subscription" -> SUBSCRIPTION;
      default -> new Intent(name);
    };
  }

  static boolean isValid(String name) {
    if (name.isEmpty() || name.length() > 64) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-')) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return name;
  }
}
