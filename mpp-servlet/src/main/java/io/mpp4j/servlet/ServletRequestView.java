package io.mpp4j.servlet;

import io.mpp4j.core.RequestView;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Adapts a servlet request to the engine's {@link RequestView}. */
final class ServletRequestView implements RequestView {
  private final HttpServletRequest request;
  private final String path;
  private final byte @Nullable [] body;

  ServletRequestView(HttpServletRequest request, String path, byte @Nullable [] body) {
    this.request = request;
    this.path = path;
    this.body = body;
  }

  @Override
  public String method() {
    return request.getMethod();
  }

  @Override
  public String path() {
    return path;
  }

  @Override
  public List<String> headers(String name) {
    Enumeration<String> values = request.getHeaders(name);
    if (values == null || !values.hasMoreElements()) {
      return List.of();
    }
    String first = values.nextElement();
    if (!values.hasMoreElements()) {
      return List.of(first);
    }
    List<String> all = new ArrayList<>(2);
    all.add(first);
    while (values.hasMoreElements()) {
      all.add(values.nextElement());
    }
    return all;
  }

  @Override
  public @Nullable String header(String name) {
    return request.getHeader(name);
  }

  @Override
  public byte @Nullable [] body() {
    return body;
  }

  @Override
  public @Nullable String query() {
    return request.getQueryString();
  }
}
