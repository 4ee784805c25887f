package io.mpp4j.tempo;

import io.mpp4j.core.MalformedMessageException;
import java.net.URI;

/**
 * The public Tempo networks, with their chain ids, public RPC endpoints and default payment
 * currencies. A private chain (for example a local anvil) is configured with {@link
 * TempoConfig.Builder#chainId(long)} and {@link TempoConfig.Builder#rpcUrl(URI)} instead.
 */
public enum TempoNetwork {
  /** Tempo mainnet: chain 4217; USDC.e is the default currency. */
  MAINNET(4217, "https://rpc.tempo.xyz", "0x20c000000000000000000000b9537d11c60e8b50"),
  /** Tempo testnet "Moderato": chain 42431; pathUSD is the default currency. */
  TESTNET(42431, "https://rpc.moderato.tempo.xyz", "0x20c0000000000000000000000000000000000000");

  /** pathUSD, on every network; also the default fee token of a sponsor. */
  public static final Address PATH_USD = constant("0x20c0000000000000000000000000000000000000");

  /**
   * The v2 session escrow, the TIP-1034 channel reserve precompile, at the same address on every
   * network (SPEC 4.1).
   */
  public static final Address CHANNEL_RESERVE =
      constant("0x4d50500000000000000000000000000000000000");

  private final long chainId;
  private final URI rpcUrl;

  // Address is immutable (a final class over a private array it never hands out).
  @SuppressWarnings("ImmutableEnumChecker")
  private final Address defaultCurrency;

  TempoNetwork(long chainId, String rpcUrl, String defaultCurrency) {
    this.chainId = chainId;
    this.rpcUrl = URI.create(rpcUrl);
    this.defaultCurrency = constant(defaultCurrency);
  }

  /** The chain id. */
  public long chainId() {
    return chainId;
  }

  /** The public RPC endpoint. */
  public URI rpcUrl() {
    return rpcUrl;
  }

  /** The TIP-20 token offered when no currency is configured. */
  public Address defaultCurrency() {
    return defaultCurrency;
  }

  static Address constant(String hex) {
    try {
      return Address.parse(hex);
    } catch (MalformedMessageException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The network with this chain id, or null. */
  static @org.jspecify.annotations.Nullable TempoNetwork byChainId(long chainId) {
    for (TempoNetwork n : values()) {
      if (n.chainId == chainId) {
        return n;
      }
    }
    return null;
  }
}
