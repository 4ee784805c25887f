package io.mpp4j.stripe.internal;

import com.stripe.exception.ApiConnectionException;
import com.stripe.net.HttpClient;
import com.stripe.net.HttpContent;
import com.stripe.net.HttpHeaders;
import com.stripe.net.StripeRequest;
import com.stripe.net.StripeResponse;
import java.net.URISyntaxException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The transport under the stripe-java client this module builds, on {@code java.net.http}. It
 * exists for two money-safety reasons:
 *
 * <ul>
 *   <li>{@code HttpURLConnection}, stripe-java's default, silently sends a POST a second time when
 *       a kept-alive connection drops before the answer ({@code sun.net.http.retryPost}). Stripe
 *       then answers the hidden second copy as an idempotent replay, which this module could not
 *       tell from someone else's replay. {@code java.net.http} never resends a POST.
 *   <li>Each request is bounded as a whole (connect, send, answer and body) by its read timeout,
 *       not per socket read, so every wait ends.
 * </ul>
 *
 * <p>A request with content carries exactly the content's own type ({@link
 * HttpContent#contentType()}, {@code application/x-www-form-urlencoded;charset=UTF-8} for the v1
 * API) as its {@code Content-Type}; a {@code Content-Type} among the request headers is ignored.
 *
 * <p>Thread-safe.
 */
public final class JdkStripeHttpClient extends HttpClient {
  private static final Set<String> RESTRICTED =
      Set.of("connection", "content-length", "content-type", "expect", "host", "upgrade");

  private final java.net.http.HttpClient http;
  private final Duration defaultTimeout;

  /**
   * Creates the transport.
   *
   * @param connectTimeout bound on opening a connection
   * @param defaultTimeout bound on a request whose options name no read timeout
   */
  public JdkStripeHttpClient(Duration connectTimeout, Duration defaultTimeout) {
    this.http =
        java.net.http.HttpClient.newBuilder()
            .version(java.net.http.HttpClient.Version.HTTP_1_1)
            .connectTimeout(connectTimeout)
            .followRedirects(java.net.http.HttpClient.Redirect.NEVER)
            .build();
    this.defaultTimeout = defaultTimeout;
  }

  @Override
  public StripeResponse request(StripeRequest request) throws ApiConnectionException {
    Integer readTimeout = request.options().getReadTimeout();
    Duration timeout =
        readTimeout != null && readTimeout > 0 ? Duration.ofMillis(readTimeout) : defaultTimeout;
    HttpRequest.Builder b;
    try {
      b = HttpRequest.newBuilder(request.url().toURI()).timeout(timeout);
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new ApiConnectionException("the Stripe URL is invalid", e);
    }
    for (Map.Entry<String, List<String>> header : request.headers().map().entrySet()) {
      if (RESTRICTED.contains(header.getKey().toLowerCase(Locale.ROOT))) {
        continue;
      }
      for (String value : header.getValue()) {
        b.header(header.getKey(), value);
      }
    }
    b.setHeader("User-Agent", buildUserAgentString(request));
    b.setHeader("X-Stripe-Client-User-Agent", buildXStripeClientUserAgentString());
    HttpContent content = request.content();
    if (content != null) {
      // stripe-java keeps the body's type on the content, not among the headers; Stripe refuses a
      // form body without it.
      b.setHeader("Content-Type", content.contentType());
    }
    b.method(
        request.method().name(),
        content == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(content.byteArrayContent()));

    CompletableFuture<HttpResponse<byte[]>> pending =
        http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    try {
      HttpResponse<byte[]> response = pending.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return new StripeResponse(
          response.statusCode(),
          HttpHeaders.of(response.headers().map()),
          new String(response.body(), StandardCharsets.UTF_8));
    } catch (TimeoutException e) {
      pending.cancel(true);
      throw new ApiConnectionException("no answer from Stripe within " + timeout, e);
    } catch (InterruptedException e) {
      pending.cancel(true);
      Thread.currentThread().interrupt();
      throw new ApiConnectionException("interrupted while waiting for Stripe", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new ApiConnectionException("the request to Stripe failed", cause);
    }
  }
}
