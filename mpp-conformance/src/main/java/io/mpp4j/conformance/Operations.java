package io.mpp4j.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mpp4j.core.Base64Url;
import io.mpp4j.core.Challenge;
import io.mpp4j.core.Credential;
import io.mpp4j.core.Intent;
import io.mpp4j.core.MalformedMessageException;
import io.mpp4j.core.PaymentRequest;
import io.mpp4j.core.PaymentRequirement;
import io.mpp4j.core.Receipt;
import io.mpp4j.core.RequestView;
import io.mpp4j.core.binding.ChallengeBinder;
import io.mpp4j.core.binding.ChallengeSecret;
import io.mpp4j.server.GateResult;
import io.mpp4j.server.PaymentGate;
import io.mpp4j.spi.PaymentMethod;
import io.mpp4j.spi.Verification;
import io.mpp4j.spi.VerificationContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The conformance operations, each a thin layer over mpp4j's public API. {@link #handle} takes one
 * request envelope ({@code {"schema":1,"op":...,"input":{...}}}) and returns the answer envelope
 * ({@code {"ok":true,"value":...}} or {@code {"ok":false,"error":{"type":...,"message":...}}}). It
 * never throws.
 */
public final class Operations {
  /**
   * Environment variable: when "true", {@code challenge.id} enforces the 32-byte secret minimum.
   */
  public static final String STRICT_SECRETS_ENV = "MPP4J_CONFORMANCE_STRICT_SECRETS";

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final boolean strictSecrets;

  /** Operations configured from the environment. */
  public static Operations fromEnvironment() {
    return new Operations("true".equalsIgnoreCase(System.getenv(STRICT_SECRETS_ENV)));
  }

  /**
   * Creates the operations.
   *
   * @param strictSecrets whether {@code challenge.id} refuses secrets shorter than 32 bytes. The
   *     vector revision the project pins (its test resources) uses shorter secrets, so the default
   *     is false; newer revisions of the suite expect true.
   */
  public Operations(boolean strictSecrets) {
    this.strictSecrets = strictSecrets;
  }

  /** An operation failed with a conformance error type. */
  static final class OpException extends Exception {
    private static final long serialVersionUID = 1L;
    final String type;

    OpException(String type, String message) {
      super(message, null, false, false);
      this.type = type;
    }
  }

  /** Handles one request envelope. */
  public ObjectNode handle(JsonNode request) {
    String op = request.path("op").asText("");
    JsonNode input = request.path("input");
    try {
      JsonNode value =
          switch (op) {
            case "challenge.parse" -> challengeParse(input);
            case "challenge.format" -> challengeFormat(input);
            case "credential.parse" -> credentialParse(input);
            case "credential.format" -> credentialFormat(input);
            case "receipt.parse" -> receiptParse(input);
            case "receipt.format" -> receiptFormat(input);
            case "base64url.encode" -> base64Encode(input);
            case "base64url.decode" -> base64Decode(input);
            case "challenge.id" -> challengeId(input);
            case "server.verify" -> serverVerify(input);
            case "stripe.external_id_binding" -> stripeExternalIdBinding(input);
            case "tempo.fee_payer.cosign" -> TempoOperations.feePayerCosign(input);
            case "tempo.receipt.verify" -> TempoOperations.receiptVerify(input);
            default ->
                throw new OpException("unsupported_operation", "unsupported operation: " + op);
          };
      ObjectNode out = NODES.objectNode();
      out.put("ok", true);
      out.set("value", value);
      return out;
    } catch (OpException e) {
      return error(e.type, e.getMessage());
    } catch (RuntimeException e) {
      return error("unknown_error", e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  static ObjectNode error(String type, String message) {
    ObjectNode out = NODES.objectNode();
    out.put("ok", false);
    ObjectNode err = out.putObject("error");
    err.put("type", type);
    err.put("message", message == null ? type : message);
    return out;
  }

  // ---- challenge ----

  private JsonNode challengeParse(JsonNode input) throws OpException {
    try {
      return challengeJson(Challenge.parse(text(input, "header", "parse_error")));
    } catch (MalformedMessageException e) {
      throw new OpException("parse_error", e.getMessage());
    }
  }

  private JsonNode challengeFormat(JsonNode input) throws OpException {
    try {
      return header(challengeFrom(input, "format_error").toHeaderValue());
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new OpException("format_error", e.getMessage());
    }
  }

  private static ObjectNode challengeJson(Challenge c) {
    ObjectNode o = NODES.objectNode();
    o.put("id", c.id());
    o.put("realm", c.realm());
    o.put("method", c.method());
    o.put("intent", c.intent().name());
    o.set("request", MAPPER.valueToTree(c.request().fields()));
    putIfPresent(o, "expires", c.expires());
    putIfPresent(o, "description", c.description());
    putIfPresent(o, "digest", c.digest());
    putIfPresent(o, "opaque", c.opaque());
    putIfPresent(o, "header", c.header());
    return o;
  }

  static Challenge challengeFrom(JsonNode o, String errorType) throws OpException {
    if (!o.isObject()) {
      throw new OpException(errorType, "challenge is not an object");
    }
    JsonNode request = o.path("request");
    if (!request.isObject()) {
      throw new OpException(errorType, "challenge `request` is not an object");
    }
    return new Challenge(
        text(o, "id", errorType),
        text(o, "realm", errorType),
        text(o, "method", errorType),
        Intent.of(text(o, "intent", errorType)),
        PaymentRequest.of(toMap(request)),
        optText(o, "expires"),
        optText(o, "digest"),
        optText(o, "description"),
        optText(o, "opaque"),
        optText(o, "header"));
  }

  // ---- credential ----

  private JsonNode credentialParse(JsonNode input) throws OpException {
    Credential c;
    try {
      c = Credential.parse(text(input, "header", "parse_error"));
    } catch (MalformedMessageException e) {
      throw new OpException("parse_error", e.getMessage());
    }
    ObjectNode o = NODES.objectNode();
    o.set("challenge", challengeJson(c.challenge()));
    o.set("payload", MAPPER.valueToTree(c.payload()));
    if (c.source() != null) {
      o.set("source", MAPPER.valueToTree(c.source()));
    }
    return o;
  }

  private JsonNode credentialFormat(JsonNode input) throws OpException {
    try {
      Challenge challenge = challengeFrom(input.path("challenge"), "format_error");
      JsonNode payload = input.path("payload");
      if (!payload.isObject()) {
        throw new OpException("format_error", "credential `payload` is not an object");
      }
      JsonNode source = input.get("source");
      Object sourceValue = source == null || source.isNull() ? null : toValue(source);
      return header(Credential.of(challenge, toMap(payload), sourceValue).toHeaderValue());
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new OpException("format_error", e.getMessage());
    }
  }

  // ---- receipt ----

  private JsonNode receiptParse(JsonNode input) throws OpException {
    try {
      return receiptJson(Receipt.parse(text(input, "header", "parse_error")));
    } catch (MalformedMessageException e) {
      throw new OpException("parse_error", e.getMessage());
    }
  }

  private JsonNode receiptFormat(JsonNode input) throws OpException {
    try {
      JsonNode extra = input.path("extra");
      Map<String, Object> extraMap = extra.isObject() ? toMap(extra) : Map.of();
      Receipt r =
          new Receipt(
              text(input, "status", "format_error"),
              optText(input, "method"),
              text(input, "timestamp", "format_error"),
              text(input, "reference", "format_error"),
              optText(input, "externalId"),
              extraMap);
      return header(r.toHeaderValue());
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new OpException("format_error", e.getMessage());
    }
  }

  static ObjectNode receiptJson(Receipt r) {
    ObjectNode o = NODES.objectNode();
    o.put("status", r.status());
    putIfPresent(o, "method", r.method());
    o.put("timestamp", r.timestamp());
    o.put("reference", r.reference());
    putIfPresent(o, "externalId", r.externalId());
    if (!r.extra().isEmpty()) {
      o.set("extra", MAPPER.valueToTree(r.extra()));
    }
    return o;
  }

  // ---- base64url ----

  private static JsonNode base64Encode(JsonNode input) throws OpException {
    ObjectNode o = NODES.objectNode();
    o.put("text", Base64Url.encode(text(input, "text", "encoding_error")));
    return o;
  }

  private static JsonNode base64Decode(JsonNode input) throws OpException {
    try {
      ObjectNode o = NODES.objectNode();
      o.put("text", Base64Url.decodeToString(text(input, "text", "encoding_error")));
      return o;
    } catch (MalformedMessageException e) {
      throw new OpException("encoding_error", e.getMessage());
    }
  }

  // ---- challenge id ----

  private JsonNode challengeId(JsonNode input) throws OpException {
    try {
      String secretText = text(input, "secretKey", "generation_error");
      ChallengeSecret secret =
          strictSecrets
              ? ChallengeSecret.of(secretText)
              : ChallengeSecret.unsafeOfAnyLength(secretText);
      JsonNode request = input.path("request");
      if (!request.isObject()) {
        throw new OpException("generation_error", "`request` is not an object");
      }
      String id =
          ChallengeBinder.of(secret)
              .computeId(
                  text(input, "realm", "generation_error"),
                  text(input, "method", "generation_error"),
                  text(input, "intent", "generation_error"),
                  PaymentRequest.of(toMap(request)),
                  optText(input, "expires"),
                  optText(input, "digest"),
                  optText(input, "header"),
                  optText(input, "opaque"));
      ObjectNode o = NODES.objectNode();
      o.put("id", id);
      return o;
    } catch (IllegalArgumentException e) {
      throw new OpException("generation_error", e.getMessage());
    }
  }

  // ---- server verification ----

  /** The fixed receipt the conformance cases expect from a method that accepts. */
  static final String CONFORMANCE_RECEIPT_TIMESTAMP = "2026-01-29T12:00:00Z";

  static final String CONFORMANCE_RECEIPT_REFERENCE = "conformance-receipt";

  private JsonNode serverVerify(JsonNode input) throws OpException {
    try {
      String methodName = text(input, "method", "verification_error");
      Intent intent = Intent.of(text(input, "intent", "verification_error"));
      JsonNode route = input.path("request");
      if (!route.isObject()) {
        throw new OpException("verification_error", "`request` is not an object");
      }
      PaymentRequest offered = PaymentRequest.of(toMap(route));
      String verificationError = optText(input, "verificationError");
      PaymentGate gate =
          PaymentGate.builder()
              .realm(text(input, "realm", "verification_error"))
              // The cross-SDK cases use the 10-byte secret "secret-key".
              .secret(
                  ChallengeSecret.unsafeOfAnyLength(text(input, "secretKey", "verification_error")))
              .method(new ScriptedMethod(methodName, intent, offered, verificationError))
              .build();
      String amount = offered.amount();
      PaymentRequirement requirement =
          PaymentRequirement.builder()
              .intent(intent)
              .amount(amount != null && PaymentRequest.isBaseUnits(amount) ? amount : "0")
              .methods(java.util.List.of(methodName))
              .bindBody(false)
              .build();

      JsonNode credentialJson = input.path("credential");
      if (!credentialJson.isObject()) {
        throw new OpException("verification_error", "`credential` is not an object");
      }
      Credential credential;
      try {
        Challenge echo = challengeFrom(credentialJson.path("challenge"), "verification_error");
        JsonNode payload = credentialJson.path("payload");
        JsonNode source = credentialJson.get("source");
        credential =
            Credential.of(
                echo,
                payload.isObject() ? toMap(payload) : Map.of(),
                source == null || source.isNull() ? null : toValue(source));
      } catch (IllegalArgumentException e) {
        return verifyFailure("malformed_credential");
      }
      RequestView view =
          RequestView.builder()
              .method("GET")
              .path("/")
              .header("Authorization", credential.toHeaderValue())
              .build();
      GateResult result = gate.evaluate(requirement, view);
      if (result instanceof GateResult.Paid paid) {
        ObjectNode o = NODES.objectNode();
        o.put("ok", true);
        o.set("receipt", receiptJson(paid.receipt()));
        return o;
      }
      var problem =
          result instanceof GateResult.Rejected rejected
              ? rejected.problem()
              : ((GateResult.PaymentRequired) result).problem();
      String code = problem.type().errorCode();
      return verifyFailure(
          switch (code) {
            case "malformed_credential",
                    "invalid_challenge",
                    "payment_expired",
                    "verification_failed" ->
                code;
            default -> "unknown_error";
          });
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new OpException("verification_error", e.getMessage());
    }
  }

  private static JsonNode verifyFailure(String errorType) {
    ObjectNode o = NODES.objectNode();
    o.put("ok", false);
    o.put("errorType", errorType);
    return o;
  }

  /**
   * The payment method of a server-verification case: it offers the case's route request and
   * returns the verdict the case scripts ({@code verificationError} set: rejected). Everything
   * before the method call is mpp4j's real engine.
   */
  private static final class ScriptedMethod implements PaymentMethod {
    private final String name;
    private final Intent intent;
    private final PaymentRequest offered;
    private final String verificationError;

    ScriptedMethod(String name, Intent intent, PaymentRequest offered, String verificationError) {
      this.name = name;
      this.intent = intent;
      this.offered = offered;
      this.verificationError = verificationError;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public Set<Intent> intents() {
      return Set.of(intent);
    }

    @Override
    public PaymentRequest createRequest(Intent i, PaymentRequirement requirement) {
      return offered;
    }

    @Override
    public Verification verify(VerificationContext context) {
      if (verificationError != null) {
        return Verification.rejected(
            io.mpp4j.core.problem.ProblemType.VERIFICATION_FAILED,
            io.mpp4j.core.problem.ReasonCode.VERIFICATION_FAILED,
            "The payment method rejected the credential.");
      }
      return Verification.verified(
          new Receipt(
              "success",
              name,
              CONFORMANCE_RECEIPT_TIMESTAMP,
              CONFORMANCE_RECEIPT_REFERENCE,
              null,
              Map.of()));
    }
  }

  // ---- stripe ----

  /**
   * The fixed time the suite's Stripe cases expect on receipts. mpp4j stamps receipts with the
   * current time; the adapter substitutes this instant so answers compare exactly.
   */
  static final String CONFORMANCE_STRIPE_TIMESTAMP = "2026-01-29T12:00:30Z";

  private JsonNode stripeExternalIdBinding(JsonNode input) throws OpException {
    JsonNode request = input.path("request");
    JsonNode payload = input.path("payload");
    JsonNode intent = input.path("paymentIntent");
    if (!request.isObject() || !payload.isObject() || !intent.isObject()) {
      throw new OpException(
          "verification_error", "`request`, `payload` and `paymentIntent` must be objects");
    }
    Verification verdict;
    try {
      verdict =
          io.mpp4j.stripe.StripeMethod.externalIdBinding(
              PaymentRequest.of(toMap(request)),
              toMap(payload),
              text(intent, "id", "verification_error"),
              text(intent, "status", "verification_error"),
              intent.path("replayed").asBoolean(false));
    } catch (IllegalArgumentException e) {
      throw new OpException("verification_error", e.getMessage());
    }
    if (verdict instanceof Verification.Verified verified) {
      Receipt r = verified.receipt();
      Receipt fixed =
          new Receipt(
              r.status(),
              r.method(),
              CONFORMANCE_STRIPE_TIMESTAMP,
              r.reference(),
              r.externalId(),
              r.extra());
      ObjectNode o = NODES.objectNode();
      o.put("ok", true);
      o.set("receipt", receiptJson(fixed));
      return o;
    }
    Verification.Rejected rejected = (Verification.Rejected) verdict;
    return verifyFailure(
        rejected.type() == io.mpp4j.core.problem.ProblemType.INVALID_CHALLENGE
            ? "invalid_challenge"
            : "verification_failed");
  }

  // ---- helpers ----

  private static JsonNode header(String value) {
    ObjectNode o = NODES.objectNode();
    o.put("header", value);
    return o;
  }

  private static void putIfPresent(ObjectNode o, String name, String value) {
    if (value != null) {
      o.put(name, value);
    }
  }

  static String text(JsonNode o, String name, String errorType) throws OpException {
    JsonNode v = o.get(name);
    if (v == null || !v.isTextual()) {
      throw new OpException(errorType, "`" + name + "` must be a string");
    }
    return v.asText();
  }

  static String optText(JsonNode o, String name) {
    JsonNode v = o.get(name);
    return v != null && v.isTextual() ? v.asText() : null;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> toMap(JsonNode object) {
    return MAPPER.convertValue(object, LinkedHashMap.class);
  }

  static Object toValue(JsonNode node) {
    return MAPPER.convertValue(node, Object.class);
  }
}
