package io.mpp4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CanonicalJsonTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static String canon(String json) throws Exception {
    return CanonicalJson.canonicalizeToString(MAPPER.readValue(json, Object.class));
  }

  @Test
  void rfc8785Section32Example() throws Exception {
    String input =
        "{\"numbers\": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],"
            + " \"string\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\","
            + " \"literals\": [null, true, false]}";
    assertEquals(
        "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
            + "\"string\":\"€$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}",
        canon(input));
  }

  @Test
  void rfc8785SortingExample() throws Exception {
    String input =
        "{\"\\u20ac\": \"Euro Sign\", \"\\r\": \"Carriage Return\", \"\\ufb33\": \"Hebrew Letter"
            + " Dalet With Dagesh\", \"1\": \"One\", \"\\ud83d\\ude00\": \"Emoji: Grinning Face\","
            + " \"\\u0080\": \"Control\", \"\\u00f6\": \"Latin Small Letter O With Diaeresis\"}";
    assertEquals(
        "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\",\"ö\":\"Latin Small"
            + " Letter O With Diaeresis\",\"€\":\"Euro Sign\",\"😀\":\"Emoji: Grinning"
            + " Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}",
        canon(input));
  }

  @Test
  void sortsKeysByUtf16CodeUnitsUppercaseFirst() throws Exception {
    // SPEC 1.3, CONF mixed_case_key_ordering.
    assertEquals(
        "{\"Currency\":\"USD\",\"ZONE\":\"eu-1\",\"amount\":\"1000000\","
            + "\"network\":{\"Layer\":\"L2\",\"chainId\":42431}}",
        canon(
            "{\"amount\":\"1000000\",\"Currency\":\"USD\",\"ZONE\":\"eu-1\","
                + "\"network\":{\"chainId\":42431,\"Layer\":\"L2\"}}"));
  }

  @Test
  void sortsObjectsOfEverySizeWithTheirValues() {
    // Small objects are sorted in place with their values, larger ones by key alone: both must
    // give UTF-16 code unit order with each value beside its own key.
    java.util.SplittableRandom random = new java.util.SplittableRandom(11);
    String alphabet = "aAbB0_é€\ud83d\ude00Zz";
    for (int size = 0; size <= 40; size++) {
      for (int round = 0; round < 20; round++) {
        Map<String, Object> map = new LinkedHashMap<>();
        while (map.size() < size) {
          StringBuilder key = new StringBuilder();
          int length = random.nextInt(0, 4);
          for (int k = 0; k < length; k++) {
            int at = random.nextInt(alphabet.length());
            if (Character.isSurrogate(alphabet.charAt(at))) {
              key.append("\ud83d\ude00");
            } else {
              key.append(alphabet.charAt(at));
            }
          }
          map.put(key.toString(), "v" + key);
        }
        StringBuilder expected = new StringBuilder("{");
        for (String key : new java.util.TreeMap<>(map).keySet()) {
          expected.append(expected.length() > 1 ? "," : "");
          expected.append('"').append(key).append("\":\"v").append(key).append('"');
        }
        assertEquals(expected.append('}').toString(), CanonicalJson.canonicalizeToString(map));
      }
    }
  }

  @Test
  void keepsHtmlCharactersAndNonAsciiRaw() throws Exception {
    assertEquals(
        "{\"d\":\"Access <premium> & analytics / café ☕\"}",
        canon("{\"d\":\"Access <premium> & analytics \\/ caf\\u00e9 \\u2615\"}"));
  }

  @Test
  void escapesOnlyQuoteBackslashAndControlsWithLowercaseHex() throws Exception {
    assertEquals(
        "\"\\b\\t\\n\\f\\r\\u0000\\u001f\\u007f\"".replace("\\u007f", "\u007f"),
        CanonicalJson.canonicalizeToString("\b\t\n\f\r\u0000\u001f\u007f"));
    assertEquals("\"\\\"\\\\\"", CanonicalJson.canonicalizeToString("\"\\"));
  }

  @Test
  void noWhitespaceAndNestedStructures() throws Exception {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("b", List.of(1, "x", Map.of("z", true, "a", false)));
    m.put("a", null);
    assertEquals(
        "{\"a\":null,\"b\":[1,\"x\",{\"a\":false,\"z\":true}]}",
        CanonicalJson.canonicalizeToString(m));
  }

  @ParameterizedTest
  @CsvSource({
    "0000000000000000,0",
    "8000000000000000,0",
    "0000000000000001,5e-324",
    "8000000000000001,-5e-324",
    "7fefffffffffffff,1.7976931348623157e+308",
    "4340000000000000,9007199254740992",
    "c340000000000000,-9007199254740992",
    "4430000000000000,295147905179352830000",
    "44b52d02c7e14af5,9.999999999999997e+22",
    "44b52d02c7e14af6,1e+23",
    "444b1ae4d6e2ef4f,999999999999999900000",
    "444b1ae4d6e2ef50,1e+21",
    "3eb0c6f7a0b5ed8c,9.999999999999997e-7",
    "3eb0c6f7a0b5ed8d,0.000001",
    "41b3de4355555554,333333333.33333325",
    "becbf647612f3696,-0.0000033333333333333333",
    "43143ff3c1cb0959,1424953923781206.2"
  })
  void formatsNumbersLikeEcmascript(String bits, String expected) {
    double d = Double.longBitsToDouble(Long.parseUnsignedLong(bits, 16));
    assertEquals(expected, CanonicalJson.formatNumber(d));
  }

  @Test
  void formatsSixThousandNumbersExactlyAsV8Does() throws Exception {
    List<String[]> rows = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                getClass().getResourceAsStream("/jcs/es6-numbers.txt"), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (!line.startsWith("#") && !line.isBlank()) {
          rows.add(line.split(" ", 2));
        }
      }
    }
    assertEquals(4500 + 2098, rows.size()); // random doubles, then every power of two
    List<String> wrong = new ArrayList<>();
    for (String[] row : rows) {
      double d = Double.longBitsToDouble(Long.parseUnsignedLong(row[0], 16));
      String mine = CanonicalJson.formatNumber(d);
      if (!mine.equals(row[1])) {
        wrong.add(row[0] + ": expected " + row[1] + " but was " + mine);
      }
    }
    assertEquals(List.of(), wrong);
  }

  @Test
  void integersAndBigNumbers() {
    assertEquals("42431", CanonicalJson.formatNumber(42431));
    assertEquals("-1", CanonicalJson.formatNumber(-1L));
    assertEquals(
        "9007199254740991", CanonicalJson.formatNumber(new BigInteger("9007199254740991")));
    // 2^53 + 1 is not a double: JavaScript prints the nearest one.
    assertEquals(
        "9007199254740992", CanonicalJson.formatNumber(new BigInteger("9007199254740993")));
    // Beyond 2^53 the value is an IEEE double, as in JavaScript.
    assertEquals(
        "18446744073709552000", CanonicalJson.formatNumber(new BigInteger("18446744073709551615")));
    assertEquals("4.5", CanonicalJson.formatNumber(new BigDecimal("4.50")));
    assertEquals("100", CanonicalJson.formatNumber(100.0));
  }

  @Test
  void refusesWhatJsonCannotRepresent() {
    assertThrows(IllegalArgumentException.class, () -> CanonicalJson.formatNumber(Double.NaN));
    assertThrows(
        IllegalArgumentException.class, () -> CanonicalJson.formatNumber(Double.POSITIVE_INFINITY));
    assertThrows(IllegalArgumentException.class, () -> CanonicalJson.canonicalize("\ud800"));
    assertThrows(IllegalArgumentException.class, () -> CanonicalJson.canonicalize("a\udc00b"));
    Map<Object, Object> badKey = new HashMap<>();
    badKey.put(1, "x");
    assertThrows(IllegalArgumentException.class, () -> CanonicalJson.canonicalize(badKey));
    assertThrows(IllegalArgumentException.class, () -> CanonicalJson.canonicalize(new Object()));
  }

  @Test
  void isIdempotent() throws Exception {
    String once = canon("{\"b\":[1.0,2e2,{\"y\":\"\\u00e9\",\"x\":null}],\"a\":\"\\u001f\"}");
    assertEquals(once, canon(once));
    assertEquals(
        Arrays.toString(once.getBytes(StandardCharsets.UTF_8)),
        Arrays.toString(CanonicalJson.canonicalize(MAPPER.readValue(once, Object.class))));
  }
}
