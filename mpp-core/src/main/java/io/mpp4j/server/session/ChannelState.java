package io.mpp4j.server.session;

import java.math.BigInteger;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One payment channel's accounting (SPEC 4.3, 4.7): the v2 channel descriptor and where it lives,
 * the amounts the server tracks, and the highest voucher it accepted. Immutable; the {@code with…}
 * methods return changed copies.
 *
 * <p>Invariants, checked on construction and on {@link #decode}: every amount is a uint96 (0 to
 * 2<sup>96</sup> − 1); {@code spent ≤ acceptedCumulative ≤ deposit}; {@code settledOnChain ≤
 * acceptedCumulative} (a settlement needs a voucher); the voucher signature is 65 bytes and is
 * absent only while {@code acceptedCumulative} is zero. Addresses and 32-byte values are held as
 * lowercase {@code 0x} hex (mixed-case input, such as a checksummed address, is lowercased).
 *
 * <p>The voucher signature is kept because settling and closing the channel need it (SPEC 4.6); it
 * lets only the payee or the operator settle, but it is still kept out of {@link #toString()} and
 * must not be logged.
 *
 * @param channelId the channel id, {@code 0x} and 64 hex digits
 * @param escrow the escrow contract (v2: the channel reserve precompile)
 * @param chainId the chain id, positive
 * @param payer the descriptor's payer
 * @param payee the descriptor's payee (the server's recipient)
 * @param operator the descriptor's operator (the zero address when none)
 * @param token the descriptor's TIP-20 token
 * @param salt the descriptor's salt, 32 bytes
 * @param authorizedSigner the descriptor's authorized signer (the zero address: the payer signs)
 * @param expiringNonceHash the descriptor's expiring nonce hash, 32 bytes
 * @param deposit the channel's deposit, as last read from the chain
 * @param settledOnChain the amount settled on chain, as last known
 * @param acceptedCumulative the highest voucher's cumulative amount accepted by this server
 * @param spent what the server has charged against accepted vouchers
 * @param closeRequestedAt when the payer requested a close (whole seconds), or null when not
 * @param voucherSignature the highest voucher's 65-byte signature as {@code 0x} and 130 hex digits,
 *     or null while none was accepted
 * @param units how many units the server charged on the channel (the session receipt's {@code
 *     units}), zero or more
 * @param debt what the payer still owes beyond its accepted vouchers: a metered response that
 *     consumed more units than the channel covered charges what it could and records the rest here;
 *     the next charge pays it first (a uint96)
 * @param lastActivityAt when the channel was last used (a voucher, a charge, an open), whole
 *     seconds, or null when unknown (a record of format 1)
 * @param closedAt when this server closed the channel on chain (whole seconds), or null while open;
 *     a closed channel accepts nothing more
 */
public record ChannelState(
    String channelId,
    String escrow,
    long chainId,
    String payer,
    String payee,
    String operator,
    String token,
    String salt,
    String authorizedSigner,
    String expiringNonceHash,
    BigInteger deposit,
    BigInteger settledOnChain,
    BigInteger acceptedCumulative,
    BigInteger spent,
    @Nullable Instant closeRequestedAt,
    @Nullable String voucherSignature,
    long units,
    BigInteger debt,
    @Nullable Instant lastActivityAt,
    @Nullable Instant closedAt) {

  /** The largest amount a v2 channel holds: 2^96 − 1 (amounts are uint96). */
  public static final BigInteger MAX_AMOUNT = BigInteger.ONE.shiftLeft(96).subtract(BigInteger.ONE);

  /** The length of a voucher signature (r ‖ s ‖ v). */
  public static final int SIGNATURE_LENGTH = 65;

  /** The first line of every encoded record: the format and its version. */
  static final String FORMAT = "mpp4j-session-channel/2";

  /** The first line of the records of mpp4j before the metering fields (still decoded). */
  static final String FORMAT_1 = "mpp4j-session-channel/1";

  private static final int FIELDS_1 = 16;

  private static final long MAX_CLOSE_REQUESTED_AT = 0xFFFF_FFFFL; // uint32 on chain
  private static final long MAX_INSTANT_SECONDS = 95_617_584_000L; // 5000-01-01
  private static final int ADDRESS_DIGITS = 40;
  private static final int WORD_DIGITS = 64;
  private static final int SIGNATURE_DIGITS = 2 * SIGNATURE_LENGTH;
  private static final int MAX_DECIMAL_DIGITS = 29;
  private static final String NONE = "-";
  private static final String[] FIELDS = {
    "channelId",
    "escrow",
    "chainId",
    "payer",
    "payee",
    "operator",
    "token",
    "salt",
    "authorizedSigner",
    "expiringNonceHash",
    "deposit",
    "settledOnChain",
    "acceptedCumulative",
    "spent",
    "closeRequestedAt",
    "voucherSignature",
    "units",
    "debt",
    "lastActivityAt",
    "closedAt"
  };

  /**
   * A channel with nothing charged in units, no debt, no known activity and not closed: the
   * constructor of the first format, kept for methods that build a descriptor.
   */
  public ChannelState(
      String channelId,
      String escrow,
      long chainId,
      String payer,
      String payee,
      String operator,
      String token,
      String salt,
      String authorizedSigner,
      String expiringNonceHash,
      BigInteger deposit,
      BigInteger settledOnChain,
      BigInteger acceptedCumulative,
      BigInteger spent,
      @Nullable Instant closeRequestedAt,
      @Nullable String voucherSignature) {
    this(
        channelId,
        escrow,
        chainId,
        payer,
        payee,
        operator,
        token,
        salt,
        authorizedSigner,
        expiringNonceHash,
        deposit,
        settledOnChain,
        acceptedCumulative,
        spent,
        closeRequestedAt,
        voucherSignature,
        0,
        BigInteger.ZERO,
        null,
        null);
  }

  /** Checks and normalizes the components; see the class comment for the invariants. */
  public ChannelState {
    channelId = word("channelId", channelId);
    escrow = address("escrow", escrow);
    if (chainId <= 0) {
      throw new IllegalArgumentException("chainId must be positive");
    }
    payer = address("payer", payer);
    payee = address("payee", payee);
    operator = address("operator", operator);
    token = address("token", token);
    salt = word("salt", salt);
    authorizedSigner = address("authorizedSigner", authorizedSigner);
    expiringNonceHash = word("expiringNonceHash", expiringNonceHash);
    amount("deposit", deposit);
    amount("settledOnChain", settledOnChain);
    amount("acceptedCumulative", acceptedCumulative);
    amount("spent", spent);
    if (spent.compareTo(acceptedCumulative) > 0) {
      throw new IllegalArgumentException("spent must not exceed acceptedCumulative");
    }
    if (acceptedCumulative.compareTo(deposit) > 0) {
      throw new IllegalArgumentException("acceptedCumulative must not exceed deposit");
    }
    if (settledOnChain.compareTo(acceptedCumulative) > 0) {
      throw new IllegalArgumentException("settledOnChain must not exceed acceptedCumulative");
    }
    if (closeRequestedAt != null
        && (closeRequestedAt.getNano() != 0
            || closeRequestedAt.getEpochSecond() <= 0
            || closeRequestedAt.getEpochSecond() > MAX_CLOSE_REQUESTED_AT)) {
      throw new IllegalArgumentException(
          "closeRequestedAt must be whole seconds after the epoch within uint32");
    }
    if (voucherSignature == null) {
      if (acceptedCumulative.signum() != 0) {
        throw new IllegalArgumentException("an accepted voucher needs its signature");
      }
    } else {
      if (!isHex(voucherSignature, SIGNATURE_DIGITS, true)) {
        throw new IllegalArgumentException(
            "voucherSignature must be 0x and " + 2 * SIGNATURE_LENGTH + " hex digits");
      }
      voucherSignature = voucherSignature.toLowerCase(Locale.ROOT);
    }
    if (units < 0) {
      throw new IllegalArgumentException("units must not be negative");
    }
    amount("debt", debt);
    lastActivityAt = wholeSeconds("lastActivityAt", lastActivityAt);
    closedAt = wholeSeconds("closedAt", closedAt);
  }

  /** The highest voucher's signature bytes (a copy), or null while none was accepted. */
  public byte @Nullable [] voucherSignatureBytes() {
    return voucherSignature == null ? null : HexFormat.of().parseHex(voucherSignature, 2, 132);
  }

  /** What accepted vouchers still cover: {@code acceptedCumulative − spent}. */
  public BigInteger available() {
    return acceptedCumulative.subtract(spent);
  }

  /** Whether the payer requested a close (service stops; SPEC 4.6, 4.7). */
  public boolean closeRequested() {
    return closeRequestedAt != null;
  }

  /** Whether this server closed the channel on chain: it accepts nothing more. */
  public boolean closed() {
    return closedAt != null;
  }

  /** This state with {@code units} replaced. */
  public ChannelState withUnits(long newUnits) {
    return withAccounting(
        deposit,
        settledOnChain,
        acceptedCumulative,
        spent,
        closeRequestedAt,
        voucherSignature,
        newUnits,
        debt,
        lastActivityAt,
        closedAt);
  }

  /** This state with {@code debt} replaced. */
  public ChannelState withDebt(BigInteger newDebt) {
    return withAccounting(
        deposit,
        settledOnChain,
        acceptedCumulative,
        spent,
        closeRequestedAt,
        voucherSignature,
        units,
        newDebt,
        lastActivityAt,
        closedAt);
  }

  /** This state with {@code lastActivityAt} replaced (truncated to whole seconds). */
  public ChannelState withLastActivityAt(@Nullable Instant at) {
    return withAccounting(
        deposit,
        settledOnChain,
        acceptedCumulative,
        spent,
        closeRequestedAt,
        voucherSignature,
        units,
        debt,
        at,
        closedAt);
  }

  /** This state with {@code closedAt} replaced (truncated to whole seconds). */
  public ChannelState withClosedAt(@Nullable Instant at) {
    return withAccounting(
        deposit,
        settledOnChain,
        acceptedCumulative,
        spent,
        closeRequestedAt,
        voucherSignature,
        units,
        debt,
        lastActivityAt,
        at);
  }

  /** This state with a new highest voucher. */
  public ChannelState withVoucher(BigInteger cumulative, byte[] signature) {
    Objects.requireNonNull(signature, "signature == null");
    if (signature.length != SIGNATURE_LENGTH) {
      throw new IllegalArgumentException("signature must be " + SIGNATURE_LENGTH + " bytes");
    }
    return withAccounting(
        deposit,
        settledOnChain,
        cumulative,
        spent,
        closeRequestedAt,
        "0x" + HexFormat.of().formatHex(signature),
        units,
        debt,
        lastActivityAt,
        closedAt);
  }

  /** This state with {@code spent} replaced. */
  public ChannelState withSpent(BigInteger newSpent) {
    return withAccounting(
        deposit,
        settledOnChain,
        acceptedCumulative,
        newSpent,
        closeRequestedAt,
        voucherSignature,
        units,
        debt,
        lastActivityAt,
        closedAt);
  }

  /** This state with {@code settledOnChain} replaced. */
  public ChannelState withSettledOnChain(BigInteger settled) {
    return withAccounting(
        deposit,
        settled,
        acceptedCumulative,
        spent,
        closeRequestedAt,
        voucherSignature,
        units,
        debt,
        lastActivityAt,
        closedAt);
  }

  /** This state with {@code deposit} replaced. */
  public ChannelState withDeposit(BigInteger newDeposit) {
    return withAccounting(
        newDeposit,
        settledOnChain,
        acceptedCumulative,
        spent,
        closeRequestedAt,
        voucherSignature,
        units,
        debt,
        lastActivityAt,
        closedAt);
  }

  /** This state with {@code closeRequestedAt} replaced. */
  public ChannelState withCloseRequestedAt(@Nullable Instant at) {
    return withAccounting(
        deposit,
        settledOnChain,
        acceptedCumulative,
        spent,
        at,
        voucherSignature,
        units,
        debt,
        lastActivityAt,
        closedAt);
  }

  /** The same channel (identity and descriptor) with other accounting; validated as any state. */
  private ChannelState withAccounting(
      BigInteger newDeposit,
      BigInteger newSettled,
      BigInteger newAccepted,
      BigInteger newSpent,
      @Nullable Instant newCloseRequestedAt,
      @Nullable String newVoucherSignature,
      long newUnits,
      BigInteger newDebt,
      @Nullable Instant newLastActivityAt,
      @Nullable Instant newClosedAt) {
    return new ChannelState(
        channelId,
        escrow,
        chainId,
        payer,
        payee,
        operator,
        token,
        salt,
        authorizedSigner,
        expiringNonceHash,
        newDeposit,
        newSettled,
        newAccepted,
        newSpent,
        newCloseRequestedAt,
        newVoucherSignature,
        newUnits,
        newDebt,
        newLastActivityAt,
        newClosedAt);
  }

  /**
   * The record value for a {@link io.mpp4j.store.StateStore}: the line {@value #FORMAT}, then one
   * {@code name=value} line per component in declaration order (amounts in decimal without leading
   * zeros, hex in lowercase, {@code -} for an absent close time or signature), joined by {@code \n}
   * with no trailing newline. {@link #decode} accepts exactly this form and nothing else.
   */
  public String encode() {
    String[] values = {
      channelId,
      escrow,
      Long.toString(chainId),
      payer,
      payee,
      operator,
      token,
      salt,
      authorizedSigner,
      expiringNonceHash,
      deposit.toString(),
      settledOnChain.toString(),
      acceptedCumulative.toString(),
      spent.toString(),
      closeRequestedAt == null ? NONE : Long.toString(closeRequestedAt.getEpochSecond()),
      voucherSignature == null ? NONE : voucherSignature,
      Long.toString(units),
      debt.toString(),
      lastActivityAt == null ? NONE : Long.toString(lastActivityAt.getEpochSecond()),
      closedAt == null ? NONE : Long.toString(closedAt.getEpochSecond())
    };
    StringBuilder out = new StringBuilder(1024).append(FORMAT);
    for (int i = 0; i < FIELDS.length; i++) {
      out.append('\n').append(FIELDS[i]).append('=').append(values[i]);
    }
    return out.toString();
  }

  /**
   * Decodes a record written by {@link #encode}. Fails closed: anything but exactly that form (an
   * unknown version, a missing, extra, renamed or reordered field, uppercase hex, a leading zero, a
   * value out of range, broken invariants, trailing data) is refused.
   *
   * @throws MalformedChannelStateException when the value is not a valid record; the message names
   *     the field, never its value
   */
  public static ChannelState decode(String value) {
    Objects.requireNonNull(value, "value == null");
    if (value.length() > io.mpp4j.store.StateStore.MAX_VALUE_LENGTH) {
      throw new MalformedChannelStateException("channel record too long");
    }
    String[] lines = value.split("\n", -1);
    int fields;
    if (FORMAT.equals(lines[0])) {
      fields = FIELDS.length;
    } else if (FORMAT_1.equals(lines[0])) {
      fields = FIELDS_1;
    } else {
      throw new MalformedChannelStateException("unknown channel record format");
    }
    if (lines.length != fields + 1) {
      throw new MalformedChannelStateException("channel record has the wrong number of fields");
    }
    String[] v = new String[FIELDS.length];
    for (int i = 0; i < fields; i++) {
      String prefix = FIELDS[i] + "=";
      if (!lines[i + 1].startsWith(prefix)) {
        throw new MalformedChannelStateException("channel record lacks field " + FIELDS[i]);
      }
      v[i] = lines[i + 1].substring(prefix.length());
    }
    try {
      return new ChannelState(
          lowerWord(FIELDS[0], v[0]),
          lowerAddress(FIELDS[1], v[1]),
          chainIdValue(v[2]),
          lowerAddress(FIELDS[3], v[3]),
          lowerAddress(FIELDS[4], v[4]),
          lowerAddress(FIELDS[5], v[5]),
          lowerAddress(FIELDS[6], v[6]),
          lowerWord(FIELDS[7], v[7]),
          lowerAddress(FIELDS[8], v[8]),
          lowerWord(FIELDS[9], v[9]),
          decimal(FIELDS[10], v[10]),
          decimal(FIELDS[11], v[11]),
          decimal(FIELDS[12], v[12]),
          decimal(FIELDS[13], v[13]),
          closeTime(v[14]),
          signature(v[15]),
          fields == FIELDS_1 ? 0 : unitsValue(v[16]),
          fields == FIELDS_1 ? BigInteger.ZERO : decimal(FIELDS[17], v[17]),
          fields == FIELDS_1 ? null : instant(FIELDS[18], v[18]),
          fields == FIELDS_1 ? null : instant(FIELDS[19], v[19]));
    } catch (IllegalArgumentException e) {
      throw new MalformedChannelStateException("channel record is inconsistent: " + e.getMessage());
    }
  }

  /** The state without the voucher signature (which must not be logged). */
  @Override
  public String toString() {
    return "ChannelState[channelId="
        + channelId
        + ", chainId="
        + chainId
        + ", payee="
        + payee
        + ", deposit="
        + deposit
        + ", settledOnChain="
        + settledOnChain
        + ", acceptedCumulative="
        + acceptedCumulative
        + ", spent="
        + spent
        + ", closeRequestedAt="
        + closeRequestedAt
        + ", units="
        + units
        + ", debt="
        + debt
        + ", lastActivityAt="
        + lastActivityAt
        + ", closedAt="
        + closedAt
        + "]";
  }

  private static String address(String name, String value) {
    Objects.requireNonNull(value, name + " == null");
    if (!isHex(value, ADDRESS_DIGITS, true)) {
      throw new IllegalArgumentException(name + " must be 0x and 40 hex digits");
    }
    return value.toLowerCase(Locale.ROOT);
  }

  private static String word(String name, String value) {
    Objects.requireNonNull(value, name + " == null");
    if (!isHex(value, WORD_DIGITS, true)) {
      throw new IllegalArgumentException(name + " must be 0x and 64 hex digits");
    }
    return value.toLowerCase(Locale.ROOT);
  }

  private static void amount(String name, BigInteger value) {
    Objects.requireNonNull(value, name + " == null");
    if (value.signum() < 0 || value.compareTo(MAX_AMOUNT) > 0) {
      throw new IllegalArgumentException(name + " must be a uint96");
    }
  }

  private static String lowerAddress(String name, String value) {
    if (!isHex(value, ADDRESS_DIGITS, false)) {
      throw new MalformedChannelStateException("channel record has a malformed " + name);
    }
    return value;
  }

  private static String lowerWord(String name, String value) {
    if (!isHex(value, WORD_DIGITS, false)) {
      throw new MalformedChannelStateException("channel record has a malformed " + name);
    }
    return value;
  }

  private static long chainIdValue(String value) {
    if (!isDecimal(value) || value.length() > 18) {
      throw new MalformedChannelStateException("channel record has a malformed chainId");
    }
    return Long.parseLong(value);
  }

  private static BigInteger decimal(String name, String value) {
    if (!isDecimal(value)) {
      throw new MalformedChannelStateException("channel record has a malformed " + name);
    }
    return new BigInteger(value);
  }

  private static @Nullable Instant closeTime(String value) {
    if (NONE.equals(value)) {
      return null;
    }
    if (!isDecimal(value) || value.length() > 10) {
      throw new MalformedChannelStateException("channel record has a malformed closeRequestedAt");
    }
    return Instant.ofEpochSecond(Long.parseLong(value));
  }

  private static long unitsValue(String value) {
    if (!isDecimal(value) || value.length() > 19) {
      throw new MalformedChannelStateException("channel record has malformed units");
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new MalformedChannelStateException("channel record has malformed units");
    }
  }

  private static @Nullable Instant instant(String name, String value) {
    if (NONE.equals(value)) {
      return null;
    }
    if (!isDecimal(value) || value.length() > 12) {
      throw new MalformedChannelStateException("channel record has a malformed " + name);
    }
    return Instant.ofEpochSecond(Long.parseLong(value));
  }

  private static @Nullable Instant wholeSeconds(String name, @Nullable Instant at) {
    if (at == null) {
      return null;
    }
    if (at.getEpochSecond() <= 0 || at.getEpochSecond() > MAX_INSTANT_SECONDS) {
      throw new IllegalArgumentException(name + " must be after the epoch and before year 5000");
    }
    return Instant.ofEpochSecond(at.getEpochSecond());
  }

  /**
   * Whether {@code value} is {@code 0x} and exactly {@code digits} hex digits, lowercase only
   * unless {@code anyCase}. A loop rather than a regular expression: the ledger decodes and
   * rebuilds a record several times per metered request.
   */
  static boolean isHex(String value, int digits, boolean anyCase) {
    if (value.length() != digits + 2 || value.charAt(0) != '0' || value.charAt(1) != 'x') {
      return false;
    }
    for (int i = 2; i < value.length(); i++) {
      char c = value.charAt(i);
      if (!((c >= '0' && c <= '9')
          || (c >= 'a' && c <= 'f')
          || (anyCase && c >= 'A' && c <= 'F'))) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code value} is {@code 0} or 1 to 29 decimal digits without a leading zero. */
  private static boolean isDecimal(String value) {
    int length = value.length();
    if (length == 0 || length > MAX_DECIMAL_DIGITS || (value.charAt(0) == '0' && length > 1)) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  private static @Nullable String signature(String value) {
    if (NONE.equals(value)) {
      return null;
    }
    if (!isHex(value, SIGNATURE_DIGITS, false)) {
      throw new MalformedChannelStateException("channel record has a malformed voucherSignature");
    }
    return value;
  }
}
