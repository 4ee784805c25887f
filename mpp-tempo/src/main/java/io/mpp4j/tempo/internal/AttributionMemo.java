package io.mpp4j.tempo.internal;

import io.mpp4j.core.MalformedMessageException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The MPP attribution memo: the {@code bytes32} a client writes with {@code transferWithMemo} to
 * bind a payment to one challenge of one server.
 *
 * <table>
 *   <caption>Layout</caption>
 *   <tr><th>Bytes</th><th>Content</th></tr>
 *   <tr><td>0..3</td><td>tag {@code keccak256("mpp")[0..3]} = {@code 0xef1ed712}</td></tr>
 *   <tr><td>4</td><td>version {@code 0x01}</td></tr>
 *   <tr><td>5..14</td><td>server fingerprint {@code keccak256(realm)[0..9]}</td></tr>
 *   <tr><td>15..24</td><td>client fingerprint {@code keccak256(clientId)[0..9]}, or zeros</td></tr>
 *   <tr><td>25..31</td><td>nonce {@code keccak256(challengeId)[0..6]}</td></tr>
 * </table>
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * AttributionMemo memo = AttributionMemo.of("api.example.com", "challenge-123");
 * boolean ok = AttributionMemo.matches(memoFromCall, realm, challenge.id());
 * }</pre>
 */
public final class AttributionMemo {
  /** Memo length in bytes. */
  public static final int LENGTH = 32;

  /** The version byte this class writes and accepts. */
  public static final int VERSION = 0x01;

  private static final byte[] TAG = {(byte) 0xef, 0x1e, (byte) 0xd7, 0x12};

  private final byte[] bytes;

  private AttributionMemo(byte[] bytes) {
    this.bytes = bytes;
  }

  /** The memo for {@code realm} and {@code challengeId}, with a zero client fingerprint. */
  public static AttributionMemo of(String realm, String challengeId) {
    return of(realm, challengeId, null);
  }

  /** The memo for {@code realm}, {@code challengeId} and an optional client id. */
  public static AttributionMemo of(String realm, String challengeId, @Nullable String clientId) {
    Objects.requireNonNull(realm, "realm == null");
    Objects.requireNonNull(challengeId, "challengeId == null");
    byte[] out = new byte[LENGTH];
    System.arraycopy(TAG, 0, out, 0, 4);
    out[4] = VERSION;
    System.arraycopy(fingerprint(realm), 0, out, 5, 10);
    if (clientId != null) {
      System.arraycopy(fingerprint(clientId), 0, out, 15, 10);
    }
    System.arraycopy(Keccak.hash(utf8(challengeId)), 0, out, 25, 7);
    return new AttributionMemo(out);
  }

  /**
   * Wraps 32 bytes that carry the MPP tag and version.
   *
   * @throws MalformedMessageException if the length, tag or version is wrong
   */
  public static AttributionMemo from(byte[] memo) throws MalformedMessageException {
    Objects.requireNonNull(memo, "memo == null");
    if (!isAttributionMemo(memo)) {
      throw new MalformedMessageException("memo is not an MPP attribution memo");
    }
    return new AttributionMemo(memo.clone());
  }

  /** True if {@code memo} is 32 bytes with the MPP tag and version. */
  public static boolean isAttributionMemo(byte[] memo) {
    Objects.requireNonNull(memo, "memo == null");
    return memo.length == LENGTH
        && Arrays.equals(memo, 0, 4, TAG, 0, 4)
        && (memo[4] & 0xff) == VERSION;
  }

  /**
   * True if {@code memo} is an MPP attribution memo for this realm and challenge. The client
   * fingerprint is ignored.
   */
  public static boolean matches(byte[] memo, String realm, String challengeId) {
    Objects.requireNonNull(realm, "realm == null");
    Objects.requireNonNull(challengeId, "challengeId == null");
    if (!isAttributionMemo(memo)) {
      return false;
    }
    byte[] expected = of(realm, challengeId).bytes;
    boolean server =
        MessageDigest.isEqual(Arrays.copyOfRange(memo, 5, 15), Arrays.copyOfRange(expected, 5, 15));
    boolean nonce =
        MessageDigest.isEqual(
            Arrays.copyOfRange(memo, 25, 32), Arrays.copyOfRange(expected, 25, 32));
    return server && nonce;
  }

  /** A copy of the 32 bytes. */
  public byte[] toBytes() {
    return bytes.clone();
  }

  /** {@code 0x}-prefixed hex. */
  public String toHex() {
    return Hex.encode(bytes);
  }

  /** True if the client fingerprint is set (not ten zero bytes). */
  public boolean hasClient() {
    for (int i = 15; i < 25; i++) {
      if (bytes[i] != 0) {
        return true;
      }
    }
    return false;
  }

  private static byte[] fingerprint(String s) {
    return Arrays.copyOf(Keccak.hash(utf8(s)), 10);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof AttributionMemo m && Arrays.equals(bytes, m.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return toHex();
  }
}
