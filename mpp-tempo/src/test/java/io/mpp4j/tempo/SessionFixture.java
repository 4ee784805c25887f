package io.mpp4j.tempo;

import io.mpp4j.core.Challenge;
import io.mpp4j.core.Credential;
import io.mpp4j.core.Intent;
import io.mpp4j.core.PaymentRequest;
import io.mpp4j.core.PaymentRequirement;
import io.mpp4j.core.RequestView;
import io.mpp4j.core.SessionTerms;
import io.mpp4j.server.session.ChannelState;
import io.mpp4j.server.session.SessionAction;
import io.mpp4j.server.session.SessionMethod;
import io.mpp4j.spi.VerificationContext;
import io.mpp4j.store.InMemoryStateStore;
import io.mpp4j.tempo.rpc.RpcStandIn;
import io.mpp4j.testkit.tempo.SessionKit;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A tempo session method on a JSON-RPC stand-in, its offer and a payer's kit, for the tests. */
final class SessionFixture implements AutoCloseable {
  static final BigInteger PRICE = BigInteger.valueOf(1000); // 0.001 per request
  static final BigInteger DEPOSIT = BigInteger.valueOf(1_000_000);

  final RpcStandIn standIn = new RpcStandIn();
  final byte[] operatorSecret = SessionKit.randomSecret();
  final Address operator = SessionKit.addressOf(operatorSecret);
  final byte[] payerSecret = SessionKit.randomSecret();
  final TempoMethod method;
  final PaymentRequirement requirement =
      PaymentRequirement.builder()
          .intent(Intent.SESSION)
          .amount("0.001")
          .session(new SessionTerms("request", new BigDecimal("1.00"), null))
          .build();
  final PaymentRequest offered;
  final Challenge challenge;
  final SessionKit kit;

  SessionFixture() {
    this(b -> b);
  }

  SessionFixture(java.util.function.UnaryOperator<TempoConfig.Builder> tweak) {
    method = TempoMethod.create(tweak.apply(config(standIn.uri)).build());
    offered = method.createRequest(Intent.SESSION, requirement);
    challenge =
        Challenge.builder()
            .id("session-challenge-1")
            .realm(TempoKit.REALM)
            .method(TempoMethod.NAME)
            .intent(Intent.SESSION)
            .request(offered)
            .expires(Instant.now().plusSeconds(300))
            .build();
    kit = SessionKit.forPayer(payerSecret, TempoKit.RECIPIENT, TempoKit.TOKEN, operator);
  }

  TempoConfig.Builder config(URI uri) {
    return TempoConfig.builder()
        .chainId(TempoKit.CHAIN)
        .rpcUrl(uri)
        .currency(TempoKit.TOKEN)
        .recipient(TempoKit.RECIPIENT)
        .operatorKey(Secp256k1PrivateKey.of(operatorSecret))
        // Generous for a loaded CI machine (the synchronous broadcast waits a third of the receipt
        // timeout, 2 s): a slow first answer must not turn into a timeout.
        .connectTimeout(Duration.ofSeconds(2))
        .callTimeout(Duration.ofSeconds(3))
        .receiptTimeout(Duration.ofSeconds(6));
  }

  VerificationContext context(Map<String, Object> payload, @Nullable String source) {
    return context(Credential.of(challenge, payload, source));
  }

  VerificationContext context(Credential credential) {
    return VerificationContext.of(
        credential,
        offered,
        requirement,
        RequestView.builder().path("/api/metered").build(),
        InMemoryStateStore.ofDefaults(),
        Clock.systemUTC(),
        Instant.now().plusSeconds(300));
  }

  VerificationContext context(SessionKit.Channel ch, Map<String, Object> payload) {
    return context(ch.credential(challenge, payload));
  }

  SessionMethod.ParsedAction parse(SessionKit.Channel ch, Map<String, Object> payload) {
    return method.parse(context(ch, payload));
  }

  SessionAction.Open parsedOpen(SessionKit.Channel ch, BigInteger cumulative) {
    return (SessionAction.Open) parse(ch, ch.openPayload(cumulative)).action();
  }

  /** The channel as the ledger would hold it after an open with {@code cumulative}. */
  ChannelState stored(SessionKit.Channel ch, BigInteger cumulative) {
    ChannelState blank = parsedOpen(ch, cumulative).descriptor();
    return blank
        .withDeposit(DEPOSIT)
        .withVoucher(
            cumulative, io.mpp4j.tempo.internal.Hex.decodeUnchecked(ch.voucher(cumulative)));
  }

  @Override
  public void close() {
    method.close();
    standIn.close();
  }
}
