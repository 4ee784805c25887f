package io.mpp4j.tempo.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpp4j.core.MalformedMessageException;
import java.math.BigInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Sign → parse → recover round trips for random channels and uint96 cumulative amounts. */
class VoucherProperties {
  private static final VoucherDomain DOMAIN = VoucherDomain.of(VoucherVectorsTest.ESCROW, 42431);

  @Provide
  Arbitrary<BigInteger> amounts() {
    return Arbitraries.bigIntegers()
        .between(BigInteger.ZERO, Uint96.MAX)
        .edgeCases(c -> c.includeOnly(BigInteger.ZERO, BigInteger.ONE, Uint96.MAX));
  }

  @Provide
  Arbitrary<byte[]> words() {
    return Arbitraries.bytes().array(byte[].class).ofSize(32);
  }

  @Property(tries = 200)
  void signedVoucherRecoversItsSigner(
      @ForAll("amounts") BigInteger amount, @ForAll("words") byte[] channel)
      throws MalformedMessageException {
    Bytes32 id = Bytes32.of(channel);
    byte[] digest = DOMAIN.digest(id, amount);
    String wire = VoucherSignature.of(VoucherVectorsTest.KEY.sign(digest)).toHex();
    VoucherSignature parsed = VoucherSignature.parse(wire);
    assertEquals(VoucherVectorsTest.KEY.address(), parsed.recoverSigner(digest).orElseThrow());
    assertTrue(DOMAIN.verify(id, amount, parsed, VoucherVectorsTest.KEY.address()));
    assertFalse(DOMAIN.verify(id, amount, parsed, VoucherVectorsTest.OTHER_KEY.address()));
    assertEquals(amount, Uint96.parseDecimal(amount.toString(), "cumulativeAmount"));
  }
}
