package io.mpp4j.tempo.internal;

import io.mpp4j.core.MalformedMessageException;
import io.mpp4j.core.PaymentRequest;
import io.mpp4j.tempo.Address;
import io.mpp4j.tempo.PaymentMode;
import io.mpp4j.tempo.Split;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The economic terms of a Tempo charge, read from a {@code request} object: who must receive how
 * much of which token on which chain, and how. Immutable.
 */
public final class ChargeTerms {
  /** One transfer the payment must contain. */
  // Never compared as a whole; Transfers compares the memo with Arrays.equals.
  @SuppressWarnings("ArrayRecordComponent")
  public record Expected(Address recipient, BigInteger amount, byte @Nullable [] memo) {}

  private static final BigInteger MAX_UINT256 =
      BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);
  public static final int MAX_SPLITS = 10;

  public final BigInteger amount;
  public final Address currency;
  public final Address recipient;
  public final long chainId;
  public final boolean feePayer;
  public final Set<PaymentMode> modes;
  public final List<Split> splits;
  public final byte @Nullable [] memo;
  public final List<Expected> expected;

  private ChargeTerms(
      BigInteger amount,
      Address currency,
      Address recipient,
      long chainId,
      boolean feePayer,
      Set<PaymentMode> modes,
      List<Split> splits,
      byte @Nullable [] memo) {
    this.amount = amount;
    this.currency = currency;
    this.recipient = recipient;
    this.chainId = chainId;
    this.feePayer = feePayer;
    this.modes = modes;
    this.splits = splits;
    this.memo = memo;
    List<Expected> e = new ArrayList<>(splits.size() + 1);
    BigInteger primary = amount;
    for (Split s : splits) {
      primary = primary.subtract(s.amount());
    }
    e.add(new Expected(recipient, primary, memo));
    for (Split s : splits) {
      e.add(new Expected(s.recipient(), s.amount(), s.memo()));
    }
    this.expected = List.copyOf(e);
  }

  public boolean isZeroAmount() {
    return amount.signum() == 0;
  }

  public boolean allows(PaymentMode mode) {
    return modes.contains(mode);
  }

  /**
   * Reads the terms of a request object.
   *
   * @throws MalformedMessageException naming the field that is missing or malformed
   */
  public static ChargeTerms of(PaymentRequest request) throws MalformedMessageException {
    BigInteger amount = uint(request.amount(), "amount");
    Address currency = address(request.currency(), "currency");
    Address recipient = address(request.recipient(), "recipient");
    Map<String, Object> details = request.methodDetails();
    Object chain = details.get("chainId");
    if (!(chain instanceof Number n) || n.longValue() <= 0 || n instanceof Double) {
      throw new MalformedMessageException("methodDetails.chainId must be a positive integer");
    }
    long chainId = n.longValue();
    Object fp = details.get("feePayer");
    if (fp != null && !(fp instanceof Boolean)) {
      throw new MalformedMessageException("methodDetails.feePayer must be a boolean");
    }
    boolean feePayer = Boolean.TRUE.equals(fp);
    Set<PaymentMode> modes = EnumSet.allOf(PaymentMode.class);
    Object sm = details.get("supportedModes");
    if (sm != null) {
      if (!(sm instanceof List<?> list) || list.isEmpty()) {
        throw new MalformedMessageException(
            "methodDetails.supportedModes must be a non-empty list");
      }
      modes = EnumSet.noneOf(PaymentMode.class);
      for (Object o : list) {
        if (!"pull".equals(o) && !"push".equals(o)) {
          throw new MalformedMessageException(
              "methodDetails.supportedModes holds pull or push only");
        }
        modes.add(PaymentMode.fromWire((String) o));
      }
    }
    byte[] memo = memo(details.get("memo"), "methodDetails.memo");
    List<Split> splits = List.of();
    Object sp = details.get("splits");
    if (sp != null) {
      if (!(sp instanceof List<?> list) || list.isEmpty() || list.size() > MAX_SPLITS) {
        throw new MalformedMessageException("methodDetails.splits must hold 1 to 10 entries");
      }
      List<Split> out = new ArrayList<>(list.size());
      BigInteger sum = BigInteger.ZERO;
      for (Object o : list) {
        if (!(o instanceof Map<?, ?> m)) {
          throw new MalformedMessageException("methodDetails.splits entries must be objects");
        }
        BigInteger a = uint(m.get("amount") instanceof String s ? s : null, "splits[].amount");
        if (a.signum() <= 0) {
          throw new MalformedMessageException("splits[].amount must be > 0");
        }
        Address r =
            address(m.get("recipient") instanceof String s ? s : null, "splits[].recipient");
        out.add(new Split(r, a, memo(m.get("memo"), "splits[].memo")));
        sum = sum.add(a);
      }
      if (sum.compareTo(amount) >= 0) {
        throw new MalformedMessageException("the sum of the splits must be less than amount");
      }
      splits = List.copyOf(out);
    }
    return new ChargeTerms(amount, currency, recipient, chainId, feePayer, modes, splits, memo);
  }

  private static BigInteger uint(@Nullable String s, String field)
      throws MalformedMessageException {
    if (s == null || !PaymentRequest.isBaseUnits(s) || s.length() > 78) {
      throw new MalformedMessageException(field + " must be an integer amount in base units");
    }
    BigInteger v = new BigInteger(s);
    if (v.compareTo(MAX_UINT256) > 0) {
      throw new MalformedMessageException(field + " exceeds uint256");
    }
    return v;
  }

  /**
   * A request field holding an address, in the words of the field's name.
   *
   * @throws MalformedMessageException when it is missing or not a 20-byte hex address
   */
  public static Address address(@Nullable String s, String field) throws MalformedMessageException {
    if (s == null) {
      throw new MalformedMessageException(field + " is missing");
    }
    try {
      return Address.parse(s);
    } catch (MalformedMessageException e) {
      throw new MalformedMessageException(field + " must be a 20-byte hex address");
    }
  }

  private static byte @Nullable [] memo(@Nullable Object o, String field)
      throws MalformedMessageException {
    if (o == null) {
      return null;
    }
    if (!(o instanceof String s)) {
      throw new MalformedMessageException(field + " must be 32-byte hex");
    }
    byte[] b = Hex.decode(s, 32, field);
    if (b.length != 32) {
      throw new MalformedMessageException(field + " must be 32-byte hex");
    }
    return b;
  }
}
