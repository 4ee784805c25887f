package io.mpp4j.tempo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpp4j.core.Challenge;
import io.mpp4j.core.Credential;
import io.mpp4j.core.Intent;
import io.mpp4j.core.PaymentRequest;
import io.mpp4j.core.PaymentRequirement;
import io.mpp4j.core.RequestView;
import io.mpp4j.core.SessionTerms;
import io.mpp4j.server.session.SessionMethod;
import io.mpp4j.spi.Verification;
import io.mpp4j.spi.VerificationContext;
import io.mpp4j.store.InMemoryStateStore;
import io.mpp4j.testkit.tempo.SessionKit;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The session payload parser and voucher check never throw and never answer anything but a parsed
 * action or a 402/410 refusal, whatever the payload (SPEC 4.5): valid payloads with one field
 * replaced by junk, removed, or the whole payload random.
 */
class SessionParserProperties {
  private static final List<String> KEYS =
      List.of(
          "action",
          "type",
          "channelId",
          "transaction",
          "signature",
          "descriptor",
          "cumulativeAmount",
          "additionalDeposit",
          "authorizedSigner");

  private final byte[] operatorSecret = SessionKit.randomSecret();
  private final TempoMethod method =
      TempoMethod.create(
          TempoKit.config(new TempoKit.SimulatedNode())
              .operatorKey(Secp256k1PrivateKey.of(operatorSecret))
              .build());
  private final PaymentRequirement requirement =
      PaymentRequirement.builder()
          .intent(Intent.SESSION)
          .amount("0.001")
          .session(new SessionTerms("request", new BigDecimal("1.00"), null))
          .build();
  private final PaymentRequest offered = method.createRequest(Intent.SESSION, requirement);
  private final Challenge challenge =
      Challenge.builder()
          .id("property-challenge")
          .realm(TempoKit.REALM)
          .method(TempoMethod.NAME)
          .intent(Intent.SESSION)
          .request(offered)
          .expires(Instant.now().plusSeconds(3600))
          .build();
  private final SessionKit kit =
      SessionKit.forPayer(
          SessionKit.randomSecret(),
          TempoKit.RECIPIENT,
          TempoKit.TOKEN,
          SessionKit.addressOf(operatorSecret));
  private final SessionKit.Channel channel = kit.open(BigInteger.valueOf(1_000_000));

  @Provide
  Arbitrary<Object> junk() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(80),
        Arbitraries.strings()
            .withChars("0123456789abcdefABCDEFx")
            .ofMaxLength(200)
            .map(s -> "0x" + s),
        Arbitraries.strings().numeric().ofMaxLength(40),
        Arbitraries.integers().map(i -> (Object) i),
        Arbitraries.longs().map(l -> (Object) l),
        Arbitraries.doubles().map(d -> (Object) d),
        Arbitraries.of(true, false).map(b -> (Object) b),
        Arbitraries.just(List.of("0x00", 1)),
        Arbitraries.just(Map.of("payer", "0x00")),
        Arbitraries.of("open", "topUp", "voucher", "close", "transaction", "-1", "0", "00"),
        Arbitraries.just(BigInteger.ONE.shiftLeft(96).toString()));
  }

  @Provide
  Arbitrary<Map<String, Object>> validPayloads() {
    BigInteger amount = BigInteger.valueOf(1000);
    return Arbitraries.of("open", "topUp", "voucher", "close")
        .map(
            a ->
                switch (a) {
                  case "open" -> channel.openPayload(amount);
                  case "topUp" -> channel.topUpPayload(amount);
                  case "voucher" -> channel.voucherPayload(amount);
                  default -> channel.closePayload(amount);
                });
  }

  @Provide
  Arbitrary<Map<String, Object>> mutated() {
    Arbitrary<String> keys =
        Arbitraries.oneOf(
            Arbitraries.of(KEYS),
            Arbitraries.of(
                "descriptor.payer",
                "descriptor.payee",
                "descriptor.salt",
                "descriptor.operator",
                "descriptor.expiringNonceHash"));
    return Combinators.combine(validPayloads(), keys, junk(), Arbitraries.of(true, false))
        .as(
            (payload, key, value, remove) -> {
              Map<String, Object> p = new LinkedHashMap<>(payload);
              if (key.startsWith("descriptor.")) {
                @SuppressWarnings("unchecked")
                Map<String, Object> d =
                    new LinkedHashMap<>((Map<String, Object>) p.get("descriptor"));
                String field = key.substring("descriptor.".length());
                if (remove) {
                  d.remove(field);
                } else {
                  d.put(field, value);
                }
                p.put("descriptor", d);
              } else if (remove) {
                p.remove(key);
              } else {
                p.put(key, value);
              }
              return p;
            });
  }

  @Provide
  Arbitrary<Map<String, Object>> random() {
    return Arbitraries.maps(Arbitraries.of(KEYS), junk()).ofMaxSize(KEYS.size());
  }

  private VerificationContext context(Map<String, Object> payload) {
    return VerificationContext.of(
        Credential.of(challenge, payload, kit.did(kit.payer())),
        offered,
        requirement,
        RequestView.builder().path("/p").build(),
        InMemoryStateStore.ofDefaults(),
        Clock.systemUTC(),
        Instant.now().plusSeconds(3600));
  }

  private void assertParsedOrRefused(Map<String, Object> payload) {
    SessionMethod.ParsedAction p = method.parse(context(payload));
    if (p.refusal() != null) {
      Verification.Rejected r = p.refusal();
      int status = r.type().status();
      assertTrue(status == 402 || status == 410, () -> r.type() + " for " + payload);
      assertFalse(r.mayHavePaid());
      assertNotNull(r.detail());
    } else {
      assertEquals(channel.id(), p.action().channelId());
    }
  }

  @Property(tries = 400)
  void aValidPayloadWithOneFieldChangedIsParsedOrRefused(
      @ForAll("mutated") Map<String, Object> payload) {
    assertParsedOrRefused(payload);
  }

  @Property(tries = 300)
  void aRandomPayloadIsRefused(@ForAll("random") Map<String, Object> payload) {
    SessionMethod.ParsedAction p = method.parse(context(payload));
    assertNotNull(p.refusal(), payload::toString);
  }

  @Property(tries = 100)
  void voucherCheckNeverThrows(
      @ForAll("junkBytes") byte[] signature, @ForAll("amounts") BigInteger amount) {
    Map<String, Object> payload = channel.voucherPayload(BigInteger.valueOf(1000));
    var open = method.parse(context(channel.openPayload(BigInteger.valueOf(1000))));
    var state =
        ((io.mpp4j.server.session.SessionAction.Open) open.action())
            .descriptor()
            .withDeposit(BigInteger.valueOf(1_000_000));
    Verification.Rejected r = method.verifyVoucher(state, amount, signature, context(payload));
    assertNotNull(r);
  }

  @Provide
  Arbitrary<byte[]> junkBytes() {
    return Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(70);
  }

  @Provide
  Arbitrary<BigInteger> amounts() {
    return Arbitraries.bigIntegers()
        .between(BigInteger.ZERO, BigInteger.ONE.shiftLeft(100))
        .edgeCases(c -> c.includeOnly(BigInteger.ZERO, BigInteger.ONE.shiftLeft(96)));
  }
}
