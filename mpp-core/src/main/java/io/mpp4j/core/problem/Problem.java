package io.mpp4j.core.problem;

import io.mpp4j.core.internal.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * An RFC 9457 problem-details document as MPP servers send it ({@code application/problem+json}):
 * {@code type}, {@code title}, {@code status}, {@code detail}, plus the extension members {@code
 * challengeId} (the fresh challenge that accompanies a 402), {@code reason} (a stable code), {@code
 * hint}, and further members a problem type defines (such as {@code requiredTopUp} of {@code
 * session/insufficient-balance}).
 *
 * <p>Immutable and thread-safe. {@code detail} and {@code hint} are written by mpp4j or the payment
 * method, never copied from upstream services, and never contain secrets or credentials.
 *
 * @param type the problem type
 * @param detail a human-readable explanation of this occurrence
 * @param reason a stable machine-readable reason, or null
 * @param challengeId the id of the fresh challenge sent with this problem, or null
 * @param hint what the client can do about it, or null
 * @param extensions further members, in order, written after the others (deeply unmodifiable; names
 *     other than the standard and mpp4j members above)
 */
public record Problem(
    ProblemType type,
    String detail,
    @Nullable ReasonCode reason,
    @Nullable String challengeId,
    @Nullable String hint,
    Map<String, Object> extensions) {

  private static final Set<String> RESERVED =
      Set.of("type", "title", "status", "detail", "instance", "challengeId", "reason", "hint");

  /** Validates the invariants. */
  public Problem {
    Objects.requireNonNull(type, "type == null");
    Objects.requireNonNull(detail, "detail == null");
    Objects.requireNonNull(extensions, "extensions == null");
    for (String name : extensions.keySet()) {
      if (RESERVED.contains(name)) {
        throw new IllegalArgumentException("extension member `" + name + "` is reserved");
      }
    }
    extensions = Json.freezeObject(extensions);
  }

  /** A problem without extension members. */
  public Problem(
      ProblemType type,
      String detail,
      @Nullable ReasonCode reason,
      @Nullable String challengeId,
      @Nullable String hint) {
    this(type, detail, reason, challengeId, hint, Map.of());
  }

  /** A problem of {@code type} with a detail and a reason. */
  public static Problem of(ProblemType type, ReasonCode reason, String detail) {
    return new Problem(type, detail, reason, null, null);
  }

  /** The HTTP status of this problem. */
  public int status() {
    return type.status();
  }

  /** This problem with the id of the fresh challenge that accompanies it. */
  public Problem withChallengeId(@Nullable String id) {
    return new Problem(type, detail, reason, id, hint, extensions);
  }

  /** This problem with a hint. */
  public Problem withHint(@Nullable String newHint) {
    return new Problem(type, detail, reason, challengeId, newHint, extensions);
  }

  /**
   * This problem with more extension members (added after the existing ones; a name already present
   * is replaced).
   *
   * @throws IllegalArgumentException when a name is a standard or mpp4j member
   */
  public Problem withExtensions(Map<String, ?> more) {
    Objects.requireNonNull(more, "more == null");
    if (more.isEmpty()) {
      return this;
    }
    Map<String, Object> copy = new LinkedHashMap<>(extensions);
    copy.putAll(more);
    return new Problem(type, detail, reason, challengeId, hint, copy);
  }

  /** The body as a JSON object tree. */
  public Map<String, Object> toJsonMap() {
    Map<String, Object> m = new LinkedHashMap<>(8);
    m.put("type", type.uri());
    m.put("title", type.title());
    m.put("status", type.status());
    m.put("detail", detail);
    if (challengeId != null) {
      m.put("challengeId", challengeId);
    }
    if (reason != null) {
      m.put("reason", reason.code());
    }
    if (hint != null) {
      m.put("hint", hint);
    }
    m.putAll(extensions);
    return m;
  }

  /** The {@code application/problem+json} body as UTF-8 bytes. */
  public byte[] toJson() {
    return Json.write(toJsonMap());
  }
}
