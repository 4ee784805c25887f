package io.mpp4j.core.binding;

import io.mpp4j.core.Base64Url;
import io.mpp4j.core.Challenge;
import io.mpp4j.core.MalformedMessageException;
import io.mpp4j.core.MppHeaders;
import io.mpp4j.core.PaymentRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Stateless challenge binding: the challenge id is {@code base64url(HMAC-SHA256(secret, input))}
 * where the input is the pipe-joined slots
 *
 * <pre>
 * realm | method | intent | request | expires | digest [| header] | opaque
 * </pre>
 *
 * with {@code request} the canonical (RFC 8785) base64url encoding of the request object, absent
 * optional slots empty, and the {@code header} slot present only for {@code Payment-Authorization}.
 * {@code description} is not bound.
 *
 * <p>Ids are issued with the current secret; {@link #verify} also accepts ids made with previous
 * secrets, so a rotation does not invalidate challenges already handed out. Remove a previous
 * secret once the longest challenge lifetime has passed since the rotation.
 *
 * <p>Immutable and thread-safe.
 */
public final class ChallengeBinder {
  private final ChallengeSecret current;
  private final List<ChallengeSecret> all;

  private ChallengeBinder(ChallengeSecret current, List<ChallengeSecret> previous) {
    this.current = current;
    List<ChallengeSecret> secrets = new ArrayList<>(1 + previous.size());
    secrets.add(current);
    secrets.addAll(previous);
    this.all = List.copyOf(secrets);
  }

  /** A binder issuing with {@code current} and accepting {@code previous} too. */
  public static ChallengeBinder of(ChallengeSecret current, List<ChallengeSecret> previous) {
    Objects.requireNonNull(current, "current == null");
    Objects.requireNonNull(previous, "previous == null");
    return new ChallengeBinder(current, previous);
  }

  /** A binder with a single secret. */
  public static ChallengeBinder of(ChallengeSecret current) {
    return of(current, List.of());
  }

  /** The id the current secret gives these challenge parameters ({@code id} is ignored). */
  public String computeId(Challenge challenge) {
    return Base64Url.encode(current.hmac(prefix(challenge), rest(challenge)));
  }

  /** The id the current secret gives these parameters. */
  public String computeId(
      String realm,
      String method,
      String intent,
      PaymentRequest request,
      @Nullable String expires,
      @Nullable String digest,
      @Nullable String header,
      @Nullable String opaque) {
    return Base64Url.encode(
        current.hmac(
            new Prefix(realm, method, intent, request), rest(expires, digest, header, opaque)));
  }

  /**
   * Whether {@code challenge.id()} is the binding of its other parameters under the current or a
   * previous secret. Every secret is tried and the comparison is constant-time, so timing reveals
   * neither the expected id nor which secret matched.
   */
  public boolean verify(Challenge challenge) {
    String id = challenge.id();
    byte[] presented = null;
    if (id.length() == 43) {
      try {
        presented = Base64Url.decode(id);
      } catch (MalformedMessageException e) {
        presented = null; // not an id this binder could have made
      }
    }
    Prefix prefix = prefix(challenge);
    byte[] rest = rest(challenge);
    boolean ok = false;
    for (ChallengeSecret secret : all) {
      byte[] expected = secret.hmac(prefix, rest);
      ok |= presented != null && MessageDigest.isEqual(expected, presented);
    }
    return ok;
  }

  /**
   * The first slots of the HMAC input, {@code realm|method|intent|request|}: the same for every
   * challenge of a route, so the secret can reuse the hash state after them. The request slot is
   * the canonical re-encoding of the (decoded) request, so a client that re-encodes an equivalent
   * object still matches, as in the reference SDK.
   */
  record Prefix(String realm, String method, String intent, PaymentRequest request) {
    byte[] bytes() {
      return (realm + '|' + method + '|' + intent + '|' + request.encoded() + '|')
          .getBytes(StandardCharsets.UTF_8);
    }
  }

  private static Prefix prefix(Challenge c) {
    return new Prefix(c.realm(), c.method(), c.intent().name(), c.request());
  }

  private static byte[] rest(Challenge c) {
    return rest(c.expires(), c.digest(), c.header(), c.opaque());
  }

  /** The remaining slots: {@code expires|digest|[header|]opaque}. */
  static byte[] rest(
      @Nullable String expires,
      @Nullable String digest,
      @Nullable String header,
      @Nullable String opaque) {
    boolean headerSlot = header != null && !MppHeaders.AUTHORIZATION.equalsIgnoreCase(header);
    long length =
        2
            + asciiLength(expires)
            + asciiLength(digest)
            + (headerSlot ? asciiLength(header) + 1 : 0)
            + asciiLength(opaque);
    if (length >= 2 && length <= MAX_DIRECT) {
      // All ASCII (the usual case): UTF-8 is one byte per character, written straight in.
      byte[] out = new byte[(int) length];
      int at = putAscii(out, 0, expires);
      out[at++] = '|';
      at = putAscii(out, at, digest);
      out[at++] = '|';
      if (headerSlot) {
        at = putAscii(out, at, header);
        out[at++] = '|';
      }
      putAscii(out, at, opaque);
      return out;
    }
    StringBuilder sb = new StringBuilder(128);
    if (expires != null) {
      sb.append(expires);
    }
    sb.append('|');
    if (digest != null) {
      sb.append(digest);
    }
    sb.append('|');
    if (header != null && !MppHeaders.AUTHORIZATION.equalsIgnoreCase(header)) {
      sb.append(header).append('|');
    }
    if (opaque != null) {
      sb.append(opaque);
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static final long MAX_DIRECT = 1 << 20;

  /** The length of {@code s} when it is all ASCII, 0 when null, else a large negative number. */
  private static long asciiLength(@Nullable String s) {
    if (s == null) {
      return 0;
    }
    int n = s.length();
    for (int i = 0; i < n; i++) {
      if (s.charAt(i) >= 0x80) {
        return -1L << 40;
      }
    }
    return n;
  }

  private static int putAscii(byte[] out, int at, @Nullable String s) {
    if (s == null) {
      return at;
    }
    int n = s.length();
    for (int i = 0; i < n; i++) {
      out[at + i] = (byte) s.charAt(i);
    }
    return at + n;
  }

  /**
   * The whole HMAC input, {@code realm|method|intent|request|expires|digest|[header|]opaque}: the
   * single definition both issuing and verifying use (as {@link Prefix} plus {@link #rest}).
   */
  static byte[] input(
      String realm,
      String method,
      String intent,
      PaymentRequest request,
      @Nullable String expires,
      @Nullable String digest,
      @Nullable String header,
      @Nullable String opaque) {
    byte[] head = new Prefix(realm, method, intent, request).bytes();
    byte[] tail = rest(expires, digest, header, opaque);
    byte[] all = java.util.Arrays.copyOf(head, head.length + tail.length);
    System.arraycopy(tail, 0, all, head.length, tail.length);
    return all;
  }
}
