package io.mpp4j.tempo;

import static io.mpp4j.tempo.Fixtures.FEE_PAYER_ADDRESS;
import static io.mpp4j.tempo.Fixtures.FEE_PAYER_KEY;
import static io.mpp4j.tempo.Fixtures.PATH_USD;
import static io.mpp4j.tempo.Fixtures.SENDER_ADDRESS;
import static io.mpp4j.tempo.Fixtures.SENDER_KEY;
import static io.mpp4j.tempo.Fixtures.addr;
import static io.mpp4j.tempo.Fixtures.concat;
import static io.mpp4j.tempo.Fixtures.fields;
import static io.mpp4j.tempo.Fixtures.payment;
import static io.mpp4j.tempo.Fixtures.replaceField;
import static io.mpp4j.tempo.Fixtures.signSender;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpp4j.core.MalformedMessageException;
import io.mpp4j.tempo.internal.AccessListEntry;
import io.mpp4j.tempo.internal.FeePayerField;
import io.mpp4j.tempo.internal.Keccak;
import io.mpp4j.tempo.internal.Rlp;
import io.mpp4j.tempo.internal.Secp256k1Signature;
import io.mpp4j.tempo.internal.SenderSignature;
import io.mpp4j.tempo.internal.TempoCodec;
import io.mpp4j.tempo.internal.TempoTransaction;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;

class TempoTransactionTest {

  private static final byte[] EMPTY = {(byte) 0x80};

  @Test
  void roundTripWithoutFeePayer() throws Exception {
    TempoTransaction tx = signSender(payment().feeToken(PATH_USD), SENDER_KEY);
    byte[] encoded = tx.encode();
    assertEquals(0x76, encoded[0] & 0xff);

    TempoTransaction parsed = TempoCodec.parse(encoded);
    assertEquals(tx, parsed);
    assertArrayEquals(encoded, parsed.encode());
    assertArrayEquals(encoded, parsed.receivedBytes());
    assertArrayEquals(Keccak.hash(encoded), parsed.hash());
    assertEquals(42431, parsed.chainId());
    assertEquals(PATH_USD, parsed.feeToken());
    assertInstanceOf(FeePayerField.None.class, parsed.feePayer());
    assertEquals(TempoTransaction.EXPIRING_NONCE_KEY, parsed.nonceKey());
    assertEquals(1_790_000_025L, parsed.validBefore());
    assertEquals(1_789_999_000L, parsed.validAfter());
    assertEquals(SenderSignature.Kind.SECP256K1, parsed.senderSignature().kind());
    assertEquals(SENDER_ADDRESS, parsed.recoverSender().orElseThrow().toHex());
    assertEquals(parsed, TempoCodec.parse(Hex.toHexString(encoded).replaceFirst("^", "0x")));
  }

  @Test
  void senderPreimageIncludesFeeTokenOnlyWithoutFeePayer() {
    TempoTransaction noPayer = payment().feeToken(PATH_USD).build();
    TempoTransaction noPayerOtherToken = payment().feeToken(Fixtures.ALPHA_USD).build();
    assertFalse(Arrays.equals(noPayer.senderSigningHash(), noPayerOtherToken.senderSigningHash()));

    TempoTransaction sponsored =
        payment()
            .feeToken(PATH_USD)
            .feePayer(new FeePayerField.Sender(addr(SENDER_ADDRESS)))
            .build();
    TempoTransaction sponsoredNoToken = payment().feePayer(FeePayerField.AWAITING_LEGACY).build();
    assertArrayEquals(sponsored.senderSigningHash(), sponsoredNoToken.senderSigningHash());

    // Explicit preimage per SPEC 11.1: [f0..f9, 0x80, 0x00, authList].
    List<byte[]> f = new ArrayList<>(preimageHead(noPayer));
    f.add(EMPTY);
    f.add(new byte[] {0x00});
    f.add(new byte[] {(byte) 0xc0});
    assertArrayEquals(
        Keccak.hash(concat(new byte[] {0x76}, Rlp.encodeList(f))), sponsored.senderSigningHash());

    // Without fee payer: [f0..f9, feeToken, 0x80, authList].
    List<byte[]> g = new ArrayList<>(preimageHead(noPayer));
    g.add(Rlp.encodeBytes(PATH_USD.toBytes()));
    g.add(EMPTY);
    g.add(new byte[] {(byte) 0xc0});
    assertArrayEquals(
        Keccak.hash(concat(new byte[] {0x76}, Rlp.encodeList(g))), noPayer.senderSigningHash());
  }

  private static List<byte[]> preimageHead(TempoTransaction t) {
    byte[] enc = t.withSenderSignature(SenderSignature.of(SENDER_KEY.sign(new byte[32]))).encode();
    try {
      return fields(enc).subList(0, 10);
    } catch (MalformedMessageException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void feePayerHandoffRecoverCoSignAndBroadcastForm() throws Exception {
    Address sender = addr(SENDER_ADDRESS);
    // Client: 0x78 envelope, feeToken empty, field 11 = sender, sender signature.
    TempoTransaction handoff =
        signSender(payment().feePayer(new FeePayerField.Sender(sender)), SENDER_KEY);
    byte[] wire = handoff.encode();
    assertEquals(0x78, wire[0] & 0xff);
    assertArrayEquals(Rlp.encodeBytes(sender.toBytes()), fields(wire).get(11));
    assertArrayEquals(EMPTY, fields(wire).get(10));

    // Server: parse, recover, require equality with field 11.
    TempoTransaction parsed = TempoCodec.parse(wire);
    assertEquals(TempoTransaction.TYPE_FEE_PAYER, parsed.type());
    assertEquals(sender, parsed.recoverSender().orElseThrow());

    // Co-sign with a fee token.
    TempoTransaction fin = parsed.coSign(FEE_PAYER_KEY, PATH_USD);
    byte[] broadcast = fin.encode();
    assertEquals(0x76, broadcast[0] & 0xff);
    assertEquals(PATH_USD, fin.feeToken());
    FeePayerField.Signed signed = assertInstanceOf(FeePayerField.Signed.class, fin.feePayer());

    // Fee-payer preimage per SPEC 11.1: 0x78 || rlp([f0..f9, feeToken, sender, authList]).
    List<byte[]> f = new ArrayList<>(fields(broadcast).subList(0, 10));
    f.add(Rlp.encodeBytes(PATH_USD.toBytes()));
    f.add(Rlp.encodeBytes(sender.toBytes()));
    f.add(new byte[] {(byte) 0xc0});
    byte[] feePayerHash = Keccak.hash(concat(new byte[] {0x78}, Rlp.encodeList(f)));
    assertArrayEquals(feePayerHash, fin.feePayerSigningHash(sender));
    assertEquals(
        FEE_PAYER_ADDRESS, signed.signature().recoverAddress(feePayerHash).orElseThrow().toHex());

    // Field 11 is [yParity, r, s] with minimal integers.
    Secp256k1Signature s = signed.signature();
    assertArrayEquals(
        Rlp.encodeList(
            List.of(Rlp.encodeLong(s.yParity()), Rlp.encodeInt(s.r()), Rlp.encodeInt(s.s()))),
        fields(broadcast).get(11));

    // The broadcast form round-trips; the sender still recovers from the same sender preimage.
    TempoTransaction reparsed = TempoCodec.parse(broadcast);
    assertEquals(fin, reparsed);
    assertEquals(sender, reparsed.recoverSender().orElseThrow());
    assertArrayEquals(parsed.senderSigningHash(), reparsed.senderSigningHash());
    assertArrayEquals(Keccak.hash(broadcast), reparsed.hash());
  }

  @Test
  void handoffWithForgedSenderIsRefused() throws Exception {
    Address other = addr(FEE_PAYER_ADDRESS);
    TempoTransaction forged =
        signSender(payment().feePayer(new FeePayerField.Sender(other)), SENDER_KEY);
    TempoTransaction parsed = TempoCodec.parse(forged.encode());
    MalformedMessageException e =
        assertThrows(MalformedMessageException.class, parsed::recoverSender);
    assertTrue(e.getMessage().contains("does not match"));
    assertThrows(MalformedMessageException.class, () -> parsed.coSign(FEE_PAYER_KEY, PATH_USD));
  }

  @Test
  void coSignRequiresAFeePayerForm() {
    TempoTransaction tx = signSender(payment().feeToken(PATH_USD), SENDER_KEY);
    assertThrows(MalformedMessageException.class, () -> tx.coSign(FEE_PAYER_KEY, PATH_USD));
  }

  @Test
  void fieldElevenFormsRoundTrip() throws Exception {
    Secp256k1Signature smallR = null;
    // Find a fee-payer signature whose r has a leading zero byte to exercise minimal r.
    for (int i = 0; smallR == null && i < 2000; i++) {
      Secp256k1Signature s = FEE_PAYER_KEY.sign(Keccak.hash(BigInteger.valueOf(i).toByteArray()));
      if (s.r().bitLength() <= 248) {
        smallR = s;
      }
    }
    assertTrue(smallR != null);
    List<FeePayerField> forms =
        List.of(
            FeePayerField.NONE,
            FeePayerField.AWAITING_LEGACY,
            new FeePayerField.Sender(addr(SENDER_ADDRESS)),
            new FeePayerField.Signed(FEE_PAYER_KEY.sign(new byte[32])),
            new FeePayerField.Signed(smallR));
    for (FeePayerField form : forms) {
      TempoTransaction tx = signSender(payment().feeToken(PATH_USD).feePayer(form), SENDER_KEY);
      TempoTransaction parsed = TempoCodec.parse(tx.encode());
      assertEquals(form, parsed.feePayer(), form.toString());
      assertEquals(tx, parsed);
      assertEquals(SENDER_ADDRESS, parsed.recoverSender().orElseThrow().toHex());
    }
    byte[] f11 =
        fields(
                signSender(payment().feePayer(new FeePayerField.Signed(smallR)), SENDER_KEY)
                    .encode())
            .get(11);
    Rlp.Item rItem = ((Rlp.Lst) Rlp.decode(f11, 0, f11.length, "t")).items().get(1);
    assertEquals((smallR.r().bitLength() + 7) / 8, ((Rlp.Str) rItem).value().length);
    assertTrue(((Rlp.Str) rItem).value().length < 32, "r must be encoded minimally");
  }

  @Test
  void yParityZeroEncodesEmptyAndNonMinimalYParityIsRefused() throws Exception {
    Secp256k1Signature s = null;
    for (int i = 0; s == null; i++) {
      Secp256k1Signature c = FEE_PAYER_KEY.sign(Keccak.hash(new byte[] {(byte) i}));
      if (c.yParity() == 0) {
        s = c;
      }
    }
    byte[] tx = signSender(payment().feePayer(new FeePayerField.Signed(s)), SENDER_KEY).encode();
    List<Rlp.Item> items =
        ((Rlp.Lst) Rlp.decode(fields(tx).get(11), 0, fields(tx).get(11).length, "t")).items();
    assertArrayEquals(new byte[0], ((Rlp.Str) items.get(0)).value());
    byte[] bad =
        Rlp.encodeList(List.of(new byte[] {0x00}, Rlp.encodeInt(s.r()), Rlp.encodeInt(s.s())));
    assertMalformed(replaceField(tx, 11, bad));
    byte[] two =
        Rlp.encodeList(List.of(new byte[] {0x02}, Rlp.encodeInt(s.r()), Rlp.encodeInt(s.s())));
    assertMalformed(replaceField(tx, 11, two));
  }

  @Test
  void senderAddressInFieldElevenOfA76IsRefused() throws Exception {
    byte[] handoff =
        signSender(payment().feePayer(new FeePayerField.Sender(addr(SENDER_ADDRESS))), SENDER_KEY)
            .encode();
    byte[] as76 = handoff.clone();
    as76[0] = 0x76;
    assertMalformed(as76);
    byte[] plain = signSender(payment(), SENDER_KEY).encode();
    byte[] as78 = plain.clone();
    as78[0] = 0x78;
    assertMalformed(as78);
  }

  @Test
  void legacyTrailerIsAcceptedOnlyForTheLegacyMarker() throws Exception {
    TempoTransaction tx = signSender(payment().feePayer(FeePayerField.AWAITING_LEGACY), SENDER_KEY);
    byte[] marker = Hex.decode("feefeefeefee");
    byte[] withTrailer = concat(tx.encode(), addr(SENDER_ADDRESS).toBytes(), marker);
    TempoTransaction parsed = TempoCodec.parse(withTrailer);
    assertEquals(addr(SENDER_ADDRESS), parsed.legacyTrailerSender());
    assertArrayEquals(tx.encode(), parsed.encode(), "canonical form drops the trailer");
    assertEquals(SENDER_ADDRESS, parsed.recoverSender().orElseThrow().toHex());
    TempoTransaction fin = parsed.coSign(FEE_PAYER_KEY, PATH_USD);
    assertNull(fin.legacyTrailerSender());
    FeePayerField.Signed signed = assertInstanceOf(FeePayerField.Signed.class, fin.feePayer());
    assertEquals(
        FEE_PAYER_ADDRESS,
        signed
            .signature()
            .recoverAddress(fin.feePayerSigningHash(addr(SENDER_ADDRESS)))
            .orElseThrow()
            .toHex());

    // A trailer naming someone else parses but fails recovery.
    byte[] lying = concat(tx.encode(), addr(FEE_PAYER_ADDRESS).toBytes(), marker);
    assertThrows(MalformedMessageException.class, () -> TempoCodec.parse(lying).recoverSender());

    // The same trailer after a tx without the legacy marker is refused.
    byte[] plain = signSender(payment(), SENDER_KEY).encode();
    assertMalformed(concat(plain, addr(SENDER_ADDRESS).toBytes(), marker));
  }

  @Test
  void trailingBytesAreRefused() {
    byte[] tx = signSender(payment(), SENDER_KEY).encode();
    assertMalformed(concat(tx, new byte[] {0x00}));
    assertMalformed(concat(tx, new byte[] {(byte) 0xc0}));
    assertMalformed(concat(tx, tx));
  }

  @Test
  void canonicalReencodingNormalizesV() throws Exception {
    TempoTransaction tx = signSender(payment().feeToken(PATH_USD), SENDER_KEY);
    byte[] canonical = tx.encode();
    byte[] sig = tx.senderSignature().toBytes();
    assertTrue(sig[64] == 27 || sig[64] == 28);
    byte[] raw = sig.clone();
    raw[64] = (byte) (sig[64] - 27);
    byte[] withRawV = replaceField(canonical, 13, Rlp.encodeBytes(raw));
    assertFalse(Arrays.equals(canonical, withRawV));

    TempoTransaction parsed = TempoCodec.parse(withRawV);
    assertArrayEquals(canonical, parsed.encode());
    assertArrayEquals(tx.hash(), parsed.hash());
    assertArrayEquals(Keccak.hash(canonical), parsed.hash());
    assertArrayEquals(withRawV, parsed.receivedBytes());
    assertEquals(SENDER_ADDRESS, parsed.recoverSender().orElseThrow().toHex());

    byte[] badV = sig.clone();
    badV[64] = 2;
    assertMalformed(replaceField(canonical, 13, Rlp.encodeBytes(badV)));
  }

  @Test
  void nonMinimalIntegersAreRefused() throws Exception {
    byte[] tx = signSender(payment(), SENDER_KEY).encode();
    // chainId 42431 = 0xa5bf with a leading zero byte
    assertMalformed(replaceField(tx, 0, Rlp.encodeBytes(Hex.decode("00a5bf"))));
    // zero encoded as 0x00 instead of 0x80
    assertMalformed(replaceField(tx, 7, new byte[] {0x00}));
    // gas with a leading zero
    assertMalformed(replaceField(tx, 3, Rlp.encodeBytes(Hex.decode("000493e0"))));
    // a single byte < 0x80 wrapped as a string (non-canonical RLP)
    assertMalformed(replaceField(tx, 7, new byte[] {(byte) 0x81, 0x05}));
    // nonceKey longer than 32 bytes
    byte[] big = new byte[33];
    big[0] = 1;
    assertMalformed(replaceField(tx, 6, Rlp.encodeBytes(big)));
  }

  @Test
  void nonCanonicalRlpLengthsAreRefused() throws Exception {
    byte[] tx = signSender(payment(), SENDER_KEY).encode();
    // A 3-byte string using the long form 0xb8 0x03
    List<byte[]> f = fields(tx);
    f.set(0, Hex.decode("b803a5bf00")); // long length form for a 3-byte string
    assertMalformed(Fixtures.assemble(0x76, f));
    // truncated
    assertMalformed(Arrays.copyOf(tx, tx.length - 1));
    // only the type byte
    assertMalformed(new byte[] {0x76});
  }

  @Test
  void wrongFieldCountsAreRefused() throws Exception {
    byte[] tx = signSender(payment(), SENDER_KEY).encode();
    List<byte[]> f = fields(tx);
    List<byte[]> fewer = new ArrayList<>(f.subList(0, 13));
    assertMalformed(Fixtures.assemble(0x76, fewer));
    List<byte[]> more = new ArrayList<>(f);
    more.add(EMPTY);
    more.add(EMPTY);
    assertMalformed(Fixtures.assemble(0x76, more));
    // 15 items whose item 13 is not a list
    List<byte[]> fifteen = new ArrayList<>(f);
    fifteen.add(13, EMPTY);
    assertMalformed(Fixtures.assemble(0x76, fifteen));
    // a call with 2 items
    List<byte[]> badCall = new ArrayList<>(f);
    badCall.set(4, Rlp.encodeList(List.of(Rlp.encodeList(List.of(EMPTY, EMPTY)))));
    assertMalformed(Fixtures.assemble(0x76, badCall));
    // no calls
    List<byte[]> noCalls = new ArrayList<>(f);
    noCalls.set(4, new byte[] {(byte) 0xc0});
    assertMalformed(Fixtures.assemble(0x76, noCalls));
    // the whole payload is not a list
    assertMalformed(concat(new byte[] {0x76}, Rlp.encodeBytes(new byte[] {1, 2, 3})));
  }

  @Test
  void keyAuthorizationIsKeptAndSigned() throws Exception {
    byte[] keyAuth =
        Rlp.encodeList(
            List.of(
                Rlp.encodeLong(42431),
                Rlp.encodeLong(0),
                Rlp.encodeBytes(addr(FEE_PAYER_ADDRESS).toBytes()),
                Rlp.encodeList(List.of())));
    TempoTransaction tx = signSender(payment().keyAuthorizationRlp(keyAuth), SENDER_KEY);
    byte[] enc = tx.encode();
    assertEquals(15, fields(enc).size());
    TempoTransaction parsed = TempoCodec.parse(enc);
    assertArrayEquals(keyAuth, parsed.keyAuthorizationRlp());
    assertEquals(SENDER_ADDRESS, parsed.recoverSender().orElseThrow().toHex());
    // the key authorization is part of the sender preimage
    TempoTransaction without = payment().build();
    assertFalse(Arrays.equals(without.senderSigningHash(), parsed.senderSigningHash()));
  }

  @Test
  void accessListRoundTrips() throws Exception {
    byte[] slot = Keccak.hash(new byte[] {1});
    TempoTransaction tx =
        signSender(
            payment().accessList(List.of(new AccessListEntry(PATH_USD, List.of(slot)))),
            SENDER_KEY);
    TempoTransaction parsed = TempoCodec.parse(tx.encode());
    assertEquals(1, parsed.accessList().size());
    assertEquals(PATH_USD, parsed.accessList().get(0).address());
    assertArrayEquals(slot, parsed.accessList().get(0).storageKeys().get(0));
    assertEquals(tx, parsed);
    byte[] badSlot =
        Rlp.encodeList(
            List.of(
                Rlp.encodeList(
                    List.of(
                        Rlp.encodeBytes(PATH_USD.toBytes()),
                        Rlp.encodeList(List.of(Rlp.encodeBytes(new byte[31])))))));
    assertMalformed(replaceField(tx.encode(), 5, badSlot));
  }

  @Test
  void highSSenderSignatureIsRefused() throws Exception {
    TempoTransaction tx = signSender(payment(), SENDER_KEY);
    Secp256k1Signature s = tx.senderSignature().secp256k1();
    BigInteger highS = io.mpp4j.tempo.internal.Secp256k1.N.subtract(s.s());
    byte[] sig = tx.senderSignature().toBytes();
    byte[] hs = org.bouncycastle.util.BigIntegers.asUnsignedByteArray(32, highS);
    System.arraycopy(hs, 0, sig, 32, 32);
    sig[64] = (byte) (sig[64] == 27 ? 28 : 27);
    MalformedMessageException e =
        assertThrows(
            MalformedMessageException.class,
            () -> TempoCodec.parse(replaceField(tx.encode(), 13, Rlp.encodeBytes(sig))));
    assertTrue(e.getMessage().contains("high"));
  }

  @Test
  void wrongChainIdIsVisible() throws Exception {
    TempoTransaction mainnet = signSender(payment().chainId(4217), SENDER_KEY);
    TempoTransaction parsed = TempoCodec.parse(mainnet.encode());
    assertEquals(4217, parsed.chainId());
    assertNotEquals(42431, parsed.chainId());
    // chain id is signed: moving it to 42431 changes the recovered sender
    byte[] moved = replaceField(mainnet.encode(), 0, Rlp.encodeLong(42431));
    assertNotEquals(addr(SENDER_ADDRESS), TempoCodec.parse(moved).recoverSender().orElseThrow());
  }

  @Test
  void signatureEnvelopeKinds() throws Exception {
    byte[] p256 = new byte[130];
    p256[0] = 0x01;
    byte[] webauthn = new byte[200];
    webauthn[0] = 0x02;
    byte[] keychainV1 = new byte[1 + 20 + 65];
    keychainV1[0] = 0x03;
    byte[] keychainV2 = new byte[1 + 20 + 65];
    keychainV2[0] = 0x04;
    System.arraycopy(addr(SENDER_ADDRESS).toBytes(), 0, keychainV2, 1, 20);
    byte[][] envs = {p256, webauthn, keychainV1, keychainV2};
    SenderSignature.Kind[] kinds = {
      SenderSignature.Kind.P256,
      SenderSignature.Kind.WEBAUTHN,
      SenderSignature.Kind.KEYCHAIN_V1,
      SenderSignature.Kind.KEYCHAIN_V2
    };
    byte[] base = signSender(payment(), SENDER_KEY).encode();
    for (int i = 0; i < envs.length; i++) {
      byte[] tx = replaceField(base, 13, Rlp.encodeBytes(envs[i]));
      TempoTransaction parsed = TempoCodec.parse(tx);
      assertEquals(kinds[i], parsed.senderSignature().kind());
      assertArrayEquals(envs[i], parsed.senderSignature().toBytes());
      assertArrayEquals(tx, parsed.encode());
      assertTrue(parsed.recoverSender().isEmpty(), "not recoverable off-chain");
    }
    assertEquals(
        addr(SENDER_ADDRESS),
        TempoCodec.parse(replaceField(base, 13, Rlp.encodeBytes(keychainV2)))
            .senderSignature()
            .keychainUser());
    byte[] unknown = new byte[100];
    unknown[0] = 0x09;
    assertMalformed(replaceField(base, 13, Rlp.encodeBytes(unknown)));
    assertMalformed(replaceField(base, 13, EMPTY));
    assertMalformed(replaceField(base, 13, Rlp.encodeBytes(new byte[64])));
    assertMalformed(replaceField(base, 13, Rlp.encodeBytes(Arrays.copyOf(keychainV2, 85))));
  }

  @Test
  void oversizedAndWrongTypeAreRefused() {
    byte[] huge = new byte[TempoTransaction.MAX_ENCODED_LENGTH + 1];
    huge[0] = 0x76;
    assertMalformed(huge);
    byte[] tx = signSender(payment(), SENDER_KEY).encode();
    byte[] eip1559 = tx.clone();
    eip1559[0] = 0x02;
    assertMalformed(eip1559);
    assertMalformed(new byte[0]);
    assertThrows(MalformedMessageException.class, () -> TempoCodec.parse("0x76zz"));
    assertThrows(MalformedMessageException.class, () -> TempoCodec.parse("76c0"));
  }

  @Test
  void deepNestingIsRefusedWithoutStackOverflow() {
    byte[] deep = new byte[1 + 50_000];
    deep[0] = 0x76;
    // 0xc1 0xc1 ... nested single-item lists; lengths are wrong anyway, but depth fails first
    Arrays.fill(deep, 1, deep.length, (byte) 0xc0);
    assertMalformed(deep);
    byte[] nested = new byte[] {(byte) 0xc0};
    for (int i = 0; i < 40; i++) {
      nested = Rlp.encodeList(List.of(nested));
    }
    assertMalformed(concat(new byte[] {0x76}, nested));
  }

  @Test
  void errorMessagesNeverEchoTheInput() throws Exception {
    byte[] tx = signSender(payment(), SENDER_KEY).encode();
    byte[] bad = concat(tx, Hex.decode("deadbeefcafebabe"));
    MalformedMessageException e =
        assertThrows(MalformedMessageException.class, () -> TempoCodec.parse(bad));
    String msg = e.getMessage().toLowerCase(Locale.ROOT);
    assertFalse(msg.contains("deadbeef"));
    assertFalse(msg.contains(Hex.toHexString(tx).substring(0, 16)));
    assertFalse(msg.contains(SENDER_ADDRESS.substring(2, 12)));
  }

  @Test
  void unsignedTransactionCannotBeEncoded() {
    TempoTransaction unsigned = payment().build();
    assertThrows(IllegalStateException.class, unsigned::encode);
    assertNull(unsigned.senderSignature());
    assertThrows(
        IllegalStateException.class, () -> unsigned.feePayerSigningHash(addr(SENDER_ADDRESS)));
    assertThrows(IllegalStateException.class, () -> TempoTransaction.builder().build());
    assertThrows(IllegalArgumentException.class, () -> TempoTransaction.builder().gas(-1));
  }

  private static void assertMalformed(byte[] bytes) {
    assertThrows(MalformedMessageException.class, () -> TempoCodec.parse(bytes));
  }
}
