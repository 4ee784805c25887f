package io.mpp4j.servlet;

import io.mpp4j.server.http.ExchangeResponse;
import io.mpp4j.server.http.HttpExchange;
import io.mpp4j.server.http.PaidExchange;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Translates a servlet request and response into mpp-core's {@link HttpExchange}. */
final class ServletExchange implements HttpExchange {
  private final HttpServletRequest request;
  private final HttpServletResponse response;

  ServletExchange(HttpServletRequest request, HttpServletResponse response) {
    this.request = request;
    this.response = response;
  }

  @Override
  public String method() {
    return request.getMethod();
  }

  /** Servlet path plus path info (the included ones for an include). */
  @Override
  public String dispatchedPath() {
    boolean include = request.getDispatcherType() == DispatcherType.INCLUDE;
    String servletPath =
        include
            ? (String) request.getAttribute(RequestDispatcher.INCLUDE_SERVLET_PATH)
            : request.getServletPath();
    String pathInfo =
        include
            ? (String) request.getAttribute(RequestDispatcher.INCLUDE_PATH_INFO)
            : request.getPathInfo();
    String p = (servletPath == null ? "" : servletPath) + (pathInfo == null ? "" : pathInfo);
    return p.isEmpty() ? "/" : p;
  }

  @Override
  public @Nullable String rawPath() {
    return rawPath(request);
  }

  /** The raw request URI, or the included one for an include. */
  static @Nullable String rawPath(HttpServletRequest request) {
    return request.getDispatcherType() == DispatcherType.INCLUDE
        ? (String) request.getAttribute(RequestDispatcher.INCLUDE_REQUEST_URI)
        : request.getRequestURI();
  }

  @Override
  public String contextPath() {
    String c = request.getContextPath();
    return c == null ? "" : c;
  }

  @Override
  public List<String> headers(String name) {
    Enumeration<String> values = request.getHeaders(name);
    return values == null ? List.of() : Collections.list(values);
  }

  @Override
  public @Nullable String header(String name) {
    return request.getHeader(name);
  }

  @Override
  public @Nullable String query() {
    return request.getQueryString();
  }

  @Override
  public boolean isSecure() {
    return request.isSecure();
  }

  @Override
  public @Nullable String remoteAddress() {
    return request.getRemoteAddr();
  }

  @Override
  public long declaredContentLength() {
    return request.getContentLengthLong();
  }

  @Override
  public InputStream body() throws IOException {
    return request.getInputStream();
  }

  @Override
  public boolean nestedInPaidRequest() {
    return request.getDispatcherType() != DispatcherType.REQUEST
        && request.getAttribute(PaymentFilter.PAID_ATTRIBUTE) != null;
  }

  @Override
  public void markPaid() {
    request.setAttribute(PaymentFilter.PAID_ATTRIBUTE, Boolean.TRUE);
  }

  @Override
  public @Nullable Object reportedUnits() {
    return request.getAttribute(PaymentFilter.UNITS_ATTRIBUTE);
  }

  @Override
  public boolean continuesAsynchronously(PaidExchange paid) {
    if (request.isAsyncStarted()) {
      // Normally registered in startAsync already (PaidRequest); covers an application that
      // started async on the container's own request. A second registration is harmless.
      try {
        request.getAsyncContext().addListener(new PaidRequest.Completion(paid));
        return true;
      } catch (IllegalStateException e) {
        // Completed in the meantime: the response is final, settle now.
      }
    }
    return false;
  }

  @Override
  public ExchangeResponse response() {
    return new Response(response);
  }

  /** Translates a servlet response into mpp-core's {@link ExchangeResponse}. */
  static final class Response implements ExchangeResponse {
    private final HttpServletResponse response;

    Response(HttpServletResponse response) {
      this.response = response;
    }

    @Override
    public boolean isCommitted() {
      return response.isCommitted();
    }

    @Override
    public int status() {
      return response.getStatus();
    }

    @Override
    public void setStatus(int status) {
      response.setStatus(status);
    }

    @Override
    public @Nullable String header(String name) {
      return response.getHeader(name);
    }

    @Override
    public void setHeader(String name, @Nullable String value) {
      response.setHeader(name, value);
    }

    @Override
    public void addHeader(String name, String value) {
      response.addHeader(name, value);
    }

    @Override
    public void resetBuffer() {
      response.resetBuffer();
    }

    @Override
    public void setContentType(String contentType) {
      response.setContentType(contentType);
    }

    @Override
    public void setContentLength(long length) {
      response.setContentLengthLong(length);
    }

    @Override
    public OutputStream body() throws IOException {
      return response.getOutputStream();
    }
  }
}
