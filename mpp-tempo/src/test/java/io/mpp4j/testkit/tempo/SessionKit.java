package io.mpp4j.testkit.tempo;

import io.mpp4j.core.Challenge;
import io.mpp4j.core.Credential;
import io.mpp4j.core.MalformedMessageException;
import io.mpp4j.tempo.Address;
import io.mpp4j.tempo.TempoNetwork;
import io.mpp4j.tempo.internal.FeePayerField;
import io.mpp4j.tempo.internal.Hex;
import io.mpp4j.tempo.internal.Keccak;
import io.mpp4j.tempo.internal.SenderSignature;
import io.mpp4j.tempo.internal.SigningKey;
import io.mpp4j.tempo.internal.TempoCall;
import io.mpp4j.tempo.internal.TempoTransaction;
import io.mpp4j.tempo.internal.session.Bytes32;
import io.mpp4j.tempo.internal.session.ChannelDescriptor;
import io.mpp4j.tempo.internal.session.EscrowAbi;
import io.mpp4j.tempo.internal.session.VoucherDomain;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Builds what a Tempo session client sends (SPEC 4.5, as mppx 0.11.0 sends it) with test keys:
 * signed {@code open} and {@code topUp} transactions, the channel descriptor and its id, EIP-712
 * vouchers, the four actions' payloads and credentials with a {@code did:pkh} source; and what a
 * node answers about channels ({@code getChannel} return data, receipts with channel events as
 * JSON). For the mpp-tempo unit tests, the chain tests and the example's tests.
 *
 * <p>Not thread-safe per {@link Channel}; a kit itself holds only immutable keys and terms.
 *
 * <pre>{@code
 * SessionKit kit = SessionKit.forPayer(SessionKit.randomSecret(), recipient, token, operator);
 * SessionKit.Channel ch = kit.open(BigInteger.valueOf(1_000_000));
 * Credential open = ch.credential(challenge, ch.openPayload(BigInteger.valueOf(1000)));
 * }</pre>
 */
public final class SessionKit {
  /** The chain of the kit's transactions unless changed: Moderato / the local anvil. */
  public static final long CHAIN = 42431;

  /** The v2 channel reserve precompile. */
  public static final Address ESCROW = TempoNetwork.CHANNEL_RESERVE;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final SigningKey payer;
  private final Address payee;
  private final Address token;
  private final Address operator;
  private final Address escrow;
  private final long chainId;

  private SessionKit(
      SigningKey payer,
      Address payee,
      Address token,
      Address operator,
      Address escrow,
      long chainId) {
    this.payer = payer;
    this.payee = payee;
    this.token = token;
    this.operator = operator;
    this.escrow = escrow;
    this.chainId = chainId;
  }

  /**
   * A kit for one payer opening channels to {@code payee} in {@code token}, naming {@code operator}
   * (the zero address for none), on {@link #ESCROW} and {@link #CHAIN}.
   */
  public static SessionKit forPayer(
      byte[] payerSecret, Address payee, Address token, Address operator) {
    return new SessionKit(SigningKey.of(payerSecret), payee, token, operator, ESCROW, CHAIN);
  }

  /** This kit on another escrow and chain. */
  public SessionKit on(Address otherEscrow, long otherChainId) {
    return new SessionKit(payer, payee, token, operator, otherEscrow, otherChainId);
  }

  /** This kit with another payee in the descriptors it builds. */
  public SessionKit payingTo(Address otherPayee) {
    return new SessionKit(payer, otherPayee, token, operator, escrow, chainId);
  }

  /** 32 random bytes that are a valid secp256k1 private key. */
  public static byte[] randomSecret() {
    byte[] k = new byte[32];
    while (true) {
      RANDOM.nextBytes(k);
      try {
        SigningKey.of(k);
        return k.clone();
      } catch (IllegalArgumentException e) {
        // out of range; draw again
      }
    }
  }

  /** The address of a private key. */
  public static Address addressOf(byte[] secret) {
    return SigningKey.of(secret).address();
  }

  /** The payer's address. */
  public Address payer() {
    return payer.address();
  }

  /** The escrow the kit's channels live on. */
  public Address escrow() {
    return escrow;
  }

  /** The chain the kit's transactions are for. */
  public long chainId() {
    return chainId;
  }

  /** {@code did:pkh:eip155:<chainId>:<address>}. */
  public String did(Address a) {
    return "did:pkh:eip155:" + chainId + ":" + a.toHex();
  }

  /**
   * An unsigned 0x76 transaction for {@code calls}, as mppx prepares it: the expiring nonce lane,
   * {@code validBefore} now + 25 s, a past {@code validAfter}, fees in the token.
   */
  public TempoTransaction.Builder transaction(List<TempoCall> calls) {
    long now = Instant.now().getEpochSecond();
    return TempoTransaction.builder()
        .chainId(chainId)
        .maxPriorityFeePerGas(BigInteger.valueOf(1_000_000_000L))
        .maxFeePerGas(BigInteger.valueOf(20_000_000_000L))
        .gas(1_000_000)
        .calls(calls)
        .nonceKey(TempoTransaction.EXPIRING_NONCE_KEY)
        .nonce(0)
        .validBefore(now + 25)
        .validAfter(now - 120)
        .feeToken(token);
  }

  /** Signs as the payer (a self-paying 0x76 transaction). */
  public TempoTransaction sign(TempoTransaction.Builder b) {
    return sign(b, payer);
  }

  /** Signs a 0x78 fee-payer handoff as the payer (no fee token, field 11 the sender). */
  public TempoTransaction handoff(TempoTransaction.Builder b) {
    return sign(b.feeToken(null).feePayer(new FeePayerField.Sender(payer.address())), payer);
  }

  private static TempoTransaction sign(TempoTransaction.Builder b, SigningKey key) {
    TempoTransaction unsigned = b.build();
    return unsigned.withSenderSignature(SenderSignature.of(key.sign(unsigned.senderSigningHash())));
  }

  /** Opens a channel with {@code deposit}: a random salt, the payer signs, no prefix calls. */
  public Channel open(BigInteger deposit) {
    return open(deposit, UnaryOperator.identity(), false);
  }

  /**
   * Opens a channel, letting the test change the transaction before it is signed ({@code tweak})
   * and choose a fee-payer handoff. The descriptor is computed from the signed transaction, as the
   * client computes it.
   */
  public Channel open(
      BigInteger deposit, UnaryOperator<TempoTransaction.Builder> tweak, boolean handoff) {
    return open(deposit, List.of(), tweak, handoff);
  }

  /** Opens a channel whose transaction starts with {@code prefix} calls. */
  public Channel open(
      BigInteger deposit,
      List<TempoCall> prefix,
      UnaryOperator<TempoTransaction.Builder> tweak,
      boolean handoff) {
    byte[] saltBytes = new byte[32];
    RANDOM.nextBytes(saltBytes);
    Bytes32 salt = Bytes32.of(saltBytes);
    Address signer = ChannelDescriptor.ZERO;
    byte[] data =
        EscrowAbi.encodeOpen(new EscrowAbi.OpenCall(payee, operator, token, deposit, salt, signer));
    List<TempoCall> calls = new ArrayList<>(prefix);
    calls.add(TempoCall.of(escrow, data));
    TempoTransaction.Builder b = tweak.apply(transaction(calls));
    TempoTransaction tx = handoff ? handoff(b) : sign(b);
    ChannelDescriptor d =
        new ChannelDescriptor(
            payer.address(),
            payee,
            operator,
            token,
            salt,
            signer,
            ChannelDescriptor.expiringNonceHash(tx, payer.address()));
    return new Channel(d, tx);
  }

  /** One opened (or about to be opened) channel and the payloads about it. */
  public final class Channel {
    private final ChannelDescriptor descriptor;
    private final TempoTransaction openTx;

    private Channel(ChannelDescriptor descriptor, TempoTransaction openTx) {
      this.descriptor = descriptor;
      this.openTx = openTx;
    }

    /** The descriptor. */
    public ChannelDescriptor descriptor() {
      return descriptor;
    }

    /** The channel id, lower-case {@code 0x} hex. */
    public String id() {
      return descriptor.channelId(escrow, chainId).toHex();
    }

    /** The signed open transaction. */
    public TempoTransaction openTx() {
      return openTx;
    }

    /** The open transaction's bytes as sent. */
    public byte[] openTxBytes() {
      return openTx.encode();
    }

    /** The descriptor as the payload's JSON object. */
    public Map<String, Object> descriptorJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("authorizedSigner", descriptor.authorizedSigner().toHex());
      m.put("expiringNonceHash", descriptor.expiringNonceHash().toHex());
      m.put("operator", descriptor.operator().toHex());
      m.put("payee", descriptor.payee().toHex());
      m.put("payer", descriptor.payer().toHex());
      m.put("salt", descriptor.salt().toHex());
      m.put("token", descriptor.token().toHex());
      return m;
    }

    /** The payer's voucher signature for {@code cumulative}, {@code 0x} and 130 hex digits. */
    public String voucher(BigInteger cumulative) {
      return voucher(cumulative, payer);
    }

    /** A voucher signed by another key (an attack). */
    public String voucherSignedBy(BigInteger cumulative, byte[] otherSecret) {
      return voucher(cumulative, SigningKey.of(otherSecret));
    }

    private String voucher(BigInteger cumulative, SigningKey key) {
      byte[] digest =
          VoucherDomain.of(escrow, chainId)
              .digest(descriptor.channelId(escrow, chainId), cumulative);
      return Hex.encode(key.sign(digest).toBytes65());
    }

    /** The {@code open} payload with an initial voucher of {@code cumulative}. */
    public Map<String, Object> openPayload(BigInteger cumulative) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("action", "open");
      p.put("type", "transaction");
      p.put("channelId", id());
      p.put("transaction", Hex.encode(openTx.encode()));
      p.put("signature", voucher(cumulative));
      p.put("descriptor", descriptorJson());
      p.put("cumulativeAmount", cumulative.toString());
      p.put("authorizedSigner", descriptor.authorizedSigner().toHex());
      return p;
    }

    /** A signed {@code topUp} transaction adding {@code additional}. */
    public TempoTransaction topUpTx(
        BigInteger additional, UnaryOperator<TempoTransaction.Builder> tweak, boolean handoff) {
      byte[] data = EscrowAbi.encodeTopUp(descriptor, additional);
      TempoTransaction.Builder b = tweak.apply(transaction(List.of(TempoCall.of(escrow, data))));
      return handoff ? handoff(b) : sign(b);
    }

    /** The {@code topUp} payload adding {@code additional}. */
    public Map<String, Object> topUpPayload(BigInteger additional) {
      return topUpPayload(additional, topUpTx(additional, UnaryOperator.identity(), false));
    }

    /** The {@code topUp} payload carrying {@code tx}. */
    public Map<String, Object> topUpPayload(BigInteger additional, TempoTransaction tx) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("action", "topUp");
      p.put("type", "transaction");
      p.put("channelId", id());
      p.put("transaction", Hex.encode(tx.encode()));
      p.put("descriptor", descriptorJson());
      p.put("additionalDeposit", additional.toString());
      return p;
    }

    /** The {@code voucher} payload for {@code cumulative}. */
    public Map<String, Object> voucherPayload(BigInteger cumulative) {
      return signed("voucher", cumulative);
    }

    /** The {@code close} payload with a final voucher of {@code cumulative}. */
    public Map<String, Object> closePayload(BigInteger cumulative) {
      return signed("close", cumulative);
    }

    private Map<String, Object> signed(String action, BigInteger cumulative) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("action", action);
      p.put("channelId", id());
      p.put("descriptor", descriptorJson());
      p.put("cumulativeAmount", cumulative.toString());
      p.put("signature", voucher(cumulative));
      return p;
    }

    /** A credential for {@code challenge} with the payer's {@code did:pkh} source. */
    public Credential credential(Challenge challenge, Map<String, Object> payload) {
      return Credential.of(challenge, payload, did(payer.address()));
    }

    /** What {@code getChannel} returns for this channel. */
    public byte[] getChannelReturn(BigInteger deposit, BigInteger settled, long closeRequestedAt) {
      return SessionKit.getChannelReturn(descriptor, deposit, settled, closeRequestedAt);
    }

    /** The {@code ChannelOpened} log (as receipt JSON) for this channel and {@code deposit}. */
    public String channelOpenedLog(long logIndex, String txHash, BigInteger deposit) {
      return log(
          logIndex,
          txHash,
          escrow,
          List.of(
              EscrowAbi.CHANNEL_OPENED,
              Hex.decodeUnchecked(id()),
              word(descriptor.payer()),
              word(descriptor.payee())),
          concat(
              word(descriptor.operator()),
              word(descriptor.token()),
              word(descriptor.authorizedSigner()),
              descriptor.salt().toBytes(),
              descriptor.expiringNonceHash().toBytes(),
              word(deposit)));
    }

    /** A {@code TopUp} log for this channel. */
    public String topUpLog(long logIndex, String txHash, BigInteger added, BigInteger newDeposit) {
      return eventLog(
          logIndex, txHash, EscrowAbi.TOP_UP_EVENT, concat(word(added), word(newDeposit)));
    }

    /** A {@code Settled} log for this channel. */
    public String settledLog(long logIndex, String txHash, BigInteger cumulative) {
      return eventLog(
          logIndex,
          txHash,
          EscrowAbi.SETTLED,
          concat(word(cumulative), word(cumulative), word(cumulative)));
    }

    /** A {@code ChannelClosed} log for this channel. */
    public String closedLog(long logIndex, String txHash, BigInteger toPayee, BigInteger refund) {
      return eventLog(
          logIndex, txHash, EscrowAbi.CHANNEL_CLOSED, concat(word(toPayee), word(refund)));
    }

    private String eventLog(long logIndex, String txHash, byte[] topic0, byte[] data) {
      return log(
          logIndex,
          txHash,
          escrow,
          List.of(
              topic0,
              Hex.decodeUnchecked(id()),
              word(descriptor.payer()),
              word(descriptor.payee())),
          data);
    }
  }

  /** What {@code getChannel(descriptor)} returns: 7 descriptor words and 3 state words. */
  public static byte[] getChannelReturn(
      ChannelDescriptor d, BigInteger deposit, BigInteger settled, long closeRequestedAt) {
    return concat(
        word(d.payer()),
        word(d.payee()),
        word(d.operator()),
        word(d.token()),
        d.salt().toBytes(),
        word(d.authorizedSigner()),
        d.expiringNonceHash().toBytes(),
        word(settled),
        word(deposit),
        word(BigInteger.valueOf(closeRequestedAt)));
  }

  /** One receipt log as a node's JSON. */
  public static String log(
      long logIndex, String txHash, Address address, List<byte[]> topics, byte[] data) {
    StringBuilder t = new StringBuilder();
    for (byte[] topic : topics) {
      t.append(t.length() == 0 ? "" : ",").append('"').append(Hex.encode(topic)).append('"');
    }
    return "{\"address\":\""
        + address.toHex()
        + "\",\"topics\":["
        + t
        + "],\"data\":\""
        + Hex.encode(data)
        + "\",\"blockNumber\":\"0x2\",\"transactionHash\":\""
        + txHash
        + "\",\"transactionIndex\":\"0x0\",\"logIndex\":\"0x"
        + Long.toHexString(logIndex)
        + "\",\"removed\":false}";
  }

  /** A mined receipt as a node's JSON. */
  public static String receipt(String txHash, boolean success, Address from, List<String> logs) {
    return "{\"type\":\"0x76\",\"status\":\""
        + (success ? "0x1" : "0x0")
        + "\",\"transactionHash\":\""
        + txHash
        + "\",\"transactionIndex\":\"0x0\",\"blockNumber\":\"0x2\",\"gasUsed\":\"0xf618\","
        + "\"effectiveGasPrice\":\"0x4a817c800\",\"from\":\""
        + from.toHex()
        + "\",\"logs\":["
        + String.join(",", logs)
        + "]}";
  }

  /** The hash a node reports for {@code raw}: keccak256 of the bytes. */
  public static String hashOf(byte[] raw) {
    return Hex.encode(Keccak.hash(raw));
  }

  /** An address's ABI word. */
  public static byte[] word(Address a) {
    byte[] out = new byte[32];
    System.arraycopy(a.toBytes(), 0, out, 12, Address.LENGTH);
    return out;
  }

  /** An unsigned integer's ABI word. */
  public static byte[] word(BigInteger v) {
    byte[] out = new byte[32];
    byte[] b = v.toByteArray();
    int len = Math.min(b.length, 32);
    System.arraycopy(b, b.length - len, out, 32 - len, len);
    return out;
  }

  /** The concatenation of byte arrays. */
  public static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  /** An address from hex (tests only). */
  public static Address address(String hex) {
    try {
      return Address.parse(hex);
    } catch (MalformedMessageException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** A 65-byte voucher signature with {@code s} replaced by {@code n − s} (high-s, same signer). */
  public static String highS(String signatureHex) {
    byte[] sig = Hex.decodeUnchecked(signatureHex);
    BigInteger n =
        new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);
    BigInteger s = new BigInteger(1, java.util.Arrays.copyOfRange(sig, 32, 64));
    byte[] high = word(n.subtract(s));
    System.arraycopy(high, 0, sig, 32, 32);
    sig[64] = (byte) (sig[64] == 27 ? 28 : 27);
    return Hex.encode(sig);
  }
}
