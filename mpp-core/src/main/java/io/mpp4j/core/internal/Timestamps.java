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

  /** The common {@code yyyy-MM-ddTHH:mm:ssZ} form without the general parser; null otherwise. */
  private static @Nullable Instant parseUtcSeconds(String t) {
    if (t.charAt(4) != '-'
        || t.charAt(7) != '-'
        || t.charAt(10) != 'T'
        || t.charAt(13) != ':'
        || t.charAt(16) != ':'
        || t.charAt(19) != 'Z') {
      return null;
    }
    int year = digits(t, 0, 4);
    int month = digits(t, 5, 2);
    int day = digits(t, 8, 2);
    int hour = digits(t, 11, 2);
    int minute = digits(t, 14, 2);
    int second = digits(t, 17, 2);
    if (year < 0
        || month < 1
        || month > 12
        || day < 1
        || hour < 0
        || hour > 23
        || minute < 0
        || minute > 59
        || second < 0
        || second > 59) {
      return null;
    }
    if (day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
      return null;
    }
    long epochDay = java.time.LocalDate.of(year, month, day).toEpochDay();
    return Instant.ofEpochSecond(epochDay * 86_400L + hour * 3_600L + minute * 60L + second);
  }

  private static int digits(String t, int from, int count) {
    int v = 0;
    for (int k = from; k < from + count; k++) {
      char c = t.charAt(k);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

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
    if (text.length() == 20) {
      Instant fast = parseUtcSeconds(text);
      if (fast != null) {
        return fast;
      }
    }
    try {
      return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
