package io.mpp4j.spi;

import io.mpp4j.core.Challenge;
import io.mpp4j.core.Credential;
import io.mpp4j.core.PaymentRequest;
import io.mpp4j.core.PaymentRequirement;
import io.mpp4j.core.RequestView;
import io.mpp4j.store.ReplayStore;
import io.mpp4j.store.StateStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/**
 * Everything a {@link PaymentMethod} needs to verify one credential. The echoed challenge has
 * already been checked against the HMAC binding, the route, its expiry and the body digest.
 *
 * <p>Immutable and thread-safe.
 */
public final class VerificationContext {
  private final Credential credential;
  private final PaymentRequest offered;
  private final PaymentRequirement requirement;
  private final RequestView request;
  private final StateStore store;
  private final ReplayStore replayStore;
  private final Clock clock;
  private final Instant expires;

  /**
   * Creates the context on a claim-only store, seen through {@link
   * ReplayStore#toStateStore(ReplayStore)} by {@link #store()}.
   *
   * @param credential the credential being verified
   * @param offered the request this route offers now for the method
   * @param requirement the route's requirement
   * @param request the incoming request
   * @param replayStore the store for single-use claims
   * @param clock the gate's clock
   * @param expires the challenge's expiry
   */
  public VerificationContext(
      Credential credential,
      PaymentRequest offered,
      PaymentRequirement requirement,
      RequestView request,
      ReplayStore replayStore,
      Clock clock,
      Instant expires) {
    this(
        credential,
        offered,
        requirement,
        request,
        ReplayStore.toStateStore(replayStore),
        replayStore,
        clock,
        expires);
  }

  private VerificationContext(
      Credential credential,
      PaymentRequest offered,
      PaymentRequirement requirement,
      RequestView request,
      StateStore store,
      ReplayStore replayStore,
      Clock clock,
      Instant expires) {
    this.credential = Objects.requireNonNull(credential, "credential == null");
    this.offered = Objects.requireNonNull(offered, "offered == null");
    this.requirement = Objects.requireNonNull(requirement, "requirement == null");
    this.request = Objects.requireNonNull(request, "request == null");
    this.store = store;
    this.replayStore = replayStore;
    this.clock = Objects.requireNonNull(clock, "clock == null");
    this.expires = Objects.requireNonNull(expires, "expires == null");
  }

  /**
   * Creates the context (the gate does this).
   *
   * @param credential the credential being verified
   * @param offered the request this route offers now for the method
   * @param requirement the route's requirement
   * @param request the incoming request
   * @param store the gate's state store, for single-use claims and method state
   * @param clock the gate's clock
   * @param expires the challenge's expiry
   */
  public static VerificationContext of(
      Credential credential,
      PaymentRequest offered,
      PaymentRequirement requirement,
      RequestView request,
      StateStore store,
      Clock clock,
      Instant expires) {
    Objects.requireNonNull(store, "store == null");
    return new VerificationContext(
        credential, offered, requirement, request, store, ReplayStore.view(store), clock, expires);
  }

  /** The credential. */
  public Credential credential() {
    return credential;
  }

  /** The echoed (and verified) challenge. */
  public Challenge challenge() {
    return credential.challenge();
  }

  /** The echoed request object, HMAC-bound: what the payer was asked to pay. */
  public PaymentRequest request() {
    return credential.challenge().request();
  }

  /** The request this route offers now for this method (its pinned fields equal the echo's). */
  public PaymentRequest offered() {
    return offered;
  }

  /** The route's requirement. */
  public PaymentRequirement requirement() {
    return requirement;
  }

  /** The incoming HTTP request. */
  public RequestView httpRequest() {
    return request;
  }

  /**
   * The gate's state store: claim a method's replay key here ({@link StateStore#claim}) and release
   * it with the owner token when nothing was paid; sessions keep their state here too.
   */
  public StateStore store() {
    return store;
  }

  /**
   * The same store through the older claim-only calls, for methods written against them: {@link
   * ReplayStore#view} of {@link #store()} for this verification, or the {@code ReplayStore} the
   * context was created with. New methods use {@link #store()}.
   */
  public ReplayStore replayStore() {
    return replayStore;
  }

  /** The clock to judge time by. */
  public Clock clock() {
    return clock;
  }

  /** The challenge's expiry. */
  public Instant expires() {
    return expires;
  }

  /** Whether the challenge has expired by now (re-check right before settling). */
  public boolean isExpired() {
    return clock.instant().isAfter(expires);
  }
}
