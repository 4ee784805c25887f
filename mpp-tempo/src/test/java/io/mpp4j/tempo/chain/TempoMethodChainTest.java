package io.mpp4j.tempo.chain;

import static io.mpp4j.tempo.chain.AnvilChain.ALPHA_USD;
import static io.mpp4j.tempo.chain.AnvilChain.PATH_USD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.mpp4j.core.Challenge;
import io.mpp4j.core.Credential;
import io.mpp4j.core.PaymentRequirement;
import io.mpp4j.core.RequestView;
import io.mpp4j.core.binding.ChallengeSecret;
import io.mpp4j.server.GateResult;
import io.mpp4j.server.PaymentGate;
import io.mpp4j.tempo.Address;
import io.mpp4j.tempo.Secp256k1PrivateKey;
import io.mpp4j.tempo.TempoConfig;
import io.mpp4j.tempo.TempoMethod;
import io.mpp4j.tempo.internal.AttributionMemo;
import io.mpp4j.tempo.internal.FeePayerField;
import io.mpp4j.tempo.internal.SigningKey;
import io.mpp4j.tempo.internal.TempoCall;
import io.mpp4j.tempo.internal.TempoTransaction;
import io.mpp4j.tempo.internal.Tip20Call;
import java.math.BigInteger;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The tempo method against a real local Tempo chain (anvil): every accepted payment moved exactly
 * the price to the recipient on chain, and every refused one moved nothing.
 */
@ChainTest
class TempoMethodChainTest {
  static final String REALM = "api.example.com";
  static final BigInteger PRICE = BigInteger.valueOf(500_000); // 0.50
  static final BigInteger FUNDS = BigInteger.valueOf(10_000_000);

  final PaymentRequirement route = PaymentRequirement.builder().amount("0.50").build();
  Address recipient;
  TempoMethod method;
  PaymentGate gate;

  @BeforeEach
  void setUp(AnvilChain chain) {
    recipient = AnvilChain.randomKey().address();
    method = method(chain, null);
    gate = gate(method);
  }

  @AfterEach
  void tearDown() {
    method.close();
  }

  TempoMethod method(AnvilChain chain, Secp256k1PrivateKey feePayer) {
    TempoConfig.Builder b =
        TempoConfig.builder()
            .chainId(chain.chainId())
            .rpcUrl(chain.rpcUrl())
            .currency(ALPHA_USD)
            .recipient(recipient)
            .receiptTimeout(Duration.ofSeconds(30));
    if (feePayer != null) {
      b.feePayerKey(feePayer).feeToken(PATH_USD);
    }
    return TempoMethod.create(b.build());
  }

  static PaymentGate gate(TempoMethod m) {
    return PaymentGate.builder()
        .realm(REALM)
        .secret(ChallengeSecret.of("tempo-chain-test-secret-0123456789abcdef"))
        .method(m)
        .build();
  }

  Challenge challenge(PaymentGate g) {
    GateResult r = g.evaluate(route, RequestView.builder().path("/premium").build());
    return ((GateResult.PaymentRequired) r).challenges().get(0);
  }

  static GateResult pay(PaymentGate g, PaymentRequirement route, Credential c) {
    return g.evaluate(
        route,
        RequestView.builder().path("/premium").header("Authorization", c.toHeaderValue()).build());
  }

  static TempoTransaction.Builder transfer(
      AnvilChain chain, Address to, BigInteger amount, byte[] memo) {
    return chain.transaction(
        List.of(TempoCall.of(ALPHA_USD, Tip20Call.transferWithMemo(to, amount, memo).encode())));
  }

  static Credential pull(Challenge c, TempoTransaction tx) {
    return Credential.of(
        c,
        Map.of("type", "transaction", "signature", io.mpp4j.tempo.internal.Hex.encode(tx.encode())),
        null);
  }

  static byte[] memo(Challenge c) {
    return AttributionMemo.of(c.realm(), c.id()).toBytes();
  }

  @Test
  void aPullPaymentIsBroadcastAndPaysTheRecipient(AnvilChain chain) {
    SigningKey payer = chain.fundedPayer(ALPHA_USD, FUNDS);
    Challenge c = challenge(gate);
    TempoTransaction tx =
        AnvilChain.sign(
            transfer(chain, recipient, PRICE, memo(c)).feeToken(ALPHA_USD).build(), payer);
    GateResult.Paid p = assertInstanceOf(GateResult.Paid.class, pay(gate, route, pull(c, tx)));
    assertEquals(tx.hashHex(), p.receipt().reference());
    assertEquals(PRICE, chain.balanceOf(ALPHA_USD, recipient));
    AnvilChain.Receipt mined = chain.awaitReceipt(tx.hashHex());
    assertEquals(
        FUNDS.subtract(PRICE).subtract(mined.feeBaseUnits()),
        chain.balanceOf(ALPHA_USD, payer.address()));
  }

  @Test
  void aPushPaymentIsVerifiedFromTheChain(AnvilChain chain) {
    SigningKey payer = chain.fundedPayer(ALPHA_USD, FUNDS);
    Challenge c = challenge(gate);
    TempoTransaction tx =
        AnvilChain.sign(
            transfer(chain, recipient, PRICE, memo(c)).feeToken(ALPHA_USD).build(), payer);
    chain.sendRaw(tx);
    Credential push =
        Credential.of(
            c,
            Map.of("type", "hash", "hash", tx.hashHex()),
            "did:pkh:eip155:42431:" + payer.address().toHex());
    GateResult.Paid p = assertInstanceOf(GateResult.Paid.class, pay(gate, route, push));
    assertEquals(tx.hashHex(), p.receipt().reference());
    assertEquals(PRICE, chain.balanceOf(ALPHA_USD, recipient));
  }

  @Test
  void aSponsoredPullIsCoSignedAndTheSponsorPaysTheFee(AnvilChain chain) {
    SigningKey sponsor = chain.devKeys().get(1);
    TempoMethod sponsored =
        method(
            chain, Secp256k1PrivateKey.of(HexFormat.of().parseHex(AnvilChain.DEV_KEYS_HEX.get(1))));
    try {
      PaymentGate g = gate(sponsored);
      SigningKey payer = chain.fundedPayer(ALPHA_USD, PRICE); // exactly the price
      BigInteger sponsorBefore = chain.balanceOf(PATH_USD, sponsor.address());
      Challenge c = challenge(g);
      TempoTransaction handoff =
          AnvilChain.sign(
              transfer(chain, recipient, PRICE, memo(c))
                  .feePayer(new FeePayerField.Sender(payer.address()))
                  .build(),
              payer);
      GateResult.Paid p = assertInstanceOf(GateResult.Paid.class, pay(g, route, pull(c, handoff)));
      assertEquals(PRICE, chain.balanceOf(ALPHA_USD, recipient));
      assertEquals(BigInteger.ZERO, chain.balanceOf(ALPHA_USD, payer.address()));
      AnvilChain.Receipt mined = chain.awaitReceipt(p.receipt().reference());
      assertEquals(
          sponsorBefore.subtract(mined.feeBaseUnits()),
          chain.balanceOf(PATH_USD, sponsor.address()));
    } finally {
      sponsored.close();
    }
  }

  @Test
  void aReplayIsRefusedAndMovesNothing(AnvilChain chain) {
    SigningKey payer = chain.fundedPayer(ALPHA_USD, FUNDS);
    Challenge c = challenge(gate);
    TempoTransaction tx =
        AnvilChain.sign(
            transfer(chain, recipient, PRICE, memo(c)).feeToken(ALPHA_USD).build(), payer);
    Credential cred = pull(c, tx);
    assertInstanceOf(GateResult.Paid.class, pay(gate, route, cred));
    // the same credential, and the same transaction for a fresh challenge
    assertInstanceOf(GateResult.Rejected.class, pay(gate, route, cred));
    assertInstanceOf(GateResult.Rejected.class, pay(gate, route, pull(challenge(gate), tx)));
    // its hash pushed for a fresh challenge
    Credential push =
        Credential.of(challenge(gate), Map.of("type", "hash", "hash", tx.hashHex()), null);
    assertInstanceOf(GateResult.Rejected.class, pay(gate, route, push));
    assertEquals(PRICE, chain.balanceOf(ALPHA_USD, recipient));
  }

  @Test
  void aWrongMemoAmountOrRecipientIsRefusedAndMovesNothing(AnvilChain chain) {
    SigningKey payer = chain.fundedPayer(ALPHA_USD, FUNDS);
    Challenge c1 = challenge(gate);
    Challenge other = challenge(gate);
    TempoTransaction wrongMemo =
        AnvilChain.sign(
            transfer(chain, recipient, PRICE, memo(other)).feeToken(ALPHA_USD).build(), payer);
    assertRejected(pay(gate, route, pull(c1, wrongMemo)), "tempo.memo_mismatch");

    Challenge c2 = challenge(gate);
    TempoTransaction tooLittle =
        AnvilChain.sign(
            transfer(chain, recipient, PRICE.subtract(BigInteger.ONE), memo(c2))
                .feeToken(ALPHA_USD)
                .build(),
            payer);
    assertRejected(pay(gate, route, pull(c2, tooLittle)), "tempo.transfer_mismatch");

    Challenge c3 = challenge(gate);
    Address elsewhere = AnvilChain.randomKey().address();
    TempoTransaction wrongRecipient =
        AnvilChain.sign(
            transfer(chain, elsewhere, PRICE, memo(c3)).feeToken(ALPHA_USD).build(), payer);
    assertRejected(pay(gate, route, pull(c3, wrongRecipient)), "tempo.transfer_mismatch");

    // pushed: mined on chain, but to the wrong recipient
    chain.sendRaw(wrongRecipient);
    Challenge c4 = challenge(gate);
    Credential push =
        Credential.of(c4, Map.of("type", "hash", "hash", wrongRecipient.hashHex()), null);
    assertRejected(pay(gate, route, push), "tempo.transfer_mismatch");

    assertEquals(BigInteger.ZERO, chain.balanceOf(ALPHA_USD, recipient));
    assertEquals(PRICE, chain.balanceOf(ALPHA_USD, elsewhere));
  }

  static void assertRejected(GateResult r, String reason) {
    GateResult.Rejected rej = assertInstanceOf(GateResult.Rejected.class, r, r::toString);
    assertEquals(reason, rej.problem().reason().code(), rej.problem().toString());
  }
}
