package io.mpp4j.tempo.chain;

import io.mpp4j.tempo.Address;
import io.mpp4j.tempo.internal.Keccak;
import io.mpp4j.tempo.internal.session.Bytes32;
import io.mpp4j.tempo.internal.session.ChannelDescriptor;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The ABI of the TIP-1034 channel reserve as the tests use it: the selectors and event topics of
 * SPEC 11.3, call-data encoders for the functions the stand-in implements, and decoders for {@code
 * getChannel} and the events. An independent, hand-written encoding (static words only, plus one
 * trailing {@code bytes}), kept apart from any production encoder so that the two check each other.
 *
 * <p>Stateless; thread-safe.
 */
public final class ReserveAbi {
  /** The precompile's address, where the stand-in is installed (SPEC 4.1). */
  public static final Address RESERVE =
      AnvilChain.address("0x4d50500000000000000000000000000000000000");

  /** {@code open(address,address,address,uint96,bytes32,address)}. */
  public static final String OPEN = "0xedc53b00";

  /** {@code settle(Descriptor,uint96,bytes)}. */
  public static final String SETTLE = "0x97fb5104";

  /** {@code topUp(Descriptor,uint96)}. */
  public static final String TOP_UP = "0xdc48471e";

  /** {@code close(Descriptor,uint96,uint96,bytes)}. */
  public static final String CLOSE = "0x73b57f74";

  /** {@code requestClose(Descriptor)}. */
  public static final String REQUEST_CLOSE = "0x675402e5";

  /** {@code withdraw(Descriptor)}. */
  public static final String WITHDRAW = "0x41e2c664";

  /** {@code getChannel(Descriptor)}. */
  public static final String GET_CHANNEL = "0xeef95313";

  /** {@code getChannelState(bytes32)}. */
  public static final String GET_CHANNEL_STATE = "0xd18da8b1";

  /** {@code ChannelOpened} topic0 (SPEC 11.3). */
  public static final String CHANNEL_OPENED =
      "0xdebaba36f0e9c7978f536fed432d9360b1f9646d7ca88531c34c3eae43f154a7";

  /** {@code Settled} topic0 (SPEC 11.3). */
  public static final String SETTLED =
      "0x11c4e4c79ad8802431b44c15047ed1ddb82fbfc1abd452c765f7ee3990df1399";

  /** {@code TopUp} topic0 (SPEC 11.3). */
  public static final String TOPPED_UP =
      "0x2a96f534665f3150977dd4c35d91373c74030288edbb3cf83c527dd25012364f";

  /** {@code ChannelClosed} topic0 (SPEC 11.3). */
  public static final String CHANNEL_CLOSED =
      "0x5613aed96d5bf39f928408dbe1d4143490b9bb5957eac2dd8e69b5dc4b2206e6";

  /** The close grace period of SPEC 11.3, in seconds. */
  public static final long CLOSE_GRACE_PERIOD = 900;

  /** TIP-20 {@code approve(address,uint256)}. */
  public static final String APPROVE = "0x095ea7b3";

  private static final int WORD = 32;

  private ReserveAbi() {}

  /** The 4-byte selector of a canonical function signature: {@code keccak256(sig)[0..4]}. */
  public static String selector(String signature) {
    return AnvilChain.hex(
        Arrays.copyOf(Keccak.hash(signature.getBytes(StandardCharsets.US_ASCII)), 4));
  }

  /** The topic0 of a canonical event signature: {@code keccak256(sig)}. */
  public static String topic(String signature) {
    return AnvilChain.hex(Keccak.hash(signature.getBytes(StandardCharsets.US_ASCII)));
  }

  // ---- encoders ----

  /** {@code open(payee, operator, token, deposit, salt, authorizedSigner)}. */
  public static byte[] open(
      Address payee,
      Address operator,
      Address token,
      BigInteger deposit,
      Bytes32 salt,
      Address authorizedSigner) {
    return call(
        OPEN,
        word(payee),
        word(operator),
        word(token),
        word(deposit),
        salt.toBytes(),
        word(authorizedSigner));
  }

  /** {@code topUp(descriptor, additionalDeposit)}. */
  public static byte[] topUp(ChannelDescriptor d, BigInteger additionalDeposit) {
    return call(TOP_UP, descriptor(d), word(additionalDeposit));
  }

  /** {@code settle(descriptor, cumulativeAmount, signature)}. */
  public static byte[] settle(ChannelDescriptor d, BigInteger cumulativeAmount, byte[] signature) {
    return call(
        SETTLE,
        descriptor(d),
        word(cumulativeAmount),
        word(BigInteger.valueOf(9L * WORD)),
        bytesTail(signature));
  }

  /** {@code close(descriptor, cumulativeAmount, captureAmount, signature)}. */
  public static byte[] close(
      ChannelDescriptor d,
      BigInteger cumulativeAmount,
      BigInteger captureAmount,
      byte[] signature) {
    return call(
        CLOSE,
        descriptor(d),
        word(cumulativeAmount),
        word(captureAmount),
        word(BigInteger.valueOf(10L * WORD)),
        bytesTail(signature));
  }

  /** {@code requestClose(descriptor)}. */
  public static byte[] requestClose(ChannelDescriptor d) {
    return call(REQUEST_CLOSE, descriptor(d));
  }

  /** {@code withdraw(descriptor)}. */
  public static byte[] withdraw(ChannelDescriptor d) {
    return call(WITHDRAW, descriptor(d));
  }

  /** {@code getChannel(descriptor)}. */
  public static byte[] getChannel(ChannelDescriptor d) {
    return call(GET_CHANNEL, descriptor(d));
  }

  /** {@code getChannelState(channelId)}. */
  public static byte[] getChannelState(Bytes32 channelId) {
    return call(GET_CHANNEL_STATE, channelId.toBytes());
  }

  /** A function without arguments, by canonical signature (e.g. {@code "domainSeparator()"}). */
  public static byte[] noArgs(String signature) {
    return AnvilChain.unhex(selector(signature));
  }

  /** {@code getVoucherDigest(channelId, cumulativeAmount)}. */
  public static byte[] getVoucherDigest(Bytes32 channelId, BigInteger cumulativeAmount) {
    return call(
        selector("getVoucherDigest(bytes32,uint96)"), channelId.toBytes(), word(cumulativeAmount));
  }

  /** {@code computeChannelId(payer, payee, operator, token, salt, authorizedSigner, hash)}. */
  public static byte[] computeChannelId(ChannelDescriptor d) {
    return call(
        selector("computeChannelId(address,address,address,address,bytes32,address,bytes32)"),
        descriptor(d));
  }

  /** TIP-20 {@code approve(spender, amount)}. */
  public static byte[] approve(Address spender, BigInteger amount) {
    return call(APPROVE, word(spender), word(amount));
  }

  // ---- decoders ----

  /**
   * A channel's on-chain state.
   *
   * @param settled paid out to the payee so far
   * @param deposit escrowed; zero for a channel that does not exist or was closed
   * @param closeRequestedAt when the payer requested a close (Unix seconds), or zero
   */
  public record ChannelState(BigInteger settled, BigInteger deposit, long closeRequestedAt) {
    /** Checks for null. */
    public ChannelState {
      Objects.requireNonNull(settled, "settled == null");
      Objects.requireNonNull(deposit, "deposit == null");
    }

    static ChannelState decode(byte[] data, int firstWord) {
      return new ChannelState(
          uint(data, firstWord),
          uint(data, firstWord + 1),
          uint(data, firstWord + 2).longValueExact());
    }
  }

  /** Decodes {@code getChannel}'s result: the descriptor (7 words) then the state (3 words). */
  public static ChannelState decodeGetChannel(byte[] data, ChannelDescriptor expected) {
    if (data.length != 10 * WORD) {
      throw new IllegalStateException("getChannel returned " + data.length + " bytes, not 320");
    }
    if (!Arrays.equals(Arrays.copyOf(data, 7 * WORD), descriptor(expected))) {
      throw new IllegalStateException("getChannel returned another descriptor");
    }
    return ChannelState.decode(data, 7);
  }

  /** Decodes {@code getChannelState}'s result (3 words). */
  public static ChannelState decodeChannelState(byte[] data) {
    if (data.length != 3 * WORD) {
      throw new IllegalStateException("getChannelState returned " + data.length + " bytes");
    }
    return ChannelState.decode(data, 0);
  }

  /** Word {@code index} of {@code data} as an unsigned integer. */
  public static BigInteger uint(byte[] data, int index) {
    return new BigInteger(1, Arrays.copyOfRange(data, index * WORD, (index + 1) * WORD));
  }

  /** Word {@code index} of {@code data} as an address (its low 20 bytes). */
  public static Address address(byte[] data, int index) {
    return Address.of(Arrays.copyOfRange(data, index * WORD + 12, (index + 1) * WORD));
  }

  /** Word {@code index} of {@code data}. */
  public static Bytes32 bytes32(byte[] data, int index) {
    return Bytes32.of(Arrays.copyOfRange(data, index * WORD, (index + 1) * WORD));
  }

  // ---- words ----

  /** The descriptor's seven static words, in struct order. */
  public static byte[] descriptor(ChannelDescriptor d) {
    return concat(
        List.of(
            word(d.payer()),
            word(d.payee()),
            word(d.operator()),
            word(d.token()),
            d.salt().toBytes(),
            word(d.authorizedSigner()),
            d.expiringNonceHash().toBytes()));
  }

  static byte[] word(Address a) {
    byte[] w = new byte[WORD];
    System.arraycopy(a.toBytes(), 0, w, 12, Address.LENGTH);
    return w;
  }

  static byte[] word(BigInteger v) {
    if (v.signum() < 0 || v.bitLength() > 256) {
      throw new IllegalArgumentException("not a uint256: " + v);
    }
    byte[] raw = v.toByteArray();
    int n = Math.min(raw.length, WORD);
    byte[] w = new byte[WORD];
    System.arraycopy(raw, raw.length - n, w, WORD - n, n);
    return w;
  }

  private static byte[] bytesTail(byte[] b) {
    int padded = (b.length + WORD - 1) / WORD * WORD;
    byte[] out = new byte[WORD + padded];
    System.arraycopy(word(BigInteger.valueOf(b.length)), 0, out, 0, WORD);
    System.arraycopy(b, 0, out, WORD, b.length);
    return out;
  }

  private static byte[] call(String selector, byte[]... parts) {
    byte[] sel = HexFormat.of().parseHex(selector.substring(2));
    byte[] body = concat(List.of(parts));
    byte[] out = Arrays.copyOf(sel, sel.length + body.length);
    System.arraycopy(body, 0, out, sel.length, body.length);
    return out;
  }

  private static byte[] concat(List<byte[]> parts) {
    int n = parts.stream().mapToInt(p -> p.length).sum();
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }
}
