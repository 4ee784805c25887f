package io.mpp4j.benchmarks.load;

import io.mpp4j.core.Challenge;
import io.mpp4j.core.binding.ChallengeSecret;
import io.mpp4j.server.PaymentGate;
import io.mpp4j.server.PaymentRequirement;
import io.mpp4j.server.RequestView;
import io.mpp4j.test.MockPayer;
import io.mpp4j.test.MockPaymentMethod;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes distinct, valid {@code Authorization} values for the example webapp's {@code GET
 * /api/premium} (mock method, price 0.50, the given realm and secret), one per line, for the paid
 * scenario of the load benchmark: credentials are single-use, so every request needs its own.
 *
 * <pre>java -cp benchmarks.jar io.mpp4j.benchmarks.load.PaidCredentials REALM COUNT FILE</pre>
 *
 * <p>The secret comes from {@code MPP_SECRET_KEY}, as for the server. The challenges expire after
 * five minutes.
 */
public final class PaidCredentials {
  private PaidCredentials() {}

  /** Entry point. */
  public static void main(String[] args) throws IOException {
    if (args.length != 3) {
      System.err.println("usage: PaidCredentials REALM COUNT FILE (secret in MPP_SECRET_KEY)");
      System.exit(2);
    }
    String secret = System.getenv("MPP_SECRET_KEY");
    if (secret == null) {
      System.err.println("MPP_SECRET_KEY is not set");
      System.exit(2);
    }
    PaymentGate gate =
        PaymentGate.builder()
            .realm(args[0])
            .secret(ChallengeSecret.of(secret))
            .method(MockPaymentMethod.create())
            .build();
    PaymentRequirement premium =
        PaymentRequirement.builder().amount("0.50").description("Premium content").build();
    RequestView view = RequestView.builder().method("GET").path("/api/premium").build();
    int count = Integer.parseInt(args[1]);
    try (BufferedWriter out =
        Files.newBufferedWriter(Path.of(args[2]), StandardCharsets.US_ASCII)) {
      for (int i = 0; i < count; i++) {
        Challenge challenge = gate.issueChallenges(premium, view).get(0);
        out.write(MockPayer.pay(challenge));
        out.write('\n');
      }
    }
  }
}
