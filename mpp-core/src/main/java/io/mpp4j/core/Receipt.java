package io.mpp4j.core;

import io.mpp4j.core.internal.Json;
import io.mpp4j.core.internal.Timestamps;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A {@code Payment-Receipt}: {@code base64url(JSON)} sent with a successful (2xx) paid response.
 * Core fields are {@code status} (always {@code success} when a server issues one), {@code method},
 * {@code timestamp} (RFC 3339) and {@code reference} (method-specific, e.g. a transaction hash or a
 * PaymentIntent id); method extensions such as {@code challengeId} live in {@link #extra()}.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * Receipt receipt = Receipt.success("tempo", "0xabc...", clock.instant());
 * response.setHeader("Payment-Receipt", receipt.toHeaderValue());
 * }</pre>
 *
 * @param status {@code success}
 * @param method the payment method, or null when a parsed receipt had none
 * @param timestamp RFC 3339 timestamp as written
 * @param reference method-specific reference
 * @param externalId the merchant reference bound in the request, or null
 * @param extra further members, in order (deeply unmodifiable)
 */
public record Receipt(
    String status,
    @Nullable String method,
    String timestamp,
    String reference,
    @Nullable String externalId,
    Map<String, Object> extra) {

  /** Upper bound on a receipt header value this parser accepts. */
  public static final int MAX_LENGTH = 16 * 1024;

  private static final Set<String> CORE =
      Set.of("status", "method", "timestamp", "reference", "externalId");

  /** Validates the invariants; see the record components. */
  public Receipt {
    Objects.requireNonNull(status, "status == null");
    Objects.requireNonNull(timestamp, "timestamp == null");
    Objects.requireNonNull(reference, "reference == null");
    Objects.requireNonNull(extra, "extra == null");
    if (status.isEmpty()) {
      throw new IllegalArgumentException("status must not be empty");
    }
    if (reference.isEmpty()) {
      throw new IllegalArgumentException("reference must not be empty");
    }
    for (String key : extra.keySet()) {
      if (CORE.contains(key)) {
        throw new IllegalArgumentException("extra must not repeat the core field `" + key + "`");
      }
    }
    extra = Json.freezeObject(extra);
  }

  /** A {@code success} receipt with a millisecond UTC timestamp. */
  public static Receipt success(String method, String reference, Instant timestamp) {
    Objects.requireNonNull(method, "method == null");
    return new Receipt(
        "success", method, Timestamps.formatMillis(timestamp), reference, null, Map.of());
  }

  /** This receipt with {@code externalId} set. */
  public Receipt withExternalId(@Nullable String newExternalId) {
    return new Receipt(status, method, timestamp, reference, newExternalId, extra);
  }

  /** This receipt with one more extension member. */
  public Receipt with(String name, @Nullable Object value) {
    Map<String, Object> copy = new LinkedHashMap<>(extra);
    copy.put(Objects.requireNonNull(name, "name == null"), value);
    return new Receipt(status, method, timestamp, reference, externalId, copy);
  }

  /**
   * Parses a {@code Payment-Receipt} header value.
   *
   * @throws MalformedMessageException when it is not base64url of a JSON object with string {@code
   *     status}, {@code timestamp} and {@code reference}
   */
  public static Receipt parse(String headerValue) throws MalformedMessageException {
    Objects.requireNonNull(headerValue, "headerValue == null");
    String token = headerValue.strip();
    if (token.length() > MAX_LENGTH) {
      throw new MalformedMessageException("receipt is longer than " + MAX_LENGTH + " characters");
    }
    byte[] json;
    try {
      json = Base64Url.decode(token);
    } catch (MalformedMessageException e) {
      throw new MalformedMessageException("receipt is not valid base64url", e);
    }
    Map<String, Object> root = Json.parseObject(json, "receipt");
    String status = string(root, "status", true);
    String timestamp = string(root, "timestamp", true);
    String reference = string(root, "reference", true);
    if (status == null || status.isEmpty()) {
      throw new MalformedMessageException("receipt `status` is empty");
    }
    if (reference == null || reference.isEmpty()) {
      throw new MalformedMessageException("receipt `reference` is empty");
    }
    if (timestamp == null || Timestamps.parse(timestamp) == null) {
      throw new MalformedMessageException("receipt `timestamp` is not an RFC 3339 date-time");
    }
    Map<String, Object> extra = new LinkedHashMap<>();
    root.forEach(
        (k, v) -> {
          if (!CORE.contains(k)) {
            extra.put(k, v);
          }
        });
    return new Receipt(
        status,
        string(root, "method", false),
        timestamp,
        reference,
        string(root, "externalId", false),
        extra);
  }

  private static @Nullable String string(Map<String, Object> root, String name, boolean required)
      throws MalformedMessageException {
    Object value = root.get(name);
    if (value == null) {
      if (required) {
        throw new MalformedMessageException("receipt has no `" + name + "`");
      }
      return null;
    }
    if (!(value instanceof String s)) {
      throw new MalformedMessageException("receipt `" + name + "` is not a string");
    }
    return s;
  }

  /** The receipt as a JSON object tree: core fields first, then {@link #extra()}. */
  public Map<String, Object> toJsonMap() {
    Map<String, Object> m = new LinkedHashMap<>(8 + extra.size());
    m.put("status", status);
    if (method != null) {
      m.put("method", method);
    }
    m.put("timestamp", timestamp);
    m.put("reference", reference);
    if (externalId != null) {
      m.put("externalId", externalId);
    }
    m.putAll(extra);
    return m;
  }

  /** {@code base64url(JSON)} for the {@code Payment-Receipt} header. */
  public String toHeaderValue() {
    return Base64Url.encode(Json.write(toJsonMap()));
  }
}
