package io.mpp4j.tempo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpp4j.core.MalformedMessageException;
import io.mpp4j.tempo.internal.AttributionMemo;
import io.mpp4j.tempo.internal.Keccak;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AttributionMemoTest {

  @Test
  void specWorkedExample() {
    AttributionMemo memo = AttributionMemo.of("api.example.com", "challenge-123");
    assertEquals(
        "0xef1ed712011ece072f76bd8b82350e00000000000000000000eb18f2d4402269", memo.toHex());
    assertFalse(memo.hasClient());
  }

  @Test
  void tagIsKeccakOfMpp() {
    byte[] tag = Arrays.copyOf(Keccak.hash("mpp".getBytes(StandardCharsets.UTF_8)), 4);
    assertArrayEquals(tag, Arrays.copyOf(AttributionMemo.of("r", "c").toBytes(), 4));
  }

  @Test
  void clientFingerprintIsIgnoredWhenMatching() {
    AttributionMemo withClient = AttributionMemo.of("api.example.com", "challenge-123", "my-app");
    assertTrue(withClient.hasClient());
    byte[] fp = Arrays.copyOf(Keccak.hash("my-app".getBytes(StandardCharsets.UTF_8)), 10);
    assertArrayEquals(fp, Arrays.copyOfRange(withClient.toBytes(), 15, 25));
    assertTrue(AttributionMemo.matches(withClient.toBytes(), "api.example.com", "challenge-123"));
  }

  @Test
  void matchesChecksTagVersionRealmAndChallenge() throws Exception {
    byte[] memo = AttributionMemo.of("api.example.com", "challenge-123").toBytes();
    assertTrue(AttributionMemo.matches(memo, "api.example.com", "challenge-123"));
    assertFalse(AttributionMemo.matches(memo, "api.example.org", "challenge-123"));
    assertFalse(AttributionMemo.matches(memo, "api.example.com", "challenge-124"));
    byte[] badTag = memo.clone();
    badTag[0] ^= 1;
    assertFalse(AttributionMemo.matches(badTag, "api.example.com", "challenge-123"));
    byte[] badVersion = memo.clone();
    badVersion[4] = 2;
    assertFalse(AttributionMemo.matches(badVersion, "api.example.com", "challenge-123"));
    assertFalse(AttributionMemo.matches(new byte[32], "api.example.com", "challenge-123"));
    assertFalse(AttributionMemo.matches(new byte[31], "api.example.com", "challenge-123"));
    assertEquals(
        AttributionMemo.of("api.example.com", "challenge-123"), AttributionMemo.from(memo));
    assertThrows(MalformedMessageException.class, () -> AttributionMemo.from(badTag));
  }
}
