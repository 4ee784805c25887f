package io.mpp4j.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TimestampsTest {
  @Test
  void millisecondFormIsAlwaysThreeDigits() {
    assertEquals(
        "2025-01-15T12:00:00.000Z", Timestamps.formatMillis(Instant.parse("2025-01-15T12:00:00Z")));
    assertEquals(
        "2025-01-15T12:00:00.120Z",
        Timestamps.formatMillis(Instant.parse("2025-01-15T12:00:00.12Z")));
    assertEquals("1970-01-01T00:00:00.000Z", Timestamps.formatMillis(Instant.EPOCH));
    assertEquals(
        "2024-02-29T23:59:59.999Z",
        Timestamps.formatMillis(Instant.parse("2024-02-29T23:59:59.999999Z")));
  }

  @Test
  void fastPathsAgreeWithJavaTime() {
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < 20_000; i++) {
      Instant t =
          Instant.ofEpochSecond(
              random.nextLong(0, 253_402_300_799L), random.nextInt(1_000_000_000));
      String iso = DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.MILLIS));
      // Only whether the millisecond is a whole second; the seconds are in iso already.
      @SuppressWarnings("JavaInstantGetSecondsGetNano")
      boolean wholeSecond = t.truncatedTo(ChronoUnit.MILLIS).getNano() == 0;
      String expected = wholeSecond ? iso.replace("Z", ".000Z") : iso;
      assertEquals(expected, Timestamps.formatMillis(t));
      String seconds = Timestamps.formatSeconds(t);
      assertEquals(t.truncatedTo(ChronoUnit.SECONDS), Timestamps.parse(seconds));
    }
  }

  @Test
  void parsesRfc3339AndRefusesTheRest() {
    assertEquals(Instant.parse("2025-01-15T12:05:00Z"), Timestamps.parse("2025-01-15T12:05:00Z"));
    assertEquals(
        Instant.parse("2025-01-15T11:05:00Z"), Timestamps.parse("2025-01-15T12:05:00+01:00"));
    assertEquals(
        Instant.parse("2025-01-15T12:05:00.5Z"), Timestamps.parse("2025-01-15T12:05:00.5Z"));
    assertNull(Timestamps.parse("2025-02-30T12:05:00Z"));
    assertNull(Timestamps.parse("2025-01-15T24:05:00Z"));
    assertNull(Timestamps.parse("2025-01-15 12:05:00Z"));
    assertNull(Timestamps.parse("tomorrow"));
    assertNull(Timestamps.parse("2025-01-15T12:05:00"));
  }
}
