package io.mpp4j.server.http;

import io.mpp4j.core.RequestView;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The engine's {@link RequestView} of an exchange: its matched path and its buffered body. */
final class ExchangeView implements RequestView {
  private final HttpExchange exchange;
  private final String path;
  private final byte @Nullable [] body;

  ExchangeView(HttpExchange exchange, String path, byte @Nullable [] body) {
    this.exchange = exchange;
    this.path = path;
    this.body = body;
  }

  @Override
  public String method() {
    return exchange.method();
  }

  @Override
  public String path() {
    return path;
  }

  @Override
  public List<String> headers(String name) {
    return exchange.headers(name);
  }

  @Override
  public @Nullable String header(String name) {
    return exchange.header(name);
  }

  @Override
  public byte @Nullable [] body() {
    return body;
  }

  @Override
  public @Nullable String query() {
    return exchange.query();
  }
}
