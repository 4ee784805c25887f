package io.mpp4j.test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * The mock session's cryptography and wire forms, shared by {@link MockPaymentMethod} (which
 * checks) and {@link MockSessionClient} (which signs). Stateless; every function is pure.
 *
 * <ul>
 *   <li>Channel key: {@code HMAC-SHA256(secret, "mpp4j-mock-session-key" ‖ channelId)}: one key per
 *       channel, derived from the mock's secret, so whoever holds the secret (a test) can sign for
 *       any channel and nobody else can.
 *   <li>Voucher signature (65 bytes, the length of a real one): {@code HMAC-SHA512(channel key,
 *       "mpp4j-mock-voucher" ‖ channelId ‖ uint96 cumulative) ‖ 0x1b}.
 *   <li>Channel id: {@code SHA-256("mpp4j-mock-channel" ‖ payer ‖ payee ‖ operator ‖ token ‖ salt ‖
 *       authorizedSigner ‖ expiringNonceHash ‖ escrow ‖ uint64 chainId)}, each field in its raw
 *       bytes.
 *   <li>Open transaction: {@code 0x01 ‖ payer ‖ payee ‖ operator ‖ token ‖ salt ‖ authorizedSigner
 *       ‖ uint96 deposit ‖ MAC}; its expiring nonce hash is {@code SHA-256("mpp4j-mock-open" ‖ body
 *       ‖ payer)} (body: everything before the MAC), which binds the channel to the transaction as
 *       Tempo's does; the MAC is {@code HMAC-SHA256(channel key, "mpp4j-mock-tx" ‖ body)}.
 *   <li>Top-up transaction: {@code 0x02 ‖ channelId ‖ uint96 amount ‖ 16-byte nonce ‖ MAC}.
 * </ul>
 */
final class MockSessionCodec {
  static final int ADDRESS = 20;
  static final int WORD = 32;
  static final int AMOUNT = 12; // uint96
  static final int MAC = 32;
  static final int NONCE = 16;
  static final byte OPEN = 0x01;
  static final byte TOP_UP = 0x02;
  static final int OPEN_BODY = 1 + 4 * ADDRESS + WORD + ADDRESS + AMOUNT;
  static final int OPEN_LENGTH = OPEN_BODY + MAC;
  static final int TOP_UP_BODY = 1 + WORD + AMOUNT + NONCE;
  static final int TOP_UP_LENGTH = TOP_UP_BODY + MAC;
  static final int SIGNATURE_LENGTH = 65;
  static final BigInteger MAX_AMOUNT = BigInteger.ONE.shiftLeft(96).subtract(BigInteger.ONE);

  private static final HexFormat HEX = HexFormat.of();

  private MockSessionCodec() {}

  /** The per-channel key. */
  static byte[] channelKey(byte[] secret, String channelId) {
    return hmac("HmacSHA256", secret, bytes("mpp4j-mock-session-key"), word(channelId));
  }

  /** A voucher's 65-byte signature. */
  static byte[] voucherSignature(byte[] channelKey, String channelId, BigInteger cumulative) {
    byte[] mac =
        hmac(
            "HmacSHA512",
            channelKey,
            bytes("mpp4j-mock-voucher"),
            word(channelId),
            uint96(cumulative));
    byte[] sig = Arrays.copyOf(mac, SIGNATURE_LENGTH);
    sig[SIGNATURE_LENGTH - 1] = 27;
    return sig;
  }

  /** Whether {@code signature} is the channel's voucher signature over {@code cumulative}. */
  static boolean verifyVoucher(
      byte[] channelKey, String channelId, BigInteger cumulative, byte[] signature) {
    return MessageDigest.isEqual(voucherSignature(channelKey, channelId, cumulative), signature);
  }

  /** The channel id of a descriptor. */
  static String channelId(
      String payer,
      String payee,
      String operator,
      String token,
      String salt,
      String authorizedSigner,
      String expiringNonceHash,
      String escrow,
      long chainId) {
    MessageDigest sha = sha256();
    sha.update(bytes("mpp4j-mock-channel"));
    sha.update(address(payer));
    sha.update(address(payee));
    sha.update(address(operator));
    sha.update(address(token));
    sha.update(word(salt));
    sha.update(address(authorizedSigner));
    sha.update(word(expiringNonceHash));
    sha.update(address(escrow));
    sha.update(BigInteger.valueOf(chainId).toByteArray());
    return hex(sha.digest());
  }

  /** An open transaction's body (everything the MAC covers). */
  static byte[] openBody(
      String payer,
      String payee,
      String operator,
      String token,
      String salt,
      String authorizedSigner,
      BigInteger deposit) {
    byte[] body = new byte[OPEN_BODY];
    body[0] = OPEN;
    int at = 1;
    for (String a : new String[] {payer, payee, operator, token}) {
      System.arraycopy(address(a), 0, body, at, ADDRESS);
      at += ADDRESS;
    }
    System.arraycopy(word(salt), 0, body, at, WORD);
    at += WORD;
    System.arraycopy(address(authorizedSigner), 0, body, at, ADDRESS);
    at += ADDRESS;
    System.arraycopy(uint96(deposit), 0, body, at, AMOUNT);
    return body;
  }

  /** The expiring nonce hash that binds a channel to its open transaction's body. */
  static String expiringNonceHash(byte[] openBody, String payer) {
    MessageDigest sha = sha256();
    sha.update(bytes("mpp4j-mock-open"));
    sha.update(openBody, 0, OPEN_BODY);
    sha.update(address(payer));
    return hex(sha.digest());
  }

  /** A transaction's MAC over its body. */
  static byte[] txMac(byte[] channelKey, byte[] body, int bodyLength) {
    return hmac("HmacSHA256", channelKey, bytes("mpp4j-mock-tx"), Arrays.copyOf(body, bodyLength));
  }

  /** A top-up transaction's body. */
  static byte[] topUpBody(String channelId, BigInteger amount, byte[] nonce) {
    byte[] body = new byte[TOP_UP_BODY];
    body[0] = TOP_UP;
    System.arraycopy(word(channelId), 0, body, 1, WORD);
    System.arraycopy(uint96(amount), 0, body, 1 + WORD, AMOUNT);
    System.arraycopy(nonce, 0, body, 1 + WORD + AMOUNT, NONCE);
    return body;
  }

  /** A transaction's hash, as a mock chain would report it. */
  static String txHash(byte[] tx) {
    MessageDigest sha = sha256();
    sha.update(bytes("mpp4j-mock-txhash"));
    sha.update(tx);
    return hex(sha.digest());
  }

  /** The hash of a settlement or close "transaction" the mock sends itself. */
  static String operatorTxHash(String kind, String channelId, BigInteger amount, long sequence) {
    MessageDigest sha = sha256();
    sha.update(bytes("mpp4j-mock-" + kind));
    sha.update(word(channelId));
    sha.update(uint96(amount));
    sha.update(BigInteger.valueOf(sequence).toByteArray());
    return hex(sha.digest());
  }

  /**
   * The mock address standing for a name (a recipient such as {@code mock-merchant}, a currency
   * such as {@code usd}): the name itself when it is an address, else the first 20 bytes of {@code
   * SHA-256("mpp4j-mock-address" ‖ name)}.
   */
  static String addressFor(String name) {
    if (name.matches("0x[0-9a-fA-F]{40}")) {
      return name.toLowerCase(Locale.ROOT);
    }
    MessageDigest sha = sha256();
    sha.update(bytes("mpp4j-mock-address"));
    sha.update(bytes(name));
    return hex(Arrays.copyOf(sha.digest(), ADDRESS));
  }

  /** uint96 big-endian. */
  static byte[] uint96(BigInteger x) {
    if (x.signum() < 0 || x.compareTo(MAX_AMOUNT) > 0) {
      throw new IllegalArgumentException("amount is not a uint96");
    }
    byte[] raw = x.toByteArray();
    byte[] out = new byte[AMOUNT];
    int n = Math.min(raw.length, AMOUNT);
    System.arraycopy(raw, raw.length - n, out, AMOUNT - n, n);
    return out;
  }

  static BigInteger readUint96(byte[] in, int offset) {
    return new BigInteger(1, Arrays.copyOfRange(in, offset, offset + AMOUNT));
  }

  static String hex(byte[] b) {
    return "0x" + HEX.formatHex(b);
  }

  static String hex(byte[] b, int from, int to) {
    return "0x" + HEX.formatHex(b, from, to);
  }

  /** The bytes of {@code 0x}-prefixed hex, or null when it is not that. */
  static byte @Nullable [] unhex(@Nullable Object value, int maxBytes) {
    if (!(value instanceof String s)
        || s.length() < 2
        || s.length() > 2 + 2 * maxBytes
        || !s.startsWith("0x")
        || s.length() % 2 != 0) {
      return null;
    }
    try {
      return HEX.parseHex(s, 2, s.length());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static byte[] address(String hex) {
    byte[] b = HEX.parseHex(Objects.requireNonNull(hex), 2, hex.length());
    if (b.length != ADDRESS) {
      throw new IllegalArgumentException("not an address");
    }
    return b;
  }

  private static byte[] word(String hex) {
    byte[] b = HEX.parseHex(Objects.requireNonNull(hex), 2, hex.length());
    if (b.length != WORD) {
      throw new IllegalArgumentException("not a 32-byte word");
    }
    return b;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  private static byte[] hmac(String algorithm, byte[] key, byte[]... parts) {
    try {
      Mac mac = Mac.getInstance(algorithm);
      mac.init(new SecretKeySpec(key, algorithm));
      for (byte[] p : parts) {
        mac.update(p);
      }
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(algorithm + " is missing from this JDK", e);
    }
  }
}
