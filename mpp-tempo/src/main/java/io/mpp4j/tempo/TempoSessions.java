package io.mpp4j.tempo;

import io.mpp4j.core.MalformedMessageException;
import io.mpp4j.core.problem.ProblemType;
import io.mpp4j.core.problem.ReasonCode;
import io.mpp4j.server.session.ChannelState;
import io.mpp4j.server.session.OnChainChannel;
import io.mpp4j.server.session.SessionAction;
import io.mpp4j.server.session.SessionMethod;
import io.mpp4j.spi.PaymentMethodException;
import io.mpp4j.spi.Verification;
import io.mpp4j.spi.VerificationContext;
import io.mpp4j.tempo.internal.FeePayerField;
import io.mpp4j.tempo.internal.Hex;
import io.mpp4j.tempo.internal.Keccak;
import io.mpp4j.tempo.internal.SenderSignature;
import io.mpp4j.tempo.internal.Sponsor;
import io.mpp4j.tempo.internal.TempoCall;
import io.mpp4j.tempo.internal.TempoCodec;
import io.mpp4j.tempo.internal.TempoTransaction;
import io.mpp4j.tempo.internal.session.Bytes32;
import io.mpp4j.tempo.internal.session.ChannelDescriptor;
import io.mpp4j.tempo.internal.session.EscrowAbi;
import io.mpp4j.tempo.internal.session.SessionOffer;
import io.mpp4j.tempo.internal.session.Uint96;
import io.mpp4j.tempo.internal.session.VoucherDomain;
import io.mpp4j.tempo.internal.session.VoucherSignature;
import io.mpp4j.tempo.rpc.TempoRpc;
import io.mpp4j.tempo.rpc.TempoRpcException;
import io.mpp4j.tempo.rpc.TransactionReceipt;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The Tempo session method's chain and cryptography (SPEC 4, 11.3): what {@link TempoMethod} does
 * for the {@link SessionMethod} seam. Package-private; one instance per method, holding no state
 * per request or per channel (only the lock that keeps the operator's transactions in order).
 *
 * <p>Operator transactions ({@code settle}, {@code close}) use the regular nonce lane ({@code
 * nonceKey} 0, nonce from {@code eth_getTransactionCount(operator, "pending")}), one at a time per
 * instance: anvil 1.7.1 silently drops a sender's every expiring-nonce transaction after its first
 * (SPEC 11.4), which would lose an operator's second settle or close; a regular nonce never
 * vanishes, and a node refuses a reused one loudly (the settle then fails and is retried by the
 * schedule). Fees are paid in the channel's token; gas is the node's estimate plus half, bounded.
 */
final class TempoSessions {
  /** The most gas an operator transaction may use: the sponsor policy's limit (SPEC 3.6). */
  static final long MAX_OPERATOR_GAS = 2_000_000;

  /** The highest gas price an operator pays: 100 gwei, the sponsor policy's limit (SPEC 3.6). */
  static final BigInteger MAX_OPERATOR_FEE_PER_GAS = BigInteger.valueOf(100_000_000_000L);

  /** The most keys a session payload may have. */
  static final int MAX_PAYLOAD_KEYS = 16;

  private static final String NAME = TempoMethod.NAME;
  private static final int MAX_TX_HEX = 2 + 2 * TempoTransaction.MAX_ENCODED_LENGTH;
  private static final long VALID_AFTER_SKEW_SECONDS = 5;
  private static final Set<String> DESCRIPTOR_KEYS =
      Set.of(
          "payer", "payee", "operator", "token", "salt", "authorizedSigner", "expiringNonceHash");
  private static final byte[] CHANNEL_NOT_FOUND =
      Arrays.copyOf(Keccak.hash("ChannelNotFound()".getBytes(StandardCharsets.US_ASCII)), 4);

  private final TempoConfig config;
  private final TempoRpc rpc;
  private final Semaphore sponsorSlots;
  private final VoucherDomain domain;
  private final ReentrantLock operatorLock = new ReentrantLock(true);

  TempoSessions(TempoConfig config, TempoRpc rpc, Semaphore sponsorSlots) {
    this.config = config;
    this.rpc = rpc;
    this.sponsorSlots = sponsorSlots;
    this.domain = VoucherDomain.of(config.escrow(), config.chainId());
  }

  // ---- parse ----

  SessionMethod.ParsedAction parse(VerificationContext context) {
    SessionOffer offer;
    try {
      offer = SessionOffer.of(context.offered());
    } catch (MalformedMessageException e) {
      return refused(failed("tempo.session.offer_invalid", "The offer is not a v2 Tempo session."));
    }
    Map<String, Object> payload = context.credential().payload();
    if (payload.size() > MAX_PAYLOAD_KEYS) {
      return refused(malformed("The session payload has too many fields."));
    }
    if (!(payload.get("action") instanceof String action)) {
      return refused(malformed("payload.action must be open, topUp, voucher or close."));
    }
    if (!action.equals("open")
        && !action.equals("topUp")
        && !action.equals("voucher")
        && !action.equals("close")) {
      return refused(
          failed("tempo.session.unknown_action", "payload.action is not a session action."));
    }
    Bytes32 channelId;
    ChannelDescriptor d;
    try {
      channelId = Bytes32.parse(string(payload, "channelId", 66), "payload.channelId");
      d = descriptor(payload.get("descriptor"));
    } catch (MalformedMessageException e) {
      return refused(malformed(e.getMessage()));
    }
    Verification.Rejected bad = checkDescriptor(d, channelId, offer);
    if (bad != null) {
      return refused(bad);
    }
    String id = channelId.toHex();
    try {
      switch (action) {
        case "open":
          {
            requireTransactionType(payload);
            byte[] tx = transaction(payload);
            BigInteger cumulative = amount(payload, "cumulativeAmount");
            VoucherSignature sig = signature(payload);
            if (sig == null) {
              return refused(badSignature());
            }
            Object claimed = payload.get("authorizedSigner");
            if (claimed != null) {
              if (!(claimed instanceof String s)
                  || s.length() != 42
                  || !Address.parse(s).equals(d.authorizedSigner())) {
                return refused(
                    failed(
                        "tempo.session.descriptor_mismatch",
                        "payload.authorizedSigner does not match the descriptor."));
              }
            }
            return SessionMethod.ParsedAction.of(
                new SessionAction.Open(id, state(id, offer, d), tx, cumulative, sig.toBytes()));
          }
        case "topUp":
          {
            requireTransactionType(payload);
            byte[] tx = transaction(payload);
            BigInteger additional = amount(payload, "additionalDeposit");
            if (additional.signum() <= 0) {
              return refused(malformed("payload.additionalDeposit must be positive."));
            }
            return SessionMethod.ParsedAction.of(new SessionAction.TopUp(id, tx, additional));
          }
        default:
          {
            BigInteger cumulative = amount(payload, "cumulativeAmount");
            VoucherSignature sig = signature(payload);
            if (sig == null) {
              return refused(badSignature());
            }
            return SessionMethod.ParsedAction.of(
                action.equals("voucher")
                    ? new SessionAction.Voucher(id, cumulative, sig.toBytes())
                    : new SessionAction.Close(id, cumulative, sig.toBytes()));
          }
      }
    } catch (MalformedMessageException e) {
      return refused(malformed(e.getMessage()));
    }
  }

  private static void requireTransactionType(Map<String, Object> payload)
      throws MalformedMessageException {
    if (!"transaction".equals(payload.get("type"))) {
      throw new MalformedMessageException("payload.type must be transaction");
    }
  }

  private static byte[] transaction(Map<String, Object> payload) throws MalformedMessageException {
    String hex = string(payload, "transaction", MAX_TX_HEX);
    byte[] raw = Hex.decode(hex, TempoTransaction.MAX_ENCODED_LENGTH, "payload.transaction");
    TempoCodec.parse(raw); // decodes strictly, or throws
    return raw;
  }

  private static BigInteger amount(Map<String, Object> payload, String field)
      throws MalformedMessageException {
    return Uint96.parseDecimal(string(payload, field, 40), "payload." + field);
  }

  /** The voucher signature, format checked (65 bytes, v 27/28, low-s); null when malformed. */
  private static @Nullable VoucherSignature signature(Map<String, Object> payload)
      throws MalformedMessageException {
    String hex = string(payload, "signature", 2 + 2 * 1024);
    try {
      return VoucherSignature.parse(hex);
    } catch (MalformedMessageException e) {
      return null;
    }
  }

  private static String string(Map<String, Object> payload, String field, int maxLength)
      throws MalformedMessageException {
    Object v = payload.get(field);
    if (!(v instanceof String s)) {
      throw new MalformedMessageException("payload." + field + " must be a string");
    }
    if (s.length() > maxLength) {
      throw new MalformedMessageException("payload." + field + " is too long");
    }
    return s;
  }

  private static ChannelDescriptor descriptor(@Nullable Object o) throws MalformedMessageException {
    if (!(o instanceof Map<?, ?> m)) {
      throw new MalformedMessageException("payload.descriptor must be an object");
    }
    if (m.size() != DESCRIPTOR_KEYS.size() || !DESCRIPTOR_KEYS.containsAll(m.keySet())) {
      throw new MalformedMessageException(
          "payload.descriptor must have exactly payer, payee, operator, token, salt,"
              + " authorizedSigner and expiringNonceHash");
    }
    return new ChannelDescriptor(
        descriptorAddress(m, "payer"),
        descriptorAddress(m, "payee"),
        descriptorAddress(m, "operator"),
        descriptorAddress(m, "token"),
        descriptorWord(m, "salt"),
        descriptorAddress(m, "authorizedSigner"),
        descriptorWord(m, "expiringNonceHash"));
  }

  private static Address descriptorAddress(Map<?, ?> m, String key)
      throws MalformedMessageException {
    if (!(m.get(key) instanceof String s) || s.length() != 42) {
      throw new MalformedMessageException("payload.descriptor." + key + " must be an address");
    }
    try {
      return Address.parse(s);
    } catch (MalformedMessageException e) {
      throw new MalformedMessageException("payload.descriptor." + key + " must be an address");
    }
  }

  private static Bytes32 descriptorWord(Map<?, ?> m, String key) throws MalformedMessageException {
    if (!(m.get(key) instanceof String s) || s.length() != 66) {
      throw new MalformedMessageException("payload.descriptor." + key + " must be 32-byte hex");
    }
    return Bytes32.parse(s, "payload.descriptor." + key);
  }

  /** The descriptor names this offer's payee, token and operator, and has the channel id sent. */
  private static Verification.@Nullable Rejected checkDescriptor(
      ChannelDescriptor d, Bytes32 channelId, SessionOffer offer) {
    if (!d.payee().equals(offer.recipient())) {
      return failed(
          "tempo.session.descriptor_mismatch",
          "The channel's payee is not this server's recipient.");
    }
    if (!d.token().equals(offer.currency())) {
      return failed(
          "tempo.session.descriptor_mismatch", "The channel's token is not the offered currency.");
    }
    if (!d.operator().equals(offer.operator())) {
      return failed(
          "tempo.session.descriptor_mismatch",
          "The channel's operator is not the offered operator.");
    }
    if (!d.channelId(offer.escrow(), offer.chainId()).equals(channelId)) {
      return failed(
          "tempo.session.channel_id_mismatch", "The channel descriptor does not match channelId.");
    }
    return null;
  }

  private static ChannelState state(String channelId, SessionOffer offer, ChannelDescriptor d) {
    return new ChannelState(
        channelId,
        offer.escrow().toHex(),
        offer.chainId(),
        d.payer().toHex(),
        d.payee().toHex(),
        d.operator().toHex(),
        d.token().toHex(),
        d.salt().toHex(),
        d.authorizedSigner().toHex(),
        d.expiringNonceHash().toHex(),
        BigInteger.ZERO,
        BigInteger.ZERO,
        BigInteger.ZERO,
        BigInteger.ZERO,
        null,
        null);
  }

  // ---- vouchers ----

  Verification.@Nullable Rejected verifyVoucher(
      ChannelState channel,
      BigInteger cumulativeAmount,
      byte[] signature,
      VerificationContext context) {
    ChannelDescriptor d = descriptorOf(channel);
    Verification.Rejected wrongSource = checkSource(context, channel.chainId(), d, true);
    if (wrongSource != null) {
      return wrongSource;
    }
    return checkVoucher(channel, d, cumulativeAmount, signature);
  }

  private Verification.@Nullable Rejected checkVoucher(
      ChannelState channel, ChannelDescriptor d, BigInteger cumulative, byte[] signature) {
    if (!Uint96.isValid(cumulative)) {
      return badSignature();
    }
    VoucherSignature sig;
    try {
      sig = VoucherSignature.of(signature);
    } catch (MalformedMessageException e) {
      return badSignature();
    }
    Address escrow = address(channel.escrow());
    VoucherDomain dom =
        escrow.equals(domain.escrow()) && channel.chainId() == domain.chainId()
            ? domain
            : VoucherDomain.of(escrow, channel.chainId());
    Bytes32 id = Bytes32.of(Hex.decodeUnchecked(channel.channelId()));
    if (!dom.verify(id, cumulative, sig, d.voucherSigner())) {
      return failed(
          ProblemType.SESSION_INVALID_SIGNATURE,
          "tempo.session.invalid_signature",
          "The voucher is not signed by the channel's signer.");
    }
    return null;
  }

  /**
   * The credential's {@code source} is {@code did:pkh:eip155:<chainId>:<payer or signer>} (SPEC
   * 11.3); absent is accepted only when not {@code required}.
   */
  private static Verification.@Nullable Rejected checkSource(
      VerificationContext context, long chainId, ChannelDescriptor d, boolean required) {
    Address source;
    try {
      source = TempoMethod.source(context.credential(), chainId, required);
    } catch (MalformedMessageException e) {
      return sourceMismatch();
    }
    if (source == null) {
      return null;
    }
    if (!source.equals(d.payer()) && !source.equals(d.voucherSigner())) {
      return sourceMismatch();
    }
    return null;
  }

  private static Verification.Rejected sourceMismatch() {
    return failed("tempo.session.source_mismatch", "credential source does not match channel");
  }

  // ---- open ----

  SessionMethod.OpenResult open(SessionAction.Open open, VerificationContext context)
      throws PaymentMethodException {
    SessionOffer offer;
    try {
      offer = SessionOffer.of(context.offered());
    } catch (MalformedMessageException e) {
      return openRefused(
          failed("tempo.session.offer_invalid", "The offer is not a v2 Tempo session.")
              .nothingPaid());
    }
    ChannelState stored = open.descriptor();
    ChannelDescriptor d = descriptorOf(stored);
    Address escrow = address(stored.escrow());
    if (!escrow.equals(offer.escrow()) || stored.chainId() != offer.chainId()) {
      return openRefused(
          failed("tempo.session.descriptor_mismatch", "The channel is not on the offered escrow.")
              .nothingPaid());
    }
    Checked checked = checkChannelTx(open.transaction(), offer, context);
    if (checked.refusal != null) {
      return openRefused(checked.refusal);
    }
    TempoTransaction tx = checked.tx;
    if (!checked.sender.equals(d.payer())) {
      return openRefused(
          failed(
                  "tempo.session.payer_mismatch",
                  "The open transaction is not signed by the descriptor's payer.")
              .nothingPaid());
    }
    TempoCall last = tx.calls().get(tx.calls().size() - 1);
    EscrowAbi.OpenCall call;
    try {
      call = EscrowAbi.decodeOpen(last.data());
    } catch (MalformedMessageException e) {
      return openRefused(
          failed(
                  "tempo.session.unexpected_call",
                  "The last call of the transaction must be open on the escrow.")
              .nothingPaid());
    }
    if (!call.payee().equals(d.payee())
        || !call.operator().equals(d.operator())
        || !call.token().equals(d.token())
        || !call.salt().equals(d.salt())
        || !call.authorizedSigner().equals(d.authorizedSigner())) {
      return openRefused(
          failed(
                  "tempo.session.descriptor_mismatch",
                  "The open call's parameters do not match the descriptor.")
              .nothingPaid());
    }
    String prefix = prefixViolation(tx.calls(), offer, call.deposit());
    if (prefix != null) {
      return openRefused(failed("tempo.session.unexpected_call", prefix).nothingPaid());
    }
    if (!ChannelDescriptor.expiringNonceHash(tx, checked.sender).equals(d.expiringNonceHash())) {
      return openRefused(
          failed(
                  "tempo.session.descriptor_mismatch",
                  "The descriptor's expiringNonceHash does not match the open transaction.")
              .nothingPaid());
    }
    BigInteger deposit = call.deposit();
    BigInteger cumulative = open.cumulativeAmount();
    if (deposit.compareTo(offer.amount()) < 0) {
      return openRefused(
          failed("tempo.session.deposit_too_low", "The deposit is less than the request amount.")
              .nothingPaid());
    }
    if (cumulative.compareTo(offer.amount()) < 0) {
      return openRefused(
          failed(
                  "tempo.session.voucher_too_low",
                  "The initial voucher is less than the request amount.")
              .nothingPaid());
    }
    if (cumulative.compareTo(deposit) > 0) {
      return openRefused(
          failed(
                  ProblemType.SESSION_AMOUNT_EXCEEDS_DEPOSIT,
                  "tempo.session.amount_exceeds_deposit",
                  "The initial voucher exceeds the deposit.")
              .nothingPaid());
    }
    Verification.Rejected source = checkSource(context, offer.chainId(), d, false);
    if (source != null) {
      return openRefused(source.nothingPaid());
    }
    Verification.Rejected voucher = checkVoucher(stored, d, cumulative, open.signature());
    if (voucher != null) {
      return openRefused(voucher.nothingPaid());
    }

    Sent sent = broadcast(checked, offer, context);
    if (sent.refusal != null) {
      return openRefused(sent.refusal);
    }
    TransactionReceipt receipt = sent.receipt;
    Bytes32 id = Bytes32.of(Hex.decodeUnchecked(open.channelId()));
    Verification.Rejected opened = checkOpened(receipt, escrow, id, d, deposit);
    if (opened != null) {
      return openRefused(opened);
    }
    EscrowAbi.ChannelRead read = readChannel(escrow, d, context.challenge().id());
    if (read.deposit().signum() == 0) {
      return openRefused(
          failed(
              ProblemType.SESSION_CHANNEL_NOT_FOUND,
              "tempo.session.channel_not_found",
              "The escrow has no such channel after the open."));
    }
    if (read.closeRequestedAt() != 0) {
      return openRefused(
          failed(
              ProblemType.SESSION_CHANNEL_FINALIZED,
              "tempo.session.close_requested",
              "The channel has a pending close request."));
    }
    if (read.deposit().compareTo(cumulative) < 0 || read.settled().compareTo(cumulative) > 0) {
      return openRefused(
          failed(
              "tempo.session.channel_state_mismatch",
              "The channel's state on chain does not cover the initial voucher."));
    }
    ChannelState channel =
        stored.withDeposit(read.deposit()).withVoucher(cumulative, open.signature());
    channel = channel.withSettledOnChain(read.settled());
    return new SessionMethod.OpenResult(channel, null);
  }

  private static SessionMethod.OpenResult openRefused(Verification.Rejected refusal) {
    return new SessionMethod.OpenResult(null, refusal);
  }

  private static Verification.@Nullable Rejected checkOpened(
      TransactionReceipt receipt,
      Address escrow,
      Bytes32 channelId,
      ChannelDescriptor d,
      BigInteger deposit) {
    List<TransactionReceipt.Log> logs =
        EscrowAbi.channelLogs(receipt, escrow, EscrowAbi.CHANNEL_OPENED, channelId);
    Verification.Rejected missing =
        failed(
            "tempo.session.open_not_confirmed",
            "The receipt has no matching ChannelOpened event for this channel.");
    if (logs.size() != 1) {
      return missing;
    }
    TransactionReceipt.Log log = logs.get(0);
    List<byte[]> topics = log.topics();
    try {
      if (topics.size() != 4
          || !EscrowAbi.wordAddress(new BigInteger(1, topics.get(2))).equals(d.payer())
          || !EscrowAbi.wordAddress(new BigInteger(1, topics.get(3))).equals(d.payee())) {
        return missing;
      }
      BigInteger[] w = EscrowAbi.logWords(log, 6);
      boolean same =
          EscrowAbi.wordAddress(w[0]).equals(d.operator())
              && EscrowAbi.wordAddress(w[1]).equals(d.token())
              && EscrowAbi.wordAddress(w[2]).equals(d.authorizedSigner())
              && Arrays.equals(word(w[3]), d.salt().toBytes())
              && Arrays.equals(word(w[4]), d.expiringNonceHash().toBytes())
              && w[5].equals(deposit);
      return same ? null : missing;
    } catch (MalformedMessageException e) {
      return missing;
    }
  }

  // ---- topUp ----

  SessionMethod.ChainResult topUp(
      SessionAction.TopUp topUp, ChannelState channel, VerificationContext context)
      throws PaymentMethodException {
    SessionOffer offer;
    try {
      offer = SessionOffer.of(context.offered());
    } catch (MalformedMessageException e) {
      return chainRefused(
          failed("tempo.session.offer_invalid", "The offer is not a v2 Tempo session.")
              .nothingPaid());
    }
    ChannelDescriptor d = descriptorOf(channel);
    Address escrow = address(channel.escrow());
    if (!escrow.equals(offer.escrow()) || channel.chainId() != offer.chainId()) {
      return chainRefused(
          failed("tempo.session.descriptor_mismatch", "The channel is not on the offered escrow.")
              .nothingPaid());
    }
    Checked checked = checkChannelTx(topUp.transaction(), offer, context);
    if (checked.refusal != null) {
      return chainRefused(checked.refusal);
    }
    TempoTransaction tx = checked.tx;
    EscrowAbi.TopUpCall call;
    try {
      call = EscrowAbi.decodeTopUp(tx.calls().get(tx.calls().size() - 1).data());
    } catch (MalformedMessageException e) {
      return chainRefused(
          failed(
                  "tempo.session.unexpected_call",
                  "The last call of the transaction must be topUp on the escrow.")
              .nothingPaid());
    }
    if (!call.descriptor().equals(d)) {
      return chainRefused(
          failed(
                  "tempo.session.descriptor_mismatch",
                  "The topUp call names another channel than this one.")
              .nothingPaid());
    }
    if (!call.additionalDeposit().equals(topUp.additionalDeposit())) {
      return chainRefused(
          failed(
                  "tempo.session.amount_mismatch",
                  "The topUp call's amount is not payload.additionalDeposit.")
              .nothingPaid());
    }
    String prefix = prefixViolation(tx.calls(), offer, call.additionalDeposit());
    if (prefix != null) {
      return chainRefused(failed("tempo.session.unexpected_call", prefix).nothingPaid());
    }
    Sent sent = broadcast(checked, offer, context);
    if (sent.refusal != null) {
      return chainRefused(sent.refusal);
    }
    Bytes32 id = Bytes32.of(Hex.decodeUnchecked(channel.channelId()));
    List<TransactionReceipt.Log> logs =
        EscrowAbi.channelLogs(sent.receipt, escrow, EscrowAbi.TOP_UP_EVENT, id);
    BigInteger newDeposit = null;
    if (logs.size() == 1) {
      try {
        BigInteger[] w = EscrowAbi.logWords(logs.get(0), 2);
        if (w[0].equals(call.additionalDeposit())) {
          newDeposit = w[1];
        }
      } catch (MalformedMessageException e) {
        newDeposit = null;
      }
    }
    if (newDeposit == null) {
      return chainRefused(
          failed(
              "tempo.session.topup_not_confirmed",
              "The receipt has no matching TopUp event for this channel."));
    }
    EscrowAbi.ChannelRead read = readChannel(escrow, d, context.challenge().id());
    if (read.deposit().signum() == 0) {
      return chainRefused(
          failed(
              ProblemType.SESSION_CHANNEL_NOT_FOUND,
              "tempo.session.channel_not_found",
              "The escrow has no such channel."));
    }
    if (read.deposit().compareTo(newDeposit) < 0) {
      return chainRefused(
          failed(
              "tempo.session.channel_state_mismatch",
              "The channel's deposit on chain is below what the top-up reported."));
    }
    return new SessionMethod.ChainResult(onChain(read), null);
  }

  private static SessionMethod.ChainResult chainRefused(Verification.Rejected refusal) {
    return new SessionMethod.ChainResult(null, refusal);
  }

  // ---- shared transaction checks ----

  /** A decoded, recovered channel transaction, or why it was refused. */
  private record Checked(
      @Nullable TempoTransaction tx,
      @Nullable Address sender,
      boolean awaitsFeePayer,
      Verification.@Nullable Rejected refusal) {
    static Checked refused(Verification.Rejected refusal) {
      return new Checked(null, null, false, refusal.nothingPaid());
    }
  }

  /**
   * Decodes the transaction, recovers its secp256k1 sender and checks what does not depend on the
   * action: the chain, the validity window, no native value, and a last call on the escrow.
   */
  private Checked checkChannelTx(byte[] raw, SessionOffer offer, VerificationContext context) {
    TempoTransaction tx;
    Address sender;
    try {
      tx = TempoCodec.parse(raw);
      SenderSignature s = tx.senderSignature();
      if (s == null || s.kind() != SenderSignature.Kind.SECP256K1) {
        return Checked.refused(
            failed(
                "tempo.signature_unsupported",
                "Only secp256k1 sender signatures are accepted for channel transactions."));
      }
      sender = tx.recoverSender().orElseThrow();
    } catch (MalformedMessageException e) {
      return Checked.refused(malformed("The transaction is malformed: " + e.getMessage()));
    }
    if (tx.chainId() != offer.chainId()) {
      return Checked.refused(
          failed("tempo.chain_mismatch", "The transaction is for another chain."));
    }
    long now = context.clock().instant().getEpochSecond();
    if (tx.validBefore() != 0 && tx.validBefore() <= now) {
      return Checked.refused(
          failed("tempo.tx_expired", "The transaction's validBefore has passed."));
    }
    if (tx.validAfter() > now + VALID_AFTER_SKEW_SECONDS) {
      return Checked.refused(
          failed("tempo.tx_not_yet_valid", "The transaction's validAfter is in the future."));
    }
    for (TempoCall c : tx.calls()) {
      if (c.to() == null || c.value().signum() != 0) {
        return Checked.refused(
            failed("tempo.session.unexpected_call", "A call creates a contract or moves value."));
      }
    }
    TempoCall last = tx.calls().get(tx.calls().size() - 1);
    if (!offer.escrow().equals(last.to())) {
      return Checked.refused(
          failed(
              "tempo.session.unexpected_call",
              "The last call of the transaction must go to the escrow."));
    }
    boolean awaits =
        tx.feePayer() instanceof FeePayerField.Sender
            || tx.feePayer() instanceof FeePayerField.AwaitingLegacy;
    if (!awaits && tx.type() != TempoTransaction.TYPE_TEMPO) {
      return Checked.refused(malformed("A 0x78 envelope must await a fee payer."));
    }
    if (!awaits && tx.hasFeePayer()) {
      return Checked.refused(
          failed("tempo.fee_payer_not_offered", "The transaction is already co-signed."));
    }
    return new Checked(tx, sender, awaits, null);
  }

  /**
   * Why the calls before the last are not allowed, or null: each is a TIP-20 {@code approve} of the
   * escrow on the currency, or the stablecoin DEX pair {@code approve(DEX, max)} then {@code
   * swapExactAmountOut(tokenIn, currency, amountOut, max)} on the DEX (SPEC 11.3).
   */
  static @Nullable String prefixViolation(
      List<TempoCall> calls, SessionOffer offer, BigInteger amountOut) {
    int n = calls.size() - 1;
    int i = 0;
    while (i < n) {
      TempoCall c = calls.get(i);
      EscrowAbi.ApproveCall approve;
      try {
        approve = EscrowAbi.decodeApprove(c.data());
      } catch (MalformedMessageException e) {
        return "The transaction contains a call other than approve, swap and the channel call.";
      }
      Address token = c.to();
      if (offer.currency().equals(token) && approve.spender().equals(offer.escrow())) {
        i++;
        continue;
      }
      if (!approve.spender().equals(EscrowAbi.STABLECOIN_DEX) || i + 1 >= n) {
        return "An approve is neither for the escrow nor followed by a DEX swap.";
      }
      TempoCall next = calls.get(i + 1);
      EscrowAbi.SwapCall swap;
      try {
        swap = EscrowAbi.decodeSwap(next.data());
      } catch (MalformedMessageException e) {
        return "An approve of the DEX is not followed by swapExactAmountOut.";
      }
      if (!EscrowAbi.STABLECOIN_DEX.equals(next.to())
          || !swap.tokenIn().equals(token)
          || !swap.tokenOut().equals(offer.currency())
          || swap.tokenIn().equals(swap.tokenOut())
          || !swap.amountOut().equals(amountOut)
          || !swap.maxAmountIn().equals(approve.amount())) {
        return "The DEX swap does not buy exactly the channel amount of the currency.";
      }
      i += 2;
    }
    return null;
  }

  /** What a broadcast gave: a successful receipt, or a refusal. */
  private record Sent(
      @Nullable TransactionReceipt receipt, Verification.@Nullable Rejected refusal) {}

  /** Co-signs when sponsoring, broadcasts and waits; a reverted transaction is a refusal. */
  private Sent broadcast(Checked checked, SessionOffer offer, VerificationContext context)
      throws PaymentMethodException {
    TempoTransaction tx = checked.tx;
    TempoTransaction fin = tx;
    boolean slot = false;
    String challengeId = context.challenge().id();
    if (checked.awaitsFeePayer) {
      Secp256k1PrivateKey key = config.feePayerKey();
      if (key == null || !offer.feePayer()) {
        return new Sent(
            null,
            failed("tempo.fee_payer_not_offered", "This server does not sponsor fees.")
                .nothingPaid());
      }
      Instant now = context.clock().instant();
      // mppx's session client names the currency as fee token in its handoff; the sender does not
      // sign it (the sender preimage of a sponsored transaction leaves it out) and the sponsor
      // picks its own, so an allowed one is dropped here. Any other is refused by the policy.
      Address clientFeeToken = tx.feeToken();
      if (clientFeeToken != null
          && (clientFeeToken.equals(offer.currency())
              || clientFeeToken.equals(config.feeToken()))) {
        tx = tx.withFeeToken(null);
      }
      Optional<String> v =
          Sponsor.limitsViolation(
              config.sponsorPolicy(), tx, offer.chainId(), context.expires(), now);
      if (v.isPresent()) {
        return new Sent(
            null, failed("tempo.sponsor_policy", "Sponsor policy: " + v.get() + ".").nothingPaid());
      }
      try {
        fin = tx.coSign(key.signingKey(), config.feeToken());
      } catch (MalformedMessageException e) {
        return new Sent(null, malformed("The transaction cannot be co-signed.").nothingPaid());
      }
      slot = sponsorSlots.tryAcquire();
      if (!slot) {
        throw PaymentMethodException.of(
            NAME,
            ReasonCode.of("tempo.sponsor_busy"),
            "too many sponsored transactions in flight",
            challengeId,
            null,
            null);
      }
    }
    byte[] raw = fin.encode();
    String hash = Hex.encode(Keccak.hash(raw));
    TransactionReceipt receipt;
    try {
      receipt = rpc.sendAndWait(raw, hash);
    } catch (TempoRpcException e) {
      if (e.kind() == TempoRpcException.Kind.REJECTED && !e.maybeSent()) {
        return new Sent(
            null,
            failed(e.reason(), "The node refused the transaction (" + e.reason() + ").")
                .nothingPaid());
      }
      throw PaymentMethodException.of(
          NAME,
          ReasonCode.of(e.reason()),
          "channel transaction failed" + (e.maybeSent() ? " after sending" : ""),
          challengeId,
          null,
          e);
    } finally {
      if (slot) {
        sponsorSlots.release();
      }
    }
    if (!receipt.success()) {
      return new Sent(
          null, failed("tempo.tx_reverted", "The channel transaction reverted on chain."));
    }
    return new Sent(receipt, null);
  }

  // ---- reads ----

  Optional<OnChainChannel> read(ChannelState channel) throws PaymentMethodException {
    EscrowAbi.ChannelRead read =
        readChannel(address(channel.escrow()), descriptorOf(channel), null);
    if (read.deposit().signum() == 0) {
      return Optional.empty();
    }
    return Optional.of(onChain(read));
  }

  /**
   * {@code getChannel(descriptor)}; a channel the escrow does not know reads as deposit 0 (whether
   * the escrow answers zeros or reverts with {@code ChannelNotFound()}).
   */
  private EscrowAbi.ChannelRead readChannel(
      Address escrow, ChannelDescriptor d, @Nullable String challengeId)
      throws PaymentMethodException {
    byte[] ret;
    try {
      ret = rpc.call(null, escrow, EscrowAbi.encodeGetChannel(d));
    } catch (TempoRpcException e) {
      byte[] revert = e.revertData();
      if (revert != null && revert.length == 4 && Arrays.equals(revert, CHANNEL_NOT_FOUND)) {
        return new EscrowAbi.ChannelRead(d, BigInteger.ZERO, BigInteger.ZERO, 0);
      }
      throw PaymentMethodException.of(
          NAME, ReasonCode.of(e.reason()), "reading the channel failed", challengeId, null, e);
    }
    EscrowAbi.ChannelRead read;
    try {
      read = EscrowAbi.decodeGetChannel(ret);
    } catch (MalformedMessageException e) {
      throw PaymentMethodException.of(
          NAME,
          ReasonCode.of(TempoRpcException.Kind.MALFORMED_RESPONSE.reason()),
          "the escrow's getChannel answer is malformed",
          challengeId,
          null,
          null);
    }
    if (read.deposit().signum() != 0 && !read.descriptor().equals(d)) {
      throw PaymentMethodException.of(
          NAME,
          ReasonCode.of(TempoRpcException.Kind.MALFORMED_RESPONSE.reason()),
          "the escrow answered another channel",
          challengeId,
          null,
          null);
    }
    if (read.settled().compareTo(read.deposit()) > 0) {
      throw PaymentMethodException.of(
          NAME,
          ReasonCode.of(TempoRpcException.Kind.MALFORMED_RESPONSE.reason()),
          "the escrow reports more settled than deposited",
          challengeId,
          null,
          null);
    }
    return read;
  }

  private static OnChainChannel onChain(EscrowAbi.ChannelRead read) {
    return new OnChainChannel(
        read.deposit(),
        read.settled(),
        read.closeRequestedAt() == 0 ? null : Instant.ofEpochSecond(read.closeRequestedAt()));
  }

  // ---- operator transactions ----

  String settle(ChannelState channel) throws PaymentMethodException {
    byte[] sig = channel.voucherSignatureBytes();
    if (sig == null || channel.acceptedCumulative().compareTo(channel.settledOnChain()) <= 0) {
      throw operatorFailure("tempo.session.nothing_to_settle", "nothing to settle", null);
    }
    byte[] data = EscrowAbi.encodeSettle(descriptorOf(channel), channel.acceptedCumulative(), sig);
    return operatorSend(channel, data, EscrowAbi.SETTLED, "settle");
  }

  String close(ChannelState channel, BigInteger capture) throws PaymentMethodException {
    byte[] sig = channel.voucherSignatureBytes();
    BigInteger cumulative = channel.acceptedCumulative();
    if (sig == null) {
      throw operatorFailure(
          "tempo.session.no_voucher", "the channel has no voucher to close", null);
    }
    if (capture.signum() < 0
        || capture.compareTo(cumulative) > 0
        || capture.compareTo(channel.deposit()) > 0
        || capture.compareTo(channel.settledOnChain()) < 0) {
      throw operatorFailure(
          "tempo.session.capture_invalid",
          "the capture must be between what was settled and the voucher (and the deposit)",
          null);
    }
    byte[] data = EscrowAbi.encodeClose(descriptorOf(channel), cumulative, capture, sig);
    return operatorSend(channel, data, EscrowAbi.CHANNEL_CLOSED, "close");
  }

  /**
   * Signs and sends one operator call on the channel's escrow, waits for its receipt and checks it
   * succeeded and emitted {@code event} for the channel.
   */
  private String operatorSend(ChannelState channel, byte[] data, byte[] event, String what)
      throws PaymentMethodException {
    Secp256k1PrivateKey key = config.operatorKey();
    if (key == null) {
      throw operatorFailure(
          "tempo.session.no_operator_key", "no operator key is configured to " + what, null);
    }
    boolean locked;
    try {
      locked = operatorLock.tryLock(config.receiptTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw operatorFailure("tempo.session.operator_busy", "interrupted before " + what, e);
    }
    if (!locked) {
      throw operatorFailure(
          "tempo.session.operator_busy", "the operator's previous transaction is pending", null);
    }
    try {
      Address escrow = address(channel.escrow());
      Address operator = key.address();
      long estimate;
      BigInteger price;
      long nonce;
      try {
        estimate = rpc.estimateGas(operator, escrow, data);
        price = rpc.gasPrice();
        nonce = rpc.pendingNonce(operator);
      } catch (TempoRpcException e) {
        String reason =
            "tempo.call_reverted".equals(e.reason()) ? "tempo.session." + what + "_reverts" : null;
        throw operatorFailure(
            reason != null ? reason : e.reason(), "preparing the " + what + " failed", e);
      }
      if (estimate <= 0 || estimate > MAX_OPERATOR_GAS) {
        throw operatorFailure(
            "tempo.session.gas_limit", "the " + what + " needs more gas than allowed", null);
      }
      long gas = Math.min(MAX_OPERATOR_GAS, estimate + estimate / 2 + 25_000);
      if (price.signum() <= 0 || price.compareTo(MAX_OPERATOR_FEE_PER_GAS) > 0) {
        throw operatorFailure(
            "tempo.session.fee_limit", "the chain's gas price is above the operator's limit", null);
      }
      BigInteger maxFee = price.shiftLeft(1).min(MAX_OPERATOR_FEE_PER_GAS);
      TempoTransaction unsigned =
          TempoTransaction.builder()
              .chainId(channel.chainId())
              .maxPriorityFeePerGas(BigInteger.ZERO)
              .maxFeePerGas(maxFee)
              .gas(gas)
              .calls(List.of(TempoCall.of(escrow, data)))
              .nonceKey(BigInteger.ZERO)
              .nonce(nonce)
              .feeToken(address(channel.token()))
              .build();
      TempoTransaction signed =
          unsigned.withSenderSignature(
              SenderSignature.of(key.signingKey().sign(unsigned.senderSigningHash())));
      byte[] raw = signed.encode();
      String hash = Hex.encode(Keccak.hash(raw));
      TransactionReceipt receipt;
      try {
        receipt = rpc.sendAndWait(raw, hash);
      } catch (TempoRpcException e) {
        throw operatorFailure(
            e.reason(), what + " failed" + (e.maybeSent() ? " after sending" : ""), e);
      }
      if (!receipt.success()) {
        throw operatorFailure("tempo.tx_reverted", "the " + what + " reverted on chain", null);
      }
      Bytes32 id = Bytes32.of(Hex.decodeUnchecked(channel.channelId()));
      if (EscrowAbi.channelLogs(receipt, escrow, event, id).size() != 1) {
        throw operatorFailure(
            "tempo.session." + what + "_not_confirmed",
            "the " + what + " receipt has no event for the channel",
            null);
      }
      return hash;
    } finally {
      operatorLock.unlock();
    }
  }

  private static PaymentMethodException operatorFailure(
      String reason, String message, @Nullable Throwable cause) {
    return PaymentMethodException.of(NAME, ReasonCode.of(reason), message, null, null, cause);
  }

  // ---- helpers ----

  static ChannelDescriptor descriptorOf(ChannelState s) {
    return new ChannelDescriptor(
        address(s.payer()),
        address(s.payee()),
        address(s.operator()),
        address(s.token()),
        Bytes32.of(Hex.decodeUnchecked(s.salt())),
        address(s.authorizedSigner()),
        Bytes32.of(Hex.decodeUnchecked(s.expiringNonceHash())));
  }

  /** An address from a ChannelState component (already validated as 0x and 40 hex digits). */
  private static Address address(String hex) {
    return Address.of(Hex.decodeUnchecked(hex));
  }

  private static byte[] word(BigInteger v) {
    byte[] out = new byte[32];
    byte[] b = v.toByteArray();
    int len = Math.min(b.length, 32);
    System.arraycopy(b, b.length - len, out, 32 - len, len);
    return out;
  }

  private static SessionMethod.ParsedAction refused(Verification.Rejected refusal) {
    return SessionMethod.ParsedAction.refused(refusal.nothingPaid());
  }

  private static Verification.Rejected malformed(String detail) {
    return Verification.rejected(
        ProblemType.MALFORMED_CREDENTIAL, ReasonCode.CREDENTIAL_MALFORMED, detail);
  }

  private static Verification.Rejected badSignature() {
    return failed(
        ProblemType.SESSION_INVALID_SIGNATURE,
        "tempo.session.signature_malformed",
        "The voucher signature must be 65 bytes r || s || v with v 27 or 28 and a low s.");
  }

  private static Verification.Rejected failed(String reason, String detail) {
    return failed(ProblemType.VERIFICATION_FAILED, reason, detail);
  }

  private static Verification.Rejected failed(ProblemType type, String reason, String detail) {
    return Verification.rejected(type, ReasonCode.of(reason), detail);
  }
}
