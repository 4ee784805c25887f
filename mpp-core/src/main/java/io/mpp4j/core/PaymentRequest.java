package io.mpp4j.core;

import io.mpp4j.core.internal.Json;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The {@code request} object of a challenge: what is asked for (amount, currency, recipient, method
 * details). On the wire it is {@code base64url(JCS(object))}; this type keeps the object, its
 * canonical encoding, and (when parsed) the exact text that was received.
 *
 * <p>Immutable and thread-safe. Two requests are equal when their canonical encodings are equal.
 *
 * <pre>{@code
 * PaymentRequest request = PaymentRequest.builder()
 *     .amount("1000000")
 *     .currency("0x20c0000000000000000000000000000000000000")
 *     .recipient("0x742d35Cc6634C0532925a3b844Bc9e7595f1B0F2")
 *     .put("methodDetails", Map.of("chainId", 42431))
 *     .build();
 * String wire = request.encoded();   // base64url of the canonical JSON
 * }</pre>
 */
public final class PaymentRequest {
  /** Upper bound on the {@code request} wire string, as the other SDKs enforce. */
  public static final int MAX_ENCODED_LENGTH = 16 * 1024;

  private static final PaymentRequest EMPTY = new PaymentRequest(Map.of(), null);

  private final Map<String, Object> fields;
  private final String encoded;
  private final String received;

  /** The canonical JSON text, made from {@link #encoded} when first asked for (rarely needed). */
  private @Nullable String canonicalJson;

  private PaymentRequest(Map<String, Object> frozenFields, @Nullable String received) {
    this.fields = frozenFields;
    this.encoded = Base64Url.encode(CanonicalJson.canonicalize(frozenFields));
    this.received = received == null ? encoded : received;
  }

  /** An empty request object ({@code {}}, wire {@code e30}). */
  public static PaymentRequest empty() {
    return EMPTY;
  }

  /**
   * Builds a request from a JSON object tree of plain Java values.
   *
   * @throws IllegalArgumentException when the tree holds values JSON cannot represent
   */
  public static PaymentRequest of(Map<String, ?> fields) {
    Objects.requireNonNull(fields, "fields == null");
    return new PaymentRequest(Json.freezeObject(fields), null);
  }

  /**
   * Parses the base64url wire form of a request.
   *
   * @throws MalformedMessageException when the text is not strict base64url of one JSON object
   */
  public static PaymentRequest parse(String encoded) throws MalformedMessageException {
    Objects.requireNonNull(encoded, "encoded == null");
    return decode(encoded);
  }

  /**
   * {@link #parse}, except that when {@code encoded} is exactly the wire text of one of {@code
   * known}, that request is returned, which is what parsing the text would give.
   */
  static PaymentRequest parse(String encoded, List<PaymentRequest> known)
      throws MalformedMessageException {
    for (PaymentRequest k : known) {
      if (k.received.equals(encoded)) {
        return k;
      }
    }
    return parse(encoded);
  }

  private static PaymentRequest decode(String encoded) throws MalformedMessageException {
    if (encoded.length() > MAX_ENCODED_LENGTH) {
      throw new MalformedMessageException(
          "`request` is longer than " + MAX_ENCODED_LENGTH + " characters");
    }
    byte[] json;
    try {
      json = Base64Url.decode(encoded);
    } catch (MalformedMessageException e) {
      throw new MalformedMessageException("`request` is not valid base64url", e);
    }
    Map<String, Object> fields = Json.parseObject(json, "`request`");
    try {
      return new PaymentRequest(fields, encoded);
    } catch (IllegalArgumentException e) {
      throw new MalformedMessageException("`request` cannot be canonicalized", e);
    }
  }

  /** Starts a builder. */
  public static Builder builder() {
    return new Builder(new LinkedHashMap<>());
  }

  /** A builder pre-filled with this request's fields. */
  public Builder toBuilder() {
    return new Builder(new LinkedHashMap<>(fields));
  }

  /** The fields, deeply unmodifiable, in the order they were given or received. */
  public Map<String, Object> fields() {
    return fields;
  }

  /** The value of a top-level field, or null. */
  public @Nullable Object get(String name) {
    return fields.get(name);
  }

  /** A top-level string field, or null when absent or not a string. */
  public @Nullable String getString(String name) {
    return fields.get(name) instanceof String s ? s : null;
  }

  /** {@code amount} in base units, or null. */
  public @Nullable String amount() {
    return getString("amount");
  }

  /** {@code currency}, or null. */
  public @Nullable String currency() {
    return getString("currency");
  }

  /** {@code recipient}, or null. */
  public @Nullable String recipient() {
    return getString("recipient");
  }

  /** {@code externalId}, or null. */
  public @Nullable String externalId() {
    return getString("externalId");
  }

  /** {@code methodDetails} as an unmodifiable map; empty when absent or not an object. */
  @SuppressWarnings("unchecked")
  public Map<String, Object> methodDetails() {
    return fields.get("methodDetails") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  /** The RFC 8785 canonical JSON text. */
  public String canonicalJson() {
    String text = canonicalJson;
    if (text == null) {
      // A benign race: every thread computes the same immutable string.
      text = new String(java.util.Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8);
      canonicalJson = text;
    }
    return text;
  }

  /** {@code base64url(JCS(fields))}: the form a server emits and binds into the challenge id. */
  public String encoded() {
    return encoded;
  }

  /**
   * The exact wire text this request was parsed from, or {@link #encoded()} if it was built. Either
   * way it holds only base64url alphabet characters (parsing accepts nothing else), so it can be
   * written into a header without escaping.
   */
  public String received() {
    return received;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PaymentRequest other && encoded.equals(other.encoded);
  }

  @Override
  public int hashCode() {
    return encoded.hashCode();
  }

  @Override
  public String toString() {
    return "PaymentRequest" + canonicalJson();
  }

  /** Builds a {@link PaymentRequest}. Not thread-safe. */
  public static final class Builder {
    private final Map<String, Object> fields;

    private Builder(Map<String, Object> fields) {
      this.fields = fields;
    }

    /** Sets {@code amount}, an integer in base units written as a decimal string. */
    public Builder amount(String amount) {
      Objects.requireNonNull(amount, "amount == null");
      if (!isBaseUnits(amount)) {
        throw new IllegalArgumentException(
            "amount must be a non-negative integer in base units (digits only), but was \""
                + amount
                + "\"");
      }
      fields.put("amount", amount);
      return this;
    }

    /** Sets {@code currency}. */
    public Builder currency(String currency) {
      return put("currency", Objects.requireNonNull(currency, "currency == null"));
    }

    /** Sets {@code recipient}. */
    public Builder recipient(String recipient) {
      return put("recipient", Objects.requireNonNull(recipient, "recipient == null"));
    }

    /** Sets {@code description} (display text, bound into the challenge id). */
    public Builder description(String description) {
      return put("description", Objects.requireNonNull(description, "description == null"));
    }

    /** Sets {@code externalId} (merchant reference, bound into the challenge id). */
    public Builder externalId(String externalId) {
      return put("externalId", Objects.requireNonNull(externalId, "externalId == null"));
    }

    /** Sets any top-level field to a JSON value (Map, List, String, Number, Boolean or null). */
    public Builder put(String name, @Nullable Object value) {
      Objects.requireNonNull(name, "name == null");
      fields.put(name, value);
      return this;
    }

    /** Removes a top-level field. */
    public Builder remove(String name) {
      fields.remove(name);
      return this;
    }

    /**
     * Builds the request.
     *
     * @throws IllegalArgumentException when a value cannot be represented as JSON
     */
    public PaymentRequest build() {
      return PaymentRequest.of(fields);
    }
  }

  /** Whether {@code s} is a decimal integer string without sign, dot, exponent or leading zero. */
  public static boolean isBaseUnits(String s) {
    int n = s.length();
    if (n == 0 || n > 78 || (n > 1 && s.charAt(0) == '0')) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }
}
