package io.mpp4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class AcceptPaymentTest {
  private record Offer(String method, String intent) {}

  private static final List<Offer> OFFERS =
      List.of(
          new Offer("tempo", "charge"),
          new Offer("stripe", "charge"),
          new Offer("tempo", "session"));

  private static List<Offer> order(String header) {
    return AcceptPayment.parse(header).order(OFFERS, Offer::method, Offer::intent);
  }

  @Test
  void absentOrBlankKeepsServerOrder() {
    assertEquals(OFFERS, order(null));
    assertEquals(OFFERS, order("  "));
    assertEquals(OFFERS, order("*/*"));
  }

  @Test
  void sortsByDescendingQualityKeepingServerOrderOnTies() {
    assertEquals(
        List.of(OFFERS.get(1), OFFERS.get(0), OFFERS.get(2)),
        order("stripe/charge;q=1, tempo/*;q=0.5"));
    assertEquals(List.of(OFFERS.get(0), OFFERS.get(2)), order("tempo/*"));
  }

  @Test
  void mostSpecificRangeWinsAndZeroDrops() {
    // tempo/session is excluded by its specific range although tempo/* allows it.
    assertEquals(
        List.of(OFFERS.get(0), OFFERS.get(1)),
        order("tempo/*;q=0.9, tempo/session;q=0, */charge;q=0.1"));
    assertEquals(List.of(OFFERS.get(1)), order("*/*;q=0, stripe/*"));
  }

  @Test
  void malformedOrNothingMatchingIsIgnored() {
    assertEquals(OFFERS, order("tempo"));
    assertEquals(OFFERS, order("tempo/charge;q=2"));
    assertEquals(OFFERS, order("tempo/charge;q=abc"));
    assertEquals(OFFERS, order("lightning/charge"));
    assertEquals(OFFERS, order("*/*;q=0"));
    assertEquals(OFFERS, order("a/b,".repeat(100)));
  }

  @Test
  void parsesQualityValues() {
    assertEquals(
        List.of(OFFERS.get(2), OFFERS.get(0), OFFERS.get(1)),
        order("tempo/session;q=1.000, tempo/charge;q=0.999, stripe/charge;q=0.001"));
  }
}
