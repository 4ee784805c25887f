package io.mpp4j.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mpp4j.tempo.internal.AttributionMemo;
import java.util.HexFormat;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * {@code tempo.receipt.verify} through {@link Operations#handle}, the adapter's code path, with
 * cases written from SPEC 3.5 step 10 and 3.8 (the suite's own receipt vectors are kept back).
 * Inputs are built here because the attribution memo depends on keccak of the challenge id.
 */
class TempoReceiptVerifyTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String TOKEN = "0x20c0000000000000000000000000000000000001";
  static final String RECIPIENT = "0x742d35cc6634c0532925a3b844bc9e7595f8fe00";
  static final String PAYER = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";
  static final String OTHER = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
  static final String HASH =
      "0x" + "e7a5ae5bfe98eb44ac86cb934b14ddace8ef451729c3b4c719d4745ad9b84e91";
  static final String TRANSFER =
      "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";
  static final String TRANSFER_WITH_MEMO =
      "0x57bc7354aa85aed339e000bccffabbc529466af35f0772c8f8ee1145927de7f0";
  static final String REALM = "api.example.com";
  static final String ID = "kM9xPqWvT2nJrHsY4aDfEbNcU6zLgVoI3eRtS8uXyA1";

  final Operations ops = new Operations(false);

  static String word(String address) {
    return "0x000000000000000000000000" + address.substring(2);
  }

  static String amount(long v) {
    return "0x" + String.format("%064x", v);
  }

  static String memo(String realm, String id) {
    return "0x" + HexFormat.of().formatHex(AttributionMemo.of(realm, id).toBytes());
  }

  static ObjectNode log(int index, String token, String from, String to, long value, String memo) {
    ObjectNode l = JSON.createObjectNode();
    l.put("address", token);
    ArrayNode topics = l.putArray("topics");
    topics.add(memo == null ? TRANSFER : TRANSFER_WITH_MEMO);
    topics.add(word(from));
    topics.add(word(to));
    if (memo != null) {
      topics.add(memo);
    }
    l.put("data", amount(value));
    l.put("logIndex", "0x" + Integer.toHexString(index));
    l.put("transactionHash", HASH);
    l.put("removed", false);
    return l;
  }

  /** A valid input: a 1.00 payment with the memo pair and the fee transfer. */
  static ObjectNode input() {
    ObjectNode in = JSON.createObjectNode();
    ObjectNode cred = in.putObject("credential");
    ObjectNode ch = cred.putObject("challenge");
    ch.put("id", ID);
    ch.put("realm", REALM);
    ch.put("method", "tempo");
    ch.put("intent", "charge");
    ch.put("expires", "2030-01-01T00:00:00Z");
    ObjectNode req = ch.putObject("request");
    req.put("amount", "1000000");
    req.put("currency", TOKEN);
    req.put("recipient", RECIPIENT);
    req.putObject("methodDetails").put("chainId", 42431);
    ObjectNode payload = cred.putObject("payload");
    payload.put("type", "hash");
    payload.put("hash", HASH);
    cred.put("source", "did:pkh:eip155:42431:" + PAYER);
    ObjectNode r = in.putObject("receipt");
    r.put("transactionHash", HASH);
    r.put("status", "0x1");
    r.put("from", PAYER);
    r.put("blockNumber", "0x2");
    r.put("gasUsed", "0x45c4a");
    r.put("effectiveGasPrice", "0x44eaf9900");
    ArrayNode logs = r.putArray("logs");
    logs.add(log(0, TOKEN, PAYER, RECIPIENT, 1_000_000, null));
    logs.add(log(1, TOKEN, PAYER, RECIPIENT, 1_000_000, memo(REALM, ID)));
    logs.add(log(2, TOKEN, PAYER, "0xfeec000000000000000000000000000000000000", 5287, null));
    r.put("feePayer", PAYER);
    return in;
  }

  JsonNode call(JsonNode input) {
    ObjectNode req = JSON.createObjectNode();
    req.put("schema", 1);
    req.put("op", "tempo.receipt.verify");
    req.set("input", input);
    return ops.handle(req);
  }

  void rejected(Consumer<ObjectNode> change) {
    ObjectNode in = input();
    change.accept(in);
    JsonNode answer = call(in);
    assertFalse(answer.path("ok").asBoolean(), answer::toString);
    assertEquals(
        "verification_error", answer.path("error").path("type").asText(), answer::toString);
  }

  static ArrayNode logs(ObjectNode in) {
    return (ArrayNode) in.path("receipt").path("logs");
  }

  @Test
  void aMatchingReceiptVerifies() {
    JsonNode answer = call(input());
    assertTrue(answer.path("ok").asBoolean(), answer::toString);
    assertEquals(
        JSON.createObjectNode().put("status", "success").put("reference", HASH),
        answer.path("value"));
  }

  @Test
  void withoutSourceTheReceiptSenderCounts() {
    ObjectNode in = input();
    ((ObjectNode) in.path("credential")).remove("source");
    assertTrue(call(in).path("ok").asBoolean());
  }

  /** The input without a source, on a receipt without {@code from}, changed by {@code change}. */
  static ObjectNode anonymous(Consumer<ObjectNode> change) {
    ObjectNode in = input();
    ((ObjectNode) in.path("credential")).remove("source");
    ((ObjectNode) in.path("receipt")).remove("from");
    change.accept(in);
    return in;
  }

  void rejectedAnonymous(Consumer<ObjectNode> change) {
    JsonNode answer = call(anonymous(change));
    assertFalse(answer.path("ok").asBoolean(), answer::toString);
    assertEquals(
        "verification_error", answer.path("error").path("type").asText(), answer::toString);
  }

  @Test
  void withoutSourceAReceiptWithoutFromIsVerifiedByItsLogs() {
    JsonNode answer = call(anonymous(in -> {}));
    assertTrue(answer.path("ok").asBoolean(), answer::toString);
    assertEquals(
        JSON.createObjectNode().put("status", "success").put("reference", HASH),
        answer.path("value"));
    // the logs' own sender is whatever they say
    JsonNode theirs =
        call(
            anonymous(
                in -> {
                  logs(in).set(0, log(0, TOKEN, OTHER, RECIPIENT, 1_000_000, null));
                  logs(in).set(1, log(1, TOKEN, OTHER, RECIPIENT, 1_000_000, memo(REALM, ID)));
                }));
    assertTrue(theirs.path("ok").asBoolean(), theirs::toString);
  }

  @Test
  void withoutSourceAndFromTheLogsMustStillCarryThisChallengesPayment() {
    rejectedAnonymous(
        in ->
            logs(in)
                .set(
                    1, log(1, TOKEN, PAYER, RECIPIENT, 1_000_000, memo(REALM, "other-challenge"))));
    rejectedAnonymous(in -> logs(in).remove(1));
    rejectedAnonymous(
        in -> {
          logs(in).set(0, log(0, TOKEN, PAYER, RECIPIENT, 999_999, null));
          logs(in).set(1, log(1, TOKEN, PAYER, RECIPIENT, 999_999, memo(REALM, ID)));
        });
    rejectedAnonymous(
        in -> {
          logs(in).set(0, log(0, TOKEN, PAYER, OTHER, 1_000_000, null));
          logs(in).set(1, log(1, TOKEN, PAYER, OTHER, 1_000_000, memo(REALM, ID)));
        });
    String otherToken = "0x20c0000000000000000000000000000000000002";
    rejectedAnonymous(
        in -> {
          logs(in).set(0, log(0, otherToken, PAYER, RECIPIENT, 1_000_000, null));
          logs(in).set(1, log(1, otherToken, PAYER, RECIPIENT, 1_000_000, memo(REALM, ID)));
        });
    rejectedAnonymous(in -> ((ObjectNode) in.path("receipt")).put("status", "0x0"));
  }

  @Test
  void withASourceAReceiptWithoutFromIsRejected() {
    rejected(in -> ((ObjectNode) in.path("receipt")).remove("from"));
  }

  @Test
  void aSingleTransferWithMemoEventSuffices() {
    ObjectNode in = input();
    logs(in).remove(0);
    assertTrue(call(in).path("ok").asBoolean());
  }

  @Test
  void aRevertedTransactionIsRejected() {
    rejected(in -> ((ObjectNode) in.path("receipt")).put("status", "0x0"));
  }

  @Test
  void aReceiptForAnotherHashIsRejected() {
    rejected(
        in ->
            ((ObjectNode) in.path("credential").path("payload"))
                .put("hash", "0x" + "11".repeat(32)));
  }

  @Test
  void aWrongAmountIsRejected() {
    rejected(
        in -> {
          logs(in).set(0, log(0, TOKEN, PAYER, RECIPIENT, 999_999, null));
          logs(in).set(1, log(1, TOKEN, PAYER, RECIPIENT, 999_999, memo(REALM, ID)));
        });
  }

  @Test
  void aWrongRecipientIsRejected() {
    rejected(
        in -> {
          logs(in).set(0, log(0, TOKEN, PAYER, OTHER, 1_000_000, null));
          logs(in).set(1, log(1, TOKEN, PAYER, OTHER, 1_000_000, memo(REALM, ID)));
        });
  }

  @Test
  void anotherTokenIsRejected() {
    String other = "0x20c0000000000000000000000000000000000002";
    rejected(
        in -> {
          logs(in).set(0, log(0, other, PAYER, RECIPIENT, 1_000_000, null));
          logs(in).set(1, log(1, other, PAYER, RECIPIENT, 1_000_000, memo(REALM, ID)));
        });
  }

  @Test
  void aTransferWithoutTheAttributionMemoIsRejected() {
    rejected(in -> logs(in).remove(1));
  }

  @Test
  void aMemoForAnotherChallengeOrRealmIsRejected() {
    rejected(
        in ->
            logs(in)
                .set(
                    1, log(1, TOKEN, PAYER, RECIPIENT, 1_000_000, memo(REALM, "other-challenge"))));
    rejected(
        in ->
            logs(in)
                .set(1, log(1, TOKEN, PAYER, RECIPIENT, 1_000_000, memo("evil.example.com", ID))));
  }

  @Test
  void aTransferFromSomeoneElseIsRejected() {
    rejected(
        in -> {
          logs(in).set(0, log(0, TOKEN, OTHER, RECIPIENT, 1_000_000, null));
          logs(in).set(1, log(1, TOKEN, OTHER, RECIPIENT, 1_000_000, memo(REALM, ID)));
        });
  }

  @Test
  void aSourceThatDidNotSendIsRejected() {
    rejected(
        in -> ((ObjectNode) in.path("credential")).put("source", "did:pkh:eip155:42431:" + OTHER));
    rejected(
        in -> ((ObjectNode) in.path("credential")).put("source", "did:pkh:eip155:4217:" + PAYER));
  }

  @Test
  void splitsMustAllAppear() {
    String share = "0x1111111111111111111111111111111111111111";
    ObjectNode in = input();
    ObjectNode details =
        (ObjectNode) in.path("credential").path("challenge").path("request").path("methodDetails");
    details.putArray("splits").addObject().put("amount", "100000").put("recipient", share);
    logs(in).set(0, log(0, TOKEN, PAYER, RECIPIENT, 900_000, null));
    logs(in).set(1, log(1, TOKEN, PAYER, RECIPIENT, 900_000, memo(REALM, ID)));
    JsonNode without = call(in);
    assertFalse(without.path("ok").asBoolean(), without::toString);
    logs(in).add(log(3, TOKEN, PAYER, share, 100_000, null));
    assertTrue(call(in).path("ok").asBoolean());
  }

  @Test
  void malformedInputsAreVerificationErrors() {
    rejected(in -> ((ObjectNode) in.path("receipt")).put("status", "yes"));
    rejected(in -> ((ObjectNode) in.path("receipt")).remove("logs"));
    rejected(in -> ((ObjectNode) in.path("credential").path("payload")).put("type", "cheque"));
    rejected(
        in ->
            ((ObjectNode) in.path("credential").path("challenge").path("request"))
                .remove("recipient"));
  }
}
