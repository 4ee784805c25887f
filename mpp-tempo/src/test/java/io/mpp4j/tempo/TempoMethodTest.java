package io.mpp4j.tempo;

import static io.mpp4j.tempo.TempoKit.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpp4j.core.Challenge;
import io.mpp4j.core.Credential;
import io.mpp4j.core.Intent;
import io.mpp4j.core.PaymentRequest;
import io.mpp4j.core.PaymentRequirement;
import io.mpp4j.core.problem.ProblemType;
import io.mpp4j.server.GateResult;
import io.mpp4j.server.PaymentGate;
import io.mpp4j.spi.Verification;
import io.mpp4j.store.InMemoryReplayStore;
import io.mpp4j.tempo.internal.AccessListEntry;
import io.mpp4j.tempo.internal.AttributionMemo;
import io.mpp4j.tempo.internal.FeePayerField;
import io.mpp4j.tempo.internal.Hex;
import io.mpp4j.tempo.internal.SenderSignature;
import io.mpp4j.tempo.internal.SigningKey;
import io.mpp4j.tempo.internal.TempoCall;
import io.mpp4j.tempo.internal.TempoTransaction;
import io.mpp4j.tempo.internal.Tip20Call;
import io.mpp4j.tempo.internal.ZeroAmountProof;
import io.mpp4j.tempo.rpc.TempoRpcException;
import io.mpp4j.tempo.rpc.TransactionReceipt;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class TempoMethodTest {
  final SimulatedNode node = new SimulatedNode();
  final SigningKey payer = freshKey();

  TempoMethod method(TempoConfig.Builder b) {
    return TempoMethod.create(b.build());
  }

  static GateResult.Rejected rejected(GateResult r) {
    return assertInstanceOf(GateResult.Rejected.class, r, () -> "expected a rejection, got " + r);
  }

  static void assertRejected(GateResult r, ProblemType type, String reason) {
    GateResult.Rejected rej = rejected(r);
    assertEquals(type, rej.problem().type(), rej.problem().toString());
    assertEquals(reason, rej.problem().reason().code(), rej.problem().toString());
  }

  @Nested
  class Offers {
    @Test
    void amountIsInBaseUnitsWithChainIdAndBothModes() {
      TempoMethod m = method(config(node));
      PaymentRequest r = m.createRequest(Intent.CHARGE, route("0.50"));
      assertEquals("500000", r.amount());
      assertEquals(TOKEN.toHex(), r.currency());
      assertEquals(RECIPIENT.toHex(), r.recipient());
      assertEquals(Map.of("chainId", CHAIN), normalize(r.methodDetails()));
    }

    @Test
    void sponsoringOffersFeePayerAndPullOnly() {
      TempoMethod m = method(config(node).feePayerKey(Fixtures.FEE_PAYER));
      Map<String, Object> d = m.createRequest(Intent.CHARGE, route("1")).methodDetails();
      assertEquals(true, d.get("feePayer"));
      assertEquals(List.of("pull"), d.get("supportedModes"));
    }

    @Test
    void pushWithSponsoringIsAConfigurationError() {
      assertThrows(
          IllegalArgumentException.class,
          () ->
              config(node)
                  .feePayerKey(Fixtures.FEE_PAYER)
                  .modes(java.util.EnumSet.allOf(PaymentMode.class))
                  .build());
    }

    @Test
    void splitsAreOfferedAndMustLeaveARemainder() {
      Address other = addr("0x1111111111111111111111111111111111111111");
      TempoMethod m = method(config(node).split(Split.of(other, BigInteger.valueOf(100_000))));
      Object splits = m.createRequest(Intent.CHARGE, route("1")).methodDetails().get("splits");
      assertEquals(List.of(Map.of("amount", "100000", "recipient", other.toHex())), splits);
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> m.createRequest(Intent.CHARGE, route("0.1")));
      assertTrue(e.getMessage().contains("splits"), e.getMessage());
    }

    @Test
    void moreThanSixDecimalsIsRefused() {
      TempoMethod m = method(config(node));
      assertThrows(
          IllegalArgumentException.class, () -> m.createRequest(Intent.CHARGE, route("0.0000001")));
      assertEquals(BigInteger.valueOf(1), TempoMethod.toBaseUnits(new BigDecimal("0.000001")));
      assertEquals(
          BigInteger.valueOf(12_345_000_000L), TempoMethod.toBaseUnits(new BigDecimal("12345")));
    }

    @Test
    void aRouteCurrencyMustBeTheConfiguredToken() {
      TempoMethod m = method(config(node));
      PaymentRequirement usd = PaymentRequirement.builder().amount("1").currency("usd").build();
      assertThrows(IllegalArgumentException.class, () -> m.createRequest(Intent.CHARGE, usd));
      PaymentRequirement same =
          PaymentRequirement.builder()
              .amount("1")
              .currency(TOKEN.toHex().toUpperCase(java.util.Locale.ROOT).replace("0X", "0x"))
              .build();
      assertEquals("1000000", m.createRequest(Intent.CHARGE, same).amount());
    }

    @Test
    void otherIntentsAreRefused() {
      TempoMethod m = method(config(node));
      assertThrows(
          IllegalArgumentException.class, () -> m.createRequest(Intent.of("session"), route("1")));
    }

    @Test
    void testnetPresetUsesPathUsd() {
      TempoConfig c =
          TempoConfig.builder().network(TempoNetwork.TESTNET).recipient(RECIPIENT).build();
      assertEquals(42431, c.chainId());
      assertEquals(TempoNetwork.PATH_USD, c.currency());
      TempoConfig main =
          TempoConfig.builder().network(TempoNetwork.MAINNET).recipient(RECIPIENT).build();
      assertEquals(4217, main.chainId());
      assertEquals(addr("0x20C000000000000000000000b9537d11c60E8b50"), main.currency());
      assertFalse(main.toString().contains("key"));
    }

    Map<String, Object> normalize(Map<String, Object> d) {
      return Map.of("chainId", ((Number) d.get("chainId")).longValue());
    }
  }

  @Nested
  class Pull {
    final TempoMethod m = method(config(node));
    final PaymentGate gate = gate(m);
    final PaymentRequirement route = route("0.50");

    @Test
    void aMatchingSignedTransferIsBroadcastOnceAndSettles() {
      Challenge c = challenge(gate, route);
      TempoTransaction tx = sign(payment(c, 500_000), payer);
      GateResult r = gate.evaluate(route, paid(pull(c, tx)));
      GateResult.Paid p = assertInstanceOf(GateResult.Paid.class, r);
      assertEquals(tx.hashHex(), p.receipt().reference());
      assertEquals("tempo", p.receipt().method());
      assertEquals(1, node.sends.get());
      assertEquals(0, node.lookups.get());
    }

    @Test
    void theSameCredentialPaysOnce() {
      Challenge c = challenge(gate, route);
      Credential cred = pull(c, sign(payment(c, 500_000), payer));
      assertInstanceOf(GateResult.Paid.class, gate.evaluate(route, paid(cred)));
      assertRejected(
          gate.evaluate(route, paid(cred)), ProblemType.INVALID_CHALLENGE, "challenge_used");
      assertEquals(1, node.sends.get());
    }

    @Test
    void aTransactionForAnotherChallengeIsRefusedByItsMemo() {
      Challenge first = challenge(gate, route);
      Challenge second = challenge(gate, route);
      TempoTransaction tx = sign(payment(first, 500_000), payer);
      assertRejected(
          gate.evaluate(route, paid(pull(second, tx))),
          ProblemType.VERIFICATION_FAILED,
          "tempo.memo_mismatch");
      assertEquals(0, node.sends.get());
    }

    @Test
    void aMemoForAnotherRealmIsRefused() {
      Challenge c = challenge(gate, route);
      byte[] memo = AttributionMemo.of("evil.example.com", c.id()).toBytes();
      TempoTransaction tx =
          sign(
              transfers(
                  List.of(
                      Tip20Call.transferWithMemo(RECIPIENT, BigInteger.valueOf(500_000), memo))),
              payer);
      assertRejected(
          gate.evaluate(route, paid(pull(c, tx))),
          ProblemType.VERIFICATION_FAILED,
          "tempo.memo_mismatch");
    }

    @Test
    void aPlainTransferWithoutTheMemoIsRefused() {
      Challenge c = challenge(gate, route);
      TempoTransaction tx =
          sign(
              transfers(List.of(Tip20Call.transfer(RECIPIENT, BigInteger.valueOf(500_000)))),
              payer);
      assertRejected(
          gate.evaluate(route, paid(pull(c, tx))),
          ProblemType.VERIFICATION_FAILED,
          "tempo.memo_mismatch");
      assertEquals(0, node.sends.get());
    }

    @Test
    void aNonMppMemoIsRefused() {
      Challenge c = challenge(gate, route);
      byte[] memo = new byte[32];
      memo[0] = 1;
      TempoTransaction tx =
          sign(
              transfers(
                  List.of(
                      Tip20Call.transferWithMemo(RECIPIENT, BigInteger.valueOf(500_000), memo))),
              payer);
      assertRejected(
          gate.evaluate(route, paid(pull(c, tx))),
          ProblemType.VERIFICATION_FAILED,
          "tempo.memo_mismatch");
    }

    @Test
    void aWrongAmountIsRefused() {
      Challenge c = challenge(gate, route);
      for (long amount : new long[] {499_999, 500_001}) {
        TempoTransaction tx = sign(payment(c, amount), payer);
        assertRejected(
            gate.evaluate(route, paid(pull(c, tx))),
            ProblemType.VERIFICATION_FAILED,
            "tempo.transfer_mismatch");
        c = challenge(gate, route);
      }
      assertEquals(0, node.sends.get());
    }

    @Test
    void aWrongRecipientIsRefused() {
      Challenge c = challenge(gate, route);
      Address other = addr("0x2222222222222222222222222222222222222222");
      TempoTransaction tx =
          sign(
              transfers(
                  List.of(Tip20Call.transferWithMemo(other, BigInteger.valueOf(500_000), memo(c)))),
              payer);
      assertRejected(
          gate.evaluate(route, paid(pull(c, tx))),
          ProblemType.VERIFICATION_FAILED,
          "tempo.transfer_mismatch");
    }

    @Test
    void aTransferOfAnotherTokenIsRefused() {
      Challenge c = challenge(gate, route);
      TempoTransaction tx =
          sign(
              payment(c, 500_000)
                  .calls(
                      List.of(
                          TempoCall.of(
                              Fixtures.PATH_USD,
                              Tip20Call.transferWithMemo(
                                      RECIPIENT, BigInteger.valueOf(500_000), memo(c))
                                  .encode()))),
              payer);
      assertRejected(
          gate.evaluate(route, paid(pull(c, tx))),
          ProblemType.VERIFICATION_FAILED,
          "tempo.unexpected_call");
    }

    @Test
    void anExtraCallIsRefused() {
      Challenge c = challenge(gate, route);
      TempoTransaction tx =
          sign(
              transfers(
                  List.of(
                      Tip20Call.transferWithMemo(RECIPIENT, BigInteger.valueOf(500_000), memo(c)),
                      Tip20Call.transfer(
                          addr("0x3333333333333333333333333333333333333333"), BigInteger.ONE))),
              payer);
      assertRejected(
          gate.evaluate(route, paid(pull(c, tx))),
          ProblemType.VERIFICATION_FAILED,
          "tempo.unexpected_call");
    }

    @Test
    void anApproveCallIsRefused() {
      Challenge c = challenge(gate, route);
      byte[] approve = new byte[68];
      approve[0] = 0x09;
      approve[1] = (byte) 0x5e;
      approve[2] = (byte) 0xa7;
      approve[3] = (byte) 0xb3;
      TempoTransaction tx =
          sign(
              payment(c, 500_000)
                  .calls(
                      List.of(
                          TempoCall.of(TOKEN, approve),
                          TempoCall.of(
                              TOKEN,
                              Tip20Call.transferWithMemo(
                                      RECIPIENT, BigInteger.valueOf(500_000), memo(c))
                                  .encode()))),
              payer);
      assertRejected(
          gate.evaluate(route, paid(pull(c, tx))),
          ProblemType.VERIFICATION_FAILED,
          "tempo.unexpected_call");
    }

    @Test
    void anotherChainIsRefused() {
      Challenge c = challenge(gate, route);
      TempoTransaction tx = sign(payment(c, 500_000).chainId(4217), payer);
      assertRejected(
          gate.evaluate(route, paid(pull(c, tx))),
          ProblemType.VERIFICATION_FAILED,
          "tempo.chain_mismatch");
    }

    @Test
    void anExpiredTransactionIsRefused() {
      Challenge c = challenge(gate, route);
      long past = Instant.now().getEpochSecond() - 1;
      TempoTransaction tx = sign(payment(c, 500_000).validBefore(past), payer);
      assertRejected(
          gate.evaluate(route, paid(pull(c, tx))),
          ProblemType.VERIFICATION_FAILED,
          "tempo.tx_expired");
    }

    @Test
    void aTransactionNotValidYetIsRefusedButAnOldValidAfterIsFine() {
      Challenge c = challenge(gate, route);
      long later = Instant.now().getEpochSecond() + 60;
      TempoTransaction tx = sign(payment(c, 500_000).validAfter(later), payer);
      assertRejected(
          gate.evaluate(route, paid(pull(c, tx))),
          ProblemType.VERIFICATION_FAILED,
          "tempo.tx_not_yet_valid");
      Challenge c2 = challenge(gate, route);
      TempoTransaction old = sign(payment(c2, 500_000).validAfter(1), payer);
      assertInstanceOf(GateResult.Paid.class, gate.evaluate(route, paid(pull(c2, old))));
    }

    @Test
    void malformedAndUnsignedTransactionsAreInvalidPayloads() {
      Challenge c = challenge(gate, route);
      Credential junk =
          Credential.of(c, Map.of("type", "transaction", "signature", "0x76c0ffee"), null);
      assertRejected(
          gate.evaluate(route, paid(junk)), ProblemType.INVALID_PAYLOAD, "payload_invalid");
      c = challenge(gate, route);
      Credential noSig = Credential.of(c, Map.of("type", "transaction"), null);
      assertRejected(
          gate.evaluate(route, paid(noSig)), ProblemType.INVALID_PAYLOAD, "payload_invalid");
      c = challenge(gate, route);
      Credential badType = Credential.of(c, Map.of("type", "cheque"), null);
      assertRejected(
          gate.evaluate(route, paid(badType)), ProblemType.INVALID_PAYLOAD, "payload_invalid");
      c = challenge(gate, route);
      // a valid transaction with trailing garbage after the RLP
      String hex = Hex.encode(sign(payment(c, 500_000), payer).encode()) + "00";
      Credential trailing = Credential.of(c, Map.of("type", "transaction", "signature", hex), null);
      assertRejected(
          gate.evaluate(route, paid(trailing)), ProblemType.INVALID_PAYLOAD, "payload_invalid");
      assertEquals(0, node.sends.get());
    }

    @Test
    void nonSecp256k1SignaturesAreRefusedWithAClearReason() throws Exception {
      Challenge c = challenge(gate, route);
      byte[] p256 = new byte[130];
      p256[0] = 0x01;
      TempoTransaction tx =
          payment(c, 500_000).senderSignature(SenderSignature.parse(p256)).build();
      assertRejected(
          gate.evaluate(route, paid(pull(c, tx))),
          ProblemType.VERIFICATION_FAILED,
          "tempo.signature_unsupported");
    }

    @Test
    void aHandoffIsRefusedWhenThisServerDoesNotSponsor() {
      Challenge c = challenge(gate, route);
      TempoTransaction tx = handoff(payment(c, 500_000), payer);
      assertRejected(
          gate.evaluate(route, paid(pull(c, tx))),
          ProblemType.VERIFICATION_FAILED,
          "tempo.fee_payer_not_offered");
    }

    @Test
    void aNodeRefusalIsAVerificationFailureAndReleasesTheClaim() {
      InMemoryReplayStore store = InMemoryReplayStore.ofDefaults();
      PaymentGate g = gate(m, store);
      Challenge c = challenge(g, route);
      TempoTransaction tx = sign(payment(c, 500_000), payer);
      node.failNextSend =
          new TempoRpcException(
              TempoRpcException.Kind.REJECTED, false, "tempo.insufficient_funds", "refused", null);
      GateResult refused = g.evaluate(route, paid(pull(c, tx)));
      assertRejected(refused, ProblemType.VERIFICATION_FAILED, "tempo.insufficient_funds");
      assertTrue(rejected(refused).problem().hint().startsWith("Fund the paying account"));
      assertTrue(store.tryClaim("mpp4j:tempo:tx:" + tx.hashHex(), java.time.Duration.ofMinutes(1)));
    }

    @Test
    void anOutageBeforeSendingLetsTheSameCredentialRetry() {
      Challenge c = challenge(gate, route);
      Credential cred = pull(c, sign(payment(c, 500_000), payer));
      node.failNextSend =
          new TempoRpcException(TempoRpcException.Kind.UNAVAILABLE, false, null, "down", null);
      GateResult.Rejected first = rejected(gate.evaluate(route, paid(cred)));
      assertEquals("tempo.rpc_unavailable", first.problem().reason().code());
      assertTrue(first.retryAfter() != null);
      assertInstanceOf(GateResult.Paid.class, gate.evaluate(route, paid(cred)));
      assertEquals(2, node.sends.get());
      assertEquals(1, node.mined.size());
    }

    @Test
    void anUnknownOutcomeIsResumedFromTheReceiptWithoutResending() {
      Challenge c = challenge(gate, route);
      Credential cred = pull(c, sign(payment(c, 500_000), payer));
      node.mineOnFailure = true; // the node mined it, but the answer was lost
      node.failNextSend =
          new TempoRpcException(TempoRpcException.Kind.TIMEOUT, true, null, "timeout", null);
      GateResult.Rejected first = rejected(gate.evaluate(route, paid(cred)));
      assertEquals("tempo.rpc_timeout", first.problem().reason().code());
      GateResult.Paid p = assertInstanceOf(GateResult.Paid.class, gate.evaluate(route, paid(cred)));
      assertEquals(1, node.sends.get());
      assertEquals(1, node.lookups.get());
      assertEquals(node.mined.keySet().iterator().next(), p.receipt().reference());
      // and never again
      assertRejected(
          gate.evaluate(route, paid(cred)), ProblemType.INVALID_CHALLENGE, "challenge_used");
    }

    @Test
    void anUnknownOutcomeNotMinedYetStaysRetryable() {
      Challenge c = challenge(gate, route);
      Credential cred = pull(c, sign(payment(c, 500_000), payer));
      node.failNextSend =
          new TempoRpcException(TempoRpcException.Kind.NOT_MINED, true, null, "not mined", null);
      assertEquals(
          "tempo.tx_not_mined",
          rejected(gate.evaluate(route, paid(cred))).problem().reason().code());
      GateResult.Rejected again = rejected(gate.evaluate(route, paid(cred)));
      assertEquals("tempo.tx_pending", again.problem().reason().code());
      assertEquals(1, node.sends.get());
    }

    @Test
    void aRevertedTransactionIsNotAPayment() {
      node.revert = true;
      Challenge c = challenge(gate, route);
      assertRejected(
          gate.evaluate(route, paid(pull(c, sign(payment(c, 500_000), payer)))),
          ProblemType.VERIFICATION_FAILED,
          "tempo.tx_reverted");
    }

    @Test
    void aReceiptWithoutTheTransferLogIsRefused() {
      node.tamper =
          r ->
              new TransactionReceipt(
                  r.transactionHash(),
                  true,
                  r.from(),
                  r.blockNumber(),
                  r.gasUsed(),
                  r.effectiveGasPrice(),
                  r.logs().subList(0, 1));
      Challenge c = challenge(gate, route);
      assertRejected(
          gate.evaluate(route, paid(pull(c, sign(payment(c, 500_000), payer)))),
          ProblemType.VERIFICATION_FAILED,
          "tempo.transfer_mismatch");
    }

    @Test
    void aReceiptForAnotherHashIsRefused() {
      node.tamper =
          r ->
              new TransactionReceipt(
                  "0x" + "ab".repeat(32),
                  true,
                  r.from(),
                  r.blockNumber(),
                  r.gasUsed(),
                  r.effectiveGasPrice(),
                  r.logs());
      Challenge c = challenge(gate, route);
      assertRejected(
          gate.evaluate(route, paid(pull(c, sign(payment(c, 500_000), payer)))),
          ProblemType.VERIFICATION_FAILED,
          "tempo.receipt_mismatch");
    }

    @Test
    void splitsMustAllBePaid() {
      Address share = addr("0x4444444444444444444444444444444444444444");
      TempoMethod withSplit =
          method(config(node).split(Split.of(share, BigInteger.valueOf(100_000))));
      PaymentGate g = gate(withSplit);
      Challenge c = challenge(g, route);
      TempoTransaction ok =
          sign(
              transfers(
                  List.of(
                      Tip20Call.transfer(share, BigInteger.valueOf(100_000)),
                      Tip20Call.transferWithMemo(RECIPIENT, BigInteger.valueOf(400_000), memo(c)))),
              payer);
      assertInstanceOf(GateResult.Paid.class, g.evaluate(route, paid(pull(c, ok))));
      Challenge c2 = challenge(g, route);
      TempoTransaction missing = sign(payment(c2, 400_000), payer);
      assertRejected(
          g.evaluate(route, paid(pull(c2, missing))),
          ProblemType.VERIFICATION_FAILED,
          "tempo.transfer_mismatch");
      Challenge c3 = challenge(g, route);
      TempoTransaction whole = sign(payment(c3, 500_000), payer);
      assertRejected(
          g.evaluate(route, paid(pull(c3, whole))),
          ProblemType.VERIFICATION_FAILED,
          "tempo.transfer_mismatch");
    }
  }

  @Nested
  class Sponsored {
    final TempoMethod m = method(config(node).feePayerKey(Fixtures.FEE_PAYER));
    final PaymentGate gate = gate(m);
    final PaymentRequirement route = route("0.50");

    @Test
    void aHandoffIsCoSignedWithPathUsdAndSettles() throws Exception {
      Challenge c = challenge(gate, route);
      TempoTransaction tx = handoff(payment(c, 500_000), payer);
      assertEquals(TempoTransaction.TYPE_FEE_PAYER, tx.type());
      GateResult.Paid p =
          assertInstanceOf(GateResult.Paid.class, gate.evaluate(route, paid(pull(c, tx))));
      TempoTransaction broadcast = node.sent.get(0);
      assertEquals(TempoTransaction.TYPE_TEMPO, broadcast.type());
      assertEquals(TempoNetwork.PATH_USD, broadcast.feeToken());
      FeePayerField.Signed fp = assertInstanceOf(FeePayerField.Signed.class, broadcast.feePayer());
      assertEquals(
          Fixtures.FEE_PAYER_KEY.address(),
          fp.signature()
              .recoverAddress(broadcast.feePayerSigningHash(payer.address()))
              .orElseThrow());
      assertEquals(payer.address(), broadcast.recoverSender().orElseThrow());
      assertEquals(broadcast.hashHex(), p.receipt().reference());
    }

    @Test
    void aHandoffCoSignedAgainUnderAnotherSponsorConfigurationIsNotBroadcastTwice() {
      InMemoryReplayStore store = InMemoryReplayStore.ofDefaults();
      Challenge c = challenge(gate(m, store), route);
      TempoTransaction tx = handoff(payment(c, 500_000), payer);
      Credential cred = pull(c, tx);
      node.failNextSend =
          new TempoRpcException(TempoRpcException.Kind.TIMEOUT, true, null, "timeout", null);
      assertInstanceOf(GateResult.Rejected.class, gate(m, store).evaluate(route, paid(cred)));
      // the same credential, now at a server whose sponsor pays fees in another token
      TempoMethod other = method(config(node).feePayerKey(Fixtures.FEE_PAYER).feeToken(TOKEN));
      GateResult.Rejected r = rejected(gate(other, store).evaluate(route, paid(cred)));
      assertEquals("tempo.tx_pending", r.problem().reason().code());
      assertEquals(1, node.sends.get());
    }

    @Test
    void aSelfPaidTransactionIsAcceptedToo() {
      Challenge c = challenge(gate, route);
      assertInstanceOf(
          GateResult.Paid.class,
          gate.evaluate(route, paid(pull(c, sign(payment(c, 500_000), payer)))));
    }

    @Test
    void pushIsRefusedWhenSponsoring() {
      Challenge c = challenge(gate, route);
      assertRejected(
          gate.evaluate(route, paid(push(c, "0x" + "11".repeat(32), null))),
          ProblemType.VERIFICATION_FAILED,
          "tempo.mode_not_offered");
    }

    void assertPolicy(
        java.util.function.UnaryOperator<TempoTransaction.Builder> change, String words) {
      Challenge c = challenge(gate, route);
      TempoTransaction tx = handoff(change.apply(payment(c, 500_000)), payer);
      GateResult.Rejected r = rejected(gate.evaluate(route, paid(pull(c, tx))));
      assertEquals("tempo.sponsor_policy", r.problem().reason().code(), r.problem().toString());
      assertTrue(r.problem().detail().contains(words), r.problem().detail());
      assertEquals(0, node.sends.get());
    }

    @Test
    void gasAboveTheLimitIsRefused() {
      assertPolicy(b -> b.gas(2_000_001), "gas limit exceeds sponsor policy");
    }

    @Test
    void feesAboveTheLimitsAreRefused() {
      assertPolicy(b -> b.maxFeePerGas(BigInteger.valueOf(100_000_000_001L)), "max fee per gas");
      assertPolicy(
          b ->
              b.maxPriorityFeePerGas(BigInteger.valueOf(50_000_000_001L))
                  .maxFeePerGas(BigInteger.valueOf(60_000_000_000L)),
          "max priority fee");
      assertPolicy(
          b -> b.gas(1_000_000).maxFeePerGas(BigInteger.valueOf(60_000_000_000L)),
          "total fee exceeds");
    }

    @Test
    void aSequentialNonceKeyIsRefused() {
      assertPolicy(b -> b.nonceKey(BigInteger.ZERO).nonce(3), "must use expiring nonce key");
    }

    @Test
    void aLongValidityWindowIsRefused() {
      long far = Instant.now().getEpochSecond() + 3600;
      assertPolicy(b -> b.validBefore(far), "validity window exceeds sponsor policy");
      assertPolicy(b -> b.validBefore(0), "validity window exceeds sponsor policy");
    }

    @Test
    void anAccessListIsRefused() {
      assertPolicy(
          b -> b.accessList(List.of(new AccessListEntry(TOKEN, List.of(new byte[32])))),
          "access list is not allowed");
    }

    @Test
    void aClientChosenFeeTokenIsRefused() {
      Challenge c = challenge(gate, route);
      // the legacy handoff marker keeps a client-set fee token on the wire
      TempoTransaction tx =
          Fixtures.signSender(
              payment(c, 500_000).feeToken(TOKEN).feePayer(FeePayerField.AWAITING_LEGACY), payer);
      GateResult.Rejected r = rejected(gate.evaluate(route, paid(pull(c, tx))));
      assertTrue(r.problem().detail().contains("must not include fee_token"), r.problem().detail());
    }
  }

  @Nested
  class Push {
    final TempoMethod m = method(config(node).pushReceiptWait(java.time.Duration.ofMillis(300)));
    final PaymentGate gate = gate(m);
    final PaymentRequirement route = route("0.50");

    String broadcast(TempoTransaction tx) {
      node.mine(tx);
      return tx.hashHex();
    }

    @Test
    void aMinedMatchingTransferSettles() {
      Challenge c = challenge(gate, route);
      String hash = broadcast(sign(payment(c, 500_000), payer));
      GateResult.Paid p =
          assertInstanceOf(
              GateResult.Paid.class, gate.evaluate(route, paid(push(c, hash, payer.address()))));
      assertEquals(hash, p.receipt().reference());
      assertEquals(0, node.sends.get());
    }

    @Test
    void withoutSourceTheReceiptSenderCounts() {
      Challenge c = challenge(gate, route);
      String hash = broadcast(sign(payment(c, 500_000), payer));
      assertInstanceOf(GateResult.Paid.class, gate.evaluate(route, paid(push(c, hash, null))));
    }

    @Test
    void aNodeReceiptThatNamesNoSenderSettlesNothing() {
      Challenge c = challenge(gate, route);
      TempoTransaction tx = sign(payment(c, 500_000), payer);
      TransactionReceipt r = node.mine(tx);
      node.mined.put(
          r.transactionHash(),
          new TransactionReceipt(
              r.transactionHash(),
              true,
              null,
              r.blockNumber(),
              r.gasUsed(),
              r.effectiveGasPrice(),
              r.logs()));
      GateResult.Rejected rej = rejected(gate.evaluate(route, paid(push(c, tx.hashHex(), null))));
      assertEquals("tempo.rpc_malformed_response", rej.problem().reason().code());
      // not refused for good: a retry with a sound node can still settle the same credential
      node.mine(tx);
      assertInstanceOf(
          GateResult.Paid.class, gate.evaluate(route, paid(push(c, tx.hashHex(), null))));
    }

    @Test
    void aSourceThatDidNotSendIsRefused() {
      Challenge c = challenge(gate, route);
      String hash = broadcast(sign(payment(c, 500_000), payer));
      assertRejected(
          gate.evaluate(route, paid(push(c, hash, freshKey().address()))),
          ProblemType.VERIFICATION_FAILED,
          "tempo.source_mismatch");
    }

    @Test
    void aSourceOnAnotherChainIsMalformed() {
      Challenge c = challenge(gate, route);
      String hash = broadcast(sign(payment(c, 500_000), payer));
      Credential cred =
          Credential.of(
              c,
              Map.of("type", "hash", "hash", hash),
              "did:pkh:eip155:4217:" + payer.address().toHex());
      assertRejected(
          gate.evaluate(route, paid(cred)), ProblemType.INVALID_PAYLOAD, "payload_invalid");
    }

    @Test
    void anUnknownHashIsRefusedAfterABoundedWait() {
      Challenge c = challenge(gate, route);
      long t0 = System.nanoTime();
      assertRejected(
          gate.evaluate(route, paid(push(c, "0x" + "12".repeat(32), null))),
          ProblemType.VERIFICATION_FAILED,
          "tempo.tx_not_found");
      assertTrue(node.lookups.get() >= 2);
      assertTrue(System.nanoTime() - t0 < 5_000_000_000L);
    }

    @Test
    void aTransferForAnotherChallengeIsRefused() {
      Challenge first = challenge(gate, route);
      Challenge second = challenge(gate, route);
      String hash = broadcast(sign(payment(first, 500_000), payer));
      assertRejected(
          gate.evaluate(route, paid(push(second, hash, null))),
          ProblemType.VERIFICATION_FAILED,
          "tempo.memo_mismatch");
    }

    @Test
    void aHashThatPaidOncePaysNeverAgain() {
      Challenge c = challenge(gate, route);
      String hash = broadcast(sign(payment(c, 500_000), payer));
      assertInstanceOf(GateResult.Paid.class, gate.evaluate(route, paid(push(c, hash, null))));
      // Same hash on the same challenge: the gate; with a new challenge: the memo and the claim.
      assertRejected(
          gate.evaluate(route, paid(push(c, hash, null))),
          ProblemType.INVALID_CHALLENGE,
          "challenge_used");
    }

    @Test
    void pushIsRefusedWhenOnlyPullIsOffered() {
      TempoMethod pullOnly = method(config(node).modes(java.util.EnumSet.of(PaymentMode.PULL)));
      PaymentGate g = gate(pullOnly);
      Challenge c = challenge(g, route);
      assertEquals(List.of("pull"), c.request().methodDetails().get("supportedModes"));
      String hash = broadcast(sign(payment(c, 500_000), payer));
      assertRejected(
          g.evaluate(route, paid(push(c, hash, null))),
          ProblemType.VERIFICATION_FAILED,
          "tempo.mode_not_offered");
    }

    @Test
    void malformedHashesAreInvalidPayloads() {
      for (String h : new String[] {"0x1234", "1234", "0x" + "zz".repeat(32)}) {
        Challenge c = challenge(gate, route);
        assertRejected(
            gate.evaluate(route, paid(push(c, h, null))),
            ProblemType.INVALID_PAYLOAD,
            "payload_invalid");
      }
    }
  }

  /**
   * {@link TempoMethod#verifyReceipt}: the receipt checks without a node (SPEC 3.5 step 10, 3.8).
   */
  @Nested
  class ReceiptVerification {
    final PaymentGate gate = gate(method(config(node)));
    final PaymentRequirement route = route("0.50");
    final Challenge c = challenge(gate, route);
    final TransactionReceipt mined = node.mine(sign(payment(c, 500_000), payer));

    /** The receipt with another {@code from} (null: a receipt that names no sender). */
    TransactionReceipt withFrom(TransactionReceipt r, Address from) {
      return new TransactionReceipt(
          r.transactionHash(),
          r.success(),
          from,
          r.blockNumber(),
          r.gasUsed(),
          r.effectiveGasPrice(),
          r.logs());
    }

    TransactionReceipt withoutFrom(TransactionReceipt r) {
      return withFrom(r, null);
    }

    Verification verify(Address source, TransactionReceipt r) {
      return TempoMethod.verifyReceipt(push(c, r.transactionHash(), source), r);
    }

    void assertFailed(Verification v, String reason) {
      Verification.Rejected r = assertInstanceOf(Verification.Rejected.class, v);
      assertEquals(reason, r.reason().code(), r.detail());
    }

    @Test
    void withoutSourceAReceiptWithoutFromIsVerifiedByItsLogs() {
      Verification.Verified v =
          assertInstanceOf(Verification.Verified.class, verify(null, withoutFrom(mined)));
      assertEquals(mined.transactionHash(), v.receipt().reference());
    }

    @Test
    void withoutSourceAndFromTheLogsSenderIsWhateverTheySay() {
      // the same payment sent by someone else: without a source nothing names the sender
      SigningKey other = freshKey();
      TransactionReceipt theirs = node.mine(sign(payment(c, 500_000), other));
      assertInstanceOf(Verification.Verified.class, verify(null, withoutFrom(theirs)));
    }

    @Test
    void withoutSourceAndFromTheLogsMustStillBeThisChallengesPayment() {
      Challenge other = challenge(gate, route);
      assertFailed(
          verify(null, withoutFrom(node.mine(sign(payment(other, 500_000), payer)))),
          "tempo.memo_mismatch");
      assertFailed(
          verify(null, withoutFrom(node.mine(sign(payment(c, 499_999), payer)))),
          "tempo.transfer_mismatch");
      TempoTransaction.Builder plain =
          transfers(List.of(Tip20Call.transfer(RECIPIENT, BigInteger.valueOf(500_000))));
      assertFailed(verify(null, withoutFrom(node.mine(sign(plain, payer)))), "tempo.memo_mismatch");
      TempoTransaction.Builder elsewhere =
          transfers(
              List.of(
                  Tip20Call.transferWithMemo(
                      addr("0x4444444444444444444444444444444444444444"),
                      BigInteger.valueOf(500_000),
                      memo(c))));
      assertFailed(
          verify(null, withoutFrom(node.mine(sign(elsewhere, payer)))), "tempo.transfer_mismatch");
      TempoTransaction.Builder otherToken = payment(c, 500_000);
      otherToken.calls(
          List.of(
              TempoCall.of(
                  addr("0x20c0000000000000000000000000000000000002"),
                  Tip20Call.transferWithMemo(RECIPIENT, BigInteger.valueOf(500_000), memo(c))
                      .encode())));
      assertFailed(
          verify(null, withoutFrom(node.mine(sign(otherToken, payer)))), "tempo.transfer_mismatch");
    }

    @Test
    void withASourceTheReceiptSenderMustBeIt() {
      assertInstanceOf(Verification.Verified.class, verify(payer.address(), mined));
      assertFailed(verify(payer.address(), withoutFrom(mined)), "tempo.source_mismatch");
      assertFailed(verify(freshKey().address(), mined), "tempo.source_mismatch");
      // the receipt claims the source sent it, but the logs are from someone else
      Address source = freshKey().address();
      assertFailed(verify(source, withFrom(mined, source)), "tempo.transfer_mismatch");
    }

    @Test
    void withoutSourceAReceiptNamingItsSenderBindsTheLogsToIt() {
      assertInstanceOf(Verification.Verified.class, verify(null, mined));
      assertFailed(verify(null, withFrom(mined, freshKey().address())), "tempo.transfer_mismatch");
    }
  }

  @Nested
  class Proof {
    final TempoMethod m = method(config(node));
    final PaymentGate gate = gate(m);
    final PaymentRequirement free = route("0");

    Credential proof(Challenge c, SigningKey signer, Address source, int version) {
      String sig = Hex.encode(ZeroAmountProof.sign(signer, version, CHAIN, c.id(), c.realm()));
      return Credential.of(c, Map.of("type", "proof", "signature", sig), did(source));
    }

    @Test
    void typehashesAreThoseOfTheSpec() {
      assertEquals(
          "0x9703df6c74d7551aec1f6e4eaddc66fb0e9ff2c7bd636ec1d206c3197a7871bd",
          keccakHex("Proof(string challengeId)".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      assertEquals(
          "0x7352cf5b7b300e5a76a4029d0a0808501e101c75761e0fa53034ba39c0cce718",
          keccakHex(
              "Proof(string challengeId,string realm)"
                  .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      assertEquals(
          "0x2b28baf137d62921565067a537df5458031448411120925bd6f753e0dcd50683",
          keccakHex(
              "Proof(address account,string challengeId,string realm)"
                  .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      assertEquals(
          "0xc2f8787176b8ac6bf7215b4adcc1e069bf4ab82d9ab1df05a57a91d425935b6e",
          keccakHex(
              "EIP712Domain(string name,string version,uint256 chainId)"
                  .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Test
    void allThreeVersionsProveTheSource() {
      for (int v = 1; v <= 3; v++) {
        Challenge c = challenge(gate, free);
        assertEquals("0", c.request().amount());
        GateResult.Paid p =
            assertInstanceOf(
                GateResult.Paid.class,
                gate.evaluate(free, paid(proof(c, payer, payer.address(), v))));
        assertEquals(c.id(), p.receipt().reference());
      }
    }

    @Test
    void anotherSignerIsRefused() {
      Challenge c = challenge(gate, free);
      assertRejected(
          gate.evaluate(free, paid(proof(c, freshKey(), payer.address(), 3))),
          ProblemType.VERIFICATION_FAILED,
          "tempo.signature_invalid");
    }

    @Test
    void aProofForAnotherChallengeIsRefused() {
      Challenge c = challenge(gate, free);
      Challenge other = challenge(gate, free);
      String sig = Hex.encode(ZeroAmountProof.sign(payer, 3, CHAIN, other.id(), other.realm()));
      Credential cred =
          Credential.of(c, Map.of("type", "proof", "signature", sig), did(payer.address()));
      assertRejected(
          gate.evaluate(free, paid(cred)),
          ProblemType.VERIFICATION_FAILED,
          "tempo.signature_invalid");
    }

    @Test
    void aProofNeedsASource() {
      Challenge c = challenge(gate, free);
      String sig = Hex.encode(ZeroAmountProof.sign(payer, 3, CHAIN, c.id(), c.realm()));
      Credential cred = Credential.of(c, Map.of("type", "proof", "signature", sig), null);
      assertRejected(
          gate.evaluate(free, paid(cred)), ProblemType.INVALID_PAYLOAD, "payload_invalid");
    }

    @Test
    void aProofDoesNotPayANonZeroAmountAndATransferDoesNotPayAZeroOne() {
      PaymentRequirement priced = route("0.50");
      Challenge c = challenge(gate, priced);
      assertRejected(
          gate.evaluate(priced, paid(proof(c, payer, payer.address(), 3))),
          ProblemType.VERIFICATION_FAILED,
          "tempo.proof_not_allowed");
      Challenge z = challenge(gate, free);
      assertRejected(
          gate.evaluate(free, paid(pull(z, sign(payment(z, 0), payer)))),
          ProblemType.VERIFICATION_FAILED,
          "tempo.proof_required");
    }
  }

  @Test
  void theConfigNeverPrintsTheFeePayerKey() {
    TempoConfig c = config(node).feePayerKey(Fixtures.FEE_PAYER).build();
    assertFalse(c.toString().contains("59c6995e"), c.toString());
    assertNull(config(node).build().feePayerAddress());
  }
}
