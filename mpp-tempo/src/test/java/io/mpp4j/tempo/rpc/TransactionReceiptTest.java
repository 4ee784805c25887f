package io.mpp4j.tempo.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mpp4j.tempo.Address;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A receipt is a value: equal fields, including the logs' bytes, make equal receipts. */
class TransactionReceiptTest {

  private static final Address TOKEN = Address.of(new byte[20]);

  @Test
  void aReceiptParsedTwiceEqualsItself() throws Exception {
    ObjectNode json = (ObjectNode) RpcStandIn.tree(RpcStandIn.successReceipt());
    TransactionReceipt first = ReceiptJson.parse(json);
    TransactionReceipt second = ReceiptJson.parse(json);
    assertEquals(first, second);
    assertEquals(first.hashCode(), second.hashCode());
  }

  @Test
  void logsCompareTheirBytesNotTheirArrays() {
    byte[] topic = new byte[32];
    topic[31] = 1;
    TransactionReceipt.Log log =
        new TransactionReceipt.Log(3, TOKEN, List.of(topic), new byte[] {1, 2});
    TransactionReceipt.Log same =
        new TransactionReceipt.Log(3, TOKEN, List.of(topic.clone()), new byte[] {1, 2});
    assertEquals(log, same);
    assertEquals(log.hashCode(), same.hashCode());

    byte[] otherTopic = topic.clone();
    otherTopic[31] = 2;
    assertNotEquals(
        log, new TransactionReceipt.Log(3, TOKEN, List.of(otherTopic), new byte[] {1, 2}));
    assertNotEquals(log, new TransactionReceipt.Log(3, TOKEN, List.of(topic), new byte[] {1, 3}));
    assertNotEquals(log, new TransactionReceipt.Log(3, TOKEN, List.of(), new byte[] {1, 2}));
    assertNotEquals(log, new TransactionReceipt.Log(4, TOKEN, List.of(topic), new byte[] {1, 2}));
  }
}
