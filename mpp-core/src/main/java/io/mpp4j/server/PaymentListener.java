package io.mpp4j.server;

/**
 * Told what happened on every request to a paid route: one {@link PaymentEvent} per outcome
 * (challenge issued, payment verified, refused, settled, cancelled, settlement failed). Register
 * listeners with {@link PaymentGate.Builder#listener}; they are called in registration order, after
 * the outcome is decided, on the thread that decided it (for a deferred settlement of an
 * asynchronous request, the container's completion thread), so a listener must be thread-safe. A
 * listener that throws is logged and skipped: it never changes the payment's outcome. Keep
 * listeners fast (count, enqueue); events carry no credential, token, signature or secret.
 */
@FunctionalInterface
public interface PaymentListener {
  /**
   * Receives one event.
   *
   * @param event what happened
   */
  void onEvent(PaymentEvent event);
}
