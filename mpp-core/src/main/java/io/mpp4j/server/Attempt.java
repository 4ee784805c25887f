package io.mpp4j.server;

import io.mpp4j.core.Credential;
import io.mpp4j.core.PaymentRequirement;
import io.mpp4j.core.RequestView;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One request on its way through the gate's stages: what each stage learnt, for the next stages and
 * for the event. Confined to the request's thread.
 */
final class Attempt {
  final String route;
  final PaymentRequirement requirement;
  final RequestView request;
  final List<Offers.Offer> offers;

  /** The token found by the extraction stage. */
  CredentialExtractor.@Nullable Token token;

  /** The decoded credential. */
  @Nullable Credential credential;

  /** Whether the echoed challenge carries this server's HMAC: its fields are authentic. */
  boolean bound;

  /** This route's offer of the echoed method and intent. */
  Offers.@Nullable Offer offer;

  /** The echoed challenge's expiry, and the time it was checked at. */
  @Nullable Instant expires;

  @Nullable Instant checkedAt;

  /** The claim on the challenge id and its owner token, once taken. */
  @Nullable String claimKey;

  @Nullable String claimOwner;

  Attempt(
      String route,
      PaymentRequirement requirement,
      RequestView request,
      List<Offers.Offer> offers) {
    this.route = route;
    this.requirement = requirement;
    this.request = request;
    this.offers = offers;
  }

  Credential credential() {
    return Objects.requireNonNull(credential, "no credential decoded yet");
  }

  Offers.Offer offer() {
    return Objects.requireNonNull(offer, "no offer matched yet");
  }

  Instant expires() {
    return Objects.requireNonNull(expires, "expiry not checked yet");
  }
}
