package io.mpp4j.tempo.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mpp4j.core.MalformedMessageException;
import io.mpp4j.tempo.Address;
import io.mpp4j.tempo.internal.SenderSignature;
import io.mpp4j.tempo.internal.SigningKey;
import io.mpp4j.tempo.internal.TempoCall;
import io.mpp4j.tempo.internal.TempoTransaction;
import io.mpp4j.tempo.internal.Tip20Call;
import io.mpp4j.tempo.internal.Tip20Transfer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A real local Tempo chain for tests: an {@code anvil} process started with {@code --network tempo
 * --chain-id 42431 --hardfork t4 --block-time 1} on a free loopback port, and a small JSON-RPC
 * client of its own (plain {@code java.net.http} and Jackson, independent of the production RPC
 * client).
 *
 * <p>The binary is found by {@link #findBinary()}. {@link #close()} ends the process and its
 * descendants and waits for them; a JVM shutdown hook does the same if a test run dies before
 * {@code close()}. The process output is kept in a bounded buffer and appended to failure messages,
 * with the printed dev private keys redacted.
 *
 * <p>Thread-safe: the RPC helpers may be called concurrently.
 *
 * <pre>{@code
 * try (AnvilChain chain = AnvilChain.start()) {
 *   SigningKey payer = chain.fundedPayer(AnvilChain.ALPHA_USD, BigInteger.valueOf(5_000_000));
 *   TempoTransaction tx = AnvilChain.sign(chain.transaction(List.of(call)).build(), payer);
 *   AnvilChain.Receipt r = chain.sendRaw(tx);
 * }
 * }</pre>
 */
public final class AnvilChain implements AutoCloseable {

  /** The chain id the chain is started with (Tempo testnet "Moderato"). */
  public static final long CHAIN_ID = 42431;

  /** pathUSD, the default fee token. */
  public static final Address PATH_USD = address("0x20c0000000000000000000000000000000000000");

  /** AlphaUSD, a testnet demo token. */
  public static final Address ALPHA_USD = address("0x20c0000000000000000000000000000000000001");

  /** BetaUSD, a testnet demo token. */
  public static final Address BETA_USD = address("0x20c0000000000000000000000000000000000002");

  /** The fee manager that receives the fee {@code Transfer} of every transaction. */
  public static final Address FEE_MANAGER = address(Tip20Transfer.FEE_MANAGER);

  /** What each dev account holds of every predeployed TIP-20 token: {@code 2^64 - 1}. */
  public static final BigInteger DEV_TOKEN_BALANCE =
      BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

  /** System property naming the anvil binary; wins over {@link #ENV_BINARY}. */
  public static final String PROPERTY_BINARY = "mpp4j.anvil";

  /** Environment variable naming the anvil binary. */
  public static final String ENV_BINARY = "MPP4J_ANVIL";

  /** The command that installs the pinned anvil into the repository. */
  public static final String INSTALL_HINT = "(cd tools/chain && npm ci --no-audit --no-fund)";

  /** Arguments after the binary, before {@code --port}. */
  public static final List<String> ARGUMENTS =
      List.of(
          "--network",
          "tempo",
          "--chain-id",
          Long.toString(CHAIN_ID),
          "--hardfork",
          "t4",
          "--block-time",
          "1",
          "--host",
          "127.0.0.1");

  /** Default {@code maxFeePerGas} of {@link #transaction}: 50 gwei (anvil's base fee is 20). */
  public static final BigInteger MAX_FEE_PER_GAS = BigInteger.valueOf(50_000_000_000L);

  /** Default {@code maxPriorityFeePerGas} of {@link #transaction}: 1 gwei. */
  public static final BigInteger MAX_PRIORITY_FEE_PER_GAS = BigInteger.valueOf(1_000_000_000L);

  /** Default gas limit of {@link #transaction}. */
  public static final long GAS = 1_000_000;

  /** Seconds added to the latest block timestamp for {@code validBefore} (chain limit: 30). */
  public static final long VALIDITY_SECONDS = 25;

  /** The dev accounts' private keys as hex (test keys of a public mnemonic, never real funds). */
  public static final List<String> DEV_KEYS_HEX =
      List.of(
          "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
          "59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
          "5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
          "7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
          "47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
          "8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba",
          "92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e",
          "4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356",
          "dbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97",
          "2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6");

  /** The dev accounts' keys: the ten of the standard test mnemonic, as anvil derives them. */
  public static final List<SigningKey> DEV_KEYS =
      DEV_KEYS_HEX.stream().map(h -> SigningKey.of(HexFormat.of().parseHex(h))).toList();

  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration RPC_TIMEOUT = Duration.ofSeconds(40);
  private static final Duration RECEIPT_TIMEOUT = Duration.ofSeconds(20);
  private static final int HEAD_LINES = 100;
  private static final int TAIL_LINES = 300;
  private static final Pattern LISTENING = Pattern.compile("Listening on 127\\.0\\.0\\.1:(\\d+)");
  private static final Pattern PRINTED_KEY =
      Pattern.compile("^\\s*\\(\\d+\\)\\s+0x[0-9a-fA-F]{64}\\s*$");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Process process;
  private final Thread drainer;
  private final Thread shutdownHook;
  private final List<String> head = new ArrayList<>();
  private final ArrayDeque<String> tail = new ArrayDeque<>();
  private long dropped;
  private final URI rpcUrl;
  private final HttpClient http;
  private final AtomicLong ids = new AtomicLong();
  private final Duration startTime;
  private volatile boolean closed;

  private AnvilChain(Path binary) {
    long t0 = System.nanoTime();
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(ARGUMENTS);
    command.add("--port");
    command.add("0");
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    try {
      this.process = pb.start();
    } catch (IOException e) {
      throw new IllegalStateException("could not start anvil at " + binary + ": " + e, e);
    }
    this.shutdownHook = new Thread(this::stopProcess, "anvil-shutdown-" + process.pid());
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    CompletableFuture<Integer> port = new CompletableFuture<>();
    this.drainer = new Thread(() -> drain(port), "anvil-output-" + process.pid());
    drainer.setDaemon(true);
    drainer.start();
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    URI url;
    try {
      int p = port.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      url = URI.create("http://127.0.0.1:" + p);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new IllegalStateException("interrupted while anvil was starting", e);
    } catch (ExecutionException | TimeoutException e) {
      close();
      throw new IllegalStateException(
          "anvil did not report its port within " + START_TIMEOUT + failureDetails(), e);
    }
    this.rpcUrl = url;
    try {
      awaitChainId(System.nanoTime() + START_TIMEOUT.toNanos());
      mine(); // a fresh chain's latest block may be too old for expiring-nonce transactions
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    this.startTime = Duration.ofNanos(System.nanoTime() - t0);
  }

  /**
   * Starts a chain with the binary from {@link #findBinary()}.
   *
   * @throws IllegalStateException if no binary is found, or anvil does not start and answer {@code
   *     eth_chainId = 42431} within 30 s
   */
  public static AnvilChain start() {
    Path binary =
        findBinary()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "anvil not found: run "
                            + INSTALL_HINT
                            + " in the repository, or set "
                            + ENV_BINARY
                            + " to an anvil 1.7.1 binary"));
    return new AnvilChain(binary);
  }

  /** Starts a chain with the given anvil binary. */
  public static AnvilChain start(Path binary) {
    Objects.requireNonNull(binary, "binary == null");
    return new AnvilChain(binary);
  }

  /**
   * Finds anvil: the system property {@value #PROPERTY_BINARY} or the environment variable {@value
   * #ENV_BINARY}; otherwise {@code tools/chain/node_modules/.bin/anvil} in the working directory or
   * one of its parents (the repository's pinned install); otherwise {@code anvil} on the {@code
   * PATH}.
   *
   * @throws IllegalStateException if the property or variable is set but names no executable file
   */
  public static Optional<Path> findBinary() {
    String configured = System.getProperty(PROPERTY_BINARY);
    String source = "system property " + PROPERTY_BINARY;
    if (configured == null || configured.isBlank()) {
      configured = System.getenv(ENV_BINARY);
      source = "environment variable " + ENV_BINARY;
    }
    if (configured != null && !configured.isBlank()) {
      Path p = Path.of(configured);
      if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
        throw new IllegalStateException(
            source + " names " + configured + ", which is not an executable file");
      }
      return Optional.of(p);
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path p = dir.resolve("tools/chain/node_modules/.bin/anvil");
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String entry : path.split(java.io.File.pathSeparator, -1)) {
        if (entry.isEmpty()) {
          continue;
        }
        Path p = Path.of(entry, "anvil");
        if (Files.isRegularFile(p) && Files.isExecutable(p)) {
          return Optional.of(p);
        }
      }
    }
    return Optional.empty();
  }

  // ---- accessors ----

  /** The JSON-RPC endpoint, {@code http://127.0.0.1:<port>}. */
  public URI rpcUrl() {
    return rpcUrl;
  }

  /** {@value #CHAIN_ID}. */
  public long chainId() {
    return CHAIN_ID;
  }

  /** The dev account keys (see {@link #DEV_KEYS}). */
  public List<SigningKey> devKeys() {
    return DEV_KEYS;
  }

  /** How long {@link #start()} took: process start, readiness and the first mined block. */
  public Duration startTime() {
    return startTime;
  }

  /** The process id of anvil. */
  public long pid() {
    return process.pid();
  }

  /** True until {@link #close()}, while the process runs. */
  public boolean isRunning() {
    return !closed && process.isAlive();
  }

  // ---- JSON-RPC ----

  /**
   * Calls a JSON-RPC method.
   *
   * @param params the positional parameters, each converted with Jackson
   * @return the {@code result} member (a {@code NullNode} for JSON {@code null})
   * @throws RpcError if the node answers with an {@code error}
   * @throws IllegalStateException if the request fails at the HTTP level
   */
  public JsonNode rpc(String method, Object... params) {
    return rpcAt(rpcUrl, method, params);
  }

  /**
   * Like {@link #rpc}, but sent to another endpoint in front of this chain (such as {@link
   * ReserveShim}).
   */
  JsonNode rpcAt(URI endpoint, String method, Object... params) {
    Objects.requireNonNull(endpoint, "endpoint == null");
    Objects.requireNonNull(method, "method == null");
    ObjectNode req = JSON.createObjectNode();
    req.put("jsonrpc", "2.0");
    req.put("id", ids.incrementAndGet());
    req.put("method", method);
    ArrayNode arr = req.putArray("params");
    for (Object p : params) {
      arr.add(JSON.valueToTree(p));
    }
    HttpRequest request =
        HttpRequest.newBuilder(endpoint)
            .timeout(RPC_TIMEOUT)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(req.toString()))
            .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(method + " failed: " + e + failureDetails(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(method + " interrupted", e);
    }
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          method + " answered HTTP " + response.statusCode() + ": " + response.body());
    }
    JsonNode body;
    try {
      body = JSON.readTree(response.body());
    } catch (IOException e) {
      throw new IllegalStateException(method + " answered non-JSON: " + response.body(), e);
    }
    JsonNode error = body.get("error");
    if (error != null && !error.isNull()) {
      throw new RpcError(
          method,
          error.path("code").asLong(),
          error.path("message").asText(),
          error.path("data").isTextual() ? error.get("data").asText() : "");
    }
    JsonNode result = body.get("result");
    if (result == null) {
      throw new IllegalStateException(method + " answered without a result: " + body);
    }
    return result;
  }

  /** Mines one block now ({@code evm_mine}) and returns the new latest block number. */
  public long mine() {
    rpc("evm_mine");
    return blockNumber();
  }

  /** {@code eth_blockNumber}. */
  public long blockNumber() {
    return quantity(rpc("eth_blockNumber")).longValueExact();
  }

  /** The timestamp of the latest block, in Unix seconds. */
  public long latestTimestamp() {
    return quantity(rpc("eth_getBlockByNumber", "latest", false).path("timestamp"))
        .longValueExact();
  }

  /** {@code balanceOf(holder)} of a TIP-20 token, by {@code eth_call} at the latest block. */
  public BigInteger balanceOf(Address token, Address holder) {
    Objects.requireNonNull(token, "token == null");
    Objects.requireNonNull(holder, "holder == null");
    String data = "0x70a08231" + "0".repeat(24) + HexFormat.of().formatHex(holder.toBytes());
    ObjectNode call = JSON.createObjectNode();
    call.put("to", token.toHex());
    call.put("data", data);
    return quantity(rpc("eth_call", call, "latest"));
  }

  // ---- transactions ----

  /**
   * A transaction builder with this chain's defaults: chain id, {@link #MAX_FEE_PER_GAS}, {@link
   * #MAX_PRIORITY_FEE_PER_GAS}, {@link #GAS}, the expiring nonce key with nonce 0, and {@code
   * validBefore} = latest block timestamp + {@value #VALIDITY_SECONDS} s. No fee token, no fee
   * payer, no signature.
   */
  public TempoTransaction.Builder transaction(List<TempoCall> calls) {
    return TempoTransaction.builder()
        .chainId(CHAIN_ID)
        .maxPriorityFeePerGas(MAX_PRIORITY_FEE_PER_GAS)
        .maxFeePerGas(MAX_FEE_PER_GAS)
        .gas(GAS)
        .calls(calls)
        .nonceKey(TempoTransaction.EXPIRING_NONCE_KEY)
        .nonce(0)
        .validBefore(latestTimestamp() + VALIDITY_SECONDS);
  }

  /** Signs the sender hash of {@code unsigned} with {@code key} (a secp256k1 envelope). */
  public static TempoTransaction sign(TempoTransaction unsigned, SigningKey key) {
    Objects.requireNonNull(unsigned, "unsigned == null");
    Objects.requireNonNull(key, "key == null");
    return unsigned.withSenderSignature(SenderSignature.of(key.sign(unsigned.senderSigningHash())));
  }

  /**
   * Broadcasts {@code tx.encode()} with {@code eth_sendRawTransaction} and waits for its receipt.
   *
   * @throws RpcError if the node refuses the transaction
   * @throws IllegalStateException if no receipt appears within 20 s, or the node reports a hash
   *     other than {@code tx.hashHex()}
   */
  public Receipt sendRaw(TempoTransaction tx) {
    Objects.requireNonNull(tx, "tx == null");
    String hash = rpc("eth_sendRawTransaction", hex(tx.encode())).asText();
    if (!hash.equalsIgnoreCase(tx.hashHex())) {
      throw new IllegalStateException(
          "node reported tx hash " + hash + " but the codec computed " + tx.hashHex());
    }
    return awaitReceipt(hash);
  }

  /** Broadcasts raw bytes with {@code eth_sendRawTransaction} and waits for the receipt. */
  public Receipt sendRaw(byte[] encoded) {
    Objects.requireNonNull(encoded, "encoded == null");
    return awaitReceipt(rpc("eth_sendRawTransaction", hex(encoded)).asText());
  }

  /**
   * Polls {@code eth_getTransactionReceipt} every 100 ms.
   *
   * @throws IllegalStateException if no receipt appears within 20 s
   */
  public Receipt awaitReceipt(String txHash) {
    Objects.requireNonNull(txHash, "txHash == null");
    long deadline = System.nanoTime() + RECEIPT_TIMEOUT.toNanos();
    while (true) {
      JsonNode r = rpc("eth_getTransactionReceipt", txHash);
      if (!r.isNull()) {
        return Receipt.of(r);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "no receipt for " + txHash + " within " + RECEIPT_TIMEOUT + failureDetails());
      }
      sleep(100);
    }
  }

  /**
   * A fresh random account holding exactly {@code amount} base units of {@code token}, funded by
   * {@link #fund}. On Tempo fees are paid in a TIP-20 token, so the account needs no native coin. A
   * transaction that names the token as {@code feeToken} pays its fee from this balance. With an
   * empty {@code feeToken} (what mppx clients send) anvil admits the transaction only if the
   * account holds {@code gas * maxFeePerGas / 10^12} of pathUSD, though it then charges the fee in
   * the token called: give such a payer pathUSD too, with {@link #fund}.
   *
   * @throws IllegalStateException if funding fails or the balance is not {@code amount} afterwards
   */
  public SigningKey fundedPayer(Address token, BigInteger amount) {
    SigningKey payer = randomKey();
    fund(payer.address(), token, amount);
    BigInteger balance = balanceOf(token, payer.address());
    if (!balance.equals(amount)) {
      throw new IllegalStateException("funded payer holds " + balance + ", expected " + amount);
    }
    return payer;
  }

  /**
   * Sends {@code amount} base units of {@code token} to {@code holder} with a TIP-20 {@code
   * transfer} from dev account #9, built and signed with mpp4j's codec (expiring nonce, fee in the
   * default token), and waits until it is mined.
   *
   * @throws IllegalArgumentException if {@code amount} is not positive
   * @throws IllegalStateException if the transfer is refused or reverts
   */
  public Receipt fund(Address holder, Address token, BigInteger amount) {
    Objects.requireNonNull(holder, "holder == null");
    Objects.requireNonNull(token, "token == null");
    Objects.requireNonNull(amount, "amount == null");
    if (amount.signum() <= 0) {
      throw new IllegalArgumentException("amount must be positive, but was " + amount);
    }
    TempoCall call = TempoCall.of(token, Tip20Call.transfer(holder, amount).encode());
    Receipt r = sendRaw(sign(transaction(List.of(call)).build(), DEV_KEYS.get(9)));
    if (r.status() != 1) {
      throw new IllegalStateException("funding transfer reverted: " + r);
    }
    return r;
  }

  /** A new random secp256k1 key (not funded). */
  public static SigningKey randomKey() {
    byte[] secret = new byte[32];
    while (true) {
      RANDOM.nextBytes(secret);
      try {
        return SigningKey.of(secret);
      } catch (IllegalArgumentException outOfRange) {
        // astronomically rare: zero or >= n; draw again
      } finally {
        Arrays.fill(secret, (byte) 0);
      }
    }
  }

  // ---- lifecycle ----

  /**
   * Ends anvil and its descendants (SIGTERM, then SIGKILL after 10 s) and waits for them.
   * Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    stopProcess();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or has run
    }
  }

  private void stopProcess() {
    List<ProcessHandle> descendants = process.descendants().toList();
    process.destroy();
    descendants.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
    awaitExit(process.toHandle(), deadline);
    descendants.forEach(d -> awaitExit(d, deadline));
    try {
      drainer.join(STOP_TIMEOUT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void awaitExit(ProcessHandle h, long deadline) {
    long left = Math.max(0, deadline - System.nanoTime());
    try {
      h.onExit().get(left, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      h.destroyForcibly();
      try {
        h.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException ignored) {
        // reported by isAlive() to whoever checks
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      h.destroyForcibly();
    } catch (ExecutionException e) {
      h.destroyForcibly();
    }
  }

  // ---- output ----

  private void drain(CompletableFuture<Integer> port) {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (!port.isDone()) {
          Matcher m = LISTENING.matcher(line);
          if (m.find()) {
            port.complete(Integer.parseInt(m.group(1)));
          }
        }
        String kept = PRINTED_KEY.matcher(line).find() ? redact(line) : line;
        synchronized (tail) {
          if (head.size() < HEAD_LINES) {
            head.add(kept);
          } else {
            if (tail.size() == TAIL_LINES) {
              tail.removeFirst();
              dropped++;
            }
            tail.addLast(kept);
          }
        }
      }
    } catch (IOException e) {
      // the stream closes when the process ends
    } finally {
      port.completeExceptionally(new IllegalStateException("anvil output ended"));
    }
  }

  private static String redact(String line) {
    return line.substring(0, line.indexOf("0x")) + "0x<private key redacted>";
  }

  /**
   * What anvil printed: its first 100 lines (the banner) and its last 300, with the printed dev
   * private keys redacted.
   */
  public String output() {
    synchronized (tail) {
      StringBuilder b = new StringBuilder(String.join("\n", head));
      if (dropped > 0) {
        b.append("\n[").append(dropped).append(" lines left out]");
      }
      if (!tail.isEmpty()) {
        b.append('\n').append(String.join("\n", tail));
      }
      return b.toString();
    }
  }

  private String failureDetails() {
    String state = process.isAlive() ? "running" : "exited with " + process.exitValue();
    return "\nanvil (pid " + process.pid() + ") " + state + "; its output:\n" + output();
  }

  private void awaitChainId(long deadline) {
    RuntimeException last = null;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        break;
      }
      try {
        long id = quantity(rpc("eth_chainId")).longValueExact();
        if (id != CHAIN_ID) {
          throw new IllegalStateException("anvil reports chain id " + id + ", not " + CHAIN_ID);
        }
        return;
      } catch (IllegalStateException | RpcError e) {
        last = e;
      }
      sleep(50);
    }
    throw new IllegalStateException("anvil did not answer eth_chainId" + failureDetails(), last);
  }

  // ---- helpers ----

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  static String hex(byte[] b) {
    return "0x" + HexFormat.of().formatHex(b);
  }

  static byte[] unhex(String s) {
    if (!s.startsWith("0x")) {
      throw new IllegalArgumentException("expected 0x-prefixed hex, but was " + s);
    }
    return HexFormat.of().parseHex(s.substring(2));
  }

  static BigInteger quantity(JsonNode n) {
    String s = n.asText();
    if (!s.startsWith("0x") || s.length() < 3) {
      throw new IllegalStateException("expected a 0x-prefixed hex quantity, but was " + n);
    }
    return new BigInteger(s.substring(2), 16);
  }

  static Address address(String hex) {
    try {
      return Address.parse(hex);
    } catch (MalformedMessageException e) {
      throw new IllegalArgumentException("bad address " + hex, e);
    }
  }

  @Override
  public String toString() {
    return "AnvilChain[" + rpcUrl + ", pid " + process.pid() + (closed ? ", closed]" : "]");
  }

  /** A JSON-RPC {@code error} answer. */
  public static final class RpcError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long code;
    private final String data;

    RpcError(String method, long code, String message, String data) {
      super(method + " failed: " + code + " " + message);
      this.code = code;
      this.data = data;
    }

    /** The JSON-RPC error code. */
    public long code() {
      return code;
    }

    /** The error's {@code data} when it is a string (revert data, {@code 0x} hex), else empty. */
    public String data() {
      return data;
    }
  }

  /**
   * The parts of a transaction receipt the tests look at.
   *
   * @param transactionHash the hash, lower-case {@code 0x} hex
   * @param status 1 for success, 0 for a revert
   * @param blockNumber the block it was mined in
   * @param from the sender
   * @param feePayer the {@code feePayer} member (anvil reports the sender here), or {@code null}
   * @param gasUsed gas used
   * @param effectiveGasPrice wei per gas
   * @param transfers every TIP-20 {@code Transfer}/{@code TransferWithMemo} log, in log order
   * @param raw the whole receipt
   */
  public record Receipt(
      String transactionHash,
      long status,
      long blockNumber,
      Address from,
      @Nullable Address feePayer,
      BigInteger gasUsed,
      BigInteger effectiveGasPrice,
      List<Tip20Transfer> transfers,
      JsonNode raw) {

    /** Copies the list. */
    public Receipt {
      transfers = List.copyOf(transfers);
    }

    static Receipt of(JsonNode r) {
      List<Tip20Transfer> transfers = new ArrayList<>();
      for (JsonNode log : r.path("logs")) {
        List<byte[]> topics = new ArrayList<>();
        for (JsonNode t : log.path("topics")) {
          topics.add(unhex(t.asText()));
        }
        Tip20Transfer.fromLog(
                quantity(log.path("logIndex")).longValueExact(),
                address(log.path("address").asText()),
                topics,
                unhex(log.path("data").asText()))
            .ifPresent(transfers::add);
      }
      JsonNode fp = r.get("feePayer");
      return new Receipt(
          r.path("transactionHash").asText().toLowerCase(Locale.ROOT),
          quantity(r.path("status")).longValueExact(),
          quantity(r.path("blockNumber")).longValueExact(),
          address(r.path("from").asText()),
          fp == null || fp.isNull() ? null : address(fp.asText()),
          quantity(r.path("gasUsed")),
          quantity(r.path("effectiveGasPrice")),
          transfers,
          r);
    }

    /**
     * The fee in TIP-20 base units: {@code ceil(gasUsed * effectiveGasPrice / 10^12)} (fees are
     * accounted in 18 decimals, tokens have 6).
     */
    public BigInteger feeBaseUnits() {
      BigInteger[] qr =
          gasUsed.multiply(effectiveGasPrice).divideAndRemainder(BigInteger.TEN.pow(12));
      return qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE);
    }

    @Override
    public String toString() {
      return "Receipt["
          + transactionHash
          + ", status="
          + status
          + ", block="
          + blockNumber
          + ", from="
          + from
          + ", gasUsed="
          + gasUsed
          + ", transfers="
          + transfers
          + "]";
    }
  }
}
