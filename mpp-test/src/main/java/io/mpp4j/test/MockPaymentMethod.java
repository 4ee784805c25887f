package io.mpp4j.test;

import io.mpp4j.core.Credential;
import io.mpp4j.core.Intent;
import io.mpp4j.core.PaymentRequest;
import io.mpp4j.core.PaymentRequirement;
import io.mpp4j.core.Receipt;
import io.mpp4j.core.problem.ProblemType;
import io.mpp4j.core.problem.ReasonCode;
import io.mpp4j.spi.Delivery;
import io.mpp4j.spi.PaymentMethod;
import io.mpp4j.spi.PaymentMethodException;
import io.mpp4j.spi.Verification;
import io.mpp4j.spi.VerificationContext;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 * <p>Thread-safe.
 *
 * <pre>{@code
 * MockPaymentMethod mock = MockPaymentMethod.create();
 * PaymentGate gate = PaymentGate.builder().realm("test").secret(secret).method(mock).build();
 * mock.mode(MockPaymentMethod.Mode.DECLINE);   // the next payments are declined
 * }</pre>
 */
public final class MockPaymentMethod implements PaymentMethod {
  /** The method name on the wire. */
  public static final String NAME = "mock";

  /** The payload {@code type} the mock accepts. */
  public static final String PAYLOAD_TYPE = "mock";

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
  private volatile Mode mode = Mode.ACCEPT;
  private volatile boolean deferSettlement;
  private volatile boolean failSettlement;
  private volatile @Nullable Map<String, Object> methodDetails;

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
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Set<Intent> intents() {
    return Set.of(Intent.CHARGE);
  }

  @Override
  public PaymentRequest createRequest(Intent intent, PaymentRequirement requirement) {
    BigDecimal minor = requirement.amount().movePointRight(decimals);
    if (minor.stripTrailingZeros().scale() > 0) {
      throw new IllegalArgumentException(
          "amount "
              + requirement.amount().toPlainString()
              + " has more than "
              + decimals
              + " decimals for currency "
              + currency);
    }
    PaymentRequest.Builder b =
        PaymentRequest.builder()
            .amount(minor.setScale(0, RoundingMode.UNNECESSARY).toBigInteger().toString())
            .currency(requirement.currency() != null ? requirement.currency() : currency)
            .recipient(recipient);
    if (requirement.externalId() != null) {
      b.externalId(requirement.externalId());
    }
    Map<String, Object> details = methodDetails;
    if (details != null) {
      b.put("methodDetails", details);
    }
    return b.build();
  }

  @Override
  public Verification verify(VerificationContext context) throws PaymentMethodException {
    Credential credential = context.credential();
    received.add(credential);
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
