package io.mpp4j.server.session;

import static io.mpp4j.server.session.ChannelStates.open;
import static io.mpp4j.server.session.ChannelStates.sig;
import static io.mpp4j.server.session.ChannelStates.sigHex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChannelStateTest {
  private static final BigInteger U96 = ChannelState.MAX_AMOUNT;

  private static ChannelState full() {
    return open(5_000_000, 2_000_000)
        .withVoucher(BigInteger.valueOf(3_000_000), sig(7))
        .withSpent(BigInteger.valueOf(1_234_567))
        .withSettledOnChain(BigInteger.valueOf(1_000_000))
        .withCloseRequestedAt(Instant.ofEpochSecond(1_765_000_000L))
        .withUnits(12)
        .withDebt(BigInteger.valueOf(300))
        .withLastActivityAt(Instant.ofEpochSecond(1_765_000_100L));
  }

  @Test
  void decodesARecordOfTheFirstFormatWithNoUnitsDebtActivityOrClose() {
    String first =
        full()
            .encode()
            .replace("mpp4j-session-channel/2", "mpp4j-session-channel/1")
            .replace("\nunits=12\ndebt=300\nlastActivityAt=1765000100\nclosedAt=-", "");
    ChannelState back = ChannelState.decode(first);
    assertEquals(0, back.units());
    assertEquals(BigInteger.ZERO, back.debt());
    assertNull(back.lastActivityAt());
    assertFalse(back.closed());
    assertEquals(full().spent(), back.spent());
    assertEquals(full().withUnits(0).withDebt(BigInteger.ZERO).withLastActivityAt(null), back);
  }

  @Test
  void closedAtAndLastActivityKeepWholeSecondsAndRoundTrip() {
    ChannelState s =
        full().withClosedAt(Instant.ofEpochSecond(1_765_000_200L, 999)).withUnits(Long.MAX_VALUE);
    assertTrue(s.closed());
    assertEquals(Instant.ofEpochSecond(1_765_000_200L), s.closedAt());
    assertEquals(s, ChannelState.decode(s.encode()));
    assertThrows(IllegalArgumentException.class, () -> full().withUnits(-1));
    assertThrows(IllegalArgumentException.class, () -> full().withDebt(U96.add(BigInteger.ONE)));
    assertThrows(
        IllegalArgumentException.class, () -> full().withClosedAt(Instant.ofEpochSecond(0)));
  }

  @Test
  void encodesEveryFieldAndDecodesToAnEqualState() {
    ChannelState s = full();
    String encoded = s.encode();
    assertEquals(
        String.join(
            "\n",
            "mpp4j-session-channel/2",
            "channelId=" + ChannelStates.CHANNEL,
            "escrow=" + ChannelStates.ESCROW,
            "chainId=42431",
            "payer=" + ChannelStates.PAYER,
            "payee=" + ChannelStates.PAYEE,
            "operator=" + ChannelStates.ZERO,
            "token=" + ChannelStates.TOKEN,
            "salt=" + ChannelStates.SALT,
            "authorizedSigner=" + ChannelStates.ZERO,
            "expiringNonceHash=" + ChannelStates.NONCE_HASH,
            "deposit=5000000",
            "settledOnChain=1000000",
            "acceptedCumulative=3000000",
            "spent=1234567",
            "closeRequestedAt=1765000000",
            "voucherSignature=" + sigHex(7),
            "units=12",
            "debt=300",
            "lastActivityAt=1765000100",
            "closedAt=-"),
        encoded);
    ChannelState back = ChannelState.decode(encoded);
    assertEquals(s, back);
    assertArrayEquals(sig(7), back.voucherSignatureBytes());
    assertEquals(BigInteger.valueOf(3_000_000 - 1_234_567), back.available());
    assertTrue(back.closeRequested());
  }

  @Test
  void roundTripsAbsentCloseTimeAndSignatureAndTheLargestAmounts() {
    ChannelState none = open(100, 0);
    assertNull(none.voucherSignatureBytes());
    assertFalse(none.closeRequested());
    assertEquals(none, ChannelState.decode(none.encode()));
    assertTrue(
        none.encode()
            .endsWith(
                "\ncloseRequestedAt=-\nvoucherSignature=-\nunits=0\ndebt=0"
                    + "\nlastActivityAt=-\nclosedAt=-"));

    ChannelState max =
        open(1, 0).withDeposit(U96).withVoucher(U96, sig(2)).withSpent(U96).withSettledOnChain(U96);
    assertEquals(max, ChannelState.decode(max.encode()));
  }

  @Test
  void lowercasesMixedCaseHexSoKeysAndRecordsAreCanonical() {
    ChannelState s =
        new ChannelState(
            ChannelStates.CHANNEL.toUpperCase(Locale.ROOT).replace("0X", "0x"),
            ChannelStates.ESCROW,
            1,
            "0xAbCdEf0000000000000000000000000000000001",
            ChannelStates.PAYEE.toUpperCase(Locale.ROOT).replace("0X", "0x"),
            ChannelStates.ZERO,
            ChannelStates.TOKEN,
            ChannelStates.SALT.toUpperCase(Locale.ROOT).replace("0X", "0x"),
            ChannelStates.ZERO,
            ChannelStates.NONCE_HASH,
            BigInteger.TEN,
            BigInteger.ZERO,
            BigInteger.ONE,
            BigInteger.ZERO,
            null,
            sigHex(0xAB).toUpperCase(Locale.ROOT).replace("0X", "0x"));
    assertEquals(ChannelStates.CHANNEL, s.channelId());
    assertEquals("0xabcdef0000000000000000000000000000000001", s.payer());
    assertEquals(sigHex(0xAB), s.voucherSignature());
    assertEquals(s, ChannelState.decode(s.encode()));
  }

  @Test
  void constructorRefusesBrokenInvariants() {
    ChannelState ok = open(100, 50);
    BigInteger over = U96.add(BigInteger.ONE);
    assertThrows(IllegalArgumentException.class, () -> ok.withSpent(BigInteger.valueOf(51)));
    assertThrows(IllegalArgumentException.class, () -> ok.withSpent(BigInteger.valueOf(-1)));
    assertThrows(
        IllegalArgumentException.class, () -> ok.withVoucher(BigInteger.valueOf(101), sig(1)));
    assertThrows(IllegalArgumentException.class, () -> ok.withDeposit(BigInteger.valueOf(49)));
    assertThrows(IllegalArgumentException.class, () -> ok.withDeposit(over));
    assertThrows(
        IllegalArgumentException.class, () -> ok.withSettledOnChain(BigInteger.valueOf(51)));
    assertThrows(
        IllegalArgumentException.class, () -> ok.withVoucher(BigInteger.valueOf(60), new byte[64]));
    assertThrows(
        IllegalArgumentException.class,
        () -> ok.withCloseRequestedAt(Instant.ofEpochSecond(10, 5)));
    assertThrows(
        IllegalArgumentException.class, () -> ok.withCloseRequestedAt(Instant.ofEpochSecond(0)));
    assertThrows(
        IllegalArgumentException.class,
        () -> ok.withCloseRequestedAt(Instant.ofEpochSecond(0x1_0000_0000L)));
    // an accepted amount without its signature
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new ChannelState(
                ok.channelId(),
                ok.escrow(),
                ok.chainId(),
                ok.payer(),
                ok.payee(),
                ok.operator(),
                ok.token(),
                ok.salt(),
                ok.authorizedSigner(),
                ok.expiringNonceHash(),
                ok.deposit(),
                ok.settledOnChain(),
                ok.acceptedCumulative(),
                ok.spent(),
                null,
                null));
    // a malformed address
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new ChannelState(
                ok.channelId(),
                ok.escrow(),
                ok.chainId(),
                "0x1234",
                ok.payee(),
                ok.operator(),
                ok.token(),
                ok.salt(),
                ok.authorizedSigner(),
                ok.expiringNonceHash(),
                ok.deposit(),
                ok.settledOnChain(),
                ok.acceptedCumulative(),
                ok.spent(),
                null,
                ok.voucherSignature()));
  }

  @Test
  void toStringLeavesTheSignatureOut() {
    ChannelState s = full();
    assertFalse(s.toString().contains(sigHex(7).substring(2, 20)), s.toString());
    assertTrue(s.toString().contains("spent=1234567"));
  }

  /** Each variant replaces one line of a valid record (or the whole record). */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "FORMAT=mpp4j-session-channel/3",
        "FORMAT=mpp4j-session-channel/1", // the first format has 16 fields, not 20
        "FORMAT=MPP4J-SESSION-CHANNEL/2",
        "units=-1",
        "units=012",
        "units=9223372036854775808",
        "units=10000000000000000000",
        "debt=79228162514264337593543950336",
        "debt=-",
        "lastActivityAt=0",
        "lastActivityAt=1e9",
        "closedAt=",
        "closedAt=0",
        "deposit=05000000",
        "deposit=-1",
        "deposit=+5000000",
        "deposit=5e6",
        "deposit= 5000000",
        "deposit=79228162514264337593543950336", // 2^96
        "deposit=1", // below acceptedCumulative
        "spent=3000001", // above acceptedCumulative
        "settledOnChain=3000001",
        "chainId=0",
        "chainId=99999999999999999999",
        "payer=0x1111111111111111111111111111111111111111a",
        "payer=0x111111111111111111111111111111111111111G",
        "payer=0xABCDEF0000000000000000000000000000000001",
        "salt=0xAA" + "aa",
        "channelId=0x5f7dd969ac058d541821f48506d951ca17ba8e21046ef96c1edd760241185410z",
        "closeRequestedAt=0",
        "closeRequestedAt=",
        "closeRequestedAt=4294967296",
        "closeRequestedAt=2026-12-08T00:00:00Z",
        "voucherSignature=",
        "voucherSignature=0x00",
        "voucherSignature=-", // accepted > 0 without a signature
        "spent=1\nspent=1",
        "extra=1",
        "renamed=1234567",
        "REORDER",
        "TRAILING_NEWLINE",
        "CRLF",
        "EMPTY",
      })
  void decodeRefusesAnyMalformedRecord(String variant) {
    String good = full().encode();
    String bad = mutate(good, variant);
    MalformedChannelStateException e =
        assertThrows(MalformedChannelStateException.class, () -> ChannelState.decode(bad));
    assertFalse(e.getMessage().contains(sigHex(7).substring(2)), "no signature in the message");
  }

  /**
   * The edges of the hand-written hex and decimal checks that replaced the regular expressions:
   * each value is refused, as the expressions refused it.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "payer=0X1111111111111111111111111111111111111111",
        "payer=1x1111111111111111111111111111111111111111",
        "payer=0x111111111111111111111111111111111111111",
        "payer=0x",
        "payer=",
        "payer=0x111111111111111111111111111111111111111/",
        "payer=0x111111111111111111111111111111111111111:",
        "payer=0x111111111111111111111111111111111111111`",
        "payer=0x111111111111111111111111111111111111111@",
        "salt=0xaa\u0661aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "voucherSignature=0x"
            + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
            + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "voucherSignature=0x"
            + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
            + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "voucherSignature=0x"
            + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
            + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "deposit=",
        "deposit=00",
        "deposit=\u0665",
        "deposit=5000000/",
        "deposit=:",
        "units=",
        "chainId=",
        "chainId=00",
        "debt=100000000000000000000000000000", // 30 digits
      })
  void decodeRefusesHexAndDecimalEdges(String variant) {
    String good = full().encode();
    String bad = mutate(good, variant);
    assertThrows(MalformedChannelStateException.class, () -> ChannelState.decode(bad));
  }

  /** The upper bound of a decimal field: 29 digits pass the form check, then the range check. */
  @Test
  void decodeReadsTwentyNineDigitsAsARangeError() {
    String bad = mutate(full().encode(), "debt=" + "9".repeat(29));
    MalformedChannelStateException e =
        assertThrows(MalformedChannelStateException.class, () -> ChannelState.decode(bad));
    assertTrue(e.getMessage().contains("uint96"), e.getMessage());
  }

  private static String mutate(String good, String variant) {
    switch (variant) {
      case "REORDER":
        return good.replace("spent=1234567\n", "").replace("deposit=", "spent=1234567\ndeposit=");
      case "TRAILING_NEWLINE":
        return good + "\n";
      case "CRLF":
        return good.replace("\n", "\r\n");
      case "EMPTY":
        return "";
      case "extra=1":
        return good + "\nextra=1";
      case "renamed=1234567":
        return good.replace("spent=1234567", "renamed=1234567");
      default:
        break;
    }
    if (variant.startsWith("FORMAT=")) {
      return good.replace("mpp4j-session-channel/2", variant.substring(7));
    }
    String name = variant.substring(0, variant.indexOf('='));
    String[] lines = good.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].startsWith(name + "=")) {
        lines[i] = variant;
      }
    }
    String out = String.join("\n", lines);
    if (out.equals(good)) {
      throw new AssertionError("variant changed nothing: " + variant);
    }
    return out;
  }
}
