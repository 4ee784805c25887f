package io.mpp4j.tempo.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ReceiptJsonTest {

  private static ObjectNode receipt() {
    return (ObjectNode) RpcStandIn.tree(RpcStandIn.successReceipt());
  }

  private static ObjectNode firstLog(ObjectNode receipt) {
    return (ObjectNode) receipt.get("logs").get(0);
  }

  private static void assertMalformed(Consumer<ObjectNode> edit) {
    ObjectNode r = receipt();
    edit.accept(r);
    assertThrows(ReceiptJson.Malformed.class, () -> ReceiptJson.parse(r), r::toString);
  }

  @Test
  void extraTempoFieldsAreIgnoredAndOptionalPriceMayBeAbsent() throws Exception {
    ObjectNode r = receipt();
    r.put("feePayer", "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266");
    r.put("somethingNew", 7);
    r.remove("effectiveGasPrice");
    TransactionReceipt parsed = ReceiptJson.parse(r);
    assertNull(parsed.effectiveGasPrice());
    assertEquals(2, parsed.logs().size());
  }

  @Test
  void upperCaseHexIsReadAndTheHashIsLowerCased() throws Exception {
    ObjectNode r = receipt();
    String hash = r.get("transactionHash").textValue();
    String upper = "0x" + hash.substring(2).toUpperCase(java.util.Locale.ROOT);
    r.put("transactionHash", upper);
    for (JsonNode log : r.get("logs")) {
      ((ObjectNode) log).put("transactionHash", upper);
    }
    assertEquals(hash, ReceiptJson.parse(r).transactionHash());
  }

  @Test
  void emptyLogsAreFine() throws Exception {
    ObjectNode r = receipt();
    r.putArray("logs");
    assertTrue(ReceiptJson.parse(r).logs().isEmpty());
  }

  @Test
  void strictFields() {
    assertMalformed(r -> r.put("status", "0x2"));
    assertMalformed(r -> r.put("status", "1"));
    assertMalformed(r -> r.put("status", 1));
    assertMalformed(r -> r.put("status", "0x"));
    assertMalformed(r -> r.remove("status"));
    assertMalformed(r -> r.put("transactionHash", "0x1234"));
    assertMalformed(r -> r.putNull("transactionHash"));
    assertMalformed(r -> r.put("from", "0xf39fd6e51aad88f6f4ce6ab8827279cfffb922"));
    assertMalformed(r -> r.put("from", "f39fd6e51aad88f6f4ce6ab8827279cfffb92266"));
    assertMalformed(r -> r.putNull("blockNumber"));
    assertMalformed(r -> r.put("blockNumber", "0x" + "f".repeat(17)));
    assertMalformed(r -> r.put("gasUsed", "0x-1"));
    assertMalformed(r -> r.put("gasUsed", "0x ff"));
    assertMalformed(r -> r.put("gasUsed", "0x" + "1".repeat(65)));
    assertMalformed(r -> r.put("effectiveGasPrice", 5));
    assertMalformed(r -> r.remove("logs"));
    assertMalformed(r -> r.put("logs", "[]"));
  }

  @Test
  void strictLogs() {
    assertMalformed(r -> firstLog(r).put("data", "0x123"));
    // Arabic-Indic digit three: Character.digit would accept it.
    assertMalformed(r -> firstLog(r).put("data", "0x\u0663\u0663"));
    assertMalformed(r -> firstLog(r).put("data", "00"));
    assertMalformed(r -> firstLog(r).remove("data"));
    assertMalformed(r -> firstLog(r).put("address", "0x20c00000000000000000000000000000000000"));
    assertMalformed(r -> ((ArrayNode) firstLog(r).get("topics")).set(1, "0x1234"));
    assertMalformed(r -> ((ArrayNode) firstLog(r).get("topics")).add(1));
    assertMalformed(
        r -> {
          ArrayNode topics = (ArrayNode) firstLog(r).get("topics");
          topics.add(topics.get(0).textValue()).add(topics.get(0).textValue());
        });
    assertMalformed(r -> firstLog(r).remove("logIndex"));
    assertMalformed(r -> firstLog(r).put("removed", true));
    assertMalformed(r -> firstLog(r).put("transactionHash", "0x" + "ab".repeat(32)));
    assertMalformed(r -> ((ArrayNode) r.get("logs")).add("log"));
  }

  @Test
  void aNodesReceiptMustNameItsSenderButAFixtureNeedNot() throws Exception {
    assertMalformed(r -> r.remove("from"));
    assertMalformed(r -> r.putNull("from"));
    ObjectNode r = receipt();
    r.remove("from");
    // TempoMethod.verifyReceipt (conformance fixtures) reads it without a sender ...
    TransactionReceipt fixture = TransactionReceipt.parseJson(r.toString());
    assertNull(fixture.from());
    assertEquals(2, fixture.logs().size());
    // ... but a malformed one is still refused
    r.put("from", "0x1234");
    assertThrows(
        io.mpp4j.core.MalformedMessageException.class,
        () -> TransactionReceipt.parseJson(r.toString()));
  }

  @Test
  void notAnObject() {
    assertThrows(
        ReceiptJson.Malformed.class,
        () -> ReceiptJson.parse(RpcStandIn.JSON.getNodeFactory().textNode("0x1")));
  }
}
