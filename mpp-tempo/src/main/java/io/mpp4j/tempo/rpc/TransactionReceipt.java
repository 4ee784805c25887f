package io.mpp4j.tempo.rpc;

import io.mpp4j.tempo.Address;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The fields of an {@code eth_getTransactionReceipt} result that payment verification reads.
 *
 * @param transactionHash 0x + 64 lowercase hex
 * @param success {@code status == 0x1}
 * @param from the transaction's sender; null only in a receipt read by {@link #parseJson} that
 *     names none (a node's receipt always does, and {@link Web3jTempoRpc} refuses one without it)
 * @param blockNumber the block it was mined in
 * @param gasUsed gas used
 * @param effectiveGasPrice the effective gas price, or null when the node omits it
 * @param logs the logs in order
 */
public record TransactionReceipt(
    String transactionHash,
    boolean success,
    @Nullable Address from,
    long blockNumber,
    BigInteger gasUsed,
    @Nullable BigInteger effectiveGasPrice,
    List<Log> logs) {

  /**
   * Parses an {@code eth_getTransactionReceipt} result object strictly (the JSON-RPC client's
   * parser), except that {@code from} may be absent, as in receipt fixtures; unknown members are
   * ignored.
   *
   * @throws io.mpp4j.core.MalformedMessageException naming the missing or malformed field
   */
  public static TransactionReceipt parseJson(String json)
      throws io.mpp4j.core.MalformedMessageException {
    Objects.requireNonNull(json, "json == null");
    com.fasterxml.jackson.databind.JsonNode node;
    try {
      node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new io.mpp4j.core.MalformedMessageException("receipt is not JSON");
    }
    try {
      return ReceiptJson.parse(node, false);
    } catch (ReceiptJson.Malformed e) {
      throw new io.mpp4j.core.MalformedMessageException(e.getMessage());
    }
  }

  /** Validates and copies. */
  public TransactionReceipt {
    Objects.requireNonNull(transactionHash, "transactionHash == null");
    Objects.requireNonNull(gasUsed, "gasUsed == null");
    logs = List.copyOf(logs);
  }

  /**
   * One log entry.
   *
   * @param logIndex its index in the block
   * @param address the emitting contract
   * @param topics the topics (32 bytes each)
   * @param data the data
   */
  // equals and hashCode below compare the arrays' contents.
  @SuppressWarnings("ArrayRecordComponent")
  public record Log(long logIndex, Address address, List<byte[]> topics, byte[] data) {
    /** Validates and copies. */
    public Log {
      Objects.requireNonNull(address, "address == null");
      topics = topics.stream().map(byte[]::clone).toList();
      data = data.clone();
    }

    @Override
    public List<byte[]> topics() {
      return topics.stream().map(byte[]::clone).toList();
    }

    @Override
    public byte[] data() {
      return data.clone();
    }

    /** Equal when every field is, comparing the topics' and the data's bytes. */
    @Override
    public boolean equals(@Nullable Object o) {
      if (!(o instanceof Log l)
          || logIndex != l.logIndex
          || !address.equals(l.address)
          || !Arrays.equals(data, l.data)
          || topics.size() != l.topics.size()) {
        return false;
      }
      for (int i = 0; i < topics.size(); i++) {
        if (!Arrays.equals(topics.get(i), l.topics.get(i))) {
          return false;
        }
      }
      return true;
    }

    @Override
    public int hashCode() {
      int h = Objects.hash(logIndex, address, Arrays.hashCode(data));
      for (byte[] topic : topics) {
        h = 31 * h + Arrays.hashCode(topic);
      }
      return h;
    }
  }
}
