package io.mpp4j.core;

import java.math.BigDecimal;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The terms of a {@code session} route besides its price per unit (SPEC 4.2): the unit's name, the
 * deposit a payer is asked to escrow, and the smallest increase a new voucher must add. Amounts are
 * in human units, like {@link PaymentRequirement#amount()}; each payment method converts them to
 * its base units.
 *
 * @param unitType what one unit is, such as {@code request}, {@code event} or {@code llm_token}
 * @param suggestedDeposit the deposit offered to payers, or null for none (SPEC 11.4: without one,
 *     the reference client opens with a deposit of one unit and tops up before every request)
 * @param minVoucherDelta the smallest increase of a new voucher, or null for none
 */
public record SessionTerms(
    String unitType, @Nullable BigDecimal suggestedDeposit, @Nullable BigDecimal minVoucherDelta) {

  /** Checks the components: a non-empty unit type of letters, digits and underscores. */
  public SessionTerms {
    Objects.requireNonNull(unitType, "unitType == null");
    if (!unitType.matches("[A-Za-z0-9_]{1,64}")) {
      throw new IllegalArgumentException(
          "unitType must be 1 to 64 letters, digits or underscores, but was \"" + unitType + "\"");
    }
    if (suggestedDeposit != null && suggestedDeposit.signum() <= 0) {
      throw new IllegalArgumentException("suggestedDeposit must be positive");
    }
    if (minVoucherDelta != null && minVoucherDelta.signum() < 0) {
      throw new IllegalArgumentException("minVoucherDelta must not be negative");
    }
  }

  /** Terms with only a unit type. */
  public static SessionTerms of(String unitType) {
    return new SessionTerms(unitType, null, null);
  }
}
