package io.mpp4j.tempo.internal.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpp4j.core.MalformedMessageException;
import io.mpp4j.tempo.Address;
import io.mpp4j.tempo.internal.FeePayerField;
import io.mpp4j.tempo.internal.Hex;
import io.mpp4j.tempo.internal.Keccak;
import io.mpp4j.tempo.internal.Secp256k1;
import io.mpp4j.tempo.internal.SigningKey;
import io.mpp4j.tempo.internal.TempoCall;
import io.mpp4j.tempo.internal.TempoTransaction;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The v2 session cryptography against SPEC 4.4 and 11.3 byte for byte, and against values computed
 * independently with viem 2.57.13 / ox and mppx 0.11.0 (tools/chain: {@code hashDomain}, {@code
 * hashTypedData}, {@code privateKeyToAccount(...).signTypedData}, mppx's {@code Channel.computeId}
 * and {@code computeExpiringNonceHash}); the negative cases of SPEC 4.4/11.3.
 */
class VoucherVectorsTest {
  static final Address ESCROW = addr("0x4d50500000000000000000000000000000000000");
  static final Address PATH_USD = addr("0x20c0000000000000000000000000000000000000");
  static final Address PAYEE = addr("0x742d35cc6634c0532925a3b844bc9e7595f8fe00");

  /** anvil dev account #0. */
  static final SigningKey KEY =
      SigningKey.of(hex("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"));

  /** anvil dev account #1. */
  static final SigningKey OTHER_KEY =
      SigningKey.of(hex("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"));

  /** The SPEC 11.3 channel. */
  static final ChannelDescriptor SPEC_CHANNEL =
      new ChannelDescriptor(
          addr("0x1111111111111111111111111111111111111111"),
          PAYEE,
          ChannelDescriptor.ZERO,
          PATH_USD,
          Bytes32.of(filled(0xaa)),
          ChannelDescriptor.ZERO,
          Bytes32.of(filled(0xbb)));

  static final String SPEC_CHANNEL_ID =
      "0x4f7dd969ac058d541821f48506d951ca17ba8e21046ef96c1edd760241185410";

  @Test
  void channelIdMatchesSpec113() {
    assertEquals(SPEC_CHANNEL_ID, SPEC_CHANNEL.channelId(ESCROW, 42431).toHex());
  }

  @Test
  void channelIdBindsEveryField() {
    Bytes32 id = SPEC_CHANNEL.channelId(ESCROW, 42431);
    ChannelDescriptor d = SPEC_CHANNEL;
    Address other = addr("0x2222222222222222222222222222222222222222");
    Bytes32 otherWord = Bytes32.of(filled(0xcc));
    List<ChannelDescriptor> variants =
        List.of(
            new ChannelDescriptor(
                other,
                d.payee(),
                d.operator(),
                d.token(),
                d.salt(),
                d.authorizedSigner(),
                d.expiringNonceHash()),
            new ChannelDescriptor(
                d.payer(),
                other,
                d.operator(),
                d.token(),
                d.salt(),
                d.authorizedSigner(),
                d.expiringNonceHash()),
            new ChannelDescriptor(
                d.payer(),
                d.payee(),
                other,
                d.token(),
                d.salt(),
                d.authorizedSigner(),
                d.expiringNonceHash()),
            new ChannelDescriptor(
                d.payer(),
                d.payee(),
                d.operator(),
                other,
                d.salt(),
                d.authorizedSigner(),
                d.expiringNonceHash()),
            new ChannelDescriptor(
                d.payer(),
                d.payee(),
                d.operator(),
                d.token(),
                otherWord,
                d.authorizedSigner(),
                d.expiringNonceHash()),
            new ChannelDescriptor(
                d.payer(),
                d.payee(),
                d.operator(),
                d.token(),
                d.salt(),
                other,
                d.expiringNonceHash()),
            new ChannelDescriptor(
                d.payer(),
                d.payee(),
                d.operator(),
                d.token(),
                d.salt(),
                d.authorizedSigner(),
                otherWord));
    for (ChannelDescriptor v : variants) {
      assertNotEquals(id, v.channelId(ESCROW, 42431), v.toString());
    }
    assertNotEquals(id, d.channelId(other, 42431));
    assertNotEquals(id, d.channelId(ESCROW, 4217));
    assertThrows(IllegalArgumentException.class, () -> d.channelId(ESCROW, 0));
  }

  @Test
  void voucherSignerIsAuthorizedSignerOrPayer() {
    assertEquals(SPEC_CHANNEL.payer(), SPEC_CHANNEL.voucherSigner());
    Address delegate = OTHER_KEY.address();
    ChannelDescriptor d = withSigner(SPEC_CHANNEL, delegate);
    assertEquals(delegate, d.voucherSigner());
  }

  @Test
  void typehashesMatchSpec44() {
    assertEquals(
        "0x8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f",
        Hex.encode(VoucherDomain.domainTypehash()));
    assertEquals(
        "0x4730b4b2fe8de522475e80e010877c5b58ad10eb07fd0436615ee123f743bbe8",
        Hex.encode(VoucherDomain.voucherTypehash()));
  }

  @Test
  void domainSeparatorsMatchSpec113() {
    assertEquals(
        "0x6465ffa0b0c1e7cfc1a894ba54d79615bc06fd7cc9cfec558f3df82189d17367",
        Hex.encode(VoucherDomain.of(ESCROW, 4217).separator()));
    assertEquals(
        "0xa3aa475070603a80823360e5a4a0d3b4fe2cd4e82a109ee3c21a4640a199688d",
        Hex.encode(VoucherDomain.of(ESCROW, 42431).separator()));
  }

  @Test
  void voucherDigestAndSignatureMatchViem() throws MalformedMessageException {
    Bytes32 id = Bytes32.parse(SPEC_CHANNEL_ID, "channelId");
    check(
        VoucherDomain.of(ESCROW, 42431),
        id,
        BigInteger.valueOf(1_000_000),
        "0x83b2da81a2ee246bec74bb2473ca96560e769cfe3e313a19eb7da2ae5dc65688",
        "0xaa5d597c8611e3b7e0f49ba425471cc9db766766ff051c2ea25857749605d0b6"
            + "73de125e1a6f66d39d3eae679c464199678564306856ef0a2aaa866f5c3a3e901b");
    check(
        VoucherDomain.of(ESCROW, 4217),
        id,
        Uint96.MAX,
        "0x8e333808d4426d3fa3633b6dc9af0bf1f38e4cb4fef48c9a622f0b1deda696b1",
        "0x6684dd7b95d51170adf5a14f189258942b8d9b89bdf1c4ad6f144fcb7785dd91"
            + "22a84cf2d810fdd1567b958c11613e71730ecdd9147a95a5bd041d547a4b094a1b");
  }

  private static void check(
      VoucherDomain domain, Bytes32 id, BigInteger amount, String digest, String viemSignature)
      throws MalformedMessageException {
    byte[] d = domain.digest(id, amount);
    assertEquals(digest, Hex.encode(d));
    VoucherSignature sig = VoucherSignature.parse(viemSignature);
    assertEquals(KEY.address(), sig.recoverSigner(d).orElseThrow());
    assertTrue(domain.verify(id, amount, sig, KEY.address()));
    // RFC 6979 makes our signer reproduce viem's signature byte for byte.
    assertEquals(viemSignature, VoucherSignature.of(KEY.sign(d)).toHex());
  }

  @Test
  void expiringNonceHashMatchesMppx() {
    TempoTransaction open = openTx(new FeePayerField.None());
    assertEquals(
        "0x76f9012e82a5bf018504a817c800831e8480f8def8dc944d50500000000000000000000000000000000000"
            + "80b8c4edc53b00"
            + "00".repeat(6 * 32)
            + "c0a0ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff80846955b900"
            + "809420c000000000000000000000000000000000000080c0",
        Hex.encode(open.senderSigningPreimage()));
    assertArrayEquals(Keccak.hash(open.senderSigningPreimage()), open.senderSigningHash());
    assertEquals(
        "0xde01c5005de1b048bd972b7effca8f5459fefca9a320d462689bf9aa586be666",
        ChannelDescriptor.expiringNonceHash(open, KEY.address()).toHex());
    assertNotEquals(
        ChannelDescriptor.expiringNonceHash(open, KEY.address()),
        ChannelDescriptor.expiringNonceHash(open, OTHER_KEY.address()));
  }

  @Test
  void expiringNonceHashOfASponsoredOpenIgnoresTheFeePayerSignature() {
    String mppx = "0x16ff09580640c6b4f3b5da54201737bb144e2a9d08461d5c3e697bda078b36ef";
    TempoTransaction awaiting = openTx(new FeePayerField.AwaitingLegacy());
    assertEquals(mppx, ChannelDescriptor.expiringNonceHash(awaiting, KEY.address()).toHex());
    TempoTransaction signed =
        openTx(new FeePayerField.Signed(OTHER_KEY.sign(Keccak.hash(new byte[] {1}))));
    assertEquals(mppx, ChannelDescriptor.expiringNonceHash(signed, KEY.address()).toHex());
  }

  /** The open transaction of the mppx vector: one call, the expiring nonce lane, pathUSD fees. */
  private static TempoTransaction openTx(FeePayerField feePayer) {
    byte[] data = new byte[4 + 6 * 32];
    System.arraycopy(hex("0xedc53b00"), 0, data, 0, 4);
    return TempoTransaction.builder()
        .chainId(42431)
        .maxPriorityFeePerGas(BigInteger.ONE)
        .maxFeePerGas(BigInteger.valueOf(20_000_000_000L))
        .gas(2_000_000)
        .calls(List.of(TempoCall.of(ESCROW, data)))
        .nonceKey(TempoTransaction.EXPIRING_NONCE_KEY)
        .nonce(0)
        .validBefore(1_767_225_600L)
        .feeToken(PATH_USD)
        .feePayer(feePayer)
        .build();
  }

  // ---- negative cases ----

  @Test
  void highSIsRefusedAtParseTime() throws MalformedMessageException {
    VoucherDomain domain = VoucherDomain.of(ESCROW, 42431);
    Bytes32 id = SPEC_CHANNEL.channelId(ESCROW, 42431);
    byte[] good = VoucherSignature.of(KEY.sign(domain.digest(id, BigInteger.TEN))).toBytes();
    // The malleable twin (r, n - s, v ^ 1) recovers the same key, so only the s check stops it.
    BigInteger s = new BigInteger(1, java.util.Arrays.copyOfRange(good, 32, 64));
    byte[] twin = good.clone();
    byte[] highS = toWord(Secp256k1.N.subtract(s));
    System.arraycopy(highS, 0, twin, 32, 32);
    twin[64] = (byte) (good[64] == 27 ? 28 : 27);
    MalformedMessageException e =
        assertThrows(MalformedMessageException.class, () -> VoucherSignature.of(twin));
    assertTrue(e.getMessage().contains("high"), e.getMessage());
    assertThrows(MalformedMessageException.class, () -> VoucherSignature.parse(Hex.encode(twin)));
    // s = n/2 is the largest accepted value, n/2 + 1 the smallest refused one.
    byte[] edge = good.clone();
    System.arraycopy(toWord(Secp256k1.HALF_N), 0, edge, 32, 32);
    VoucherSignature.of(edge);
    System.arraycopy(toWord(Secp256k1.HALF_N.add(BigInteger.ONE)), 0, edge, 32, 32);
    assertThrows(MalformedMessageException.class, () -> VoucherSignature.of(edge));
    assertEquals(
        "0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0",
        Hex.encode(toWord(Secp256k1.HALF_N)));
  }

  @Test
  void wrongLengthsHexAndRangesAreRefused() throws MalformedMessageException {
    byte[] good = VoucherSignature.of(KEY.sign(Keccak.hash(new byte[] {2}))).toBytes();
    String goodHex = Hex.encode(good);
    VoucherSignature.parse(goodHex);
    VoucherSignature.parse(goodHex.toUpperCase(Locale.ROOT).replace("0X", "0x"));
    assertThrows(
        MalformedMessageException.class,
        () -> VoucherSignature.of(java.util.Arrays.copyOf(good, 64)));
    assertThrows(
        MalformedMessageException.class,
        () -> VoucherSignature.of(java.util.Arrays.copyOf(good, 66)));
    assertThrows(MalformedMessageException.class, () -> VoucherSignature.of(new byte[0]));
    assertThrows(
        MalformedMessageException.class, () -> VoucherSignature.parse(goodHex.substring(0, 130)));
    assertThrows(MalformedMessageException.class, () -> VoucherSignature.parse(goodHex + "00"));
    assertThrows(
        MalformedMessageException.class, () -> VoucherSignature.parse(goodHex.substring(2)));
    assertThrows(
        MalformedMessageException.class,
        () -> VoucherSignature.parse("0x" + "g" + goodHex.substring(3)));
    assertThrows(
        MalformedMessageException.class, () -> VoucherSignature.parse("0x" + "1".repeat(10_000)));
    // r = 0, r = n, s = 0
    byte[] bad = good.clone();
    System.arraycopy(new byte[32], 0, bad, 0, 32);
    assertThrows(MalformedMessageException.class, () -> VoucherSignature.of(bad));
    System.arraycopy(toWord(Secp256k1.N), 0, bad, 0, 32);
    assertThrows(MalformedMessageException.class, () -> VoucherSignature.of(bad));
    byte[] bad2 = good.clone();
    System.arraycopy(new byte[32], 0, bad2, 32, 32);
    assertThrows(MalformedMessageException.class, () -> VoucherSignature.of(bad2));
  }

  @Test
  void vOtherThan27Or28IsRefused() {
    byte[] good = VoucherSignature.of(KEY.sign(Keccak.hash(new byte[] {3}))).toBytes();
    for (int v : new int[] {0, 1, 2, 26, 29, 35, 36, 255}) {
      byte[] sig = good.clone();
      sig[64] = (byte) v;
      assertThrows(MalformedMessageException.class, () -> VoucherSignature.of(sig), "v=" + v);
    }
  }

  @Test
  void anotherKeysSignatureRecoversAnotherSigner() {
    VoucherDomain domain = VoucherDomain.of(ESCROW, 42431);
    Bytes32 id = SPEC_CHANNEL.channelId(ESCROW, 42431);
    BigInteger amount = BigInteger.valueOf(5000);
    byte[] digest = domain.digest(id, amount);
    VoucherSignature forged = VoucherSignature.of(OTHER_KEY.sign(digest));
    assertEquals(OTHER_KEY.address(), forged.recoverSigner(digest).orElseThrow());
    assertFalse(domain.verify(id, amount, forged, KEY.address()));
  }

  @Test
  void aVoucherForAnotherChannelPayeeAmountOrDomainHasAnotherDigest() {
    VoucherDomain domain = VoucherDomain.of(ESCROW, 42431);
    ChannelDescriptor mine = withSigner(SPEC_CHANNEL, KEY.address());
    Bytes32 id = mine.channelId(ESCROW, 42431);
    BigInteger amount = BigInteger.valueOf(5000);
    VoucherSignature sig = VoucherSignature.of(KEY.sign(domain.digest(id, amount)));
    assertTrue(domain.verify(id, amount, sig, mine.voucherSigner()));

    ChannelDescriptor otherPayee =
        new ChannelDescriptor(
            mine.payer(),
            addr("0x3333333333333333333333333333333333333333"),
            mine.operator(),
            mine.token(),
            mine.salt(),
            mine.authorizedSigner(),
            mine.expiringNonceHash());
    Bytes32 otherId = otherPayee.channelId(ESCROW, 42431);
    assertFalse(
        Hex.encode(domain.digest(id, amount)).equals(Hex.encode(domain.digest(otherId, amount))));
    assertFalse(domain.verify(otherId, amount, sig, mine.voucherSigner()));
    assertFalse(domain.verify(id, amount.add(BigInteger.ONE), sig, mine.voucherSigner()));
    assertFalse(VoucherDomain.of(ESCROW, 4217).verify(id, amount, sig, mine.voucherSigner()));
    assertFalse(
        VoucherDomain.of(addr("0x4d50500000000000000000000000000000000001"), 42431)
            .verify(id, amount, sig, mine.voucherSigner()));
  }

  @Test
  void amountsAreUint96() throws MalformedMessageException {
    VoucherDomain domain = VoucherDomain.of(ESCROW, 42431);
    Bytes32 id = SPEC_CHANNEL.channelId(ESCROW, 42431);
    assertThrows(
        IllegalArgumentException.class, () -> domain.digest(id, Uint96.MAX.add(BigInteger.ONE)));
    assertThrows(IllegalArgumentException.class, () -> domain.digest(id, BigInteger.ONE.negate()));
    assertEquals(BigInteger.ZERO, Uint96.parseDecimal("0", "a"));
    assertEquals(Uint96.MAX, Uint96.parseDecimal("79228162514264337593543950335", "a"));
    for (String bad :
        new String[] {
          "",
          "-1",
          "+1",
          "01",
          "1.0",
          "1e3",
          " 1",
          "0x10",
          "79228162514264337593543950336",
          "٣",
          "1".repeat(30),
          "9".repeat(10_000)
        }) {
      assertThrows(MalformedMessageException.class, () -> Uint96.parseDecimal(bad, "a"), bad);
    }
  }

  @Test
  void bytes32ParsesExactly32Bytes() throws MalformedMessageException {
    assertEquals(
        SPEC_CHANNEL_ID,
        Bytes32.parse(SPEC_CHANNEL_ID.toUpperCase(Locale.ROOT).replace("0X", "0x"), "c").toHex());
    assertThrows(MalformedMessageException.class, () -> Bytes32.parse("0x" + "aa".repeat(31), "c"));
    assertThrows(MalformedMessageException.class, () -> Bytes32.parse("0x" + "aa".repeat(33), "c"));
    assertThrows(MalformedMessageException.class, () -> Bytes32.parse("aa".repeat(32), "c"));
    assertThrows(IllegalArgumentException.class, () -> Bytes32.of(new byte[31]));
  }

  static ChannelDescriptor withSigner(ChannelDescriptor d, Address signer) {
    return new ChannelDescriptor(
        d.payer(), d.payee(), d.operator(), d.token(), d.salt(), signer, d.expiringNonceHash());
  }

  static byte[] toWord(BigInteger x) {
    byte[] out = new byte[32];
    byte[] b = x.toByteArray();
    int len = Math.min(b.length, 32);
    System.arraycopy(b, b.length - len, out, 32 - len, len);
    return out;
  }

  static byte[] filled(int b) {
    byte[] out = new byte[32];
    java.util.Arrays.fill(out, (byte) b);
    return out;
  }

  static Address addr(String hex) {
    try {
      return Address.parse(hex);
    } catch (MalformedMessageException e) {
      throw new IllegalArgumentException(e);
    }
  }

  static byte[] hex(String hex) {
    try {
      return Hex.decode(hex, 1024, "test");
    } catch (MalformedMessageException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
