package io.mpp4j.tempo;

import static io.mpp4j.tempo.Fixtures.SENDER_ADDRESS;
import static io.mpp4j.tempo.Fixtures.SENDER_KEY;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpp4j.core.MalformedMessageException;
import io.mpp4j.tempo.internal.Keccak;
import io.mpp4j.tempo.internal.Rlp;
import io.mpp4j.tempo.internal.Secp256k1;
import io.mpp4j.tempo.internal.Secp256k1Signature;
import io.mpp4j.tempo.internal.SigningKey;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;

/**
 * Checks keccak, RLP and secp256k1 against published vectors and against Bouncy Castle's own ECDSA
 * signer and verifier. (web3j 4.14.0 is compiled for Java 21 and cannot be loaded on the project's
 * Java 17, so it is not used here; see the module README for the by-hand cross-check.)
 */
class CryptoVectorsTest {
  private static final String ANVIL_KEY =
      "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

  private static String hex(byte[] b) {
    return Hex.toHexString(b);
  }

  @Test
  void keccakVectors() {
    assertEquals(
        "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470",
        hex(Keccak.hash(new byte[0])));
    assertEquals(
        "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45",
        hex(Keccak.hash("abc".getBytes(StandardCharsets.US_ASCII))));
    byte[] data = new byte[300];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) i;
    }
    assertArrayEquals(
        Keccak.hash(java.util.Arrays.copyOfRange(data, 5, 205)), Keccak.hash(data, 5, 200));
  }

  @Test
  void rlpVectors() throws MalformedMessageException {
    byte[] dog = Rlp.encodeBytes("dog".getBytes(StandardCharsets.US_ASCII));
    byte[] cat = Rlp.encodeBytes("cat".getBytes(StandardCharsets.US_ASCII));
    assertEquals("83646f67", hex(dog));
    assertEquals("c88363617483646f67", hex(Rlp.encodeList(List.of(cat, dog))));
    assertEquals("80", hex(Rlp.encodeBytes(new byte[0])));
    assertEquals("c0", hex(Rlp.encodeList(List.of())));
    assertEquals("80", hex(Rlp.encodeLong(0)));
    assertEquals("00", hex(Rlp.encodeBytes(new byte[] {0})));
    assertEquals("0f", hex(Rlp.encodeLong(15)));
    assertEquals("820400", hex(Rlp.encodeLong(1024)));
    assertEquals("8180", hex(Rlp.encodeLong(128)));
    byte[] e = Rlp.encodeList(List.of());
    byte[] set =
        Rlp.encodeList(
            List.of(
                e,
                Rlp.encodeList(List.of(e)),
                Rlp.encodeList(List.of(e, Rlp.encodeList(List.of(e))))));
    assertEquals("c7c0c1c0c3c0c1c0", hex(set));
    String lorem = "Lorem ipsum dolor sit amet, consectetur adipisicing elit";
    byte[] loremRlp = Rlp.encodeBytes(lorem.getBytes(StandardCharsets.US_ASCII));
    assertEquals("b838" + hex(lorem.getBytes(StandardCharsets.US_ASCII)), hex(loremRlp));
    BigInteger max = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);
    assertEquals("a0" + "ff".repeat(32), hex(Rlp.encodeInt(max)));
    byte[] big = new byte[70_000];
    byte[] bigRlp = Rlp.encodeBytes(big);
    assertEquals("ba011170", hex(java.util.Arrays.copyOf(bigRlp, 4)));
    // long list header
    byte[] longList = Rlp.encodeList(List.of(loremRlp));
    assertEquals("f83a", hex(java.util.Arrays.copyOf(longList, 2)));
    // decode round trips
    for (byte[] enc : List.of(dog, set, loremRlp, bigRlp, longList, Rlp.encodeInt(max))) {
      Rlp.Item item = Rlp.decode(enc, 0, enc.length, "t");
      assertEquals(enc.length, item.end());
    }
    Rlp.Item back = Rlp.decode(loremRlp, 0, loremRlp.length, "t");
    assertArrayEquals(lorem.getBytes(StandardCharsets.US_ASCII), ((Rlp.Str) back).value());
    assertEquals(max, Rlp.toBigInteger(Rlp.decode(Rlp.encodeInt(max), 0, 33, "t"), 32, "t"));
  }

  @Test
  void strictRlpDecoding() {
    // single byte wrapped
    assertThrows(MalformedMessageException.class, () -> decode("8105"));
    // long form for short string
    assertThrows(MalformedMessageException.class, () -> decode("b80100"));
    // long form length with leading zero
    byte[] padded = new byte[3 + 60];
    padded[0] = (byte) 0xb9;
    padded[1] = 0;
    padded[2] = 60;
    assertThrows(MalformedMessageException.class, () -> Rlp.decode(padded, 0, padded.length, "t"));
    // length beyond input
    assertThrows(MalformedMessageException.class, () -> decode("83aabb"));
    assertThrows(MalformedMessageException.class, () -> decode("c3aabb"));
    // list child overruns its parent
    assertThrows(MalformedMessageException.class, () -> decode("c28300aabb"));
    // non-minimal integer
    Rlp.Item zeroLead = Rlp.Str.class.cast(new Rlp.Str(new byte[] {0, 1}, 0, 3));
    assertThrows(MalformedMessageException.class, () -> Rlp.toBigInteger(zeroLead, 32, "x"));
  }

  private static Rlp.Item decode(String hex) throws MalformedMessageException {
    byte[] b = Hex.decode(hex);
    return Rlp.decode(b, 0, b.length, "t");
  }

  @Test
  void anvilKeyHasTheKnownAddress() {
    assertEquals(SENDER_ADDRESS, SENDER_KEY.address().toHex());
  }

  @Test
  void eip155ExampleRecovers() {
    // The signed example of EIP-155: key 0x4646...46, signing hash and (v = 37, r, s) as published.
    byte[] hash = Hex.decode("daf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53");
    BigInteger r =
        new BigInteger(
            "18515461264373351373200002665853028612451056578545711640558177340181847433846");
    BigInteger s =
        new BigInteger(
            "46948507304638947509940763649030358759909902576025900602547168820602576006531");
    int yParity = 37 - (2 * 1 + 35);
    Secp256k1Signature sig = new Secp256k1Signature(r, s, yParity);
    assertEquals(
        "0x9d8a62f656a8d1615c1294fd71e9cfb3e4855a4f",
        sig.recoverAddress(hash).orElseThrow().toHex());
    SigningKey key = SigningKey.of(Hex.decode("46".repeat(32)));
    assertEquals("0x9d8a62f656a8d1615c1294fd71e9cfb3e4855a4f", key.address().toHex());
    assertEquals(sig, key.sign(hash), "RFC 6979 reproduces the published signature");
  }

  @Test
  void signingMatchesBouncyCastleEcdsaAndRecoveryAgrees() {
    X9ECParameters x9 = CustomNamedCurves.getByName("secp256k1");
    ECDomainParameters domain =
        new ECDomainParameters(x9.getCurve(), x9.getG(), x9.getN(), x9.getH());
    BigInteger d = new BigInteger(1, Hex.decode(ANVIL_KEY));
    ECDSASigner bcSigner = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
    bcSigner.init(true, new ECPrivateKeyParameters(d, domain));
    ECDSASigner bcVerifier = new ECDSASigner();
    bcVerifier.init(false, new ECPublicKeyParameters(x9.getG().multiply(d).normalize(), domain));
    byte[] pub = Secp256k1.publicKey(d);
    for (int i = 0; i < 25; i++) {
      byte[] hash = Keccak.hash(new byte[] {(byte) i, 7});
      Secp256k1Signature ours = SENDER_KEY.sign(hash);
      BigInteger[] theirs = bcSigner.generateSignature(hash);
      BigInteger theirS =
          theirs[1].compareTo(Secp256k1.HALF_N) > 0 ? Secp256k1.N.subtract(theirs[1]) : theirs[1];
      assertEquals(theirs[0], ours.r(), "r " + i);
      assertEquals(theirS, ours.s(), "s " + i);
      assertTrue(ours.s().compareTo(Secp256k1.HALF_N) <= 0);
      assertTrue(bcVerifier.verifySignature(hash, ours.r(), ours.s()));

      assertEquals(SENDER_ADDRESS, ours.recoverAddress(hash).orElseThrow().toHex());
      assertArrayEquals(pub, Secp256k1.recoverPublicKey(hash, ours.r(), ours.s(), ours.yParity()));
    }
  }

  @Test
  void recoveryRefusesBadSignatures() {
    byte[] hash = Keccak.hash(new byte[] {1});
    Secp256k1Signature sig = SENDER_KEY.sign(hash);
    BigInteger n = Secp256k1.N;
    // high s
    assertThrows(
        MalformedMessageException.class,
        () -> Secp256k1Signature.of(sig.r(), n.subtract(sig.s()), sig.yParity() ^ 1));
    assertTrue(Secp256k1.recoverAddress(hash, sig.r(), n.subtract(sig.s()), sig.yParity()) == null);
    // out of range r / s
    assertThrows(
        MalformedMessageException.class, () -> Secp256k1Signature.of(BigInteger.ZERO, sig.s(), 0));
    assertThrows(MalformedMessageException.class, () -> Secp256k1Signature.of(n, sig.s(), 0));
    assertThrows(
        MalformedMessageException.class, () -> Secp256k1Signature.of(sig.r(), BigInteger.ZERO, 0));
    assertThrows(MalformedMessageException.class, () -> Secp256k1Signature.of(sig.r(), sig.s(), 2));
    assertThrows(IllegalArgumentException.class, () -> new Secp256k1Signature(n, sig.s(), 0));
    // r that is not the x coordinate of any curve point: nothing recovers
    BigInteger offCurve = firstXOffCurve();
    assertTrue(Secp256k1.recoverAddress(hash, offCurve, sig.s(), 0) == null);
    // flipped parity recovers a different key
    Secp256k1Signature flipped = new Secp256k1Signature(sig.r(), sig.s(), sig.yParity() ^ 1);
    assertTrue(
        flipped.recoverAddress(hash).map(a -> !a.toHex().equals(SENDER_ADDRESS)).orElse(true));
  }

  private static BigInteger firstXOffCurve() {
    org.bouncycastle.math.ec.ECCurve curve =
        org.bouncycastle.crypto.ec.CustomNamedCurves.getByName("secp256k1").getCurve();
    for (int x = 1; ; x++) {
      byte[] enc = new byte[33];
      enc[0] = 0x02;
      enc[32] = (byte) x;
      try {
        curve.decodePoint(enc);
      } catch (IllegalArgumentException e) {
        return BigInteger.valueOf(x);
      }
    }
  }

  @Test
  void parse65AcceptsAllFourV() throws Exception {
    byte[] hash = Keccak.hash(new byte[] {2});
    Secp256k1Signature sig = SENDER_KEY.sign(hash);
    byte[] b = sig.toBytes65();
    for (int v : new int[] {sig.yParity(), sig.yParity() + 27}) {
      b[64] = (byte) v;
      assertEquals(sig, Secp256k1Signature.parse65(b));
    }
    b[64] = 29;
    assertThrows(MalformedMessageException.class, () -> Secp256k1Signature.parse65(b));
    assertThrows(MalformedMessageException.class, () -> Secp256k1Signature.parse65(new byte[64]));
  }
}
