package io.mpp4j.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The {@code Accept-Payment} request header: the client's preferences among payment methods and
 * intents, as a list of {@code method/intent} ranges ({@code *} matches anything) with optional
 * {@code ;q=} weights.
 *
 * <pre>
 * Accept-Payment: tempo/charge;q=1, stripe/*;q=0.5, *&#47;session;q=0
 * </pre>
 *
 * <p>Each offer is judged by its most specific matching range: offers whose range has {@code q=0}
 * are dropped, the rest are sorted by descending {@code q}, keeping the server's order on ties. An
 * absent header means {@code *}{@code /*}; a malformed header, or one that would leave nothing, is
 * ignored and every offer is kept in server order (as the reference SDK does).
 *
 * <p>Immutable and thread-safe.
 */
public final class AcceptPayment {
  /** Longest header value considered; longer ones are ignored. */
  public static final int MAX_LENGTH = 4096;

  /** Most ranges considered; a header with more is ignored. */
  public static final int MAX_RANGES = 64;

  private static final AcceptPayment ANY = new AcceptPayment(List.of());

  /** One range. */
  record Range(String method, String intent, int milliQ) {
    int specificity() {
      return ("*".equals(method) ? 0 : 2) + ("*".equals(intent) ? 0 : 1);
    }

    boolean matches(String m, String i) {
      return ("*".equals(method) || method.equals(m)) && ("*".equals(intent) || intent.equals(i));
    }
  }

  private final List<Range> ranges;

  private AcceptPayment(List<Range> ranges) {
    this.ranges = ranges;
  }

  /** Accepts every offer in server order. */
  public static AcceptPayment any() {
    return ANY;
  }

  /** Parses a header value; null, blank or malformed values give {@link #any()}. */
  public static AcceptPayment parse(@Nullable String header) {
    if (header == null || header.isBlank() || header.length() > MAX_LENGTH) {
      return ANY;
    }
    List<Range> ranges = new ArrayList<>(4);
    for (String part : header.split(",", MAX_RANGES + 2)) {
      if (ranges.size() >= MAX_RANGES) {
        return ANY;
      }
      String item = part.strip();
      if (item.isEmpty()) {
        continue;
      }
      Range r = parseRange(item);
      if (r == null) {
        return ANY;
      }
      ranges.add(r);
    }
    return ranges.isEmpty() ? ANY : new AcceptPayment(List.copyOf(ranges));
  }

  private static @Nullable Range parseRange(String item) {
    String[] pieces = item.split(";", 8);
    String range = pieces[0].strip();
    int slash = range.indexOf('/');
    if (slash <= 0 || slash == range.length() - 1) {
      return null;
    }
    String method = range.substring(0, slash).strip().toLowerCase(Locale.ROOT);
    String intent = range.substring(slash + 1).strip().toLowerCase(Locale.ROOT);
    if (!isRangeToken(method) || !isRangeToken(intent)) {
      return null;
    }
    int q = 1000;
    for (int k = 1; k < pieces.length; k++) {
      String param = pieces[k].strip();
      if (param.isEmpty()) {
        continue;
      }
      int eq = param.indexOf('=');
      if (eq < 0) {
        return null;
      }
      String name = param.substring(0, eq).strip();
      if (name.equalsIgnoreCase("q")) {
        int parsed = parseQ(param.substring(eq + 1).strip());
        if (parsed < 0) {
          return null;
        }
        q = parsed;
      }
    }
    return new Range(method, intent, q);
  }

  /** RFC 9110 qvalue: 0[.ddd] or 1[.000]; returns thousandths, or -1. */
  private static int parseQ(String s) {
    if (s.isEmpty() || s.length() > 5) {
      return -1;
    }
    char first = s.charAt(0);
    if (first != '0' && first != '1') {
      return -1;
    }
    int value = (first - '0') * 1000;
    if (s.length() > 1) {
      if (s.charAt(1) != '.') {
        return -1;
      }
      int scale = 100;
      for (int k = 2; k < s.length(); k++) {
        char c = s.charAt(k);
        if (c < '0' || c > '9') {
          return -1;
        }
        value += (c - '0') * scale;
        scale /= 10;
      }
    }
    return value > 1000 ? -1 : value;
  }

  private static boolean isRangeToken(String s) {
    if (s.equals("*")) {
      return true;
    }
    if (s.isEmpty() || s.length() > 64) {
      return false;
    }
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == ':')) {
        return false;
      }
    }
    return true;
  }

  /**
   * Filters and orders offers by this preference.
   *
   * @param offers the server's offers in its own order
   * @param method how to read an offer's method name
   * @param intent how to read an offer's intent name
   */
  public <T> List<T> order(
      List<T> offers, Function<? super T, String> method, Function<? super T, String> intent) {
    Objects.requireNonNull(offers, "offers == null");
    if (ranges.isEmpty() || offers.isEmpty()) {
      return offers;
    }
    List<Ranked<T>> kept = new ArrayList<>(offers.size());
    for (int k = 0; k < offers.size(); k++) {
      T offer = offers.get(k);
      String m = method.apply(offer);
      String i = intent.apply(offer);
      Range best = null;
      for (Range r : ranges) {
        if (r.matches(m, i) && (best == null || r.specificity() > best.specificity())) {
          best = r;
        }
      }
      if (best != null && best.milliQ() > 0) {
        kept.add(new Ranked<>(offer, best.milliQ(), k));
      }
    }
    if (kept.isEmpty()) {
      return offers;
    }
    // Stable sort: descending q, server order on ties.
    Collections.sort(
        kept, (a, b) -> a.q != b.q ? Integer.compare(b.q, a.q) : Integer.compare(a.index, b.index));
    List<T> out = new ArrayList<>(kept.size());
    for (Ranked<T> r : kept) {
      out.add(r.offer);
    }
    return out;
  }

  /** Orders challenges by this preference. */
  public List<Challenge> orderChallenges(List<Challenge> challenges) {
    return order(challenges, Challenge::method, c -> c.intent().name());
  }

  private record Ranked<T>(T offer, int q, int index) {}

  @Override
  public String toString() {
    return "AcceptPayment" + ranges;
  }
}
