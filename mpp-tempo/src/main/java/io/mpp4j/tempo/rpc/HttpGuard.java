package io.mpp4j.tempo.rpc;

import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSink;
import okio.BufferedSource;
import okio.ForwardingSource;
import okio.Okio;

/**
 * The OkHttp interceptors around every JSON-RPC call: they send the body as {@code
 * application/json}, record whether the request may have left this process, refuse non-2xx answers
 * with a typed exception and bound the response size.
 *
 * <p>Whether a call may have reached the node is per call: {@link Web3jTempoRpc} opens an {@link
 * Attempt} for each call and gives the call its own client (derived from the shared one, sharing
 * its connection pool) with that attempt's {@link Attempt#writeMarker() write marker}. Nothing here
 * is shared between calls.
 */
final class HttpGuard {
  private HttpGuard() {}

  /** What one call did on the wire. */
  static final class Attempt {
    // Written by OkHttp's interceptor chain, which for a synchronous call runs on the calling
    // thread; volatile so that the answer does not depend on that.
    private volatile boolean mayHaveWritten;

    /**
     * Whether a connection was established and the request handed to it: from then on the node may
     * have read it, even if no answer came back.
     */
    boolean mayHaveWritten() {
      return mayHaveWritten;
    }

    /**
     * Network interceptor for this attempt's call: runs once a connection exists, right before the
     * request is written. A failure before this point (refused connection, DNS, TLS handshake)
     * provably did not send.
     */
    Interceptor writeMarker() {
      return chain -> {
        mayHaveWritten = true;
        return chain.proceed(chain.request());
      };
    }
  }

  /** The media type of every request body: {@code application/json}, without parameters. */
  static final MediaType JSON = MediaType.get("application/json");

  /**
   * Application interceptor: sends the JSON-RPC body as exactly {@code Content-Type:
   * application/json}. web3j's body says {@code application/json; charset=utf-8}, which OkHttp
   * writes as {@code charset=UTF-8}; nodes accept it (jsonrpsee compares case-insensitively), but
   * {@code application/json} alone is what every JSON-RPC server takes (JSON is UTF-8, RFC 8259).
   */
  static Interceptor jsonContentType() {
    return chain -> {
      Request request = chain.request();
      RequestBody body = request.body();
      if (body == null) {
        return chain.proceed(request);
      }
      RequestBody json =
          new RequestBody() {
            @Override
            public MediaType contentType() {
              return JSON;
            }

            @Override
            public long contentLength() throws IOException {
              return body.contentLength();
            }

            @Override
            public void writeTo(BufferedSink sink) throws IOException {
              body.writeTo(sink);
            }
          };
      return chain.proceed(request.newBuilder().method(request.method(), json).build());
    };
  }

  /**
   * Application interceptor: turns a non-2xx answer into {@link HttpStatusException} (without its
   * body) and wraps a 2xx body so that reading more than {@code maxBytes} fails.
   */
  static Interceptor statusAndSizeLimit(long maxBytes) {
    return chain -> {
      Response response = chain.proceed(chain.request());
      ResponseBody body = response.body();
      if (!response.isSuccessful()) {
        int code = response.code();
        response.close();
        throw new HttpStatusException(code);
      }
      if (body == null) {
        return response;
      }
      long declared = body.contentLength();
      if (declared > maxBytes) {
        response.close();
        throw new ResponseTooLargeException(maxBytes);
      }
      BufferedSource limited = Okio.buffer(new LimitedSource(body.source(), maxBytes));
      MediaType type = body.contentType();
      return response.newBuilder().body(ResponseBody.create(limited, type, declared)).build();
    };
  }

  /** An HTTP answer other than 2xx; the body is dropped. */
  static final class HttpStatusException extends IOException {
    private static final long serialVersionUID = 1L;
    private final int status;

    HttpStatusException(int status) {
      super("HTTP status " + status);
      this.status = status;
    }

    int status() {
      return status;
    }
  }

  /** The answer was longer than the configured maximum. */
  static final class ResponseTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    ResponseTooLargeException(long maxBytes) {
      super("response longer than " + maxBytes + " bytes");
    }
  }

  private static final class LimitedSource extends ForwardingSource {
    private final long maxBytes;
    private long read;

    LimitedSource(okio.Source delegate, long maxBytes) {
      super(delegate);
      this.maxBytes = maxBytes;
    }

    @Override
    public long read(Buffer sink, long byteCount) throws IOException {
      long n = super.read(sink, byteCount);
      if (n > 0) {
        read += n;
        if (read > maxBytes) {
          throw new ResponseTooLargeException(maxBytes);
        }
      }
      return n;
    }
  }
}
