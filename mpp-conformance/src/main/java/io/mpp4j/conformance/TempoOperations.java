package io.mpp4j.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mpp4j.core.Challenge;
import io.mpp4j.core.Credential;
import io.mpp4j.core.MalformedMessageException;
import io.mpp4j.core.PaymentRequest;
import io.mpp4j.spi.Verification;
import io.mpp4j.tempo.Address;
import io.mpp4j.tempo.SponsorPolicy;
import io.mpp4j.tempo.TempoMethod;
import io.mpp4j.tempo.internal.FeePayerField;
import io.mpp4j.tempo.internal.SenderSignature;
import io.mpp4j.tempo.internal.SigningKey;
import io.mpp4j.tempo.internal.Sponsor;
import io.mpp4j.tempo.internal.TempoCall;
import io.mpp4j.tempo.internal.TempoTransaction;
import io.mpp4j.tempo.rpc.TransactionReceipt;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** The Tempo conformance operations, over mpp-tempo's public API. */
final class TempoOperations {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String ERR = "verification_error";
  private static final BigInteger MAX_UINT256 =
      BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);

  private TempoOperations() {}

  /**
   * {@code tempo.fee_payer.cosign}: the payer signs the described transaction as a fee-payer
   * handoff ({@code 0x78}: fee token as given, field 11 = the payer's address); the sponsor then
   * applies {@link Sponsor#coSign} (mpp4j's production path) with the default policy for the
   * request's chain, the challenge (required: the sponsor pays only for its payment, with its
   * attribution memo; its request must be {@code request}), its expiry (or five minutes from now
   * when it has none), and its own fee token. A non-empty access list is refused first, before its
   * entries are read, as the sponsor does.
   */
  static JsonNode feePayerCosign(JsonNode input) throws Operations.OpException {
    JsonNode t = input.path("transaction");
    if (!t.isObject()) {
      throw new Operations.OpException(ERR, "`transaction` must be an object");
    }
    JsonNode accessListJson = t.get("accessList");
    if (accessListJson != null
        && !accessListJson.isNull()
        && !(accessListJson.isArray() && accessListJson.isEmpty())) {
      throw new Operations.OpException(ERR, Sponsor.ACCESS_LIST_NOT_ALLOWED);
    }
    SigningKey payer = key(input, "payerPrivateKey");
    SigningKey sponsor = key(input, "feePayerPrivateKey");
    Address feeToken = address(Operations.text(input, "feeToken", ERR), "feeToken");
    JsonNode requestJson = input.path("request");
    if (!requestJson.isObject()) {
      throw new Operations.OpException(ERR, "`request` must be an object");
    }
    PaymentRequest request = PaymentRequest.of(Operations.toMap(requestJson));
    JsonNode challengeJson = input.get("challenge");
    if (challengeJson == null || challengeJson.isNull()) {
      throw new Operations.OpException(
          ERR, "`challenge` is required: the sponsor co-signs only that challenge's payment");
    }
    Challenge challenge = Operations.challengeFrom(challengeJson, ERR);
    if (!challenge.request().equals(request)) {
      throw new Operations.OpException(ERR, "`request` is not the challenge's request");
    }
    Instant now = Instant.now();
    Instant at = challenge.expiresAt();
    Instant expires = at != null ? at : now.plus(Duration.ofMinutes(5));
    TempoTransaction.Builder b;
    try {
      List<TempoCall> calls = new ArrayList<>();
      for (JsonNode c : t.path("calls")) {
        calls.add(
            new TempoCall(
                address(Operations.text(c, "to", ERR), "calls[].to"),
                uint(c.get("value"), "calls[].value", now),
                bytes(Operations.text(c, "data", ERR), "calls[].data")));
      }
      JsonNode ft = t.get("feeToken");
      b =
          TempoTransaction.builder()
              .chainId(uint(t.get("chainId"), "chainId", now).longValueExact())
              .maxPriorityFeePerGas(
                  uint(t.get("maxPriorityFeePerGas"), "maxPriorityFeePerGas", now))
              .maxFeePerGas(uint(t.get("maxFeePerGas"), "maxFeePerGas", now))
              .gas(uint(t.get("gasLimit"), "gasLimit", now).longValueExact())
              .calls(calls)
              .nonceKey(uint(t.get("nonceKey"), "nonceKey", now))
              .nonce(uint(t.get("nonce"), "nonce", now).longValueExact())
              .validBefore(uint(t.get("validBefore"), "validBefore", now).longValueExact())
              .feeToken(ft == null || ft.isNull() ? null : address(ft.asText(""), "feeToken"))
              .feePayer(new FeePayerField.Sender(payer.address()));
    } catch (ArithmeticException | IllegalArgumentException e) {
      throw new Operations.OpException(ERR, "invalid transaction: " + e.getMessage());
    }
    TempoTransaction unsigned = b.build();
    TempoTransaction handoff =
        unsigned.withSenderSignature(SenderSignature.of(payer.sign(unsigned.senderSigningHash())));
    TempoTransaction signed;
    try {
      signed =
          Sponsor.coSign(
              SponsorPolicy.defaults(handoff.chainId()),
              handoff,
              request,
              challenge,
              expires,
              now,
              sponsor,
              feeToken);
    } catch (Sponsor.RefusedException e) {
      throw new Operations.OpException(ERR, e.getMessage());
    }
    ObjectNode o = NODES.objectNode();
    o.put("type", "0x76");
    Address token = signed.feeToken();
    o.put("feeToken", token == null ? "0x" : token.toHex());
    o.put("feePayerSignaturePresent", signed.feePayer() instanceof FeePayerField.Signed);
    o.put("accessListLength", signed.accessList().size());
    o.put("callCount", signed.calls().size());
    return o;
  }

  /**
   * {@code tempo.receipt.verify}: {@link TempoMethod#verifyReceipt} (the receipt checks of mpp4j's
   * push and pull verification) on the credential and the receipt fixture.
   */
  static JsonNode receiptVerify(JsonNode input) throws Operations.OpException {
    JsonNode credentialJson = input.path("credential");
    JsonNode receiptJson = input.path("receipt");
    if (!credentialJson.isObject() || !receiptJson.isObject()) {
      throw new Operations.OpException(ERR, "`credential` and `receipt` must be objects");
    }
    Credential credential;
    try {
      Challenge echo = Operations.challengeFrom(credentialJson.path("challenge"), ERR);
      JsonNode payload = credentialJson.path("payload");
      JsonNode source = credentialJson.get("source");
      credential =
          Credential.of(
              echo,
              payload.isObject() ? Operations.toMap(payload) : Map.of(),
              source == null || source.isNull() ? null : Operations.toValue(source));
    } catch (IllegalArgumentException e) {
      throw new Operations.OpException(ERR, "malformed credential: " + e.getMessage());
    }
    TransactionReceipt receipt;
    try {
      receipt = TransactionReceipt.parseJson(receiptJson.toString());
    } catch (MalformedMessageException e) {
      throw new Operations.OpException(ERR, "malformed receipt: " + e.getMessage());
    }
    Verification verdict = TempoMethod.verifyReceipt(credential, receipt);
    if (verdict instanceof Verification.Rejected r) {
      throw new Operations.OpException(ERR, r.detail());
    }
    ObjectNode o = NODES.objectNode();
    o.put("status", "success");
    o.put("reference", ((Verification.Verified) verdict).receipt().reference());
    return o;
  }

  private static SigningKey key(JsonNode input, String name) throws Operations.OpException {
    try {
      return SigningKey.of(bytes(Operations.text(input, name, ERR), name));
    } catch (IllegalArgumentException e) {
      throw new Operations.OpException(ERR, "`" + name + "` is not a valid private key");
    }
  }

  private static Address address(String hex, String what) throws Operations.OpException {
    try {
      return Address.parse(hex);
    } catch (MalformedMessageException e) {
      throw new Operations.OpException(ERR, "`" + what + "` is not a 20-byte address");
    }
  }

  private static byte[] bytes(String hex, String what) throws Operations.OpException {
    if (!hex.startsWith("0x") || hex.length() % 2 != 0) {
      throw new Operations.OpException(ERR, "`" + what + "` is not 0x-prefixed hex");
    }
    try {
      return HexFormat.of().parseHex(hex, 2, hex.length());
    } catch (IllegalArgumentException e) {
      throw new Operations.OpException(ERR, "`" + what + "` is not 0x-prefixed hex");
    }
  }

  /**
   * A UintValue: an integer, a decimal string, {@code max} (2^256 − 1) or {@code now+N} seconds.
   */
  private static BigInteger uint(JsonNode v, String what, Instant now)
      throws Operations.OpException {
    if (v == null || v.isNull()) {
      throw new Operations.OpException(ERR, "`" + what + "` is missing");
    }
    if (v.isIntegralNumber() && v.bigIntegerValue().signum() >= 0) {
      return v.bigIntegerValue();
    }
    String s = v.isTextual() ? v.asText() : "";
    if (s.equals("max")) {
      return MAX_UINT256;
    }
    if (s.startsWith("now+") && s.length() > 4 && s.length() < 16) {
      try {
        return BigInteger.valueOf(now.getEpochSecond() + Long.parseLong(s.substring(4)));
      } catch (NumberFormatException e) {
        throw new Operations.OpException(ERR, "`" + what + "` is not a uint value");
      }
    }
    if (PaymentRequest.isBaseUnits(s)) {
      BigInteger b = new BigInteger(s);
      if (b.compareTo(MAX_UINT256) <= 0) {
        return b;
      }
    }
    throw new Operations.OpException(ERR, "`" + what + "` is not a uint value");
  }
}
