package io.mpp4j.core.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The parts of a credential document read by {@link Json#credentialFields}: the echoed challenge's
 * string members, the bytes of its {@code request} (plain ASCII, not yet a string), the payload and
 * the source. Members the document does not have are null; nothing here is validated beyond JSON
 * syntax.
 */
public final class CredentialFields {
  /**
   * The echoed challenge's member names in the order of {@link #echo(int)}: every auth-param of a
   * Payment challenge.
   */
  public static final List<String> ECHO_MEMBERS =
      List.of(
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

  /** Index of {@code id} for {@link #echo(int)}. */
  public static final int ID = 0;

  /** Index of {@code realm}. */
  public static final int REALM = 1;

  /** Index of {@code method}. */
  public static final int METHOD = 2;

  /** Index of {@code intent}. */
  public static final int INTENT = 3;

  /** Index of {@code expires}. */
  public static final int EXPIRES = 5;

  /** Index of {@code digest}. */
  public static final int DIGEST = 6;

  /** Index of {@code description}. */
  public static final int DESCRIPTION = 7;

  /** Index of {@code opaque}. */
  public static final int OPAQUE = 8;

  /** Index of {@code header}. */
  public static final int HEADER = 9;

  private final @Nullable String[] echo;
  private final byte[] json;
  private final int requestStart;
  private final int requestEnd;
  private final Map<String, Object> payload;
  private final @Nullable Object source;

  CredentialFields(
      @Nullable String[] echo,
      byte[] json,
      int requestStart,
      int requestEnd,
      Map<String, Object> payload,
      @Nullable Object source) {
    this.echo = echo;
    this.json = json;
    this.requestStart = requestStart;
    this.requestEnd = requestEnd;
    this.payload = payload;
    this.source = source;
  }

  /** An echoed string member by index ({@link #ID} and so on), or null when absent. */
  public @Nullable String echo(int index) {
    return echo[index];
  }

  /** The document bytes; {@code request} is {@code [requestStart, requestEnd)} of them. */
  public byte[] json() {
    return json;
  }

  /** Where the {@code request} text starts in {@link #json()}. */
  public int requestStart() {
    return requestStart;
  }

  /** Where the {@code request} text ends (exclusive) in {@link #json()}. */
  public int requestEnd() {
    return requestEnd;
  }

  /** The {@code request} text as a string. */
  public String request() {
    return new String(json, requestStart, requestEnd - requestStart, StandardCharsets.ISO_8859_1);
  }

  /** The payload object, deeply unmodifiable. */
  public Map<String, Object> payload() {
    return payload;
  }

  /** The source: a string, an unmodifiable map, or null (absent or JSON null). */
  public @Nullable Object source() {
    return source;
  }
}
