package io.mpp4j.tempo.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import io.mpp4j.tempo.Address;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Strict reading of an {@code eth_getTransactionReceipt} result. Only the fields payment
 * verification needs are read; unknown fields (Tempo's {@code feePayer}, {@code feeToken}, {@code
 * blockTimestamp}, {@code logsBloom} ...) are ignored. Every defect is a {@link Malformed} that
 * names the field, never echoing its value.
 */
final class ReceiptJson {
  static final int HASH_BYTES = 32;
  private static final int MAX_TOPICS = 4;
  private static final int MAX_QUANTITY_DIGITS = 64;

  private ReceiptJson() {}

  /** A result that is not a well-formed receipt. */
  static final class Malformed extends Exception {
    private static final long serialVersionUID = 1L;

    Malformed(String message) {
      super(message);
    }
  }

  /**
   * Parses a receipt object as a node sends it: {@code from} is required.
   *
   * @throws Malformed if a needed field is missing or not strict hex of the right length
   */
  static TransactionReceipt parse(JsonNode node) throws Malformed {
    return parse(node, true);
  }

  /**
   * Parses a receipt object; {@code from} may be absent unless {@code fromRequired}.
   *
   * @throws Malformed if a needed field is missing or not strict hex of the right length
   */
  static TransactionReceipt parse(JsonNode node, boolean fromRequired) throws Malformed {
    if (!node.isObject()) {
      throw new Malformed("receipt is not a JSON object");
    }
    String hash = hash32(text(node, "transactionHash"), "transactionHash");
    BigInteger status = quantity(text(node, "status"), "status");
    boolean success;
    if (status.equals(BigInteger.ONE)) {
      success = true;
    } else if (status.signum() == 0) {
      success = false;
    } else {
      throw new Malformed("receipt status is neither 0x0 nor 0x1");
    }
    String fromText = fromRequired ? text(node, "from") : optionalText(node, "from");
    Address from = fromText == null ? null : address(fromText, "from");
    long blockNumber = longQuantity(text(node, "blockNumber"), "blockNumber");
    BigInteger gasUsed = quantity(text(node, "gasUsed"), "gasUsed");
    String priceText = optionalText(node, "effectiveGasPrice");
    BigInteger effectiveGasPrice =
        priceText == null ? null : quantity(priceText, "effectiveGasPrice");
    JsonNode logsNode = node.get("logs");
    if (logsNode == null || !logsNode.isArray()) {
      throw new Malformed("receipt logs is not an array");
    }
    List<TransactionReceipt.Log> logs = new ArrayList<>(logsNode.size());
    for (JsonNode log : logsNode) {
      logs.add(log(log, hash));
    }
    return new TransactionReceipt(
        hash, success, from, blockNumber, gasUsed, effectiveGasPrice, logs);
  }

  private static TransactionReceipt.Log log(JsonNode node, String receiptHash) throws Malformed {
    if (!node.isObject()) {
      throw new Malformed("receipt log is not a JSON object");
    }
    String txHash = optionalText(node, "transactionHash");
    if (txHash != null && !hash32(txHash, "log transactionHash").equals(receiptHash)) {
      throw new Malformed("receipt log belongs to another transaction");
    }
    JsonNode removed = node.get("removed");
    if (removed != null && !removed.isNull() && (!removed.isBoolean() || removed.booleanValue())) {
      throw new Malformed("receipt log is marked removed");
    }
    long logIndex = longQuantity(text(node, "logIndex"), "logIndex");
    Address address = address(text(node, "address"), "log address");
    JsonNode topicsNode = node.get("topics");
    if (topicsNode == null || !topicsNode.isArray() || topicsNode.size() > MAX_TOPICS) {
      throw new Malformed("receipt log topics is not an array of at most 4 topics");
    }
    List<byte[]> topics = new ArrayList<>(topicsNode.size());
    for (JsonNode topic : topicsNode) {
      if (!topic.isTextual()) {
        throw new Malformed("receipt log topic is not a string");
      }
      byte[] t = bytes(topic.textValue(), "log topic");
      if (t.length != HASH_BYTES) {
        throw new Malformed("receipt log topic is not 32 bytes");
      }
      topics.add(t);
    }
    byte[] data = bytes(text(node, "data"), "log data");
    return new TransactionReceipt.Log(logIndex, address, topics, data);
  }

  /** Reads a required string field. */
  static String text(JsonNode node, String field) throws Malformed {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual()) {
      throw new Malformed("receipt " + field + " is missing or not a string");
    }
    return v.textValue();
  }

  /** The text of a node that must be a JSON string. */
  static String requireText(JsonNode node, String what) throws Malformed {
    if (!node.isTextual()) {
      throw new Malformed(what + " is not a string");
    }
    return node.textValue();
  }

  private static @Nullable String optionalText(JsonNode node, String field) throws Malformed {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new Malformed("receipt " + field + " is not a string");
    }
    return v.textValue();
  }

  /** A 32-byte hash as {@code 0x} + 64 lowercase hex digits. */
  static String hash32(String hex, String what) throws Malformed {
    byte[] b = bytes(hex, what);
    if (b.length != HASH_BYTES) {
      throw new Malformed(what + " is not 32 bytes");
    }
    return hex.toLowerCase(Locale.ROOT);
  }

  /** Even-length {@code 0x} hex data (either case). */
  static byte[] bytes(String hex, String what) throws Malformed {
    if (!hex.startsWith("0x")) {
      throw new Malformed(what + " does not start with 0x");
    }
    int digits = hex.length() - 2;
    if (digits % 2 != 0) {
      throw new Malformed(what + " has an odd number of hex digits");
    }
    byte[] out = new byte[digits / 2];
    for (int i = 0; i < out.length; i++) {
      int hi = hexDigit(hex.charAt(2 + 2 * i));
      int lo = hexDigit(hex.charAt(3 + 2 * i));
      if (hi < 0 || lo < 0) {
        throw new Malformed(what + " is not hex");
      }
      out[i] = (byte) ((hi << 4) | lo);
    }
    return out;
  }

  /**
   * A JSON-RPC quantity: {@code 0x} and 1 to 64 hex digits. Leading zeros are tolerated (some nodes
   * write them), signs and whitespace are not.
   */
  static BigInteger quantity(String hex, String what) throws Malformed {
    if (!hex.startsWith("0x")) {
      throw new Malformed(what + " does not start with 0x");
    }
    int digits = hex.length() - 2;
    if (digits < 1 || digits > MAX_QUANTITY_DIGITS) {
      throw new Malformed(what + " is not a quantity of 1 to 64 hex digits");
    }
    for (int i = 2; i < hex.length(); i++) {
      if (hexDigit(hex.charAt(i)) < 0) {
        throw new Malformed(what + " is not hex");
      }
    }
    return new BigInteger(hex.substring(2), 16);
  }

  /** A quantity that fits a non-negative {@code long}. */
  static long longQuantity(String hex, String what) throws Malformed {
    BigInteger v = quantity(hex, what);
    if (v.bitLength() > 63) {
      throw new Malformed(what + " does not fit a long");
    }
    return v.longValueExact();
  }

  /** ASCII hex only: {@code Character.digit} would also accept non-ASCII digits. */
  private static int hexDigit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  private static Address address(String hex, String what) throws Malformed {
    byte[] b = bytes(hex, what);
    if (b.length != Address.LENGTH) {
      throw new Malformed(what + " is not 20 bytes");
    }
    return Address.of(b);
  }
}
