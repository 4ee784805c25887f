package io.mpp4j.benchmarks.load;

import io.mpp4j.core.Challenge;
import io.mpp4j.core.MalformedMessageException;
import io.mpp4j.core.Receipt;
import io.mpp4j.test.MockSessionClient;
import java.io.BufferedWriter;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The session scenarios of the load benchmark (issue 13), against the example webapp's {@code GET
 * /api/metered} (0.001 per request) with the <b>mock</b> session method: no chain is involved, so
 * the figures are the server's session path (credential, voucher check, ledger compare-and-set,
 * metering, receipt) without any JSON-RPC, which a metered request on an open channel does not make
 * with Tempo either. The mock's voucher check is an HMAC, not a secp256k1 recovery: {@code
 * VoucherVerificationBenchmark} measures that separately.
 *
 * <pre>
 * java -cp benchmarks.jar io.mpp4j.benchmarks.load.SessionCredentials one BASE FILE
 * java -cp benchmarks.jar io.mpp4j.benchmarks.load.SessionCredentials fresh BASE CHANNELS COUNT FILE
 * java -cp benchmarks.jar io.mpp4j.benchmarks.load.SessionCredentials spent BASE FILE.last
 * </pre>
 *
 * <ul>
 *   <li>{@code one}: opens one channel whose initial voucher is its whole deposit (1,000,000
 *       requests' worth) and writes one line: a credential re-presenting that voucher, which pays
 *       every request of the run with no new signature. The open itself pays one request.
 *   <li>{@code fresh}: opens {@code CHANNELS} channels (each open pays one request) and writes
 *       {@code COUNT} lines, each a new voucher one request above the last of its channel, the
 *       channels taking turns (line n is channel n mod CHANNELS), so that with many more channels
 *       than connections each channel's vouchers arrive in order and each channel stays far below
 *       the rate limit of new vouchers.
 *   <li>{@code spent}: posts each line of {@code FILE.last} (written by the other two: one
 *       credential per channel, its highest voucher) as a bodiless management {@code POST} and
 *       prints the sum of the receipts' {@code spent}, in base units: compare it with (the number
 *       of 200s + the opens) × 1000.
 * </ul>
 */
public final class SessionCredentials {
  /** The route's price in the mock's base units (0.001 at six decimals). */
  static final BigInteger PRICE = BigInteger.valueOf(1000);

  /** The deposit of each channel: the mock's default maximum, 1000.00. */
  static final BigInteger DEPOSIT = BigInteger.valueOf(1_000_000_000L);

  private static final String PATH = "/api/metered";

  private SessionCredentials() {}

  /** Entry point. */
  public static void main(String[] args) throws Exception {
    if (args.length == 3 && args[0].equals("one")) {
      one(args[1], Path.of(args[2]));
    } else if (args.length == 5 && args[0].equals("fresh")) {
      fresh(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), Path.of(args[4]));
    } else if (args.length == 3 && args[0].equals("spent")) {
      System.out.println(spent(args[1], Path.of(args[2])));
    } else {
      System.err.println(
          "usage: SessionCredentials one BASE FILE | fresh BASE CHANNELS COUNT FILE"
              + " | spent BASE FILE.last");
      System.exit(2);
    }
  }

  static void one(String base, Path file) throws Exception {
    HttpClient http = http();
    MockSessionClient payer = MockSessionClient.create();
    MockSessionClient.Channel channel = payer.open(challenge(http, base), DEPOSIT);
    open(http, base, channel.openCredential(DEPOSIT));
    String line = channel.voucher(DEPOSIT);
    Files.writeString(file, line + "\n", StandardCharsets.US_ASCII);
    Files.writeString(last(file), line + "\n", StandardCharsets.US_ASCII);
  }

  static void fresh(String base, int channels, int count, Path file) throws Exception {
    HttpClient http = http();
    MockSessionClient payer = MockSessionClient.create();
    Challenge challenge = challenge(http, base);
    List<MockSessionClient.Channel> opened = new ArrayList<>(channels);
    for (int j = 0; j < channels; j++) {
      MockSessionClient.Channel channel = payer.open(challenge, DEPOSIT);
      open(http, base, channel.openCredential(PRICE));
      opened.add(channel);
    }
    String[] highest = new String[channels];
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
      for (int n = 0; n < count; n++) {
        int j = n % channels;
        long k = n / channels + 1L; // the open paid request 0 of each channel
        String line = opened.get(j).voucher(PRICE.multiply(BigInteger.valueOf(k + 1)));
        out.write(line);
        out.write('\n');
        highest[j] = line;
      }
    }
    try (BufferedWriter out = Files.newBufferedWriter(last(file), StandardCharsets.US_ASCII)) {
      for (int j = 0; j < channels; j++) {
        out.write(highest[j] != null ? highest[j] : opened.get(j).voucher(PRICE));
        out.write('\n');
      }
    }
  }

  static BigInteger spent(String base, Path lastFile) throws Exception {
    HttpClient http = http();
    BigInteger total = BigInteger.ZERO;
    for (String line : Files.readAllLines(lastFile, StandardCharsets.US_ASCII)) {
      if (line.isEmpty()) {
        continue;
      }
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(base + PATH))
                  .timeout(Duration.ofSeconds(30))
                  .header("Authorization", line)
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 204) {
        throw new IllegalStateException(
            "management POST answered " + r.statusCode() + ": " + r.body());
      }
      total = total.add(new BigInteger(String.valueOf(receipt(r).extra().get("spent"))));
    }
    return total;
  }

  private static HttpClient http() {
    return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  private static Path last(Path file) {
    return Path.of(file + ".last");
  }

  private static Challenge challenge(HttpClient http, String base) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(base + PATH)).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 402) {
      throw new IllegalStateException("expected a 402 from " + PATH + ", got " + r.statusCode());
    }
    return MockSessionClient.challenge(r.headers().allValues("WWW-Authenticate"));
  }

  private static void open(HttpClient http, String base, String authorization)
      throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(base + PATH))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", authorization)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("open answered " + r.statusCode() + ": " + r.body());
    }
  }

  private static Receipt receipt(HttpResponse<?> r) throws MalformedMessageException {
    return Receipt.parse(
        r.headers()
            .firstValue("Payment-Receipt")
            .orElseThrow(() -> new IllegalStateException("no Payment-Receipt")));
  }
}
