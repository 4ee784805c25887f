package io.mpp4j.benchmarks.load;

import io.mpp4j.core.Challenge;
import io.mpp4j.core.Credential;
import io.mpp4j.core.binding.ChallengeSecret;
import io.mpp4j.server.PaymentGate;
import io.mpp4j.server.PaymentRequirement;
import io.mpp4j.server.RequestView;
import io.mpp4j.test.MockPaymentMethod;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes distinct junk {@code Authorization} values for the example webapp's {@code GET
 * /api/premium}, one per line, for the flood scenario ({@code load/flood.sh}): each echoes its own
 * fresh, correctly bound challenge (so it passes every check of the gate) with the payload {@code
 * {"type":"junk"}}, which the payment method refuses. This is the attack of issue 11: before the
 * fix every such refusal kept its challenge claimed in the replay store.
 *
 * <pre>java -cp benchmarks.jar io.mpp4j.benchmarks.load.JunkCredentials REALM COUNT FILE</pre>
 *
 * <p>The secret comes from {@code MPP_SECRET_KEY}, as for the server. The challenges expire after
 * five minutes.
 */
public final class JunkCredentials {
  private JunkCredentials() {}

  /** Entry point. */
  public static void main(String[] args) throws IOException {
    if (args.length != 3) {
      System.err.println("usage: JunkCredentials REALM COUNT FILE (secret in MPP_SECRET_KEY)");
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
        out.write(Credential.of(challenge, Map.of("type", "junk"), null).toHeaderValue());
        out.write('\n');
      }
    }
  }
}
