package io.mpp4j.server.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpp4j.server.session.LedgerResult.Updated;
import io.mpp4j.store.InMemoryStateStore;
import io.mpp4j.testing.ManualClock;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Metering keeps its books under any sequence of vouchers, charges, delivered units and refunds:
 * {@code spent + debt = price × units} (every unit counted is paid or owed), {@code spent ≤
 * acceptedCumulative ≤ deposit}, and the units charged up front (less those given back) never
 * exceed what accepted vouchers covered.
 */
class MeteringProperties {
  private static final BigInteger PRICE = BigInteger.valueOf(7);
  private static final String CH = FakeSessionMethod.channel(0x9e);

  /** One step: 0 voucher (+n×price), 1 charge n units, 2 delivered n units, 3 refund n units. */
  record Op(int kind, int n) {}

  @Provide
  Arbitrary<List<Op>> ops() {
    Arbitrary<Op> op =
        Combinators.combine(
                Arbitraries.integers().between(0, 3), Arbitraries.integers().between(1, 5))
            .as(Op::new);
    return op.list().ofMaxSize(60);
  }

  @Property(tries = 300)
  void theBooksBalance(@ForAll("ops") List<Op> ops) {
    ManualClock clock = new ManualClock();
    SessionLedger ledger = new SessionLedger(InMemoryStateStore.create(100, clock));
    BigInteger deposit = BigInteger.valueOf(1_000);
    ledger.open(FakeSessionMethod.descriptor(CH, deposit));
    Instant now = Instant.parse("2026-12-08T00:00:00Z");
    long chargedUnits = 0;
    for (Op op : ops) {
      ChannelState s = ledger.read(CH);
      switch (op.kind()) {
        case 0 -> {
          BigInteger next = s.acceptedCumulative().add(PRICE.multiply(BigInteger.valueOf(op.n())));
          if (next.compareTo(deposit) <= 0) {
            ledger.acceptVoucher(
                CH,
                next,
                FakeSessionMethod.sign(FakeSessionMethod.PAYER_KEY, CH, next),
                BigInteger.ZERO,
                now);
          }
        }
        case 1 -> {
          if (ledger.chargeUnits(CH, PRICE, op.n(), now) instanceof Updated) {
            chargedUnits += op.n();
          }
        }
        case 2 -> ledger.recordDelivered(CH, PRICE, op.n(), now);
        default -> {
          if (ledger.refundUnits(CH, PRICE, op.n()) instanceof Updated) {
            chargedUnits -= op.n(); // given back: no longer served against coverage
          }
        }
      }
      ChannelState after = ledger.read(CH);
      assertEquals(
          PRICE.multiply(BigInteger.valueOf(after.units())), after.spent().add(after.debt()));
      assertTrue(after.spent().compareTo(after.acceptedCumulative()) <= 0);
      assertTrue(after.acceptedCumulative().compareTo(after.deposit()) <= 0);
      assertTrue(
          PRICE.multiply(BigInteger.valueOf(chargedUnits)).compareTo(after.acceptedCumulative())
              <= 0,
          "charged units never exceed what vouchers covered");
    }
  }
}
