package io.mpp4j.tempo.internal;

import io.mpp4j.tempo.Address;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * The EIP-712 typed data a payer signs to prove control of an account for a zero-amount charge
 * (SPEC 3.9). Three versions are in use; mppx 0.11 signs version 3, older clients 2 and 1:
 *
 * <ul>
 *   <li>v3: domain {@code {name:"MPP", version:"3", chainId}}, {@code Proof(address account,string
 *       challengeId,string realm)}
 *   <li>v2: domain version "2", {@code Proof(string challengeId,string realm)}
 *   <li>v1: domain version "1", {@code Proof(string challengeId)}
 * </ul>
 *
 * <p>The domain has no {@code verifyingContract}.
 */
public final class ZeroAmountProof {
  private static final byte[] DOMAIN_TYPEHASH =
      keccak("EIP712Domain(string name,string version,uint256 chainId)");
  private static final byte[] V1_TYPEHASH = keccak("Proof(string challengeId)");
  private static final byte[] V2_TYPEHASH = keccak("Proof(string challengeId,string realm)");
  private static final byte[] V3_TYPEHASH =
      keccak("Proof(address account,string challengeId,string realm)");
  private static final byte[] NAME_HASH = keccak("MPP");

  private ZeroAmountProof() {}

  /**
   * The digest a payer signs for a version.
   *
   * @param version 1, 2 or 3
   */
  public static byte[] digest(
      int version, long chainId, Address account, String challengeId, String realm) {
    Objects.requireNonNull(account, "account == null");
    Objects.requireNonNull(challengeId, "challengeId == null");
    Objects.requireNonNull(realm, "realm == null");
    byte[] structHash;
    switch (version) {
      case 1:
        structHash = keccak(concat(V1_TYPEHASH, keccak(challengeId)));
        break;
      case 2:
        structHash = keccak(concat(V2_TYPEHASH, keccak(challengeId), keccak(realm)));
        break;
      case 3:
        structHash =
            keccak(
                concat(V3_TYPEHASH, word(account.toBytes()), keccak(challengeId), keccak(realm)));
        break;
      default:
        throw new IllegalArgumentException("proof version must be 1, 2 or 3, but was " + version);
    }
    byte[] domain =
        keccak(
            concat(
                DOMAIN_TYPEHASH,
                NAME_HASH,
                keccak(Integer.toString(version)),
                word(BigInteger.valueOf(chainId).toByteArray())));
    return Keccak.hash(concat(new byte[] {0x19, 0x01}, domain, structHash));
  }

  /**
   * Signs a proof (for tests and clients).
   *
   * @return the 65-byte {@code r || s || v} signature
   */
  public static byte[] sign(
      SigningKey key, int version, long chainId, String challengeId, String realm) {
    return key.sign(digest(version, chainId, key.address(), challengeId, realm)).toBytes65();
  }

  /**
   * Whether {@code signature} proves {@code account} for this challenge under any version, newest
   * first.
   *
   * @return the version that verified, or empty
   */
  public static Optional<Integer> verify(
      Secp256k1Signature signature,
      long chainId,
      Address account,
      String challengeId,
      String realm) {
    for (int version = 3; version >= 1; version--) {
      Optional<Address> signer =
          signature.recoverAddress(digest(version, chainId, account, challengeId, realm));
      if (signer.isPresent() && signer.get().equals(account)) {
        return Optional.of(version);
      }
    }
    return Optional.empty();
  }

  private static byte[] keccak(String s) {
    return Keccak.hash(s.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] keccak(byte[] b) {
    return Keccak.hash(b);
  }

  /** Left-pads big-endian bytes (a sign byte of BigInteger.toByteArray is dropped) to 32. */
  private static byte[] word(byte[] b) {
    byte[] out = new byte[32];
    int len = Math.min(b.length, 32);
    System.arraycopy(b, b.length - len, out, 32 - len, len);
    return out;
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int o = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, o, p.length);
      o += p.length;
    }
    return out;
  }
}
