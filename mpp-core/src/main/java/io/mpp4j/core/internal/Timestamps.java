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
    long seconds = instant.getEpochSecond();
    if (seconds < 0 || seconds >= 253_402_300_800L) { // outside years 1970..9999: general path
      Instant t = instant.truncatedTo(ChronoUnit.MILLIS);
      String s = DateTimeFormatter.ISO_INSTANT.format(t);
      // Only whether the second has a fraction; the seconds are in s already.
      @SuppressWarnings("JavaInstantGetSecondsGetNano")
      boolean wholeSecond = t.getNano() == 0;
      return wholeSecond ? s.substring(0, s.length() - 1) + ".000Z" : s;
    }
    java.time.LocalDate date = java.time.LocalDate.ofEpochDay(Math.floorDiv(seconds, 86_400L));
    int secOfDay = (int) Math.floorMod(seconds, 86_400L);
    char[] c = new char[24];
    put(c, 0, date.getYear(), 4);
    c[4] = '-';
    put(c, 5, date.getMonthValue(), 2);
    c[7] = '-';
    put(c, 8, date.getDayOfMonth(), 2);
    c[10] = 'T';
    put(c, 11, secOfDay / 3600, 2);
    c[13] = ':';
    put(c, 14, secOfDay / 60 % 60, 2);
    c[16] = ':';
    put(c, 17, secOfDay % 60, 2);
    c[19] = '.';
    put(c, 20, instant.getNano() / 1_000_000, 3);
    c[23] = 'Z';
    return new String(c);
  }

  private static void put(char[] c, int at, int value, int width) {
    for (int k = at + width - 1; k >= at; k--) {
      c[k] = (char) ('0' + value % 10);
      value /= 10;
    }
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
