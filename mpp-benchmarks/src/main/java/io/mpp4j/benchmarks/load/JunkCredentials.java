package io.mpp4j.benchmarks.load;

import io.mpp4j.core.Credential;
import java.io.IOException;
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
    CredentialFile.write(
        "JunkCredentials",
        args,
        challenge -> Credential.of(challenge, Map.of("type", "junk"), null).toHeaderValue());
  }
}
