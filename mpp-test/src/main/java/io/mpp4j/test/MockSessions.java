package io.mpp4j.test;

import static io.mpp4j.test.MockSessionCodec.AMOUNT;
import static io.mpp4j.test.MockSessionCodec.MAC;
import static io.mpp4j.test.MockSessionCodec.OPEN_BODY;
import static io.mpp4j.test.MockSessionCodec.OPEN_LENGTH;
import static io.mpp4j.test.MockSessionCodec.TOP_UP_BODY;
import static io.mpp4j.test.MockSessionCodec.TOP_UP_LENGTH;
import static io.mpp4j.test.MockSessionCodec.WORD;

import io.mpp4j.core.PaymentRequest;
import io.mpp4j.core.problem.ProblemType;
import io.mpp4j.core.problem.ReasonCode;
import io.mpp4j.server.session.ChannelState;
import io.mpp4j.server.session.OnChainChannel;
import io.mpp4j.server.session.SessionAction;
import io.mpp4j.server.session.SessionMethod;
import io.mpp4j.spi.PaymentMethodException;
import io.mpp4j.spi.Verification;
import io.mpp4j.spi.VerificationContext;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The session side of {@link MockPaymentMethod}: the {@link SessionMethod} checks (as strict as
 * Tempo's, with HMAC instead of ECDSA) and a simulated chain (an in-memory, bounded map of
 * channels: deposit, settled, close request), with the settlements it recorded.
 */
final class MockSessions {
  /** How many channels the simulated chain holds; opens beyond are refused. */
  static final int MAX_CHANNELS = 100_000;

  /** How many top-ups one channel remembers (so the same top-up is never applied twice). */
  static final int MAX_TOP_UPS = 1_000;

  private static final Pattern LOWER_OR_MIXED_ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");
  private static final Pattern WORD_HEX = Pattern.compile("0x[0-9a-fA-F]{64}");
  private static final Pattern DECIMAL = Pattern.compile("0|[1-9][0-9]{0,28}");
  private static final Pattern SIGNATURE_HEX = Pattern.compile("0x[0-9a-fA-F]{130}");
  private static final Set<String> DESCRIPTOR_FIELDS =
      Set.of(
          "payer", "payee", "operator", "token", "salt", "authorizedSigner", "expiringNonceHash");
  private static final String ZERO_ADDRESS = "0x" + "0".repeat(40);

  /** A channel on the simulated chain. */
  private record Chained(
      String openTxHash,
      BigInteger deposit,
      BigInteger settled,
      @Nullable Instant closeRequestedAt,
      Set<String> topUps) {
    OnChainChannel view() {
      return new OnChainChannel(deposit, settled, closeRequestedAt);
    }
  }

  private final MockPaymentMethod method;
  private final ConcurrentHashMap<String, Chained> chain = new ConcurrentHashMap<>();
  private final AtomicLong sequence = new AtomicLong();
  private final BlockingQueue<MockSettlement> untaken = new LinkedBlockingQueue<>();
  private final java.util.ArrayDeque<MockSettlement> settlements = new java.util.ArrayDeque<>();

  MockSessions(MockPaymentMethod method) {
    this.method = method;
  }

  // ---- parse -------------------------------------------------------------------------------

  SessionMethod.ParsedAction parse(VerificationContext context) {
    Map<String, Object> p = context.credential().payload();
    Object action = p.get("action");
    if (!(action instanceof String a)) {
      return malformed("the payload has no action");
    }
    Object id = p.get("channelId");
    if (!(id instanceof String channelId) || !WORD_HEX.matcher(channelId).matches()) {
      return malformed("channelId must be 0x and 64 hex digits");
    }
    channelId = channelId.toLowerCase(Locale.ROOT);
    if (!(p.get("descriptor") instanceof Map<?, ?> d)) {
      return malformed("the payload has no descriptor");
    }
    if (!d.keySet().equals(DESCRIPTOR_FIELDS)) {
      return malformed("the descriptor must have exactly the fields " + DESCRIPTOR_FIELDS);
    }
    for (String f : DESCRIPTOR_FIELDS) {
      Pattern form =
          f.equals("salt") || f.equals("expiringNonceHash") ? WORD_HEX : LOWER_OR_MIXED_ADDRESS;
      if (!(d.get(f) instanceof String s) || !form.matcher(s).matches()) {
        return malformed("descriptor." + f + " is malformed");
      }
    }
    String payer = lower(d.get("payer"));
    String payee = lower(d.get("payee"));
    String operator = lower(d.get("operator"));
    String token = lower(d.get("token"));
    String salt = lower(d.get("salt"));
    String signer = lower(d.get("authorizedSigner"));
    String nonceHash = lower(d.get("expiringNonceHash"));
    String recomputed =
        MockSessionCodec.channelId(
            payer,
            payee,
            operator,
            token,
            salt,
            signer,
            nonceHash,
            MockPaymentMethod.ESCROW,
            MockPaymentMethod.CHAIN_ID);
    if (!recomputed.equals(channelId)) {
      return refused("the channelId does not match the descriptor");
    }
    PaymentRequest offered = context.offered();
    if (!payee.equals(lower(offered.recipient()))) {
      return refused("the channel's payee is not this server's recipient");
    }
    if (!token.equals(lower(offered.currency()))) {
      return refused("the channel's token is not the offered currency");
    }
    Object offeredOperator = offered.methodDetails().get("operator");
    if (!operator.equals(offeredOperator == null ? ZERO_ADDRESS : lower(offeredOperator))) {
      return refused("the channel's operator is not the offered one");
    }
    ChannelState descriptor =
        new ChannelState(
            channelId,
            MockPaymentMethod.ESCROW,
            MockPaymentMethod.CHAIN_ID,
            payer,
            payee,
            operator,
            token,
            salt,
            signer,
            nonceHash,
            BigInteger.ZERO,
            BigInteger.ZERO,
            BigInteger.ZERO,
            BigInteger.ZERO,
            null,
            null);
    switch (a) {
      case "open":
        {
          byte[] tx = MockSessionCodec.unhex(p.get("transaction"), OPEN_LENGTH);
          if (tx == null || tx.length != OPEN_LENGTH || tx[0] != MockSessionCodec.OPEN) {
            return malformed("transaction is not a mock open transaction");
          }
          BigInteger cumulative = amount(p.get("cumulativeAmount"));
          byte[] sig = signature(p.get("signature"));
          if (cumulative == null || sig == null) {
            return malformed("the open's initial voucher is malformed");
          }
          return SessionMethod.ParsedAction.of(
              new SessionAction.Open(channelId, descriptor, tx, cumulative, sig));
        }
      case "topUp":
        {
          byte[] tx = MockSessionCodec.unhex(p.get("transaction"), TOP_UP_LENGTH);
          if (tx == null || tx.length != TOP_UP_LENGTH || tx[0] != MockSessionCodec.TOP_UP) {
            return malformed("transaction is not a mock top-up transaction");
          }
          BigInteger additional = amount(p.get("additionalDeposit"));
          if (additional == null || additional.signum() == 0) {
            return malformed("additionalDeposit must be a positive uint96");
          }
          return SessionMethod.ParsedAction.of(new SessionAction.TopUp(channelId, tx, additional));
        }
      case "voucher":
      case "close":
        {
          BigInteger cumulative = amount(p.get("cumulativeAmount"));
          byte[] sig = signature(p.get("signature"));
          if (cumulative == null || sig == null) {
            return malformed("the voucher is malformed");
          }
          return SessionMethod.ParsedAction.of(
              a.equals("voucher")
                  ? new SessionAction.Voucher(channelId, cumulative, sig)
                  : new SessionAction.Close(channelId, cumulative, sig));
        }
      default:
        return malformed("unknown action");
    }
  }

  // ---- vouchers ----------------------------------------------------------------------------

  Verification.@Nullable Rejected verifyVoucher(
      ChannelState channel, BigInteger cumulative, byte[] signature, VerificationContext context) {
    String expectedSource =
        "did:pkh:eip155:" + channel.chainId() + ":" + signerOf(channel).toLowerCase(Locale.ROOT);
    String source = context.credential().sourceString();
    if (source == null || !expectedSource.equals(source.toLowerCase(Locale.ROOT))) {
      return new Verification.Rejected(
              ProblemType.VERIFICATION_FAILED,
              ReasonCode.of("mock.source_mismatch"),
              "credential source does not match channel")
          .nothingPaid();
    }
    if (!validSignature(channel.channelId(), cumulative, signature)) {
      return new Verification.Rejected(
              ProblemType.SESSION_INVALID_SIGNATURE,
              ReasonCode.of("mock.invalid_signature"),
              "The voucher signature is not the channel's.")
          .nothingPaid();
    }
    return null;
  }

  private boolean validSignature(String channelId, BigInteger cumulative, byte[] signature) {
    if (signature.length != MockSessionCodec.SIGNATURE_LENGTH
        || cumulative.signum() < 0
        || cumulative.compareTo(MockSessionCodec.MAX_AMOUNT) > 0) {
      return false;
    }
    byte[] key = MockSessionCodec.channelKey(method.sessionSecretBytes(), channelId);
    return MockSessionCodec.verifyVoucher(key, channelId, cumulative, signature);
  }

  private static String signerOf(ChannelState channel) {
    return ZERO_ADDRESS.equals(channel.authorizedSigner())
        ? channel.payer()
        : channel.authorizedSigner();
  }

  // ---- chain operations --------------------------------------------------------------------

  SessionMethod.OpenResult open(SessionAction.Open open, VerificationContext context)
      throws PaymentMethodException {
    outage(context.challenge().id());
    if (method.mode() == MockPaymentMethod.Mode.DECLINE) {
      return new SessionMethod.OpenResult(null, declined());
    }
    ChannelState d = open.descriptor();
    byte[] tx = open.transaction();
    byte[] body =
        MockSessionCodec.openBody(
            d.payer(),
            d.payee(),
            d.operator(),
            d.token(),
            d.salt(),
            d.authorizedSigner(),
            MockSessionCodec.readUint96(tx, OPEN_BODY - AMOUNT));
    byte[] key = MockSessionCodec.channelKey(method.sessionSecretBytes(), d.channelId());
    if (!MessageDigest.isEqual(Arrays.copyOf(tx, OPEN_BODY), body)
        || !MessageDigest.isEqual(
            MockSessionCodec.txMac(key, body, OPEN_BODY),
            Arrays.copyOfRange(tx, OPEN_BODY, OPEN_BODY + MAC))) {
      return new SessionMethod.OpenResult(
          null, rejected("the open transaction does not open the described channel"));
    }
    if (!MockSessionCodec.expiringNonceHash(body, d.payer()).equals(d.expiringNonceHash())) {
      return new SessionMethod.OpenResult(
          null, rejected("expiringNonceHash does not match the open transaction"));
    }
    BigInteger deposit = MockSessionCodec.readUint96(tx, OPEN_BODY - AMOUNT);
    BigInteger price = new BigInteger(Objects.requireNonNull(context.offered().amount()));
    if (deposit.compareTo(price) < 0 || deposit.compareTo(method.maxDepositBaseUnits()) > 0) {
      return new SessionMethod.OpenResult(
          null,
          rejected(
              "the deposit must be between the price ("
                  + price
                  + ") and the mock's maximum ("
                  + method.maxDepositBaseUnits()
                  + ")"));
    }
    BigInteger cumulative = open.cumulativeAmount();
    if (cumulative.compareTo(price) < 0) {
      return new SessionMethod.OpenResult(
          null, rejected("the initial voucher must cover at least the price (" + price + ")"));
    }
    if (cumulative.compareTo(deposit) > 0) {
      return new SessionMethod.OpenResult(
          null,
          new Verification.Rejected(
                  ProblemType.SESSION_AMOUNT_EXCEEDS_DEPOSIT,
                  ReasonCode.of("mock.amount_exceeds_deposit"),
                  "The initial voucher exceeds the deposit.")
              .nothingPaid());
    }
    Verification.Rejected bad = verifyVoucher(d, cumulative, open.signature(), context);
    if (bad != null) {
      return new SessionMethod.OpenResult(null, bad);
    }
    String txHash = MockSessionCodec.txHash(tx);
    if (chain.size() >= MAX_CHANNELS && !chain.containsKey(d.channelId())) {
      return new SessionMethod.OpenResult(null, rejected("the mock chain is full"));
    }
    Chained fresh = new Chained(txHash, deposit, BigInteger.ZERO, null, Set.of());
    Chained onChain = chain.putIfAbsent(d.channelId(), fresh);
    if (onChain == null) {
      onChain = fresh;
    } else if (!onChain.openTxHash().equals(txHash)
        || onChain.settled().signum() != 0
        || cumulative.compareTo(onChain.deposit()) > 0) {
      return new SessionMethod.OpenResult(null, rejected("the channel exists already"));
    }
    // A new channel, or the same transaction again (a retry, which the chain did not run twice).
    return new SessionMethod.OpenResult(
        d.withDeposit(onChain.deposit()).withVoucher(cumulative, open.signature()), null);
  }

  SessionMethod.ChainResult topUp(
      SessionAction.TopUp topUp, ChannelState channel, VerificationContext context)
      throws PaymentMethodException {
    outage(context.challenge().id());
    if (method.mode() == MockPaymentMethod.Mode.DECLINE) {
      return new SessionMethod.ChainResult(null, declined());
    }
    byte[] tx = topUp.transaction();
    byte[] key = MockSessionCodec.channelKey(method.sessionSecretBytes(), channel.channelId());
    BigInteger amount = MockSessionCodec.readUint96(tx, 1 + WORD);
    if (!MockSessionCodec.hex(tx, 1, 1 + WORD).equals(channel.channelId())
        || !MessageDigest.isEqual(
            MockSessionCodec.txMac(key, tx, TOP_UP_BODY),
            Arrays.copyOfRange(tx, TOP_UP_BODY, TOP_UP_BODY + MAC))) {
      return new SessionMethod.ChainResult(
          null, rejected("the top-up transaction is not for this channel"));
    }
    if (!amount.equals(topUp.additionalDeposit())) {
      return new SessionMethod.ChainResult(
          null, rejected("the top-up transaction adds another amount than additionalDeposit"));
    }
    String txHash = MockSessionCodec.txHash(tx);
    Verification.Rejected[] refusal = new Verification.Rejected[1];
    Chained after =
        chain.computeIfPresent(
            channel.channelId(),
            (id, c) -> {
              if (c.topUps().contains(txHash)) {
                return c; // included once; a retry changes nothing
              }
              if (c.closeRequestedAt() != null) {
                refusal[0] = rejected("the channel has a close request");
                return c;
              }
              BigInteger deposit = c.deposit().add(amount);
              if (deposit.compareTo(method.maxDepositBaseUnits()) > 0) {
                refusal[0] = rejected("the deposit would exceed the mock's maximum");
                return c;
              }
              if (c.topUps().size() >= MAX_TOP_UPS) {
                refusal[0] = rejected("the mock remembers no more top-ups for this channel");
                return c;
              }
              Set<String> topUps = new LinkedHashSet<>(c.topUps());
              topUps.add(txHash);
              return new Chained(
                  c.openTxHash(), deposit, c.settled(), c.closeRequestedAt(), Set.copyOf(topUps));
            });
    if (after == null) {
      return new SessionMethod.ChainResult(
          null,
          new Verification.Rejected(
                  ProblemType.SESSION_CHANNEL_NOT_FOUND,
                  ReasonCode.of("mock.channel_not_found"),
                  "The channel is not on the mock chain.")
              .nothingPaid());
    }
    if (refusal[0] != null) {
      return new SessionMethod.ChainResult(null, refusal[0]);
    }
    return new SessionMethod.ChainResult(after.view(), null);
  }

  Optional<OnChainChannel> read(ChannelState channel) throws PaymentMethodException {
    outage(null);
    Chained c = chain.get(channel.channelId());
    return c == null ? Optional.empty() : Optional.of(c.view());
  }

  String settle(ChannelState channel) throws PaymentMethodException {
    outage(null);
    BigInteger cumulative = channel.acceptedCumulative();
    byte[] sig = channel.voucherSignatureBytes();
    if (sig == null || !validSignature(channel.channelId(), cumulative, sig)) {
      throw chainRefused("settle: the voucher signature is not the channel's");
    }
    MockSettlement[] done = new MockSettlement[1];
    String[] refusal = new String[1];
    chain.computeIfPresent(
        channel.channelId(),
        (id, c) -> {
          if (cumulative.compareTo(c.deposit()) > 0) {
            refusal[0] = "settle: the voucher exceeds the deposit";
            return c;
          }
          if (cumulative.compareTo(c.settled()) <= 0) {
            refusal[0] = "settle: the voucher is not above what was settled";
            return c;
          }
          String hash =
              MockSessionCodec.operatorTxHash("settle", id, cumulative, sequence.incrementAndGet());
          done[0] =
              new MockSettlement(
                  id,
                  MockSettlement.Kind.SETTLE,
                  cumulative,
                  cumulative.subtract(c.settled()),
                  cumulative,
                  BigInteger.ZERO,
                  hash);
          return new Chained(
              c.openTxHash(), c.deposit(), cumulative, c.closeRequestedAt(), c.topUps());
        });
    return record(done[0], refusal[0], "settle");
  }

  String close(ChannelState channel, BigInteger capture) throws PaymentMethodException {
    Objects.requireNonNull(capture, "capture == null");
    outage(null);
    BigInteger cumulative = channel.acceptedCumulative();
    byte[] sig = channel.voucherSignatureBytes();
    if (sig == null || !validSignature(channel.channelId(), cumulative, sig)) {
      throw chainRefused("close: the voucher signature is not the channel's");
    }
    if (capture.signum() < 0 || capture.compareTo(cumulative) > 0) {
      throw chainRefused("close: the capture exceeds the voucher");
    }
    MockSettlement[] done = new MockSettlement[1];
    String[] refusal = new String[1];
    chain.computeIfPresent(
        channel.channelId(),
        (id, c) -> {
          if (cumulative.compareTo(c.deposit()) > 0) {
            refusal[0] = "close: the voucher exceeds the deposit";
            return c;
          }
          if (capture.compareTo(c.settled()) < 0) {
            refusal[0] = "close: the capture is below what was settled";
            return c;
          }
          String hash =
              MockSessionCodec.operatorTxHash("close", id, capture, sequence.incrementAndGet());
          done[0] =
              new MockSettlement(
                  id,
                  MockSettlement.Kind.CLOSE,
                  cumulative,
                  capture.subtract(c.settled()),
                  capture,
                  c.deposit().subtract(capture),
                  hash);
          return null; // closed: the channel is gone
        });
    return record(done[0], refusal[0], "close");
  }

  private String record(@Nullable MockSettlement done, @Nullable String refusal, String what)
      throws PaymentMethodException {
    if (refusal != null) {
      throw chainRefused(refusal);
    }
    if (done == null) {
      throw chainRefused(what + ": the channel is not on the mock chain");
    }
    synchronized (settlements) {
      if (settlements.size() == MockPaymentMethod.HISTORY_LIMIT) {
        settlements.removeFirst();
      }
      settlements.addLast(done);
      if (untaken.size() == MockPaymentMethod.HISTORY_LIMIT) {
        untaken.poll();
      }
      untaken.add(done);
    }
    return done.txHash();
  }

  // ---- test controls -----------------------------------------------------------------------

  boolean requestClose(String channelId, Instant at) {
    Instant whole = Instant.ofEpochSecond(at.getEpochSecond());
    return chain.computeIfPresent(
            channelId.toLowerCase(Locale.ROOT),
            (id, c) ->
                new Chained(
                    c.openTxHash(),
                    c.deposit(),
                    c.settled(),
                    c.closeRequestedAt() == null ? whole : c.closeRequestedAt(),
                    c.topUps()))
        != null;
  }

  boolean remove(String channelId) {
    return chain.remove(channelId.toLowerCase(Locale.ROOT)) != null;
  }

  Optional<OnChainChannel> onChain(String channelId) {
    Chained c = chain.get(channelId.toLowerCase(Locale.ROOT));
    return c == null ? Optional.empty() : Optional.of(c.view());
  }

  java.util.List<MockSettlement> settlements() {
    synchronized (settlements) {
      return java.util.List.copyOf(settlements);
    }
  }

  BlockingQueue<MockSettlement> untaken() {
    return untaken;
  }

  void reset() {
    synchronized (settlements) {
      settlements.clear();
      untaken.clear();
    }
  }

  // ---- helpers -----------------------------------------------------------------------------

  private void outage(@Nullable String challengeId) throws PaymentMethodException {
    if (method.mode() == MockPaymentMethod.Mode.FAIL) {
      throw PaymentMethodException.of(
          method.name(),
          ReasonCode.of("mock.unavailable"),
          "the mock chain is failing on purpose",
          challengeId,
          null,
          null);
    }
  }

  private PaymentMethodException chainRefused(String message) {
    return PaymentMethodException.of(
        method.name(), ReasonCode.of("mock.chain_refused"), message, null, null, null);
  }

  private static Verification.Rejected declined() {
    return new Verification.Rejected(
            ProblemType.VERIFICATION_FAILED,
            ReasonCode.of("mock.declined"),
            "The mock payment was declined.")
        .nothingPaid();
  }

  private static Verification.Rejected rejected(String detail) {
    return new Verification.Rejected(
            ProblemType.VERIFICATION_FAILED, ReasonCode.of("mock.session_refused"), detail)
        .nothingPaid();
  }

  private static SessionMethod.ParsedAction malformed(String detail) {
    return SessionMethod.ParsedAction.refused(
        new Verification.Rejected(
                ProblemType.MALFORMED_CREDENTIAL,
                ReasonCode.of("mock.session_payload_invalid"),
                detail)
            .nothingPaid());
  }

  private static SessionMethod.ParsedAction refused(String detail) {
    return SessionMethod.ParsedAction.refused(rejected(detail));
  }

  private static String lower(@Nullable Object hex) {
    return hex == null ? "" : hex.toString().toLowerCase(Locale.ROOT);
  }

  private static @Nullable BigInteger amount(@Nullable Object value) {
    if (!(value instanceof String s) || !DECIMAL.matcher(s).matches()) {
      return null;
    }
    BigInteger x = new BigInteger(s);
    return x.compareTo(MockSessionCodec.MAX_AMOUNT) > 0 ? null : x;
  }

  private static byte @Nullable [] signature(@Nullable Object value) {
    if (!(value instanceof String s) || !SIGNATURE_HEX.matcher(s).matches()) {
      return null;
    }
    return MockSessionCodec.unhex(s, MockSessionCodec.SIGNATURE_LENGTH);
  }
}
