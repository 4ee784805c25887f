package io.mpp4j.tempo.chain;

import static io.mpp4j.tempo.chain.AnvilChain.ALPHA_USD;
import static io.mpp4j.tempo.chain.AnvilChain.PATH_USD;
import static io.mpp4j.tempo.chain.ReserveChain.RESERVE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mpp4j.tempo.Address;
import io.mpp4j.tempo.internal.Secp256k1;
import io.mpp4j.tempo.internal.SigningKey;
import io.mpp4j.tempo.internal.TempoCall;
import io.mpp4j.tempo.internal.TempoTransaction;
import io.mpp4j.tempo.internal.session.Bytes32;
import io.mpp4j.tempo.internal.session.ChannelDescriptor;
import io.mpp4j.tempo.internal.session.VoucherDomain;
import java.math.BigInteger;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The channel-reserve stand-in and the JSON-RPC shim on a real anvil: the SPEC 11.3 selectors,
 * topics and domain separator, and a channel's life (open, top-up, settle, close) with exact
 * balances, checked against mpp-tempo's own session cryptography ({@link ChannelDescriptor}, {@link
 * VoucherDomain}), plus the refusals a faithful reserve must make.
 */
@ReserveChainTest
class ChannelReserveChainTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final BigInteger USD = BigInteger.valueOf(1_000_000);

  /** Enough for the fees of approve + open + top-ups (the payer pays in the channel's token). */
  private static final BigInteger FEES = BigInteger.valueOf(200_000);

  @Test
  void artifactHasTheSpecSelectorsAndEventTopics() throws Exception {
    JsonNode artifact = JSON.readTree(Files.readString(ReserveChain.findArtifact().orElseThrow()));
    assertTrue(
        artifact.path("compiler").asText().startsWith("0.8.37+"),
        artifact.path("compiler").toString());
    assertEquals("cancun", artifact.path("settings").path("evmVersion").asText());
    assertTrue(artifact.path("settings").path("optimizer").path("enabled").asBoolean());
    Map<String, String> spec =
        Map.of(
            "open(address,address,address,uint96,bytes32,address)", ReserveAbi.OPEN,
            "settle((address,address,address,address,bytes32,address,bytes32),uint96,bytes)",
                ReserveAbi.SETTLE,
            "topUp((address,address,address,address,bytes32,address,bytes32),uint96)",
                ReserveAbi.TOP_UP,
            "close((address,address,address,address,bytes32,address,bytes32),uint96,uint96,bytes)",
                ReserveAbi.CLOSE,
            "requestClose((address,address,address,address,bytes32,address,bytes32))",
                ReserveAbi.REQUEST_CLOSE,
            "withdraw((address,address,address,address,bytes32,address,bytes32))",
                ReserveAbi.WITHDRAW,
            "getChannel((address,address,address,address,bytes32,address,bytes32))",
                ReserveAbi.GET_CHANNEL,
            "getChannelState(bytes32)", ReserveAbi.GET_CHANNEL_STATE);
    JsonNode ids = artifact.path("methodIdentifiers");
    for (Map.Entry<String, String> e : spec.entrySet()) {
      assertEquals(e.getValue(), ids.path(e.getKey()).asText(), e.getKey());
      assertEquals(e.getValue(), ReserveAbi.selector(e.getKey()), e.getKey());
    }
    for (String f :
        List.of(
            "getChannelStatesBatch(bytes32[])",
            "computeChannelId(address,address,address,address,bytes32,address,bytes32)",
            "getVoucherDigest(bytes32,uint96)",
            "domainSeparator()",
            "VOUCHER_TYPEHASH()",
            "CLOSE_GRACE_PERIOD()")) {
      assertEquals(ReserveAbi.selector(f), ids.path(f).asText(), f);
    }
    Map<String, String> events =
        Map.of(
            "ChannelOpened", ReserveAbi.CHANNEL_OPENED,
            "Settled", ReserveAbi.SETTLED,
            "TopUp", ReserveAbi.TOPPED_UP,
            "ChannelClosed", ReserveAbi.CHANNEL_CLOSED);
    int seen = 0;
    for (JsonNode item : artifact.path("abi")) {
      if (!"event".equals(item.path("type").asText())) {
        continue;
      }
      StringBuilder sig = new StringBuilder(item.path("name").asText()).append('(');
      int indexed = 0;
      for (JsonNode in : item.path("inputs")) {
        sig.append(sig.charAt(sig.length() - 1) == '(' ? "" : ",").append(in.path("type").asText());
        indexed += in.path("indexed").asBoolean() ? 1 : 0;
      }
      sig.append(')');
      assertEquals(3, indexed, "channelId, payer and payee are indexed in " + sig);
      String expected = events.get(item.path("name").asText());
      if (expected != null) {
        assertEquals(expected, ReserveAbi.topic(sig.toString()), sig.toString());
        seen++;
      }
    }
    assertEquals(4, seen);
  }

  @Test
  void domainSeparatorTypehashGraceAndDigestsMatchSpecAndTheJavaCode(ReserveChain chain) {
    byte[] separator = chain.call(ReserveAbi.noArgs("domainSeparator()"));
    assertEquals(
        "0xa3aa475070603a80823360e5a4a0d3b4fe2cd4e82a109ee3c21a4640a199688d",
        AnvilChain.hex(separator));
    assertArrayEquals(chain.voucherDomain().separator(), separator);
    assertEquals(
        "0x4730b4b2fe8de522475e80e010877c5b58ad10eb07fd0436615ee123f743bbe8",
        AnvilChain.hex(chain.call(ReserveAbi.noArgs("VOUCHER_TYPEHASH()"))));
    assertEquals(
        BigInteger.valueOf(ReserveAbi.CLOSE_GRACE_PERIOD),
        new BigInteger(1, chain.call(ReserveAbi.noArgs("CLOSE_GRACE_PERIOD()"))));

    // SPEC 11.3's channel id vector
    ChannelDescriptor vector =
        new ChannelDescriptor(
            AnvilChain.address("0x1111111111111111111111111111111111111111"),
            AnvilChain.address("0x742d35cc6634c0532925a3b844bc9e7595f8fe00"),
            ChannelDescriptor.ZERO,
            PATH_USD,
            Bytes32.of(filled(0xaa)),
            ChannelDescriptor.ZERO,
            Bytes32.of(filled(0xbb)));
    assertEquals(
        "0x4f7dd969ac058d541821f48506d951ca17ba8e21046ef96c1edd760241185410",
        AnvilChain.hex(chain.call(ReserveAbi.computeChannelId(vector))));
    Bytes32 id = vector.channelId(RESERVE, AnvilChain.CHAIN_ID);
    BigInteger amount = new BigInteger("123456789012345678901234567");
    assertArrayEquals(
        chain.voucherDomain().digest(id, amount),
        chain.call(ReserveAbi.getVoucherDigest(id, amount)));
  }

  @Test
  void openEmitsChannelOpenedWithTheDescriptorsChannelIdAndEscrowsTheDeposit(ReserveChain chain) {
    SigningKey payer = chain.fundedPayer(ALPHA_USD, USD.add(FEES));
    Address payee = AnvilChain.randomKey().address();
    Address operator = AnvilChain.randomKey().address();
    chain.approveReserve(payer, ALPHA_USD);
    BigInteger before = chain.balanceOf(ALPHA_USD, payer.address());
    BigInteger reserveBefore = chain.balanceOf(ALPHA_USD, RESERVE);
    int opens = chain.shim().opensForwarded();

    ReserveChain.Opened ch = chain.open(payer, payee, operator, ALPHA_USD, USD);

    assertEquals(opens + 1, chain.shim().opensForwarded());
    List<ReserveChain.Log> logs = ReserveChain.reserveLogs(ch.receipt());
    assertEquals(1, logs.size(), logs.toString());
    ReserveChain.Log opened = logs.get(0);
    assertEquals(ReserveAbi.CHANNEL_OPENED, opened.topic0());
    assertEquals(ch.channelId().toHex(), opened.topics().get(1));
    assertEquals(AnvilChain.hex(ReserveAbi.word(payer.address())), opened.topics().get(2));
    assertEquals(AnvilChain.hex(ReserveAbi.word(payee)), opened.topics().get(3));
    byte[] data = opened.data();
    assertEquals(operator, ReserveAbi.address(data, 0));
    assertEquals(ALPHA_USD, ReserveAbi.address(data, 1));
    assertEquals(ChannelDescriptor.ZERO, ReserveAbi.address(data, 2));
    assertEquals(ch.descriptor().salt(), ReserveAbi.bytes32(data, 3));
    assertEquals(ch.descriptor().expiringNonceHash(), ReserveAbi.bytes32(data, 4));
    assertEquals(USD, ReserveAbi.uint(data, 5));

    assertEquals(
        new ReserveAbi.ChannelState(BigInteger.ZERO, USD, 0), chain.channel(ch.descriptor()));
    assertEquals(chain.channel(ch.descriptor()), chain.channelState(ch.channelId()));
    assertEquals(
        before.subtract(USD).subtract(ch.receipt().feeBaseUnits()),
        chain.balanceOf(ALPHA_USD, payer.address()));
    assertEquals(reserveBefore.add(USD), chain.balanceOf(ALPHA_USD, RESERVE));
  }

  @Test
  void topUpSettleAndCloseByTheOperatorPayThePayeeExactlyTheCapture(ReserveChain chain) {
    SigningKey payer = chain.fundedPayer(ALPHA_USD, USD.multiply(BigInteger.TWO).add(FEES));
    Address payee = AnvilChain.randomKey().address(); // cold: never sends a transaction
    SigningKey operator = AnvilChain.randomKey();
    chain.fundOperator(operator.address(), USD);
    chain.approveReserve(payer, ALPHA_USD);
    ReserveChain.Opened ch = chain.open(payer, payee, operator.address(), ALPHA_USD, USD);
    ChannelDescriptor d = ch.descriptor();
    BigInteger half = USD.divide(BigInteger.TWO);

    AnvilChain.Receipt topUp = chain.callReserve(payer, ReserveAbi.topUp(d, half), ALPHA_USD);
    assertEquals(1, topUp.status(), topUp.toString());
    ReserveChain.Log t = ReserveChain.reserveLogs(topUp).get(0);
    assertEquals(ReserveAbi.TOPPED_UP, t.topic0());
    assertEquals(ch.channelId().toHex(), t.topics().get(1));
    assertEquals(
        List.of(half, USD.add(half)),
        List.of(ReserveAbi.uint(t.data(), 0), ReserveAbi.uint(t.data(), 1)));
    assertEquals(USD.add(half), chain.channel(d).deposit());

    BigInteger firstVoucher = BigInteger.valueOf(300_000);
    AnvilChain.Receipt settle =
        chain.callReserve(
            operator,
            ReserveAbi.settle(
                d, firstVoucher, chain.signVoucher(payer, ch.channelId(), firstVoucher)),
            PATH_USD);
    assertEquals(1, settle.status(), settle.toString());
    ReserveChain.Log s = ReserveChain.reserveLogs(settle).get(0);
    assertEquals(ReserveAbi.SETTLED, s.topic0());
    assertEquals(
        List.of(firstVoucher, firstVoucher, firstVoucher),
        List.of(
            ReserveAbi.uint(s.data(), 0),
            ReserveAbi.uint(s.data(), 1),
            ReserveAbi.uint(s.data(), 2)));
    assertEquals(firstVoucher, chain.balanceOf(ALPHA_USD, payee));
    assertEquals(firstVoucher, chain.channel(d).settled());

    // the payer signed 700,000; the server consumed 600,000 and captures exactly that
    BigInteger cumulative = BigInteger.valueOf(700_000);
    BigInteger spent = BigInteger.valueOf(600_000);
    BigInteger payerBefore = chain.balanceOf(ALPHA_USD, payer.address());
    AnvilChain.Receipt close =
        chain.callReserve(
            operator,
            ReserveAbi.close(
                d, cumulative, spent, chain.signVoucher(payer, ch.channelId(), cumulative)),
            PATH_USD);
    assertEquals(1, close.status(), close.toString());
    ReserveChain.Log c = ReserveChain.reserveLogs(close).get(0);
    assertEquals(ReserveAbi.CHANNEL_CLOSED, c.topic0());
    BigInteger refund = USD.add(half).subtract(spent);
    assertEquals(
        List.of(spent.subtract(firstVoucher), refund),
        List.of(ReserveAbi.uint(c.data(), 0), ReserveAbi.uint(c.data(), 1)));
    assertEquals(
        spent, chain.balanceOf(ALPHA_USD, payee), "the payee holds exactly what was spent");
    assertEquals(payerBefore.add(refund), chain.balanceOf(ALPHA_USD, payer.address()));
    assertEquals(
        new ReserveAbi.ChannelState(BigInteger.ZERO, BigInteger.ZERO, 0), chain.channel(d));
    // the operator paid the fees, in pathUSD
    assertEquals(
        USD.subtract(settle.feeBaseUnits()).subtract(close.feeBaseUnits()),
        chain.balanceOf(PATH_USD, operator.address()));

    // closed for good: no settle, no second close
    AnvilChain.Receipt again =
        chain.callReserve(
            operator,
            ReserveAbi.close(
                d, cumulative, spent, chain.signVoucher(payer, ch.channelId(), cumulative)),
            PATH_USD);
    assertEquals(0, again.status());
    assertEquals(spent, chain.balanceOf(ALPHA_USD, payee));
  }

  @Test
  void refusesForeignHighSAboveDepositAndStrangerVouchersWithTheSpecErrors(ReserveChain chain) {
    SigningKey payer = chain.fundedPayer(ALPHA_USD, USD.add(FEES));
    Address payee = AnvilChain.randomKey().address();
    SigningKey operator = AnvilChain.randomKey();
    SigningKey stranger = AnvilChain.randomKey();
    chain.fundOperator(operator.address(), USD);
    chain.fundOperator(stranger.address(), USD);
    chain.approveReserve(payer, ALPHA_USD);
    ReserveChain.Opened ch = chain.open(payer, payee, operator.address(), ALPHA_USD, USD);
    ChannelDescriptor d = ch.descriptor();
    Bytes32 id = ch.channelId();
    BigInteger amount = BigInteger.valueOf(400_000);
    byte[] good = chain.signVoucher(payer, id, amount);

    // a voucher signed by another key
    byte[] foreign = chain.signVoucher(stranger, id, amount);
    assertReverts(chain, operator, ReserveAbi.settle(d, amount, foreign), "InvalidSignature()");
    // the same signature with s' = n - s and the other v: valid ECDSA, refused for high s
    byte[] highS = highS(good);
    assertEquals(payer.address(), recover(chain.voucherDomain().digest(id, amount), highS));
    assertReverts(chain, operator, ReserveAbi.settle(d, amount, highS), "InvalidSignature()");
    // above the deposit, correctly signed
    BigInteger tooMuch = USD.add(BigInteger.ONE);
    assertReverts(
        chain,
        operator,
        ReserveAbi.settle(d, tooMuch, chain.signVoucher(payer, id, tooMuch)),
        "AmountExceedsDeposit()");
    // close by a stranger, with a good voucher
    assertReverts(
        chain, stranger, ReserveAbi.close(d, amount, amount, good), "NotPayeeOrOperator()");
    // capture above the voucher
    assertReverts(
        chain,
        operator,
        ReserveAbi.close(d, amount, amount.add(BigInteger.ONE), good),
        "CaptureAmountInvalid()");
    // a top-up by someone other than the payer
    assertReverts(chain, stranger, ReserveAbi.topUp(d, BigInteger.ONE), "NotPayer()");
    // a descriptor naming another payee is another (unknown) channel
    ChannelDescriptor otherPayee =
        new ChannelDescriptor(
            d.payer(),
            stranger.address(),
            d.operator(),
            d.token(),
            d.salt(),
            d.authorizedSigner(),
            d.expiringNonceHash());
    assertReverts(
        chain, operator, ReserveAbi.settle(otherPayee, amount, good), "ChannelNotFound()");

    // nothing moved, and the good voucher still settles
    assertEquals(new ReserveAbi.ChannelState(BigInteger.ZERO, USD, 0), chain.channel(d));
    assertEquals(BigInteger.ZERO, chain.balanceOf(ALPHA_USD, payee));
    AnvilChain.Receipt ok =
        chain.callReserve(operator, ReserveAbi.settle(d, amount, good), PATH_USD);
    assertEquals(1, ok.status(), ok.toString());
    assertEquals(amount, chain.balanceOf(ALPHA_USD, payee));
    // not increasing any more
    assertReverts(chain, operator, ReserveAbi.settle(d, amount, good), "AmountNotIncreasing()");
    // a close capturing less than settled
    BigInteger more = amount.add(BigInteger.ONE);
    assertReverts(
        chain,
        operator,
        ReserveAbi.close(
            d, more, amount.subtract(BigInteger.ONE), chain.signVoucher(payer, id, more)),
        "CaptureAmountInvalid()");
  }

  @Test
  void theShimLetsOnePayerOpenTwiceAndRefusesAReplayedOpen(ReserveChain chain) {
    SigningKey payer = chain.fundedPayer(ALPHA_USD, USD.multiply(BigInteger.valueOf(3)).add(FEES));
    Address payee = AnvilChain.randomKey().address();
    chain.approveReserve(payer, ALPHA_USD);
    int resets = chain.shim().nonceResets();

    // approve, open, open: three expiring-nonce transactions of one sender
    ReserveChain.Opened first = chain.open(payer, payee, ChannelDescriptor.ZERO, ALPHA_USD, USD);
    ReserveChain.Opened second = chain.open(payer, payee, ChannelDescriptor.ZERO, ALPHA_USD, USD);
    assertNotEquals(first.channelId(), second.channelId());
    assertNotEquals(
        first.descriptor().expiringNonceHash(), second.descriptor().expiringNonceHash());
    assertEquals(USD, chain.channel(first.descriptor()).deposit());
    assertEquals(USD, chain.channel(second.descriptor()).deposit());
    assertTrue(chain.shim().nonceResets() >= resets + 2);

    // the same signed open again: not mined a second time, nothing more escrowed
    BigInteger balance = chain.balanceOf(ALPHA_USD, payer.address());
    TempoTransaction tx =
        AnvilChain.sign(
            chain
                .transaction(
                    List.of(
                        TempoCall.of(
                            RESERVE,
                            ReserveAbi.open(
                                payee,
                                ChannelDescriptor.ZERO,
                                ALPHA_USD,
                                USD,
                                Bytes32.of(filled(0x42)),
                                ChannelDescriptor.ZERO))),
                    ALPHA_USD)
                .build(),
            payer);
    String hash = chain.rpc("eth_sendRawTransaction", AnvilChain.hex(tx.encode())).asText();
    AnvilChain.Receipt mined = chain.anvil().awaitReceipt(hash);
    assertEquals(1, mined.status());
    BigInteger afterFirst = chain.balanceOf(ALPHA_USD, payer.address());
    assertEquals(balance.subtract(USD).subtract(mined.feeBaseUnits()), afterFirst);
    try {
      chain.rpc("eth_sendRawTransaction", AnvilChain.hex(tx.encode()));
    } catch (AnvilChain.RpcError refused) {
      // refused outright: fine
    }
    chain.anvil().mine();
    chain.anvil().mine();
    assertEquals(afterFirst, chain.balanceOf(ALPHA_USD, payer.address()));
  }

  @Test
  void theShimRaisesGasEstimatesForCallsToTheReserveOnly(ReserveChain chain) {
    SigningKey payer = chain.fundedPayer(ALPHA_USD, USD.add(FEES));
    chain.approveReserve(payer, ALPHA_USD);
    ObjectNode open = JSON.createObjectNode();
    open.put("from", payer.address().toHex());
    open.put("to", RESERVE.toHex());
    open.put(
        "data",
        AnvilChain.hex(
            ReserveAbi.open(
                AnvilChain.randomKey().address(),
                ChannelDescriptor.ZERO,
                ALPHA_USD,
                USD,
                Bytes32.of(filled(0x23)),
                ChannelDescriptor.ZERO)));
    BigInteger direct = AnvilChain.quantity(chain.anvil().rpc("eth_estimateGas", open));
    BigInteger shimmed = AnvilChain.quantity(chain.rpc("eth_estimateGas", open));
    assertEquals(BigInteger.valueOf(ReserveShim.RESERVE_GAS), shimmed, "anvil said " + direct);

    ObjectNode transfer = JSON.createObjectNode();
    transfer.put("from", payer.address().toHex());
    transfer.put("to", ALPHA_USD.toHex());
    transfer.put(
        "data",
        AnvilChain.hex(
            io.mpp4j.tempo.internal.Tip20Call.transfer(RESERVE, BigInteger.ONE).encode()));
    assertEquals(
        AnvilChain.quantity(chain.anvil().rpc("eth_estimateGas", transfer)),
        AnvilChain.quantity(chain.rpc("eth_estimateGas", transfer)),
        "other calls pass through");
    assertTrue(chain.startTime().toSeconds() < 30, chain.startTime().toString());
    System.err.println("ReserveChain start-up: " + chain.startTime().toMillis() + " ms");
  }

  @Test
  void withoutTheShimAnOpenGetsAnotherChannelId(ReserveChain chain) {
    // what the shim is for: straight to anvil, the stand-in reads a stale expiringNonceHash
    SigningKey payer = chain.fundedPayer(ALPHA_USD, USD.add(FEES));
    Address payee = AnvilChain.randomKey().address();
    chain.approveReserve(payer, ALPHA_USD);
    Bytes32 salt = Bytes32.of(filled(0x17));
    TempoTransaction tx =
        AnvilChain.sign(
            chain
                .transaction(
                    List.of(
                        TempoCall.of(
                            RESERVE,
                            ReserveAbi.open(
                                payee,
                                ChannelDescriptor.ZERO,
                                ALPHA_USD,
                                USD,
                                salt,
                                ChannelDescriptor.ZERO))),
                    ALPHA_USD)
                .build(),
            payer);
    ChannelDescriptor expected =
        new ChannelDescriptor(
            payer.address(),
            payee,
            ChannelDescriptor.ZERO,
            ALPHA_USD,
            salt,
            ChannelDescriptor.ZERO,
            ChannelDescriptor.expiringNonceHash(tx, payer.address()));
    AnvilChain.Receipt r = chain.anvil().sendRaw(tx);
    assertEquals(1, r.status(), r.toString());
    String emitted = ReserveChain.reserveLogs(r).get(0).topics().get(1);
    assertNotEquals(expected.channelId(RESERVE, AnvilChain.CHAIN_ID).toHex(), emitted);
    assertEquals(BigInteger.ZERO, chain.channel(expected).deposit());
  }

  // ---- helpers ----

  private static void assertReverts(
      ReserveChain chain, SigningKey from, byte[] data, String error) {
    ObjectNode call = JSON.createObjectNode();
    call.put("from", from.address().toHex());
    call.put("to", RESERVE.toHex());
    call.put("data", AnvilChain.hex(data));
    AnvilChain.RpcError e =
        assertThrows(AnvilChain.RpcError.class, () -> chain.rpc("eth_call", call, "latest"));
    String selector = ReserveAbi.selector(error);
    assertEquals(selector, e.data().toLowerCase(Locale.ROOT), error + ": " + e.getMessage());
    // and mined, it reverts and moves nothing
    AnvilChain.Receipt r = chain.callReserve(from, data, PATH_USD);
    assertEquals(0, r.status(), error + ": " + r);
    assertTrue(ReserveChain.reserveLogs(r).isEmpty());
  }

  private static byte[] highS(byte[] sig) {
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(sig, 32, 64));
    byte[] out = sig.clone();
    byte[] flipped = ReserveAbi.word(Secp256k1.N.subtract(s));
    System.arraycopy(flipped, 0, out, 32, 32);
    out[64] = (byte) (sig[64] == 27 ? 28 : 27);
    return out;
  }

  /** ECDSA recovery that accepts high s (web3j's), to show the high-s form is a valid signature. */
  private static Address recover(byte[] digest, byte[] sig) {
    BigInteger r = new BigInteger(1, Arrays.copyOfRange(sig, 0, 32));
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(sig, 32, 64));
    BigInteger publicKey =
        org.web3j.crypto.Sign.recoverFromSignature(
            sig[64] - 27, new org.web3j.crypto.ECDSASignature(r, s), digest);
    return AnvilChain.address("0x" + org.web3j.crypto.Keys.getAddress(publicKey));
  }

  private static byte[] filled(int b) {
    byte[] out = new byte[32];
    Arrays.fill(out, (byte) b);
    return out;
  }
}
