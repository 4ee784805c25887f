package io.mpp4j.stripe.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.CardException;
import com.stripe.exception.RateLimitException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.http.HttpConnectTimeoutException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** What survives of a Stripe failure: kinds, reasons, and never Stripe's text. */
class FailureTest {
  private static final String SECRET_TEXT = "Your card spt_secret_123 was declined";

  @Test
  void declineReasonUsesOnlySafeCodes() {
    Failure f =
        Failure.of(
            new CardException(
                SECRET_TEXT,
                "req_1",
                "card_declined",
                null,
                "insufficient_funds",
                null,
                402,
                null));
    assertEquals(Failure.Kind.DECLINED, f.kind());
    assertEquals("stripe.card_declined.insufficient_funds", f.reason().code());
    assertEquals("req_1", f.requestId());

    Failure unsafe =
        Failure.of(
            new CardException(
                SECRET_TEXT, "req 1", "Card Declined!", null, "spt_secret_123 x", null, 402, null));
    assertEquals("stripe.card_declined", unsafe.reason().code());
    assertEquals(null, unsafe.requestId());

    Failure expired =
        Failure.of(
            new CardException(SECRET_TEXT, null, "expired_card", null, null, null, 402, null));
    assertEquals("stripe.card_declined.expired_card", expired.reason().code());
  }

  @Test
  void summaryNeverCarriesTheMessage() {
    Failure f =
        Failure.of(
            new CardException(
                SECRET_TEXT,
                "req_1",
                "card_declined",
                null,
                "insufficient_funds",
                null,
                402,
                null));
    assertFalse(f.summary().contains("spt_secret"), f.summary());
    assertEquals(
        "CardException status=402 code=card_declined decline_code=insufficient_funds", f.summary());
  }

  @Test
  void connectionFailuresTellWhetherStripeMayHaveActed() {
    Failure refused = Failure.of(new ApiConnectionException(SECRET_TEXT, new ConnectException()));
    assertEquals(Failure.Kind.UNAVAILABLE, refused.kind());
    assertFalse(refused.mayHaveReached());

    Failure connectTimeout =
        Failure.of(new ApiConnectionException(SECRET_TEXT, new HttpConnectTimeoutException("x")));
    assertEquals(Failure.Kind.TIMEOUT, connectTimeout.kind());
    assertFalse(connectTimeout.mayHaveReached());

    for (Exception cause : new Exception[] {new SocketTimeoutException(), new TimeoutException()}) {
      Failure readTimeout = Failure.of(new ApiConnectionException(SECRET_TEXT, cause));
      assertEquals(Failure.Kind.TIMEOUT, readTimeout.kind());
      assertTrue(readTimeout.mayHaveReached());
      assertEquals("stripe.timeout", readTimeout.reason().code());
    }

    Failure reset =
        Failure.of(new ApiConnectionException(SECRET_TEXT, new java.io.IOException("reset")));
    assertEquals(Failure.Kind.UNAVAILABLE, reset.kind());
    assertTrue(reset.mayHaveReached());
  }

  @Test
  void rateLimitIsRetriableAndNotProcessed() {
    Failure f =
        Failure.of(new RateLimitException(SECRET_TEXT, "req_9", "rate_limit", null, 429, null));
    assertEquals(Failure.Kind.RATE_LIMITED, f.kind());
    assertTrue(f.kind().retriable());
    assertFalse(f.mayHaveReached());
  }

  @Test
  void anythingElseIsMalformedAndUncertain() {
    Failure f = Failure.of(new IllegalStateException(SECRET_TEXT));
    assertEquals(Failure.Kind.MALFORMED, f.kind());
    assertTrue(f.mayHaveReached());
    assertFalse(f.kind().retriable());
    assertEquals("IllegalStateException", f.summary());
  }
}
