package io.mpp4j.core;

import io.mpp4j.core.internal.AuthHeaderScanner;
import io.mpp4j.core.internal.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A payment credential: {@code Authorization: Payment <base64url(JSON)>}, where the JSON object
 * echoes the challenge being answered and carries the method-specific proof ({@code payload}) and
 * optionally the payer ({@code source}).
 *
 * <p>Immutable and thread-safe. A parsed credential remembers the exact token it was read from
 * ({@link #encoded()}); verification runs on the echoed values, never on a re-serialization.
 *
 * <pre>{@code
 * Credential credential = Credential.parse(request.getHeader("Authorization"));
 * Challenge echoed = credential.challenge();
 * }</pre>
 */
public final class Credential {
  /** Upper bound on the base64url token, as the other SDKs enforce (16 KiB). */
  public static final int MAX_TOKEN_LENGTH = 16 * 1024;

  /** Upper bound on a whole credentials header value (token plus other schemes). */
  public static final int MAX_HEADER_LENGTH = 32 * 1024;

  private final Challenge challenge;
  private final Map<String, Object> payload;
  private final @Nullable Object source;

  private final String encoded;

  private Credential(
      Challenge challenge,
      Map<String, Object> payload,
      @Nullable Object source,
      @Nullable String encoded) {
    this.challenge = challenge;
    this.payload = payload;
    this.source = source;
    this.encoded = encoded != null ? encoded : Base64Url.encode(Json.write(toJsonMap()));
  }

  /**
   * Creates a credential answering {@code challenge}.
   *
   * @param payload the method-specific proof, a JSON object tree
   * @param source the payer (a DID string or a JSON object), or null
   */
  public static Credential of(
      Challenge challenge, Map<String, ?> payload, @Nullable Object source) {
    Objects.requireNonNull(challenge, "challenge == null");
    Objects.requireNonNull(payload, "payload == null");
    return new Credential(challenge, Json.freezeObject(payload), Json.freeze(source), null);
  }

  /**
   * Parses the credential from an {@code Authorization} or {@code Payment-Authorization} header
   * value. The header may carry other schemes beside {@code Payment}; exactly one Payment
   * credential must be present.
   *
   * @throws MalformedMessageException when there is no Payment credential, more than one, or it is
   *     not base64url of a JSON object with {@code challenge} (with non-empty {@code id}, {@code
   *     realm}, {@code method}, {@code intent}, {@code request}) and {@code payload}
   */
  public static Credential parse(String headerValue) throws MalformedMessageException {
    return parseToken(extractToken(headerValue));
  }

  /**
   * Extracts the token of the single Payment credential in a header value.
   *
   * @throws MalformedMessageException when there is none, more than one, or the header is not
   *     well-formed
   */
  public static String extractToken(String headerValue) throws MalformedMessageException {
    Objects.requireNonNull(headerValue, "headerValue == null");
    String token = null;
    for (String t : paymentTokens(headerValue)) {
      if (token != null) {
        throw new MalformedMessageException("more than one Payment credential in header");
      }
      token = t;
    }
    if (token == null) {
      throw new MalformedMessageException("no Payment credential in header");
    }
    return token;
  }

  /**
   * Counts the Payment credentials in a header value without decoding them; 0 for a header that
   * carries only other schemes.
   *
   * @throws MalformedMessageException when the header is not well-formed
   */
  public static int countIn(String headerValue) throws MalformedMessageException {
    return paymentTokens(headerValue).size();
  }

  /**
   * The tokens of every Payment credential in a header value, in order, without decoding them;
   * empty for a header that carries only other schemes.
   *
   * @throws MalformedMessageException when the header is not well-formed
   */
  public static List<String> tokensIn(String headerValue) throws MalformedMessageException {
    Objects.requireNonNull(headerValue, "headerValue == null");
    return paymentTokens(headerValue);
  }

  private static List<String> paymentTokens(String headerValue) throws MalformedMessageException {
    if (headerValue.length() > MAX_HEADER_LENGTH) {
      throw new MalformedMessageException(
          "credentials header is longer than " + MAX_HEADER_LENGTH + " characters");
    }
    List<AuthHeaderScanner.Item> items = AuthHeaderScanner.scanStrict(headerValue);
    java.util.ArrayList<String> tokens = new java.util.ArrayList<>(1);
    for (AuthHeaderScanner.Item item : items) {
      if (item.isScheme(MppHeaders.SCHEME)) {
        if (item.token68() == null) {
          throw new MalformedMessageException("Payment credential has no token");
        }
        tokens.add(item.token68());
      }
    }
    return tokens;
  }

  /**
   * Parses a bare credential token (the text after {@code Payment }).
   *
   * @throws MalformedMessageException as {@link #parse(String)}
   */
  public static Credential parseToken(String token) throws MalformedMessageException {
    Objects.requireNonNull(token, "token == null");
    return parseToken(token, 0);
  }

  /**
   * Parses the credential token that fills {@code text} from {@code start} to its end, such as the
   * token of an {@code Authorization} value after {@code "Payment "}: the same as {@link
   * #parseToken(String)} of {@code text.substring(start)}.
   *
   * @throws MalformedMessageException as {@link #parse(String)}
   * @throws IndexOutOfBoundsException when {@code start} is outside {@code text}
   */
  public static Credential parseToken(String text, int start) throws MalformedMessageException {
    return parseToken(text, start, List.of());
  }

  /**
   * {@link #parseToken(String, int)} for a caller that already holds the requests a credential
   * usually echoes, such as the offers of the route being paid for: when the echoed {@code request}
   * text is exactly the wire text of one of {@code known}, that instance stands for it instead of a
   * new decoding of the same text. The credential is the same either way.
   *
   * @throws MalformedMessageException as {@link #parse(String)}
   * @throws IndexOutOfBoundsException when {@code start} is outside {@code text}
   */
  public static Credential parseToken(String text, int start, List<PaymentRequest> known)
      throws MalformedMessageException {
    Objects.requireNonNull(text, "text == null");
    Objects.requireNonNull(known, "known == null");
    Objects.checkIndex(start, text.length() + 1);
    if (text.length() - start > MAX_TOKEN_LENGTH) {
      throw new MalformedMessageException(
          "credential is longer than " + MAX_TOKEN_LENGTH + " characters");
    }
    String token = start == 0 ? text : text.substring(start);
    byte[] json;
    try {
      json = Base64Url.decode(token);
    } catch (MalformedMessageException e) {
      throw new MalformedMessageException("credential is not valid base64url", e);
    }
    return parseJson(json, token, known);
  }

  private static Credential parseJson(byte[] json, String token, List<PaymentRequest> known)
      throws MalformedMessageException {
    Map<String, Object> root = Json.parseObject(json, "credential");
    if (!(root.get("challenge") instanceof Map<?, ?> echo)) {
      throw new MalformedMessageException(
          root.containsKey("challenge")
              ? "credential `challenge` is not an object"
              : "credential has no `challenge`");
    }
    if (!(root.get("payload") instanceof Map<?, ?> payload)) {
      throw new MalformedMessageException(
          root.containsKey("payload")
              ? "credential `payload` is not an object"
              : "credential has no `payload`");
    }
    Object source = root.get("source");
    if (source != null && !(source instanceof String) && !(source instanceof Map)) {
      throw new MalformedMessageException("credential `source` is not a string");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> payloadMap = (Map<String, Object>) payload;
    return new Credential(parseEcho(echo, known), payloadMap, source, token);
  }

  private static Challenge parseEcho(Map<?, ?> echo, List<PaymentRequest> known)
      throws MalformedMessageException {
    String id = echoString(echo, "id", true);
    String realm = echoString(echo, "realm", true);
    String method = echoString(echo, "method", true);
    String intent = echoString(echo, "intent", true);
    String request = echoString(echo, "request", true);
    if (id == null || id.isEmpty()) {
      throw new MalformedMessageException("credential `challenge.id` is empty");
    }
    if (method == null || method.isEmpty()) {
      throw new MalformedMessageException("credential `challenge.method` is empty");
    }
    if (intent == null || !Intent.isValid(intent)) {
      throw new MalformedMessageException("credential `challenge.intent` is invalid");
    }
    String header = echoString(echo, "header", false);
    if (header != null
        && !MppHeaders.AUTHORIZATION.equalsIgnoreCase(header)
        && !MppHeaders.PAYMENT_AUTHORIZATION.equalsIgnoreCase(header)) {
      throw new MalformedMessageException("credential `challenge.header` is not supported");
    }
    String opaque;
    Object rawOpaque = echo.get("opaque");
    if (rawOpaque instanceof Map<?, ?> legacy) {
      // Legacy clients echo opaque as an object; its canonical encoding is what was bound.
      try {
        opaque = Base64Url.encode(CanonicalJson.canonicalize(legacy));
      } catch (IllegalArgumentException e) {
        throw new MalformedMessageException("credential `challenge.opaque` is invalid", e);
      }
    } else {
      opaque = echoString(echo, "opaque", false);
    }
    return new Challenge(
        id,
        realm == null ? "" : realm,
        method,
        Intent.of(intent),
        PaymentRequest.parse(request == null ? "" : request, known),
        echoString(echo, "expires", false),
        echoString(echo, "digest", false),
        echoString(echo, "description", false),
        opaque,
        header);
  }

  private static @Nullable String echoString(Map<?, ?> echo, String name, boolean required)
      throws MalformedMessageException {
    Object value = echo.get(name);
    if (value == null) {
      if (required) {
        throw new MalformedMessageException("credential has no `challenge." + name + "`");
      }
      return null;
    }
    if (!(value instanceof String s)) {
      throw new MalformedMessageException("credential `challenge." + name + "` is not a string");
    }
    return s;
  }

  /** The echoed challenge. */
  public Challenge challenge() {
    return challenge;
  }

  /** The method-specific proof, deeply unmodifiable. */
  public Map<String, Object> payload() {
    return payload;
  }

  /** The payer: a DID string, a JSON object, or null. */
  public @Nullable Object source() {
    return source;
  }

  /** The payer as a string, or null when absent or not a string. */
  public @Nullable String sourceString() {
    return source instanceof String s ? s : null;
  }

  /** The base64url token exactly as received (or as built). */
  public String encoded() {
    return encoded;
  }

  /** {@code Payment <token>}, for the {@code Authorization} header. */
  public String toHeaderValue() {
    return MppHeaders.SCHEME + " " + encoded;
  }

  /** The credential as a JSON object tree ({@code challenge}, {@code payload}, {@code source}). */
  public Map<String, Object> toJsonMap() {
    Map<String, Object> m = new LinkedHashMap<>(4);
    m.put("challenge", challenge.toEchoMap());
    m.put("payload", payload);
    if (source != null) {
      m.put("source", source);
    }
    return m;
  }

  /** Redacted: never prints the proof or the token. */
  @Override
  public String toString() {
    return "Credential{challengeId=" + challenge.id() + ", method=" + challenge.method() + "}";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Credential other && encoded.equals(other.encoded);
  }

  @Override
  public int hashCode() {
    return encoded.hashCode();
  }
}
