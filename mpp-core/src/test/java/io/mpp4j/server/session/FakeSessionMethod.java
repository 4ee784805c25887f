package io.mpp4j.server.session;

import io.mpp4j.core.Intent;
import io.mpp4j.core.PaymentRequest;
import io.mpp4j.core.PaymentRequirement;
import io.mpp4j.core.SessionTerms;
import io.mpp4j.core.problem.ProblemType;
import io.mpp4j.core.problem.ReasonCode;
import io.mpp4j.spi.PaymentMethod;
import io.mpp4j.spi.PaymentMethodException;
import io.mpp4j.spi.Verification;
import io.mpp4j.spi.VerificationContext;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * A strict session method for mpp-core's tests. A "signature" is HMAC-SHA256 under a per-channel
 * key (derived from the payer's key and the channel id) over {@code channelId ‖ cumulative},
 * written twice and followed by {@code 0x1b} to make 65 bytes, so a voucher signed with another
 * key, for another amount or another channel fails. The payload is parsed strictly (unknown
 * actions, malformed amounts, ids or signatures are refused). Its "chain" is a map of channels;
 * every chain call is counted, and {@link #chainDown} makes them throw.
 */
final class FakeSessionMethod implements PaymentMethod, SessionMethod {
  static final String NAME = "fake";
  static final byte[] PAYER_KEY = "payer-key-0123456789abcdef-0123456".getBytes(UTF8());
  static final byte[] OTHER_KEY = "other-key-0123456789abcdef-0123456".getBytes(UTF8());

  private static final Pattern CHANNEL = Pattern.compile("0x[0-9a-f]{64}");
  private static final Pattern SIG = Pattern.compile("0x[0-9a-f]{130}");
  private static final Pattern AMOUNT = Pattern.compile("0|[1-9][0-9]{0,28}");

  final Map<String, OnChainChannel> chain = new ConcurrentHashMap<>();
  final Map<String, BigInteger> captured = new ConcurrentHashMap<>();
  final AtomicInteger parses = new AtomicInteger();
  final AtomicInteger verifies = new AtomicInteger();
  final AtomicInteger opens = new AtomicInteger();
  final AtomicInteger topUps = new AtomicInteger();
  final AtomicInteger reads = new AtomicInteger();
  final AtomicInteger settles = new AtomicInteger();
  final AtomicInteger closes = new AtomicInteger();
  final AtomicInteger concurrentSettles = new AtomicInteger();
  final AtomicInteger maxConcurrentSettles = new AtomicInteger();
  volatile boolean chainDown;

  private static java.nio.charset.Charset UTF8() {
    return StandardCharsets.UTF_8;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<Intent> intents() {
    return Set.of(Intent.SESSION);
  }

  @Override
  public PaymentRequest createRequest(Intent intent, PaymentRequirement requirement) {
    SessionTerms terms = requirement.session();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("chainId", 42431);
    details.put("sessionProtocol", "v2");
    if (terms != null && terms.minVoucherDelta() != null) {
      details.put("minVoucherDelta", base(terms.minVoucherDelta()));
    }
    PaymentRequest.Builder b =
        PaymentRequest.builder()
            .amount(base(requirement.amount()))
            .currency(ChannelStates.TOKEN)
            .recipient(ChannelStates.PAYEE)
            .put("unitType", terms == null ? "request" : terms.unitType())
            .put("methodDetails", details);
    return b.build();
  }

  private static String base(java.math.BigDecimal human) {
    return human.movePointRight(6).toBigIntegerExact().toString();
  }

  @Override
  public Verification verify(VerificationContext context) {
    return Verification.rejected(
        ProblemType.VERIFICATION_FAILED, ReasonCode.INTERNAL_ERROR, "sessions only");
  }

  // ---- the payer's side ----

  /** The payer's per-channel key. */
  static byte[] channelKey(byte[] payerKey, String channelId) {
    return hmac(payerKey, channelId.getBytes(StandardCharsets.US_ASCII));
  }

  /** A voucher signature under {@code payerKey}. */
  static byte[] sign(byte[] payerKey, String channelId, BigInteger cumulative) {
    byte[] mac =
        hmac(
            channelKey(payerKey, channelId),
            (channelId + "|" + cumulative).getBytes(StandardCharsets.US_ASCII));
    byte[] sig = new byte[ChannelState.SIGNATURE_LENGTH];
    System.arraycopy(mac, 0, sig, 0, 32);
    System.arraycopy(mac, 0, sig, 32, 32);
    sig[64] = 0x1b;
    return sig;
  }

  static String hex(byte[] b) {
    return "0x" + HexFormat.of().formatHex(b);
  }

  /** A channel id for tests: {@code 0x} and 64 hex digits from {@code n}. */
  static String channel(int n) {
    return String.format("0x%064x", n);
  }

  static Map<String, Object> openPayload(String channelId, long deposit, long cumulative) {
    return openPayload(channelId, deposit, cumulative, PAYER_KEY);
  }

  static Map<String, Object> openPayload(
      String channelId, long deposit, long cumulative, byte[] key) {
    BigInteger c = BigInteger.valueOf(cumulative);
    return Map.of(
        "action",
        "open",
        "channelId",
        channelId,
        "deposit",
        Long.toString(deposit),
        "transaction",
        "0x76aa",
        "cumulativeAmount",
        c.toString(),
        "signature",
        hex(sign(key, channelId, c)));
  }

  static Map<String, Object> voucher(String channelId, long cumulative) {
    return voucher(channelId, cumulative, PAYER_KEY);
  }

  static Map<String, Object> voucher(String channelId, long cumulative, byte[] key) {
    BigInteger c = BigInteger.valueOf(cumulative);
    return Map.of(
        "action",
        "voucher",
        "channelId",
        channelId,
        "cumulativeAmount",
        c.toString(),
        "signature",
        hex(sign(key, channelId, c)));
  }

  static Map<String, Object> close(String channelId, long cumulative) {
    BigInteger c = BigInteger.valueOf(cumulative);
    return Map.of(
        "action",
        "close",
        "channelId",
        channelId,
        "cumulativeAmount",
        c.toString(),
        "signature",
        hex(sign(PAYER_KEY, channelId, c)));
  }

  static Map<String, Object> topUp(String channelId, long additional) {
    return Map.of(
        "action",
        "topUp",
        "channelId",
        channelId,
        "transaction",
        "0x76bb",
        "additionalDeposit",
        Long.toString(additional));
  }

  // ---- SessionMethod ----

  @Override
  public ParsedAction parse(VerificationContext context) {
    parses.incrementAndGet();
    Map<String, Object> p = context.credential().payload();
    String action = str(p, "action");
    String id = str(p, "channelId");
    if (action == null || id == null || !CHANNEL.matcher(id).matches()) {
      return malformed();
    }
    try {
      switch (action) {
        case "open":
          {
            BigInteger deposit = amount(p, "deposit");
            BigInteger cumulative = amount(p, "cumulativeAmount");
            byte[] sig = signature(p);
            ChannelState descriptor = descriptor(id, deposit);
            return ParsedAction.of(
                new SessionAction.Open(id, descriptor, new byte[] {0x76}, cumulative, sig));
          }
        case "voucher":
          return ParsedAction.of(
              new SessionAction.Voucher(id, amount(p, "cumulativeAmount"), signature(p)));
        case "close":
          return ParsedAction.of(
              new SessionAction.Close(id, amount(p, "cumulativeAmount"), signature(p)));
        case "topUp":
          return ParsedAction.of(
              new SessionAction.TopUp(id, new byte[] {0x76}, amount(p, "additionalDeposit")));
        default:
          return malformed();
      }
    } catch (IllegalArgumentException e) {
      return malformed();
    }
  }

  @Override
  public Verification.@Nullable Rejected verifyVoucher(
      ChannelState channel,
      BigInteger cumulativeAmount,
      byte[] signature,
      VerificationContext context) {
    verifies.incrementAndGet();
    byte[] expected = sign(PAYER_KEY, channel.channelId(), cumulativeAmount);
    if (!MessageDigest.isEqual(expected, signature)) {
      return new Verification.Rejected(
              ProblemType.SESSION_INVALID_SIGNATURE,
              ReasonCode.of("session.invalid_signature"),
              "The voucher signature is invalid.")
          .nothingPaid();
    }
    return null;
  }

  @Override
  public OpenResult open(SessionAction.Open open, VerificationContext context)
      throws PaymentMethodException {
    down();
    opens.incrementAndGet();
    ChannelState d = open.descriptor();
    chain.putIfAbsent(d.channelId(), new OnChainChannel(d.deposit(), BigInteger.ZERO, null));
    BigInteger price = new BigInteger(context.offered().amount());
    if (open.cumulativeAmount().compareTo(price) < 0
        || open.cumulativeAmount().compareTo(d.deposit()) > 0
        || verifyVoucher(d, open.cumulativeAmount(), open.signature(), context) != null) {
      return new OpenResult(
          null,
          new Verification.Rejected(
              ProblemType.SESSION_INVALID_SIGNATURE,
              ReasonCode.of("session.invalid_signature"),
              "The initial voucher is invalid."));
    }
    return new OpenResult(d.withVoucher(open.cumulativeAmount(), open.signature()), null);
  }

  @Override
  public ChainResult topUp(
      SessionAction.TopUp topUp, ChannelState channel, VerificationContext context)
      throws PaymentMethodException {
    down();
    topUps.incrementAndGet();
    OnChainChannel c =
        chain.computeIfPresent(
            channel.channelId(),
            (k, old) ->
                new OnChainChannel(
                    old.deposit().add(topUp.additionalDeposit()),
                    old.settled(),
                    old.closeRequestedAt()));
    if (c == null) {
      return new ChainResult(
          null,
          new Verification.Rejected(
              ProblemType.SESSION_CHANNEL_NOT_FOUND,
              ReasonCode.of("session.channel_not_found"),
              "gone"));
    }
    return new ChainResult(c, null);
  }

  @Override
  public Optional<OnChainChannel> read(ChannelState channel) throws PaymentMethodException {
    down();
    reads.incrementAndGet();
    return Optional.ofNullable(chain.get(channel.channelId()));
  }

  @Override
  public String settle(ChannelState channel) throws PaymentMethodException {
    int now = concurrentSettles.incrementAndGet();
    maxConcurrentSettles.accumulateAndGet(now, Math::max);
    try {
      down();
      settles.incrementAndGet();
      chain.computeIfPresent(
          channel.channelId(),
          (k, old) ->
              new OnChainChannel(
                  old.deposit(), channel.acceptedCumulative(), old.closeRequestedAt()));
      Thread.sleep(5);
      return "0x" + "5e".repeat(32);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw PaymentMethodException.of(NAME, ReasonCode.METHOD_UNAVAILABLE, "x", null, null, e);
    } finally {
      concurrentSettles.decrementAndGet();
    }
  }

  @Override
  public String close(ChannelState channel, BigInteger capture) throws PaymentMethodException {
    down();
    if (capture.compareTo(channel.acceptedCumulative()) > 0
        || channel.acceptedCumulative().compareTo(channel.deposit()) > 0) {
      throw new AssertionError("capture above the voucher or the deposit");
    }
    closes.incrementAndGet();
    captured.put(channel.channelId(), capture);
    chain.remove(channel.channelId());
    return "0x" + "c1".repeat(32);
  }

  /** The payer requests a close on chain. */
  void requestCloseOnChain(String channelId, Instant at) {
    chain.computeIfPresent(
        channelId, (k, old) -> new OnChainChannel(old.deposit(), old.settled(), at));
  }

  private void down() throws PaymentMethodException {
    if (chainDown) {
      throw PaymentMethodException.of(
          NAME, ReasonCode.METHOD_UNAVAILABLE, "the chain is down", null, null, null);
    }
  }

  static ChannelState descriptor(String id, BigInteger deposit) {
    return new ChannelState(
        id,
        ChannelStates.ESCROW,
        42431,
        ChannelStates.PAYER,
        ChannelStates.PAYEE,
        ChannelStates.ZERO,
        ChannelStates.TOKEN,
        ChannelStates.SALT,
        ChannelStates.ZERO,
        ChannelStates.NONCE_HASH,
        deposit,
        BigInteger.ZERO,
        BigInteger.ZERO,
        BigInteger.ZERO,
        null,
        null);
  }

  private static ParsedAction malformed() {
    return ParsedAction.refused(
        new Verification.Rejected(
                ProblemType.MALFORMED_CREDENTIAL,
                ReasonCode.CREDENTIAL_MALFORMED,
                "The session payload is malformed.")
            .nothingPaid());
  }

  private static @Nullable String str(Map<String, Object> p, String name) {
    return p.get(name) instanceof String s ? s : null;
  }

  private static BigInteger amount(Map<String, Object> p, String name) {
    String s = str(p, name);
    if (s == null || !AMOUNT.matcher(s).matches()) {
      throw new IllegalArgumentException(name);
    }
    BigInteger v = new BigInteger(s);
    if (v.compareTo(ChannelState.MAX_AMOUNT) > 0) {
      throw new IllegalArgumentException(name);
    }
    return v;
  }

  private static byte[] signature(Map<String, Object> p) {
    String s = str(p, "signature");
    if (s == null || !SIG.matcher(s).matches()) {
      throw new IllegalArgumentException("signature");
    }
    return HexFormat.of().parseHex(s, 2, s.length());
  }

  private static byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
