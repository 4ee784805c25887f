package io.mpp4j.tempo;

import static io.mpp4j.tempo.TempoKit.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.mpp4j.core.Challenge;
import io.mpp4j.core.Credential;
import io.mpp4j.core.PaymentRequirement;
import io.mpp4j.core.problem.ProblemType;
import io.mpp4j.server.GateResult;
import io.mpp4j.server.PaymentGate;
import io.mpp4j.store.InMemoryReplayStore;
import io.mpp4j.tempo.internal.SigningKey;
import io.mpp4j.tempo.rpc.TempoRpcException;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Tempo refusals decided before anything reached the node, or a node's refusal to admit the
 * transaction (no funds, expired, bad signature, fee too low), release the challenge; a refusal
 * that may hide a mined transaction keeps it used.
 */
class TempoJunkCredentialTest {
  private final SimulatedNode node = new SimulatedNode();
  private final SigningKey payer = freshKey();
  private final InMemoryReplayStore store = InMemoryReplayStore.create(1_000, Clock.systemUTC());
  private final PaymentGate gate = gate(TempoMethod.create(config(node).build()), store);
  private final PaymentRequirement route = route("0.50");

  private GateResult.Rejected refuse(Credential credential, ProblemType type, String reason) {
    GateResult.Rejected r =
        assertInstanceOf(GateResult.Rejected.class, gate.evaluate(route, paid(credential)));
    assertEquals(type, r.problem().type(), r.problem().toString());
    assertEquals(reason, r.problem().reason().code(), r.problem().toString());
    return r;
  }

  @Test
  void junkPayloadsHoldNoReplayStoreCapacity() {
    for (int i = 0; i < 2_000; i++) {
      // More junk than the store holds: every refusal released its challenge.
      Challenge c = challenge(gate, route);
      refuse(
          Credential.of(c, Map.of("type", "junk"), null),
          ProblemType.INVALID_PAYLOAD,
          "payload_invalid");
    }
    assertEquals(0, store.size());
    assertEquals(0, node.sends.get());
  }

  @Test
  void aLocallyRefusedChallengeCanBePaidAfterwards() {
    Challenge c = challenge(gate, route);
    refuse(
        pull(c, sign(payment(c, 1), payer)),
        ProblemType.VERIFICATION_FAILED,
        "tempo.transfer_mismatch");
    Challenge other = challenge(gate, route);
    refuse(
        pull(c, sign(payment(other, 500_000), payer)),
        ProblemType.VERIFICATION_FAILED,
        "tempo.memo_mismatch");
    refuse(
        Credential.of(c, Map.of("type", "transaction", "signature", "0x76zz"), null),
        ProblemType.INVALID_PAYLOAD,
        "payload_invalid");
    assertEquals(0, store.size());
    assertEquals(0, node.sends.get());

    assertInstanceOf(
        GateResult.Paid.class,
        gate.evaluate(route, paid(pull(c, sign(payment(c, 500_000), payer)))));
    assertEquals(1, node.sends.get());
  }

  @Test
  void aTransactionTheNodeDidNotAdmitFreesTheChallenge() {
    Challenge c = challenge(gate, route);
    node.failNextSend =
        new TempoRpcException(
            TempoRpcException.Kind.REJECTED, false, "tempo.insufficient_funds", "refused", null);
    refuse(
        pull(c, sign(payment(c, 500_000), payer)),
        ProblemType.VERIFICATION_FAILED,
        "tempo.insufficient_funds");
    assertEquals(0, store.size(), "nothing is pending: no claim is held");
    // Funded now: the same challenge pays once.
    assertInstanceOf(
        GateResult.Paid.class,
        gate.evaluate(route, paid(pull(c, sign(payment(c, 500_000), payer)))));
    refuse(
        pull(c, sign(payment(c, 500_000), payer)), ProblemType.INVALID_CHALLENGE, "challenge_used");
  }

  @Test
  void aRefusalThatMayHideAMinedTransactionKeepsTheChallengeUsed() {
    Challenge c = challenge(gate, route);
    node.failNextSend =
        new TempoRpcException(
            TempoRpcException.Kind.REJECTED, false, "tempo.nonce_invalid", "refused", null);
    refuse(
        pull(c, sign(payment(c, 500_000), payer)),
        ProblemType.VERIFICATION_FAILED,
        "tempo.nonce_invalid");
    refuse(
        pull(c, sign(payment(c, 500_000), payer)), ProblemType.INVALID_CHALLENGE, "challenge_used");
  }
}
