package io.mpp4j.tempo.chain;

import static io.mpp4j.tempo.chain.AnvilChain.ALPHA_USD;
import static io.mpp4j.tempo.chain.AnvilChain.FEE_MANAGER;
import static io.mpp4j.tempo.chain.AnvilChain.PATH_USD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mpp4j.tempo.Address;
import io.mpp4j.tempo.internal.AttributionMemo;
import io.mpp4j.tempo.internal.FeePayerField;
import io.mpp4j.tempo.internal.SigningKey;
import io.mpp4j.tempo.internal.TempoCall;
import io.mpp4j.tempo.internal.TempoCodec;
import io.mpp4j.tempo.internal.TempoTransaction;
import io.mpp4j.tempo.internal.Tip20Call;
import java.io.IOException;
import java.math.BigInteger;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Proves the chain fixture, and mpp4j's transaction codec, against a real anvil: transfers signed
 * by the codec are mined, move exactly the amount and emit the expected logs, also when a fee payer
 * co-signs.
 */
@ChainTest
class AnvilChainTest {
  private static final BigInteger ONE_USD = BigInteger.valueOf(1_000_000);
  private static final BigInteger TEN_USD = BigInteger.valueOf(10_000_000);

  @Test
  void startsWithTheTempoChainIdAndTheStandardDevAccounts(AnvilChain chain) {
    assertTrue(chain.isRunning());
    assertEquals(42431, AnvilChain.quantity(chain.rpc("eth_chainId")).longValueExact());
    assertEquals("http", chain.rpcUrl().getScheme());
    assertEquals("127.0.0.1", chain.rpcUrl().getHost());
    assertTrue(chain.output().contains("Listening on 127.0.0.1:" + chain.rpcUrl().getPort()));
    assertTrue(chain.output().contains("(0) 0x<private key redacted>"), chain.output());
    assertFalse(
        chain
            .output()
            .contains("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"));

    List<Address> accounts = new ArrayList<>();
    for (JsonNode a : chain.rpc("eth_accounts")) {
      accounts.add(AnvilChain.address(a.asText()));
    }
    List<Address> fromKeys = chain.devKeys().stream().map(SigningKey::address).toList();
    assertEquals(fromKeys, accounts);
    // #1 (sponsor) and #9 (funder) pay in other tests of this class; the others are untouched
    for (int i : new int[] {0, 2, 3, 4, 5, 6, 7, 8}) {
      assertEquals(AnvilChain.DEV_TOKEN_BALANCE, chain.balanceOf(PATH_USD, fromKeys.get(i)));
      assertEquals(AnvilChain.DEV_TOKEN_BALANCE, chain.balanceOf(ALPHA_USD, fromKeys.get(i)));
    }
  }

  @Test
  void minesABlockOnDemandWithACurrentTimestamp(AnvilChain chain) {
    long before = chain.blockNumber();
    long after = chain.mine();
    assertTrue(after > before, "mined block " + after + " after " + before);
    long now = System.currentTimeMillis() / 1000;
    assertTrue(Math.abs(chain.latestTimestamp() - now) <= 5, "latest block timestamp is current");
  }

  @Test
  void fundedPayerHoldsExactlyTheAmountOfThatTokenOnly(AnvilChain chain) {
    SigningKey payer = chain.fundedPayer(ALPHA_USD, TEN_USD);
    assertEquals(TEN_USD, chain.balanceOf(ALPHA_USD, payer.address()));
    assertEquals(BigInteger.ZERO, chain.balanceOf(PATH_USD, payer.address()));
    SigningKey other = chain.fundedPayer(ALPHA_USD, TEN_USD);
    assertNotEquals(payer.address(), other.address());
  }

  @Test
  void paymentWithMemoSignedByTheCodecIsMinedAndMovesExactlyTheAmount(AnvilChain chain) {
    SigningKey payer = chain.fundedPayer(ALPHA_USD, TEN_USD);
    Address recipient = AnvilChain.randomKey().address();
    byte[] memo = AttributionMemo.of("api.example.com", "challenge-anvil-1").toBytes();

    // a fresh account has no fee-token preference and an empty feeToken means pathUSD here, so a
    // payer holding only AlphaUSD names it as fee token
    TempoTransaction tx = pay(chain, payer, ALPHA_USD, recipient, ONE_USD, memo, ALPHA_USD, null);
    AnvilChain.Receipt r = chain.sendRaw(tx);

    assertEquals(1, r.status(), r.toString());
    assertEquals(tx.hashHex(), r.transactionHash());
    assertEquals(payer.address(), r.from());
    assertEquals(ONE_USD, chain.balanceOf(ALPHA_USD, recipient));
    assertTrue(
        r.transfers().stream()
            .anyMatch(t -> t.matches(ALPHA_USD, payer.address(), recipient, ONE_USD, memo)),
        "a TransferWithMemo from the payer: " + r.transfers());
    assertTrue(
        r.transfers().stream()
            .anyMatch(
                t ->
                    t.matches(ALPHA_USD, payer.address(), recipient, ONE_USD, null)
                        && t.memo() == null),
        "the plain Transfer of the same amount: " + r.transfers());
    BigInteger fee = r.feeBaseUnits();
    assertTrue(fee.signum() > 0, "a fee was charged");
    assertTrue(
        r.transfers().stream()
            .anyMatch(t -> t.matches(ALPHA_USD, payer.address(), FEE_MANAGER, fee, null)),
        "the fee Transfer of "
            + fee
            + " to the fee manager, in the payment token: "
            + r.transfers());
    assertEquals(
        TEN_USD.subtract(ONE_USD).subtract(fee), chain.balanceOf(ALPHA_USD, payer.address()));
  }

  @Test
  void twoPayersAndASecondPaymentFromTheSamePayerAreAllMined(AnvilChain chain) {
    // pathUSD payments with an empty feeToken: the fee is taken in pathUSD, the default
    Address recipient = AnvilChain.randomKey().address();
    SigningKey first = chain.fundedPayer(PATH_USD, TEN_USD);
    SigningKey second = chain.fundedPayer(PATH_USD, TEN_USD);
    BigInteger two = BigInteger.valueOf(2_000_000);
    byte[] memo1 = AttributionMemo.of("api.example.com", "c-1").toBytes();
    byte[] memo2 = AttributionMemo.of("api.example.com", "c-2").toBytes();
    byte[] memo3 = AttributionMemo.of("api.example.com", "c-3").toBytes();

    AnvilChain.Receipt r1 =
        chain.sendRaw(pay(chain, first, PATH_USD, recipient, ONE_USD, memo1, null, null));
    AnvilChain.Receipt r2 =
        chain.sendRaw(pay(chain, second, PATH_USD, recipient, two, memo2, null, null));
    // the expiring nonce key again, for the same sender: dropped on the T0 hardfork, fine on T4
    AnvilChain.Receipt r3 =
        chain.sendRaw(pay(chain, first, PATH_USD, recipient, ONE_USD, memo3, null, null));

    assertEquals(List.of(1L, 1L, 1L), List.of(r1.status(), r2.status(), r3.status()));
    assertEquals(second.address(), r2.from());
    assertTrue(
        r2.transfers().stream()
            .anyMatch(t -> t.matches(PATH_USD, second.address(), recipient, two, memo2)),
        r2.transfers().toString());
    assertTrue(
        r2.transfers().stream()
            .anyMatch(
                t -> t.matches(PATH_USD, second.address(), FEE_MANAGER, r2.feeBaseUnits(), null)),
        r2.transfers().toString());
    assertEquals(BigInteger.valueOf(4_000_000), chain.balanceOf(PATH_USD, recipient));
    assertEquals(
        TEN_USD.subtract(two).subtract(r2.feeBaseUnits()),
        chain.balanceOf(PATH_USD, second.address()));
    assertEquals(
        TEN_USD
            .subtract(ONE_USD.add(ONE_USD))
            .subtract(r1.feeBaseUnits())
            .subtract(r3.feeBaseUnits()),
        chain.balanceOf(PATH_USD, first.address()));
  }

  @Test
  void anEmptyFeeTokenIsAdmittedOnPathUsdButChargedInTheCalledToken(AnvilChain chain) {
    // what the mppx 0.11.0 client sends in pull mode without a fee payer: feeToken left empty.
    // anvil's pool checks a fresh account's pathUSD balance against gas * maxFeePerGas, while
    // execution charges the fee in the token called (AlphaUSD here)
    SigningKey payer = chain.fundedPayer(ALPHA_USD, TEN_USD);
    Address recipient = AnvilChain.randomKey().address();
    byte[] memo = AttributionMemo.of("api.example.com", "empty-fee-token").toBytes();
    TempoTransaction first = pay(chain, payer, ALPHA_USD, recipient, ONE_USD, memo, null, null);
    AnvilChain.RpcError e = assertThrows(AnvilChain.RpcError.class, () -> chain.sendRaw(first));
    assertTrue(e.getMessage().contains("insufficient fee token balance"), e.getMessage());
    assertEquals(TEN_USD, chain.balanceOf(ALPHA_USD, payer.address()));

    BigInteger maxFee =
        BigInteger.valueOf(AnvilChain.GAS)
            .multiply(AnvilChain.MAX_FEE_PER_GAS)
            .divide(BigInteger.TEN.pow(12));
    chain.fund(payer.address(), PATH_USD, maxFee);
    TempoTransaction again = pay(chain, payer, ALPHA_USD, recipient, ONE_USD, memo, null, null);
    AnvilChain.Receipt r = chain.sendRaw(again);

    assertEquals(1, r.status(), r.toString());
    BigInteger fee = r.feeBaseUnits();
    assertTrue(
        r.transfers().stream()
            .anyMatch(t -> t.matches(ALPHA_USD, payer.address(), FEE_MANAGER, fee, null)),
        "the fee Transfer is in AlphaUSD: " + r.transfers());
    assertEquals(
        TEN_USD.subtract(ONE_USD).subtract(fee), chain.balanceOf(ALPHA_USD, payer.address()));
    assertEquals(maxFee, chain.balanceOf(PATH_USD, payer.address()));
  }

  @Test
  void sponsoredPaymentIsCoSignedMinedAndTheFeeIsPaidByTheSponsor(AnvilChain chain)
      throws Exception {
    // the payer holds exactly the amount: it could not pay any fee itself
    SigningKey payer = chain.fundedPayer(ALPHA_USD, ONE_USD);
    SigningKey sponsor = chain.devKeys().get(1);
    Address recipient = AnvilChain.randomKey().address();
    byte[] memo = AttributionMemo.of("api.example.com", "challenge-sponsored").toBytes();
    BigInteger sponsorBefore = chain.balanceOf(PATH_USD, sponsor.address());

    TempoTransaction handoff =
        pay(
            chain,
            payer,
            ALPHA_USD,
            recipient,
            ONE_USD,
            memo,
            null,
            new FeePayerField.Sender(payer.address()));
    byte[] wire = handoff.encode();
    assertEquals(0x78, wire[0] & 0xff, "the client's handoff is a 0x78 envelope");

    TempoTransaction received = TempoCodec.parse(wire);
    assertEquals(payer.address(), received.recoverSender().orElseThrow());
    TempoTransaction cosigned = received.coSign(sponsor, PATH_USD);
    assertEquals(0x76, cosigned.encode()[0] & 0xff);
    assertInstanceOf(FeePayerField.Signed.class, cosigned.feePayer());

    AnvilChain.Receipt r = chain.sendRaw(cosigned);

    assertEquals(1, r.status(), r.toString());
    assertEquals(cosigned.hashHex(), r.transactionHash());
    assertEquals(payer.address(), r.from());
    assertEquals(BigInteger.ZERO, chain.balanceOf(ALPHA_USD, payer.address()));
    assertEquals(ONE_USD, chain.balanceOf(ALPHA_USD, recipient));
    assertTrue(
        r.transfers().stream()
            .anyMatch(t -> t.matches(ALPHA_USD, payer.address(), recipient, ONE_USD, memo)),
        r.transfers().toString());
    BigInteger fee = r.feeBaseUnits();
    assertTrue(
        r.transfers().stream()
            .anyMatch(t -> t.matches(PATH_USD, sponsor.address(), FEE_MANAGER, fee, null)),
        "the sponsor's fee Transfer of " + fee + " pathUSD: " + r.transfers());
    assertEquals(sponsorBefore.subtract(fee), chain.balanceOf(PATH_USD, sponsor.address()));
  }

  @Test
  void nodeRefusesAHandoffEnvelopeBroadcastAsIs(AnvilChain chain) {
    SigningKey payer = chain.fundedPayer(ALPHA_USD, ONE_USD);
    TempoTransaction handoff =
        pay(
            chain,
            payer,
            ALPHA_USD,
            AnvilChain.randomKey().address(),
            ONE_USD,
            AttributionMemo.of("api.example.com", "x").toBytes(),
            null,
            new FeePayerField.Sender(payer.address()));
    assertThrows(AnvilChain.RpcError.class, () -> chain.sendRaw(handoff.encode()));
    assertEquals(ONE_USD, chain.balanceOf(ALPHA_USD, payer.address()));
  }

  @Test
  void closeEndsTheProcessAndFreesThePort() throws Exception {
    AnvilChain own = AnvilChain.start();
    int port = own.rpcUrl().getPort();
    ProcessHandle handle = ProcessHandle.of(own.pid()).orElseThrow();
    assertTrue(handle.isAlive());
    own.close();
    assertFalse(own.isRunning());
    assertFalse(handle.isAlive());
    byte[] loopback = {127, 0, 0, 1};
    assertThrows(
        IOException.class,
        () -> new Socket(java.net.InetAddress.getByAddress(loopback), port).close());
    own.close(); // idempotent
  }

  /**
   * A single {@code transferWithMemo} of {@code amount} of {@code token}, signed by {@code payer}.
   */
  private static TempoTransaction pay(
      AnvilChain chain,
      SigningKey payer,
      Address token,
      Address recipient,
      BigInteger amount,
      byte[] memo,
      @Nullable Address feeToken,
      FeePayerField.@Nullable Sender feePayer) {
    TempoCall call =
        TempoCall.of(token, Tip20Call.transferWithMemo(recipient, amount, memo).encode());
    TempoTransaction.Builder b = chain.transaction(List.of(call)).feeToken(feeToken);
    if (feePayer != null) {
      b.feePayer(feePayer);
    }
    return AnvilChain.sign(b.build(), payer);
  }
}
