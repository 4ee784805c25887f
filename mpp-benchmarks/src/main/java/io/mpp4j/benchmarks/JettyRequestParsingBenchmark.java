package io.mpp4j.benchmarks;

import io.mpp4j.core.Challenge;
import io.mpp4j.core.Credential;
import io.mpp4j.core.RequestView;
import io.mpp4j.server.PaymentGate;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.http.HttpVersion;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What the paid request's {@code Authorization} header costs Jetty before any payment logic runs:
 * Jetty's {@link HttpParser} (the example's server, header field cache off as in the example) on
 * the request line and headers of the load benchmark's free request, and of a paid request that
 * carries a real credential (about 730 bytes). Compare with {@link
 * CredentialVerificationBenchmark}: the whole verification of that credential.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(1)
@State(Scope.Thread)
public class JettyRequestParsingBenchmark {
  private byte[] freeRequest;
  private byte[] paidRequest;
  private HttpParser parser;
  private Sink sink;

  /** Counts what the parser reports, so nothing is optimized away. */
  static final class Sink implements HttpParser.RequestHandler {
    Blackhole blackhole;

    @Override
    public void startRequest(String method, String uri, HttpVersion version) {
      blackhole.consume(uri);
    }

    @Override
    public void parsedHeader(HttpField field) {
      blackhole.consume(field);
    }

    @Override
    public boolean headerComplete() {
      return false;
    }

    @Override
    public boolean content(ByteBuffer item) {
      return false;
    }

    @Override
    public boolean contentComplete() {
      return false;
    }

    @Override
    public boolean messageComplete() {
      return true;
    }

    @Override
    public void earlyEOF() {}

    @Override
    public void badMessage(HttpException failure) {
      throw new IllegalStateException("request refused by the parser", (Throwable) failure);
    }
  }

  @Setup
  public void setUp() {
    PaymentGate gate =
        Fixtures.gate(
            Clock.fixed(Fixtures.NOW, ZoneOffset.UTC),
            new CredentialVerificationBenchmark.AlwaysClaimReplayStore());
    RequestView plain = RequestView.builder().method("GET").path("/api/premium").build();
    Challenge challenge = gate.issueChallenges(Fixtures.requirement(), plain).get(0);
    String authorization =
        Credential.of(challenge, Map.of("type", "hash", "hash", Fixtures.TX_HASH), null)
            .toHeaderValue();
    String head = "Host: 127.0.0.1:18080\r\n";
    freeRequest = ("GET /free HTTP/1.1\r\n" + head + "\r\n").getBytes(StandardCharsets.US_ASCII);
    paidRequest =
        ("GET /api/premium HTTP/1.1\r\n" + head + "Authorization: " + authorization + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    sink = new Sink();
    parser = new HttpParser(sink, 8192, HttpCompliance.RFC9110);
    parser.setHeaderCacheSize(0);
  }

  private void parse(byte[] request, Blackhole bh) {
    sink.blackhole = bh;
    parser.reset();
    if (!parser.parseNext(ByteBuffer.wrap(request))) {
      throw new IllegalStateException("request not parsed completely");
    }
  }

  /** The free route's request: request line and {@code Host}. */
  @Benchmark
  public void freeRequest(Blackhole bh) {
    parse(freeRequest, bh);
  }

  /** The same with a paid request's {@code Authorization: Payment …} header. */
  @Benchmark
  public void paidRequest(Blackhole bh) {
    parse(paidRequest, bh);
  }
}
