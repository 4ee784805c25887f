package io.mpp4j.test;

import io.mpp4j.core.Credential;
import io.mpp4j.core.Intent;
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
import io.mpp4j.spi.Delivery;
import io.mpp4j.spi.PaymentMethod;
import io.mpp4j.spi.PaymentMethodException;
import io.mpp4j.spi.Verification;
import io.mpp4j.spi.VerificationContext;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A payment method for tests and offline demos. It offers the route's price in the currency's minor
 * units and accepts a credential whose payload is {@code {"type":"mock","token":...}} — the kind
 * {@link MockPayer} produces — according to its {@link Mode}: accept, decline ({@code
 * verification-failed}) or fail (an outage, {@link PaymentMethodException}). It records every
 * credential it was asked to verify. No money moves. A payload that is not the mock's is refused as
 * decided before any payment network ({@link Verification.Rejected#nothingPaid()}: the gate frees
 * the challenge); a decline is treated like a processor's verdict (the challenge stays used).
 *
 * <p>With {@link #deferSettlement(boolean)} it settles like an authorize-then-capture method: the
 * verdict carries a {@link io.mpp4j.spi.Settlement} that records the {@link Delivery} the adapter
 * completes it with ({@link #deliveries()}, {@link #takeDelivery(Duration)} for a test that waits
 * for an asynchronous completion); {@link #failSettlement(boolean)} makes that completion fail as a
 * capture refused by the backend would.
 *
 * <p>It serves the {@code session} intent too ({@link SessionMethod}), without a chain: a channel
 * opens with a mock transaction carrying its deposit (at most {@link #maxDeposit}), vouchers are
 * signed with HMAC under a per-channel key derived from the mock's {@linkplain #sessionSecret
 * secret} and the channel id, and a simulated in-memory chain keeps each channel's deposit, settled
 * amount and close request. It is as strict as Tempo's: a voucher signed with another key, above
 * the deposit or for a descriptor naming another payee is refused; settle and close are recorded
 * ({@link #settlements()}, {@link #takeSettlement(Duration)}). {@link MockSessionClient} builds the
 * payer's credentials. Session requests name the recipient and the currency by mock addresses
 * ({@link #address(String)}), with {@code methodDetails} {@code {escrowContract, chainId,
 * sessionProtocol:"mock", operator?, minVoucherDelta?}}.
 *
 * <p>Thread-safe.
 *
 * <pre>{@code
 * MockPaymentMethod mock = MockPaymentMethod.create();
 * PaymentGate gate = PaymentGate.builder().realm("test").secret(secret).method(mock).build();
 * mock.mode(MockPaymentMethod.Mode.DECLINE);   // the next payments are declined
 * }</pre>
 */
public final class MockPaymentMethod implements PaymentMethod, SessionMethod {
  /** The method name on the wire. */
  public static final String NAME = "mock";

  /** The payload {@code type} the mock accepts. */
  public static final String PAYLOAD_TYPE = "mock";

  /** The escrow address of the mock's session requests ({@code "mock"} in ASCII, then zeros). */
  public static final String ESCROW = "0x6d6f636b00000000000000000000000000000000";

  /** The chain id of the mock's session requests ({@code "mock"} in ASCII as a number). */
  public static final long CHAIN_ID = 0x6d6f636bL;

  /** The {@code methodDetails.sessionProtocol} of the mock's session requests. */
  public static final String SESSION_PROTOCOL = "mock";

  /**
   * The session secret a mock starts with: public, like everything about the mock (it moves no
   * money); {@link MockSessionClient#create()} signs with it.
   */
  public static final String DEFAULT_SESSION_SECRET = "mpp4j-mock-session-secret";

  /** The largest deposit a mock channel takes by default, in human units of the currency. */
  public static final BigDecimal DEFAULT_MAX_DEPOSIT = new BigDecimal("1000");

  /** What the mock does with the next credentials. */
  public enum Mode {
    /** Verify and settle: a receipt with reference {@code mock_<challenge id>}. */
    ACCEPT,
    /** Refuse: 402 {@code verification-failed}, reason {@code mock.declined}. */
    DECLINE,
    /** Throw a {@link PaymentMethodException}, as an unreachable payment backend would. */
    FAIL
  }

  private final String name;
  private final String currency;
  private final int decimals;
  private final String recipient;
  private final String sessionRecipient;
  private final String sessionCurrency;
  private volatile Mode mode = Mode.ACCEPT;
  private volatile boolean deferSettlement;
  private volatile boolean failSettlement;
  private volatile @Nullable Map<String, Object> methodDetails;
  private volatile byte[] sessionSecret = DEFAULT_SESSION_SECRET.getBytes(StandardCharsets.UTF_8);
  private volatile BigDecimal maxDeposit = DEFAULT_MAX_DEPOSIT;
  private final MockSessions sessions = new MockSessions(this);

  /** How many credentials each history keeps (the oldest are dropped), so a demo never grows. */
  public static final int HISTORY_LIMIT = 10_000;

  private final History<Credential> received = new History<>();
  private final History<Credential> settled = new History<>();
  private final History<Delivery> deliveries = new History<>();

  /** Deliveries not yet taken by {@link #takeDelivery}, the oldest dropped past the limit. */
  private final BlockingQueue<Delivery> untaken = new LinkedBlockingQueue<>();

  /** A bounded, thread-safe history. */
  private static final class History<T> {
    private final java.util.ArrayDeque<T> items = new java.util.ArrayDeque<>();

    synchronized void add(T item) {
      if (items.size() == HISTORY_LIMIT) {
        items.removeFirst();
      }
      items.addLast(item);
    }

    synchronized List<T> snapshot() {
      return List.copyOf(items);
    }

    synchronized void clear() {
      items.clear();
    }
  }

  private MockPaymentMethod(String name, String currency, int decimals, String recipient) {
    this.name = name;
    this.currency = currency;
    this.decimals = decimals;
    this.recipient = recipient;
    // Session requests are built on every challenge and every verification: derive once.
    this.sessionRecipient = address(recipient);
    this.sessionCurrency = address(currency);
  }

  /** A mock charging US dollars (2 decimals) to recipient {@code mock-merchant}. */
  public static MockPaymentMethod create() {
    return create("usd", 2, "mock-merchant");
  }

  /**
   * A mock with its own currency.
   *
   * @throws IllegalArgumentException when {@code decimals} is not between 0 and 18
   */
  public static MockPaymentMethod create(String currency, int decimals, String recipient) {
    return create(NAME, currency, decimals, recipient);
  }

  /**
   * A mock under another method name, such as a second method beside the first so that offers can
   * be ordered; its challenges and receipts carry {@code name}.
   *
   * @throws IllegalArgumentException when {@code name} is empty or {@code decimals} is not between
   *     0 and 18
   */
  public static MockPaymentMethod create(
      String name, String currency, int decimals, String recipient) {
    Objects.requireNonNull(name, "name == null");
    Objects.requireNonNull(currency, "currency == null");
    Objects.requireNonNull(recipient, "recipient == null");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("name is empty");
    }
    if (decimals < 0 || decimals > 18) {
      throw new IllegalArgumentException("decimals must be 0 to 18, but was " + decimals);
    }
    return new MockPaymentMethod(name, currency, decimals, recipient);
  }

  /**
   * A {@code methodDetails} object the next requests carry (such as a chain id, to give them the
   * shape of a real method's), or null for none (the default). Returns this.
   */
  public MockPaymentMethod methodDetails(@Nullable Map<String, ?> details) {
    this.methodDetails =
        details == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(details));
    return this;
  }

  /**
   * The secret the per-channel voucher keys derive from (default {@value #DEFAULT_SESSION_SECRET});
   * a {@link MockSessionClient} with another secret makes vouchers this mock refuses. At least 16
   * characters. Returns this.
   */
  public MockPaymentMethod sessionSecret(String secret) {
    Objects.requireNonNull(secret, "secret == null");
    if (secret.length() < 16) {
      throw new IllegalArgumentException("sessionSecret must have at least 16 characters");
    }
    this.sessionSecret = secret.getBytes(StandardCharsets.UTF_8);
    return this;
  }

  /**
   * The largest deposit (and deposit after top-ups) a mock channel takes, in human units of the
   * currency (default {@code 1000}); larger opens and top-ups are refused. Returns this.
   */
  public MockPaymentMethod maxDeposit(BigDecimal max) {
    Objects.requireNonNull(max, "max == null");
    if (max.signum() <= 0) {
      throw new IllegalArgumentException("maxDeposit must be positive, but was " + max);
    }
    this.maxDeposit = max;
    return this;
  }

  byte[] sessionSecretBytes() {
    return sessionSecret;
  }

  BigInteger maxDepositBaseUnits() {
    return maxDeposit.movePointRight(decimals).setScale(0, RoundingMode.DOWN).toBigInteger();
  }

  /**
   * The mock address standing for a name, as session requests carry the recipient and the currency:
   * the name itself (lowercased) when it is already {@code 0x} and 40 hex digits, else 20 bytes
   * derived from it.
   */
  public static String address(String name) {
    return MockSessionCodec.addressFor(Objects.requireNonNull(name, "name == null"));
  }

  /**
   * The operator, settle and close transactions of the mock's session channels, in order (the last
   * {@value #HISTORY_LIMIT}).
   */
  public List<MockSettlement> settlements() {
    return sessions.settlements();
  }

  /**
   * The oldest settle or close not taken yet, waiting up to {@code timeout} for one (a session
   * handler may settle after the response, on another thread); null when none came.
   *
   * @throws InterruptedException when interrupted while waiting
   */
  public @Nullable MockSettlement takeSettlement(Duration timeout) throws InterruptedException {
    return sessions.untaken().poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** The channel as the mock's simulated chain holds it, or empty when it has none. */
  public Optional<OnChainChannel> onChain(String channelId) {
    return sessions.onChain(Objects.requireNonNull(channelId, "channelId == null"));
  }

  /**
   * Simulates the payer's {@code requestClose} on chain: from now on {@link #read} reports the
   * close request. Returns whether the channel is on the simulated chain.
   */
  public boolean requestClose(String channelId, Instant at) {
    return sessions.requestClose(
        Objects.requireNonNull(channelId, "channelId == null"), Objects.requireNonNull(at));
  }

  /**
   * Simulates a channel vanishing from the chain (withdrawn after a close request, or a reorg):
   * from now on {@link #read} answers empty. Returns whether it was there.
   */
  public boolean removeFromChain(String channelId) {
    return sessions.remove(Objects.requireNonNull(channelId, "channelId == null"));
  }

  /** Sets what the mock does with the next credentials; returns this. */
  public MockPaymentMethod mode(Mode newMode) {
    this.mode = Objects.requireNonNull(newMode, "mode == null");
    return this;
  }

  /** The current mode. */
  public Mode mode() {
    return mode;
  }

  /**
   * Whether the next accepted payments defer their settlement until the adapter reports what was
   * delivered (recorded in {@link #deliveries()}); default false (settled at verification). Returns
   * this.
   */
  public MockPaymentMethod deferSettlement(boolean defer) {
    this.deferSettlement = defer;
    return this;
  }

  /**
   * Whether the completion of the next deferred settlements fails, as a capture the backend
   * refuses: it records the delivery, then throws a {@link PaymentMethodException} with reason
   * {@code mock.capture_failed}. Default false. Returns this.
   */
  public MockPaymentMethod failSettlement(boolean fail) {
    this.failSettlement = fail;
    return this;
  }

  /**
   * What the deferred settlements were completed with, in order (the last {@value #HISTORY_LIMIT}).
   */
  public List<Delivery> deliveries() {
    return deliveries.snapshot();
  }

  /**
   * The oldest completion of a deferred settlement not taken yet, waiting up to {@code timeout} for
   * one (settlements may complete after the response, on another thread); null when none came.
   *
   * @throws InterruptedException when interrupted while waiting
   */
  public @Nullable Delivery takeDelivery(Duration timeout) throws InterruptedException {
    return untaken.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** How many completions of deferred settlements have not been taken by {@link #takeDelivery}. */
  public int untakenDeliveries() {
    return untaken.size();
  }

  /**
   * The credentials the gate asked this mock to verify, in order (the last {@value
   * #HISTORY_LIMIT}).
   */
  public List<Credential> received() {
    return received.snapshot();
  }

  /** The credentials this mock accepted (settled), in order (the last {@value #HISTORY_LIMIT}). */
  public List<Credential> settled() {
    return settled.snapshot();
  }

  /** Forgets what was recorded. */
  public void reset() {
    received.clear();
    settled.clear();
    deliveries.clear();
    untaken.clear();
    sessions.reset();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Set<Intent> intents() {
    return Set.of(Intent.CHARGE, Intent.SESSION);
  }

  @Override
  public PaymentRequest createRequest(Intent intent, PaymentRequirement requirement) {
    String minor = baseUnits("amount", requirement.amount());
    String routeCurrency = requirement.currency() != null ? requirement.currency() : currency;
    if (Intent.SESSION.equals(intent)) {
      return sessionRequest(requirement, minor, routeCurrency);
    }
    PaymentRequest.Builder b =
        PaymentRequest.builder().amount(minor).currency(routeCurrency).recipient(recipient);
    if (requirement.externalId() != null) {
      b.externalId(requirement.externalId());
    }
    Map<String, Object> details = methodDetails;
    if (details != null) {
      b.put("methodDetails", details);
    }
    return b.build();
  }

  private String baseUnits(String what, BigDecimal human) {
    BigDecimal minor = human.movePointRight(decimals);
    if (minor.stripTrailingZeros().scale() > 0) {
      throw new IllegalArgumentException(
          what
              + " "
              + human.toPlainString()
              + " has more than "
              + decimals
              + " decimals for currency "
              + currency);
    }
    return minor.setScale(0, RoundingMode.UNNECESSARY).toBigInteger().toString();
  }

  private PaymentRequest sessionRequest(
      PaymentRequirement requirement, String minor, String routeCurrency) {
    if (new BigInteger(minor).signum() <= 0) {
      throw new IllegalArgumentException("a session's amount per unit must be positive");
    }
    SessionTerms terms = requirement.session();
    PaymentRequest.Builder b =
        PaymentRequest.builder()
            .amount(minor)
            .currency(routeCurrency.equals(currency) ? sessionCurrency : address(routeCurrency))
            .recipient(sessionRecipient)
            .put("unitType", terms == null ? "request" : terms.unitType());
    if (terms != null && terms.suggestedDeposit() != null) {
      b.put("suggestedDeposit", baseUnits("suggestedDeposit", terms.suggestedDeposit()));
    }
    Map<String, Object> details = new LinkedHashMap<>();
    Map<String, Object> extra = methodDetails;
    if (extra != null) {
      details.putAll(extra);
    }
    details.put("escrowContract", ESCROW);
    details.put("chainId", CHAIN_ID);
    details.put("sessionProtocol", SESSION_PROTOCOL);
    if (terms != null && terms.minVoucherDelta() != null) {
      details.put("minVoucherDelta", baseUnits("minVoucherDelta", terms.minVoucherDelta()));
    }
    b.put("methodDetails", details);
    return b.build();
  }

  @Override
  public Verification verify(VerificationContext context) throws PaymentMethodException {
    Credential credential = context.credential();
    received.add(credential);
    if (Intent.SESSION.equals(context.challenge().intent())) {
      // Session credentials go through the session handler (SessionMethod); reaching here means
      // no such handler runs for the route: fail closed.
      return Verification.rejected(
              ProblemType.INVALID_PAYLOAD,
              ReasonCode.of("mock.session_without_handler"),
              "Session credentials are verified by the session handler, which is not installed.")
          .nothingPaid();
    }
    Object type = credential.payload().get("type");
    Object token = credential.payload().get("token");
    if (!PAYLOAD_TYPE.equals(type) || !(token instanceof String)) {
      return Verification.rejected(
              ProblemType.INVALID_PAYLOAD,
              ReasonCode.of("mock.payload_invalid"),
              "The mock method expects a payload {\"type\":\"mock\",\"token\":\"...\"}.")
          .nothingPaid(); // nothing was sent anywhere: the gate releases the challenge
    }
    switch (mode) {
      case DECLINE:
        return Verification.rejected(
            ProblemType.VERIFICATION_FAILED,
            ReasonCode.of("mock.declined"),
            "The mock payment was declined.");
      case FAIL:
        throw PaymentMethodException.of(
            name,
            ReasonCode.of("mock.unavailable"),
            "the mock payment backend is failing on purpose",
            context.challenge().id(),
            null,
            null);
      case ACCEPT:
      default:
        settled.add(credential);
        Receipt receipt =
            Receipt.success(name, "mock_" + context.challenge().id(), context.clock().instant())
                .withExternalId(context.request().externalId());
        if (deferSettlement) {
          String id = context.challenge().id();
          return new Verification.Verified(receipt, delivery -> complete(delivery, id));
        }
        return Verification.verified(receipt);
    }
  }

  @Override
  public ParsedAction parse(VerificationContext context) {
    received.add(context.credential());
    return sessions.parse(context);
  }

  @Override
  public Verification.@Nullable Rejected verifyVoucher(
      ChannelState channel,
      BigInteger cumulativeAmount,
      byte[] signature,
      VerificationContext context) {
    return sessions.verifyVoucher(channel, cumulativeAmount, signature, context);
  }

  @Override
  public OpenResult open(SessionAction.Open open, VerificationContext context)
      throws PaymentMethodException {
    return sessions.open(open, context);
  }

  @Override
  public ChainResult topUp(
      SessionAction.TopUp topUp, ChannelState channel, VerificationContext context)
      throws PaymentMethodException {
    return sessions.topUp(topUp, channel, context);
  }

  @Override
  public Optional<OnChainChannel> read(ChannelState channel) throws PaymentMethodException {
    return sessions.read(channel);
  }

  @Override
  public String settle(ChannelState channel) throws PaymentMethodException {
    return sessions.settle(channel);
  }

  @Override
  public String close(ChannelState channel, BigInteger capture) throws PaymentMethodException {
    return sessions.close(channel, capture);
  }

  private void complete(Delivery delivery, String challengeId) throws PaymentMethodException {
    Objects.requireNonNull(delivery, "delivery == null");
    deliveries.add(delivery);
    synchronized (untaken) {
      if (untaken.size() == HISTORY_LIMIT) {
        untaken.poll();
      }
      untaken.add(delivery);
    }
    if (failSettlement) {
      throw PaymentMethodException.of(
          name,
          ReasonCode.of("mock.capture_failed"),
          "the mock capture is failing on purpose",
          challengeId,
          null,
          null);
    }
  }

  @Override
  public String toString() {
    return "MockPaymentMethod{name=" + name + ", currency=" + currency + ", mode=" + mode + "}";
  }
}
