package io.mpp4j.server.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mpp4j.store.InMemoryStateStore;
import io.mpp4j.testing.ManualClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The index page form, checked by loops since issue 13: it refuses what the expression refused. */
class ChannelIndexTest {
  private static final String ID = "0x" + "ab".repeat(32);

  private final InMemoryStateStore store = InMemoryStateStore.create(100, new ManualClock());
  private final ChannelIndex index = new ChannelIndex(store);

  @ParameterizedTest
  @ValueSource(strings = {"mock", "a", "abcdefghijklmnopqrstuvwxyzabcdef"})
  void addsAndReadsBackAWellFormedEntry(String method) {
    index.add(ID, method);
    index.add(ID, method); // idempotent
    assertEquals(List.of(new ChannelIndex.Entry(ID, method)), index.all());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Mock", "mock1", "mo ck", "abcdefghijklmnopqrstuvwxyzabcdefg"})
  void refusesAMalformedMethodName(String method) {
    assertThrows(IllegalArgumentException.class, () -> index.add(ID, method));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ENTRY", // the well-formed entry with one change below
        "UPPER_ID",
        "SHORT_ID",
        "NO_SPACE",
        "TWO_SPACES",
        "NO_METHOD",
        "UPPER_METHOD",
        "LONG_METHOD",
        "DIGIT_METHOD",
        "TRAILING_SPACE",
        "EMPTY_LINE",
      })
  void readsOnlyWellFormedPages(String variant) {
    String entry = ID + " mock";
    String line =
        switch (variant) {
          case "ENTRY" -> entry;
          case "UPPER_ID" -> "0x" + "AB".repeat(32) + " mock";
          case "SHORT_ID" -> "0x" + "ab".repeat(31) + "a mock";
          case "NO_SPACE" -> ID + "mock";
          case "TWO_SPACES" -> ID + "  mock";
          case "NO_METHOD" -> ID + " ";
          case "UPPER_METHOD" -> ID + " Mock";
          case "LONG_METHOD" -> ID + " " + "a".repeat(33);
          case "DIGIT_METHOD" -> ID + " mock2";
          case "TRAILING_SPACE" -> entry + " ";
          default -> "";
        };
    store.create(
        ChannelIndex.KEY_PREFIX + "0", ChannelIndex.FORMAT + "\n" + line, Duration.ofDays(1));
    if (variant.equals("ENTRY")) {
      assertEquals(List.of(new ChannelIndex.Entry(ID, "mock")), index.all());
    } else {
      assertThrows(MalformedChannelStateException.class, index::all);
    }
  }
}
