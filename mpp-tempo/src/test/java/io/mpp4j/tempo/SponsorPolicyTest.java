package io.mpp4j.tempo;

import static io.mpp4j.tempo.TempoKit.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mpp4j.core.Challenge;
import io.mpp4j.core.PaymentRequirement;
import io.mpp4j.server.PaymentGate;
import io.mpp4j.tempo.internal.AccessListEntry;
import io.mpp4j.tempo.internal.AttributionMemo;
import io.mpp4j.tempo.internal.FeePayerField;
import io.mpp4j.tempo.internal.SigningKey;
import io.mpp4j.tempo.internal.Sponsor;
import io.mpp4j.tempo.internal.TempoCall;
import io.mpp4j.tempo.internal.TempoTransaction;
import io.mpp4j.tempo.internal.Tip20Call;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link SponsorPolicy#coSign} on its own, without the method's earlier checks: the sponsor pays
 * fees only for a transaction that is exactly this challenge's payment (SPEC 3.6, 3.7).
 */
class SponsorPolicyTest {
  static final Address SHARE = addr("0x4444444444444444444444444444444444444444");
  static final Address OTHER_TOKEN = addr("0x20c0000000000000000000000000000000000002");

  final SimulatedNode node = new SimulatedNode();
  final TempoMethod method = TempoMethod.create(sponsoring().build());
  final PaymentGate gate = gate(method);
  final PaymentRequirement route = route("0.50");
  final Challenge challenge = challenge(gate, route);
  final SigningKey payer = freshKey();
  final SponsorPolicy policy = SponsorPolicy.defaults(CHAIN);

  TempoConfig.Builder sponsoring() {
    return config(node).feePayerKey(Fixtures.FEE_PAYER);
  }

  /** The sponsor's own check, for {@code c}'s request and id. */
  TempoTransaction coSign(TempoTransaction handoff, Challenge c) throws Sponsor.RefusedException {
    Instant now = Instant.now();
    return Sponsor.coSign(
        policy,
        handoff,
        c.request(),
        c,
        c.expiresAt(),
        now,
        Fixtures.FEE_PAYER_KEY,
        TempoNetwork.PATH_USD);
  }

  void refused(TempoTransaction.Builder unsigned, String message) {
    refused(unsigned, challenge, message);
  }

  void refused(TempoTransaction.Builder unsigned, Challenge c, String message) {
    TempoTransaction tx = handoff(unsigned, payer);
    Sponsor.RefusedException e = assertThrows(Sponsor.RefusedException.class, () -> coSign(tx, c));
    assertEquals(message, e.getMessage());
  }

  static TempoTransaction.Builder calls(List<TempoCall> calls) {
    return transfers(List.of()).calls(calls);
  }

  @Test
  void theExactPaymentIsCoSigned() throws Exception {
    TempoTransaction fin = coSign(handoff(payment(challenge, 500_000), payer), challenge);
    assertEquals(TempoTransaction.TYPE_TEMPO, fin.type());
    assertEquals(TempoNetwork.PATH_USD, fin.feeToken());
    assertInstanceOf(FeePayerField.Signed.class, fin.feePayer());
    assertEquals(payer.address(), fin.recoverSender().orElseThrow());
  }

  @Test
  void aPlainTransferWithoutTheMemoIsRefused() {
    refused(
        transfers(List.of(Tip20Call.transfer(RECIPIENT, BigInteger.valueOf(500_000)))),
        "transfer does not carry this challenge's attribution memo");
  }

  @Test
  void aTransferWithAnotherChallengesMemoIsRefused() {
    Challenge other = challenge(gate, route);
    refused(payment(other, 500_000), "transfer does not carry this challenge's attribution memo");
    // and one for another realm with this challenge's id
    byte[] foreign = AttributionMemo.of("evil.example.com", challenge.id()).toBytes();
    refused(
        transfers(
            List.of(Tip20Call.transferWithMemo(RECIPIENT, BigInteger.valueOf(500_000), foreign))),
        "transfer does not carry this challenge's attribution memo");
  }

  @Test
  void extraCallsAreRefused() {
    refused(
        transfers(
            List.of(
                Tip20Call.transferWithMemo(RECIPIENT, BigInteger.valueOf(500_000), memo(challenge)),
                Tip20Call.transfer(SHARE, BigInteger.ONE))),
        "contains unauthorized extra calls");
  }

  @Test
  void aWrongAmountOrRecipientIsRefused() {
    refused(payment(challenge, 499_999), "transaction does not pay the challenge's transfers");
    refused(payment(challenge, 500_001), "transaction does not pay the challenge's transfers");
    refused(
        transfers(
            List.of(
                Tip20Call.transferWithMemo(SHARE, BigInteger.valueOf(500_000), memo(challenge)))),
        "transaction does not pay the challenge's transfers");
  }

  @Test
  void aTransferOfAnotherTokenIsRefused() {
    Tip20Call t =
        Tip20Call.transferWithMemo(RECIPIENT, BigInteger.valueOf(500_000), memo(challenge));
    refused(
        calls(List.of(TempoCall.of(OTHER_TOKEN, t.encode()))),
        "call is not a transfer of the payment currency");
  }

  @Test
  void splitsAreCoSignedOnlyWhenEveryTransferIsThere() throws Exception {
    TempoMethod split =
        TempoMethod.create(
            sponsoring().split(Split.of(SHARE, BigInteger.valueOf(100_000))).build());
    Challenge c = challenge(gate(split), route);
    Tip20Call primary = Tip20Call.transferWithMemo(RECIPIENT, BigInteger.valueOf(400_000), memo(c));
    // the reference client's shape: the memo on the primary transfer, a plain split transfer
    TempoTransaction ok =
        handoff(
            transfers(List.of(Tip20Call.transfer(SHARE, BigInteger.valueOf(100_000)), primary)),
            payer);
    assertInstanceOf(FeePayerField.Signed.class, coSign(ok, c).feePayer());
    refused(transfers(List.of(primary)), c, "transaction is missing expected transfers");
    refused(
        transfers(List.of(primary, Tip20Call.transfer(SHARE, BigInteger.valueOf(99_999)))),
        c,
        "transaction does not pay the challenge's transfers");
    refused(
        transfers(
            List.of(
                Tip20Call.transfer(RECIPIENT, BigInteger.valueOf(400_000)),
                Tip20Call.transfer(SHARE, BigInteger.valueOf(100_000)))),
        c,
        "transfer does not carry this challenge's attribution memo");
  }

  @Test
  void aNonEmptyAccessListIsRefusedBeforeAnythingElse() {
    List<AccessListEntry> accessList = new ArrayList<>();
    accessList.add(new AccessListEntry(TOKEN, List.of(new byte[32])));
    refused(payment(challenge, 500_000).accessList(accessList), "access list is not allowed");
    // wrong chain, wrong call, client fee token: the access list is still named first
    TempoTransaction.Builder everythingWrong =
        transfers(List.of(Tip20Call.transfer(SHARE, BigInteger.ONE)))
            .chainId(4217)
            .gas(9_000_000)
            .accessList(List.of(new AccessListEntry(OTHER_TOKEN, List.of())));
    TempoTransaction tx =
        Fixtures.signSender(
            everythingWrong.feeToken(TOKEN).feePayer(FeePayerField.AWAITING_LEGACY), payer);
    Sponsor.RefusedException e =
        assertThrows(Sponsor.RefusedException.class, () -> coSign(tx, challenge));
    assertEquals("access list is not allowed", e.getMessage());
    assertEquals(
        "access list is not allowed",
        Sponsor.violation(policy, tx, CHAIN, challenge.expiresAt(), Instant.now()).orElseThrow());
  }

  @Test
  void aTransactionThatPaysItsOwnFeeIsNotCoSigned() {
    TempoTransaction selfPaid = sign(payment(challenge, 500_000), payer);
    Sponsor.RefusedException e =
        assertThrows(Sponsor.RefusedException.class, () -> coSign(selfPaid, challenge));
    assertEquals("transaction does not await a fee payer", e.getMessage());
  }
}
