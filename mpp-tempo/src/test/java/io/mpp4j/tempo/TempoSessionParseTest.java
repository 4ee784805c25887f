package io.mpp4j.tempo;

import static io.mpp4j.tempo.SessionFixture.DEPOSIT;
import static io.mpp4j.tempo.SessionFixture.PRICE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpp4j.core.Intent;
import io.mpp4j.core.PaymentRequest;
import io.mpp4j.core.PaymentRequirement;
import io.mpp4j.core.SessionTerms;
import io.mpp4j.core.problem.ProblemType;
import io.mpp4j.server.session.ChannelState;
import io.mpp4j.server.session.SessionAction;
import io.mpp4j.server.session.SessionMethod;
import io.mpp4j.spi.Verification;
import io.mpp4j.tempo.internal.Hex;
import io.mpp4j.tempo.internal.Keccak;
import io.mpp4j.tempo.internal.session.EscrowAbi;
import io.mpp4j.testkit.tempo.SessionKit;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The session offer, the parser of the four session payloads (SPEC 4.5, as mppx 0.11.0 sends them)
 * and voucher verification (SPEC 4.4, 11.3): no chain involved.
 */
class TempoSessionParseTest {
  final SessionFixture f = new SessionFixture();
  final SessionKit.Channel ch = f.kit.open(DEPOSIT);

  @AfterEach
  void stop() {
    f.close();
  }

  // ---- the offer ----

  @Test
  void sessionOfferCarriesPriceDepositAndMethodDetails() {
    PaymentRequest r = f.offered;
    assertEquals("1000", r.amount());
    assertEquals("request", r.get("unitType"));
    assertEquals("1000000", r.get("suggestedDeposit"));
    assertEquals(TempoKit.TOKEN.toHex(), r.currency());
    assertEquals(TempoKit.RECIPIENT.toHex(), r.recipient());
    Map<String, Object> d = r.methodDetails();
    assertEquals("0x4d50500000000000000000000000000000000000", d.get("escrowContract"));
    assertEquals(42431L, ((Number) d.get("chainId")).longValue());
    assertInstanceOf(Number.class, d.get("chainId"));
    assertEquals("v2", d.get("sessionProtocol"));
    assertEquals(f.operator.toHex(), d.get("operator"));
    assertFalse(d.containsKey("feePayer"));
    assertFalse(d.containsKey("minVoucherDelta"));
    List<String> bound = f.method.boundFields(Intent.SESSION);
    for (String field :
        List.of(
            "amount",
            "currency",
            "recipient",
            "unitType",
            "suggestedDeposit",
            "methodDetails.escrowContract",
            "methodDetails.chainId",
            "methodDetails.sessionProtocol",
            "methodDetails.operator",
            "methodDetails.minVoucherDelta",
            "methodDetails.feePayer")) {
      assertTrue(bound.contains(field), field);
    }
  }

  @Test
  void minimumDeltaSponsorshipAndUnitTypeAppearWhenSet() {
    try (SessionFixture sponsored =
        new SessionFixture(b -> b.feePayerKey(Fixtures.FEE_PAYER).escrow(TempoKit.TOKEN))) {
      PaymentRequirement route =
          PaymentRequirement.builder()
              .intent(Intent.SESSION)
              .amount("0.0001")
              .session(new SessionTerms("llm_token", null, new BigDecimal("0.01")))
              .build();
      PaymentRequest r = sponsored.method.createRequest(Intent.SESSION, route);
      assertEquals("100", r.amount());
      assertEquals("llm_token", r.get("unitType"));
      assertNull(r.get("suggestedDeposit"));
      assertEquals("10000", r.methodDetails().get("minVoucherDelta"));
      assertEquals(Boolean.TRUE, r.methodDetails().get("feePayer"));
      assertEquals(TempoKit.TOKEN.toHex(), r.methodDetails().get("escrowContract"));
    }
  }

  @Test
  void aSessionRouteWithoutAnOperatorKeyIsRefusedAtConfiguration() {
    TempoMethod charges = TempoMethod.create(TempoKit.config(new TempoKit.SimulatedNode()).build());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> charges.createRequest(Intent.SESSION, f.requirement));
    assertTrue(e.getMessage().contains("operator key"), e.getMessage());
  }

  // ---- parse ----

  @Test
  void openIsParsedWithTheDescriptorTheTransactionAndTheVoucher() {
    SessionMethod.ParsedAction p = f.parse(ch, ch.openPayload(PRICE));
    SessionAction.Open open = assertInstanceOf(SessionAction.Open.class, p.action());
    assertEquals(ch.id(), open.channelId());
    ChannelState s = open.descriptor();
    assertEquals(f.kit.payer().toHex(), s.payer());
    assertEquals(TempoKit.RECIPIENT.toHex(), s.payee());
    assertEquals(f.operator.toHex(), s.operator());
    assertEquals(ch.descriptor().expiringNonceHash().toHex(), s.expiringNonceHash());
    assertEquals(BigInteger.ZERO, s.deposit());
    assertEquals(PRICE, open.cumulativeAmount());
    assertEquals(ch.voucher(PRICE), Hex.encode(open.signature()));
  }

  @Test
  void topUpVoucherAndCloseAreParsed() {
    assertInstanceOf(SessionAction.TopUp.class, f.parse(ch, ch.topUpPayload(DEPOSIT)).action());
    SessionAction.Voucher v =
        assertInstanceOf(
            SessionAction.Voucher.class, f.parse(ch, ch.voucherPayload(PRICE)).action());
    assertEquals(PRICE, v.cumulativeAmount());
    assertInstanceOf(SessionAction.Close.class, f.parse(ch, ch.closePayload(PRICE)).action());
  }

  private void assertRefused(Map<String, Object> payload, ProblemType type) {
    SessionMethod.ParsedAction p = f.parse(ch, payload);
    assertNull(p.action(), payload::toString);
    assertNotNull(p.refusal());
    assertEquals(type, p.refusal().type(), () -> p.refusal().detail());
    assertFalse(p.refusal().mayHavePaid());
  }

  private Map<String, Object> with(Map<String, Object> payload, Consumer<Map<String, Object>> c) {
    Map<String, Object> copy = new LinkedHashMap<>(payload);
    c.accept(copy);
    return copy;
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> withDescriptor(
      Map<String, Object> payload, String key, Object value) {
    return with(
        payload,
        p -> {
          Map<String, Object> d = new LinkedHashMap<>((Map<String, Object>) p.get("descriptor"));
          d.put(key, value);
          p.put("descriptor", d);
        });
  }

  @Test
  void payloadFieldsAreCheckedOneByOne() {
    Map<String, Object> open = ch.openPayload(PRICE);
    ProblemType bad = ProblemType.MALFORMED_CREDENTIAL;
    ProblemType failed = ProblemType.VERIFICATION_FAILED;
    assertRefused(with(open, p -> p.remove("action")), bad);
    assertRefused(with(open, p -> p.put("action", "withdraw")), failed);
    assertRefused(with(open, p -> p.put("action", 7)), bad);
    assertRefused(with(open, p -> p.remove("channelId")), bad);
    assertRefused(with(open, p -> p.put("channelId", "0x1234")), bad);
    assertRefused(with(open, p -> p.put("channelId", "0x" + "ab".repeat(32))), failed);
    assertRefused(with(open, p -> p.remove("descriptor")), bad);
    assertRefused(with(open, p -> p.put("descriptor", "x")), bad);
    assertRefused(withDescriptor(open, "extra", "0x00"), bad);
    assertRefused(withDescriptor(open, "salt", "0x12"), bad);
    assertRefused(withDescriptor(open, "payer", 5), bad);
    assertRefused(with(open, p -> p.remove("type")), bad);
    assertRefused(with(open, p -> p.put("type", "hash")), bad);
    assertRefused(with(open, p -> p.remove("transaction")), bad);
    assertRefused(with(open, p -> p.put("transaction", "0xzz")), bad);
    assertRefused(with(open, p -> p.put("transaction", "0x76c0")), bad);
    assertRefused(with(open, p -> p.put("cumulativeAmount", "01000")), bad);
    assertRefused(with(open, p -> p.put("cumulativeAmount", "-1")), bad);
    assertRefused(with(open, p -> p.put("cumulativeAmount", 1000)), bad);
    assertRefused(
        with(open, p -> p.put("cumulativeAmount", BigInteger.ONE.shiftLeft(96).toString())), bad);
    assertRefused(with(open, p -> p.put("authorizedSigner", TempoKit.RECIPIENT.toHex())), failed);
    for (int i = 0; i < 20; i++) {
      int n = i;
      open = with(open, p -> p.put("x" + n, n));
    }
    assertRefused(open, bad);
    Map<String, Object> topUp = ch.topUpPayload(DEPOSIT);
    assertRefused(with(topUp, p -> p.put("additionalDeposit", "0")), bad);
    assertRefused(with(topUp, p -> p.remove("additionalDeposit")), bad);
  }

  @Test
  void descriptorsNamingAnotherPayeeTokenOrOperatorAreRefused() {
    Address other = SessionKit.address("0x1111111111111111111111111111111111111111");
    SessionKit.Channel otherPayee = f.kit.payingTo(other).open(DEPOSIT);
    SessionMethod.ParsedAction p = f.parse(otherPayee, otherPayee.voucherPayload(PRICE));
    assertEquals("tempo.session.descriptor_mismatch", p.refusal().reason().code());
    SessionKit.Channel otherToken =
        SessionKit.forPayer(f.payerSecret, TempoKit.RECIPIENT, Fixtures.PATH_USD, f.operator)
            .open(DEPOSIT);
    p = f.parse(otherToken, otherToken.voucherPayload(PRICE));
    assertEquals("tempo.session.descriptor_mismatch", p.refusal().reason().code());
    SessionKit.Channel noOperator =
        SessionKit.forPayer(f.payerSecret, TempoKit.RECIPIENT, TempoKit.TOKEN, other).open(DEPOSIT);
    p = f.parse(noOperator, noOperator.voucherPayload(PRICE));
    assertEquals("tempo.session.descriptor_mismatch", p.refusal().reason().code());
    SessionKit.Channel otherEscrow = f.kit.on(TempoKit.TOKEN, SessionKit.CHAIN).open(DEPOSIT);
    p = f.parse(otherEscrow, otherEscrow.voucherPayload(PRICE));
    assertEquals("tempo.session.channel_id_mismatch", p.refusal().reason().code());
  }

  @Test
  void malformedSignaturesAreRefusedBeforeAnyRecovery() {
    Map<String, Object> v = ch.voucherPayload(PRICE);
    String good = (String) v.get("signature");
    ProblemType invalid = ProblemType.SESSION_INVALID_SIGNATURE;
    assertRefused(with(v, p -> p.put("signature", good.substring(0, 130))), invalid);
    assertRefused(with(v, p -> p.put("signature", good.substring(0, 130) + "00")), invalid);
    assertRefused(with(v, p -> p.put("signature", SessionKit.highS(good))), invalid);
    assertRefused(with(v, p -> p.put("signature", "0x" + "00".repeat(65))), invalid);
    assertRefused(with(v, p -> p.remove("signature")), ProblemType.MALFORMED_CREDENTIAL);
  }

  // ---- vouchers ----

  @Test
  void aVoucherOfThePayerWithItsSourceVerifies() {
    ChannelState s = f.stored(ch, PRICE);
    BigInteger more = PRICE.add(PRICE);
    assertNull(
        f.method.verifyVoucher(
            s,
            more,
            Hex.decodeUnchecked(ch.voucher(more)),
            f.context(ch, ch.voucherPayload(more))));
  }

  @Test
  void aVoucherSignedByAnotherKeyIsRefused() {
    ChannelState s = f.stored(ch, PRICE);
    BigInteger more = PRICE.add(PRICE);
    Verification.Rejected r =
        f.method.verifyVoucher(
            s,
            more,
            Hex.decodeUnchecked(ch.voucherSignedBy(more, SessionKit.randomSecret())),
            f.context(ch, ch.voucherPayload(more)));
    assertEquals(ProblemType.SESSION_INVALID_SIGNATURE, r.type());
  }

  @Test
  void aVoucherForAnotherAmountIsRefused() {
    ChannelState s = f.stored(ch, PRICE);
    Verification.Rejected r =
        f.method.verifyVoucher(
            s,
            PRICE.add(BigInteger.TWO),
            Hex.decodeUnchecked(ch.voucher(PRICE.add(BigInteger.ONE))),
            f.context(ch, ch.voucherPayload(PRICE)));
    assertEquals(ProblemType.SESSION_INVALID_SIGNATURE, r.type());
  }

  @Test
  void aHighSVoucherIsRefused() {
    ChannelState s = f.stored(ch, PRICE);
    BigInteger more = PRICE.add(PRICE);
    Verification.Rejected r =
        f.method.verifyVoucher(
            s,
            more,
            Hex.decodeUnchecked(SessionKit.highS(ch.voucher(more))),
            f.context(ch, ch.voucherPayload(more)));
    assertEquals(ProblemType.SESSION_INVALID_SIGNATURE, r.type());
  }

  @Test
  void theCredentialSourceMustBeThePayerOrSignerOnThisChain() {
    ChannelState s = f.stored(ch, PRICE);
    BigInteger more = PRICE.add(PRICE);
    byte[] sig = Hex.decodeUnchecked(ch.voucher(more));
    Map<String, Object> payload = ch.voucherPayload(more);
    for (String source :
        new String[] {
          null,
          f.kit.did(TempoKit.RECIPIENT),
          "did:pkh:eip155:4217:" + f.kit.payer().toHex(),
          "did:web:example.com",
          "did:pkh:eip155:42431:nothex"
        }) {
      Verification.Rejected r = f.method.verifyVoucher(s, more, sig, f.context(payload, source));
      assertNotNull(r, String.valueOf(source));
      assertEquals("tempo.session.source_mismatch", r.reason().code());
      assertEquals("credential source does not match channel", r.detail());
    }
  }

  @Test
  void escrowAbiMatchesTheSpecSelectorsAndTopics() {
    assertEquals(
        "0xdebaba36f0e9c7978f536fed432d9360b1f9646d7ca88531c34c3eae43f154a7",
        EscrowAbi.hex(EscrowAbi.CHANNEL_OPENED));
    assertEquals(
        "0x11c4e4c79ad8802431b44c15047ed1ddb82fbfc1abd452c765f7ee3990df1399",
        EscrowAbi.hex(EscrowAbi.SETTLED));
    assertEquals(
        "0x2a96f534665f3150977dd4c35d91373c74030288edbb3cf83c527dd25012364f",
        EscrowAbi.hex(EscrowAbi.TOP_UP_EVENT));
    assertEquals(
        "0x5613aed96d5bf39f928408dbe1d4143490b9bb5957eac2dd8e69b5dc4b2206e6",
        EscrowAbi.hex(EscrowAbi.CHANNEL_CLOSED));
    String[][] selectors = {
      {"open(address,address,address,uint96,bytes32,address)", "edc53b00"},
      {
        "settle((address,address,address,address,bytes32,address,bytes32),uint96,bytes)", "97fb5104"
      },
      {"topUp((address,address,address,address,bytes32,address,bytes32),uint96)", "dc48471e"},
      {
        "close((address,address,address,address,bytes32,address,bytes32),uint96,uint96,bytes)",
        "73b57f74"
      },
      {"getChannel((address,address,address,address,bytes32,address,bytes32))", "eef95313"},
      {"swapExactAmountOut(address,address,uint128,uint128)", "f0122b75"},
    };
    for (String[] s : selectors) {
      assertEquals(
          "0x" + s[1],
          Hex.encode(Keccak.hash(s[0].getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
              .substring(0, 10),
          s[0]);
    }
    assertEquals(
        0xedc53b00L,
        EscrowAbi.selector(
            EscrowAbi.encodeOpen(
                new EscrowAbi.OpenCall(
                    TempoKit.RECIPIENT,
                    f.operator,
                    TempoKit.TOKEN,
                    DEPOSIT,
                    ch.descriptor().salt(),
                    ch.descriptor().authorizedSigner()))));
  }
}
