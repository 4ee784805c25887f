package io.mpp4j.core.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.mpp4j.core.MalformedMessageException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The one place mpp-core configures Jackson. Parsing is strict and bounded (duplicate keys,
 * trailing tokens, nesting deeper than {@value #MAX_DEPTH} and oversized strings or numbers are
 * errors), and parsed trees are returned as unmodifiable plain Java values ({@link Map}, {@link
 * List}, {@link String}, {@link Number}, {@link Boolean}, {@code null}).
 */
public final class Json {
  /** Maximum nesting depth of any JSON document mpp4j parses from the wire. */
  public static final int MAX_DEPTH = 32;

  /** Largest JSON document mpp4j parses from the wire. */
  public static final int MAX_DOCUMENT_BYTES = 1024 * 1024;

  private static final ObjectMapper MAPPER =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(MAX_DEPTH)
                          .maxStringLength(64 * 1024)
                          .maxNumberLength(64)
                          .maxDocumentLength(1024 * 1024)
                          .build())
                  .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                  .build())
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .disable(JsonParser.Feature.ALLOW_COMMENTS)
          .build();

  private Json() {}

  /**
   * Parses a JSON object.
   *
   * @param what names the document in error messages, e.g. "credential"
   * @throws MalformedMessageException when the bytes are not one well-formed JSON object
   */
  public static Map<String, Object> parseObject(byte[] json, String what)
      throws MalformedMessageException {
    if (json.length > MAX_DOCUMENT_BYTES) {
      throw new MalformedMessageException(
          what + " is larger than " + MAX_DOCUMENT_BYTES + " bytes");
    }
    Object value;
    try {
      value = WireJsonParser.parse(json);
    } catch (MalformedMessageException e) {
      throw new MalformedMessageException(what + " is not valid JSON", e);
    }
    if (!(value instanceof Map)) {
      throw new MalformedMessageException(what + " is not a JSON object");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> map = (Map<String, Object>) value;
    return map; // already deeply unmodifiable
  }

  /**
   * Serializes plain Java values as compact JSON, keeping map insertion order.
   *
   * @throws IllegalArgumentException when Jackson cannot write the value
   */
  public static byte[] write(@Nullable Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("value cannot be written as JSON", e);
    }
  }

  /**
   * Returns a deeply unmodifiable copy of a JSON value tree, keeping map order. Values that are
   * already frozen by this method are copied again, which is cheap for the small trees MPP uses.
   */
  public static @Nullable Object freeze(@Nullable Object value) {
    // Leaves first, and class tests before interface tests: a failed interface test (a string
    // tested for Map) scans the class's interface list, costing more than all the rest here.
    if (value == null
        || value instanceof String
        || value instanceof Number
        || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>(Math.max(4, map.size() * 2));
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!(e.getKey() instanceof String key)) {
          throw new IllegalArgumentException("JSON object keys must be strings");
        }
        copy.put(key, freeze(e.getValue()));
      }
      return Collections.unmodifiableMap(copy);
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      for (Object item : list) {
        copy.add(freeze(item));
      }
      return Collections.unmodifiableList(copy);
    }
    throw new IllegalArgumentException(
        "not a JSON value: "
            + value.getClass().getName()
            + " (use Map, List, String, Number, Boolean)");
  }

  /** Freezes a JSON object tree. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> freezeObject(Map<String, ?> map) {
    return (Map<String, Object>) freeze(map);
  }
}
