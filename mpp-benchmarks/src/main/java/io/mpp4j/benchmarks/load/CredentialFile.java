package io.mpp4j.benchmarks.load;

import io.mpp4j.core.Challenge;
import io.mpp4j.core.PaymentRequirement;
import io.mpp4j.core.RequestView;
import io.mpp4j.core.binding.ChallengeSecret;
import io.mpp4j.server.PaymentGate;
import io.mpp4j.test.MockPaymentMethod;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * What {@link PaidCredentials} and {@link JunkCredentials} share: the command line {@code REALM
 * COUNT FILE} with the secret in {@code MPP_SECRET_KEY}, and a file of {@code COUNT} {@code
 * Authorization} values for the example webapp's {@code GET /api/premium} (mock method, price
 * 0.50), one per line, each answering its own fresh challenge.
 */
final class CredentialFile {
  private CredentialFile() {}

  /**
   * Writes the file; {@code credential} turns each fresh challenge into its {@code Authorization}
   * value. Exits with status 2 on a wrong command line or a missing secret.
   */
  static void write(String name, String[] args, Function<Challenge, String> credential)
      throws IOException {
    if (args.length != 3) {
      System.err.println("usage: " + name + " REALM COUNT FILE (secret in MPP_SECRET_KEY)");
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
            .method(MockPaymentMethod.create("usd", 6, "mock-merchant"))
            .build();
    PaymentRequirement premium =
        PaymentRequirement.builder().amount("0.50").description("Premium content").build();
    RequestView view = RequestView.builder().method("GET").path("/api/premium").build();
    int count = Integer.parseInt(args[1]);
    try (BufferedWriter out =
        Files.newBufferedWriter(Path.of(args[2]), StandardCharsets.US_ASCII)) {
      for (int i = 0; i < count; i++) {
        Challenge challenge = gate.issueChallenges(premium, view).get(0);
        out.write(credential.apply(challenge));
        out.write('\n');
      }
    }
  }
}
