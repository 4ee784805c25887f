package io.mpp4j.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mpp4j.core.Challenge;
import io.mpp4j.core.Credential;
import io.mpp4j.core.PaymentRequirement;
import io.mpp4j.core.RequestView;
import io.mpp4j.core.binding.ChallengeSecret;
import io.mpp4j.core.problem.ProblemType;
import io.mpp4j.core.problem.ReasonCode;
import io.mpp4j.server.GateResult;
import io.mpp4j.server.PaymentGate;
import io.mpp4j.spi.Delivery;
import io.mpp4j.spi.MethodSettings;
import io.mpp4j.spi.PaymentMethodException;
import io.mpp4j.spi.PaymentMethodProvider;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class MockPaymentMethodTest {
  private final MockPaymentMethod mock = MockPaymentMethod.create();
  private final PaymentGate gate =
      PaymentGate.builder()
          .realm("test.example")
          .secret(ChallengeSecret.of("mock-test-secret-0123456789abcdef01"))
          .method(mock)
          .build();
  private final PaymentRequirement price =
      PaymentRequirement.builder().amount("0.25").externalId("order-7").build();

  private String challengeHeader() {
    GateResult.PaymentRequired r =
        assertInstanceOf(
            GateResult.PaymentRequired.class, gate.evaluate(price, RequestView.builder().build()));
    return r.challenges().get(0).toHeaderValue();
  }

  private GateResult payWith(String authorization) {
    return gate.evaluate(
        price, RequestView.builder().header("Authorization", authorization).build());
  }

  @Test
  void offersMinorUnitsAndAcceptsWhatTheMockPayerSends() throws Exception {
    String header = challengeHeader();
    Challenge c = Challenge.parse(header);
    assertEquals("25", c.request().amount());
    assertEquals("usd", c.request().currency());
    GateResult.Paid paid = assertInstanceOf(GateResult.Paid.class, payWith(MockPayer.pay(header)));
    assertEquals("mock_" + c.id(), paid.receipt().reference());
    assertEquals("order-7", paid.receipt().externalId());
    assertEquals(1, mock.settled().size());
  }

  @Test
  void declinesAndFailsOnDemand() {
    mock.mode(MockPaymentMethod.Mode.DECLINE);
    GateResult.Rejected declined =
        assertInstanceOf(GateResult.Rejected.class, payWith(MockPayer.pay(challengeHeader())));
    assertEquals(ProblemType.VERIFICATION_FAILED, declined.problem().type());
    assertEquals("mock.declined", declined.problem().reason().code());

    mock.mode(MockPaymentMethod.Mode.FAIL);
    GateResult.Rejected failed =
        assertInstanceOf(GateResult.Rejected.class, payWith(MockPayer.pay(challengeHeader())));
    assertEquals("mock.unavailable", failed.problem().reason().code());
    assertEquals(0, mock.settled().size());
    assertEquals(2, mock.received().size());
  }

  @Test
  void refusesOtherPayloads() throws Exception {
    Challenge c = Challenge.parse(challengeHeader());
    GateResult r = payWith(Credential.of(c, Map.of("type", "hash"), null).toHeaderValue());
    assertEquals(
        ProblemType.INVALID_PAYLOAD,
        assertInstanceOf(GateResult.Rejected.class, r).problem().type());
  }

  @Test
  void payerNeedsAMockChallenge() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            MockPayer.pay(
                "Payment id=\"a\", realm=\"r\", method=\"tempo\", intent=\"charge\", request=\"e30\""));
    assertThrows(IllegalArgumentException.class, () -> MockPayer.pay("Bearer realm=\"x\""));
  }

  @Test
  void providerIsDiscoverableAndValidatesSettings() {
    PaymentMethodProvider provider =
        ServiceLoader.load(PaymentMethodProvider.class).stream()
            .map(ServiceLoader.Provider::get)
            .filter(p -> p.name().equals("mock"))
            .findFirst()
            .orElseThrow();
    MockPaymentMethod created =
        (MockPaymentMethod)
            provider.create(MethodSettings.of("mock", Map.of("mode", "decline"), k -> null));
    assertEquals(MockPaymentMethod.Mode.DECLINE, created.mode());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> provider.create(MethodSettings.of("mock", Map.of("mode", "maybe"), k -> null)));
    assertEquals(
        "invalid init-parameter mock.mode=\"maybe\" (expected accept, decline or fail)",
        e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> provider.create(MethodSettings.of("mock", Map.of("decimals", "x"), k -> null)));
  }

  @Test
  void refusesPricesFinerThanTheCurrency() {
    assertThrows(
        IllegalArgumentException.class,
        () -> gate.validate(PaymentRequirement.builder().amount("0.001").build()));
  }

  @Test
  void deferredSettlementRecordsWhatWasDelivered() throws Exception {
    GateResult.Paid immediate =
        assertInstanceOf(GateResult.Paid.class, payWith(MockPayer.pay(challengeHeader())));
    assertNull(immediate.settlement(), "settled at verification by default");

    mock.deferSettlement(true);
    GateResult.Paid paid =
        assertInstanceOf(GateResult.Paid.class, payWith(MockPayer.pay(challengeHeader())));
    assertNotNull(paid.settlement());
    assertEquals(List.of(), mock.deliveries());
    paid.settlement().complete(new Delivery(true, 200, 5));
    GateResult.Paid failed =
        assertInstanceOf(GateResult.Paid.class, payWith(MockPayer.pay(challengeHeader())));
    failed.settlement().complete(Delivery.failure(503));
    assertEquals(
        List.of(new Delivery(true, 200, 5), new Delivery(false, 503, 0)), mock.deliveries());
    assertThrows(NullPointerException.class, () -> failed.settlement().complete(null));

    mock.reset();
    assertEquals(List.of(), mock.deliveries());
  }

  @Test
  void deferredSettlementCanBeTakenOneByOneAndFailOnDemand() throws Exception {
    mock.deferSettlement(true);
    assertNull(mock.takeDelivery(Duration.ofMillis(10)), "nothing completed yet");
    GateResult.Paid paid =
        assertInstanceOf(GateResult.Paid.class, payWith(MockPayer.pay(challengeHeader())));
    paid.settlement().complete(Delivery.success(200));
    assertEquals(1, mock.untakenDeliveries());
    assertEquals(Delivery.success(200), mock.takeDelivery(Duration.ofSeconds(1)));
    assertEquals(0, mock.untakenDeliveries());

    mock.failSettlement(true);
    GateResult.Paid refused =
        assertInstanceOf(GateResult.Paid.class, payWith(MockPayer.pay(challengeHeader())));
    PaymentMethodException e =
        assertThrows(
            PaymentMethodException.class,
            () -> refused.settlement().complete(Delivery.success(200)));
    assertEquals(ReasonCode.of("mock.capture_failed"), e.reason());
    assertEquals(Delivery.success(200), mock.takeDelivery(Duration.ofSeconds(1)), "recorded");
    assertEquals(2, mock.deliveries().size());
  }

  @Test
  void aMockCanTakeAnotherNameAndRequestShape() throws Exception {
    MockPaymentMethod alt =
        MockPaymentMethod.create("alt", "eur", 6, "alt-merchant")
            .methodDetails(Map.of("chainId", 42431));
    PaymentGate altGate =
        PaymentGate.builder()
            .realm("test.example")
            .secret(ChallengeSecret.of("mock-test-secret-0123456789abcdef01"))
            .method(alt)
            .build();
    GateResult.PaymentRequired r =
        assertInstanceOf(
            GateResult.PaymentRequired.class,
            altGate.evaluate(price, RequestView.builder().build()));
    Challenge c = r.challenges().get(0);
    assertEquals("alt", c.method());
    assertEquals("250000", c.request().amount());
    assertEquals(Map.of("chainId", 42431), c.request().fields().get("methodDetails"));
    String authorization =
        Credential.of(c, Map.of("type", "mock", "token", "t"), null).toHeaderValue();
    GateResult.Paid paid =
        assertInstanceOf(
            GateResult.Paid.class,
            altGate.evaluate(
                price, RequestView.builder().header("Authorization", authorization).build()));
    assertEquals("alt", paid.receipt().method());
    assertThrows(IllegalArgumentException.class, () -> MockPaymentMethod.create("", "usd", 2, "m"));
  }

  @Test
  void deliveryIsValidated() {
    assertEquals(new Delivery(true, 204, 1), Delivery.success(204));
    assertEquals(new Delivery(false, 500, 0), Delivery.failure(500));
    assertEquals(new Delivery(true, 200, 0), Delivery.success(200).withUnits(0));
    assertThrows(IllegalArgumentException.class, () -> Delivery.success(200).withUnits(-1));
    assertThrows(IllegalArgumentException.class, () -> new Delivery(false, 99, 0));
    assertThrows(IllegalArgumentException.class, () -> new Delivery(false, 600, 0));
  }
}
