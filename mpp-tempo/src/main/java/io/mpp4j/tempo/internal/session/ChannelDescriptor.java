package io.mpp4j.tempo.internal.session;

import io.mpp4j.tempo.Address;
import io.mpp4j.tempo.internal.Keccak;
import io.mpp4j.tempo.internal.TempoTransaction;
import java.math.BigInteger;
import java.util.Objects;

/**
 * The descriptor of a v2 payment channel (TIP-1034 channel reserve, SPEC 4.3): the seven fields
 * that, with the escrow address and the chain id, determine its {@link #channelId}.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * Bytes32 id = descriptor.channelId(escrow, 42431);
 * Address signer = descriptor.voucherSigner();
 * }</pre>
 *
 * @param payer the account that opened and funded the channel
 * @param payee the account the channel pays (the offer's {@code recipient})
 * @param operator the account allowed to settle and close besides the payee; zero for none
 * @param token the TIP-20 token (the offer's {@code currency})
 * @param salt chosen by the payer
 * @param authorizedSigner the voucher signer; zero means the payer signs
 * @param expiringNonceHash {@link #expiringNonceHash(TempoTransaction, Address)} of the open tx
 */
public record ChannelDescriptor(
    Address payer,
    Address payee,
    Address operator,
    Address token,
    Bytes32 salt,
    Address authorizedSigner,
    Bytes32 expiringNonceHash) {

  /** The zero address. */
  public static final Address ZERO = Address.of(new byte[Address.LENGTH]);

  /** Checks that no field is null. */
  public ChannelDescriptor {
    Objects.requireNonNull(payer, "payer == null");
    Objects.requireNonNull(payee, "payee == null");
    Objects.requireNonNull(operator, "operator == null");
    Objects.requireNonNull(token, "token == null");
    Objects.requireNonNull(salt, "salt == null");
    Objects.requireNonNull(authorizedSigner, "authorizedSigner == null");
    Objects.requireNonNull(expiringNonceHash, "expiringNonceHash == null");
  }

  /**
   * The channel id: {@code keccak256(abi.encode(payer, payee, operator, token, salt,
   * authorizedSigner, expiringNonceHash, escrow, uint256 chainId))}, nine static 32-byte words.
   *
   * @param escrow the channel reserve's address (the offer's {@code escrowContract})
   * @param chainId the chain id, positive
   */
  public Bytes32 channelId(Address escrow, long chainId) {
    Objects.requireNonNull(escrow, "escrow == null");
    if (chainId <= 0) {
      throw new IllegalArgumentException("chainId must be positive, but was " + chainId);
    }
    byte[] enc = new byte[9 * 32];
    putAddress(enc, 0, payer);
    putAddress(enc, 1, payee);
    putAddress(enc, 2, operator);
    putAddress(enc, 3, token);
    salt.copyTo(enc, 4 * 32);
    putAddress(enc, 5, authorizedSigner);
    expiringNonceHash.copyTo(enc, 6 * 32);
    putAddress(enc, 7, escrow);
    putLong(enc, 8, chainId);
    return Bytes32.of(Keccak.hash(enc));
  }

  /**
   * The address whose signature a voucher must carry: {@link #authorizedSigner}, or the {@link
   * #payer} when that is zero (SPEC 4.4). Taken from the descriptor the chain holds, never from a
   * signer a payload claims.
   */
  public Address voucherSigner() {
    return authorizedSigner.equals(ZERO) ? payer : authorizedSigner;
  }

  /**
   * The {@code expiringNonceHash} of a channel-opening transaction: {@code keccak256(
   * senderSigningPreimage(openTx) || sender)}, where the preimage is the un-hashed {@code 0x76 ||
   * rlp(...)} sender-signing encoding (without the fee-payer signature) and {@code sender} the 20
   * bytes of the recovered payer (SPEC 4.3).
   */
  public static Bytes32 expiringNonceHash(TempoTransaction openTx, Address sender) {
    Objects.requireNonNull(openTx, "openTx == null");
    Objects.requireNonNull(sender, "sender == null");
    byte[] pre = openTx.senderSigningPreimage();
    byte[] all = new byte[pre.length + Address.LENGTH];
    System.arraycopy(pre, 0, all, 0, pre.length);
    System.arraycopy(sender.toBytes(), 0, all, pre.length, Address.LENGTH);
    return Bytes32.of(Keccak.hash(all));
  }

  static void putAddress(byte[] out, int word, Address a) {
    System.arraycopy(a.toBytes(), 0, out, word * 32 + 12, Address.LENGTH);
  }

  static void putLong(byte[] out, int word, long v) {
    Uint96.writeWord(BigInteger.valueOf(v), out, word * 32);
  }
}
