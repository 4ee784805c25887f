package io.mpp4j.tempo;

import io.mpp4j.core.Challenge;
import io.mpp4j.core.Credential;
import io.mpp4j.core.Intent;
import io.mpp4j.core.MalformedMessageException;
import io.mpp4j.core.PaymentRequest;
import io.mpp4j.core.PaymentRequirement;
import io.mpp4j.core.Receipt;
import io.mpp4j.core.SessionTerms;
import io.mpp4j.core.problem.ProblemType;
import io.mpp4j.core.problem.ReasonCode;
import io.mpp4j.server.session.ChannelState;
import io.mpp4j.server.session.OnChainChannel;
import io.mpp4j.server.session.SessionAction;
import io.mpp4j.server.session.SessionMethod;
import io.mpp4j.spi.PaymentMethod;
import io.mpp4j.spi.PaymentMethodException;
import io.mpp4j.spi.Verification;
import io.mpp4j.spi.VerificationContext;
import io.mpp4j.store.StateStore;
import io.mpp4j.tempo.internal.ChargeTerms;
import io.mpp4j.tempo.internal.FeePayerField;
import io.mpp4j.tempo.internal.Hex;
import io.mpp4j.tempo.internal.Secp256k1Signature;
import io.mpp4j.tempo.internal.SenderSignature;
import io.mpp4j.tempo.internal.Sponsor;
import io.mpp4j.tempo.internal.TempoCall;
import io.mpp4j.tempo.internal.TempoCodec;
import io.mpp4j.tempo.internal.TempoTransaction;
import io.mpp4j.tempo.internal.Tip20Call;
import io.mpp4j.tempo.internal.Tip20Transfer;
import io.mpp4j.tempo.internal.Transfers;
import io.mpp4j.tempo.internal.ZeroAmountProof;
import io.mpp4j.tempo.internal.session.Uint96;
import io.mpp4j.tempo.rpc.TempoRpc;
import io.mpp4j.tempo.rpc.TempoRpcException;
import io.mpp4j.tempo.rpc.TransactionReceipt;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code tempo} payment method for the {@code charge} intent: TIP-20 stablecoin transfers on
 * the Tempo chain (SPEC section 3, as corrected by 11.1).
 *
 * <p>Offers carry the amount in base units (6 decimals: a route price of {@code 0.50} is {@code
 * "500000"}), the token as {@code currency}, the {@code recipient}, and {@code methodDetails} with
 * {@code chainId} (always), {@code splits} when configured, {@code feePayer: true} when this server
 * sponsors fees, and {@code supportedModes} unless both modes are offered. A route priced at zero
 * is a zero-amount identity proof.
 *
 * <p>Verification, after the gate's checks:
 *
 * <ul>
 *   <li>{@code transaction} (pull): the signed transaction is decoded strictly and checked before
 *       anything is broadcast: a secp256k1 sender signature (the sender is recovered, never
 *       trusted), the chain id, an unexpired {@code validBefore}, every call a {@code transfer} or
 *       {@code transferWithMemo} on the currency contract with no value, exactly the expected
 *       transfers (primary and splits, exact amounts) and nothing else, and the challenge-bound
 *       attribution memo. A handoff awaiting a fee payer is checked against the {@link
 *       SponsorPolicy} and co-signed. The transaction hash is claimed in the replay store before
 *       broadcasting (released if nothing was sent), the transaction is broadcast and its receipt
 *       checked again: success, the same hash, and matching transfer logs from the sender.
 *   <li>{@code hash} (push): the receipt is fetched and its transfer logs matched the same way,
 *       from the {@code source} account (or the receipt's sender).
 *   <li>{@code proof} (zero amount): an EIP-712 proof signed by the {@code source} account ({@link
 *       ZeroAmountProof}, versions 3, 2 and 1).
 * </ul>
 *
 * <p>Sender signatures other than secp256k1 (P-256, WebAuthn, keychain access keys) are refused
 * with the reason {@code tempo.signature_unsupported}: their sender cannot be established before
 * broadcasting with the checks above. Each settled transaction hash is claimed once ({@code
 * mpp4j:tempo:paid:<hash>}), so one transaction never pays twice, also across instances sharing the
 * store. When a broadcast's outcome is unknown (a timeout after sending) the claim on the hash is
 * kept and the client may retry the same credential: the retry looks the receipt up instead of
 * broadcasting again.
 *
 * <p>Node errors become stable reason codes ({@code tempo.insufficient_funds}, {@code
 * tempo.rpc_timeout}, ...); the node's own text never reaches the client or the logs.
 *
 * <p>Thread-safe; share one instance.
 */
public final class TempoMethod implements PaymentMethod, SessionMethod, AutoCloseable {
  /** The method name on the wire. */
  public static final String NAME = "tempo";

  /** TIP-20 tokens have 6 decimals. */
  public static final int DECIMALS = 6;

  /** The request fields pinned to the route: the core defaults plus Tempo's. */
  public static final List<String> BOUND_FIELDS;

  static {
    List<String> fields = new ArrayList<>(DEFAULT_BOUND_FIELDS);
    fields.add("externalId");
    fields.add("methodDetails.feePayer");
    fields.add("methodDetails.supportedModes");
    BOUND_FIELDS = List.copyOf(fields);
    List<String> session = new ArrayList<>(DEFAULT_BOUND_FIELDS);
    session.add("suggestedDeposit");
    session.add("methodDetails.escrowContract");
    session.add("methodDetails.operator");
    session.add("methodDetails.minVoucherDelta");
    session.add("methodDetails.feePayer");
    SESSION_BOUND_FIELDS = List.copyOf(session);
  }

  /**
   * The request fields of a session offer pinned to the route: the core defaults (amount, currency,
   * recipient, unit type, chain, session protocol) plus the suggested deposit, the escrow, the
   * operator, the minimum voucher delta and fee sponsorship.
   */
  public static final List<String> SESSION_BOUND_FIELDS;

  private static final Logger LOG = LoggerFactory.getLogger(TempoMethod.class);
  private static final int MAX_SIGNATURE_HEX = 2 * 16 * 1024;
  private static final Duration CLAIM_GRACE = Duration.ofMinutes(1);
  private static final long VALID_AFTER_SKEW_SECONDS = 5;
  private static final String TX_CLAIM = "mpp4j:tempo:tx:";
  private static final String PAID_CLAIM = "mpp4j:tempo:paid:";
  private static final String PROOF_CLAIM = "mpp4j:tempo:proof:";

  /** Node refusals after which the transaction is not pending: the node did not admit it. */
  private static final Set<String> NOT_ADMITTED =
      Set.of(
          "tempo.insufficient_funds",
          "tempo.tx_expired",
          "tempo.invalid_signature",
          "tempo.fee_too_low");

  private final TempoConfig config;
  private final TempoRpc rpc;
  private final boolean ownsRpc;
  private final Semaphore sponsorSlots;
  private final TempoSessions sessions;

  private TempoMethod(TempoConfig config, TempoRpc rpc, boolean ownsRpc) {
    this.config = config;
    this.rpc = rpc;
    this.ownsRpc = ownsRpc;
    this.sponsorSlots = new Semaphore(config.sponsorPolicy().maxInFlight());
    this.sessions = new TempoSessions(config, rpc, sponsorSlots);
  }

  /**
   * Creates the method. Unless the config carries a {@link TempoConfig#rpc()} client, a JSON-RPC
   * client for {@link TempoConfig#rpcUrl()} is created with the config's time limits and closed by
   * {@link #close()}.
   */
  public static TempoMethod create(TempoConfig config) {
    Objects.requireNonNull(config, "config == null");
    TempoRpc given = config.rpc();
    if (given != null) {
      return new TempoMethod(config, given, false);
    }
    return new TempoMethod(config, RpcClients.create(config), true);
  }

  /** The configuration. */
  public TempoConfig config() {
    return config;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<Intent> intents() {
    return Set.of(Intent.CHARGE, Intent.SESSION);
  }

  @Override
  public List<String> boundFields(Intent intent) {
    return Intent.SESSION.equals(intent) ? SESSION_BOUND_FIELDS : BOUND_FIELDS;
  }

  /**
   * Converts a decimal token amount to base units (6 decimals).
   *
   * @throws IllegalArgumentException when the amount is negative or has more than 6 decimals
   */
  public static BigInteger toBaseUnits(BigDecimal amount) {
    Objects.requireNonNull(amount, "amount == null");
    if (amount.signum() < 0) {
      throw new IllegalArgumentException("amount must be >= 0, but was " + amount.toPlainString());
    }
    BigDecimal scaled = amount.movePointRight(DECIMALS);
    try {
      return scaled.toBigIntegerExact();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          "amount must have at most "
              + DECIMALS
              + " decimals for a TIP-20 token, but was "
              + amount.toPlainString(),
          e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException when the intent is not {@code charge}, the route names a
   *     currency other than this method's token, the amount has more than 6 decimals, or the splits
   *     add up to the amount or more
   */
  @Override
  public PaymentRequest createRequest(Intent intent, PaymentRequirement requirement) {
    Objects.requireNonNull(intent, "intent == null");
    Objects.requireNonNull(requirement, "requirement == null");
    if (Intent.SESSION.equals(intent)) {
      return createSessionRequest(requirement);
    }
    if (!Intent.CHARGE.equals(intent)) {
      throw new IllegalArgumentException(
          "the tempo method serves the charge and session intents, not " + intent);
    }
    checkRouteCurrency(requirement);
    BigInteger amount = toBaseUnits(requirement.amount());
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("chainId", config.chainId());
    if (amount.signum() > 0) {
      if (!config.splits().isEmpty()) {
        BigInteger sum = BigInteger.ZERO;
        List<Map<String, Object>> splits = new ArrayList<>();
        for (Split s : config.splits()) {
          sum = sum.add(s.amount());
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("amount", s.amount().toString());
          m.put("recipient", s.recipient().toHex());
          byte[] memo = s.memo();
          if (memo != null) {
            m.put("memo", Hex.encode(memo));
          }
          splits.add(m);
        }
        if (sum.compareTo(amount) >= 0) {
          throw new IllegalArgumentException(
              "the splits ("
                  + sum
                  + " base units) must add up to less than the route's amount ("
                  + amount
                  + " base units)");
        }
        details.put("splits", splits);
      }
      if (config.sponsorsFees()) {
        details.put("feePayer", true);
      }
      if (config.modes().size() == 1) {
        details.put("supportedModes", List.of(config.modes().iterator().next().wire()));
      }
    }
    PaymentRequest.Builder b =
        PaymentRequest.builder()
            .amount(amount.toString())
            .currency(config.currency().toHex())
            .recipient(config.recipient().toHex())
            .put("methodDetails", details);
    if (requirement.description() != null) {
      b.description(requirement.description());
    }
    if (requirement.externalId() != null) {
      b.externalId(requirement.externalId());
    }
    return b.build();
  }

  /** A route's currency, when it names one, must be this method's token. */
  private void checkRouteCurrency(PaymentRequirement requirement) {
    String routeCurrency = requirement.currency();
    if (routeCurrency != null) {
      Address wanted;
      try {
        wanted = Address.parse(routeCurrency);
      } catch (MalformedMessageException e) {
        throw new IllegalArgumentException(
            "currency must be a TIP-20 token address for tempo, but was \"" + routeCurrency + "\"");
      }
      if (!wanted.equals(config.currency())) {
        throw new IllegalArgumentException(
            "currency " + wanted + " is not the configured tempo token " + config.currency());
      }
    }
  }

  /**
   * A session offer (SPEC 4.2): {@code amount} per unit and {@code suggestedDeposit} in base units,
   * {@code unitType} (default {@code request}), and {@code methodDetails} with the escrow, the
   * numeric chain id, {@code sessionProtocol} v2, the operator's address, {@code minVoucherDelta}
   * when set and {@code feePayer: true} when sponsoring.
   */
  private PaymentRequest createSessionRequest(PaymentRequirement requirement) {
    Address operator = config.operatorAddress();
    if (operator == null) {
      throw new IllegalArgumentException(
          "a tempo session route needs an operator key (TempoConfig.Builder.operatorKey, or"
              + " tempo.operatorKeyEnv): without it the server could never settle or close a"
              + " channel");
    }
    checkRouteCurrency(requirement);
    BigInteger amount = toBaseUnits(requirement.amount());
    if (amount.signum() <= 0 || !Uint96.isValid(amount)) {
      throw new IllegalArgumentException(
          "a tempo session's price per unit must be positive and at most 2^96 - 1 base units");
    }
    SessionTerms terms = requirement.session();
    String unitType = terms == null ? "request" : terms.unitType();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("escrowContract", config.escrow().toHex());
    details.put("chainId", config.chainId());
    details.put("sessionProtocol", "v2");
    details.put("operator", operator.toHex());
    if (terms != null && terms.minVoucherDelta() != null) {
      details.put("minVoucherDelta", uint96(terms.minVoucherDelta(), "minVoucherDelta"));
    }
    if (config.sponsorsFees()) {
      details.put("feePayer", true);
    }
    PaymentRequest.Builder b =
        PaymentRequest.builder()
            .amount(amount.toString())
            .currency(config.currency().toHex())
            .recipient(config.recipient().toHex())
            .put("unitType", unitType);
    if (terms != null && terms.suggestedDeposit() != null) {
      b.put("suggestedDeposit", uint96(terms.suggestedDeposit(), "suggestedDeposit"));
    }
    b.put("methodDetails", details);
    if (requirement.description() != null) {
      b.description(requirement.description());
    }
    if (requirement.externalId() != null) {
      b.externalId(requirement.externalId());
    }
    return b.build();
  }

  private static String uint96(BigDecimal amount, String what) {
    BigInteger v = toBaseUnits(amount);
    if (!Uint96.isValid(v)) {
      throw new IllegalArgumentException(what + " must be at most 2^96 - 1 base units");
    }
    return v.toString();
  }

  @Override
  public ParsedAction parse(VerificationContext context) {
    Objects.requireNonNull(context, "context == null");
    return sessions.parse(context);
  }

  @Override
  public Verification.@Nullable Rejected verifyVoucher(
      ChannelState channel,
      BigInteger cumulativeAmount,
      byte[] signature,
      VerificationContext context) {
    Objects.requireNonNull(channel, "channel == null");
    Objects.requireNonNull(cumulativeAmount, "cumulativeAmount == null");
    Objects.requireNonNull(signature, "signature == null");
    Objects.requireNonNull(context, "context == null");
    return sessions.verifyVoucher(channel, cumulativeAmount, signature, context);
  }

  @Override
  public OpenResult open(SessionAction.Open open, VerificationContext context)
      throws PaymentMethodException {
    Objects.requireNonNull(open, "open == null");
    Objects.requireNonNull(context, "context == null");
    return sessions.open(open, context);
  }

  @Override
  public ChainResult topUp(
      SessionAction.TopUp topUp, ChannelState channel, VerificationContext context)
      throws PaymentMethodException {
    Objects.requireNonNull(topUp, "topUp == null");
    Objects.requireNonNull(channel, "channel == null");
    Objects.requireNonNull(context, "context == null");
    return sessions.topUp(topUp, channel, context);
  }

  @Override
  public Optional<OnChainChannel> read(ChannelState channel) throws PaymentMethodException {
    Objects.requireNonNull(channel, "channel == null");
    return sessions.read(channel);
  }

  @Override
  public String settle(ChannelState channel) throws PaymentMethodException {
    Objects.requireNonNull(channel, "channel == null");
    return sessions.settle(channel);
  }

  @Override
  public String close(ChannelState channel, BigInteger capture) throws PaymentMethodException {
    Objects.requireNonNull(channel, "channel == null");
    Objects.requireNonNull(capture, "capture == null");
    return sessions.close(channel, capture);
  }

  @Override
  public Verification verify(VerificationContext context) throws PaymentMethodException {
    Objects.requireNonNull(context, "context == null");
    if (Intent.SESSION.equals(context.challenge().intent())) {
      // Session credentials go through the session handler (parse, verifyVoucher, open, ...).
      return invalidPayload("A session credential is not verified as a charge.").nothingPaid();
    }
    ChargeTerms terms;
    try {
      terms = ChargeTerms.of(context.offered());
    } catch (MalformedMessageException e) {
      throw new IllegalStateException("the tempo offer is malformed: " + e.getMessage(), e);
    }
    Map<String, Object> payload = context.credential().payload();
    Object type = payload.get("type");
    if ("transaction".equals(type)) {
      return verifyTransaction(context, terms, payload);
    } else if ("hash".equals(type)) {
      return verifyHash(context, terms, payload);
    } else if ("proof".equals(type)) {
      return verifyProof(context, terms, payload);
    }
    return invalidPayload("payload.type must be transaction, hash or proof.").nothingPaid();
  }

  // ---- pull ----

  private Verification verifyTransaction(
      VerificationContext context, ChargeTerms terms, Map<String, Object> payload)
      throws PaymentMethodException {
    if (terms.isZeroAmount()) {
      return failed("tempo.proof_required", "A zero-amount charge is paid with a proof.")
          .nothingPaid();
    }
    if (!terms.allows(PaymentMode.PULL)) {
      return failed("tempo.mode_not_offered", "This offer does not accept signed transactions.")
          .nothingPaid();
    }
    Object sig = payload.get("signature");
    if (!(sig instanceof String hex) || hex.length() > MAX_SIGNATURE_HEX) {
      return invalidPayload("payload.signature must be the 0x-hex signed transaction.")
          .nothingPaid();
    }
    TempoTransaction tx;
    Address sender;
    try {
      tx = TempoCodec.parse(hex);
      SenderSignature senderSignature = tx.senderSignature();
      if (senderSignature == null) {
        return invalidPayload("The transaction is not signed.").nothingPaid();
      }
      if (senderSignature.kind() != SenderSignature.Kind.SECP256K1) {
        return failed(
                "tempo.signature_unsupported",
                "Only secp256k1 sender signatures are accepted for pull payments.")
            .nothingPaid();
      }
      sender = tx.recoverSender().orElseThrow();
    } catch (MalformedMessageException e) {
      return invalidPayload("The signed transaction is malformed: " + e.getMessage()).nothingPaid();
    }
    Instant now = context.clock().instant();
    Verification.Rejected bad = checkTransaction(tx, terms, context, now);
    if (bad != null) {
      return bad.nothingPaid();
    }

    boolean awaitsFeePayer =
        tx.feePayer() instanceof FeePayerField.Sender
            || tx.feePayer() instanceof FeePayerField.AwaitingLegacy;
    TempoTransaction fin = tx;
    if (awaitsFeePayer) {
      Secp256k1PrivateKey key = config.feePayerKey();
      if (key == null || !terms.feePayer) {
        return failed("tempo.fee_payer_not_offered", "This server does not sponsor fees.")
            .nothingPaid();
      }
      try {
        fin =
            Sponsor.coSign(
                config.sponsorPolicy(),
                tx,
                context.offered(),
                context.challenge(),
                context.expires(),
                now,
                key.signingKey(),
                config.feeToken());
      } catch (Sponsor.RefusedException e) {
        return failed("tempo.sponsor_policy", "Sponsor policy: " + e.getMessage() + ".")
            .nothingPaid();
      }
    } else if (tx.type() != TempoTransaction.TYPE_TEMPO) {
      return invalidPayload("A 0x78 envelope must await a fee payer.").nothingPaid();
    }

    byte[] raw = fin.encode();
    String hash = Hex.encode(io.mpp4j.tempo.internal.Keccak.hash(raw));
    StateStore store = context.store();
    Duration ttl = claimTtl(context, now);
    // A sponsored payment is claimed under the payer's signed handoff too: a co-signature made
    // with another sponsor key or fee token would give the same payment another hash.
    Map<String, String> claimed = new LinkedHashMap<>(4); // key -> owner token
    // Identity on purpose: fin is tx itself unless a fee payer co-signed it into a new transaction.
    @SuppressWarnings("ReferenceEquality")
    boolean unsponsored = fin == tx;
    for (String key :
        unsponsored
            ? List.of(TX_CLAIM + hash)
            : List.of(TX_CLAIM + tx.hashHex(), TX_CLAIM + hash)) {
      String owner = store.claim(key, ttl);
      if (owner == null) {
        // Sent before: by an earlier attempt whose outcome was unknown, or concurrently. Never
        // broadcast twice; settle on the receipt if it is there.
        return resume(context, terms, tx, sender, hash, ttl, now);
      }
      claimed.put(key, owner);
    }
    if (context.isExpired()) {
      releaseQuietly(store, claimed);
      return expired().nothingPaid();
    }
    boolean slot = false;
    TransactionReceipt receipt;
    try {
      if (awaitsFeePayer) {
        slot = sponsorSlots.tryAcquire();
        if (!slot) {
          releaseQuietly(store, claimed);
          throw PaymentMethodException.of(
              NAME,
              ReasonCode.of("tempo.sponsor_busy"),
              "too many sponsored transactions in flight",
              context.challenge().id(),
              null,
              null);
        }
      }
      receipt = rpc.sendAndWait(raw, hash);
    } catch (TempoRpcException e) {
      if (!e.maybeSent()) {
        releaseQuietly(store, claimed);
      }
      if (e.kind() == TempoRpcException.Kind.REJECTED && !e.maybeSent()) {
        Verification.Rejected refused =
            failed(e.reason(), "The node refused the transaction (" + e.reason() + ").");
        // A transaction the node did not admit for one of these reasons is not pending anywhere
        // through this server: nothing is paid, so the challenge is freed (junk signed with an
        // empty account must not hold replay store capacity). Other refusals (a nonce already
        // used, an unrecognized reason) may hide a transaction that was mined: keep it.
        return NOT_ADMITTED.contains(e.reason()) ? refused.nothingPaid() : refused;
      }
      throw PaymentMethodException.of(
          NAME,
          ReasonCode.of(e.reason()),
          "broadcast failed" + (e.maybeSent() ? " after sending" : ""),
          context.challenge().id(),
          null,
          e);
    } finally {
      if (slot) {
        sponsorSlots.release();
      }
    }
    return settle(context, terms, sender, hash, receipt, ttl, now);
  }

  /** The checks of a transaction before broadcasting, except the sponsor policy. */
  private Verification.@Nullable Rejected checkTransaction(
      TempoTransaction tx, ChargeTerms terms, VerificationContext context, Instant now) {
    if (tx.chainId() != terms.chainId) {
      return failed("tempo.chain_mismatch", "The transaction is for another chain.");
    }
    long validBefore = tx.validBefore();
    if (validBefore != 0 && validBefore <= now.getEpochSecond()) {
      return failed("tempo.tx_expired", "The transaction's validBefore has passed.");
    }
    // A transaction not valid yet would sit in the pool while the payer waits; clients set a
    // validAfter in the past (SPEC 11.1), so allow only clock skew.
    if (tx.validAfter() > now.getEpochSecond() + VALID_AFTER_SKEW_SECONDS) {
      return failed("tempo.tx_not_yet_valid", "The transaction's validAfter is in the future.");
    }
    List<Transfers.Found> found = new ArrayList<>(tx.calls().size());
    for (TempoCall call : tx.calls()) {
      if (!terms.currency.equals(call.to())) {
        return failed("tempo.unexpected_call", "A call does not go to the currency contract.");
      }
      if (call.value().signum() != 0) {
        return failed("tempo.unexpected_call", "A call carries a native value.");
      }
      Optional<Tip20Call> decoded;
      try {
        decoded = Tip20Call.decode(call.data());
      } catch (MalformedMessageException e) {
        return failed("tempo.unexpected_call", "A call has malformed transfer calldata.");
      }
      if (decoded.isEmpty()) {
        return failed(
            "tempo.unexpected_call", "The transaction contains unauthorized extra calls.");
      }
      Tip20Call t = decoded.get();
      found.add(new Transfers.Found(t.recipient(), t.amount(), t.memo()));
    }
    if (found.size() != terms.expected.size()) {
      return found.size() > terms.expected.size()
          ? failed("tempo.unexpected_call", "The transaction contains unauthorized extra calls.")
          : failed("tempo.transfer_mismatch", "No matching payment call found.");
    }
    String realm = context.challenge().realm();
    String id = context.challenge().id();
    int[] match = Transfers.match(terms.expected, found, realm, id);
    if (match == null) {
      return failed("tempo.transfer_mismatch", "No matching payment call found.");
    }
    if (!Transfers.attributed(match, found, terms.memo, realm, id)) {
      return failed(
          "tempo.memo_mismatch",
          "The payment does not carry this challenge's attribution memo (transferWithMemo).");
    }
    return null;
  }

  /** Settles on a retry when the transaction was sent before: read the receipt, never resend. */
  private Verification resume(
      VerificationContext context,
      ChargeTerms terms,
      TempoTransaction tx,
      Address sender,
      String hash,
      Duration ttl,
      Instant now)
      throws PaymentMethodException {
    Optional<TransactionReceipt> receipt = receipt(context, hash);
    if (receipt.isPresent()) {
      return settle(context, terms, sender, hash, receipt.get(), ttl, now);
    }
    long validBefore = tx.validBefore();
    if (validBefore != 0 && now.getEpochSecond() > validBefore + 5) {
      return failed(
          "tempo.tx_not_mined", "The transaction was not mined before its validBefore passed.");
    }
    throw PaymentMethodException.of(
        NAME,
        ReasonCode.of("tempo.tx_pending"),
        "the transaction was sent before and is not mined yet",
        context.challenge().id(),
        null,
        null);
  }

  /** Checks a mined receipt against the terms and claims the hash as paid. */
  private Verification settle(
      VerificationContext context,
      ChargeTerms terms,
      Address sender,
      String hash,
      TransactionReceipt receipt,
      Duration ttl,
      Instant now) {
    Verification.Rejected bad = checkReceipt(receipt, terms, sender, hash, context.challenge());
    if (bad != null) {
      return bad;
    }
    if (context.store().claim(PAID_CLAIM + hash, ttl) == null) {
      return failed("tempo.tx_used", "Transaction hash has already been used.");
    }
    return Verification.verified(receipt(context, hash, now));
  }

  /**
   * The receipt of {@code hash} reports success and pays the terms from {@code sender} (from anyone
   * when null: only {@link #verifyReceipt} without a source on a receipt naming no sender).
   */
  private static Verification.@Nullable Rejected checkReceipt(
      TransactionReceipt receipt,
      ChargeTerms terms,
      @Nullable Address sender,
      String hash,
      Challenge challenge) {
    if (!receipt.transactionHash().equalsIgnoreCase(hash)) {
      return failed("tempo.receipt_mismatch", "The receipt is for another transaction.");
    }
    if (!receipt.success()) {
      return failed("tempo.tx_reverted", "The transaction reverted on chain.");
    }
    return checkLogs(receipt, terms, sender, challenge.realm(), challenge.id());
  }

  private static Verification.@Nullable Rejected checkLogs(
      TransactionReceipt receipt,
      ChargeTerms terms,
      @Nullable Address sender,
      String realm,
      String id) {
    List<Tip20Transfer> transfers = new ArrayList<>();
    for (TransactionReceipt.Log log : receipt.logs()) {
      Tip20Transfer.fromLog(log.logIndex(), log.address(), log.topics(), log.data())
          .ifPresent(transfers::add);
    }
    List<Transfers.Found> found = Transfers.fromLogs(transfers, terms.currency, sender);
    int[] match = Transfers.match(terms.expected, found, realm, id);
    if (match == null) {
      return failed("tempo.transfer_mismatch", "The receipt has no matching transfer.");
    }
    if (!Transfers.attributed(match, found, terms.memo, realm, id)) {
      return failed(
          "tempo.memo_mismatch", "The transfer does not carry this challenge's attribution memo.");
    }
    return null;
  }

  /**
   * The receipt checks of a Tempo payment without a node and without claiming anything: for
   * conformance suites (the {@code tempo.receipt.verify} operation) and tests. The terms come from
   * the credential's echoed request. A {@code hash} payload must name the receipt's transaction,
   * and its optional {@code source} must be the receipt's sender; a {@code transaction} payload's
   * sender is recovered (and, unless it awaits a fee payer, its hash must be the receipt's). The
   * receipt must report success and carry transfer logs from the sender matching every expected
   * transfer, with the challenge's attribution memo. The sender is the {@code source}, else the
   * receipt's {@code from}; a {@code hash} payload without a source on a receipt that names no
   * sender binds no sender: its logs must still carry this challenge's memo, amount, currency and
   * recipient, from whatever account they say.
   *
   * @return {@link Verification.Verified} with reference the transaction hash, or {@link
   *     Verification.Rejected}
   */
  public static Verification verifyReceipt(Credential credential, TransactionReceipt receipt) {
    Objects.requireNonNull(credential, "credential == null");
    Objects.requireNonNull(receipt, "receipt == null");
    ChargeTerms terms;
    try {
      terms = ChargeTerms.of(credential.challenge().request());
    } catch (MalformedMessageException e) {
      return invalidPayload("The challenge request is not a Tempo charge: " + e.getMessage());
    }
    Map<String, Object> payload = credential.payload();
    @Nullable Address sender;
    String hash;
    try {
      Object type = payload.get("type");
      if ("hash".equals(type)) {
        hash = payloadHash(payload);
        if (hash == null) {
          return invalidPayload("payload.hash must be a 0x-hex 32-byte transaction hash.");
        }
        Address source = source(credential, terms.chainId, false);
        if (source != null && !source.equals(receipt.from())) {
          return failed(
              "tempo.source_mismatch", "The transaction was not sent by the source account.");
        }
        // Without a source and without a receipt sender, the logs' own sender counts.
        sender = source != null ? source : receipt.from();
      } else if ("transaction".equals(type)) {
        if (!(payload.get("signature") instanceof String sig) || sig.length() > MAX_SIGNATURE_HEX) {
          return invalidPayload("payload.signature must be the 0x-hex signed transaction.");
        }
        TempoTransaction tx = TempoCodec.parse(sig);
        Optional<Address> recovered = tx.recoverSender();
        if (recovered.isEmpty()) {
          return failed(
              "tempo.signature_unsupported", "Only secp256k1 sender signatures are accepted.");
        }
        sender = recovered.get();
        boolean handoff =
            tx.feePayer() instanceof FeePayerField.Sender
                || tx.feePayer() instanceof FeePayerField.AwaitingLegacy;
        hash = handoff ? receipt.transactionHash() : tx.hashHex();
      } else {
        return invalidPayload("payload.type must be hash or transaction.");
      }
    } catch (MalformedMessageException e) {
      return invalidPayload(e.getMessage());
    }
    Verification.Rejected bad = checkReceipt(receipt, terms, sender, hash, credential.challenge());
    if (bad != null) {
      return bad;
    }
    return Verification.verified(
        Receipt.success(
                NAME, receipt.transactionHash().toLowerCase(java.util.Locale.ROOT), Instant.now())
            .withExternalId(credential.challenge().request().externalId()));
  }

  // ---- push ----

  private Verification verifyHash(
      VerificationContext context, ChargeTerms terms, Map<String, Object> payload)
      throws PaymentMethodException {
    if (terms.isZeroAmount()) {
      return failed("tempo.proof_required", "A zero-amount charge is paid with a proof.")
          .nothingPaid();
    }
    if (!terms.allows(PaymentMode.PUSH) || terms.feePayer) {
      return failed("tempo.mode_not_offered", "This offer does not accept transaction hashes.")
          .nothingPaid();
    }
    String hash = payloadHash(payload);
    if (hash == null) {
      return invalidPayload("payload.hash must be a 0x-hex 32-byte transaction hash.")
          .nothingPaid();
    }
    Address source;
    try {
      source = source(context.credential(), terms.chainId, false);
    } catch (MalformedMessageException e) {
      return invalidPayload(e.getMessage()).nothingPaid();
    }
    Instant now = context.clock().instant();
    Optional<TransactionReceipt> receipt = awaitReceipt(context, hash);
    if (receipt.isEmpty()) {
      // Only read: nothing was sent and nothing is mined. Keeping the challenge would strand a
      // payer whose transaction (its memo bound to this challenge) is mined a moment later.
      return failed("tempo.tx_not_found", "The transaction is not mined (no receipt).")
          .nothingPaid();
    }
    TransactionReceipt r = receipt.get();
    if (r.from() == null) {
      // A node's receipt always names its sender; settle nothing on one that does not.
      throw PaymentMethodException.of(
          NAME,
          ReasonCode.of(TempoRpcException.Kind.MALFORMED_RESPONSE.reason()),
          "the node's receipt names no sender",
          context.challenge().id(),
          null,
          null);
    }
    Address sender = source != null ? source : r.from();
    if (source != null && !source.equals(r.from())) {
      return failed("tempo.source_mismatch", "The transaction was not sent by the source account.");
    }
    return settle(context, terms, sender, hash, r, claimTtl(context, now), now);
  }

  /** The payload's {@code hash} as lower-case {@code 0x} hex, or null when it is not 32 bytes. */
  private static @Nullable String payloadHash(Map<String, Object> payload) {
    if (!(payload.get("hash") instanceof String h)) {
      return null;
    }
    try {
      byte[] b = Hex.decode(h, 32, "payload.hash");
      return b.length == 32 ? Hex.encode(b) : null;
    } catch (MalformedMessageException e) {
      return null;
    }
  }

  /** One receipt lookup; a node failure is an outage of this method (the payer may retry). */
  private Optional<TransactionReceipt> receipt(VerificationContext context, String hash)
      throws PaymentMethodException {
    try {
      return rpc.receipt(hash);
    } catch (TempoRpcException e) {
      throw PaymentMethodException.of(
          NAME,
          ReasonCode.of(e.reason()),
          "receipt lookup failed",
          context.challenge().id(),
          null,
          e);
    }
  }

  private Optional<TransactionReceipt> awaitReceipt(VerificationContext context, String hash)
      throws PaymentMethodException {
    long deadline = System.nanoTime() + config.pushReceiptWait().toNanos();
    long pause = 200;
    while (true) {
      Optional<TransactionReceipt> r = receipt(context, hash);
      if (r.isPresent() || System.nanoTime() + pause * 1_000_000L > deadline) {
        return r;
      }
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
      pause = Math.min(pause * 2, 1000);
    }
  }

  // ---- proof ----

  private Verification verifyProof(
      VerificationContext context, ChargeTerms terms, Map<String, Object> payload) {
    if (!terms.isZeroAmount()) {
      return failed("tempo.proof_not_allowed", "A proof only pays a zero-amount charge.")
          .nothingPaid();
    }
    Address source;
    byte[] sigBytes;
    try {
      source = source(context.credential(), terms.chainId, true);
      Object sig = payload.get("signature");
      if (!(sig instanceof String s)) {
        return invalidPayload("payload.signature must be the 0x-hex EIP-712 signature.")
            .nothingPaid();
      }
      sigBytes = Hex.decode(s, 65, "payload.signature");
    } catch (MalformedMessageException e) {
      return invalidPayload(e.getMessage()).nothingPaid();
    }
    Secp256k1Signature signature;
    try {
      signature = Secp256k1Signature.parse65(sigBytes);
    } catch (MalformedMessageException e) {
      return failed("tempo.signature_invalid", "The proof signature is malformed.").nothingPaid();
    }
    String id = context.challenge().id();
    if (ZeroAmountProof.verify(
            signature,
            terms.chainId,
            Objects.requireNonNull(source),
            id,
            context.challenge().realm())
        .isEmpty()) {
      return failed("tempo.signature_invalid", "The proof is not signed by the source account.")
          .nothingPaid();
    }
    Instant now = context.clock().instant();
    if (context.store().claim(PROOF_CLAIM + id, claimTtl(context, now)) == null) {
      return failed("tempo.proof_used", "This proof was already used.");
    }
    return Verification.verified(receipt(context, id, now));
  }

  /**
   * The payer's account from {@code did:pkh:eip155:<chainId>:<address>}.
   *
   * @return the address, or null when absent and not required
   */
  static @Nullable Address source(Credential credential, long chainId, boolean required)
      throws MalformedMessageException {
    Object src = credential.source();
    if (src == null) {
      if (required) {
        throw new MalformedMessageException(
            "source is required: did:pkh:eip155:<chainId>:<address>");
      }
      return null;
    }
    if (!(src instanceof String s) || !s.startsWith("did:pkh:eip155:")) {
      throw new MalformedMessageException("source must be did:pkh:eip155:<chainId>:<address>");
    }
    String rest = s.substring("did:pkh:eip155:".length());
    int colon = rest.indexOf(':');
    if (colon <= 0 || colon > 20) {
      throw new MalformedMessageException("source must be did:pkh:eip155:<chainId>:<address>");
    }
    String chain = rest.substring(0, colon);
    if (!chain.equals(Long.toString(chainId))) {
      throw new MalformedMessageException("source names another chain than the challenge");
    }
    try {
      return Address.parse(rest.substring(colon + 1));
    } catch (MalformedMessageException e) {
      throw new MalformedMessageException("source must end with a 20-byte hex address");
    }
  }

  // ---- helpers ----

  private Duration claimTtl(VerificationContext context, Instant now) {
    Duration untilExpiry = Duration.between(now, context.expires());
    Duration min = untilExpiry.isNegative() ? CLAIM_GRACE : untilExpiry.plus(CLAIM_GRACE);
    return config.claimTtl().compareTo(min) >= 0 ? config.claimTtl() : min;
  }

  private static Receipt receipt(VerificationContext context, String reference, Instant now) {
    return Receipt.success(NAME, reference, now).withExternalId(context.offered().externalId());
  }

  private static void releaseQuietly(StateStore store, Map<String, String> claimed) {
    try {
      for (Map.Entry<String, String> claim : claimed.entrySet()) {
        store.release(claim.getKey(), claim.getValue());
      }
    } catch (RuntimeException e) {
      // The claim then simply expires; the payer can retry after it does.
      LOG.warn("could not release a tempo replay claim: {}", e.getClass().getSimpleName());
    }
  }

  private static Verification.Rejected failed(String reason, String detail) {
    return Verification.rejected(
        ProblemType.VERIFICATION_FAILED, ReasonCode.of(reason), detail, HINTS.get(reason));
  }

  /** What a payer can do about each refusal: the problem's {@code hint}. */
  private static final Map<String, String> HINTS =
      Map.ofEntries(
          Map.entry(
              "tempo.memo_mismatch",
              "Pay with transferWithMemo carrying this challenge's MPP attribution memo."),
          Map.entry(
              "tempo.transfer_mismatch",
              "Transfer exactly the offered amount of the offered token to the recipient and to"
                  + " each split."),
          Map.entry(
              "tempo.unexpected_call",
              "Send only the TIP-20 transfers the offer asks for, to the currency contract."),
          Map.entry("tempo.chain_mismatch", "Sign the transaction for the offered chainId."),
          Map.entry("tempo.tx_not_yet_valid", "Sign a transaction whose validAfter has passed."),
          Map.entry(
              "tempo.tx_expired", "Sign a new transaction whose validBefore is in the future."),
          Map.entry(
              "tempo.signature_unsupported", "Sign the transaction with a secp256k1 account key."),
          Map.entry(
              "tempo.fee_payer_not_offered",
              "This offer has no fee sponsorship: sign a 0x76 transaction that pays its own fee."),
          Map.entry(
              "tempo.sponsor_policy",
              "Use the expiring nonce key, no fee token, no access list, validBefore within the"
                  + " challenge's expiry and the sponsor's gas and fee limits."),
          Map.entry("tempo.mode_not_offered", "Use a mode listed in supportedModes."),
          Map.entry(
              "tempo.proof_required", "Answer a zero-amount challenge with an EIP-712 proof."),
          Map.entry("tempo.proof_not_allowed", "Pay the amount with a transaction."),
          Map.entry(
              "tempo.insufficient_funds",
              "Fund the paying account with the token and the fee, then pay a fresh challenge."),
          Map.entry(
              "tempo.nonce_invalid",
              "Sign a new transaction (expiring nonce key, nonce 0) for a fresh challenge."),
          Map.entry(
              "tempo.invalid_signature", "Sign the transaction with the paying account's key."),
          Map.entry("tempo.signature_invalid", "Sign with the account named in source."),
          Map.entry("tempo.fee_too_low", "Raise maxFeePerGas and sign again."),
          Map.entry(
              "tempo.tx_not_found",
              "Present the hash once the transaction is mined, or use pull mode."),
          Map.entry(
              "tempo.source_mismatch", "Name the account that sent the transaction in source."),
          Map.entry("tempo.tx_reverted", "The transaction failed on chain; pay a fresh challenge."),
          Map.entry("tempo.tx_used", "This transaction already paid; pay a fresh challenge."),
          Map.entry("tempo.tx_rejected", "The node refused the transaction; check it and retry."));

  private static Verification.Rejected invalidPayload(String detail) {
    return Verification.rejected(ProblemType.INVALID_PAYLOAD, ReasonCode.PAYLOAD_INVALID, detail);
  }

  private static Verification.Rejected expired() {
    return Verification.rejected(
        ProblemType.PAYMENT_EXPIRED,
        ReasonCode.CHALLENGE_EXPIRED,
        "The challenge expired before the payment was submitted.");
  }

  /** Closes the JSON-RPC client this method created (not one given in the config). */
  @Override
  public void close() {
    if (ownsRpc) {
      rpc.close();
    }
  }

  @Override
  public String toString() {
    return "TempoMethod{" + config + "}";
  }
}
