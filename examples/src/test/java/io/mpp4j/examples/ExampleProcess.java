package io.mpp4j.examples;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The example webapp started as its own process, as the README runs it: configured only through the
 * environment. The inherited {@code MPP_*}, {@code STRIPE_*} and {@code TEMPO_*} variables are
 * removed, so the process sees exactly the ones a test passes (plus {@code PORT}).
 */
final class ExampleProcess implements AutoCloseable {
  private final Process process;
  private final Path log;
  private final String base;

  private ExampleProcess(Process process, Path log, String base) {
    this.process = process;
    this.log = log;
    this.base = base;
  }

  /** The base URL, {@code http://127.0.0.1:<port>}. */
  String base() {
    return base;
  }

  /** What the process printed so far (standard output and error). */
  String output() throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }

  /**
   * {@code env} plus what a Tempo session server needs (SPEC 11.4): {@code TEMPO_OPERATOR_KEY}, the
   * key the server settles and closes with (its address is the offers' {@code
   * methodDetails.operator}), and {@code TEMPO_ESCROW} unless {@code escrow} is null (then the
   * server uses the v2 precompile's address).
   *
   * @param operatorKeyHex the operator's secp256k1 key, hex with or without {@code 0x}
   * @param escrow the channel reserve's address, or null for the default
   */
  static Map<String, String> withTempoSession(
      Map<String, String> env, String operatorKeyHex, @Nullable String escrow) {
    Map<String, String> all = new java.util.HashMap<>(env);
    all.put(
        "TEMPO_OPERATOR_KEY",
        operatorKeyHex.startsWith("0x") ? operatorKeyHex : "0x" + operatorKeyHex);
    if (escrow != null) {
      all.put("TEMPO_ESCROW", escrow);
    }
    return Map.copyOf(all);
  }

  /** Starts the example and waits until {@code /free} answers 200. */
  static ExampleProcess start(Map<String, String> env) throws Exception {
    ExampleProcess example = launch(env);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      try {
        HttpResponse<Void> r =
            http.send(
                HttpRequest.newBuilder(URI.create(example.base + "/free"))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return example;
        }
      } catch (IOException notYet) {
        // starting
      }
      if (System.nanoTime() > deadline || !example.process.isAlive()) {
        String output = example.output();
        example.close();
        throw new IllegalStateException("example did not start:\n" + output);
      }
      Thread.sleep(200);
    }
  }

  /**
   * Starts the example expecting it to refuse to start; returns its exit code once it has exited.
   *
   * @throws IllegalStateException when it is still running after 60 s
   */
  static int startExpectingExit(Map<String, String> env, StringBuilder output) throws Exception {
    try (ExampleProcess example = launch(env)) {
      if (!example.process.waitFor(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("example still running:\n" + example.output());
      }
      output.append(example.output());
      return example.process.exitValue();
    }
  }

  private static ExampleProcess launch(Map<String, String> env) throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path log = Files.createTempFile("mpp4j-example-", ".log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
                java, "-cp", System.getProperty("java.class.path"), ExampleServer.class.getName())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    Map<String, String> environment = pb.environment();
    environment
        .keySet()
        .removeIf(k -> k.startsWith("MPP_") || k.startsWith("STRIPE_") || k.startsWith("TEMPO_"));
    environment.put("PORT", Integer.toString(port));
    environment.putAll(env);
    try {
      return new ExampleProcess(pb.start(), log, "http://127.0.0.1:" + port);
    } catch (IOException e) {
      Files.deleteIfExists(log);
      throw e;
    }
  }

  @Override
  public void close() throws IOException {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
