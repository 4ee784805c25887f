package io.mpp4j.benchmarks.load;

import io.mpp4j.test.MockPayer;
import java.io.IOException;

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
    CredentialFile.write("PaidCredentials", args, MockPayer::pay);
  }
}
