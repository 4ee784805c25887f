package io.mpp4j.tempo;

import io.mpp4j.core.Challenge;
import io.mpp4j.core.Credential;
import io.mpp4j.core.MalformedMessageException;
import io.mpp4j.core.PaymentRequirement;
import io.mpp4j.core.RequestView;
import io.mpp4j.core.binding.ChallengeSecret;
import io.mpp4j.server.GateResult;
import io.mpp4j.server.PaymentGate;
import io.mpp4j.store.InMemoryReplayStore;
import io.mpp4j.store.ReplayStore;
import io.mpp4j.tempo.internal.AttributionMemo;
import io.mpp4j.tempo.internal.FeePayerField;
import io.mpp4j.tempo.internal.Hex;
import io.mpp4j.tempo.internal.Keccak;
import io.mpp4j.tempo.internal.SigningKey;
import io.mpp4j.tempo.internal.TempoCall;
import io.mpp4j.tempo.internal.TempoCodec;
import io.mpp4j.tempo.internal.TempoTransaction;
import io.mpp4j.tempo.internal.Tip20Call;
import io.mpp4j.tempo.internal.Tip20Transfer;
import io.mpp4j.tempo.rpc.TempoRpc;
import io.mpp4j.tempo.rpc.TempoRpcException;
import io.mpp4j.tempo.rpc.TransactionReceipt;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/** Builds challenges, signed payments and credentials for the tempo method's tests. */
final class TempoKit {
  static final String REALM = "api.example.com";
  static final String SECRET = "tempo-kit-secret-0123456789abcdef0123";
  static final long CHAIN = 42431;
  static final Address TOKEN = Fixtures.ALPHA_USD;
  static final Address RECIPIENT = Fixtures.RECIPIENT;
  static final Address FEE_MANAGER = Fixtures.addr(Tip20Transfer.FEE_MANAGER);

  private static final SecureRandom RANDOM = new SecureRandom();

  private TempoKit() {}

  static SigningKey freshKey() {
    byte[] k = new byte[32];
    while (true) {
      RANDOM.nextBytes(k);
      try {
        return SigningKey.of(k);
      } catch (IllegalArgumentException e) {
        // out of range; draw again
      }
    }
  }

  static TempoConfig.Builder config(TempoRpc rpc) {
    return TempoConfig.builder().chainId(CHAIN).rpc(rpc).currency(TOKEN).recipient(RECIPIENT);
  }

  static PaymentGate gate(TempoMethod method, ReplayStore store) {
    return PaymentGate.builder()
        .realm(REALM)
        .secret(ChallengeSecret.of(SECRET))
        .method(method)
        .replayStore(store)
        .build();
  }

  static PaymentGate gate(TempoMethod method) {
    return gate(method, InMemoryReplayStore.ofDefaults());
  }

  static PaymentRequirement route(String amount) {
    return PaymentRequirement.builder().amount(amount).build();
  }

  static RequestView unpaid() {
    return RequestView.builder().path("/premium").build();
  }

  static RequestView paid(Credential credential) {
    return RequestView.builder()
        .path("/premium")
        .header("Authorization", credential.toHeaderValue())
        .build();
  }

  static Challenge challenge(PaymentGate gate, PaymentRequirement route) {
    GateResult r = gate.evaluate(route, unpaid());
    return ((GateResult.PaymentRequired) r).challenges().get(0);
  }

  /** The attribution memo for a challenge. */
  static byte[] memo(Challenge c) {
    return AttributionMemo.of(c.realm(), c.id()).toBytes();
  }

  /** An unsigned payment of {@code amount} base units to the recipient with the challenge memo. */
  static TempoTransaction.Builder payment(Challenge c, long amount) {
    return transfers(
        List.of(Tip20Call.transferWithMemo(RECIPIENT, BigInteger.valueOf(amount), memo(c))));
  }

  static TempoTransaction.Builder transfers(List<Tip20Call> calls) {
    List<TempoCall> list = new ArrayList<>();
    for (Tip20Call t : calls) {
      list.add(TempoCall.of(TOKEN, t.encode()));
    }
    long now = Instant.now().getEpochSecond();
    return TempoTransaction.builder()
        .chainId(CHAIN)
        .maxPriorityFeePerGas(BigInteger.valueOf(1_000_000_000L))
        .maxFeePerGas(BigInteger.valueOf(20_000_000_000L))
        .gas(300_000)
        .calls(list)
        .nonceKey(TempoTransaction.EXPIRING_NONCE_KEY)
        .nonce(0)
        .validBefore(now + 25)
        .validAfter(now - 120);
  }

  /** Signs as a self-paying sender. */
  static TempoTransaction sign(TempoTransaction.Builder b, SigningKey key) {
    return Fixtures.signSender(b, key);
  }

  /** Signs a 0x78 fee-payer handoff (feeToken empty, field 11 = sender). */
  static TempoTransaction handoff(TempoTransaction.Builder b, SigningKey key) {
    return Fixtures.signSender(
        b.feeToken(null).feePayer(new FeePayerField.Sender(key.address())), key);
  }

  static Credential pull(Challenge c, TempoTransaction tx) {
    return Credential.of(
        c, Map.of("type", "transaction", "signature", Hex.encode(tx.encode())), null);
  }

  static Credential push(Challenge c, String hash, @Nullable Address source) {
    return Credential.of(
        c, Map.of("type", "hash", "hash", hash), source == null ? null : did(source));
  }

  static String did(Address a) {
    return "did:pkh:eip155:" + CHAIN + ":" + a.toHex();
  }

  static Address addr(String hex) {
    return Fixtures.addr(hex);
  }

  /**
   * An in-process stand-in for a Tempo node used by unit tests: it "mines" every transaction it is
   * sent, producing the receipt a Tempo node would (Transfer and TransferWithMemo logs per call,
   * the fee Transfer), unless told to fail. WireMock and anvil tests cover the real transports.
   */
  static final class SimulatedNode implements TempoRpc {
    final Map<String, TransactionReceipt> mined = new ConcurrentHashMap<>();
    final List<TempoTransaction> sent = java.util.Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger sends = new AtomicInteger();
    final AtomicInteger lookups = new AtomicInteger();
    volatile @Nullable TempoRpcException failNextSend;
    volatile boolean mineOnFailure;
    volatile boolean revert;
    volatile UnaryOperator<TransactionReceipt> tamper = UnaryOperator.identity();

    @Override
    public TransactionReceipt sendAndWait(byte[] rawTx, String txHash) throws TempoRpcException {
      sends.incrementAndGet();
      TempoTransaction tx;
      try {
        tx = TempoCodec.parse(rawTx);
      } catch (MalformedMessageException e) {
        throw new TempoRpcException(
            TempoRpcException.Kind.REJECTED, false, null, "undecodable", null);
      }
      sent.add(tx);
      TempoRpcException fail = failNextSend;
      failNextSend = null;
      if (fail != null && !mineOnFailure) {
        throw fail;
      }
      TransactionReceipt r = tamper.apply(mine(tx));
      if (fail != null) {
        throw fail;
      }
      return r;
    }

    TransactionReceipt mine(TempoTransaction tx) {
      Address from;
      try {
        from = tx.recoverSender().orElseThrow();
      } catch (MalformedMessageException e) {
        throw new AssertionError(e);
      }
      List<TransactionReceipt.Log> logs = new ArrayList<>();
      long index = 0;
      logs.add(
          transferLog(
              index++, Fixtures.PATH_USD, from, FEE_MANAGER, BigInteger.valueOf(1234), null));
      if (!revert) {
        for (TempoCall call : tx.calls()) {
          Tip20Call t;
          try {
            t = Tip20Call.decode(call.data()).orElseThrow();
          } catch (MalformedMessageException e) {
            throw new AssertionError(e);
          }
          Address token = java.util.Objects.requireNonNull(call.to());
          logs.add(transferLog(index++, token, from, t.recipient(), t.amount(), null));
          if (t.memo() != null) {
            logs.add(transferLog(index++, token, from, t.recipient(), t.amount(), t.memo()));
          }
        }
      }
      String hash = tx.hashHex();
      TransactionReceipt r =
          new TransactionReceipt(
              hash, !revert, from, 7, BigInteger.valueOf(50_000), BigInteger.ONE, logs);
      mined.put(hash, r);
      return r;
    }

    @Override
    public Optional<TransactionReceipt> receipt(String txHash) {
      lookups.incrementAndGet();
      return Optional.ofNullable(mined.get(txHash));
    }

    @Override
    public long chainId() {
      return CHAIN;
    }

    @Override
    public byte[] call(@Nullable Address from, Address to, byte[] data) {
      throw new UnsupportedOperationException("not used by the method");
    }

    @Override
    public long latestBlockTimestamp() {
      return Instant.now().getEpochSecond();
    }

    @Override
    public long pendingNonce(Address account) {
      throw new UnsupportedOperationException("not used by charges");
    }

    @Override
    public long estimateGas(Address from, Address to, byte[] data) {
      throw new UnsupportedOperationException("not used by charges");
    }

    @Override
    public BigInteger gasPrice() {
      throw new UnsupportedOperationException("not used by charges");
    }

    @Override
    public void close() {}
  }

  static TransactionReceipt.Log transferLog(
      long index,
      Address token,
      Address from,
      Address to,
      BigInteger amount,
      byte @Nullable [] memo) {
    List<byte[]> topics = new ArrayList<>();
    topics.add(
        hex(memo == null ? Tip20Transfer.TRANSFER_TOPIC : Tip20Transfer.TRANSFER_WITH_MEMO_TOPIC));
    topics.add(word(from.toBytes()));
    topics.add(word(to.toBytes()));
    if (memo != null) {
      topics.add(memo.clone());
    }
    return new TransactionReceipt.Log(index, token, topics, word(amount.toByteArray()));
  }

  static byte[] word(byte[] b) {
    byte[] out = new byte[32];
    int len = Math.min(b.length, 32);
    System.arraycopy(b, b.length - len, out, 32 - len, len);
    return out;
  }

  static byte[] hex(String s) {
    try {
      return Hex.decode(s, 1 << 20, "test");
    } catch (MalformedMessageException e) {
      throw new AssertionError(e);
    }
  }

  static String keccakHex(byte[] b) {
    return Hex.encode(Keccak.hash(b));
  }
}
