package io.mpp4j.tempo;

import static io.mpp4j.tempo.Fixtures.ALPHA_USD;
import static io.mpp4j.tempo.Fixtures.PATH_USD;
import static io.mpp4j.tempo.Fixtures.RECIPIENT;
import static io.mpp4j.tempo.Fixtures.addr;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpp4j.core.MalformedMessageException;
import io.mpp4j.tempo.internal.AttributionMemo;
import io.mpp4j.tempo.internal.Keccak;
import io.mpp4j.tempo.internal.Tip20Call;
import io.mpp4j.tempo.internal.Tip20Transfer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;

class Tip20Test {
  private static final Address SENDER = addr(Fixtures.SENDER_ADDRESS);
  private static final byte[] MEMO = AttributionMemo.of("api.example.com", "c1").toBytes();

  private static int selector(String sig) {
    byte[] h = Keccak.hash(sig.getBytes(StandardCharsets.US_ASCII));
    return ((h[0] & 0xff) << 24) | ((h[1] & 0xff) << 16) | ((h[2] & 0xff) << 8) | (h[3] & 0xff);
  }

  @Test
  void selectorsAndTopicsAreTheKeccakOfTheSignatures() {
    assertEquals(selector("transfer(address,uint256)"), Tip20Call.TRANSFER_SELECTOR);
    assertEquals(
        selector("transferWithMemo(address,uint256,bytes32)"),
        Tip20Call.TRANSFER_WITH_MEMO_SELECTOR);
    assertEquals(
        Tip20Transfer.TRANSFER_TOPIC,
        "0x"
            + Hex.toHexString(
                Keccak.hash("Transfer(address,address,uint256)".getBytes(StandardCharsets.UTF_8))));
    assertEquals(
        Tip20Transfer.TRANSFER_WITH_MEMO_TOPIC,
        "0x"
            + Hex.toHexString(
                Keccak.hash(
                    "TransferWithMemo(address,address,uint256,bytes32)"
                        .getBytes(StandardCharsets.UTF_8))));
  }

  @Test
  void callsRoundTripAndMatchWeb3jAbi() throws Exception {
    BigInteger amount = BigInteger.valueOf(1_000_000);
    Tip20Call plain = Tip20Call.transfer(RECIPIENT, amount);
    Tip20Call memo = Tip20Call.transferWithMemo(RECIPIENT, amount, MEMO);
    // Expected ABI encodings written out by hand: selector, left-padded address, uint256, bytes32.
    String word = "000000000000000000000000742d35cc6634c0532925a3b844bc9e7595f8fe00";
    String amountWord = "00000000000000000000000000000000000000000000000000000000000f4240";
    assertEquals("a9059cbb" + word + amountWord, Hex.toHexString(plain.encode()));
    assertEquals(
        "95777d59" + word + amountWord + Hex.toHexString(MEMO), Hex.toHexString(memo.encode()));

    assertEquals(plain, Tip20Call.decode(plain.encode()).orElseThrow());
    Tip20Call back = Tip20Call.decode(memo.encode()).orElseThrow();
    assertEquals(memo, back);
    assertArrayEquals(MEMO, back.memo());
    assertNull(Tip20Call.decode(plain.encode()).orElseThrow().memo());
  }

  @Test
  void strictAbi() throws Exception {
    byte[] ok = Tip20Call.transfer(RECIPIENT, BigInteger.TEN).encode();
    assertThrows(MalformedMessageException.class, () -> Tip20Call.decode(Arrays.copyOf(ok, 69)));
    assertThrows(MalformedMessageException.class, () -> Tip20Call.decode(Arrays.copyOf(ok, 67)));
    byte[] dirtyPadding = ok.clone();
    dirtyPadding[5] = 1;
    assertThrows(MalformedMessageException.class, () -> Tip20Call.decode(dirtyPadding));
    byte[] memoCall = Tip20Call.transferWithMemo(RECIPIENT, BigInteger.TEN, MEMO).encode();
    assertThrows(
        MalformedMessageException.class, () -> Tip20Call.decode(Arrays.copyOf(memoCall, 68)));
    // approve(address,uint256) and short data are simply not transfers
    byte[] approve = ok.clone();
    System.arraycopy(Hex.decode("095ea7b3"), 0, approve, 0, 4);
    assertTrue(Tip20Call.decode(approve).isEmpty());
    assertTrue(Tip20Call.decode(new byte[3]).isEmpty());
  }

  private static byte[] topic(Address a) {
    byte[] t = new byte[32];
    System.arraycopy(a.toBytes(), 0, t, 12, 20);
    return t;
  }

  private static byte[] amount(long v) {
    return org.bouncycastle.util.BigIntegers.asUnsignedByteArray(32, BigInteger.valueOf(v));
  }

  @Test
  void logsAreReadAndMatched() {
    byte[] transfer = Hex.decode(Tip20Transfer.TRANSFER_TOPIC.substring(2));
    byte[] withMemo = Hex.decode(Tip20Transfer.TRANSFER_WITH_MEMO_TOPIC.substring(2));
    Tip20Transfer t =
        Tip20Transfer.fromLog(
                3, ALPHA_USD, List.of(transfer, topic(SENDER), topic(RECIPIENT)), amount(1_000_000))
            .orElseThrow();
    assertTrue(t.matches(ALPHA_USD, SENDER, RECIPIENT, BigInteger.valueOf(1_000_000), null));
    assertFalse(t.matches(PATH_USD, SENDER, RECIPIENT, BigInteger.valueOf(1_000_000), null));
    assertFalse(t.matches(ALPHA_USD, SENDER, RECIPIENT, BigInteger.valueOf(999_999), null));
    assertFalse(t.matches(ALPHA_USD, SENDER, RECIPIENT, BigInteger.valueOf(1_000_000), MEMO));

    Tip20Transfer m =
        Tip20Transfer.fromLog(
                4,
                ALPHA_USD,
                List.of(withMemo, topic(SENDER), topic(RECIPIENT), MEMO),
                amount(1_000_000))
            .orElseThrow();
    assertTrue(m.matches(ALPHA_USD, SENDER, RECIPIENT, BigInteger.valueOf(1_000_000), MEMO));
    assertTrue(m.matches(ALPHA_USD, SENDER, RECIPIENT, BigInteger.valueOf(1_000_000), null));

    Tip20Transfer fee =
        Tip20Transfer.fromLog(
                5,
                ALPHA_USD,
                List.of(transfer, topic(SENDER), topic(addr(Tip20Transfer.FEE_MANAGER))),
                amount(12))
            .orElseThrow();
    List<Tip20Transfer> collapsed = Tip20Transfer.collapseMemoPairs(List.of(t, m, fee));
    assertEquals(List.of(m, fee), collapsed);
    // not adjacent: both stay
    Tip20Transfer far =
        new Tip20Transfer(9, ALPHA_USD, SENDER, RECIPIENT, BigInteger.valueOf(1_000_000), MEMO);
    assertEquals(2, Tip20Transfer.collapseMemoPairs(List.of(t, far)).size());

    // malformed logs are not transfers
    assertTrue(
        Tip20Transfer.fromLog(1, ALPHA_USD, List.of(transfer, topic(SENDER)), amount(1)).isEmpty());
    byte[] dirty = topic(SENDER);
    dirty[0] = 1;
    assertTrue(
        Tip20Transfer.fromLog(1, ALPHA_USD, List.of(transfer, dirty, topic(RECIPIENT)), amount(1))
            .isEmpty());
    assertTrue(
        Tip20Transfer.fromLog(
                1, ALPHA_USD, List.of(transfer, topic(SENDER), topic(RECIPIENT)), new byte[31])
            .isEmpty());
    assertTrue(
        Tip20Transfer.fromLog(
                1, ALPHA_USD, List.of(new byte[32], topic(SENDER), topic(RECIPIENT)), amount(1))
            .isEmpty());
  }
}
