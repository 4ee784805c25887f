package io.mpp4j.server.session;

import io.mpp4j.core.PaymentRequest;
import io.mpp4j.core.Receipt;
import io.mpp4j.core.RequestView;
import io.mpp4j.core.problem.ProblemType;
import io.mpp4j.core.problem.ReasonCode;
import io.mpp4j.server.IntentContext;
import io.mpp4j.server.IntentOutcome;
import io.mpp4j.server.ReusableChallengeHandler;
import io.mpp4j.server.session.LedgerResult.InsufficientBalance;
import io.mpp4j.server.session.LedgerResult.Refused;
import io.mpp4j.server.session.LedgerResult.Unchanged;
import io.mpp4j.server.session.LedgerResult.Updated;
import io.mpp4j.spi.PaymentMethodException;
import io.mpp4j.spi.Verification;
import io.mpp4j.spi.VerificationContext;
import io.mpp4j.store.CounterResult;
import io.mpp4j.store.StateStore;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The {@code session} intent (SPEC 4.5 to 4.7, 11.3): opens channels, accepts vouchers, tops up and
 * closes through the credential's {@link SessionMethod}, and meters requests against the channel's
 * accepted vouchers in the {@link SessionLedger}. Method-neutral: everything that needs a chain or
 * a signature scheme is the method's.
 *
 * <p>Per credential: the method {@linkplain SessionMethod#parse parses} the payload (format before
 * any signature recovery); then the action:
 *
 * <ul>
 *   <li>{@code open}: a channel already in the ledger takes the open's voucher as a voucher (no
 *       broadcast); otherwise the method opens it on chain and the ledger records it;
 *   <li>{@code voucher}: checked on the stored state, with no chain call, in SPEC 11.3's order:
 *       unknown channel (410 {@code channel-not-found}), closed or close requested (410 {@code
 *       channel-finalized}), above the deposit ({@code amount-exceeds-deposit}), below the highest
 *       accepted ({@code verification-failed}); equal to the highest accepted with the same
 *       signature bytes (compared in constant time): accepted without any signature check, the
 *       common case of one voucher re-presented for many requests; otherwise the rate limit of new
 *       vouchers (429), the method's signature check, not above the settled amount, the minimum
 *       delta ({@code delta-too-small}); then the ledger stores it before anything is served;
 *   <li>{@code topUp}: the method broadcasts and reads the channel; the ledger records the deposit;
 *   <li>{@code close}: the voucher must cover {@code max(spent + debt, settled)}; the method closes
 *       the channel capturing exactly that; the ledger marks it closed; the receipt carries the
 *       close's {@code txHash}.
 * </ul>
 *
 * <p>Then a management request (a {@code HEAD}, a {@code POST} without a body, or a close) is
 * {@linkplain IntentOutcome.Acknowledge acknowledged}, charging nothing; any other request is
 * billable: one unit of the route's price is charged before it is served ({@code
 * session/insufficient-balance} with {@code requiredTopUp} when the vouchers do not cover it), and
 * the outcome is a {@link IntentOutcome.Stream} whose settlement meters further units and whose
 * {@link io.mpp4j.server.PaymentStream} charges a stream per event.
 *
 * <p>Money rules: nothing is served without an accepted voucher covering it, and the ledger's
 * compare-and-set is the only place that decides (so concurrent requests on one channel never spend
 * its coverage twice, also across instances). A store that cannot answer fails the request closed
 * (the gate answers 402 with {@code Retry-After}). Signatures are never logged.
 *
 * <p>Thread-safe; keeps nothing per request or per channel in fields.
 */
public final class SessionHandler implements ReusableChallengeHandler {
  /** The prefix of the per-channel, per-second counters of new vouchers. */
  public static final String RATE_KEY_PREFIX = "mpp:session:rate:";

  /** The prefix of the claim a close (or a settlement) of a channel holds while it runs. */
  public static final String BUSY_KEY_PREFIX = "mpp:session:busy:";

  /** How long a close or settlement may hold a channel's claim. */
  static final Duration BUSY_TTL = Duration.ofMinutes(5);

  private static final Duration RATE_WINDOW = Duration.ofSeconds(2);

  private final SessionOptions options;

  /** A handler with {@link SessionOptions#defaults()}. */
  public SessionHandler() {
    this(SessionOptions.defaults());
  }

  /** A handler with the given policy. */
  public SessionHandler(SessionOptions options) {
    this.options = Objects.requireNonNull(options, "options == null");
  }

  /** The policy. */
  public SessionOptions options() {
    return options;
  }

  @Override
  public IntentOutcome handle(IntentContext context) throws PaymentMethodException {
    if (!(context.method() instanceof SessionMethod method)) {
      return refuse(
          ProblemType.VERIFICATION_FAILED,
          ReasonCode.INTERNAL_ERROR,
          "The payment method does not serve sessions.");
    }
    VerificationContext v = context.verification();
    SessionMethod.ParsedAction parsed = method.parse(v);
    if (parsed.refusal() != null) {
      return new IntentOutcome.Refuse(parsed.refusal());
    }
    SessionAction action = Objects.requireNonNull(parsed.action());
    Request r = new Request(context, method, v);
    try {
      return r.run(action);
    } catch (LedgerContentionException e) {
      throw PaymentMethodException.of(
          context.method().name(),
          ReasonCode.STORE_UNAVAILABLE,
          "the channel is too busy right now",
          r.challengeId,
          null,
          e);
    }
  }

  /** Whether a request only manages the session: a HEAD, a POST without a body, or a close. */
  static boolean isManagement(RequestView request, SessionAction action) {
    if (action instanceof SessionAction.Close) {
      return true;
    }
    String m = request.method();
    if ("HEAD".equals(m)) {
      return true;
    }
    if (!"POST".equals(m)) {
      return false;
    }
    byte[] body = request.body();
    if (body != null && body.length > 0) {
      return false;
    }
    String length = request.header("Content-Length");
    if (length == null || length.isBlank()) {
      return true;
    }
    String digits = length.strip();
    return digits.chars().allMatch(c -> c == '0');
  }

  /** One credential's handling; per-request values in fields, for readability. */
  private final class Request {
    final SessionMethod method;
    final VerificationContext v;
    final String methodName;
    final String challengeId;
    final SessionLedger ledger;
    final StateStore store;
    final Instant now;

    Request(IntentContext context, SessionMethod method, VerificationContext v) {
      this.method = method;
      this.v = v;
      this.methodName = context.method().name();
      this.challengeId = v.challenge().id();
      this.store = v.store();
      this.ledger = new SessionLedger(store);
      this.now = v.clock().instant();
    }

    IntentOutcome run(SessionAction action) throws PaymentMethodException {
      BigInteger price = unitPrice(v.offered());
      BigInteger minDelta = minVoucherDelta(v.offered());
      String id = action.channelId();
      Object result;
      if (action instanceof SessionAction.Open open) {
        result = open(open, minDelta);
      } else if (action instanceof SessionAction.Voucher voucher) {
        result = voucher(id, voucher.cumulativeAmount(), voucher.signature(), minDelta);
      } else if (action instanceof SessionAction.TopUp topUp) {
        result = topUp(topUp);
      } else {
        return close((SessionAction.Close) action);
      }
      if (result instanceof IntentOutcome refusal) {
        return refusal;
      }
      ChannelState state = (ChannelState) result;
      if (isManagement(v.httpRequest(), action)) {
        return new IntentOutcome.Acknowledge(receipt(state, null));
      }
      LedgerResult charged = ledger.chargeUnits(id, price, 1, now);
      if (charged instanceof Updated u) {
        MeteredExchange exchange =
            new MeteredExchange(
                ledger, u.state(), price, methodName, challengeId, v.clock(), options.streamHold());
        return new IntentOutcome.Stream(exchange.receipt(), exchange, exchange);
      }
      if (charged instanceof InsufficientBalance ib) {
        return insufficient(ib);
      }
      return refused((Refused) charged);
    }

    /** {@code open}: on chain unless the channel is already here (then its voucher counts). */
    Object open(SessionAction.Open open, BigInteger minDelta) throws PaymentMethodException {
      String id = open.channelId();
      if (ledger.read(id) == null) {
        SessionMethod.OpenResult result = method.open(open, v);
        if (result.refusal() != null) {
          return new IntentOutcome.Refuse(result.refusal());
        }
        ChannelState opened = Objects.requireNonNull(result.channel()).withLastActivityAt(now);
        if (!opened.channelId().equals(id)) {
          throw new IllegalStateException("the method opened another channel than the payload's");
        }
        LedgerResult stored = ledger.open(opened);
        if (stored instanceof Updated u) {
          new ChannelIndex(store).add(id, methodName);
          return u.state();
        }
        // Another request opened it in between: fall through to its voucher.
      }
      new ChannelIndex(store)
          .add(id, methodName); // idempotent; covers an index write lost to an outage
      return voucher(id, open.cumulativeAmount(), open.signature(), minDelta);
    }

    /** {@code voucher}: SPEC 11.3's order on the stored state; the accepted state or a refusal. */
    Object voucher(String id, BigInteger cumulative, byte[] signature, BigInteger minDelta) {
      ChannelState state = ledger.read(id);
      if (state == null) {
        return notFound();
      }
      if (state.closed() || state.closeRequested()) {
        return finalized();
      }
      if (cumulative.compareTo(state.deposit()) > 0) {
        return refuse(
            ProblemType.SESSION_AMOUNT_EXCEEDS_DEPOSIT,
            ReasonCode.of("session.amount_exceeds_deposit"),
            "The voucher exceeds the channel's deposit; top up first.");
      }
      int order = cumulative.compareTo(state.acceptedCumulative());
      if (order < 0) {
        return refuse(
            ProblemType.VERIFICATION_FAILED,
            ReasonCode.of("session.voucher_below_accepted"),
            "The voucher is below the highest voucher accepted on this channel.");
      }
      if (order == 0) {
        byte[] stored = state.voucherSignatureBytes();
        if (stored != null && MessageDigest.isEqual(stored, signature)) {
          return state; // the accepted voucher re-presented: no signature check, no rate limit
        }
        // Another signature for the accepted amount: a new voucher as far as the work goes.
        IntentOutcome limited = rateLimit(id);
        if (limited != null) {
          return limited;
        }
        Verification.Rejected bad = method.verifyVoucher(state, cumulative, signature, v);
        return bad != null ? new IntentOutcome.Refuse(bad) : state;
      }
      IntentOutcome limited = rateLimit(id);
      if (limited != null) {
        return limited;
      }
      Verification.Rejected bad = method.verifyVoucher(state, cumulative, signature, v);
      if (bad != null) {
        return new IntentOutcome.Refuse(bad);
      }
      if (cumulative.compareTo(state.settledOnChain()) <= 0) {
        return refuse(
            ProblemType.VERIFICATION_FAILED,
            ReasonCode.of("session.voucher_not_above_settled"),
            "The voucher does not exceed the amount already settled.");
      }
      if (cumulative.subtract(state.acceptedCumulative()).compareTo(minDelta) < 0) {
        return deltaTooSmall(minDelta);
      }
      LedgerResult accepted = ledger.acceptVoucher(id, cumulative, signature, minDelta, now);
      if (accepted instanceof Updated u) {
        return u.state();
      }
      if (accepted instanceof Unchanged u) {
        return u.state(); // the same voucher, accepted by a concurrent request
      }
      Refused refused = (Refused) accepted;
      if (refused.reason() == LedgerResult.Reason.DELTA_TOO_SMALL) {
        return deltaTooSmall(minDelta);
      }
      return refused(refused);
    }

    /**
     * Counts a new voucher of the channel; the 429 refusal when over the rate, else null. Over the
     * rate, the request first waits for the next one-second window (at most a second) and counts
     * again: a client that sends vouchers faster than the rate (the reference client signs one per
     * request) is slowed to it rather than refused; one that is still over the rate gets the 429.
     */
    @Nullable IntentOutcome rateLimit(String id) {
      if (!countVoucher(id, now)) {
        Instant later = now;
        try {
          long waitMillis = 1000 - Math.floorMod(v.clock().millis(), 1000L);
          Thread.sleep(Math.max(1, Math.min(1000, waitMillis)));
          later = v.clock().instant();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        if (later.getEpochSecond() != now.getEpochSecond() && countVoucher(id, later)) {
          return null;
        }
        return new IntentOutcome.Refuse(
            new Verification.Rejected(
                    ProblemType.RATE_LIMITED,
                    ReasonCode.of("session.voucher_rate_limited"),
                    "Too many new vouchers on this channel; send at most "
                        + options.voucherRatePerSecond()
                        + " per second.",
                    "Re-present the accepted voucher, or retry shortly.")
                .nothingPaid(),
            Map.of(),
            Duration.ofSeconds(1));
      }
      return null;
    }

    /** Counts one new voucher in the channel's window of {@code at}; false when over the rate. */
    private boolean countVoucher(String id, Instant at) {
      CounterResult rate =
          store.add(
              RATE_KEY_PREFIX + id + ":" + at.getEpochSecond(),
              1,
              options.voucherRatePerSecond(),
              RATE_WINDOW);
      return rate.accepted();
    }

    /** {@code topUp}: on chain, then the new deposit in the ledger. */
    Object topUp(SessionAction.TopUp topUp) throws PaymentMethodException {
      String id = topUp.channelId();
      ChannelState state = ledger.read(id);
      if (state == null) {
        return notFound();
      }
      if (state.closed() || state.closeRequested()) {
        return finalized();
      }
      SessionMethod.ChainResult result = method.topUp(topUp, state, v);
      if (result.refusal() != null) {
        return new IntentOutcome.Refuse(result.refusal());
      }
      OnChainChannel chain = Objects.requireNonNull(result.channel());
      LedgerResult recorded = ledger.recordDeposit(id, chain.deposit());
      if (recorded instanceof Refused refused) {
        if (refused.reason() == LedgerResult.Reason.DEPOSIT_DECREASED) {
          throw new IllegalStateException("the chain reports a deposit below the recorded one");
        }
        return refused(refused);
      }
      if (chain.closeRequestedAt() != null) {
        ledger.requestClose(id, Instant.ofEpochSecond(chain.closeRequestedAt().getEpochSecond()));
        return finalized();
      }
      ledger.touch(id, now);
      ChannelState after = ledger.read(id);
      return after != null
          ? after
          : refused(new Refused(LedgerResult.Reason.CHANNEL_NOT_FOUND, null));
    }

    /** {@code close}: capture exactly what was consumed; acknowledged with the close's hash. */
    IntentOutcome close(SessionAction.Close close) throws PaymentMethodException {
      String id = close.channelId();
      ChannelState state = ledger.read(id);
      if (state == null) {
        return notFound();
      }
      if (state.closed()) {
        return finalized();
      }
      BigInteger cumulative = close.cumulativeAmount();
      byte[] signature = close.signature();
      BigInteger consumed = state.spent().add(state.debt());
      if (cumulative.compareTo(consumed.max(state.settledOnChain())) < 0) {
        return refuse(
            ProblemType.VERIFICATION_FAILED,
            ReasonCode.of("session.close_below_spent"),
            "The closing voucher does not cover what the channel has spent.");
      }
      if (cumulative.compareTo(state.deposit()) > 0) {
        return refuse(
            ProblemType.SESSION_AMOUNT_EXCEEDS_DEPOSIT,
            ReasonCode.of("session.amount_exceeds_deposit"),
            "The voucher exceeds the channel's deposit.");
      }
      byte[] stored = state.voucherSignatureBytes();
      boolean known =
          cumulative.equals(state.acceptedCumulative())
              && stored != null
              && MessageDigest.isEqual(stored, signature);
      if (!known) {
        Verification.Rejected bad = method.verifyVoucher(state, cumulative, signature, v);
        if (bad != null) {
          return new IntentOutcome.Refuse(bad);
        }
        LedgerResult accepted = ledger.acceptCloseVoucher(id, cumulative, signature);
        if (accepted instanceof Refused refused) {
          return refused(refused);
        }
      }
      String busy = BUSY_KEY_PREFIX + id;
      String owner = store.claim(busy, BUSY_TTL);
      if (owner == null) {
        throw PaymentMethodException.of(
            methodName,
            ReasonCode.METHOD_UNAVAILABLE,
            "the channel is being settled or closed; retry shortly",
            challengeId,
            null,
            null);
      }
      try {
        ChannelState current = ledger.read(id);
        if (current == null) {
          return refused(new Refused(LedgerResult.Reason.CHANNEL_NOT_FOUND, null));
        }
        if (current.closed()) {
          return finalized();
        }
        BigInteger capture =
            current
                .spent()
                .add(current.debt())
                .max(current.settledOnChain())
                .min(current.acceptedCumulative());
        String txHash = method.close(current, capture);
        LedgerResult marked = ledger.markClosed(id, v.clock().instant(), capture);
        ChannelState closed =
            marked instanceof Updated u ? u.state() : Objects.requireNonNull(ledger.read(id));
        new ChannelIndex(store).remove(id);
        return new IntentOutcome.Acknowledge(receipt(closed, txHash));
      } finally {
        store.release(busy, owner);
      }
    }

    Receipt receipt(ChannelState state, @Nullable String txHash) {
      return SessionReceipts.of(methodName, challengeId, state, now, txHash);
    }

    IntentOutcome insufficient(InsufficientBalance ib) {
      ChannelState s = ib.state();
      Map<String, Object> members = new LinkedHashMap<>();
      members.put("channelId", s.channelId());
      members.put("requiredTopUp", ib.requiredTopUp().toString());
      members.put("requiredCumulative", ib.requiredCumulative().toString());
      members.put("acceptedCumulative", s.acceptedCumulative().toString());
      members.put("deposit", s.deposit().toString());
      return new IntentOutcome.Refuse(
          new Verification.Rejected(
                  ProblemType.SESSION_INSUFFICIENT_BALANCE,
                  ReasonCode.of("session.insufficient_balance"),
                  "The channel's accepted vouchers do not cover this request.",
                  ib.requiredCumulative().compareTo(s.deposit()) > 0
                      ? "Top up the channel, then send a voucher for requiredCumulative."
                      : "Send a voucher for requiredCumulative.")
              .nothingPaid(),
          members,
          null);
    }

    /** 410: the channel is not in the ledger (never opened here, forgotten, or gone on chain). */
    IntentOutcome notFound() {
      return refuse(
          ProblemType.SESSION_CHANNEL_NOT_FOUND,
          ReasonCode.of("session.channel_not_found"),
          "The channel is not known to this server.");
    }

    IntentOutcome refused(Refused refused) {
      switch (refused.reason()) {
        case CHANNEL_NOT_FOUND:
          return notFound();
        case CLOSE_REQUESTED:
        case CHANNEL_CLOSED:
          return finalized();
        case AMOUNT_EXCEEDS_DEPOSIT:
          return refuse(
              ProblemType.SESSION_AMOUNT_EXCEEDS_DEPOSIT,
              ReasonCode.of("session.amount_exceeds_deposit"),
              "The voucher exceeds the channel's deposit; top up first.");
        case VOUCHER_BELOW_ACCEPTED:
          return refuse(
              ProblemType.VERIFICATION_FAILED,
              ReasonCode.of("session.voucher_below_accepted"),
              "The voucher is below the highest voucher accepted on this channel.");
        default:
          return refuse(
              ProblemType.VERIFICATION_FAILED,
              ReasonCode.INTERNAL_ERROR,
              "The channel could not be updated.");
      }
    }
  }

  private static IntentOutcome finalized() {
    return refuse(
        ProblemType.SESSION_CHANNEL_FINALIZED,
        ReasonCode.of("session.channel_finalized"),
        "The channel is closed or closing; open a new one.");
  }

  private static IntentOutcome deltaTooSmall(BigInteger minDelta) {
    return refuse(
        ProblemType.SESSION_DELTA_TOO_SMALL,
        ReasonCode.of("session.delta_too_small"),
        "The voucher must add at least " + minDelta + " base units.");
  }

  private static IntentOutcome refuse(ProblemType type, ReasonCode reason, String detail) {
    return new IntentOutcome.Refuse(new Verification.Rejected(type, reason, detail).nothingPaid());
  }

  /** The offered price of one unit, in base units. */
  static BigInteger unitPrice(PaymentRequest offered) {
    String amount = offered.amount();
    if (amount == null || !PaymentRequest.isBaseUnits(amount)) {
      throw new IllegalStateException("the session offer has no amount in base units");
    }
    BigInteger price = new BigInteger(amount);
    if (price.signum() <= 0) {
      throw new IllegalStateException("the session offer's amount must be positive");
    }
    return price;
  }

  /** The offered {@code methodDetails.minVoucherDelta} in base units, zero when absent. */
  static BigInteger minVoucherDelta(PaymentRequest offered) {
    Object delta = offered.methodDetails().get("minVoucherDelta");
    if (delta == null) {
      return BigInteger.ZERO;
    }
    if (!(delta instanceof String s) || !PaymentRequest.isBaseUnits(s)) {
      throw new IllegalStateException("the session offer's minVoucherDelta is not base units");
    }
    return new BigInteger(s);
  }
}
