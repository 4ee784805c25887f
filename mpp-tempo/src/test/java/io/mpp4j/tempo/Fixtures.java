package io.mpp4j.tempo;

import io.mpp4j.core.MalformedMessageException;
import io.mpp4j.tempo.internal.AttributionMemo;
import io.mpp4j.tempo.internal.Rlp;
import io.mpp4j.tempo.internal.Secp256k1Signature;
import io.mpp4j.tempo.internal.SenderSignature;
import io.mpp4j.tempo.internal.SigningKey;
import io.mpp4j.tempo.internal.TempoCall;
import io.mpp4j.tempo.internal.TempoTransaction;
import io.mpp4j.tempo.internal.Tip20Call;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.util.encoders.Hex;

/** Keys, addresses and transaction builders shared by the tests. */
final class Fixtures {
  private Fixtures() {}

  /** anvil dev account #0. */
  static final SigningKey SENDER_KEY =
      SigningKey.of(Hex.decode("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"));

  static final String SENDER_ADDRESS = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";

  /** anvil dev account #1, used as fee payer. */
  static final SigningKey FEE_PAYER_KEY =
      SigningKey.of(Hex.decode("59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"));

  /** The same fee payer's key as a server configures it. */
  static final Secp256k1PrivateKey FEE_PAYER =
      Secp256k1PrivateKey.of(
          Hex.decode("59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"));

  static final String FEE_PAYER_ADDRESS = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";

  static final Address PATH_USD = addr("0x20c0000000000000000000000000000000000000");
  static final Address ALPHA_USD = addr("0x20c0000000000000000000000000000000000001");
  static final Address RECIPIENT = addr("0x742d35cc6634c0532925a3b844bc9e7595f8fe00");

  static Address addr(String hex) {
    try {
      return Address.parse(hex);
    } catch (MalformedMessageException e) {
      throw new AssertionError(e);
    }
  }

  /** An unsigned payment of 1.000000 alphaUSD with an attribution memo. */
  static TempoTransaction.Builder payment() {
    byte[] memo = AttributionMemo.of("api.example.com", "challenge-123").toBytes();
    return TempoTransaction.builder()
        .chainId(42431)
        .maxPriorityFeePerGas(BigInteger.valueOf(1_000_000_000L))
        .maxFeePerGas(BigInteger.valueOf(20_000_000_000L))
        .gas(300_000)
        .calls(
            List.of(
                TempoCall.of(
                    ALPHA_USD,
                    Tip20Call.transferWithMemo(RECIPIENT, BigInteger.valueOf(1_000_000), memo)
                        .encode())))
        .nonceKey(TempoTransaction.EXPIRING_NONCE_KEY)
        .nonce(0)
        .validBefore(1_790_000_025L)
        .validAfter(1_789_999_000L);
  }

  /** Signs the sender hash of {@code tx} with {@code key}. */
  static TempoTransaction signSender(TempoTransaction.Builder b, SigningKey key) {
    TempoTransaction unsigned = b.build();
    Secp256k1Signature sig = key.sign(unsigned.senderSigningHash());
    return unsigned.withSenderSignature(SenderSignature.of(sig));
  }

  /** The encoded top-level items of {@code tx} (after its type byte). */
  static List<byte[]> fields(byte[] tx) throws MalformedMessageException {
    Rlp.Item top = Rlp.decode(tx, 1, tx.length, "test");
    List<byte[]> out = new ArrayList<>();
    for (Rlp.Item item : ((Rlp.Lst) top).items()) {
      out.add(java.util.Arrays.copyOfRange(tx, item.offset(), item.end()));
    }
    return out;
  }

  /** Re-assembles a transaction from its type byte and encoded items. */
  static byte[] assemble(int type, List<byte[]> fields) {
    byte[] body = Rlp.encodeList(fields);
    byte[] out = new byte[body.length + 1];
    out[0] = (byte) type;
    System.arraycopy(body, 0, out, 1, body.length);
    return out;
  }

  /** Replaces one top-level item of an encoded transaction. */
  static byte[] replaceField(byte[] tx, int index, byte[] encodedItem)
      throws MalformedMessageException {
    List<byte[]> f = fields(tx);
    f.set(index, encodedItem);
    return assemble(tx[0] & 0xff, f);
  }

  static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int off = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, off, p.length);
      off += p.length;
    }
    return out;
  }
}
