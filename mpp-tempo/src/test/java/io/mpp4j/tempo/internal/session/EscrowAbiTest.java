package io.mpp4j.tempo.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mpp4j.core.MalformedMessageException;
import io.mpp4j.tempo.Address;
import io.mpp4j.tempo.internal.Hex;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/**
 * The channel reserve calls the server sends and reads, byte for byte against the calldata the
 * reference client's ABI (mppx 0.11.0 {@code escrowAbi} with viem's {@code encodeFunctionData})
 * produces for the same arguments, and strict decoding of what it receives.
 */
class EscrowAbiTest {
  static final ChannelDescriptor D =
      new ChannelDescriptor(
          address("0x1111111111111111111111111111111111111111"),
          address("0x742d35cc6634c0532925a3b844bc9e7595f8fe00"),
          address("0x70997970c51812dc3a010c7d01b50e0d17dc79c8"),
          address("0x20c0000000000000000000000000000000000001"),
          Bytes32.of(Hex.decodeUnchecked("0x" + "aa".repeat(32))),
          ChannelDescriptor.ZERO,
          Bytes32.of(Hex.decodeUnchecked("0x" + "bb".repeat(32))));
  static final byte[] SIGNATURE =
      Hex.decodeUnchecked("0x" + "11".repeat(32) + "22".repeat(32) + "1b");

  static final String SETTLE =
      "0x97fb51040000000000000000000000001111111111111111111111111111111111111111000000"
          + "000000000000000000742d35cc6634c0532925a3b844bc9e7595f8fe000000000000000000000000"
          + "0070997970c51812dc3a010c7d01b50e0d17dc79c800000000000000000000000020c00000000000"
          + "00000000000000000000000001aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
          + "aaaaaaaaaa0000000000000000000000000000000000000000000000000000000000000000bbbbbb"
          + "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb0000000000000000000000"
          + "00000000000000000000000000000000000001e24000000000000000000000000000000000000000"
          + "00000000000000000000000120000000000000000000000000000000000000000000000000000000"
          + "00000000411111111111111111111111111111111111111111111111111111111111111111222222"
          + "22222222222222222222222222222222222222222222222222222222221b00000000000000000000"
          + "000000000000000000000000000000000000000000";
  static final String CLOSE =
      "0x73b57f740000000000000000000000001111111111111111111111111111111111111111000000"
          + "000000000000000000742d35cc6634c0532925a3b844bc9e7595f8fe000000000000000000000000"
          + "0070997970c51812dc3a010c7d01b50e0d17dc79c800000000000000000000000020c00000000000"
          + "00000000000000000000000001aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
          + "aaaaaaaaaa0000000000000000000000000000000000000000000000000000000000000000bbbbbb"
          + "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb0000000000000000000000"
          + "00000000000000000000000000000000000001e24000000000000000000000000000000000000000"
          + "000000000000000000000186a0000000000000000000000000000000000000000000000000000000"
          + "00000001400000000000000000000000000000000000000000000000000000000000000041111111"
          + "11111111111111111111111111111111111111111111111111111111112222222222222222222222"
          + "2222222222222222222222222222222222222222221b000000000000000000000000000000000000"
          + "00000000000000000000000000";
  static final String TOP_UP =
      "0xdc48471e0000000000000000000000001111111111111111111111111111111111111111000000"
          + "000000000000000000742d35cc6634c0532925a3b844bc9e7595f8fe000000000000000000000000"
          + "0070997970c51812dc3a010c7d01b50e0d17dc79c800000000000000000000000020c00000000000"
          + "00000000000000000000000001aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
          + "aaaaaaaaaa0000000000000000000000000000000000000000000000000000000000000000bbbbbb"
          + "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb0000000000000000000000"
          + "0000000000000000000000000000000000004c4b40";
  static final String GET_CHANNEL =
      "0xeef953130000000000000000000000001111111111111111111111111111111111111111000000"
          + "000000000000000000742d35cc6634c0532925a3b844bc9e7595f8fe000000000000000000000000"
          + "0070997970c51812dc3a010c7d01b50e0d17dc79c800000000000000000000000020c00000000000"
          + "00000000000000000000000001aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
          + "aaaaaaaaaa0000000000000000000000000000000000000000000000000000000000000000bbbbbb"
          + "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

  static final String OPEN =
      "0xedc53b00000000000000000000000000742d35cc6634c0532925a3b844bc9e7595f8fe00000000"
          + "00000000000000000070997970c51812dc3a010c7d01b50e0d17dc79c80000000000000000000000"
          + "0020c000000000000000000000000000000000000100000000000000000000000000000000000000"
          + "000000000000000000000f4240aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
          + "aaaaaaaaaa0000000000000000000000001111111111111111111111111111111111111111";

  @Test
  void openEncodesAsTheReferenceClientDoesAndDecodesBack() throws Exception {
    EscrowAbi.OpenCall call =
        new EscrowAbi.OpenCall(
            D.payee(), D.operator(), D.token(), BigInteger.valueOf(1_000_000), D.salt(), D.payer());
    assertEquals(OPEN, Hex.encode(EscrowAbi.encodeOpen(call)));
    assertEquals(call, EscrowAbi.decodeOpen(Hex.decodeUnchecked(OPEN)));
  }

  static Address address(String hex) {
    try {
      return Address.parse(hex);
    } catch (MalformedMessageException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void settleCloseTopUpAndGetChannelEncodeAsTheReferenceClientDoes() {
    assertEquals(
        SETTLE, Hex.encode(EscrowAbi.encodeSettle(D, BigInteger.valueOf(123456), SIGNATURE)));
    assertEquals(
        CLOSE,
        Hex.encode(
            EscrowAbi.encodeClose(
                D, BigInteger.valueOf(123456), BigInteger.valueOf(100000), SIGNATURE)));
    assertEquals(TOP_UP, Hex.encode(EscrowAbi.encodeTopUp(D, BigInteger.valueOf(5_000_000))));
    assertEquals(GET_CHANNEL, Hex.encode(EscrowAbi.encodeGetChannel(D)));
  }

  @Test
  void topUpDecodesStrictly() throws Exception {
    EscrowAbi.TopUpCall call = EscrowAbi.decodeTopUp(Hex.decodeUnchecked(TOP_UP));
    assertEquals(D, call.descriptor());
    assertEquals(BigInteger.valueOf(5_000_000), call.additionalDeposit());
    byte[] padded = Hex.decodeUnchecked(TOP_UP);
    padded[4] = 1; // non-zero address padding
    assertThrows(MalformedMessageException.class, () -> EscrowAbi.decodeTopUp(padded));
    byte[] big = Hex.decodeUnchecked(TOP_UP);
    big[4 + 7 * 32 + 19] = 1; // above uint96
    assertThrows(MalformedMessageException.class, () -> EscrowAbi.decodeTopUp(big));
    assertThrows(
        MalformedMessageException.class,
        () -> EscrowAbi.decodeTopUp(Hex.decodeUnchecked(TOP_UP + "00")));
    assertThrows(
        MalformedMessageException.class,
        () -> EscrowAbi.decodeTopUp(Hex.decodeUnchecked(GET_CHANNEL)));
  }

  @Test
  void getChannelAnswersDecodeStrictly() throws Exception {
    byte[] ret = new byte[10 * 32];
    byte[] args = Hex.decodeUnchecked(GET_CHANNEL);
    System.arraycopy(args, 4, ret, 0, 7 * 32);
    ret[7 * 32 + 31] = 5; // settled
    ret[8 * 32 + 31] = 9; // deposit
    ret[9 * 32 + 31] = 1; // closeRequestedAt
    EscrowAbi.ChannelRead read = EscrowAbi.decodeGetChannel(ret);
    assertEquals(D, read.descriptor());
    assertEquals(BigInteger.valueOf(5), read.settled());
    assertEquals(BigInteger.valueOf(9), read.deposit());
    assertEquals(1, read.closeRequestedAt());
    byte[] longer = new byte[11 * 32];
    assertThrows(MalformedMessageException.class, () -> EscrowAbi.decodeGetChannel(longer));
    ret[9 * 32 + 27] = 1; // closeRequestedAt above uint32
    assertThrows(MalformedMessageException.class, () -> EscrowAbi.decodeGetChannel(ret));
  }
}
