package io.mpp4j.server.http;

import io.mpp4j.core.Challenge;
import io.mpp4j.core.MppHeaders;
import io.mpp4j.core.internal.Json;
import io.mpp4j.core.problem.Problem;
import io.mpp4j.server.GateResult;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Writes refusals: status, challenges, no-store and the problem body. */
final class Refusals {
  private static final String PROBLEM_JSON_UTF8 = MppHeaders.PROBLEM_JSON + ";charset=utf-8";

  private Refusals() {}

  /** A 402 or a rejected credential. */
  static void write(ExchangeResponse response, GateResult result, boolean head) throws IOException {
    if (result instanceof GateResult.PaymentRequired required) {
      write(response, 402, required.challenges(), required.problem().toJson(), null, head);
    } else if (result instanceof GateResult.Rejected rejected) {
      write(
          response,
          rejected.status(),
          rejected.challenges(),
          rejected.problem().toJson(),
          rejected.retryAfter(),
          head);
    } else {
      throw new IllegalArgumentException("not a refusal: " + result.getClass().getSimpleName());
    }
  }

  /** A problem without challenges. */
  static void write(ExchangeResponse response, Problem problem, boolean head) throws IOException {
    write(response, problem.status(), List.of(), problem.toJson(), null, head);
  }

  /** A problem outside the MPP registry (e.g. 413), with {@code type: about:blank}. */
  static void writePlain(
      ExchangeResponse response, int status, String title, String detail, boolean head)
      throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "about:blank");
    body.put("title", title);
    body.put("status", status);
    body.put("detail", detail);
    write(response, status, List.of(), Json.write(body), null, head);
  }

  private static void write(
      ExchangeResponse response,
      int status,
      List<Challenge> challenges,
      byte[] body,
      @Nullable Duration retryAfter,
      boolean head)
      throws IOException {
    if (response.isCommitted()) {
      return;
    }
    response.resetBuffer();
    response.setStatus(status);
    for (Challenge c : challenges) {
      response.addHeader(MppHeaders.WWW_AUTHENTICATE, c.toHeaderValue());
    }
    response.setHeader("Cache-Control", "no-store");
    if (retryAfter != null) {
      response.setHeader("Retry-After", Long.toString(Math.max(1, retryAfter.toSeconds())));
    }
    response.setContentType(PROBLEM_JSON_UTF8);
    response.setContentLength(body.length);
    if (!head) {
      response.body().write(body);
    }
    // No explicit flush: the framework sends headers and body together when the request ends.
  }
}
