package io.mpp4j.benchmarks;

import io.mpp4j.core.MalformedMessageException;
import io.mpp4j.tempo.Address;
import io.mpp4j.tempo.internal.AttributionMemo;
import io.mpp4j.tempo.internal.Secp256k1Signature;
import io.mpp4j.tempo.internal.SenderSignature;
import io.mpp4j.tempo.internal.SigningKey;
import io.mpp4j.tempo.internal.TempoCall;
import io.mpp4j.tempo.internal.TempoCodec;
import io.mpp4j.tempo.internal.TempoTransaction;
import io.mpp4j.tempo.internal.Tip20Call;
import java.math.BigInteger;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
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

/**
 * The Tempo method's per-credential work on a signed {@code 0x76} transaction with one TIP-20
 * {@code transferWithMemo} call.
 *
 * <ul>
 *   <li>{@link #recoverAddress}: {@link Secp256k1Signature#recoverAddress} alone (secp256k1
 *       public-key recovery and the keccak of the key), on a precomputed signing hash.
 *   <li>{@link #verifyCredential}: {@link TempoTransaction#parse(byte[])}, {@link
 *       TempoTransaction#recoverSender()} (which computes the signing hash), the chain-id check,
 *       {@link Tip20Call#decode}, {@link AttributionMemo#matches} and {@link
 *       TempoTransaction#hash()}.
 *   <li>{@link #verifyCredentialWithoutRecovery}: the same minus {@code recoverSender()}, to show
 *       how much of the total is recovery.
 * </ul>
 *
 * <p>Run with several forks; the machine's other load shows up as run-to-run variance.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(2)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(1)
@State(Scope.Thread)
public class TempoCredentialBenchmark {
  static final long CHAIN_ID = 42431;
  static final String REALM = "api.example.com";
  static final String CHALLENGE_ID = "kM9xPqWvT2nJrHsY4aDfEb";

  /** anvil's first dev key: a public test key, never a real one. */
  private static final String TEST_KEY =
      "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

  private byte[] encoded;
  private Address expectedSender;
  private Secp256k1Signature signature;
  private byte[] signingHash;

  @Setup
  public void setUp() throws MalformedMessageException {
    SigningKey key = SigningKey.of(HexFormat.of().parseHex(TEST_KEY));
    byte[] memo = AttributionMemo.of(REALM, CHALLENGE_ID).toBytes();
    TempoTransaction unsigned =
        TempoTransaction.builder()
            .chainId(CHAIN_ID)
            .maxPriorityFeePerGas(BigInteger.valueOf(1_000_000_000L))
            .maxFeePerGas(BigInteger.valueOf(20_000_000_000L))
            .gas(300_000)
            .calls(
                List.of(
                    TempoCall.of(
                        Address.parse("0x20c0000000000000000000000000000000000001"),
                        Tip20Call.transferWithMemo(
                                Address.parse("0x742d35cc6634c0532925a3b844bc9e7595f8fe00"),
                                BigInteger.valueOf(1_000_000),
                                memo)
                            .encode())))
            .nonceKey(TempoTransaction.EXPIRING_NONCE_KEY)
            .nonce(0)
            .validBefore(1_790_000_025L)
            .validAfter(1_789_999_000L)
            .feeToken(Address.parse("0x20c0000000000000000000000000000000000001"))
            .build();
    signingHash = unsigned.senderSigningHash();
    signature = key.sign(signingHash);
    TempoTransaction signed = unsigned.withSenderSignature(SenderSignature.of(signature));
    encoded = signed.encode();
    expectedSender = key.address();

    // Fail fast if the fixture drifts: every path must accept the transaction.
    String expectedHash = HexFormat.of().formatHex(signed.hash());
    if (!recoverAddress().equals(expectedSender)
        || !recoverAddressBouncyCastle().equals(expectedSender)
        || !verifyCredential().equals(expectedHash)
        || !verifyCredentialWithoutRecovery().equals(expectedHash)) {
      throw new IllegalStateException("the benchmark transaction is not accepted");
    }
  }

  /**
   * The same recovery with Bouncy Castle's generic curve arithmetic ({@code
   * ECAlgorithms.sumOfTwoMultiplies}, as the method used before its own implementation) and Bouncy
   * Castle's Keccak: the reference the dedicated implementation must beat by at least 2x (issue
   * 12).
   */
  @Benchmark
  public Address recoverAddressBouncyCastle() {
    return BouncyCastleRecovery.recover(signingHash, signature);
  }

  /** secp256k1 recovery of the sender address from a signature and its 32-byte hash. */
  @Benchmark
  public Address recoverAddress() {
    Optional<Address> a = signature.recoverAddress(signingHash);
    return a.orElseThrow(() -> new IllegalStateException("no key recovered"));
  }

  /** Everything the method does with one credential's transaction before touching the chain. */
  @Benchmark
  public String verifyCredential() throws MalformedMessageException {
    TempoTransaction tx = TempoCodec.parse(encoded);
    Address sender = tx.recoverSender().orElseThrow(() -> new IllegalStateException("no sender"));
    if (!sender.equals(expectedSender)) {
      throw new IllegalStateException("wrong sender");
    }
    return checkCallAndHash(tx);
  }

  /** {@link #verifyCredential} without the sender recovery. */
  @Benchmark
  public String verifyCredentialWithoutRecovery() throws MalformedMessageException {
    return checkCallAndHash(TempoCodec.parse(encoded));
  }

  private static String checkCallAndHash(TempoTransaction tx) throws MalformedMessageException {
    if (tx.chainId() != CHAIN_ID) {
      throw new IllegalStateException("wrong chain");
    }
    Tip20Call call =
        Tip20Call.decode(tx.calls().get(0).data())
            .orElseThrow(() -> new IllegalStateException("not a TIP-20 transfer"));
    byte[] memo = call.memo();
    if (memo == null || !AttributionMemo.matches(memo, REALM, CHALLENGE_ID)) {
      throw new IllegalStateException("memo does not bind the challenge");
    }
    return HexFormat.of().formatHex(tx.hash());
  }
}
