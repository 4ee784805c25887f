package io.mpp4j.server;

import io.mpp4j.core.Challenge;
import io.mpp4j.core.Credential;
import io.mpp4j.core.PaymentRequirement;
import io.mpp4j.core.problem.Problem;
import io.mpp4j.core.problem.ReasonCode;
import io.mpp4j.spi.PaymentMethodException;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Tells a gate's listeners what happened: one event per outcome. Thread-safe. */
final class GateEvents {
  private static final Logger LOG = LoggerFactory.getLogger(PaymentGate.class);

  private final List<PaymentListener> listeners;

  GateEvents(List<PaymentListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  /** One event per outcome (two for a payment settled at verification). */
  void emit(String route, PaymentRequirement requirement, GateResult result, Attempt attempt) {
    if (listeners.isEmpty()) {
      return;
    }
    if (result instanceof GateResult.Paid paid) {
      paid(route, paid);
    } else if (result instanceof GateResult.Acknowledged ack) {
      Credential credential = ack.credential();
      publish(
          PaymentEvent.of(
              PaymentEvent.Type.VERIFIED,
              route,
              credential.challenge(),
              credential,
              0,
              null,
              null,
              null,
              null));
    } else if (result instanceof GateResult.PaymentRequired required) {
      Problem p = required.problem();
      publish(
          PaymentEvent.of(
              PaymentEvent.Type.CHALLENGE_ISSUED,
              route,
              required.challenges().get(0),
              null,
              required.status(),
              p.type(),
              p.reason(),
              null,
              null));
    } else if (result instanceof GateResult.Rejected rejected) {
      refused(route, requirement, rejected, attempt);
    }
  }

  private void paid(String route, GateResult.Paid paid) {
    Credential credential = paid.credential();
    Challenge paidFor = credential.challenge();
    publish(
        PaymentEvent.of(
            PaymentEvent.Type.VERIFIED, route, paidFor, credential, 0, null, null, null, null));
    if (paid.settlement() == null) {
      publish(
          PaymentEvent.of(
              PaymentEvent.Type.SETTLED, route, paidFor, credential, 0, null, null, null, null));
    }
  }

  private void refused(
      String route, PaymentRequirement requirement, GateResult.Rejected rejected, Attempt attempt) {
    Problem p = rejected.problem();
    Credential credential = attempt.credential;
    if (credential != null && attempt.bound) {
      publish(
          PaymentEvent.of(
              PaymentEvent.Type.REFUSED,
              route,
              credential.challenge(),
              credential,
              rejected.status(),
              p.type(),
              p.reason(),
              p.challengeId(),
              null));
    } else {
      // Nothing in an unbound credential is authentic: report no method, amount or payer.
      publish(
          new PaymentEvent(
              PaymentEvent.Type.REFUSED,
              route,
              null,
              requirement.intent().name(),
              null,
              null,
              null,
              null,
              rejected.status(),
              p.type(),
              p.reason(),
              p.challengeId(),
              null));
    }
  }

  /** How a deferred settlement ended; see {@link PaymentGate#settlementCompleted}. */
  void settlementCompleted(
      String route, GateResult.Paid paid, boolean delivered, @Nullable Exception failure) {
    PaymentEvent.Type type;
    if (failure == null) {
      type = delivered ? PaymentEvent.Type.SETTLED : PaymentEvent.Type.CANCELLED;
    } else {
      type =
          delivered ? PaymentEvent.Type.SETTLEMENT_FAILED : PaymentEvent.Type.CANCELLATION_FAILED;
    }
    ReasonCode reason = failure instanceof PaymentMethodException pme ? pme.reason() : null;
    String detail;
    if (failure == null) {
      detail = null;
    } else if (failure instanceof PaymentMethodException) {
      detail = failure.getMessage();
    } else {
      detail = failure.getClass().getName();
    }
    Credential credential = paid.credential();
    publish(
        PaymentEvent.of(
            type, route, credential.challenge(), credential, 0, null, reason, null, detail));
  }

  private void publish(PaymentEvent event) {
    for (PaymentListener listener : listeners) {
      try {
        listener.onEvent(event);
      } catch (RuntimeException e) {
        // A listener never changes the outcome; its exception text is not ours to log.
        LOG.warn(
            "payment listener {} failed on a {} event: {}",
            listener.getClass().getName(),
            event.type(),
            e.getClass().getName());
      }
    }
  }
}
