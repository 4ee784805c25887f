package io.mpp4j.server;

import io.mpp4j.core.AcceptPayment;
import io.mpp4j.core.Base64Url;
import io.mpp4j.core.BodyDigest;
import io.mpp4j.core.CanonicalJson;
import io.mpp4j.core.Challenge;
import io.mpp4j.core.Intent;
import io.mpp4j.core.MalformedMessageException;
import io.mpp4j.core.MppHeaders;
import io.mpp4j.core.PaymentRequest;
import io.mpp4j.core.PaymentRequirement;
import io.mpp4j.core.RequestView;
import io.mpp4j.core.binding.ChallengeBinder;
import io.mpp4j.core.internal.Json;
import io.mpp4j.core.internal.Timestamps;
import io.mpp4j.spi.PaymentMethod;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A gate's offers and challenges: which methods offer a route (cached per requirement, bounded),
 * and fresh challenges for a route, each with its own nonce. Thread-safe.
 */
final class Offers {
  private static final int MAX_CACHED_ROUTES = 4096;
  private static final byte[] NONCE_PREFIX =
      ("{\"" + PaymentGate.NONCE_KEY + "\":\"").getBytes(StandardCharsets.US_ASCII);

  /** One method's offer for a route. */
  record Offer(PaymentMethod method, PaymentRequest request) {}

  private final String realm;
  private final ChallengeBinder binder;
  private final Clock clock;
  private final Duration challengeTtl;
  private final Map<String, PaymentMethod> methods;
  private final boolean paymentAuthorizationHeader;
  private final ConcurrentHashMap<PaymentRequirement, List<Offer>> cache =
      new ConcurrentHashMap<>();
  private final String noncePrefix = randomNoncePrefix();
  private final AtomicLong nonceCounter = new AtomicLong();

  Offers(
      String realm,
      ChallengeBinder binder,
      Clock clock,
      Duration challengeTtl,
      Map<String, PaymentMethod> methods,
      boolean paymentAuthorizationHeader) {
    this.realm = realm;
    this.binder = binder;
    this.clock = clock;
    this.challengeTtl = challengeTtl;
    this.methods = methods;
    this.paymentAuthorizationHeader = paymentAuthorizationHeader;
  }

  /** The route's offers, in offer order. */
  List<Offer> of(PaymentRequirement requirement) {
    List<Offer> cached = cache.get(requirement);
    if (cached != null) {
      return cached;
    }
    List<Offer> offers = build(requirement);
    if (cache.size() >= MAX_CACHED_ROUTES) {
      cache.clear(); // dynamic pricing creates a requirement per request; stay bounded
    }
    cache.put(requirement, offers);
    return offers;
  }

  /** The offer of the method an echoed challenge names, if the route offers it for its intent. */
  static @Nullable Offer find(List<Offer> offers, String method) {
    for (Offer o : offers) {
      if (o.method().name().equals(method)) {
        return o;
      }
    }
    return null;
  }

  /** Fresh challenges for a route, ordered by the request's {@code Accept-Payment}. */
  List<Challenge> issue(List<Offer> offers, PaymentRequirement requirement, RequestView request) {
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

  /** The requests of a route's offers: what a credential for this route echoes. */
  static List<PaymentRequest> requests(List<Offer> offers) {
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
      return Base64Url.encode("{\"" + PaymentGate.NONCE_KEY + "\":\"" + nonce + "\"}");
    }
    Map<String, String> all = new HashMap<>(opaque);
    all.put(PaymentGate.NONCE_KEY, nonce);
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
    int extra = decoded.containsKey(PaymentGate.NONCE_KEY) ? 1 : 0;
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
      if (!isNonceChar(bytes[k])) {
        return false;
      }
    }
    return true;
  }

  private static boolean isNonceChar(byte c) {
    return c >= 'a' && c <= 'z'
        || c >= 'A' && c <= 'Z'
        || c >= '0' && c <= '9'
        || c == '-'
        || c == '_'
        || c == '.';
  }

  private List<Offer> build(PaymentRequirement requirement) {
    Intent intent = requirement.intent();
    List<Offer> offers =
        requirement.methods().isEmpty()
            ? everyMethod(requirement, intent)
            : namedMethods(requirement, intent);
    if (offers.isEmpty()) {
      throw new IllegalStateException(noMethodMessage("*", intent));
    }
    return List.copyOf(offers);
  }

  /**
   * Offering every method: leave out one that cannot express this price (say, below a card
   * processor's minimum) rather than emit an unpayable challenge.
   */
  private List<Offer> everyMethod(PaymentRequirement requirement, Intent intent) {
    List<Offer> offers = new ArrayList<>();
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
    return offers;
  }

  /** Named methods must all work. */
  private List<Offer> namedMethods(PaymentRequirement requirement, Intent intent) {
    List<Offer> offers = new ArrayList<>();
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
    return offers;
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
      // Intent names sorted: a method's intents are a Set, whose order may differ between runs.
      sb.append(first ? "" : ", ")
          .append(m.name())
          .append(m.intents().stream().map(Intent::name).sorted().toList());
      first = false;
    }
    return sb.append(first ? "none" : "").toString();
  }
}
