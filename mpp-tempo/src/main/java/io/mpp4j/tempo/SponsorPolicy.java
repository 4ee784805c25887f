package io.mpp4j.tempo;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Objects;

/**
 * What a server that sponsors fees agrees to co-sign (SPEC 3.6). A handoff transaction is refused
 * before co-signing when any limit is exceeded, or when its calls are anything but the challenge's
 * own payment (SPEC 3.7); the limits bound what one sponsored payment can cost the sponsor. The
 * method applies the policy; this record only holds it.
 *
 * <p>Immutable and thread-safe.
 *
 * @param maxGas the highest gas limit (default 2,000,000)
 * @param maxFeePerGas the highest {@code maxFeePerGas} in wei (default 100 gwei)
 * @param maxPriorityFeePerGas the highest {@code maxPriorityFeePerGas} in wei (default 10 gwei on
 *     mainnet, 50 gwei elsewhere)
 * @param maxTotalFee the highest {@code gas × maxFeePerGas} (default 5e16)
 * @param maxValidity how far in the future {@code validBefore} may lie (default 15 minutes)
 * @param expiryGrace how far past the challenge's expiry {@code validBefore} may lie (default 60 s)
 * @param maxInFlight how many sponsored transactions may be in flight at once per method instance
 *     (default 100); more are answered as a temporary outage
 * @param allowKeyAuthorization whether transactions carrying a key authorization are sponsored
 *     (default true)
 */
public record SponsorPolicy(
    long maxGas,
    BigInteger maxFeePerGas,
    BigInteger maxPriorityFeePerGas,
    BigInteger maxTotalFee,
    Duration maxValidity,
    Duration expiryGrace,
    int maxInFlight,
    boolean allowKeyAuthorization) {

  private static final BigInteger GWEI = BigInteger.TEN.pow(9);

  /** Validates. */
  public SponsorPolicy {
    Objects.requireNonNull(maxFeePerGas, "maxFeePerGas == null");
    Objects.requireNonNull(maxPriorityFeePerGas, "maxPriorityFeePerGas == null");
    Objects.requireNonNull(maxTotalFee, "maxTotalFee == null");
    Objects.requireNonNull(maxValidity, "maxValidity == null");
    Objects.requireNonNull(expiryGrace, "expiryGrace == null");
    if (maxGas <= 0) {
      throw new IllegalArgumentException("maxGas must be > 0, but was " + maxGas);
    }
    if (maxFeePerGas.signum() <= 0
        || maxPriorityFeePerGas.signum() < 0
        || maxTotalFee.signum() <= 0) {
      throw new IllegalArgumentException("fee limits must be positive");
    }
    if (maxValidity.isNegative() || maxValidity.isZero() || expiryGrace.isNegative()) {
      throw new IllegalArgumentException("maxValidity must be > 0 and expiryGrace >= 0");
    }
    if (maxInFlight <= 0) {
      throw new IllegalArgumentException("maxInFlight must be > 0, but was " + maxInFlight);
    }
  }

  /** The defaults of SPEC 3.6 for a chain: 10 gwei priority fee on mainnet, 50 gwei elsewhere. */
  public static SponsorPolicy defaults(long chainId) {
    BigInteger priority =
        GWEI.multiply(BigInteger.valueOf(chainId == TempoNetwork.MAINNET.chainId() ? 10 : 50));
    return new SponsorPolicy(
        2_000_000L,
        GWEI.multiply(BigInteger.valueOf(100)),
        priority,
        BigInteger.valueOf(5).multiply(BigInteger.TEN.pow(16)),
        Duration.ofMinutes(15),
        Duration.ofSeconds(60),
        100,
        true);
  }
}
