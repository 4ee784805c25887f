package io.mpp4j.tempo.internal.session;

import io.mpp4j.core.MalformedMessageException;
import io.mpp4j.tempo.Address;
import io.mpp4j.tempo.internal.Hex;
import io.mpp4j.tempo.internal.Keccak;
import io.mpp4j.tempo.rpc.TransactionReceipt;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The subset of the v2 channel reserve's ABI ({@code ITIP20ChannelReserve}, SPEC 4.3, 11.3) that
 * the server uses, plus the two calls that may precede an {@code open} or {@code topUp} (a TIP-20
 * {@code approve} and the stablecoin DEX's {@code swapExactAmountOut}). Decoding is strict ABI:
 * exact lengths, zero padding, amounts in range; a decoded call re-encodes to the same bytes.
 *
 * <p>Stateless and thread-safe.
 */
public final class EscrowAbi {
  /** {@code open(address,address,address,uint96,bytes32,address)}. */
  public static final int OPEN = 0xedc53b00;

  /** {@code topUp(Descriptor,uint96)}. */
  public static final int TOP_UP = 0xdc48471e;

  /** {@code settle(Descriptor,uint96,bytes)}. */
  public static final int SETTLE = 0x97fb5104;

  /** {@code close(Descriptor,uint96,uint96,bytes)}. */
  public static final int CLOSE = 0x73b57f74;

  /** {@code getChannel(Descriptor)}. */
  public static final int GET_CHANNEL = 0xeef95313;

  /** TIP-20 {@code approve(address,uint256)}. */
  public static final int APPROVE = 0x095ea7b3;

  /** The stablecoin DEX's {@code swapExactAmountOut(address,address,uint128,uint128)}. */
  public static final int SWAP_EXACT_AMOUNT_OUT = 0xf0122b75;

  /** The stablecoin DEX (SPEC 11.3). */
  public static final Address STABLECOIN_DEX =
      address("0xdec0000000000000000000000000000000000000");

  /** topic0 of {@code ChannelOpened}. */
  public static final byte[] CHANNEL_OPENED =
      event(
          "ChannelOpened(bytes32,address,address,address,address,address,bytes32,bytes32,uint96)");

  /** topic0 of {@code TopUp}. */
  public static final byte[] TOP_UP_EVENT = event("TopUp(bytes32,address,address,uint96,uint96)");

  /** topic0 of {@code Settled}. */
  public static final byte[] SETTLED =
      event("Settled(bytes32,address,address,uint96,uint96,uint96)");

  /** topic0 of {@code ChannelClosed}. */
  public static final byte[] CHANNEL_CLOSED =
      event("ChannelClosed(bytes32,address,address,uint96,uint96)");

  private static final BigInteger MAX_UINT128 =
      BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);
  private static final BigInteger MAX_UINT256 =
      BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);
  private static final int WORD = 32;

  private EscrowAbi() {}

  /**
   * The arguments of an {@code open} call.
   *
   * @param payee the channel's payee
   * @param operator the channel's operator (zero for none)
   * @param token the TIP-20 token
   * @param deposit the deposit, uint96
   * @param salt the payer's salt
   * @param authorizedSigner the voucher signer (zero: the payer)
   */
  public record OpenCall(
      Address payee,
      Address operator,
      Address token,
      BigInteger deposit,
      Bytes32 salt,
      Address authorizedSigner) {}

  /**
   * The arguments of a {@code topUp} call.
   *
   * @param descriptor the channel
   * @param additionalDeposit the amount added, uint96
   */
  public record TopUpCall(ChannelDescriptor descriptor, BigInteger additionalDeposit) {}

  /**
   * The arguments of a TIP-20 {@code approve}.
   *
   * @param spender the spender
   * @param amount the allowance, uint256
   */
  public record ApproveCall(Address spender, BigInteger amount) {}

  /**
   * The arguments of the DEX's {@code swapExactAmountOut}.
   *
   * @param tokenIn the token paid
   * @param tokenOut the token bought
   * @param amountOut the amount bought, uint128
   * @param maxAmountIn the most paid, uint128
   */
  public record SwapCall(
      Address tokenIn, Address tokenOut, BigInteger amountOut, BigInteger maxAmountIn) {}

  /**
   * A channel as {@code getChannel} returns it.
   *
   * @param descriptor the descriptor the escrow holds (all zero for an unknown channel)
   * @param settled what was settled, uint96
   * @param deposit the deposit, uint96
   * @param closeRequestedAt when the payer asked to close (Unix seconds), 0 when not
   */
  public record ChannelRead(
      ChannelDescriptor descriptor,
      BigInteger settled,
      BigInteger deposit,
      long closeRequestedAt) {}

  /** The 4-byte selector of {@code data}, or -1 when it is shorter than 4 bytes. */
  public static long selector(byte[] data) {
    if (data.length < 4) {
      return -1;
    }
    return ((data[0] & 0xffL) << 24)
        | ((data[1] & 0xffL) << 16)
        | ((data[2] & 0xffL) << 8)
        | (data[3] & 0xffL);
  }

  // ---- encoders ----

  /** {@code open(payee, operator, token, deposit, salt, authorizedSigner)}. */
  public static byte[] encodeOpen(OpenCall c) {
    byte[] out = head(OPEN, 6);
    putAddress(out, 0, c.payee());
    putAddress(out, 1, c.operator());
    putAddress(out, 2, c.token());
    putUint(out, 3, c.deposit());
    putBytes32(out, 4, c.salt());
    putAddress(out, 5, c.authorizedSigner());
    return out;
  }

  /** {@code topUp(descriptor, additionalDeposit)}. */
  public static byte[] encodeTopUp(ChannelDescriptor d, BigInteger additionalDeposit) {
    byte[] out = head(TOP_UP, 8);
    putDescriptor(out, 0, d);
    putUint(out, 7, additionalDeposit);
    return out;
  }

  /** {@code getChannel(descriptor)}. */
  public static byte[] encodeGetChannel(ChannelDescriptor d) {
    byte[] out = head(GET_CHANNEL, 7);
    putDescriptor(out, 0, d);
    return out;
  }

  /** {@code settle(descriptor, cumulativeAmount, signature)}. */
  public static byte[] encodeSettle(ChannelDescriptor d, BigInteger cumulative, byte[] signature) {
    int headWords = 9;
    byte[] out = head(SETTLE, headWords + 1 + padded(signature.length) / WORD);
    putDescriptor(out, 0, d);
    putUint(out, 7, cumulative);
    putUint(out, 8, BigInteger.valueOf((long) headWords * WORD));
    putDynamicBytes(out, headWords, signature);
    return out;
  }

  /** {@code close(descriptor, cumulativeAmount, captureAmount, signature)}. */
  public static byte[] encodeClose(
      ChannelDescriptor d, BigInteger cumulative, BigInteger capture, byte[] signature) {
    int headWords = 10;
    byte[] out = head(CLOSE, headWords + 1 + padded(signature.length) / WORD);
    putDescriptor(out, 0, d);
    putUint(out, 7, cumulative);
    putUint(out, 8, capture);
    putUint(out, 9, BigInteger.valueOf((long) headWords * WORD));
    putDynamicBytes(out, headWords, signature);
    return out;
  }

  /** TIP-20 {@code approve(spender, amount)}. */
  public static byte[] encodeApprove(Address spender, BigInteger amount) {
    byte[] out = head(APPROVE, 2);
    putAddress(out, 0, spender);
    putUint(out, 1, amount);
    return out;
  }

  /** The DEX's {@code swapExactAmountOut(tokenIn, tokenOut, amountOut, maxAmountIn)}. */
  public static byte[] encodeSwap(SwapCall c) {
    byte[] out = head(SWAP_EXACT_AMOUNT_OUT, 4);
    putAddress(out, 0, c.tokenIn());
    putAddress(out, 1, c.tokenOut());
    putUint(out, 2, c.amountOut());
    putUint(out, 3, c.maxAmountIn());
    return out;
  }

  // ---- decoders ----

  /**
   * Decodes {@code open} calldata.
   *
   * @throws MalformedMessageException unless it is exactly a strict {@code open} call
   */
  public static OpenCall decodeOpen(byte[] data) throws MalformedMessageException {
    expect(data, OPEN, 6, "open");
    return new OpenCall(
        readAddress(data, 0, "open payee"),
        readAddress(data, 1, "open operator"),
        readAddress(data, 2, "open token"),
        readUint96(data, 3, "open deposit"),
        readBytes32(data, 4),
        readAddress(data, 5, "open authorizedSigner"));
  }

  /**
   * Decodes {@code topUp} calldata.
   *
   * @throws MalformedMessageException unless it is exactly a strict {@code topUp} call
   */
  public static TopUpCall decodeTopUp(byte[] data) throws MalformedMessageException {
    expect(data, TOP_UP, 8, "topUp");
    return new TopUpCall(readDescriptor(data, 0), readUint96(data, 7, "topUp additionalDeposit"));
  }

  /**
   * Decodes TIP-20 {@code approve} calldata.
   *
   * @throws MalformedMessageException unless it is exactly a strict {@code approve} call
   */
  public static ApproveCall decodeApprove(byte[] data) throws MalformedMessageException {
    expect(data, APPROVE, 2, "approve");
    return new ApproveCall(readAddress(data, 0, "approve spender"), readUint(data, 1, MAX_UINT256));
  }

  /**
   * Decodes {@code swapExactAmountOut} calldata.
   *
   * @throws MalformedMessageException unless it is exactly a strict swap call
   */
  public static SwapCall decodeSwap(byte[] data) throws MalformedMessageException {
    expect(data, SWAP_EXACT_AMOUNT_OUT, 4, "swapExactAmountOut");
    return new SwapCall(
        readAddress(data, 0, "swap tokenIn"),
        readAddress(data, 1, "swap tokenOut"),
        readUint(data, 2, MAX_UINT128),
        readUint(data, 3, MAX_UINT128));
  }

  /**
   * Decodes what {@code getChannel} returns: the descriptor (7 words) and the state (settled,
   * deposit, closeRequestedAt), 10 static words.
   *
   * @throws MalformedMessageException unless it is exactly that, with every value in range
   */
  public static ChannelRead decodeGetChannel(byte[] ret) throws MalformedMessageException {
    if (ret.length != 10 * WORD) {
      throw new MalformedMessageException("getChannel must return 10 words");
    }
    ChannelDescriptor d = readDescriptorAt(ret, 0);
    BigInteger settled = readUint96At(ret, 7, "settled");
    BigInteger deposit = readUint96At(ret, 8, "deposit");
    BigInteger closeAt = wordAt(ret, 9);
    if (closeAt.bitLength() > 32) {
      throw new MalformedMessageException("closeRequestedAt is not a uint32");
    }
    return new ChannelRead(d, settled, deposit, closeAt.longValue());
  }

  // ---- logs ----

  /**
   * The logs of {@code receipt} emitted by {@code escrow} with this topic0 and this channel id as
   * topic1.
   */
  public static List<TransactionReceipt.Log> channelLogs(
      TransactionReceipt receipt, Address escrow, byte[] topic0, Bytes32 channelId) {
    List<TransactionReceipt.Log> out = new ArrayList<>(1);
    byte[] id = channelId.toBytes();
    for (TransactionReceipt.Log log : receipt.logs()) {
      List<byte[]> topics = log.topics();
      if (escrow.equals(log.address())
          && topics.size() >= 2
          && Arrays.equals(topics.get(0), topic0)
          && Arrays.equals(topics.get(1), id)) {
        out.add(log);
      }
    }
    return out;
  }

  /**
   * The data words of a log, strictly {@code words} long.
   *
   * @throws MalformedMessageException otherwise
   */
  public static BigInteger[] logWords(TransactionReceipt.Log log, int words)
      throws MalformedMessageException {
    byte[] data = log.data();
    if (data.length != words * WORD) {
      throw new MalformedMessageException("log data must be " + words + " words");
    }
    BigInteger[] out = new BigInteger[words];
    for (int i = 0; i < words; i++) {
      out[i] = wordAt(data, i);
    }
    return out;
  }

  /** The address in an ABI word (its top 12 bytes must be zero). */
  public static Address wordAddress(BigInteger word) throws MalformedMessageException {
    if (word.bitLength() > 160) {
      throw new MalformedMessageException("address word has non-zero padding");
    }
    byte[] out = new byte[Address.LENGTH];
    byte[] b = word.toByteArray();
    int len = Math.min(b.length, Address.LENGTH);
    System.arraycopy(b, b.length - len, out, Address.LENGTH - len, len);
    return Address.of(out);
  }

  // ---- plumbing ----

  private static byte[] event(String signature) {
    return Keccak.hash(signature.getBytes(StandardCharsets.US_ASCII));
  }

  private static Address address(String hex) {
    try {
      return Address.parse(hex);
    } catch (MalformedMessageException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int padded(int length) {
    return (length + WORD - 1) / WORD * WORD;
  }

  private static byte[] head(int selector, int words) {
    byte[] out = new byte[4 + words * WORD];
    out[0] = (byte) (selector >>> 24);
    out[1] = (byte) (selector >>> 16);
    out[2] = (byte) (selector >>> 8);
    out[3] = (byte) selector;
    return out;
  }

  private static void putAddress(byte[] out, int word, Address a) {
    System.arraycopy(a.toBytes(), 0, out, 4 + word * WORD + 12, Address.LENGTH);
  }

  private static void putBytes32(byte[] out, int word, Bytes32 b) {
    b.copyTo(out, 4 + word * WORD);
  }

  private static void putUint(byte[] out, int word, BigInteger v) {
    Objects.requireNonNull(v, "value == null");
    if (v.signum() < 0 || v.bitLength() > 256) {
      throw new IllegalArgumentException("not a uint256");
    }
    byte[] b = v.toByteArray();
    int from = b.length > WORD ? b.length - WORD : 0;
    int len = b.length - from;
    System.arraycopy(b, from, out, 4 + word * WORD + WORD - len, len);
  }

  private static void putDescriptor(byte[] out, int word, ChannelDescriptor d) {
    putAddress(out, word, d.payer());
    putAddress(out, word + 1, d.payee());
    putAddress(out, word + 2, d.operator());
    putAddress(out, word + 3, d.token());
    putBytes32(out, word + 4, d.salt());
    putAddress(out, word + 5, d.authorizedSigner());
    putBytes32(out, word + 6, d.expiringNonceHash());
  }

  private static void putDynamicBytes(byte[] out, int word, byte[] bytes) {
    putUint(out, word, BigInteger.valueOf(bytes.length));
    System.arraycopy(bytes, 0, out, 4 + (word + 1) * WORD, bytes.length);
  }

  private static void expect(byte[] data, int selector, int words, String name)
      throws MalformedMessageException {
    Objects.requireNonNull(data, "data == null");
    if (selector(data) != (selector & 0xffffffffL)) {
      throw new MalformedMessageException("calldata is not " + name);
    }
    if (data.length != 4 + words * WORD) {
      throw new MalformedMessageException(
          name + " calldata must be " + (4 + words * WORD) + " bytes");
    }
  }

  private static BigInteger word(byte[] data, int word) {
    return new BigInteger(1, Arrays.copyOfRange(data, 4 + word * WORD, 4 + (word + 1) * WORD));
  }

  private static BigInteger wordAt(byte[] data, int word) {
    return new BigInteger(1, Arrays.copyOfRange(data, word * WORD, (word + 1) * WORD));
  }

  private static Address readAddress(byte[] data, int word, String what)
      throws MalformedMessageException {
    try {
      return wordAddress(word(data, word));
    } catch (MalformedMessageException e) {
      throw new MalformedMessageException(what + " has non-zero padding");
    }
  }

  private static Bytes32 readBytes32(byte[] data, int word) {
    return Bytes32.of(Arrays.copyOfRange(data, 4 + word * WORD, 4 + (word + 1) * WORD));
  }

  private static BigInteger readUint96(byte[] data, int word, String what)
      throws MalformedMessageException {
    BigInteger v = word(data, word);
    if (!Uint96.isValid(v)) {
      throw new MalformedMessageException(what + " is not a uint96");
    }
    return v;
  }

  private static BigInteger readUint(byte[] data, int word, BigInteger max)
      throws MalformedMessageException {
    BigInteger v = word(data, word);
    if (v.compareTo(max) > 0) {
      throw new MalformedMessageException("amount out of range");
    }
    return v;
  }

  private static ChannelDescriptor readDescriptor(byte[] data, int word)
      throws MalformedMessageException {
    return new ChannelDescriptor(
        readAddress(data, word, "descriptor payer"),
        readAddress(data, word + 1, "descriptor payee"),
        readAddress(data, word + 2, "descriptor operator"),
        readAddress(data, word + 3, "descriptor token"),
        readBytes32(data, word + 4),
        readAddress(data, word + 5, "descriptor authorizedSigner"),
        readBytes32(data, word + 6));
  }

  private static ChannelDescriptor readDescriptorAt(byte[] ret, int word)
      throws MalformedMessageException {
    return new ChannelDescriptor(
        wordAddress(wordAt(ret, word)),
        wordAddress(wordAt(ret, word + 1)),
        wordAddress(wordAt(ret, word + 2)),
        wordAddress(wordAt(ret, word + 3)),
        Bytes32.of(Arrays.copyOfRange(ret, (word + 4) * WORD, (word + 5) * WORD)),
        wordAddress(wordAt(ret, word + 5)),
        Bytes32.of(Arrays.copyOfRange(ret, (word + 6) * WORD, (word + 7) * WORD)));
  }

  private static BigInteger readUint96At(byte[] ret, int word, String what)
      throws MalformedMessageException {
    BigInteger v = wordAt(ret, word);
    if (!Uint96.isValid(v)) {
      throw new MalformedMessageException(what + " is not a uint96");
    }
    return v;
  }

  /** Lower-case hex of a topic, for messages and tests. */
  public static String hex(byte[] topic) {
    return Hex.encode(topic);
  }
}
