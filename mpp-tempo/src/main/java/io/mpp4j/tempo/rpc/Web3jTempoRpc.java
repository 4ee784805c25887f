package io.mpp4j.tempo.rpc;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.mpp4j.tempo.Address;
import io.mpp4j.tempo.internal.Hex;
import io.mpp4j.tempo.rpc.NodeErrors.SendOutcome;
import io.mpp4j.tempo.rpc.TempoRpcException.Kind;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.http.HttpService;

/**
 * The {@link TempoRpc} over HTTP: web3j's {@link HttpService} on an OkHttp client whose connect,
 * read, write and whole-call times are bounded, with non-2xx answers refused and the answer size
 * capped. Every request is one JSON-RPC 2.0 {@code POST} with exactly {@code Content-Type:
 * application/json}; an answer counts only if it says {@code "jsonrpc":"2.0"} and echoes the
 * request's integer {@code id} (a string, fractional, null or missing id is a malformed answer).
 *
 * <p>Broadcasting tries {@code eth_sendRawTransactionSync([rawTx])} first: one round trip that
 * returns the receipt. If the node does not offer that method, this client remembers it and from
 * then on uses {@code eth_sendRawTransaction} followed by polling {@code eth_getTransactionReceipt}
 * with a bounded exponential backoff. If the synchronous call times out (here, or on the node with
 * its "confirmation timeout" error) the transaction may be in the pool, so the receipt is polled;
 * the transaction is not sent again.
 *
 * <p>Failures are {@link TempoRpcException}s: {@link TempoRpcException#maybeSent()} is false only
 * when the request provably never reached the node (no connection was made, or the node answered
 * with a JSON-RPC error refusing it). Reads ({@code eth_getTransactionReceipt}, {@code
 * eth_chainId}, {@code eth_call}, {@code eth_getBlockByNumber}) are retried on transport failures;
 * broadcasts never are. Exception messages name the JSON-RPC method and mpp4j's classification,
 * never the node's text or the RPC URI (it may carry an API key).
 *
 * <p>Immutable configuration; thread-safe.
 *
 * <pre>{@code
 * try (TempoRpc rpc = Web3jTempoRpc.builder(URI.create("http://127.0.0.1:8545"))
 *     .receiptTimeout(Duration.ofSeconds(20))
 *     .build()) {
 *   TransactionReceipt receipt = rpc.sendAndWait(tx.encode(), tx.hashHex());
 * }
 * }</pre>
 */
public final class Web3jTempoRpc implements TempoRpc {
  /** Default TCP connect timeout: 3 s. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(3);

  /** Default bound on one ordinary JSON-RPC call (connect to last byte): 5 s. */
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(5);

  /**
   * Default bound on one {@code eth_sendRawTransactionSync} call: 10 s, well under the 30 s after
   * which a node gives up waiting for the transaction to be mined.
   */
  public static final Duration DEFAULT_SYNC_SEND_TIMEOUT = Duration.ofSeconds(10);

  /** Default first pause between receipt polls: 250 ms. */
  public static final Duration DEFAULT_POLL_INITIAL = Duration.ofMillis(250);

  /** Default longest pause between receipt polls: 2 s. */
  public static final Duration DEFAULT_POLL_MAX = Duration.ofSeconds(2);

  /** Default bound on {@link #sendAndWait} from first byte sent to receipt: 30 s. */
  public static final Duration DEFAULT_RECEIPT_TIMEOUT = Duration.ofSeconds(30);

  /** Default largest accepted answer body: 4 MiB. */
  public static final long DEFAULT_MAX_RESPONSE_BYTES = 4L * 1024 * 1024;

  /** Default number of attempts of a read call on transport failures: 3. */
  public static final int DEFAULT_READ_ATTEMPTS = 3;

  private static final Pattern TX_HASH = Pattern.compile("0x[0-9a-f]{64}");
  private static final String SEND_SYNC = "eth_sendRawTransactionSync";
  private static final String SEND = "eth_sendRawTransaction";
  private static final String GET_RECEIPT = "eth_getTransactionReceipt";
  private static final String TX_HASH_MISMATCH = "tempo.tx_hash_mismatch";
  private static final String CALL_REVERTED = "tempo.call_reverted";
  private static final int EXECUTION_REVERTED = 3;

  private final String url;
  private final OkHttpClient client;
  private final OkHttpClient syncClient;
  private final Duration pollInitial;
  private final Duration pollMax;
  private final Duration receiptTimeout;
  private final int readAttempts;
  private final AtomicBoolean syncSupported = new AtomicBoolean(true);

  private Web3jTempoRpc(Builder b) {
    this.client =
        new OkHttpClient.Builder()
            .connectTimeout(b.connectTimeout)
            .readTimeout(b.callTimeout)
            .writeTimeout(b.callTimeout)
            .callTimeout(b.callTimeout)
            // Never let OkHttp silently send a broadcast twice: a repeat of a mined transaction
            // would come back as a nonce error and be mistaken for a refusal.
            .retryOnConnectionFailure(false)
            .followRedirects(false)
            .followSslRedirects(false)
            .connectionPool(new ConnectionPool(4, 30, TimeUnit.SECONDS))
            .addInterceptor(HttpGuard.jsonContentType())
            .addInterceptor(HttpGuard.statusAndSizeLimit(b.maxResponseBytes))
            .build();
    this.syncClient =
        client
            .newBuilder()
            .readTimeout(b.syncSendTimeout)
            .callTimeout(b.syncSendTimeout.plus(b.connectTimeout))
            .build();
    this.url = b.rpcUri.toString();
    this.pollInitial = b.pollInitial;
    this.pollMax = b.pollMax;
    this.receiptTimeout = b.receiptTimeout;
    this.readAttempts = b.readAttempts;
  }

  /**
   * Begins a builder for the node at {@code rpcUri}.
   *
   * @param rpcUri an {@code http} or {@code https} URI; it is never put into messages or logs
   * @throws IllegalArgumentException if the URI is not absolute http(s) with a host
   */
  public static Builder builder(URI rpcUri) {
    return new Builder(rpcUri);
  }

  @Override
  public TransactionReceipt sendAndWait(byte[] rawTx, String txHash) throws TempoRpcException {
    Objects.requireNonNull(rawTx, "rawTx == null");
    Objects.requireNonNull(txHash, "txHash == null");
    if (rawTx.length == 0) {
      throw new IllegalArgumentException("rawTx must not be empty");
    }
    requireTxHash(txHash);
    long deadline = System.nanoTime() + receiptTimeout.toNanos();
    List<String> params = List.of(Hex.encode(rawTx));

    if (syncSupported.get()) {
      Answer answer;
      try {
        answer = call(syncClient, SEND_SYNC, params, true);
      } catch (TempoRpcException e) {
        if (e.kind() == Kind.TIMEOUT && e.maybeSent()) {
          // Written but unanswered in time: the transaction may be pooled. Do not send again.
          return pollReceipt(txHash, deadline, null);
        }
        throw e;
      }
      if (answer.error == null) {
        JsonNode result = answer.result();
        if (result.isNull()) {
          throw malformed(SEND_SYNC, true, "answered without a receipt", null);
        }
        return checkedHash(parseReceipt(SEND_SYNC, result, true), txHash, true);
      }
      SendOutcome outcome =
          NodeErrors.classifySend(answer.error.getCode(), answer.error.getMessage());
      if (outcome == SendOutcome.UNSUPPORTED) {
        // The node did not process the request; use the plain broadcast from now on.
        syncSupported.set(false);
      } else {
        return afterSendError(SEND_SYNC, answer.error, outcome, txHash, deadline);
      }
    }

    Answer answer = call(client, SEND, params, true);
    if (answer.error != null) {
      SendOutcome outcome =
          NodeErrors.classifySend(answer.error.getCode(), answer.error.getMessage());
      return afterSendError(SEND, answer.error, outcome, txHash, deadline);
    }
    JsonNode result = answer.result();
    String returned;
    try {
      returned = ReceiptJson.hash32(ReceiptJson.requireText(result, "result"), "result");
    } catch (ReceiptJson.Malformed e) {
      throw malformed(SEND, true, "answered without a transaction hash", e);
    }
    if (!returned.equals(txHash)) {
      throw new TempoRpcException(
          Kind.MALFORMED_RESPONSE,
          true,
          TX_HASH_MISMATCH,
          SEND + ": the node reported a different transaction hash than the one computed",
          null);
    }
    return pollReceipt(txHash, deadline, null);
  }

  private TransactionReceipt afterSendError(
      String method, Response.Error error, SendOutcome outcome, String txHash, long deadline)
      throws TempoRpcException {
    switch (outcome) {
      case CONFIRMATION_TIMEOUT:
        return pollReceipt(txHash, deadline, null);
      case ALREADY_KNOWN:
        // The same signed bytes are already pooled (or mined): their receipt is the answer.
        return pollReceipt(txHash, deadline, NodeErrors.ALREADY_KNOWN);
      case RATE_LIMITED:
        throw new TempoRpcException(
            Kind.UNAVAILABLE, false, null, method + ": the node is rate limiting", null);
      case UNSUPPORTED:
        throw new TempoRpcException(
            Kind.RPC_ERROR,
            false,
            null,
            method + ": the node offers neither eth_sendRawTransactionSync nor this method",
            null);
      case UNKNOWN:
        throw new TempoRpcException(
            Kind.RPC_ERROR,
            true,
            null,
            method + ": the node answered an internal error (code " + error.getCode() + ")",
            null);
      case REJECTED:
      default:
        String detail = NodeErrors.rejectionCode(error.getMessage());
        if (detail.equals(NodeErrors.NONCE_INVALID)) {
          // A nonce complaint is also what a node says when this very transaction is already
          // mined (someone broadcast it first). Then its receipt is the answer.
          Optional<TransactionReceipt> mined = lookupAfterRejection(txHash);
          if (mined.isPresent()) {
            return checkedHash(mined.get(), txHash, true);
          }
        }
        throw new TempoRpcException(
            Kind.REJECTED,
            false,
            detail,
            method
                + ": the node refused the transaction ("
                + detail
                + ", JSON-RPC code "
                + error.getCode()
                + ")",
            null);
    }
  }

  private Optional<TransactionReceipt> lookupAfterRejection(String txHash) {
    try {
      return receiptOnce(txHash, false);
    } catch (TempoRpcException e) {
      return Optional.empty();
    }
  }

  /**
   * Polls the receipt until it appears or {@code deadline} passes (the last poll may overrun the
   * deadline by at most one call timeout). Every failure here has {@code maybeSent == true}.
   */
  private TransactionReceipt pollReceipt(String txHash, long deadline, @Nullable String detail)
      throws TempoRpcException {
    long pauseNanos = pollInitial.toNanos();
    TempoRpcException lastFailure = null;
    while (true) {
      try {
        Optional<TransactionReceipt> receipt = receiptOnce(txHash, true);
        if (receipt.isPresent()) {
          return checkedHash(receipt.get(), txHash, true);
        }
        lastFailure = null;
      } catch (TempoRpcException e) {
        if (e.kind() == Kind.MALFORMED_RESPONSE) {
          throw e;
        }
        lastFailure = e;
      }
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        break;
      }
      sleep(Math.min(pauseNanos, remaining));
      pauseNanos = Math.min(pauseNanos * 2, pollMax.toNanos());
    }
    if (lastFailure != null) {
      throw new TempoRpcException(
          lastFailure.kind(),
          true,
          null,
          GET_RECEIPT
              + ": polling the receipt of a sent transaction failed until the "
              + receiptTimeout
              + " deadline",
          lastFailure);
    }
    throw new TempoRpcException(
        Kind.NOT_MINED,
        true,
        detail,
        "the transaction was sent but no receipt appeared within " + receiptTimeout,
        null);
  }

  private static void sleep(long nanos) throws TempoRpcException {
    try {
      TimeUnit.NANOSECONDS.sleep(nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TempoRpcException(
          Kind.TIMEOUT, true, null, "interrupted while waiting for a sent transaction", e);
    }
  }

  @Override
  public Optional<TransactionReceipt> receipt(String txHash) throws TempoRpcException {
    Objects.requireNonNull(txHash, "txHash == null");
    requireTxHash(txHash);
    Optional<TransactionReceipt> receipt = read(() -> receiptOnce(txHash, false));
    if (receipt.isPresent()) {
      checkedHash(receipt.get(), txHash, false);
    }
    return receipt;
  }

  /** One {@code eth_getTransactionReceipt}; {@code sent} sets {@code maybeSent} of failures. */
  private Optional<TransactionReceipt> receiptOnce(String txHash, boolean sent)
      throws TempoRpcException {
    Answer answer = readCall(GET_RECEIPT, List.of(txHash), sent);
    JsonNode result = answer.result();
    if (result.isNull()) {
      return Optional.empty();
    }
    return Optional.of(parseReceipt(GET_RECEIPT, result, sent));
  }

  @Override
  public long chainId() throws TempoRpcException {
    return read(
        () -> {
          JsonNode result = readCall("eth_chainId", List.of(), false).result();
          try {
            return ReceiptJson.longQuantity(ReceiptJson.requireText(result, "result"), "chain id");
          } catch (ReceiptJson.Malformed e) {
            throw malformed("eth_chainId", false, e.getMessage(), e);
          }
        });
  }

  @Override
  public byte[] call(@Nullable Address from, Address to, byte[] data) throws TempoRpcException {
    Objects.requireNonNull(to, "to == null");
    Objects.requireNonNull(data, "data == null");
    Map<String, String> tx = new LinkedHashMap<>();
    if (from != null) {
      tx.put("from", from.toHex());
    }
    tx.put("to", to.toHex());
    tx.put("data", Hex.encode(data));
    List<Object> params = List.of(tx, "latest");
    return read(
        () -> {
          Answer answer = call(client, "eth_call", params, false);
          if (answer.error != null) {
            throw callError("eth_call", answer.error);
          }
          try {
            return ReceiptJson.bytes(ReceiptJson.requireText(answer.result(), "result"), "result");
          } catch (ReceiptJson.Malformed e) {
            throw malformed("eth_call", false, e.getMessage(), e);
          }
        });
  }

  /** A call's error answer: a revert (with its revert data when the node gives it) or other. */
  private static TempoRpcException callError(String method, Response.Error error) {
    int code = error.getCode();
    String m = error.getMessage();
    boolean reverted =
        code == EXECUTION_REVERTED || (m != null && m.toLowerCase(Locale.ROOT).contains("revert"));
    byte[] data = null;
    String raw = error.getData();
    // web3j keeps the error's data as raw JSON: a JSON string arrives with its quotes.
    if (raw != null && raw.length() >= 2 && raw.startsWith("\"") && raw.endsWith("\"")) {
      raw = raw.substring(1, raw.length() - 1);
    }
    if (reverted && raw != null && raw.length() <= 2 + 2 * 1024) {
      try {
        data = ReceiptJson.bytes(raw, "data");
      } catch (ReceiptJson.Malformed e) {
        data = null; // not hex revert data: kept out
      }
    }
    return new TempoRpcException(
        Kind.RPC_ERROR,
        false,
        reverted ? CALL_REVERTED : null,
        method + ": the node answered an error (JSON-RPC code " + code + ")",
        null,
        data);
  }

  @Override
  public long pendingNonce(Address account) throws TempoRpcException {
    Objects.requireNonNull(account, "account == null");
    String method = "eth_getTransactionCount";
    return read(
        () -> {
          JsonNode result = readCall(method, List.of(account.toHex(), "pending"), false).result();
          try {
            return ReceiptJson.longQuantity(ReceiptJson.requireText(result, "result"), "nonce");
          } catch (ReceiptJson.Malformed e) {
            throw malformed(method, false, e.getMessage(), e);
          }
        });
  }

  @Override
  public long estimateGas(Address from, Address to, byte[] data) throws TempoRpcException {
    Objects.requireNonNull(from, "from == null");
    Objects.requireNonNull(to, "to == null");
    Objects.requireNonNull(data, "data == null");
    String method = "eth_estimateGas";
    Map<String, String> tx = new LinkedHashMap<>();
    tx.put("from", from.toHex());
    tx.put("to", to.toHex());
    tx.put("data", Hex.encode(data));
    List<Object> params = List.of(tx);
    return read(
        () -> {
          Answer answer = call(client, method, params, false);
          if (answer.error != null) {
            throw callError(method, answer.error);
          }
          try {
            return ReceiptJson.longQuantity(
                ReceiptJson.requireText(answer.result(), "result"), "gas");
          } catch (ReceiptJson.Malformed e) {
            throw malformed(method, false, e.getMessage(), e);
          }
        });
  }

  @Override
  public java.math.BigInteger gasPrice() throws TempoRpcException {
    String method = "eth_gasPrice";
    return read(
        () -> {
          JsonNode result = readCall(method, List.of(), false).result();
          try {
            return ReceiptJson.quantity(ReceiptJson.requireText(result, "result"), "gas price");
          } catch (ReceiptJson.Malformed e) {
            throw malformed(method, false, e.getMessage(), e);
          }
        });
  }

  @Override
  public long latestBlockTimestamp() throws TempoRpcException {
    String method = "eth_getBlockByNumber";
    return read(
        () -> {
          JsonNode result = readCall(method, List.of("latest", false), false).result();
          try {
            if (!result.isObject()) {
              throw new ReceiptJson.Malformed("block is not a JSON object");
            }
            return ReceiptJson.longQuantity(ReceiptJson.text(result, "timestamp"), "timestamp");
          } catch (ReceiptJson.Malformed e) {
            throw malformed(method, false, e.getMessage(), e);
          }
        });
  }

  @Override
  public void close() {
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }

  // ---- plumbing ----

  @FunctionalInterface
  private interface ReadCall<T> {
    T run() throws TempoRpcException;
  }

  /** Retries a read on transport failures (never on answers), up to {@code readAttempts}. */
  private <T> T read(ReadCall<T> call) throws TempoRpcException {
    long pauseNanos = pollInitial.toNanos();
    for (int attempt = 1; ; attempt++) {
      try {
        return call.run();
      } catch (TempoRpcException e) {
        boolean transport = e.kind() == Kind.UNAVAILABLE || e.kind() == Kind.TIMEOUT;
        if (!transport || attempt >= readAttempts) {
          throw e;
        }
      }
      try {
        TimeUnit.NANOSECONDS.sleep(pauseNanos);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TempoRpcException(Kind.TIMEOUT, false, null, "interrupted between retries", e);
      }
      pauseNanos = Math.min(pauseNanos * 2, pollMax.toNanos());
    }
  }

  /** A read call whose error answer becomes {@link Kind#RPC_ERROR}. */
  private Answer readCall(String method, List<?> params, boolean sent) throws TempoRpcException {
    Answer answer = call(client, method, params, false);
    if (answer.error != null) {
      throw new TempoRpcException(
          Kind.RPC_ERROR,
          sent,
          null,
          method + ": the node answered an error (JSON-RPC code " + answer.error.getCode() + ")",
          null);
    }
    return answer;
  }

  /** The result (a {@code NullNode} for JSON null) or the error of one JSON-RPC answer. */
  private record Answer(@Nullable JsonNode rawResult, Response.@Nullable Error error) {
    JsonNode result() {
      return Objects.requireNonNull(rawResult, "result");
    }
  }

  /**
   * web3j's response with the result kept as a JSON tree, parsed strictly afterwards, and the
   * {@code id} kept as it was written: web3j's own {@code long} field would read a string {@code
   * "7"} as 7, and a missing or null id as 0 (the id of the first request web3j makes).
   */
  static final class RawResponse extends Response<JsonNode> {
    private @Nullable JsonNode rawId;

    @Override
    @JsonIgnore
    public void setId(long id) {
      super.setId(id);
    }

    @JsonSetter("id")
    void rawId(@Nullable JsonNode id) {
      this.rawId = id;
    }

    /** Whether the answer's id is the JSON integer {@code id}. */
    boolean answers(long id) {
      JsonNode given = rawId;
      return given != null
          && given.isIntegralNumber()
          && given.canConvertToLong()
          && given.longValue() == id;
    }
  }

  /**
   * One JSON-RPC call. Transport failures become exceptions; for a broadcast ({@code send}) their
   * {@code maybeSent} is true as soon as a connection carried the request.
   */
  private Answer call(OkHttpClient via, String method, List<?> params, boolean send)
      throws TempoRpcException {
    // This call's own client: the shared one (same connection pool and dispatcher) plus a write
    // marker that records into this call's attempt only.
    HttpGuard.Attempt attempt = new HttpGuard.Attempt();
    HttpService service =
        new HttpService(
            url, via.newBuilder().addNetworkInterceptor(attempt.writeMarker()).build(), false);
    Request<?, RawResponse> request = new Request<>(method, params, service, RawResponse.class);
    RawResponse response;
    try {
      response = request.send();
    } catch (IOException | RuntimeException e) {
      throw transportFailure(method, send && attempt.mayHaveWritten(), e);
    }
    boolean maybeSent = send && attempt.mayHaveWritten();
    if (response == null) {
      throw malformed(method, maybeSent, "answered with an empty body", null);
    }
    if (!"2.0".equals(response.getJsonrpc()) || !response.answers(request.getId())) {
      throw malformed(method, maybeSent, "answered with a wrong jsonrpc version or id", null);
    }
    Response.Error error = response.getError();
    if (error != null) {
      return new Answer(null, error);
    }
    JsonNode result = response.getResult();
    if (result == null) {
      throw malformed(method, maybeSent, "answered neither a result nor an error", null);
    }
    return new Answer(result, null);
  }

  private static TempoRpcException transportFailure(String method, boolean maybeSent, Exception e) {
    if (e instanceof JsonProcessingException) {
      return malformed(method, maybeSent, "answered something that is not JSON-RPC", e);
    }
    if (e instanceof HttpGuard.ResponseTooLargeException) {
      return malformed(method, maybeSent, "answered more than the configured maximum size", e);
    }
    if (e instanceof HttpGuard.HttpStatusException status) {
      int code = status.status();
      // 5xx and 400 may come from a node that read the request; other 4xx (auth, not found,
      // payload too large, rate limited) are refusals in front of the JSON-RPC handler.
      boolean reached = maybeSent && (code >= 500 || code == 400);
      return new TempoRpcException(
          Kind.UNAVAILABLE, reached, null, method + ": the node answered HTTP " + code, null);
    }
    if (e instanceof InterruptedIOException) {
      return new TempoRpcException(
          Kind.TIMEOUT,
          maybeSent,
          null,
          method + (maybeSent ? ": no answer in time" : ": could not connect in time"),
          e);
    }
    if (e instanceof IOException) {
      return new TempoRpcException(
          Kind.UNAVAILABLE,
          maybeSent,
          null,
          method
              + (maybeSent
                  ? ": the connection failed after the request was sent"
                  : ": could not connect to the node"),
          e);
    }
    return malformed(method, maybeSent, "answered something web3j could not read", e);
  }

  private static TempoRpcException malformed(
      String method, boolean maybeSent, @Nullable String what, @Nullable Throwable cause) {
    return new TempoRpcException(
        Kind.MALFORMED_RESPONSE, maybeSent, null, method + ": the node " + what, cause);
  }

  private static TransactionReceipt parseReceipt(String method, JsonNode result, boolean sent)
      throws TempoRpcException {
    try {
      return ReceiptJson.parse(result);
    } catch (ReceiptJson.Malformed e) {
      throw new TempoRpcException(
          Kind.MALFORMED_RESPONSE, sent, null, method + ": " + e.getMessage(), null);
    }
  }

  private static TransactionReceipt checkedHash(
      TransactionReceipt receipt, String txHash, boolean sent) throws TempoRpcException {
    if (!receipt.transactionHash().equals(txHash)) {
      throw new TempoRpcException(
          Kind.MALFORMED_RESPONSE,
          sent,
          TX_HASH_MISMATCH,
          "the node returned the receipt of a different transaction",
          null);
    }
    return receipt;
  }

  private static void requireTxHash(String txHash) {
    if (!TX_HASH.matcher(txHash).matches()) {
      throw new IllegalArgumentException("txHash must be 0x + 64 lowercase hex digits");
    }
  }

  /** Builds a {@link Web3jTempoRpc}; each setter validates its value. */
  public static final class Builder {
    private static final Duration MAX_WAIT = Duration.ofMinutes(10);
    private final URI rpcUri;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration callTimeout = DEFAULT_CALL_TIMEOUT;
    private Duration syncSendTimeout = DEFAULT_SYNC_SEND_TIMEOUT;
    private Duration pollInitial = DEFAULT_POLL_INITIAL;
    private Duration pollMax = DEFAULT_POLL_MAX;
    private Duration receiptTimeout = DEFAULT_RECEIPT_TIMEOUT;
    private long maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;
    private int readAttempts = DEFAULT_READ_ATTEMPTS;

    private Builder(URI rpcUri) {
      Objects.requireNonNull(rpcUri, "rpcUri == null");
      String scheme = rpcUri.getScheme();
      if (scheme == null
          || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
          || rpcUri.getHost() == null) {
        throw new IllegalArgumentException(
            "rpcUri must be an absolute http:// or https:// URI with a host");
      }
      this.rpcUri = rpcUri;
    }

    /**
     * TCP connect timeout. Default {@link #DEFAULT_CONNECT_TIMEOUT}.
     *
     * @throws IllegalArgumentException unless positive and at most 10 minutes
     */
    public Builder connectTimeout(Duration value) {
      this.connectTimeout = bounded("connectTimeout", value);
      return this;
    }

    /**
     * Bound on one ordinary call (read, write and the whole call). Default {@link
     * #DEFAULT_CALL_TIMEOUT}.
     *
     * @throws IllegalArgumentException unless positive and at most 10 minutes
     */
    public Builder callTimeout(Duration value) {
      this.callTimeout = bounded("callTimeout", value);
      return this;
    }

    /**
     * How long to wait for {@code eth_sendRawTransactionSync} before polling instead. Must be less
     * than {@link #receiptTimeout}. Default {@link #DEFAULT_SYNC_SEND_TIMEOUT}.
     *
     * @throws IllegalArgumentException unless positive and at most 10 minutes
     */
    public Builder syncSendTimeout(Duration value) {
      this.syncSendTimeout = bounded("syncSendTimeout", value);
      return this;
    }

    /**
     * The receipt polling backoff: the first pause, doubled after each poll up to {@code max}.
     * Defaults {@link #DEFAULT_POLL_INITIAL} and {@link #DEFAULT_POLL_MAX}.
     *
     * @throws IllegalArgumentException unless both are positive, at most 10 minutes, and {@code
     *     initial <= max}
     */
    public Builder pollInterval(Duration initial, Duration max) {
      Duration i = bounded("pollInterval initial", initial);
      Duration m = bounded("pollInterval max", max);
      if (i.compareTo(m) > 0) {
        throw new IllegalArgumentException(
            "pollInterval initial must not exceed max, but was " + i + " > " + m);
      }
      this.pollInitial = i;
      this.pollMax = m;
      return this;
    }

    /**
     * Overall bound on {@link TempoRpc#sendAndWait}: after it, a sent transaction without a receipt
     * is {@link Kind#NOT_MINED}. Default {@link #DEFAULT_RECEIPT_TIMEOUT}.
     *
     * @throws IllegalArgumentException unless positive and at most 10 minutes
     */
    public Builder receiptTimeout(Duration value) {
      this.receiptTimeout = bounded("receiptTimeout", value);
      return this;
    }

    /**
     * Largest accepted answer body in bytes. Default {@link #DEFAULT_MAX_RESPONSE_BYTES}.
     *
     * @throws IllegalArgumentException unless between 1 KiB and 256 MiB
     */
    public Builder maxResponseBytes(long value) {
      if (value < 1024 || value > 256L * 1024 * 1024) {
        throw new IllegalArgumentException(
            "maxResponseBytes must be between 1024 and 268435456, but was " + value);
      }
      this.maxResponseBytes = value;
      return this;
    }

    /**
     * Attempts of a read call when the transport fails (1 = no retry). Default {@link
     * #DEFAULT_READ_ATTEMPTS}.
     *
     * @throws IllegalArgumentException unless between 1 and 10
     */
    public Builder readAttempts(int value) {
      if (value < 1 || value > 10) {
        throw new IllegalArgumentException(
            "readAttempts must be between 1 and 10, but was " + value);
      }
      this.readAttempts = value;
      return this;
    }

    /**
     * Builds the client.
     *
     * @throws IllegalStateException if {@code syncSendTimeout >= receiptTimeout}
     */
    public Web3jTempoRpc build() {
      if (syncSendTimeout.compareTo(receiptTimeout) >= 0) {
        throw new IllegalStateException(
            "syncSendTimeout must be less than receiptTimeout, but was "
                + syncSendTimeout
                + " >= "
                + receiptTimeout);
      }
      return new Web3jTempoRpc(this);
    }

    private static Duration bounded(String name, Duration value) {
      Objects.requireNonNull(value, name + " == null");
      if (value.isNegative() || value.isZero() || value.compareTo(MAX_WAIT) > 0) {
        throw new IllegalArgumentException(
            name + " must be positive and at most PT10M, but was " + value);
      }
      return value;
    }
  }
}
