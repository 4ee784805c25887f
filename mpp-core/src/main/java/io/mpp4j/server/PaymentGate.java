package io.mpp4j.server;

import io.mpp4j.core.BodyDigest;
import io.mpp4j.core.Challenge;
import io.mpp4j.core.Credential;
import io.mpp4j.core.Intent;
import io.mpp4j.core.MalformedMessageException;
import io.mpp4j.core.PaymentRequirement;
import io.mpp4j.core.RequestView;
import io.mpp4j.core.binding.ChallengeBinder;
import io.mpp4j.core.binding.ChallengeSecret;
import io.mpp4j.core.internal.HeaderText;
import io.mpp4j.core.internal.RouteBinding;
import io.mpp4j.core.problem.Problem;
import io.mpp4j.core.problem.ProblemType;
import io.mpp4j.core.problem.ReasonCode;
import io.mpp4j.server.session.SessionHandler;
import io.mpp4j.server.session.SessionMethod;
import io.mpp4j.server.session.SessionOptions;
import io.mpp4j.server.session.SessionSettler;
import io.mpp4j.spi.PaymentMethod;
import io.mpp4j.spi.PaymentMethodException;
import io.mpp4j.spi.Verification;
import io.mpp4j.spi.VerificationContext;
import io.mpp4j.store.InMemoryReplayStore;
import io.mpp4j.store.ReplayStore;
import io.mpp4j.store.StateStore;
import io.mpp4j.store.StoreUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The framework-neutral MPP server engine. For a route's {@link PaymentRequirement} and a view of
 * the incoming request it returns a {@link GateResult}: {@link GateResult.PaymentRequired} (no
 * credential), {@link GateResult.Paid} (verified: deliver and attach the receipt) or {@link
 * GateResult.Rejected} (with a problem and fresh challenges).
 *
 * <p>Verification order: extract the credential (several → 400 {@code bad-request}); decode it
 * ({@code malformed-credential}); check the HMAC binding under the current and previous secrets
 * ({@code invalid-challenge}, or 400 {@code method-unsupported} when the method is unknown here);
 * check that this route offers the echoed realm, method, intent, opaque data and pinned request
 * fields ({@code invalid-challenge}); check {@code expires} (missing or unparsable: {@code
 * invalid-challenge}; past: {@code payment-expired}); check the body digest ({@code
 * invalid-challenge}); ask the {@link PayerPolicy} (403 {@code forbidden}); claim the challenge id
 * so it is used once ({@code invalid-challenge}); then let the payment method verify and settle.
 *
 * <p>Each of these stages is a method of its own. Two seams open the lifecycle: {@linkplain
 * Builder#preClaimStep pre-claim steps} run after the payer policy and before the claim (idempotent
 * replay, spend reservations), and the {@linkplain Builder#intentHandler intent handler} of the
 * challenge's intent replaces "the payment method verifies and settles" ({@link
 * IntentHandler#CHARGE}, the default).
 *
 * <p>The challenge claim makes one verification of a challenge run at a time and a settled
 * challenge single-use. It is released again when the method answers without a verdict ({@link
 * PaymentMethodException}, a store outage) or refuses with nothing paid ({@link
 * Verification.Rejected#mayHavePaid()} false: refused before anything left this server, or refused
 * for good by the payment network), so unpaid, refused attempts never hold replay store capacity. A
 * refusal under which something may have been paid, and a defect in the method, keep it.
 *
 * <p>Immutable and thread-safe; build one per application and share it.
 *
 * <pre>{@code
 * PaymentGate gate = PaymentGate.builder()
 *     .realm("api.example.com")
 *     .secret(ChallengeSecret.of(System.getenv("MPP_SECRET_KEY")))
 *     .method(tempoMethod)
 *     .build();
 * GateResult result = gate.evaluate(requirement, requestView);
 * }</pre>
 */
public final class PaymentGate {
  /** Default challenge lifetime. */
  public static final Duration DEFAULT_CHALLENGE_TTL = Duration.ofMinutes(5);

  /** How long a used challenge id stays claimed after its expiry, to cover clock skew. */
  public static final Duration CLAIM_GRACE = Duration.ofMinutes(1);

  /**
   * The {@code opaque} key under which every challenge carries a nonce, so that two challenges for
   * the same route issued in the same second still have distinct ids (ids are single-use, and
   * Tempo's attribution memo is derived from them). Reserved: applications cannot use it.
   */
  public static final String NONCE_KEY = "_mpp4j_n";

  private static final long MAX_CLAIM_SECONDS = Duration.ofDays(2).toSeconds();

  private static final long CLAIM_GRACE_SECONDS = CLAIM_GRACE.toSeconds();
  private static final String CLAIM_PREFIX = "mpp:challenge:";

  private final String realm;
  private final ChallengeBinder binder;
  private final Clock clock;
  private final Map<String, PaymentMethod> methods;
  private final StateStore store;
  private final PayerPolicy payerPolicy;
  private final List<PreClaimStep> preClaimSteps;
  private final Map<Intent, IntentHandler> intentHandlers;
  private final SessionOptions sessionOptions;
  private final Offers offers;
  private final GateEvents events;

  /** One stage of the lifecycle: null to go on, or the request's result. */
  @FunctionalInterface
  private interface Stage {
    @Nullable GateResult run(Attempt attempt);
  }

  /** The stages before the intent's own handling, in order. */
  private final List<Stage> stages =
      List.of(
          this::extractCredential,
          this::decode,
          this::checkBinding,
          this::checkRoute,
          this::checkExpiry,
          this::checkBodyDigest,
          this::checkPayerPolicy,
          this::runPreClaimSteps,
          this::claim);

  private PaymentGate(Builder b) {
    this.realm = b.realm;
    this.binder = ChallengeBinder.of(b.secret, b.previousSecrets);
    this.clock = b.clock;
    this.methods = Collections.unmodifiableMap(new LinkedHashMap<>(b.methods));
    this.store = b.store != null ? b.store : InMemoryReplayStore.ofDefaults();
    this.payerPolicy = b.payerPolicy;
    this.preClaimSteps = List.copyOf(b.preClaimSteps);
    Map<Intent, IntentHandler> handlers = new HashMap<>(b.intentHandlers);
    if (!handlers.containsKey(Intent.SESSION) && !sessionMethods(methods).isEmpty()) {
      handlers.put(Intent.SESSION, new SessionHandler(b.sessionOptions));
    }
    this.intentHandlers = Map.copyOf(handlers);
    this.sessionOptions = b.sessionOptions;
    this.offers =
        new Offers(realm, binder, clock, b.challengeTtl, methods, b.paymentAuthorizationHeader);
    this.events = new GateEvents(b.listeners);
  }

  /** Starts a builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The realm this gate issues challenges for. */
  public String realm() {
    return realm;
  }

  /** The clock. */
  public Clock clock() {
    return clock;
  }

  StateStore store() {
    return store;
  }

  /** The session policy ({@link Builder#sessionOptions}). */
  public SessionOptions sessionOptions() {
    return sessionOptions;
  }

  /**
   * Starts the background settlement of this gate's payment sessions (see {@link SessionSettler}):
   * one scheduler thread over the gate's store, its registered session methods and its {@link
   * #sessionOptions()}. Call it once at startup and {@link SessionSettler#close()} it at shutdown
   * (which settles what is owed).
   *
   * @return the running settler, or null when no registered method serves sessions
   */
  public @Nullable SessionSettler startSessionSettler() {
    Map<String, SessionMethod> sessions = sessionMethods(methods);
    if (sessions.isEmpty()) {
      return null;
    }
    SessionSettler settler = new SessionSettler(store, sessions, sessionOptions, clock);
    settler.start();
    return settler;
  }

  /** The registered methods that serve the session intent, by name. */
  private static Map<String, SessionMethod> sessionMethods(Map<String, PaymentMethod> methods) {
    Map<String, SessionMethod> out = new LinkedHashMap<>();
    methods.forEach(
        (name, m) -> {
          if (m instanceof SessionMethod s && m.intents().contains(Intent.SESSION)) {
            out.put(name, s);
          }
        });
    return out;
  }

  /**
   * Evaluates one request against a route's requirement.
   *
   * @param requirement what the route costs
   * @param request the incoming request
   * @return the sealed result; never null, never throws for bad client input
   */
  public GateResult evaluate(PaymentRequirement requirement, RequestView request) {
    Objects.requireNonNull(request, "request == null");
    return evaluate(request.path(), requirement, request);
  }

  /**
   * Evaluates one request against a route's requirement and tells the {@linkplain Builder#listener
   * listeners} what happened: {@link PaymentEvent.Type#CHALLENGE_ISSUED}, {@link
   * PaymentEvent.Type#REFUSED} or {@link PaymentEvent.Type#VERIFIED} (followed by {@link
   * PaymentEvent.Type#SETTLED} when the method settled while verifying, that is when {@link
   * GateResult.Paid#settlement()} is null).
   *
   * @param route the route's name for events (an adapter's route name, or the path)
   * @param requirement what the route costs
   * @param request the incoming request
   * @return the sealed result; never null, never throws for bad client input
   */
  public GateResult evaluate(String route, PaymentRequirement requirement, RequestView request) {
    Objects.requireNonNull(route, "route == null");
    Objects.requireNonNull(requirement, "requirement == null");
    Objects.requireNonNull(request, "request == null");
    Attempt attempt = new Attempt(route, requirement, request, offers.of(requirement));
    GateResult result = decide(attempt);
    events.emit(route, requirement, result, attempt);
    return result;
  }

  /** The lifecycle: the stages in order, then the intent's own handling, settlement and receipt. */
  private GateResult decide(Attempt a) {
    for (Stage stage : stages) {
      GateResult result = stage.run(a);
      if (result != null) {
        return result;
      }
    }
    return handleIntent(a);
  }

  /** 1. Extract the one credential token; none: ask for payment. */
  private @Nullable GateResult extractCredential(Attempt a) {
    try {
      a.token = CredentialExtractor.extractSingleToken(a.request);
    } catch (MalformedMessageException e) {
      return reject(
          a, ProblemType.MALFORMED_CREDENTIAL, ReasonCode.CREDENTIAL_MALFORMED, e.getMessage());
    } catch (CredentialExtractor.MultipleCredentials e) {
      return new GateResult.Rejected(
          Problem.of(
              ProblemType.BAD_REQUEST,
              ReasonCode.MULTIPLE_CREDENTIALS,
              "The request carries more than one Payment credential; send exactly one."),
          List.of(),
          null);
    }
    if (a.token == null) {
      List<Challenge> challenges = offers.issue(a.offers, a.requirement, a.request);
      Problem problem =
          Problem.of(
                  ProblemType.PAYMENT_REQUIRED,
                  ReasonCode.CREDENTIAL_MISSING,
                  "Payment is required.")
              .withChallengeId(challenges.get(0).id());
      return new GateResult.PaymentRequired(challenges, problem);
    }
    return null;
  }

  /** 2. Decode the credential. */
  private @Nullable GateResult decode(Attempt a) {
    CredentialExtractor.Token token = Objects.requireNonNull(a.token);
    try {
      a.credential = Credential.parseToken(token.text(), token.start(), Offers.requests(a.offers));
    } catch (MalformedMessageException e) {
      return reject(
          a, ProblemType.MALFORMED_CREDENTIAL, ReasonCode.CREDENTIAL_MALFORMED, e.getMessage());
    }
    return null;
  }

  /** 3. The HMAC binding: the echoed challenge is one this server issued, unchanged. */
  private @Nullable GateResult checkBinding(Attempt a) {
    Challenge echo = a.credential().challenge();
    if (!binder.verify(echo)) {
      if (!methods.containsKey(echo.method())) {
        return new GateResult.Rejected(
            Problem.of(
                ProblemType.METHOD_UNSUPPORTED,
                ReasonCode.METHOD_UNSUPPORTED,
                "This server does not accept the payment method of the credential."),
            offers.issue(a.offers, a.requirement, a.request),
            null);
      }
      return reject(
          a,
          ProblemType.INVALID_CHALLENGE,
          ReasonCode.CHALLENGE_ID_MISMATCH,
          "The challenge id does not match the challenge.");
    }
    a.bound = true;
    return null;
  }

  /** 3b. The route binding: the echo must be what this route would issue now. */
  private @Nullable GateResult checkRoute(Attempt a) {
    Challenge echo = a.credential().challenge();
    if (!realm.equals(echo.realm())) {
      return reject(
          a,
          ProblemType.INVALID_CHALLENGE,
          ReasonCode.REALM_MISMATCH,
          "The challenge was issued for another realm.");
    }
    a.offer =
        a.requirement.intent().equals(echo.intent()) ? Offers.find(a.offers, echo.method()) : null;
    if (a.offer == null) {
      return reject(
          a,
          ProblemType.INVALID_CHALLENGE,
          ReasonCode.OFFER_MISMATCH,
          "This route does not offer the challenge's payment method and intent.");
    }
    if (!Offers.opaqueMatches(a.requirement.opaque(), echo.opaque())) {
      return reject(
          a,
          ProblemType.INVALID_CHALLENGE,
          ReasonCode.OPAQUE_MISMATCH,
          "The challenge was issued for another route.");
    }
    Offers.Offer offer = a.offer();
    String mismatch =
        offer.request().equals(echo.request())
            ? null // the usual case: the echo is exactly what this route offers
            : RouteBinding.firstMismatch(
                offer.request(),
                echo.request(),
                offer.method().boundFields(a.requirement.intent()));
    if (mismatch != null) {
      return reject(
          a,
          ProblemType.INVALID_CHALLENGE,
          ReasonCode.REQUEST_MISMATCH,
          "The challenge's `" + mismatch + "` does not match this route.");
    }
    return null;
  }

  /** 4. Expiry: present, an RFC 3339 date-time, not past. */
  private @Nullable GateResult checkExpiry(Attempt a) {
    Challenge echo = a.credential().challenge();
    if (echo.expires() == null) {
      return reject(
          a,
          ProblemType.INVALID_CHALLENGE,
          ReasonCode.EXPIRES_MISSING,
          "The challenge has no expiry.");
    }
    Instant expires = echo.expiresAt();
    if (expires == null) {
      return reject(
          a,
          ProblemType.INVALID_CHALLENGE,
          ReasonCode.EXPIRES_INVALID,
          "The challenge expiry is not an RFC 3339 date-time.");
    }
    Instant now = clock.instant();
    if (now.isAfter(expires)) {
      return reject(
          a,
          ProblemType.PAYMENT_EXPIRED,
          ReasonCode.CHALLENGE_EXPIRED,
          "The challenge has expired.");
    }
    a.expires = expires;
    a.checkedAt = now;
    return null;
  }

  /** 5. The body digest: the body the challenge was issued for, or none when the route binds it. */
  private @Nullable GateResult checkBodyDigest(Attempt a) {
    Challenge echo = a.credential().challenge();
    byte[] body = a.request.body();
    boolean hasBody = body != null && body.length > 0;
    if (echo.digest() != null) {
      if (!BodyDigest.matches(echo.digest(), body == null ? new byte[0] : body)) {
        return reject(
            a,
            ProblemType.INVALID_CHALLENGE,
            ReasonCode.DIGEST_MISMATCH,
            "The request body does not match the challenge digest.");
      }
    } else if (hasBody && a.requirement.bindBody()) {
      return reject(
          a,
          ProblemType.INVALID_CHALLENGE,
          ReasonCode.DIGEST_MISMATCH,
          "The challenge is not bound to this request body.");
    }
    return null;
  }

  /** 6. The application's policy, before anything is claimed or charged. */
  private @Nullable GateResult checkPayerPolicy(Attempt a) {
    if (payerPolicy.allows(a.credential(), a.request)) {
      return null;
    }
    return new GateResult.Rejected(
        Problem.of(
            ProblemType.FORBIDDEN,
            ReasonCode.POLICY_DENIED,
            "This payer is not allowed to pay for this resource."),
        List.of(),
        null);
  }

  /** 7. The pre-claim steps (idempotent replay, spend reservations), in order. */
  private @Nullable GateResult runPreClaimSteps(Attempt a) {
    if (preClaimSteps.isEmpty()) {
      return null;
    }
    PreClaimContext context = new PreClaimContext(this, a);
    for (PreClaimStep step : preClaimSteps) {
      GateResult.Rejected refused;
      try {
        refused = step.beforeClaim(context);
      } catch (StoreUnavailableException e) {
        return unavailable(a, ReasonCode.STORE_UNAVAILABLE);
      } catch (RuntimeException e) {
        // A defect in the step: fail closed, with nothing claimed or charged.
        return reject(
            a,
            ProblemType.VERIFICATION_FAILED,
            ReasonCode.INTERNAL_ERROR,
            "The payment could not be verified.");
      }
      if (refused != null) {
        return refused;
      }
    }
    return null;
  }

  /** 8. Single use: claim the challenge id, with an owner token only this request holds. */
  private @Nullable GateResult claim(Attempt a) {
    if (handlerFor(a) instanceof ReusableChallengeHandler) {
      return null; // the handler makes its own proof single-use (sessions: the channel ledger)
    }
    String claimKey = CLAIM_PREFIX + a.credential().challenge().id();
    // An expiry is never further than the longest TTL a gate allows (24 h) unless the secret is
    // shared with a misconfigured issuer; cap the claim so no arithmetic can overflow.
    // Whole seconds are enough for a claim's lifetime (plain arithmetic: Duration.between goes
    // through the generic Temporal API and cost about 5 % of a verification).
    long secondsLeft =
        a.expires().getEpochSecond() - Objects.requireNonNull(a.checkedAt).getEpochSecond() + 1;
    Duration claimTtl =
        Duration.ofSeconds(Math.min(secondsLeft, MAX_CLAIM_SECONDS) + CLAIM_GRACE_SECONDS);
    try {
      String owner = store.claim(claimKey, claimTtl);
      if (owner == null) {
        return reject(
            a,
            ProblemType.INVALID_CHALLENGE,
            ReasonCode.CHALLENGE_USED,
            "The challenge was already used.");
      }
      a.claimKey = claimKey;
      a.claimOwner = owner;
    } catch (StoreUnavailableException e) {
      return unavailable(a, ReasonCode.STORE_UNAVAILABLE);
    }
    return null;
  }

  /** 9. The intent's own handling (the method verifies and settles), then the receipt. */
  private GateResult handleIntent(Attempt a) {
    Offers.Offer offer = a.offer();
    Credential credential = a.credential();
    VerificationContext context =
        VerificationContext.of(
            credential, offer.request(), a.requirement, a.request, store, clock, a.expires());
    IntentHandler handler = handlerFor(a);
    IntentOutcome outcome;
    try {
      outcome = handler.handle(new IntentContext(a.route, offer.method(), context));
    } catch (PaymentMethodException e) {
      // Nothing was delivered; let the client retry with the same credential. The method keeps
      // its own replay key if anything reached the payment network.
      releaseClaim(a);
      return unavailable(a, e.reason());
    } catch (StoreUnavailableException e) {
      releaseClaim(a);
      return unavailable(a, ReasonCode.STORE_UNAVAILABLE);
    } catch (RuntimeException e) {
      return defect(a); // keep the challenge used
    }
    return receipt(a, outcome);
  }

  /**
   * 10. The outcome as the gate's result: the receipt (and any deferred settlement), or why not.
   */
  private GateResult receipt(Attempt a, @Nullable IntentOutcome outcome) {
    if (outcome instanceof IntentOutcome.Deliver d) {
      return new GateResult.Paid(d.receipt(), a.credential(), d.settlement());
    }
    if (outcome instanceof IntentOutcome.Stream s) {
      return new GateResult.Paid(s.receipt(), a.credential(), s.settlement(), s.stream());
    }
    if (outcome instanceof IntentOutcome.Acknowledge ack) {
      return new GateResult.Acknowledged(ack.receipt(), a.credential());
    }
    if (!(outcome instanceof IntentOutcome.Refuse refuse)) {
      return defect(a); // a handler that answers nothing: fail closed, keep the challenge used
    }
    Verification.Rejected r = refuse.rejection();
    if (!r.mayHavePaid()) {
      // Nothing was paid: the claim has done its job (one verification at a time). Keeping it would
      // let junk credentials fill the shared store and lock every payer out; releasing it lets the
      // payer retry the same challenge.
      releaseClaim(a);
    }
    GateResult.Rejected rejected = reject(a, r.type(), r.reason(), r.detail());
    if (r.hint() == null && refuse.extensions().isEmpty() && refuse.retryAfter() == null) {
      return rejected;
    }
    Problem problem = rejected.problem().withExtensions(refuse.extensions());
    return new GateResult.Rejected(
        r.hint() == null ? problem : problem.withHint(r.hint()),
        rejected.challenges(),
        refuse.retryAfter());
  }

  private IntentHandler handlerFor(Attempt a) {
    return intentHandlers.getOrDefault(a.requirement.intent(), IntentHandler.CHARGE);
  }

  /** A defect in a handler or method: fail closed. */
  private GateResult.Rejected defect(Attempt a) {
    return reject(
        a,
        ProblemType.VERIFICATION_FAILED,
        ReasonCode.INTERNAL_ERROR,
        "The payment could not be verified.");
  }

  private void releaseClaim(Attempt a) {
    if (a.claimKey == null) {
      return; // nothing claimed: the intent's handler keeps challenges reusable
    }
    try {
      store.release(Objects.requireNonNull(a.claimKey), Objects.requireNonNull(a.claimOwner));
    } catch (StoreUnavailableException ignored) {
      // The claim expires on its own; the client then gets a fresh challenge.
    }
  }

  /**
   * Tells the listeners how a deferred {@link io.mpp4j.spi.Settlement} of a paid request ended.
   * Adapters call it once, right after {@code Settlement.complete}: {@link
   * PaymentEvent.Type#SETTLED} or {@link PaymentEvent.Type#CANCELLED}, or on failure {@link
   * PaymentEvent.Type#SETTLEMENT_FAILED} or {@link PaymentEvent.Type#CANCELLATION_FAILED}.
   *
   * @param route the route's name, as given to {@link #evaluate(String, PaymentRequirement,
   *     RequestView)}
   * @param paid the result whose settlement completed
   * @param delivered whether the settlement was completed as delivered (capture) or not (cancel)
   * @param failure what the settlement threw, or null; only a {@link PaymentMethodException}'s
   *     message (mpp4j's own words) reaches the event, otherwise the exception's class name
   */
  public void settlementCompleted(
      String route, GateResult.Paid paid, boolean delivered, @Nullable Exception failure) {
    Objects.requireNonNull(route, "route == null");
    Objects.requireNonNull(paid, "paid == null");
    events.settlementCompleted(route, paid, delivered, failure);
  }

  /** Issues fresh challenges for a route, ordered by the request's {@code Accept-Payment}. */
  public List<Challenge> issueChallenges(PaymentRequirement requirement, RequestView request) {
    Objects.requireNonNull(requirement, "requirement == null");
    Objects.requireNonNull(request, "request == null");
    return offers.issue(offers.of(requirement), requirement, request);
  }

  /** A refusal: the problem, and fresh challenges (the first one's id in a 402's problem). */
  GateResult.Rejected reject(Attempt a, ProblemType type, ReasonCode reason, String detail) {
    List<Challenge> fresh = offers.issue(a.offers, a.requirement, a.request);
    Problem problem = Problem.of(type, reason, detail);
    if (type.status() == 402) {
      problem = problem.withChallengeId(fresh.get(0).id());
    }
    return new GateResult.Rejected(problem, fresh, null);
  }

  private GateResult.Rejected unavailable(Attempt a, ReasonCode reason) {
    GateResult.Rejected r =
        reject(
            a,
            ProblemType.VERIFICATION_FAILED,
            reason,
            "The payment could not be completed right now; retry the same credential.");
    return new GateResult.Rejected(
        r.problem().withHint("Retry the same credential shortly."),
        r.challenges(),
        Duration.ofSeconds(2));
  }

  /** {@code base64url(JCS(opaque + nonce))}. */
  static String encodeOpaque(Map<String, String> opaque, String nonce) {
    return Offers.encodeOpaque(opaque, nonce);
  }

  /** Whether the echoed opaque is the route's opaque data, plus (optionally) a nonce. */
  static boolean opaqueMatches(Map<String, String> expected, @Nullable String echoed) {
    return Offers.opaqueMatches(expected, echoed);
  }

  /**
   * Checks that a requirement can be offered (every method exists, serves the intent and accepts
   * the price). Call it at startup so configuration errors surface before the first request.
   *
   * @throws IllegalStateException or IllegalArgumentException naming what is wrong
   */
  public void validate(PaymentRequirement requirement) {
    offers.of(Objects.requireNonNull(requirement, "requirement == null"));
  }

  /** Builds a {@link PaymentGate}. Not thread-safe. */
  public static final class Builder {
    private @Nullable String realmValue;
    private String realm = "";
    private @Nullable ChallengeSecret secret;
    private final List<ChallengeSecret> previousSecrets = new ArrayList<>();
    private Clock clock = Clock.systemUTC();
    private Duration challengeTtl = DEFAULT_CHALLENGE_TTL;
    private final Map<String, PaymentMethod> methods = new LinkedHashMap<>();
    private @Nullable StateStore store;
    private boolean paymentAuthorizationHeader;
    private PayerPolicy payerPolicy = PayerPolicy.ALLOW_ALL;
    private final List<PaymentListener> listeners = new ArrayList<>();
    private final List<PreClaimStep> preClaimSteps = new ArrayList<>();
    private final Map<Intent, IntentHandler> intentHandlers = new HashMap<>();
    private SessionOptions sessionOptions = SessionOptions.defaults();

    private Builder() {
      listeners.add(new LoggingPaymentListener());
    }

    /**
     * Adds a listener told what happened on every request ({@link PaymentEvent}). Listeners are
     * called in order, after the {@link LoggingPaymentListener} every gate starts with; one that
     * throws is logged and skipped and never changes the payment's outcome.
     */
    public Builder listener(PaymentListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener == null"));
      return this;
    }

    /**
     * Adds a step run after every check of a credential and before the challenge is claimed (see
     * {@link PreClaimStep}): idempotent replays and spend reservations. Steps run in the order
     * added; the first that refuses ends the request, with nothing claimed or charged.
     */
    public Builder preClaimStep(PreClaimStep step) {
      preClaimSteps.add(Objects.requireNonNull(step, "step == null"));
      return this;
    }

    /**
     * The handler of one intent (see {@link IntentHandler}); an intent without one is handled by
     * {@link IntentHandler#CHARGE}: the payment method verifies and settles.
     *
     * @throws IllegalArgumentException when the intent already has a handler
     */
    public Builder intentHandler(Intent intent, IntentHandler handler) {
      Objects.requireNonNull(intent, "intent == null");
      Objects.requireNonNull(handler, "handler == null");
      if (intentHandlers.putIfAbsent(intent, handler) != null) {
        throw new IllegalArgumentException("intent '" + intent + "' has a handler already");
      }
      return this;
    }

    /**
     * The session policy (voucher rate limit, stream hold, settlement schedule, idle close);
     * default {@link SessionOptions#defaults()}. A gate with a registered method that implements
     * {@link SessionMethod} and serves {@link Intent#SESSION} handles that intent with a {@link
     * SessionHandler} of these options, unless {@link #intentHandler} set another handler.
     */
    public Builder sessionOptions(SessionOptions options) {
      this.sessionOptions = Objects.requireNonNull(options, "options == null");
      return this;
    }

    /**
     * The access policy consulted before settlement; default {@link PayerPolicy#ALLOW_ALL}. A
     * refusal is answered with 403 and no challenge, and nothing is charged.
     */
    public Builder payerPolicy(PayerPolicy policy) {
      this.payerPolicy = Objects.requireNonNull(policy, "policy == null");
      return this;
    }

    /**
     * The realm (protection space, normally the API host); required.
     *
     * @throws IllegalArgumentException when empty or not printable ISO-8859-1
     */
    public Builder realm(String realm) {
      Objects.requireNonNull(realm, "realm == null");
      if (realm.isEmpty()) {
        throw new IllegalArgumentException("realm must not be empty");
      }
      HeaderText.check("realm", realm);
      this.realmValue = realm;
      this.realm = realm;
      return this;
    }

    /** The secret that issues challenges; required. */
    public Builder secret(ChallengeSecret secret) {
      this.secret = Objects.requireNonNull(secret, "secret == null");
      return this;
    }

    /** A previous secret still accepted for challenges issued before a rotation. */
    public Builder previousSecret(ChallengeSecret secret) {
      previousSecrets.add(Objects.requireNonNull(secret, "secret == null"));
      return this;
    }

    /** The clock; default the system UTC clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    /**
     * How long an issued challenge stays valid; default 5 minutes.
     *
     * @throws IllegalArgumentException when not between 1 second and 24 hours
     */
    public Builder challengeTtl(Duration ttl) {
      Objects.requireNonNull(ttl, "ttl == null");
      if (ttl.compareTo(Duration.ofSeconds(1)) < 0 || ttl.compareTo(Duration.ofHours(24)) > 0) {
        throw new IllegalArgumentException(
            "challengeTtl must be between PT1S and PT24H, but was " + ttl);
      }
      this.challengeTtl = ttl;
      return this;
    }

    /**
     * Registers a payment method. Offer order follows registration order unless a requirement names
     * its methods.
     *
     * @throws IllegalArgumentException when a method with that name is already registered or the
     *     name is not lower-case ASCII letters
     */
    public Builder method(PaymentMethod method) {
      Objects.requireNonNull(method, "method == null");
      String name = method.name();
      if (name == null || !name.matches("[a-z]{1,32}")) {
        throw new IllegalArgumentException(
            "payment method name must be 1 to 32 lower-case ASCII letters, but was " + name);
      }
      if (methods.putIfAbsent(name, method) != null) {
        throw new IllegalArgumentException("payment method '" + name + "' registered twice");
      }
      return this;
    }

    /**
     * The state store for single-use claims and method state; default a fresh {@link
     * InMemoryReplayStore} (single instance only). Deployments with several instances share one.
     */
    public Builder store(StateStore store) {
      this.store = Objects.requireNonNull(store, "store == null");
      return this;
    }

    /**
     * A claim-only store of mpp4j 0.1, used through {@link ReplayStore#toStateStore}: enough for
     * the charge intent; intents that keep state need a {@link #store(StateStore)}.
     */
    public Builder replayStore(ReplayStore store) {
      this.store = ReplayStore.toStateStore(store);
      return this;
    }

    /**
     * Whether challenges ask for the credential in {@code Payment-Authorization} instead of {@code
     * Authorization} (for APIs that already use {@code Authorization}); default false. Credentials
     * are accepted from either header.
     */
    public Builder paymentAuthorizationHeader(boolean enabled) {
      this.paymentAuthorizationHeader = enabled;
      return this;
    }

    /**
     * Builds the gate.
     *
     * @throws IllegalStateException when the realm, the secret or every method is missing
     */
    public PaymentGate build() {
      if (realmValue == null) {
        throw new IllegalStateException("realm is required");
      }
      if (secret == null) {
        throw new IllegalStateException("secret is required (at least 32 bytes)");
      }
      if (methods.isEmpty()) {
        throw new IllegalStateException("at least one payment method is required");
      }
      return new PaymentGate(this);
    }
  }
}
