package io.mpp4j.tempo.internal;

import io.mpp4j.core.MalformedMessageException;
import io.mpp4j.tempo.Address;
import io.mpp4j.tempo.SponsorPolicy;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Applies a {@link SponsorPolicy}: what the fee payer co-signs, and what it refuses (SPEC 3.6). */
public final class Sponsor {
  private Sponsor() {}

  /** A sponsor refused to co-sign; the message is safe to show the payer. */
  public static final class RefusedException extends Exception {
    private static final long serialVersionUID = 1L;

    RefusedException(String message) {
      super(message, null, false, false);
    }
  }

  /** The refusal of a transaction with a non-empty access list, in the cross-SDK suite's words. */
  public static final String ACCESS_LIST_NOT_ALLOWED = "access list is not allowed";

  /**
   * Checks a fee-payer handoff against a sponsor's policy and the payment it must be, then co-signs
   * it. The sponsor pays fees only for a transaction that is exactly this challenge's payment,
   * whatever its caller checked before: a non-empty access list is refused first; then {@link
   * #violation} must find nothing, the transaction must await a fee payer, and its calls must be
   * exactly the expected transfers of {@code request} (the primary transfer and each split:
   * recipient, amount and the split's memo), one call each, all on the currency contract, carrying
   * this challenge's attribution memo (SPEC 3.7; unless the request names an explicit memo). Last,
   * its secp256k1 sender must recover.
   *
   * @param policy the sponsor's limits
   * @param handoff the payer's signed handoff ({@code 0x78}, or the legacy {@code 0x00} form)
   * @param request the Tempo charge request the transaction pays
   * @param challenge the challenge being paid: its realm and id make the attribution memo
   * @param challengeExpires the challenge's expiry
   * @param now the current time
   * @param feePayerKey the sponsor's key
   * @param feeToken the token the sponsor pays fees in
   * @return the co-signed {@code 0x76} transaction, ready to broadcast
   * @throws RefusedException naming the rule the transaction breaks
   */
  public static TempoTransaction coSign(
      SponsorPolicy policy,
      TempoTransaction handoff,
      io.mpp4j.core.PaymentRequest request,
      io.mpp4j.core.Challenge challenge,
      Instant challengeExpires,
      Instant now,
      SigningKey feePayerKey,
      Address feeToken)
      throws RefusedException {
    Objects.requireNonNull(handoff, "handoff == null");
    Objects.requireNonNull(request, "request == null");
    Objects.requireNonNull(challenge, "challenge == null");
    Objects.requireNonNull(challengeExpires, "challengeExpires == null");
    Objects.requireNonNull(now, "now == null");
    Objects.requireNonNull(feePayerKey, "feePayerKey == null");
    Objects.requireNonNull(feeToken, "feeToken == null");
    if (!handoff.accessList().isEmpty()) {
      throw new RefusedException(ACCESS_LIST_NOT_ALLOWED);
    }
    ChargeTerms terms;
    try {
      terms = ChargeTerms.of(request);
    } catch (MalformedMessageException e) {
      throw new RefusedException("the request is not a Tempo charge: " + e.getMessage());
    }
    if (!(handoff.feePayer() instanceof FeePayerField.Sender
        || handoff.feePayer() instanceof FeePayerField.AwaitingLegacy)) {
      throw new RefusedException("transaction does not await a fee payer");
    }
    Optional<String> v = violation(policy, handoff, terms.chainId, challengeExpires, now);
    if (v.isPresent()) {
      throw new RefusedException(v.get());
    }
    Optional<String> notThePayment = notThePayment(handoff, terms, challenge);
    if (notThePayment.isPresent()) {
      throw new RefusedException(notThePayment.get());
    }
    try {
      if (handoff.recoverSender().isEmpty()) {
        throw new RefusedException("only secp256k1 senders are sponsored");
      }
      return handoff.coSign(feePayerKey, feeToken);
    } catch (MalformedMessageException e) {
      throw new RefusedException("invalid sender signature: " + e.getMessage());
    }
  }

  /**
   * Why the calls are not exactly this challenge's payment, or empty when they are. The calls
   * already passed {@link #violation}: each is a canonical TIP-20 transfer without value.
   */
  private static Optional<String> notThePayment(
      TempoTransaction tx, ChargeTerms terms, io.mpp4j.core.Challenge challenge) {
    if (tx.calls().size() != terms.expected.size()) {
      return Optional.of(
          tx.calls().size() > terms.expected.size()
              ? "contains unauthorized extra calls"
              : "transaction is missing expected transfers");
    }
    List<Transfers.Found> found = new ArrayList<>(tx.calls().size());
    for (TempoCall call : tx.calls()) {
      if (!terms.currency.equals(call.to())) {
        return Optional.of("call is not a transfer of the payment currency");
      }
      Tip20Call t;
      try {
        Optional<Tip20Call> decoded = Tip20Call.decode(call.data());
        if (decoded.isEmpty()) {
          return Optional.of("contains unauthorized extra calls");
        }
        t = decoded.get();
      } catch (MalformedMessageException e) {
        return Optional.of("call has non-canonical calldata");
      }
      found.add(new Transfers.Found(t.recipient(), t.amount(), t.memo()));
    }
    String realm = challenge.realm();
    String id = challenge.id();
    int[] match = Transfers.match(terms.expected, found, realm, id);
    if (match == null) {
      return Optional.of("transaction does not pay the challenge's transfers");
    }
    if (!Transfers.attributed(match, found, terms.memo, realm, id)) {
      return Optional.of("transfer does not carry this challenge's attribution memo");
    }
    return Optional.empty();
  }

  /**
   * Checks a handoff transaction against a sponsor's policy.
   *
   * @param policy the sponsor's limits
   * @param tx the transaction awaiting a fee payer (its calls are checked separately for the
   *     expected transfers)
   * @param chainId the chain the challenge offered
   * @param challengeExpires the challenge's expiry
   * @param now the current time
   * @return a violation, in words safe to show the payer, or empty when the policy allows it
   */
  public static Optional<String> violation(
      SponsorPolicy policy,
      TempoTransaction tx,
      long chainId,
      Instant challengeExpires,
      Instant now) {
    Objects.requireNonNull(tx, "tx == null");
    Optional<String> limits = limitsViolation(policy, tx, chainId, challengeExpires, now);
    if (limits.isPresent()) {
      return limits;
    }
    for (TempoCall call : tx.calls()) {
      byte[] data = call.data();
      Optional<Tip20Call> decoded;
      try {
        decoded = Tip20Call.decode(data);
      } catch (MalformedMessageException e) {
        return Optional.of("call has non-canonical calldata");
      }
      if (decoded.isEmpty()) {
        return Optional.of("contains unauthorized extra calls");
      }
      if (!Arrays.equals(decoded.get().encode(), data)) {
        return Optional.of("call has non-canonical calldata");
      }
    }
    return Optional.empty();
  }

  /**
   * The sponsor policy's rules that do not depend on what the calls do (SPEC 3.6): no access list,
   * the challenge's chain, no fee token, key authorizations as allowed, at least one call, no call
   * with a value or without calldata, gas and fee limits, the expiring nonce key and the validity
   * window. A session's channel transactions ({@code open}, {@code topUp}) are sponsored under
   * these rules, their calls being checked by the session method.
   *
   * @return a violation, in words safe to show the payer, or empty when the policy allows it
   */
  public static Optional<String> limitsViolation(
      SponsorPolicy policy,
      TempoTransaction tx,
      long chainId,
      Instant challengeExpires,
      Instant now) {
    Objects.requireNonNull(tx, "tx == null");
    if (!tx.accessList().isEmpty()) {
      return Optional.of(ACCESS_LIST_NOT_ALLOWED);
    }
    if (tx.chainId() != chainId) {
      return Optional.of("chain id does not match the challenge");
    }
    if (tx.feeToken() != null) {
      return Optional.of("sponsored transaction must not include fee_token");
    }
    if (!policy.allowKeyAuthorization() && tx.keyAuthorizationRlp() != null) {
      return Optional.of("key authorization is not allowed");
    }
    if (tx.calls().isEmpty()) {
      return Optional.of("transaction has no calls");
    }
    for (TempoCall call : tx.calls()) {
      if (call.value().signum() != 0) {
        return Optional.of("call value must be zero");
      }
      if (call.data().length == 0) {
        return Optional.of("call has no calldata");
      }
    }
    if (tx.gas() <= 0 || tx.gas() > policy.maxGas()) {
      return Optional.of("gas limit exceeds sponsor policy");
    }
    BigInteger maxFee = tx.maxFeePerGas();
    if (maxFee.signum() <= 0 || maxFee.compareTo(policy.maxFeePerGas()) > 0) {
      return Optional.of("max fee per gas exceeds sponsor policy");
    }
    BigInteger priority = tx.maxPriorityFeePerGas();
    if (priority.compareTo(maxFee) > 0 || priority.compareTo(policy.maxPriorityFeePerGas()) > 0) {
      return Optional.of("max priority fee per gas exceeds sponsor policy");
    }
    if (BigInteger.valueOf(tx.gas()).multiply(maxFee).compareTo(policy.maxTotalFee()) > 0) {
      return Optional.of("total fee exceeds sponsor policy");
    }
    if (!TempoTransaction.EXPIRING_NONCE_KEY.equals(tx.nonceKey())) {
      return Optional.of("sponsored transaction must use expiring nonce key");
    }
    long validBefore = tx.validBefore();
    long nowSeconds = now.getEpochSecond();
    long limit =
        Math.min(
            nowSeconds + policy.maxValidity().toSeconds(),
            challengeExpires.getEpochSecond() + policy.expiryGrace().toSeconds());
    if (validBefore == 0 || validBefore <= nowSeconds || validBefore > limit) {
      return Optional.of("validity window exceeds sponsor policy");
    }
    return Optional.empty();
  }
}
