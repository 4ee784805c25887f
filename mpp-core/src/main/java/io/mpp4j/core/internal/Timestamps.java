package io.mpp4j.core.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import org.jspecify.annotations.Nullable;

/** RFC 3339 timestamps as MPP writes them. */
public final class Timestamps {
  private Timestamps() {}

  /** {@code 2025-01-15T12:05:00Z}: UTC, whole seconds (the form used for {@code expires}). */
  public static String formatSeconds(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
  }

  /** {@code 2025-01-15T12:05:00.123Z}: UTC with milliseconds (the form used for receipts). */
  public static String formatMillis(Instant instant) {
    Instant t = instant.truncatedTo(ChronoUnit.MILLIS);
    String s = DateTimeFormatter.ISO_INSTANT.format(t);
    // ISO_INSTANT drops a zero fraction; receipts always carry three digits, like toISOString().
    return t.getNano() == 0 ? s.substring(0, s.length() - 1) + ".000Z" : s;
  }

  /** Parses an RFC 3339 date-time with a zone offset, or returns null when it is not one. */
  public static @Nullable Instant parse(String text) {
    if (text.length() > 64) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
