package io.mpp4j.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpp4j.core.MalformedMessageException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The maps JSON objects are frozen and parsed into behave as unmodifiable maps. */
class FrozenJsonTest {
  /** Sizes up to this are tested (the former compact maps held up to 8 members). */
  private static final int SIZES = 10;

  private static Map<String, Object> reference(int size) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int k = 0; k < size; k++) {
      m.put("k" + (size - k), k % 3 == 0 ? null : (Object) ("v" + k));
    }
    return m;
  }

  private static Object parse(String json) throws MalformedMessageException {
    return WireJsonParser.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void behavesLikeTheLinkedHashMapItCopies() {
    for (int size = 0; size <= SIZES; size++) {
      Map<String, Object> expected = reference(size);
      Map<String, Object> frozen = Json.freezeObject(expected);
      assertEquals(expected, frozen);
      assertEquals(frozen, expected);
      assertEquals(expected.hashCode(), frozen.hashCode());
      assertEquals(expected.toString(), frozen.toString());
      assertEquals(List.copyOf(expected.keySet()), List.copyOf(frozen.keySet()));
      assertEquals(new ArrayList<>(expected.values()), new ArrayList<>(frozen.values()));
      assertEquals(expected.size(), frozen.size());
      assertEquals(expected.isEmpty(), frozen.isEmpty());
      for (String key : expected.keySet()) {
        assertTrue(frozen.containsKey(key));
        assertEquals(expected.get(key), frozen.get(key));
        assertEquals(expected.get(key), frozen.getOrDefault(key, "default"));
      }
      assertFalse(frozen.containsKey("absent"));
      assertFalse(frozen.containsKey(null));
      assertNull(frozen.get("absent"));
      assertEquals("default", frozen.getOrDefault("absent", "default"));
      Map<String, Object> visited = new LinkedHashMap<>();
      frozen.forEach(visited::put);
      assertEquals(expected, visited);
    }
  }

  @Test
  void refusesEveryChange() {
    Map<String, Object> frozen = Json.freezeObject(reference(3));
    List<Executable> changes =
        List.of(
            () -> frozen.put("k1", "x"),
            () -> frozen.put("new", "x"),
            () -> frozen.remove("k1"),
            () -> frozen.remove("absent"),
            () -> frozen.putAll(Map.of("a", 1)),
            frozen::clear,
            () -> frozen.replaceAll((k, v) -> v),
            () -> frozen.putIfAbsent("k2", "x"),
            () -> frozen.remove("k1", null),
            () -> frozen.replace("k2", "v1", "x"),
            () -> frozen.replace("k2", "x"),
            () -> frozen.computeIfAbsent("k2", k -> "x"),
            () -> frozen.computeIfPresent("k2", (k, v) -> "x"),
            () -> frozen.compute("k2", (k, v) -> "x"),
            () -> frozen.merge("k2", "x", (a, b) -> b),
            () -> frozen.keySet().remove("k1"),
            () -> frozen.values().clear(),
            () -> frozen.entrySet().iterator().remove(),
            () -> frozen.entrySet().iterator().next().setValue("x"));
    for (Executable change : changes) {
      assertThrows(UnsupportedOperationException.class, change);
    }
    assertEquals(reference(3), frozen);
  }

  @Test
  void freezingKeepsOneMemberPerName() {
    // A map comparing keys by identity can hold two equal names; the frozen copy must not.
    @SuppressWarnings("IdentityHashMapUsage") // the identity semantics are the input under test
    Map<String, Object> identity = new IdentityHashMap<>();
    identity.put(new String("a"), 1);
    identity.put(new String("a"), 2);
    Map<String, Object> frozen = Json.freezeObject(identity);
    assertEquals(1, frozen.size());
  }

  @Test
  void parsedObjectsOfEverySizeRefuseDuplicateNames() throws Exception {
    for (int size = 1; size <= SIZES + 1; size++) {
      StringBuilder json = new StringBuilder("{");
      Map<String, Object> expected = new LinkedHashMap<>();
      for (int k = 0; k < size; k++) {
        json.append(k > 0 ? "," : "").append("\"m").append(k).append("\":").append(k);
        expected.put("m" + k, k);
      }
      assertEquals(expected, parse(json + "}"));
      for (int dup = 0; dup < size; dup++) {
        String withDuplicate = json + ",\"m" + dup + "\":null}";
        MalformedMessageException e =
            assertThrows(MalformedMessageException.class, () -> parse(withDuplicate));
        assertEquals(
            "invalid JSON: duplicate member name at offset " + (withDuplicate.length() - 1),
            e.getMessage());
      }
    }
  }
}
