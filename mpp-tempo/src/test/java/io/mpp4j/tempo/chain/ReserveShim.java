package io.mpp4j.tempo.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.mpp4j.core.MalformedMessageException;
import io.mpp4j.tempo.Address;
import io.mpp4j.tempo.internal.TempoCall;
import io.mpp4j.tempo.internal.TempoCodec;
import io.mpp4j.tempo.internal.TempoTransaction;
import io.mpp4j.tempo.internal.session.ChannelDescriptor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A JSON-RPC proxy in front of anvil that does what the channel reserve precompile and a Tempo node
 * do but anvil 1.7.1 with a Solidity stand-in cannot (SPEC 11.4):
 *
 * <ul>
 *   <li>For a {@code 0x76} raw transaction calling {@code open} ({@code 0xedc53b00}) on the
 *       reserve, it computes {@code expiringNonceHash = keccak256(senderSigningPreimage || sender)}
 *       and writes it to the stand-in's storage slot 0 ({@code anvil_setStorageAt}) before
 *       forwarding. The value stays there until the next open (a non-zero value lets {@code
 *       eth_call} and {@code eth_estimateGas} of an open succeed). Opens are forwarded one at a
 *       time, each after the previous one was mined, so that no open reads another's hash.
 *   <li>{@code eth_estimateGas} and {@code eth_fillTransaction} of a transaction calling the
 *       reserve answer at least {@link #RESERVE_GAS} (anvil answers a constant 534,000 for every
 *       {@code 0x76} transaction; a stand-in open needs about 810,000).
 *   <li>Before forwarding an expiring-nonce transaction not seen before, it resets the sender's
 *       expiring-key nonce in anvil's NonceManager to 0 (anvil otherwise drops every later
 *       expiring-nonce transaction of a sender). A transaction forwarded before is forwarded
 *       without a reset, so a replay stays refused as on Tempo.
 *   <li>A sender's transactions are forwarded one at a time, each after the previous one was mined
 *       (or after {@link #MINE_WAIT} at most).
 * </ul>
 *
 * Everything else passes through unchanged, batches included. Listens on 127.0.0.1 only; bodies are
 * limited to {@link #MAX_BODY} bytes each way, every upstream call to {@link #UPSTREAM_TIMEOUT}.
 *
 * <p>Thread-safe. {@link #close()} stops the server and its threads.
 */
public final class ReserveShim implements AutoCloseable {
  /** The NonceManager precompile of anvil's Tempo mode (SPEC 11.4). */
  public static final Address NONCE_MANAGER =
      AnvilChain.address("0x4e4F4E4345000000000000000000000000000000");

  /** The gas that estimates for calls to the reserve are raised to. */
  public static final long RESERVE_GAS = 2_000_000;

  /** The stand-in's storage slot that holds the pending open's {@code expiringNonceHash}. */
  public static final BigInteger EXPIRING_NONCE_HASH_SLOT = BigInteger.ZERO;

  /** Largest request or response body, in bytes. */
  public static final int MAX_BODY = 4 * 1024 * 1024;

  /** Longest wait for anvil to answer one call ({@code eth_sendRawTransactionSync} waits 30 s). */
  public static final Duration UPSTREAM_TIMEOUT = Duration.ofSeconds(40);

  /** Longest wait for a sender's previous transaction (or the previous open) to be mined. */
  public static final Duration MINE_WAIT = Duration.ofSeconds(20);

  private static final int SEEN_LIMIT = 10_000;
  private static final int OPEN_SELECTOR = 0xedc53b00;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI upstream;
  private final Address reserve;
  private final HttpClient http;
  private final HttpServer server;
  private final ExecutorService executor;
  private final URI url;
  private final AtomicLong ids = new AtomicLong();
  private final AtomicInteger opensForwarded = new AtomicInteger();
  private final AtomicInteger nonceResets = new AtomicInteger();
  private final AtomicInteger requestsReceived = new AtomicInteger();

  // guarded by sendLock
  private final Object sendLock = new Object();
  private final Map<Address, String> pendingBySender = new HashMap<>();
  private @Nullable String pendingOpen;
  private final Map<String, Boolean> seen =
      new LinkedHashMap<>() {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > SEEN_LIMIT;
        }
      };

  private ReserveShim(URI upstream, Address reserve) throws IOException {
    this.upstream = upstream;
    this.reserve = reserve;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    AtomicInteger threads = new AtomicInteger();
    this.executor =
        Executors.newFixedThreadPool(
            8,
            r -> {
              Thread t = new Thread(r, "reserve-shim-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
    this.url =
        URI.create(
            "http://"
                + server.getAddress().getAddress().getHostAddress()
                + ":"
                + server.getAddress().getPort());
  }

  /**
   * Starts a shim on a free loopback port.
   *
   * @param upstream anvil's JSON-RPC endpoint (loopback)
   * @param reserve where the stand-in is installed
   */
  public static ReserveShim start(URI upstream, Address reserve) {
    Objects.requireNonNull(upstream, "upstream == null");
    Objects.requireNonNull(reserve, "reserve == null");
    try {
      return new ReserveShim(upstream, reserve);
    } catch (IOException e) {
      throw new IllegalStateException("could not start the JSON-RPC shim: " + e, e);
    }
  }

  /** The shim's endpoint, {@code http://127.0.0.1:<port>}. */
  public URI url() {
    return url;
  }

  /** How many transactions calling {@code open} on the reserve were forwarded. */
  public int opensForwarded() {
    return opensForwarded.get();
  }

  /** How many HTTP requests reached the shim (every client's, every method; bad ones too). */
  public int requestsReceived() {
    return requestsReceived.get();
  }

  /** How many times an expiring-key nonce was reset. */
  public int nonceResets() {
    return nonceResets.get();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- HTTP ----

  private void handle(HttpExchange ex) throws IOException {
    requestsReceived.incrementAndGet();
    try {
      if (!"POST".equals(ex.getRequestMethod())) {
        ex.getResponseHeaders().set("Allow", "POST");
        ex.sendResponseHeaders(405, -1);
        return;
      }
      byte[] body = readBounded(ex.getRequestBody());
      JsonNode answer;
      if (body == null) {
        answer = error(null, -32600, "request body larger than " + MAX_BODY + " bytes");
      } else {
        answer = answer(body);
      }
      byte[] out = JSON.writeValueAsBytes(answer);
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(200, out.length);
      try (OutputStream os = ex.getResponseBody()) {
        os.write(out);
      }
    } finally {
      ex.close();
    }
  }

  private JsonNode answer(byte[] body) {
    JsonNode req;
    try {
      req = JSON.readTree(body);
    } catch (IOException e) {
      return error(null, -32700, "parse error");
    }
    if (req == null) {
      return error(null, -32700, "parse error");
    }
    if (req.isArray()) {
      ArrayNode out = JSON.createArrayNode();
      for (JsonNode r : req) {
        out.add(one(r));
      }
      return out;
    }
    return one(req);
  }

  private JsonNode one(JsonNode req) {
    if (!req.isObject() || !req.path("method").isTextual()) {
      return error(req.get("id"), -32600, "invalid request");
    }
    try {
      return switch (req.get("method").asText()) {
        case "eth_sendRawTransaction", "eth_sendRawTransactionSync" -> sendRaw((ObjectNode) req);
        case "eth_estimateGas" -> raiseEstimate(req);
        case "eth_fillTransaction" -> raiseFill(req);
        default -> forward(req);
      };
    } catch (UpstreamException e) {
      return error(req.get("id"), -32603, "shim: " + e.getMessage());
    }
  }

  // ---- the interceptions ----

  private JsonNode raiseEstimate(JsonNode req) throws UpstreamException {
    JsonNode res = forward(req);
    if (callsReserve(req.path("params").path(0)) && res.path("result").isTextual()) {
      BigInteger gas = quantity(res.get("result"));
      if (gas != null && gas.compareTo(BigInteger.valueOf(RESERVE_GAS)) < 0) {
        ((ObjectNode) res).put("result", "0x" + Long.toHexString(RESERVE_GAS));
      }
    }
    return res;
  }

  private JsonNode raiseFill(JsonNode req) throws UpstreamException {
    JsonNode res = forward(req);
    JsonNode tx = res.path("result").path("tx");
    if (callsReserve(req.path("params").path(0)) && tx.isObject()) {
      BigInteger gas = quantity(tx.get("gas"));
      if (gas == null || gas.compareTo(BigInteger.valueOf(RESERVE_GAS)) < 0) {
        ((ObjectNode) tx).put("gas", "0x" + Long.toHexString(RESERVE_GAS));
      }
    }
    return res;
  }

  private boolean callsReserve(JsonNode txRequest) {
    if (isReserve(txRequest.get("to"))) {
      return true;
    }
    for (JsonNode c : txRequest.path("calls")) {
      if (isReserve(c.get("to"))) {
        return true;
      }
    }
    return false;
  }

  private boolean isReserve(@Nullable JsonNode to) {
    return to != null && to.isTextual() && to.asText().equalsIgnoreCase(reserve.toHex());
  }

  private JsonNode sendRaw(ObjectNode req) throws UpstreamException {
    JsonNode p0 = req.path("params").path(0);
    TempoTransaction tx = null;
    Address sender = null;
    if (p0.isTextual()) {
      try {
        byte[] raw = AnvilChain.unhex(p0.asText());
        if (raw.length > 0 && (raw[0] & 0xff) == TempoTransaction.TYPE_TEMPO) {
          tx = TempoCodec.parse(raw);
          sender = tx.recoverSender().orElse(null);
        }
      } catch (IllegalArgumentException | MalformedMessageException e) {
        tx = null; // not ours to judge: the node refuses it
      }
    }
    if (tx == null || sender == null) {
      return forward(req);
    }
    boolean opens = tx.calls().stream().anyMatch(this::isOpenCall);
    boolean expiring = TempoTransaction.EXPIRING_NONCE_KEY.equals(tx.nonceKey());
    String ownHash = tx.hashHex();
    synchronized (sendLock) {
      awaitMined(pendingBySender.remove(sender));
      if (opens) {
        awaitMined(pendingOpen);
        pendingOpen = null;
      }
      if (expiring && !seen.containsKey(ownHash)) {
        setStorage(NONCE_MANAGER, nonceSlot(sender), BigInteger.ZERO);
        nonceResets.incrementAndGet();
      }
      if (opens) {
        byte[] hash = ChannelDescriptor.expiringNonceHash(tx, sender).toBytes();
        setStorage(reserve, EXPIRING_NONCE_HASH_SLOT, new BigInteger(1, hash));
      }
      JsonNode res = forward(req);
      seen.put(ownHash, Boolean.TRUE);
      JsonNode result = res.get("result");
      String hash = null;
      if (result != null && result.isTextual()) {
        hash = result.asText();
      } else if (result != null && result.path("transactionHash").isTextual()) {
        hash = result.get("transactionHash").asText();
      }
      if (hash != null) {
        pendingBySender.put(sender, hash);
        if (opens) {
          pendingOpen = hash;
          opensForwarded.incrementAndGet();
        }
      }
      return res;
    }
  }

  private boolean isOpenCall(TempoCall c) {
    byte[] d = c.data();
    return reserve.equals(c.to())
        && d.length >= 4
        && ((d[0] & 0xff) << 24 | (d[1] & 0xff) << 16 | (d[2] & 0xff) << 8 | (d[3] & 0xff))
            == OPEN_SELECTOR;
  }

  /**
   * The NonceManager slot of {@code nonces[sender][2^256 - 1]} (a mapping of mappings at slot 0):
   * {@code keccak256(key || keccak256(sender || 0))}.
   */
  static BigInteger nonceSlot(Address sender) {
    byte[] inner = new byte[64];
    System.arraycopy(ReserveAbi.word(sender), 0, inner, 0, 32);
    byte[] outer = new byte[64];
    System.arraycopy(ReserveAbi.word(TempoTransaction.EXPIRING_NONCE_KEY), 0, outer, 0, 32);
    System.arraycopy(io.mpp4j.tempo.internal.Keccak.hash(inner), 0, outer, 32, 32);
    return new BigInteger(1, io.mpp4j.tempo.internal.Keccak.hash(outer));
  }

  private void awaitMined(@Nullable String hash) throws UpstreamException {
    if (hash == null) {
      return;
    }
    long deadline = System.nanoTime() + MINE_WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode r = call("eth_getTransactionReceipt", JSON.getNodeFactory().textNode(hash));
      if (r.has("result") && !r.get("result").isNull()) {
        return;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new UpstreamException("interrupted");
      }
    }
    // not mined in time (dropped?): go on, the node decides about the next one
  }

  private void setStorage(Address contract, BigInteger slot, BigInteger value)
      throws UpstreamException {
    JsonNode r =
        call(
            "anvil_setStorageAt",
            JSON.getNodeFactory().textNode(contract.toHex()),
            JSON.getNodeFactory().textNode(AnvilChain.hex(ReserveAbi.word(slot))),
            JSON.getNodeFactory().textNode(AnvilChain.hex(ReserveAbi.word(value))));
    if (r.has("error")) {
      throw new UpstreamException("anvil_setStorageAt failed");
    }
  }

  // ---- upstream ----

  private JsonNode call(String method, JsonNode... params) throws UpstreamException {
    ObjectNode req = JSON.createObjectNode();
    req.put("jsonrpc", "2.0");
    req.put("id", "shim-" + ids.incrementAndGet());
    req.put("method", method);
    ArrayNode arr = req.putArray("params");
    Arrays.stream(params).forEach(arr::add);
    return forward(req);
  }

  private JsonNode forward(JsonNode req) throws UpstreamException {
    HttpRequest request =
        HttpRequest.newBuilder(upstream)
            .timeout(UPSTREAM_TIMEOUT)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(req.toString()))
            .build();
    HttpResponse<InputStream> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new UpstreamException("anvil unreachable: " + e.getClass().getSimpleName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UpstreamException("interrupted");
    }
    byte[] body;
    try (InputStream in = response.body()) {
      body = readBounded(in);
    } catch (IOException e) {
      throw new UpstreamException("anvil answer unreadable");
    }
    if (body == null) {
      throw new UpstreamException("anvil answer larger than " + MAX_BODY + " bytes");
    }
    try {
      JsonNode n = JSON.readTree(body);
      if (n == null || !(n.isObject() || n.isArray())) {
        throw new UpstreamException("anvil answered HTTP " + response.statusCode());
      }
      return n;
    } catch (IOException e) {
      throw new UpstreamException("anvil answered non-JSON, HTTP " + response.statusCode());
    }
  }

  private static byte @Nullable [] readBounded(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[16 * 1024];
    int n;
    while ((n = in.read(buf)) != -1) {
      if (out.size() + n > MAX_BODY) {
        return null;
      }
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }

  private static ObjectNode error(@Nullable JsonNode id, int code, String message) {
    ObjectNode e = JSON.createObjectNode();
    e.put("jsonrpc", "2.0");
    e.set("id", id == null ? JSON.getNodeFactory().nullNode() : id);
    ObjectNode err = e.putObject("error");
    err.put("code", code);
    err.put("message", message);
    return e;
  }

  private static @Nullable BigInteger quantity(@Nullable JsonNode n) {
    if (n == null || !n.isTextual()) {
      return null;
    }
    String s = n.asText().toLowerCase(Locale.ROOT);
    if (!s.startsWith("0x") || s.length() < 3 || s.length() > 66) {
      return null;
    }
    try {
      return new BigInteger(s.substring(2), 16);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  @Override
  public String toString() {
    return "ReserveShim[" + url + " -> " + upstream + "]";
  }

  private static final class UpstreamException extends Exception {
    private static final long serialVersionUID = 1L;

    UpstreamException(String message) {
      super(message, null, false, false);
    }
  }
}
