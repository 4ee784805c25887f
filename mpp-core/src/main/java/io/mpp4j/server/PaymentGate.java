package io.mpp4j.server;

import io.mpp4j.core.AcceptPayment;
import io.mpp4j.core.Base64Url;
import io.mpp4j.core.BodyDigest;
import io.mpp4j.core.CanonicalJson;
import io.mpp4j.core.Challenge;
import io.mpp4j.core.Credential;
import io.mpp4j.core.Intent;
import io.mpp4j.core.MalformedMessageException;
import io.mpp4j.core.MppHeaders;
import io.mpp4j.core.PaymentRequest;
import io.mpp4j.core.binding.ChallengeBinder;
import io.mpp4j.core.binding.ChallengeSecret;
import io.mpp4j.core.internal.Json;
import io.mpp4j.core.internal.RouteBinding;
import io.mpp4j.core.internal.Timestamps;
import io.mpp4j.core.problem.Problem;
import io.mpp4j.core.problem.ProblemType;
import io.mpp4j.core.problem.ReasonCode;
import io.mpp4j.spi.PaymentMethod;
import io.mpp4j.spi.PaymentMethodException;
import io.mpp4j.spi.Verification;
import io.mpp4j.spi.VerificationContext;
import io.mpp4j.store.InMemoryReplayStore;
import io.mpp4j.store.ReplayStore;
import io.mpp4j.store.StateStore;
import io.mpp4j.store.StoreUnavailableException;
import java.security.SecureRandom;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
  private static final int MAX_CACHED_ROUTES = 4096;
  private static final String CLAIM_PREFIX = "mpp:challenge:";
  private static final Logger LOG = LoggerFactory.getLogger(PaymentGate.class);

  private final String realm;
  private final ChallengeBinder binder;
  private final Clock clock;
  private final Duration challengeTtl;
  private final Map<String, PaymentMethod> methods;
  private final StateStore store;
  private final boolean paymentAuthorizationHeader;
  private final PayerPolicy payerPolicy;
  private final List<PaymentListener> listeners;
  private final ConcurrentHashMap<PaymentRequirement, List<Offer>> offerCache =
      new ConcurrentHashMap<>();
  private final String noncePrefix = randomNoncePrefix();
  private final AtomicLong nonceCounter = new AtomicLong();

  /** One method's offer for a route. */
  private record Offer(PaymentMethod method, PaymentRequest request) {}

  private PaymentGate(Builder b) {
    this.realm = b.realm;
    this.binder = ChallengeBinder.of(b.secret, b.previousSecrets);
    this.clock = b.clock;
    this.challengeTtl = b.challengeTtl;
    this.methods = Collections.unmodifiableMap(new LinkedHashMap<>(b.methods));
    this.store = b.store != null ? b.store : InMemoryReplayStore.ofDefaults();
    this.paymentAuthorizationHeader = b.paymentAuthorizationHeader;
    this.payerPolicy = b.payerPolicy;
    this.listeners = List.copyOf(b.listeners);
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
    Trace trace = new Trace();
    GateResult result = decide(requirement, request, trace);
    emit(route, requirement, result, trace);
    return result;
  }

  /** What the stages learnt about a credential, for the event: set as they pass. */
  private static final class Trace {
    @Nullable Credential credential;
    boolean bound; // the echoed challenge carries this server's HMAC: its fields are authentic
  }

  private GateResult decide(PaymentRequirement requirement, RequestView request, Trace trace) {
    List<Offer> offers = offers(requirement);

    // 1. Extract the credential.
    Token token;
    try {
      token = extractSingleToken(request);
    } catch (MalformedMessageException e) {
      return reject(
          requirement,
          request,
          ProblemType.MALFORMED_CREDENTIAL,
          ReasonCode.CREDENTIAL_MALFORMED,
          e.getMessage());
    } catch (MultipleCredentials e) {
      return new GateResult.Rejected(
          Problem.of(
              ProblemType.BAD_REQUEST,
              ReasonCode.MULTIPLE_CREDENTIALS,
              "The request carries more than one Payment credential; send exactly one."),
          List.of(),
          null);
    }
    if (token == null) {
      List<Challenge> challenges = issue(offers, requirement, request);
      Problem problem =
          Problem.of(
                  ProblemType.PAYMENT_REQUIRED,
                  ReasonCode.CREDENTIAL_MISSING,
                  "Payment is required.")
              .withChallengeId(challenges.get(0).id());
      return new GateResult.PaymentRequired(challenges, problem);
    }

    // 2. Decode.
    Credential credential;
    try {
      credential = Credential.parseToken(token.text(), token.start(), offeredRequests(offers));
    } catch (MalformedMessageException e) {
      return reject(
          requirement,
          request,
          ProblemType.MALFORMED_CREDENTIAL,
          ReasonCode.CREDENTIAL_MALFORMED,
          e.getMessage());
    }
    Challenge echo = credential.challenge();
    trace.credential = credential;

    // 3. HMAC binding.
    PaymentMethod method = methods.get(echo.method());
    if (!binder.verify(echo)) {
      if (method == null) {
        return new GateResult.Rejected(
            Problem.of(
                ProblemType.METHOD_UNSUPPORTED,
                ReasonCode.METHOD_UNSUPPORTED,
                "This server does not accept the payment method of the credential."),
            issue(offers, requirement, request),
            null);
      }
      return reject(
          requirement,
          request,
          ProblemType.INVALID_CHALLENGE,
          ReasonCode.CHALLENGE_ID_MISMATCH,
          "The challenge id does not match the challenge.");
    }
    trace.bound = true;

    // 4. Route binding: the echo must be what this route would issue now.
    if (!realm.equals(echo.realm())) {
      return reject(
          requirement,
          request,
          ProblemType.INVALID_CHALLENGE,
          ReasonCode.REALM_MISMATCH,
          "The challenge was issued for another realm.");
    }
    Offer offer = null;
    if (requirement.intent().equals(echo.intent())) {
      for (Offer o : offers) {
        if (o.method().name().equals(echo.method())) {
          offer = o;
          break;
        }
      }
    }
    if (offer == null) {
      return reject(
          requirement,
          request,
          ProblemType.INVALID_CHALLENGE,
          ReasonCode.OFFER_MISMATCH,
          "This route does not offer the challenge's payment method and intent.");
    }
    if (!opaqueMatches(requirement.opaque(), echo.opaque())) {
      return reject(
          requirement,
          request,
          ProblemType.INVALID_CHALLENGE,
          ReasonCode.OPAQUE_MISMATCH,
          "The challenge was issued for another route.");
    }
    String mismatch =
        offer.request().equals(echo.request())
            ? null // the usual case: the echo is exactly what this route offers
            : RouteBinding.firstMismatch(
                offer.request(), echo.request(), offer.method().boundFields(requirement.intent()));
    if (mismatch != null) {
      return reject(
          requirement,
          request,
          ProblemType.INVALID_CHALLENGE,
          ReasonCode.REQUEST_MISMATCH,
          "The challenge's `" + mismatch + "` does not match this route.");
    }

    // 5. Expiry.
    if (echo.expires() == null) {
      return reject(
          requirement,
          request,
          ProblemType.INVALID_CHALLENGE,
          ReasonCode.EXPIRES_MISSING,
          "The challenge has no expiry.");
    }
    Instant expires = echo.expiresAt();
    if (expires == null) {
      return reject(
          requirement,
          request,
          ProblemType.INVALID_CHALLENGE,
          ReasonCode.EXPIRES_INVALID,
          "The challenge expiry is not an RFC 3339 date-time.");
    }
    Instant now = clock.instant();
    if (now.isAfter(expires)) {
      return reject(
          requirement,
          request,
          ProblemType.PAYMENT_EXPIRED,
          ReasonCode.CHALLENGE_EXPIRED,
          "The challenge has expired.");
    }

    // 6. Body digest.
    byte[] body = request.body();
    boolean hasBody = body != null && body.length > 0;
    if (echo.digest() != null) {
      if (!BodyDigest.matches(echo.digest(), body == null ? new byte[0] : body)) {
        return reject(
            requirement,
            request,
            ProblemType.INVALID_CHALLENGE,
            ReasonCode.DIGEST_MISMATCH,
            "The request body does not match the challenge digest.");
      }
    } else if (hasBody && requirement.bindBody()) {
      return reject(
          requirement,
          request,
          ProblemType.INVALID_CHALLENGE,
          ReasonCode.DIGEST_MISMATCH,
          "The challenge is not bound to this request body.");
    }

    // 7. The application's policy, before anything is claimed or charged.
    if (!payerPolicy.allows(credential, request)) {
      return new GateResult.Rejected(
          Problem.of(
              ProblemType.FORBIDDEN,
              ReasonCode.POLICY_DENIED,
              "This payer is not allowed to pay for this resource."),
          List.of(),
          null);
    }

    // 8. Single use: claim the challenge id.
    String claimKey = CLAIM_PREFIX + echo.id();
    // An expiry is never further than the longest TTL a gate allows (24 h) unless the secret is
    // shared with a misconfigured issuer; cap the claim so no arithmetic can overflow.
    // Whole seconds are enough for a claim's lifetime (plain arithmetic: Duration.between goes
    // through the generic Temporal API and cost about 5 % of a verification).
    long secondsLeft = expires.getEpochSecond() - now.getEpochSecond() + 1;
    Duration claimTtl =
        Duration.ofSeconds(Math.min(secondsLeft, MAX_CLAIM_SECONDS) + CLAIM_GRACE_SECONDS);
    String claimOwner;
    try {
      String owner = store.claim(claimKey, claimTtl);
      if (owner == null) {
        return reject(
            requirement,
            request,
            ProblemType.INVALID_CHALLENGE,
            ReasonCode.CHALLENGE_USED,
            "The challenge was already used.");
      }
      claimOwner = owner;
    } catch (StoreUnavailableException e) {
      return unavailable(requirement, request, ReasonCode.STORE_UNAVAILABLE);
    }

    // 9. Method verification and settlement.
    VerificationContext context =
        VerificationContext.of(
            credential, offer.request(), requirement, request, store, clock, expires);
    Verification verdict;
    try {
      verdict = offer.method().verify(context);
    } catch (PaymentMethodException e) {
      // Nothing was delivered; let the client retry with the same credential. The method keeps
      // its own replay key if anything reached the payment network.
      releaseQuietly(claimKey, claimOwner);
      return unavailable(requirement, request, e.reason());
    } catch (StoreUnavailableException e) {
      releaseQuietly(claimKey, claimOwner);
      return unavailable(requirement, request, ReasonCode.STORE_UNAVAILABLE);
    } catch (RuntimeException e) {
      // A defect in the method: fail closed, keep the challenge used.
      return reject(
          requirement,
          request,
          ProblemType.VERIFICATION_FAILED,
          ReasonCode.INTERNAL_ERROR,
          "The payment could not be verified.");
    }
    if (verdict instanceof Verification.Verified v) {
      return new GateResult.Paid(v.receipt(), credential, v.settlement());
    }
    Verification.Rejected r = (Verification.Rejected) verdict;
    if (!r.mayHavePaid()) {
      // Nothing was paid: the claim has done its job (one verification at a time). Keeping it would
      // let junk credentials fill the shared store and lock every payer out; releasing it lets the
      // payer retry the same challenge.
      releaseQuietly(claimKey, claimOwner);
    }
    GateResult.Rejected rejected = reject(requirement, request, r.type(), r.reason(), r.detail());
    if (r.hint() == null) {
      return rejected;
    }
    return new GateResult.Rejected(
        rejected.problem().withHint(r.hint()), rejected.challenges(), rejected.retryAfter());
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
    PaymentEvent.Type type;
    if (failure == null) {
      type = delivered ? PaymentEvent.Type.SETTLED : PaymentEvent.Type.CANCELLED;
    } else {
      type =
          delivered ? PaymentEvent.Type.SETTLEMENT_FAILED : PaymentEvent.Type.CANCELLATION_FAILED;
    }
    ReasonCode reason = failure instanceof PaymentMethodException pme ? pme.reason() : null;
    String detail;
    if (failure == null) {
      detail = null;
    } else if (failure instanceof PaymentMethodException) {
      detail = failure.getMessage();
    } else {
      detail = failure.getClass().getName();
    }
    Credential credential = paid.credential();
    publish(
        PaymentEvent.of(
            type, route, credential.challenge(), credential, 0, null, reason, null, detail));
  }

  /** One event per outcome (two for a payment settled at verification). */
  private void emit(String route, PaymentRequirement requirement, GateResult result, Trace trace) {
    if (listeners.isEmpty()) {
      return;
    }
    if (result instanceof GateResult.Paid paid) {
      Credential credential = paid.credential();
      Challenge paidFor = credential.challenge();
      publish(
          PaymentEvent.of(
              PaymentEvent.Type.VERIFIED, route, paidFor, credential, 0, null, null, null, null));
      if (paid.settlement() == null) {
        publish(
            PaymentEvent.of(
                PaymentEvent.Type.SETTLED, route, paidFor, credential, 0, null, null, null, null));
      }
    } else if (result instanceof GateResult.PaymentRequired required) {
      Problem p = required.problem();
      publish(
          PaymentEvent.of(
              PaymentEvent.Type.CHALLENGE_ISSUED,
              route,
              required.challenges().get(0),
              null,
              required.status(),
              p.type(),
              p.reason(),
              null,
              null));
    } else if (result instanceof GateResult.Rejected rejected) {
      Problem p = rejected.problem();
      Credential credential = trace.credential;
      if (credential != null && trace.bound) {
        publish(
            PaymentEvent.of(
                PaymentEvent.Type.REFUSED,
                route,
                credential.challenge(),
                credential,
                rejected.status(),
                p.type(),
                p.reason(),
                p.challengeId(),
                null));
      } else {
        // Nothing in an unbound credential is authentic: report no method, amount or payer.
        publish(
            new PaymentEvent(
                PaymentEvent.Type.REFUSED,
                route,
                null,
                requirement.intent().name(),
                null,
                null,
                null,
                null,
                rejected.status(),
                p.type(),
                p.reason(),
                p.challengeId(),
                null));
      }
    }
  }

  private void publish(PaymentEvent event) {
    for (PaymentListener listener : listeners) {
      try {
        listener.onEvent(event);
      } catch (RuntimeException e) {
        // A listener never changes the outcome; its exception text is not ours to log.
        LOG.warn(
            "payment listener {} failed on a {} event: {}",
            listener.getClass().getName(),
            event.type(),
            e.getClass().getName());
      }
    }
  }

  /** Issues fresh challenges for a route, ordered by the request's {@code Accept-Payment}. */
  public List<Challenge> issueChallenges(PaymentRequirement requirement, RequestView request) {
    Objects.requireNonNull(requirement, "requirement == null");
    Objects.requireNonNull(request, "request == null");
    return issue(offers(requirement), requirement, request);
  }

  private List<Challenge> issue(
      List<Offer> offers, PaymentRequirement requirement, RequestView request) {
    String expires = Timestamps.formatSeconds(clock.instant().plus(challengeTtl));
    byte[] body = request.body();
    String digest =
        requirement.bindBody() && body != null && body.length > 0 ? BodyDigest.compute(body) : null;
    String header = paymentAuthorizationHeader ? MppHeaders.PAYMENT_AUTHORIZATION : null;
    String intent = requirement.intent().name();
    List<Challenge> challenges = new ArrayList<>(offers.size());
    for (Offer offer : offers) {
      String opaque = encodeOpaque(requirement.opaque(), nextNonce());
      String method = offer.method().name();
      String id =
          binder.computeId(realm, method, intent, offer.request(), expires, digest, header, opaque);
      challenges.add(
          new Challenge(
              id,
              realm,
              method,
              requirement.intent(),
              offer.request(),
              expires,
              digest,
              requirement.description(),
              opaque,
              header));
    }
    if (challenges.size() > 1) {
      return AcceptPayment.parse(request.header(MppHeaders.ACCEPT_PAYMENT))
          .orderChallenges(challenges);
    }
    return challenges;
  }

  private GateResult.Rejected reject(
      PaymentRequirement requirement,
      RequestView request,
      ProblemType type,
      ReasonCode reason,
      String detail) {
    List<Challenge> fresh = issue(offers(requirement), requirement, request);
    Problem problem = Problem.of(type, reason, detail);
    if (type.status() == 402) {
      problem = problem.withChallengeId(fresh.get(0).id());
    }
    return new GateResult.Rejected(problem, fresh, null);
  }

  private GateResult.Rejected unavailable(
      PaymentRequirement requirement, RequestView request, ReasonCode reason) {
    GateResult.Rejected r =
        reject(
            requirement,
            request,
            ProblemType.VERIFICATION_FAILED,
            reason,
            "The payment could not be completed right now; retry the same credential.");
    return new GateResult.Rejected(
        r.problem().withHint("Retry the same credential shortly."),
        r.challenges(),
        Duration.ofSeconds(2));
  }

  /** The requests of a route's offers: what a credential for this route echoes. */
  private static List<PaymentRequest> offeredRequests(List<Offer> offers) {
    if (offers.size() == 1) {
      return List.of(offers.get(0).request());
    }
    List<PaymentRequest> requests = new ArrayList<>(offers.size());
    for (Offer offer : offers) {
      requests.add(offer.request());
    }
    return requests;
  }

  private String nextNonce() {
    return noncePrefix + Long.toString(nonceCounter.incrementAndGet(), 36);
  }

  private static String randomNoncePrefix() {
    byte[] bytes = new byte[9];
    new SecureRandom().nextBytes(bytes);
    return Base64Url.encode(bytes) + ".";
  }

  /** {@code base64url(JCS(opaque + nonce))}. */
  static String encodeOpaque(Map<String, String> opaque, String nonce) {
    if (opaque.isEmpty()) {
      // The canonical form of a one-member object; the nonce needs no JSON escaping.
      return Base64Url.encode("{\"" + NONCE_KEY + "\":\"" + nonce + "\"}");
    }
    Map<String, String> all = new HashMap<>(opaque);
    all.put(NONCE_KEY, nonce);
    return Base64Url.encode(CanonicalJson.canonicalize(all));
  }

  /** Whether the echoed opaque is the route's opaque data, plus (optionally) a nonce. */
  static boolean opaqueMatches(Map<String, String> expected, @Nullable String echoed) {
    if (echoed == null) {
      return expected.isEmpty();
    }
    if (expected.isEmpty() && isNonceOnly(echoed)) {
      return true; // the usual case, without a JSON parse
    }
    Map<String, Object> decoded;
    try {
      decoded = Json.parseObject(Base64Url.decode(echoed), "`opaque`");
    } catch (MalformedMessageException e) {
      return false;
    }
    int extra = decoded.containsKey(NONCE_KEY) ? 1 : 0;
    if (decoded.size() != expected.size() + extra) {
      return false;
    }
    for (Map.Entry<String, String> e : expected.entrySet()) {
      if (!e.getValue().equals(decoded.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  private static final byte[] NONCE_PREFIX =
      ("{\"" + NONCE_KEY + "\":\"").getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /** Whether {@code echoed} is exactly {@code base64url({"_mpp4j_n":"<nonce>"})}. */
  private static boolean isNonceOnly(String echoed) {
    if (echoed.length() > 128) {
      return false;
    }
    byte[] bytes;
    try {
      bytes = Base64Url.decode(echoed);
    } catch (MalformedMessageException e) {
      return false;
    }
    int n = bytes.length;
    if (n < NONCE_PREFIX.length + 3 || bytes[n - 1] != '}' || bytes[n - 2] != '"') {
      return false;
    }
    for (int k = 0; k < NONCE_PREFIX.length; k++) {
      if (bytes[k] != NONCE_PREFIX[k]) {
        return false;
      }
    }
    for (int k = NONCE_PREFIX.length; k < n - 2; k++) {
      byte c = bytes[k];
      boolean ok =
          c >= 'a' && c <= 'z'
              || c >= 'A' && c <= 'Z'
              || c >= '0' && c <= '9'
              || c == '-'
              || c == '_'
              || c == '.';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private void releaseQuietly(String key, String owner) {
    try {
      store.release(key, owner);
    } catch (StoreUnavailableException ignored) {
      // The claim expires on its own; the client then gets a fresh challenge.
    }
  }

  private List<Offer> offers(PaymentRequirement requirement) {
    List<Offer> cached = offerCache.get(requirement);
    if (cached != null) {
      return cached;
    }
    List<Offer> offers = buildOffers(requirement);
    if (offerCache.size() >= MAX_CACHED_ROUTES) {
      offerCache.clear(); // dynamic pricing creates a requirement per request; stay bounded
    }
    offerCache.put(requirement, offers);
    return offers;
  }

  private List<Offer> buildOffers(PaymentRequirement requirement) {
    Intent intent = requirement.intent();
    List<Offer> offers = new ArrayList<>();
    if (requirement.methods().isEmpty()) {
      // Offering every method: leave out one that cannot express this price (say, below a card
      // processor's minimum) rather than emit an unpayable challenge. Named methods must all work.
      StringBuilder refusals = new StringBuilder();
      IllegalArgumentException refused = null;
      for (PaymentMethod m : methods.values()) {
        if (m.intents().contains(intent)) {
          try {
            offers.add(new Offer(m, m.createRequest(intent, requirement)));
          } catch (IllegalArgumentException e) {
            refused = e;
            refusals.append(refusals.length() == 0 ? "" : "; ").append(refusal(m, e));
          }
        }
      }
      if (offers.isEmpty() && refused != null) {
        throw new IllegalArgumentException(
            "no payment method can charge this route: " + refusals, refused);
      }
    } else {
      for (String name : requirement.methods()) {
        PaymentMethod m = methods.get(name);
        if (m == null || !m.intents().contains(intent)) {
          throw new IllegalStateException(noMethodMessage(name, intent));
        }
        try {
          offers.add(new Offer(m, m.createRequest(intent, requirement)));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(refusal(m, e), e);
        }
      }
    }
    if (offers.isEmpty()) {
      throw new IllegalStateException(noMethodMessage("*", intent));
    }
    return List.copyOf(offers);
  }

  /** Why a method cannot offer a requirement, naming the method (say, its minimum charge). */
  private static String refusal(PaymentMethod method, IllegalArgumentException e) {
    return "method '" + method.name() + "': " + e.getMessage();
  }

  private String noMethodMessage(String name, Intent intent) {
    StringBuilder sb =
        new StringBuilder("No payment method '")
            .append(name)
            .append("' for intent '")
            .append(intent)
            .append("'. Registered: ");
    boolean first = true;
    for (PaymentMethod m : methods.values()) {
      sb.append(first ? "" : ", ").append(m.name()).append(m.intents());
      first = false;
    }
    return sb.append(first ? "none" : "").toString();
  }

  /**
   * Checks that a requirement can be offered (every method exists, serves the intent and accepts
   * the price). Call it at startup so configuration errors surface before the first request.
   *
   * @throws IllegalStateException or IllegalArgumentException naming what is wrong
   */
  public void validate(PaymentRequirement requirement) {
    offers(Objects.requireNonNull(requirement, "requirement == null"));
  }

  private static final class MultipleCredentials extends Exception {
    private static final long serialVersionUID = 1L;

    MultipleCredentials() {
      super(null, null, false, false);
    }
  }

  private static @Nullable Token extractSingleToken(RequestView request)
      throws MalformedMessageException, MultipleCredentials {
    Token found = null;
    int count = 0;
    for (String name : new String[] {MppHeaders.AUTHORIZATION, MppHeaders.PAYMENT_AUTHORIZATION}) {
      for (String value : request.headers(name)) {
        // The usual header is "Payment <token>" alone: take the token without a full scan (its
        // alphabet is checked when it is decoded). Anything else goes through the scanner.
        if (value.regionMatches(true, 0, "Payment ", 0, 8)
            && value.indexOf(',') < 0
            && value.indexOf(' ', 8) < 0
            && value.length() > 8) {
          if (++count > 1) {
            throw new MultipleCredentials();
          }
          found = new Token(value, 8); // parsed in place: the token is not copied out
          continue;
        }
        List<String> tokens = Credential.tokensIn(value);
        if (tokens.isEmpty()) {
          continue;
        }
        count += tokens.size();
        if (count > 1) {
          throw new MultipleCredentials();
        }
        found = new Token(tokens.get(0), 0);
      }
    }
    return found;
  }

  /** A credential token: {@code text} from {@code start} to its end. */
  private record Token(String text, int start) {}

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
      PaymentRequirement.checkHeaderText("realm", realm);
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
