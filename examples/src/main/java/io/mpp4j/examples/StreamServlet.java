package io.mpp4j.examples;

import io.mpp4j.core.problem.Problem;
import io.mpp4j.core.problem.ProblemType;
import io.mpp4j.core.problem.ReasonCode;
import io.mpp4j.server.http.PaidEventStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /api/stream?n=N}: a {@code session} route that streams {@code N} server-sent events
 * ({@code message}, data {@code {"seq":k}} for k = 1…N, in order), one charge of 0.0001 (unit type
 * {@code event}) per event through the {@link PaidEventStream} the payment filter hands the
 * application as request attribute {@value #EVENT_STREAM}: the opening request pays for the first
 * event; when the payer's vouchers run out the stream asks for another ({@code
 * payment-need-voucher}) and waits; it ends with a {@code payment-receipt} event.
 *
 * <p>{@code n} defaults to {@value #DEFAULT_EVENTS} and is at most {@value #MAX_EVENTS}; anything
 * else is a {@code 400} problem, answered by {@link StreamRequestFilter} before any payment.
 */
public final class StreamServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  /** The request attribute holding the {@link PaidEventStream} of a paid session exchange. */
  public static final String EVENT_STREAM = "io.mpp4j.eventStream";

  /** Events sent when {@code n} is absent. */
  public static final int DEFAULT_EVENTS = 20;

  /** The most events one request may ask for. */
  public static final int MAX_EVENTS = 1000;

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    Integer n = events(req.getQueryString());
    if (n == null) {
      badRequest(resp);
      return;
    }
    if (!(req.getAttribute(EVENT_STREAM) instanceof PaidEventStream events)) {
      // Only a paid session exchange has one: never stream for free.
      problem(
          resp,
          Problem.of(
              ProblemType.PAYMENT_REQUIRED,
              ReasonCode.of("example.no_event_stream"),
              "This route streams only through a paid session."));
      return;
    }
    try (events) {
      for (int k = 1; k <= n; k++) {
        if (!events.send(null, "{\"seq\":" + k + "}")) {
          return; // the payer did not pay for more in time; the stream has ended
        }
      }
    }
  }

  /**
   * The event count a query string asks for, or null when {@code n} is not 1 to {@value
   * #MAX_EVENTS} or appears more than once. Read from the query string alone (never a form body,
   * which the payment filter may have to bind by its digest).
   */
  static @Nullable Integer events(@Nullable String query) {
    String n = null;
    if (query != null && !query.isEmpty()) {
      if (query.length() > 256) {
        return null;
      }
      for (String pair : query.split("&", -1)) {
        if (pair.equals("n") || pair.startsWith("n=")) {
          if (n != null) {
            return null;
          }
          n = pair.length() > 2 ? pair.substring(2) : "";
        }
      }
    }
    if (n == null) {
      return DEFAULT_EVENTS;
    }
    if (!n.matches("[1-9][0-9]{0,3}")) {
      return null;
    }
    int value = Integer.parseInt(n);
    return value <= MAX_EVENTS ? value : null;
  }

  /** Writes the {@code 400} problem for a bad {@code n}. */
  static void badRequest(HttpServletResponse resp) throws IOException {
    problem(
        resp,
        Problem.of(
            ProblemType.BAD_REQUEST,
            ReasonCode.of("example.bad_event_count"),
            "n must be a whole number from 1 to "
                + MAX_EVENTS
                + " (default "
                + DEFAULT_EVENTS
                + ")"));
  }

  private static void problem(HttpServletResponse resp, Problem problem) throws IOException {
    resp.setStatus(problem.status());
    resp.setContentType("application/problem+json");
    resp.setHeader("Cache-Control", "no-store");
    resp.getOutputStream().write(problem.toJson());
  }
}
