package io.mpp4j.server.session;

import java.math.BigInteger;

/** Channel states for the session tests. */
final class ChannelStates {
  static final String CHANNEL =
      "0x4f7dd969ac058d541821f48506d951ca17ba8e21046ef96c1edd760241185410";
  static final String ESCROW = "0x4d50500000000000000000000000000000000000";
  static final String PAYER = "0x1111111111111111111111111111111111111111";
  static final String PAYEE = "0x742d35cc6634c0532925a3b844bc9e7595f8fe00";
  static final String ZERO = "0x0000000000000000000000000000000000000000";
  static final String TOKEN = "0x20c0000000000000000000000000000000000000";
  static final String SALT = "0x" + "aa".repeat(32);
  static final String NONCE_HASH = "0x" + "bb".repeat(32);

  private ChannelStates() {}

  /** A 65-byte signature filled with {@code b}. */
  static byte[] sig(int b) {
    byte[] s = new byte[ChannelState.SIGNATURE_LENGTH];
    java.util.Arrays.fill(s, (byte) b);
    return s;
  }

  /** The hex form {@link ChannelState} holds of {@link #sig}. */
  static String sigHex(int b) {
    return "0x" + java.util.HexFormat.of().formatHex(sig(b));
  }

  /** An open channel: the given deposit and accepted voucher, nothing spent or settled. */
  static ChannelState open(long deposit, long accepted) {
    return new ChannelState(
        CHANNEL,
        ESCROW,
        42431,
        PAYER,
        PAYEE,
        ZERO,
        TOKEN,
        SALT,
        ZERO,
        NONCE_HASH,
        BigInteger.valueOf(deposit),
        BigInteger.ZERO,
        BigInteger.valueOf(accepted),
        BigInteger.ZERO,
        null,
        accepted == 0 ? null : sigHex(1));
  }
}
