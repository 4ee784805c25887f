package io.mpp4j.stripe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpp4j.core.Intent;
import io.mpp4j.core.PaymentRequest;
import io.mpp4j.core.PaymentRequirement;
import io.mpp4j.server.PaymentGate;
import io.mpp4j.spi.PaymentMethod;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the stripe method offers: amounts per currency, minimums, and the request fields. */
class StripeOfferTest {
  private static final StripeMethod METHOD =
      StripeMethod.create(
          StripeConfig.builder()
              .apiKey("sk_test_offers")
              .apiBase("http://127.0.0.1:9")
              .networkId("profile_offers")
              .build());

  private static PaymentRequest offer(String amount, String currency) {
    return METHOD.createRequest(
        Intent.CHARGE, PaymentRequirement.builder().amount(amount).currency(currency).build());
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource({
    "0.50, usd, 50",
    "1, usd, 100",
    "1.00, USD, 100",
    "999999.99, usd, 99999999",
    "0.30, gbp, 30",
    "0.50, eur, 50",
    "50, jpy, 50",
    "1000, krw, 1000",
    "500, clp, 500",
    "1.25, kwd, 1250",
    "0.01, bhd, 10",
    "3, jod, 3000",
    "100, isk, 10000",
    "175, huf, 17500",
    "10.50, twd, 1050",
    "15, czk, 1500",
    "0.01, xyz, 1",
  })
  void convertsToMinorUnits(String amount, String currency, String wire) {
    PaymentRequest request = offer(amount, currency);
    assertEquals(wire, request.amount());
    assertEquals(currency.toLowerCase(java.util.Locale.ROOT), request.currency());
  }

  @ParameterizedTest(name = "{0} {1} refused")
  @CsvSource({
    "0.49, usd",
    "0, usd",
    "0.29, gbp",
    "0.001, usd",
    "49, jpy",
    "100.5, jpy",
    "1.255, kwd",
    "100.5, isk",
    "174.99, huf",
    "14.99, czk",
    "99999999999.99, usd",
  })
  void refusesUnpayableOrTooPreciseAmounts(String amount, String currency) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> offer(amount, currency));
    assertTrue(e.getMessage().contains(currency), e.getMessage());
  }

  @Test
  void belowMinimumMessageNamesTheMinimum() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> offer("0.10", "usd"));
    assertEquals(
        "amount 0.10 usd (10 in minor units) is below Stripe's minimum charge for usd (50); a"
            + " challenge for it could never be paid",
        e.getMessage());
  }

  @Test
  void refusesCurrenciesThatAreNotIsoCodes() {
    assertThrows(IllegalArgumentException.class, () -> offer("1.00", "usdc"));
    assertThrows(
        IllegalArgumentException.class,
        () -> offer("1.00", "0x20c0000000000000000000000000000000000000"));
    assertThrows(IllegalArgumentException.class, () -> offer("1.00", "us1"));
  }

  @Test
  void gateValidationSurfacesAnUnpayablePriceAtStartup() {
    PaymentGate gate = StripeFixture.gate(METHOD);
    assertThrows(
        IllegalArgumentException.class,
        () -> gate.validate(PaymentRequirement.builder().amount("0.01").build()));
  }

  @Test
  void requestCarriesMethodDetailsDescriptionAndExternalId() {
    PaymentRequest request =
        METHOD.createRequest(
            Intent.CHARGE,
            PaymentRequirement.builder()
                .amount("2.50")
                .description("Premium call")
                .externalId("order_7")
                .build());

    assertEquals(
        Map.of(
            "amount",
            "250",
            "currency",
            "usd",
            "description",
            "Premium call",
            "externalId",
            "order_7",
            "methodDetails",
            Map.of("networkId", "profile_offers", "paymentMethodTypes", List.of("card"))),
        request.fields());
    assertNull(request.recipient());
  }

  @Test
  void configuredMetadataAndTypesAreOffered() {
    StripeMethod method =
        StripeMethod.create(
            StripeConfig.builder()
                .apiKey("sk_test_offers")
                .networkId("profile_x")
                .currency("eur")
                .paymentMethodTypes(List.of("card", "link"))
                .metadata(Map.of("shop", "north"))
                .build());
    PaymentRequest request =
        method.createRequest(Intent.CHARGE, PaymentRequirement.builder().amount("1").build());
    assertEquals("eur", request.currency());
    assertEquals(
        Map.of(
            "networkId",
            "profile_x",
            "paymentMethodTypes",
            List.of("card", "link"),
            "metadata",
            Map.of("shop", "north")),
        request.methodDetails());
  }

  @Test
  void externalIdLongerThanStripeMetadataAllowsIsRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            METHOD.createRequest(
                Intent.CHARGE,
                PaymentRequirement.builder().amount("1").externalId("x".repeat(501)).build()));
  }

  @Test
  void onlyTheChargeIntent() {
    assertEquals(java.util.Set.of(Intent.CHARGE), METHOD.intents());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            METHOD.createRequest(Intent.SESSION, PaymentRequirement.builder().amount("1").build()));
  }

  @Test
  void captureChoiceOfARouteIsValidatedWhenOffered() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                METHOD.createRequest(
                    Intent.CHARGE,
                    PaymentRequirement.builder()
                        .amount("1")
                        .opaque(StripeMethod.CAPTURE_OPAQUE_KEY, "later")
                        .build()));
    assertTrue(e.getMessage().contains(StripeMethod.CAPTURE_OPAQUE_KEY));
  }

  @Test
  void pinsTheDefaultsPlusStripeFields() {
    List<String> bound = METHOD.boundFields(Intent.CHARGE);
    assertTrue(bound.containsAll(PaymentMethod.DEFAULT_BOUND_FIELDS));
    assertTrue(
        bound.containsAll(
            List.of("externalId", "methodDetails.networkId", "methodDetails.paymentMethodTypes")));
    assertEquals("stripe", METHOD.name());
  }
}
