package io.mpp4j.test;

import io.mpp4j.core.Challenge;
import io.mpp4j.core.Credential;
import io.mpp4j.core.Intent;
import io.mpp4j.core.MalformedMessageException;
import io.mpp4j.core.PaymentRequest;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The payer's side of {@link MockPaymentMethod}'s {@code session} intent, for unit tests of paid
 * session endpoints without a chain: given a 402 challenge, it opens a channel and builds the
 * {@code open}, {@code voucher}, {@code topUp} and {@code close} credentials (SPEC 4.5) the mock
 * accepts, and forged ones it refuses.
 *
 * <p>Thread-safe: a client and its {@link Channel}s are immutable.
 *
 * <pre>{@code
 * MockSessionClient payer = MockSessionClient.create();   // signs with the mock's default secret
 * Challenge challenge = MockSessionClient.challenge(first.headers().allValues("WWW-Authenticate"));
 * MockSessionClient.Channel channel = payer.open(challenge);     // deposit: suggestedDeposit
 * get("/api/metered", "Authorization", channel.openCredential()); // 200, pays the first request
 * get("/api/metered", "Authorization", channel.voucher(price.multiply(TWO)));   // 200, the second
 * post("/api/metered", "Authorization", channel.close(price.multiply(TWO)));    // 204, closed
 * }</pre>
 */
public final class MockSessionClient {
  private static final String ZERO_ADDRESS = "0x" + "0".repeat(40);

  private final byte[] secret;
  private final SecureRandom random = new SecureRandom();

  private MockSessionClient(byte[] secret) {
    this.secret = secret;
  }

  /** A client signing with {@link MockPaymentMethod#DEFAULT_SESSION_SECRET}. */
  public static MockSessionClient create() {
    return withSecret(MockPaymentMethod.DEFAULT_SESSION_SECRET);
  }

  /**
   * A client signing with the secret a mock was given ({@link MockPaymentMethod#sessionSecret}).
   */
  public static MockSessionClient withSecret(String secret) {
    Objects.requireNonNull(secret, "secret == null");
    return new MockSessionClient(secret.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The mock {@code session} challenge among {@code WWW-Authenticate} header values.
   *
   * @throws IllegalArgumentException when none is offered or the headers are malformed
   */
  public static Challenge challenge(List<String> wwwAuthenticateValues) {
    Objects.requireNonNull(wwwAuthenticateValues, "wwwAuthenticateValues == null");
    List<Challenge> challenges;
    try {
      challenges = Challenge.parseAll(wwwAuthenticateValues);
    } catch (MalformedMessageException e) {
      throw new IllegalArgumentException("no valid Payment challenge: " + e.getMessage(), e);
    }
    for (Challenge c : challenges) {
      if (MockPaymentMethod.NAME.equals(c.method()) && Intent.SESSION.equals(c.intent())) {
        return c;
      }
    }
    throw new IllegalArgumentException(
        "no 'mock' session challenge among " + challenges.size() + " offered");
  }

  /**
   * Opens a channel for {@code challenge} with its {@code suggestedDeposit}, or ten times its
   * amount when it suggests none, from a random payer.
   */
  public Channel open(Challenge challenge) {
    Objects.requireNonNull(challenge, "challenge == null");
    String suggested = challenge.request().getString("suggestedDeposit");
    BigInteger deposit =
        suggested != null
            ? new BigInteger(suggested)
            : new BigInteger(amountOf(challenge)).multiply(BigInteger.TEN);
    return open(challenge, deposit);
  }

  /**
   * Opens a channel for {@code challenge} with {@code deposit} (base units) from a random payer.
   */
  public Channel open(Challenge challenge, BigInteger deposit) {
    Objects.requireNonNull(challenge, "challenge == null");
    Objects.requireNonNull(deposit, "deposit == null");
    if (deposit.signum() <= 0 || deposit.compareTo(MockSessionCodec.MAX_AMOUNT) > 0) {
      throw new IllegalArgumentException("deposit must be a positive uint96");
    }
    PaymentRequest request = challenge.request();
    Map<String, Object> details = request.methodDetails();
    String payee = hexField(request.recipient(), "recipient");
    String token = hexField(request.currency(), "currency");
    Object op = details.get("operator");
    String operator = op == null ? ZERO_ADDRESS : hexField(op.toString(), "operator");
    Object escrowValue = details.get("escrowContract");
    String escrow =
        escrowValue == null
            ? MockPaymentMethod.ESCROW
            : hexField(escrowValue.toString(), "escrowContract");
    Object chainValue = details.get("chainId");
    long chainId =
        chainValue == null ? MockPaymentMethod.CHAIN_ID : Long.parseLong(chainValue.toString());
    String payer = MockSessionCodec.hex(randomBytes(random, MockSessionCodec.ADDRESS));
    String salt = MockSessionCodec.hex(randomBytes(random, MockSessionCodec.WORD));
    byte[] body =
        MockSessionCodec.openBody(payer, payee, operator, token, salt, ZERO_ADDRESS, deposit);
    String nonceHash = MockSessionCodec.expiringNonceHash(body, payer);
    String channelId =
        MockSessionCodec.channelId(
            payer, payee, operator, token, salt, ZERO_ADDRESS, nonceHash, escrow, chainId);
    byte[] key = MockSessionCodec.channelKey(secret, channelId);
    byte[] tx = new byte[MockSessionCodec.OPEN_LENGTH];
    System.arraycopy(body, 0, tx, 0, MockSessionCodec.OPEN_BODY);
    System.arraycopy(
        MockSessionCodec.txMac(key, body, MockSessionCodec.OPEN_BODY),
        0,
        tx,
        MockSessionCodec.OPEN_BODY,
        MockSessionCodec.MAC);
    Map<String, Object> descriptor = new LinkedHashMap<>();
    descriptor.put("payer", payer);
    descriptor.put("payee", payee);
    descriptor.put("operator", operator);
    descriptor.put("token", token);
    descriptor.put("salt", salt);
    descriptor.put("authorizedSigner", ZERO_ADDRESS);
    descriptor.put("expiringNonceHash", nonceHash);
    return new Channel(
        random,
        challenge,
        channelId,
        payer,
        chainId,
        deposit,
        Map.copyOf(descriptor),
        key,
        MockSessionCodec.hex(tx));
  }

  /**
   * One channel opened by this client: its identity, and the credentials for it. The channel's
   * credentials answer {@link #challenge()}; {@link #on(Challenge)} answers another (a fresh one,
   * or one of another route: metering is per channel).
   */
  public static final class Channel {
    private final SecureRandom random;
    private final Challenge challenge;
    private final String channelId;
    private final String payer;
    private final long chainId;
    private final BigInteger deposit;
    private final Map<String, Object> descriptor;
    private final byte[] key;
    private final String openTransaction;

    private Channel(
        SecureRandom random,
        Challenge challenge,
        String channelId,
        String payer,
        long chainId,
        BigInteger deposit,
        Map<String, Object> descriptor,
        byte[] key,
        String openTransaction) {
      this.random = random;
      this.challenge = challenge;
      this.channelId = channelId;
      this.payer = payer;
      this.chainId = chainId;
      this.deposit = deposit;
      this.descriptor = descriptor;
      this.key = key;
      this.openTransaction = openTransaction;
    }

    /** The channel id, {@code 0x} and 64 lowercase hex digits. */
    public String channelId() {
      return channelId;
    }

    /** The payer's (random) address. */
    public String payer() {
      return payer;
    }

    /** The deposit the open credential escrows, base units. */
    public BigInteger deposit() {
      return deposit;
    }

    /** The challenge this channel's credentials answer. */
    public Challenge challenge() {
      return challenge;
    }

    /** The same channel, its credentials answering {@code other}. */
    public Channel on(Challenge other) {
      Objects.requireNonNull(other, "other == null");
      return new Channel(
          random, other, channelId, payer, chainId, deposit, descriptor, key, openTransaction);
    }

    /** The {@code open} credential, with an initial voucher of the challenge's amount. */
    public String openCredential() {
      return openCredential(new BigInteger(amountOf(challenge)));
    }

    /** The {@code open} credential with an initial voucher of {@code initialCumulative}. */
    public String openCredential(BigInteger initialCumulative) {
      Map<String, Object> p = payload("open");
      p.put("type", "transaction");
      p.put("transaction", openTransaction);
      p.put("cumulativeAmount", initialCumulative.toString());
      p.put("signature", MockSessionCodec.hex(signature(initialCumulative)));
      return credential(p);
    }

    /** A {@code voucher} credential for {@code cumulative} (base units, the running total). */
    public String voucher(BigInteger cumulative) {
      return signed("voucher", cumulative, signature(cumulative));
    }

    /** A {@code close} credential with the final voucher {@code cumulative}. */
    public String close(BigInteger cumulative) {
      return signed("close", cumulative, signature(cumulative));
    }

    /** A {@code topUp} credential adding {@code additional} (base units) to the deposit. */
    public String topUp(BigInteger additional) {
      Objects.requireNonNull(additional, "additional == null");
      byte[] body =
          MockSessionCodec.topUpBody(
              channelId, additional, randomBytes(random, MockSessionCodec.NONCE));
      byte[] tx = new byte[MockSessionCodec.TOP_UP_LENGTH];
      System.arraycopy(body, 0, tx, 0, MockSessionCodec.TOP_UP_BODY);
      System.arraycopy(
          MockSessionCodec.txMac(key, body, MockSessionCodec.TOP_UP_BODY),
          0,
          tx,
          MockSessionCodec.TOP_UP_BODY,
          MockSessionCodec.MAC);
      Map<String, Object> p = payload("topUp");
      p.put("type", "transaction");
      p.put("transaction", MockSessionCodec.hex(tx));
      p.put("additionalDeposit", additional.toString());
      return credential(p);
    }

    /**
     * A {@code voucher} credential for {@code cumulative} signed with a key derived from another
     * secret: what a forger without the channel's key sends. The mock refuses it ({@code
     * session/invalid-signature}).
     */
    public String forgedVoucher(BigInteger cumulative) {
      byte[] otherKey =
          MockSessionCodec.channelKey(
              "not-the-mock-session-secret".getBytes(StandardCharsets.UTF_8), channelId);
      return signed(
          "voucher",
          cumulative,
          MockSessionCodec.voucherSignature(otherKey, channelId, cumulative));
    }

    /** The 65-byte voucher signature over {@code cumulative}. */
    public byte[] signature(BigInteger cumulative) {
      Objects.requireNonNull(cumulative, "cumulative == null");
      return MockSessionCodec.voucherSignature(key, channelId, cumulative);
    }

    private String signed(String action, BigInteger cumulative, byte[] signature) {
      Map<String, Object> p = payload(action);
      p.put("cumulativeAmount", cumulative.toString());
      p.put("signature", MockSessionCodec.hex(signature));
      return credential(p);
    }

    private Map<String, Object> payload(String action) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("action", action);
      p.put("channelId", channelId);
      p.put("descriptor", descriptor);
      return p;
    }

    private String credential(Map<String, Object> payload) {
      return Credential.of(challenge, payload, "did:pkh:eip155:" + chainId + ":" + payer)
          .toHeaderValue();
    }

    @Override
    public String toString() {
      return "MockSessionClient.Channel{channelId=" + channelId + ", deposit=" + deposit + "}";
    }
  }

  private static String amountOf(Challenge challenge) {
    String amount = challenge.request().amount();
    if (amount == null) {
      throw new IllegalArgumentException("the challenge has no amount");
    }
    return amount;
  }

  private static String hexField(@Nullable String value, String name) {
    if (value == null || !value.matches("0x[0-9a-fA-F]{40}")) {
      throw new IllegalArgumentException(
          "the challenge's " + name + " is not a mock address: is it a mock session challenge?");
    }
    return value.toLowerCase(Locale.ROOT);
  }

  private static byte[] randomBytes(SecureRandom random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }
}
