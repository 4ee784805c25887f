package io.mpp4j.server;

import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one SLF4J line per {@link PaymentEvent}: {@code payment required} (debug), {@code payment
 * refused} (info), {@code paid} (info), {@code settled} and {@code cancelled} (debug) and {@code
 * deferred settlement failed} (error). The challenge id is the correlation id; credentials, tokens
 * and secrets never appear (events do not carry them). Every {@link PaymentGate} registers one
 * first, under the logger {@value #DEFAULT_LOGGER}, the category the servlet filter logged under
 * before events existed, so existing logging configuration keeps working.
 */
public final class LoggingPaymentListener implements PaymentListener {
  /** The logger name used by default. */
  public static final String DEFAULT_LOGGER = "io.mpp4j.servlet.PaymentFilter";

  private final Logger log;

  /** Logs under {@value #DEFAULT_LOGGER}. */
  public LoggingPaymentListener() {
    this(DEFAULT_LOGGER);
  }

  /** Logs under the given logger name. */
  public LoggingPaymentListener(String loggerName) {
    this.log = LoggerFactory.getLogger(Objects.requireNonNull(loggerName, "loggerName == null"));
  }

  @Override
  public void onEvent(PaymentEvent e) {
    switch (e.type()) {
      case CHALLENGE_ISSUED ->
          log.debug("payment required: route={} challengeId={}", e.route(), e.challengeId());
      case REFUSED ->
          log.info(
              "payment refused: route={} status={} type={} reason={} freshChallengeId={}",
              e.route(),
              e.status(),
              e.problemType() == null ? null : e.problemType().slug(),
              e.reason(),
              e.freshChallengeId());
      case VERIFIED ->
          log.info(
              "paid: route={} method={} challengeId={}", e.route(), e.method(), e.challengeId());
      case SETTLED ->
          log.debug(
              "settled: route={} method={} challengeId={}", e.route(), e.method(), e.challengeId());
      case CANCELLED ->
          log.debug(
              "cancelled: route={} method={} challengeId={}",
              e.route(),
              e.method(),
              e.challengeId());
      case SETTLEMENT_FAILED, CANCELLATION_FAILED ->
          log.error(
              "deferred settlement failed (delivered={}) for challengeId={}: {}",
              e.type() == PaymentEvent.Type.SETTLEMENT_FAILED,
              e.challengeId(),
              e.detail());
    }
  }
}
