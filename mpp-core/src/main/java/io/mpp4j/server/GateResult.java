package io.mpp4j.server;

import io.mpp4j.core.Challenge;
import io.mpp4j.core.Credential;
import io.mpp4j.core.Receipt;
import io.mpp4j.core.problem.Problem;
import io.mpp4j.spi.Settlement;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The engine's answer for one request. It is sealed: on Java 21 adapters switch over it
 * exhaustively; on Java 17 they test the three cases with {@code instanceof}:
 *
 * <pre>{@code
 * GateResult result = gate.evaluate(requirement, view);
 * if (result instanceof GateResult.Paid paid) {
 *   runHandler();
 *   response.setHeader("Payment-Receipt", paid.receipt().toHeaderValue());
 * } else if (result instanceof GateResult.PaymentRequired required) {
 *   write402(required.challenges(), required.problem());
 * } else if (result instanceof GateResult.Rejected rejected) {
 *   writeProblem(rejected.status(), rejected.problem(), rejected.challenges());
 * }
 * }</pre>
 *
 * <p>On every non-{@link Paid} result: status {@link #status()}, one {@code WWW-Authenticate}
 * header per challenge (in order), {@code Cache-Control: no-store}, and the problem as an {@code
 * application/problem+json} body. On {@link Paid}: run the application, then add {@code
 * Payment-Receipt} and make {@code Cache-Control} include {@code private}.
 */
public sealed interface GateResult {
  /** The HTTP status to answer with (200 for {@link Paid}: the application decides). */
  int status();

  /**
   * No credential: ask for payment.
   *
   * @param challenges the fresh challenges, ordered by the client's {@code Accept-Payment}
   * @param problem the {@code payment-required} problem carrying the first challenge's id
   */
  record PaymentRequired(List<Challenge> challenges, Problem problem) implements GateResult {
    /** Validates and copies. */
    public PaymentRequired {
      challenges = List.copyOf(challenges);
      Objects.requireNonNull(problem, "problem == null");
      if (challenges.isEmpty()) {
        throw new IllegalArgumentException("a 402 must carry at least one challenge");
      }
    }

    @Override
    public int status() {
      return 402;
    }
  }

  /**
   * The credential was refused.
   *
   * @param problem why; its type decides the status (402, 400, 403, 410)
   * @param challenges fresh challenges (never empty for a 402; empty for 403)
   * @param retryAfter a suggested {@code Retry-After}, or null
   */
  record Rejected(Problem problem, List<Challenge> challenges, @Nullable Duration retryAfter)
      implements GateResult {
    /** Validates and copies. */
    public Rejected {
      Objects.requireNonNull(problem, "problem == null");
      challenges = List.copyOf(challenges);
      if (problem.status() == 402 && challenges.isEmpty()) {
        throw new IllegalArgumentException("a 402 must carry at least one challenge");
      }
    }

    @Override
    public int status() {
      return problem.status();
    }
  }

  /**
   * The payment is verified: deliver the resource.
   *
   * @param receipt the receipt for the {@code Payment-Receipt} header
   * @param credential the verified credential
   * @param settlement a deferred settlement to complete after the application answered, or null
   * @param stream for a streamed exchange ({@link IntentOutcome.Stream}), how to ask for more
   *     payment between events; null for one plain response. An adapter that cannot stream must not
   *     deliver a result that carries one: it completes the settlement as not delivered.
   */
  record Paid(
      Receipt receipt,
      Credential credential,
      @Nullable Settlement settlement,
      @Nullable PaymentStream stream)
      implements GateResult {
    /** Validates. */
    public Paid {
      Objects.requireNonNull(receipt, "receipt == null");
      Objects.requireNonNull(credential, "credential == null");
      if (stream != null && settlement == null) {
        throw new IllegalArgumentException("a streamed exchange needs a settlement to meter");
      }
    }

    /**
     * A plain (not streamed) paid response.
     *
     * @param receipt the receipt for the {@code Payment-Receipt} header
     * @param credential the verified credential
     * @param settlement a deferred settlement to complete after the application answered, or null
     */
    public Paid(Receipt receipt, Credential credential, @Nullable Settlement settlement) {
      this(receipt, credential, settlement, null);
    }

    @Override
    public int status() {
      return 200;
    }
  }

  /**
   * A payment-management request was processed ({@link IntentOutcome.Acknowledge}): answer {@code
   * 204} with the receipt, without running the application and without content.
   *
   * @param receipt the receipt for the {@code Payment-Receipt} header
   * @param credential the credential that carried the request
   */
  record Acknowledged(Receipt receipt, Credential credential) implements GateResult {
    /** Validates. */
    public Acknowledged {
      Objects.requireNonNull(receipt, "receipt == null");
      Objects.requireNonNull(credential, "credential == null");
    }

    @Override
    public int status() {
      return 204;
    }
  }
}
