package io.mpp4j.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mpp4j.core.MalformedMessageException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WireJsonParserTest {
  private static Object parse(String json) throws MalformedMessageException {
    return WireJsonParser.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void parsesEveryValueKindLikeJackson() throws Exception {
    String json =
        " {\"s\":\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00 ☕\", \"i\":42431, \"neg\":-7,"
            + " \"l\":9007199254740993, \"big\":123456789012345678901234567890,"
            + " \"d\":1.5e3, \"z\":0, \"t\":true, \"f\":false, \"n\":null,"
            + " \"a\":[1,[2,{}],[]], \"o\":{\"k\":{}}} ";
    Object mine = parse(json);
    Object jackson = new ObjectMapper().readValue(json, Object.class);
    assertEquals(jackson, mine);
    Map<?, ?> m = (Map<?, ?>) mine;
    assertEquals(Integer.class, m.get("i").getClass());
    assertEquals(Long.class, m.get("l").getClass());
    assertEquals(BigInteger.class, m.get("big").getClass());
    assertEquals(Double.class, m.get("d").getClass());
    assertEquals("a\"b\\c/d\b\f\n\r\té😀 ☕", m.get("s"));
    assertEquals(
        List.of("s", "i", "neg", "l", "big", "d", "z", "t", "f", "n", "a", "o"),
        List.copyOf(m.keySet()));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        "{",
        "{\"a\":1,}",
        "[1,]",
        "{\"a\":1,\"a\":2}",
        "{\"a\":1} x",
        "{'a':1}",
        "{\"a\":01}",
        "{\"a\":1.}",
        "{\"a\":.5}",
        "{\"a\":1e}",
        "{\"a\":-}",
        "{\"a\":+1}",
        "{\"a\":NaN}",
        "{\"a\":1e999}",
        "{\"a\":tru}",
        "{\"a\":\"\\x\"}",
        "{\"a\":\"\\u12\"}",
        "{\"a\":\"\\ud800\"}",
        "{\"a\":\"\\udc00\"}",
        "{\"a\":\"\\ud800\\u0041\"}",
        "{\"a\":\"line\nbreak\"}",
        "{\"a\":\"unterminated}",
        "/* c */ {}",
      })
  void refusesMalformedJson(String json) {
    assertThrows(MalformedMessageException.class, () -> parse(json));
  }

  /**
   * Each credential document reads its own echo members: a text of the same length that differs, an
   * escaped spelling, a longer or shorter text and a non-ASCII one all come out as written, in any
   * order.
   */
  @Test
  void echoedMembersAreReadAsWrittenInEveryDocument() throws MalformedMessageException {
    String[] realms = {
      "api.example.com",
      "api.example.con", // same length, last byte differs
      "api.example.com",
      "api.ex\\u0061mple.com", // an escape: the same text, other bytes
      "api.example.co",
      "api.example.comm",
      "caf\u00e9.example", // UTF-8 bytes
      "api.example.com",
      "",
    };
    String[] expected = {
      "api.example.com",
      "api.example.con",
      "api.example.com",
      "api.example.com",
      "api.example.co",
      "api.example.comm",
      "caf\u00e9.example",
      "api.example.com",
      "",
    };
    for (int round = 0; round < 2; round++) {
      for (int k = 0; k < realms.length; k++) {
        String json =
            "{\"challenge\":{\"id\":\"x\",\"realm\":\""
                + realms[k]
                + "\",\"method\":\"m\",\"intent\":\"charge\",\"request\":\"e30\","
                + "\"expires\":\"2026-01-01T00:00:0"
                + (k % 3)
                + "Z\"},\"payload\":{}}";
        Map<String, Object> root =
            Json.parseObject(json.getBytes(StandardCharsets.UTF_8), "credential");
        Map<?, ?> echo = (Map<?, ?>) root.get("challenge");
        assertEquals(expected[k], echo.get("realm"), json);
        assertEquals("2026-01-01T00:00:0" + (k % 3) + "Z", echo.get("expires"));
      }
    }
  }

  @Test
  void refusesIllFormedUtf8AndByteOrderMarks() {
    for (byte[] bad :
        new byte[][] {
          {'"', (byte) 0xC0, (byte) 0xA2, '"'}, // overlong
          {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'}, // surrogate
          {'"', (byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80, '"'}, // > U+10FFFF
          {'"', (byte) 0xE2, (byte) 0x98, '"'}, // truncated
          {'"', (byte) 0x80, '"'}, // stray continuation
          {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{', '}'}, // BOM
          "{}".getBytes(StandardCharsets.UTF_16BE),
        }) {
      assertThrows(
          MalformedMessageException.class, () -> WireJsonParser.parse(bad), Arrays.toString(bad));
    }
  }

  @Test
  void boundsNestingAndSizes() throws Exception {
    String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
    parse(ok);
    String deep = "[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1);
    assertThrows(MalformedMessageException.class, () -> parse(deep));
    assertThrows(MalformedMessageException.class, () -> parse("[" + "1".repeat(65) + "]"));
    assertThrows(
        MalformedMessageException.class, () -> parse("\"" + "a".repeat(64 * 1024 + 1) + "\""));
    assertThrows(
        MalformedMessageException.class, () -> parse("\"é" + "a".repeat(64 * 1024) + "\""));
  }

  @Test
  void resultsAreUnmodifiable() throws Exception {
    Map<?, ?> m = (Map<?, ?>) parse("{\"a\":[1]}");
    assertThrows(UnsupportedOperationException.class, () -> m.remove("a"));
    assertThrows(UnsupportedOperationException.class, () -> ((List<?>) m.get("a")).clear());
  }

  @Test
  void memberNamesNearKnownNamesAreReadExactly() throws Exception {
    // Known names are matched in place (as 8-byte words when 16 bytes follow, else byte by
    // byte); names that only share a prefix or differ in case must come out as themselves.
    String[] names = {
      "id",
      "i",
      "ids",
      "iD",
      "challenge",
      "challeng",
      "challenges",
      "methodDetails",
      "methodDetail",
      "method",
      "methodDetailsX",
      "request",
      "requesT",
      "source",
      "sourc",
      "spt",
      "sp",
      "header",
      "hash",
      "description",
      "descriptio",
      "é",
      "id\\u0000"
    };
    ObjectMapper jackson = new ObjectMapper();
    for (String name : names) {
      for (String padding : new String[] {"", ",\"zzzzzzzzzzzzzzzzzzzz\":0"}) {
        String json = "{\"" + name + "\":1" + padding + "}";
        assertEquals(jackson.readValue(json, Object.class), parse(json), json);
        String last = "{\"a\":0,\"" + name + "\":1}";
        assertEquals(jackson.readValue(last, Object.class), parse(last), last);
      }
    }
  }
}
