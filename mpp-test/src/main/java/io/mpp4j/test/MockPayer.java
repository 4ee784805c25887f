package io.mpp4j.test;

import io.mpp4j.core.Challenge;
import io.mpp4j.core.Credential;
import io.mpp4j.core.MalformedMessageException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Answers 402 challenges with credentials {@link MockPaymentMethod} accepts, the way a paying
 * client would: pick the {@code mock} challenge, echo it unchanged, attach a mock proof.
 *
 * <p>Thread-safe; all methods are static.
 *
 * <pre>{@code
 * HttpResponse<String> first = http.send(get("/api/premium"), ofString());    // 402
 * String authorization = MockPayer.pay(first.headers().allValues("WWW-Authenticate"));
 * HttpResponse<String> paid = http.send(get("/api/premium", "Authorization", authorization), ofString());
 * }</pre>
 */
public final class MockPayer {
  private MockPayer() {}

  /**
   * The {@code Authorization} value paying the mock challenge among the given {@code
   * WWW-Authenticate} header values.
   *
   * @throws IllegalArgumentException when no mock challenge is offered or the headers are malformed
   */
  public static String pay(List<String> wwwAuthenticateValues) {
    Objects.requireNonNull(wwwAuthenticateValues, "wwwAuthenticateValues == null");
    List<Challenge> challenges;
    try {
      challenges = Challenge.parseAll(wwwAuthenticateValues);
    } catch (MalformedMessageException e) {
      throw new IllegalArgumentException("no valid Payment challenge: " + e.getMessage(), e);
    }
    for (Challenge c : challenges) {
      if (MockPaymentMethod.NAME.equals(c.method())) {
        return pay(c);
      }
    }
    throw new IllegalArgumentException(
        "no '" + MockPaymentMethod.NAME + "' challenge among " + challenges.size() + " offered");
  }

  /** The {@code Authorization} value paying the mock challenge in one header value. */
  public static String pay(String wwwAuthenticateValue) {
    return pay(
        List.of(Objects.requireNonNull(wwwAuthenticateValue, "wwwAuthenticateValue == null")));
  }

  /** The {@code Authorization} value paying {@code challenge}. */
  public static String pay(Challenge challenge) {
    return credential(challenge).toHeaderValue();
  }

  /** The credential paying {@code challenge}, with a random mock token and a mock payer DID. */
  public static Credential credential(Challenge challenge) {
    Objects.requireNonNull(challenge, "challenge == null");
    return Credential.of(
        challenge,
        Map.of("type", MockPaymentMethod.PAYLOAD_TYPE, "token", "tok_" + UUID.randomUUID()),
        "did:mock:payer");
  }
}
