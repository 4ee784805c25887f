package io.mpp4j.tempo.internal.session;

import io.mpp4j.tempo.Address;
import io.mpp4j.tempo.internal.Keccak;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The EIP-712 domain of v2 vouchers for one channel reserve on one chain (SPEC 4.4): {@code
 * {name:"TIP20 Channel Reserve", version:"1", chainId, verifyingContract: escrow}}, and the digest
 * a payer signs for a voucher {@code Voucher(bytes32 channelId,uint96 cumulativeAmount)}.
 *
 * <p>Immutable and thread-safe; the separator is computed once, so keep one per (escrow, chain).
 *
 * <pre>{@code
 * VoucherDomain domain = VoucherDomain.of(escrow, 42431);
 * byte[] digest = domain.digest(channelId, cumulativeAmount);
 * }</pre>
 */
public final class VoucherDomain {
  /** {@code keccak256("EIP712Domain(string name,string version,uint256 chainId,address ...)")}. */
  private static final byte[] DOMAIN_TYPEHASH =
      keccak("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");

  /** {@code keccak256("Voucher(bytes32 channelId,uint96 cumulativeAmount)")}. */
  private static final byte[] VOUCHER_TYPEHASH =
      keccak("Voucher(bytes32 channelId,uint96 cumulativeAmount)");

  /** The v2 domain name. */
  public static final String NAME = "TIP20 Channel Reserve";

  /** The domain version. */
  public static final String VERSION = "1";

  private final Address escrow;
  private final long chainId;
  private final byte[] separator;

  private VoucherDomain(Address escrow, long chainId, byte[] separator) {
    this.escrow = escrow;
    this.chainId = chainId;
    this.separator = separator;
  }

  /**
   * The domain of the channel reserve at {@code escrow} on chain {@code chainId}.
   *
   * @param chainId positive
   */
  public static VoucherDomain of(Address escrow, long chainId) {
    Objects.requireNonNull(escrow, "escrow == null");
    if (chainId <= 0) {
      throw new IllegalArgumentException("chainId must be positive, but was " + chainId);
    }
    byte[] enc = new byte[5 * 32];
    System.arraycopy(DOMAIN_TYPEHASH, 0, enc, 0, 32);
    System.arraycopy(keccak(NAME), 0, enc, 32, 32);
    System.arraycopy(keccak(VERSION), 0, enc, 64, 32);
    Uint96.writeWord(BigInteger.valueOf(chainId), enc, 96);
    ChannelDescriptor.putAddress(enc, 4, escrow);
    return new VoucherDomain(escrow, chainId, Keccak.hash(enc));
  }

  /** A copy of the EIP-712 domain typehash. */
  static byte[] domainTypehash() {
    return DOMAIN_TYPEHASH.clone();
  }

  /** A copy of the voucher typehash. */
  static byte[] voucherTypehash() {
    return VOUCHER_TYPEHASH.clone();
  }

  /** The escrow (the domain's {@code verifyingContract}). */
  public Address escrow() {
    return escrow;
  }

  /** The chain id. */
  public long chainId() {
    return chainId;
  }

  /** A copy of the 32-byte domain separator. */
  public byte[] separator() {
    return separator.clone();
  }

  /**
   * The voucher digest {@code keccak256(0x19 0x01 || separator || keccak256(VOUCHER_TYPEHASH ||
   * channelId || uint96 cumulativeAmount))}.
   *
   * @throws IllegalArgumentException if {@code cumulativeAmount} is not a uint96
   */
  public byte[] digest(Bytes32 channelId, BigInteger cumulativeAmount) {
    Objects.requireNonNull(channelId, "channelId == null");
    Objects.requireNonNull(cumulativeAmount, "cumulativeAmount == null");
    byte[] struct = new byte[3 * 32];
    System.arraycopy(VOUCHER_TYPEHASH, 0, struct, 0, 32);
    channelId.copyTo(struct, 32);
    Uint96.writeWord(cumulativeAmount, struct, 64);
    byte[] enc = new byte[2 + 32 + 32];
    enc[0] = 0x19;
    enc[1] = 0x01;
    System.arraycopy(separator, 0, enc, 2, 32);
    System.arraycopy(Keccak.hash(struct), 0, enc, 34, 32);
    return Keccak.hash(enc);
  }

  /**
   * Whether {@code signature} over this domain's digest of {@code (channelId, cumulativeAmount)}
   * recovers to {@code expectedSigner} (from chain state: {@link
   * ChannelDescriptor#voucherSigner()}, never from the payload).
   */
  public boolean verify(
      Bytes32 channelId,
      BigInteger cumulativeAmount,
      VoucherSignature signature,
      Address expectedSigner) {
    Objects.requireNonNull(signature, "signature == null");
    Objects.requireNonNull(expectedSigner, "expectedSigner == null");
    return signature
        .recoverSigner(digest(channelId, cumulativeAmount))
        .map(expectedSigner::equals)
        .orElse(false);
  }

  @Override
  public String toString() {
    return "VoucherDomain[escrow=" + escrow + ", chainId=" + chainId + "]";
  }

  private static byte[] keccak(String s) {
    return Keccak.hash(s.getBytes(StandardCharsets.UTF_8));
  }
}
