package io.mpp4j.tempo.internal.session;

import io.mpp4j.core.MalformedMessageException;
import io.mpp4j.core.PaymentRequest;
import io.mpp4j.tempo.Address;
import io.mpp4j.tempo.internal.ChargeTerms;
import java.math.BigInteger;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The terms of a Tempo session offer (SPEC 4.2), read back from the request the server offered: the
 * price per unit, the token, the payee, and {@code methodDetails} ({@code escrowContract}, {@code
 * chainId}, {@code sessionProtocol} "v2", {@code operator}, {@code minVoucherDelta}, {@code
 * feePayer}).
 *
 * <p>Immutable and thread-safe.
 *
 * @param amount the price per unit, base units, positive uint96
 * @param currency the TIP-20 token (the descriptor's {@code token})
 * @param recipient the payee
 * @param escrow the channel reserve
 * @param chainId the chain
 * @param operator the offered operator, or the zero address
 * @param minVoucherDelta the smallest increase of a new voucher, or null
 * @param feePayer whether the server sponsors the open and top-up transactions
 */
public record SessionOffer(
    BigInteger amount,
    Address currency,
    Address recipient,
    Address escrow,
    long chainId,
    Address operator,
    @Nullable BigInteger minVoucherDelta,
    boolean feePayer) {

  /** Checks that no required component is null. */
  public SessionOffer {
    Objects.requireNonNull(amount, "amount == null");
    Objects.requireNonNull(currency, "currency == null");
    Objects.requireNonNull(recipient, "recipient == null");
    Objects.requireNonNull(escrow, "escrow == null");
    Objects.requireNonNull(operator, "operator == null");
  }

  /**
   * Reads the terms of an offered session request.
   *
   * @throws MalformedMessageException naming the field that is missing or malformed
   */
  public static SessionOffer of(PaymentRequest request) throws MalformedMessageException {
    Objects.requireNonNull(request, "request == null");
    BigInteger amount = amount(request.amount(), "amount");
    if (amount.signum() <= 0) {
      throw new MalformedMessageException("amount must be positive");
    }
    Address currency = address(request.currency(), "currency");
    Address recipient = address(request.recipient(), "recipient");
    Map<String, Object> details = request.methodDetails();
    if (!"v2".equals(details.get("sessionProtocol"))) {
      throw new MalformedMessageException("methodDetails.sessionProtocol must be v2");
    }
    Object chain = details.get("chainId");
    if (!(chain instanceof Number n)
        || n instanceof Double
        || n instanceof Float
        || n.longValue() <= 0) {
      throw new MalformedMessageException("methodDetails.chainId must be a positive integer");
    }
    Address escrow =
        address(
            details.get("escrowContract") instanceof String s ? s : null,
            "methodDetails.escrowContract");
    Object op = details.get("operator");
    Address operator =
        op == null
            ? ChannelDescriptor.ZERO
            : address(op instanceof String s ? s : null, "methodDetails.operator");
    Object delta = details.get("minVoucherDelta");
    BigInteger minDelta =
        delta == null
            ? null
            : amount(delta instanceof String s ? s : null, "methodDetails.minVoucherDelta");
    Object fp = details.get("feePayer");
    if (fp != null && !(fp instanceof Boolean)) {
      throw new MalformedMessageException("methodDetails.feePayer must be a boolean");
    }
    return new SessionOffer(
        amount,
        currency,
        recipient,
        escrow,
        n.longValue(),
        operator,
        minDelta,
        Boolean.TRUE.equals(fp));
  }

  private static BigInteger amount(@Nullable String s, String field)
      throws MalformedMessageException {
    if (s == null) {
      throw new MalformedMessageException(field + " is missing");
    }
    return Uint96.parseDecimal(s, field);
  }

  private static Address address(@Nullable String s, String field)
      throws MalformedMessageException {
    return ChargeTerms.address(s, field);
  }
}
