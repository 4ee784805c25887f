package io.mpp4j.benchmarks;

import io.mpp4j.core.MalformedMessageException;
import io.mpp4j.server.session.ChannelState;
import io.mpp4j.server.session.LedgerResult;
import io.mpp4j.server.session.SessionLedger;
import io.mpp4j.store.InMemoryStateStore;
import io.mpp4j.tempo.Address;
import io.mpp4j.tempo.internal.SigningKey;
import io.mpp4j.tempo.internal.session.Bytes32;
import io.mpp4j.tempo.internal.session.ChannelDescriptor;
import io.mpp4j.tempo.internal.session.Uint96;
import io.mpp4j.tempo.internal.session.VoucherDomain;
import io.mpp4j.tempo.internal.session.VoucherSignature;
import java.math.BigInteger;
import java.util.HexFormat;
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
 * A Tempo session voucher's verification on one core (issue 13, "Performance"), with the v2
 * cryptography of mpp-tempo and the {@link SessionLedger} of mpp-core over an {@link
 * InMemoryStateStore}:
 *
 * <ul>
 *   <li>{@link #newVoucher}: a voucher the server has not seen: the payload's fields parsed and
 *       range-checked before any ECDSA ({@link Bytes32#parse}, {@link Uint96#parseDecimal}, {@link
 *       VoucherSignature#parse}: 65 bytes, v = 27/28, low-s), the EIP-712 v2 digest ({@link
 *       VoucherDomain#digest}), the signer's recovery and its comparison with the channel's signer
 *       as stored, then {@link SessionLedger#acceptVoucher} (the SPEC 11.3 checks and the
 *       compare-and-set write) and the request's {@link SessionLedger#charge}.
 *   <li>{@link #reRepresentedVoucher}: the common case between top-ups, a credential carrying the
 *       highest voucher already accepted: compared with the stored one byte for byte, no recovery,
 *       then the charge.
 *   <li>{@link #recoverOnly}: the secp256k1 recovery of a voucher digest alone, for scale.
 * </ul>
 *
 * <p>Each new voucher is one base unit above the last; the vouchers are signed in the setup (4,096
 * of them), and the channel's record starts over in a fresh store when they run out (one store
 * write per 4,096 operations).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(2)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(1)
@State(Scope.Thread)
public class VoucherVerificationBenchmark {
  static final long CHAIN_ID = 42431;
  static final int VOUCHERS = 4096;
  static final BigInteger DEPOSIT = BigInteger.valueOf(1_000_000_000L);

  /** anvil's first dev key: a public test key, never a real one. */
  private static final String TEST_KEY =
      "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

  private VoucherDomain domain;
  private Address signer;
  private ChannelState opened;
  private String channelIdHex;
  private String[] amounts;
  private String[] signatures;
  private SessionLedger ledger;
  private int next;

  @Setup
  public void setUp() {
    SigningKey key = SigningKey.of(HexFormat.of().parseHex(TEST_KEY));
    signer = key.address();
    Address escrow =
        Address.of(HexFormat.of().parseHex("4d50500000000000000000000000000000000000"));
    domain = VoucherDomain.of(escrow, CHAIN_ID);
    Address payee = Address.of(HexFormat.of().parseHex("742d35cc6634c0532925a3b844bc9e7595f8fe00"));
    Address token = Address.of(HexFormat.of().parseHex("20c0000000000000000000000000000000000000"));
    byte[] salt = new byte[32];
    salt[31] = 7;
    byte[] nonceHash = new byte[32];
    nonceHash[0] = 1;
    ChannelDescriptor d =
        new ChannelDescriptor(
            signer,
            payee,
            ChannelDescriptor.ZERO,
            token,
            Bytes32.of(salt),
            ChannelDescriptor.ZERO,
            Bytes32.of(nonceHash));
    Bytes32 channelId = d.channelId(escrow, CHAIN_ID);
    channelIdHex = channelId.toHex();
    amounts = new String[VOUCHERS + 1];
    signatures = new String[VOUCHERS + 1];
    for (int i = 0; i <= VOUCHERS; i++) {
      BigInteger amount = BigInteger.valueOf(1000L + i);
      amounts[i] = amount.toString();
      signatures[i] = VoucherSignature.of(key.sign(domain.digest(channelId, amount))).toHex();
    }
    opened =
        new ChannelState(
            channelIdHex,
            escrow.toHex(),
            CHAIN_ID,
            signer.toHex(),
            payee.toHex(),
            ChannelDescriptor.ZERO.toHex(),
            token.toHex(),
            Bytes32.of(salt).toHex(),
            ChannelDescriptor.ZERO.toHex(),
            Bytes32.of(nonceHash).toHex(),
            DEPOSIT,
            BigInteger.ZERO,
            BigInteger.ZERO,
            BigInteger.ZERO,
            null,
            null);
    restart();
    if (!(newVoucher() instanceof LedgerResult.Updated)) {
      throw new IllegalStateException("the benchmark's voucher was not accepted");
    }
    if (!(reRepresentedVoucher() instanceof LedgerResult.Updated)) {
      throw new IllegalStateException("the re-presented voucher was not charged");
    }
  }

  /** A fresh store with the channel open and its first voucher (amounts[0]) accepted. */
  private void restart() {
    ledger = new SessionLedger(InMemoryStateStore.ofDefaults());
    byte[] first = HexFormat.of().parseHex(signatures[0], 2, signatures[0].length());
    ledger.open(opened.withVoucher(new BigInteger(amounts[0]), first));
    next = 1;
  }

  @Benchmark
  public Object newVoucher() {
    if (next > VOUCHERS) {
      restart();
    }
    int i = next++;
    try {
      Bytes32 channelId = Bytes32.parse(channelIdHex, "channelId");
      BigInteger cumulative = Uint96.parseDecimal(amounts[i], "cumulativeAmount");
      VoucherSignature signature = VoucherSignature.parse(signatures[i]);
      ChannelState channel = ledger.read(channelIdHex);
      if (channel == null
          || !signature
              .recoverSigner(domain.digest(channelId, cumulative))
              .map(signer::equals)
              .orElse(false)) {
        throw new IllegalStateException("voucher refused");
      }
      LedgerResult accepted = ledger.acceptVoucher(channelIdHex, cumulative, signature.toBytes());
      if (!(accepted instanceof LedgerResult.Updated)) {
        throw new IllegalStateException("voucher not accepted: " + accepted);
      }
      return ledger.charge(channelIdHex, BigInteger.ONE);
    } catch (MalformedMessageException e) {
      throw new IllegalStateException(e);
    }
  }

  @Benchmark
  public Object reRepresentedVoucher() {
    try {
      int i = next - 1;
      BigInteger cumulative = Uint96.parseDecimal(amounts[i], "cumulativeAmount");
      VoucherSignature signature = VoucherSignature.parse(signatures[i]);
      ChannelState channel = ledger.read(channelIdHex);
      byte[] stored = channel == null ? null : channel.voucherSignatureBytes();
      if (stored == null
          || !cumulative.equals(channel.acceptedCumulative())
          || !java.security.MessageDigest.isEqual(stored, signature.toBytes())) {
        throw new IllegalStateException("not the highest voucher");
      }
      LedgerResult charged = ledger.charge(channelIdHex, BigInteger.ONE);
      if (charged instanceof LedgerResult.InsufficientBalance) {
        // The voucher's coverage is used up: the next new voucher adds one unit; start over.
        restart();
      }
      return charged;
    } catch (MalformedMessageException e) {
      throw new IllegalStateException(e);
    }
  }

  @Benchmark
  public Object recoverOnly() throws MalformedMessageException {
    int i = next - 1;
    return VoucherSignature.parse(signatures[i])
        .recoverSigner(
            domain.digest(Bytes32.parse(channelIdHex, "channelId"), new BigInteger(amounts[i])));
  }
}
