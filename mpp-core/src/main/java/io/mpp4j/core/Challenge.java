package io.mpp4j.core;

import io.mpp4j.core.internal.Ascii;
import io.mpp4j.core.internal.AuthHeaderScanner;
import io.mpp4j.core.internal.Timestamps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A {@code WWW-Authenticate: Payment} challenge: an HMAC-bound offer to accept a payment. The same
 * type is used for the challenge a server issues and for the copy a client echoes inside its
 * credential.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * List<Challenge> offers = Challenge.parseAll(response.headers("WWW-Authenticate"));
 * String header = offers.get(0).toHeaderValue();
 * }</pre>
 *
 * @param id the challenge id (HMAC binding of the other parameters); non-empty
 * @param realm the protection space
 * @param method the payment method name, e.g. {@code tempo}
 * @param intent the payment intent, e.g. {@code charge}
 * @param request the request object
 * @param expires RFC 3339 expiry exactly as on the wire, or null
 * @param digest the request-body digest exactly as on the wire, or null
 * @param description display text (not bound into the id), or null
 * @param opaque the opaque server data exactly as on the wire (base64url), or null
 * @param header {@code Payment-Authorization} when the credential goes in that header, else null
 */
public record Challenge(
    String id,
    String realm,
    String method,
    Intent intent,
    PaymentRequest request,
    @Nullable String expires,
    @Nullable String digest,
    @Nullable String description,
    @Nullable String opaque,
    @Nullable String header) {

  /** Every auth-param of a Payment challenge, which a credential echoes. */
  private static final java.util.Set<String> KNOWN_PARAMS =
      java.util.Set.of(
          "id",
          "realm",
          "method",
          "intent",
          "request",
          "expires",
          "digest",
          "description",
          "opaque",
          "header");

  /** Upper bound on a {@code WWW-Authenticate} header value this parser accepts. */
  public static final int MAX_HEADER_LENGTH = 64 * 1024;

  /** Validates the invariants; see the record components. */
  public Challenge {
    Objects.requireNonNull(id, "id == null");
    Objects.requireNonNull(realm, "realm == null");
    Objects.requireNonNull(method, "method == null");
    Objects.requireNonNull(intent, "intent == null");
    Objects.requireNonNull(request, "request == null");
    if (id.isEmpty()) {
      throw new IllegalArgumentException("id must not be empty");
    }
    if (method.isEmpty()) {
      throw new IllegalArgumentException("method must not be empty");
    }
    if (header != null) {
      if (MppHeaders.AUTHORIZATION.equalsIgnoreCase(header)) {
        header = null; // the implicit default: never emitted, never bound
      } else if (!MppHeaders.PAYMENT_AUTHORIZATION.equalsIgnoreCase(header)) {
        throw new IllegalArgumentException(
            "header must be \"Payment-Authorization\", but was \"" + header + "\"");
      } else {
        header = MppHeaders.PAYMENT_AUTHORIZATION;
      }
    }
  }

  /**
   * Parses exactly one Payment challenge from one header value.
   *
   * @throws MalformedMessageException when there is no Payment challenge, more than one, or the one
   *     there is invalid
   */
  public static Challenge parse(String headerValue) throws MalformedMessageException {
    List<Challenge> all = parseAll(headerValue);
    if (all.size() != 1) {
      throw new MalformedMessageException(
          all.isEmpty()
              ? "no Payment challenge in header"
              : "expected one Payment challenge, found " + all.size() + " (use parseAll)");
    }
    return all.get(0);
  }

  /**
   * Parses every Payment challenge in one header value (several may be comma-joined, beside
   * challenges of other schemes, which are skipped).
   *
   * @throws MalformedMessageException when the header holds no Payment challenge or any Payment
   *     challenge in it is invalid
   */
  public static List<Challenge> parseAll(String headerValue) throws MalformedMessageException {
    Objects.requireNonNull(headerValue, "headerValue == null");
    List<Challenge> out = new ArrayList<>(2);
    collect(headerValue, out);
    if (out.isEmpty()) {
      throw new MalformedMessageException("no Payment challenge in header");
    }
    return List.copyOf(out);
  }

  /**
   * Parses every Payment challenge across several {@code WWW-Authenticate} header values.
   *
   * @throws MalformedMessageException when no value holds a Payment challenge or any Payment
   *     challenge is invalid
   */
  public static List<Challenge> parseAll(List<String> headerValues)
      throws MalformedMessageException {
    Objects.requireNonNull(headerValues, "headerValues == null");
    List<Challenge> out = new ArrayList<>(headerValues.size());
    for (String value : headerValues) {
      collect(Objects.requireNonNull(value, "header value == null"), out);
    }
    if (out.isEmpty()) {
      throw new MalformedMessageException("no Payment challenge in header");
    }
    return List.copyOf(out);
  }

  private static void collect(String headerValue, List<Challenge> out)
      throws MalformedMessageException {
    if (headerValue.length() > MAX_HEADER_LENGTH) {
      throw new MalformedMessageException(
          "WWW-Authenticate header is longer than " + MAX_HEADER_LENGTH + " characters");
    }
    for (AuthHeaderScanner.Item item : AuthHeaderScanner.scanLenient(headerValue)) {
      if (item.isScheme(MppHeaders.SCHEME)) {
        out.add(fromParams(item));
      }
    }
  }

  private static Challenge fromParams(AuthHeaderScanner.Item item)
      throws MalformedMessageException {
    if (item.duplicate() != null) {
      // Name only the parameters this parser knows; never echo arbitrary input.
      String name = item.duplicate();
      throw new MalformedMessageException(
          KNOWN_PARAMS.contains(name)
              ? "duplicate auth-param `" + name + "`"
              : "duplicate extension auth-param");
    }
    Map<String, String> p = item.params();
    String id = required(p, "id");
    String realm = required(p, "realm");
    String method = required(p, "method");
    String intent = required(p, "intent");
    String request = required(p, "request");
    if (id.isEmpty()) {
      throw new MalformedMessageException("empty `id` auth-param");
    }
    if (method.isEmpty()) {
      throw new MalformedMessageException("empty `method` auth-param");
    }
    if (!Intent.isValid(intent)) {
      throw new MalformedMessageException("invalid `intent` auth-param");
    }
    String header = p.get("header");
    if (header != null
        && !MppHeaders.AUTHORIZATION.equalsIgnoreCase(header)
        && !MppHeaders.PAYMENT_AUTHORIZATION.equalsIgnoreCase(header)) {
      throw new MalformedMessageException("unsupported `header` auth-param value");
    }
    return new Challenge(
        id,
        realm,
        method,
        Intent.of(intent),
        PaymentRequest.parse(request),
        p.get("expires"),
        p.get("digest"),
        p.get("description"),
        p.get("opaque"),
        header);
  }

  private static String required(Map<String, String> params, String name)
      throws MalformedMessageException {
    String value = params.get(name);
    if (value == null) {
      throw new MalformedMessageException("missing `" + name + "` auth-param");
    }
    return value;
  }

  /**
   * Formats the challenge as a {@code WWW-Authenticate} value: every value quoted, {@code \} and
   * {@code "} escaped, in the order id, realm, method, intent, request, description, digest,
   * expires, opaque, header.
   *
   * @throws IllegalArgumentException when a value contains CR, LF or another control character, or
   *     a character outside ISO-8859-1 (which HTTP header fields cannot carry)
   */
  public String toHeaderValue() {
    // The request's wire text is base64url by construction (see PaymentRequest#received): never
    // scanned. When every other value needs no escaping either (the usual case), the value is
    // one concatenation.
    String wireRequest = request.received();
    if (Ascii.isPlain(id)
        && Ascii.isPlain(realm)
        && Ascii.isPlain(method)
        && Ascii.isPlain(intent.name())
        && (description == null || Ascii.isPlain(description))
        && (digest == null || Ascii.isPlain(digest))
        && (expires == null || Ascii.isPlain(expires))
        && (opaque == null || Ascii.isPlain(opaque))
        && (header == null || Ascii.isPlain(header))) {
      // One concatenation: the JDK sizes the result exactly and fills it without a second copy.
      // Absent optional parameters contribute empty strings.
      return MppHeaders.SCHEME
          + " id=\""
          + id
          + "\", realm=\""
          + realm
          + "\", method=\""
          + method
          + "\", intent=\""
          + intent.name()
          + "\", request=\""
          + wireRequest
          + '"'
          + (description == null ? "" : ", description=\"")
          + (description == null ? "" : description)
          + (description == null ? "" : "\"")
          + (digest == null ? "" : ", digest=\"")
          + (digest == null ? "" : digest)
          + (digest == null ? "" : "\"")
          + (expires == null ? "" : ", expires=\"")
          + (expires == null ? "" : expires)
          + (expires == null ? "" : "\"")
          + (opaque == null ? "" : ", opaque=\"")
          + (opaque == null ? "" : opaque)
          + (opaque == null ? "" : "\"")
          + (header == null ? "" : ", header=\"")
          + (header == null ? "" : header)
          + (header == null ? "" : "\"");
    }
    StringBuilder sb = new StringBuilder(160 + wireRequest.length());
    sb.append(MppHeaders.SCHEME).append(' ');
    appendParam(sb, "id", id, false);
    appendParam(sb, "realm", realm, true);
    appendParam(sb, "method", method, true);
    appendParam(sb, "intent", intent.name(), true);
    appendParam(sb, "request", wireRequest, true);
    if (description != null) {
      appendParam(sb, "description", description, true);
    }
    if (digest != null) {
      appendParam(sb, "digest", digest, true);
    }
    if (expires != null) {
      appendParam(sb, "expires", expires, true);
    }
    if (opaque != null) {
      appendParam(sb, "opaque", opaque, true);
    }
    if (header != null) {
      appendParam(sb, "header", header, true);
    }
    return sb.toString();
  }

  /** Whether {@code value} is printable ASCII without {@code "} or {@code \}: written as is. */
  private static void appendParam(StringBuilder sb, String name, String value, boolean comma) {
    if (comma) {
      sb.append(", ");
    }
    sb.append(name).append("=\"");
    int clean = 0;
    int n = value.length();
    while (clean < n) {
      char c = value.charAt(clean);
      if (c < 0x20 || c > 0x7E || c == '"' || c == '\\') {
        break;
      }
      clean++;
    }
    if (clean == n) {
      sb.append(value).append('"'); // the common case: printable ASCII, nothing to escape
      return;
    }
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if ((c < 0x20 && c != '\t') || c == 0x7F) {
        throw new IllegalArgumentException(
            "`" + name + "` contains a control character (CR, LF or other); refusing to format");
      } else if (c > 0xFF) {
        throw new IllegalArgumentException(
            "`" + name + "` contains a character outside ISO-8859-1; keep header values ASCII");
      } else {
        sb.append(c);
      }
    }
    sb.append('"');
  }

  /** The {@code expires} instant, or null when absent or not RFC 3339. */
  public @Nullable Instant expiresAt() {
    return expires == null ? null : Timestamps.parse(expires);
  }

  /** This challenge with another id. */
  public Challenge withId(String newId) {
    return new Challenge(
        newId, realm, method, intent, request, expires, digest, description, opaque, header);
  }

  /**
   * The echo of this challenge as it goes into a credential: the auth-params as a JSON object, with
   * {@code request} as its wire string.
   */
  public Map<String, Object> toEchoMap() {
    Map<String, Object> m = new LinkedHashMap<>(16);
    m.put("id", id);
    m.put("realm", realm);
    m.put("method", method);
    m.put("intent", intent.name());
    m.put("request", request.received());
    if (description != null) {
      m.put("description", description);
    }
    if (digest != null) {
      m.put("digest", digest);
    }
    if (expires != null) {
      m.put("expires", expires);
    }
    if (opaque != null) {
      m.put("opaque", opaque);
    }
    if (header != null) {
      m.put("header", header);
    }
    return m;
  }

  /** Starts a builder for a challenge (mostly for tests and clients; servers use PaymentGate). */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link Challenge}. Not thread-safe. */
  public static final class Builder {
    private @Nullable String id;
    private String realm = "";
    private @Nullable String method;
    private Intent intent = Intent.CHARGE;
    private PaymentRequest request = PaymentRequest.empty();
    private @Nullable String expires;
    private @Nullable String digest;
    private @Nullable String description;
    private @Nullable String opaque;
    private @Nullable String header;

    private Builder() {}

    /** The id; required. */
    public Builder id(String id) {
      this.id = id;
      return this;
    }

    /** The realm; default empty. */
    public Builder realm(String realm) {
      this.realm = realm;
      return this;
    }

    /** The method name; required. */
    public Builder method(String method) {
      this.method = method;
      return this;
    }

    /** The intent; default {@link Intent#CHARGE}. */
    public Builder intent(Intent intent) {
      this.intent = intent;
      return this;
    }

    /** The request; default empty. */
    public Builder request(PaymentRequest request) {
      this.request = request;
      return this;
    }

    /** The expiry, RFC 3339. */
    public Builder expires(@Nullable String expires) {
      this.expires = expires;
      return this;
    }

    /** The expiry instant, written in whole seconds UTC. */
    public Builder expires(Instant expires) {
      this.expires = Timestamps.formatSeconds(expires);
      return this;
    }

    /** The body digest. */
    public Builder digest(@Nullable String digest) {
      this.digest = digest;
      return this;
    }

    /** The description. */
    public Builder description(@Nullable String description) {
      this.description = description;
      return this;
    }

    /** The opaque wire string. */
    public Builder opaque(@Nullable String opaque) {
      this.opaque = opaque;
      return this;
    }

    /** The credential header name. */
    public Builder header(@Nullable String header) {
      this.header = header;
      return this;
    }

    /** Builds the challenge. */
    public Challenge build() {
      return new Challenge(
          Objects.requireNonNull(id, "id == null"),
          realm,
          Objects.requireNonNull(method, "method == null"),
          intent,
          request,
          expires,
          digest,
          description,
          opaque,
          header);
    }
  }
}
