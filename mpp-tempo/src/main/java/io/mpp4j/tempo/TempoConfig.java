package io.mpp4j.tempo;

import io.mpp4j.tempo.internal.ChargeTerms;
import io.mpp4j.tempo.rpc.TempoRpc;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The configuration of a {@link TempoMethod}: network, token, recipient, optional splits, fee
 * sponsorship and the JSON-RPC endpoint with its time limits.
 *
 * <p>Immutable and thread-safe. The fee payer's private key is held but never printed.
 *
 * <pre>{@code
 * TempoConfig config = TempoConfig.builder()
 *     .network(TempoNetwork.TESTNET)
 *     .recipient(Address.parse("0x742d35cc6634c0532925a3b844bc9e7595f8fe00"))
 *     .build();
 * }</pre>
 */
public final class TempoConfig {
  private final long chainId;
  private final @Nullable URI rpcUrl;
  private final @Nullable TempoRpc rpc;
  private final Address currency;
  private final Address recipient;
  private final List<Split> splits;
  private final @Nullable Secp256k1PrivateKey feePayerKey;
  private final Address feeToken;
  private final SponsorPolicy sponsorPolicy;
  private final Set<PaymentMode> modes;
  private final Duration connectTimeout;
  private final Duration callTimeout;
  private final Duration receiptTimeout;
  private final Duration pushReceiptWait;
  private final Duration claimTtl;
  private final @Nullable Secp256k1PrivateKey operatorKey;
  private final Address escrow;

  private TempoConfig(Builder b, long chainId, Address currency, Set<PaymentMode> modes) {
    this.chainId = chainId;
    this.rpcUrl = b.rpcUrl;
    this.rpc = b.rpc;
    this.currency = currency;
    this.recipient = Objects.requireNonNull(b.recipient, "recipient == null");
    this.splits = List.copyOf(b.splits);
    this.feePayerKey = b.feePayerKey;
    this.feeToken = b.feeToken;
    this.sponsorPolicy =
        b.sponsorPolicy != null ? b.sponsorPolicy : SponsorPolicy.defaults(chainId);
    this.modes = Set.copyOf(modes);
    this.connectTimeout = b.connectTimeout;
    this.callTimeout = b.callTimeout;
    this.receiptTimeout = b.receiptTimeout;
    this.pushReceiptWait = b.pushReceiptWait;
    this.claimTtl = b.claimTtl;
    this.operatorKey = b.operatorKey;
    this.escrow = b.escrow;
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The chain id every offer carries. */
  public long chainId() {
    return chainId;
  }

  /** The JSON-RPC endpoint, or null when an {@link #rpc()} instance was given. */
  public @Nullable URI rpcUrl() {
    return rpcUrl;
  }

  /** The JSON-RPC client given to the builder, or null. */
  public @Nullable TempoRpc rpc() {
    return rpc;
  }

  /** The TIP-20 token charged. */
  public Address currency() {
    return currency;
  }

  /** The primary recipient. */
  public Address recipient() {
    return recipient;
  }

  /** The splits every charge carries (base units). */
  public List<Split> splits() {
    return splits;
  }

  /** Whether this server sponsors fees (a fee-payer key is configured). */
  public boolean sponsorsFees() {
    return feePayerKey != null;
  }

  /** The fee payer's key, or null. Package-private: never handed out. */
  @Nullable Secp256k1PrivateKey feePayerKey() {
    return feePayerKey;
  }

  /** The fee payer's address, or null. */
  public @Nullable Address feePayerAddress() {
    return feePayerKey == null ? null : feePayerKey.address();
  }

  /** The token the sponsor pays fees in (default pathUSD). */
  public Address feeToken() {
    return feeToken;
  }

  /** The sponsor policy. */
  public SponsorPolicy sponsorPolicy() {
    return sponsorPolicy;
  }

  /** The payment modes offered. */
  public Set<PaymentMode> modes() {
    return modes;
  }

  /** TCP connect timeout of the JSON-RPC client. */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** Time limit of one JSON-RPC call. */
  public Duration callTimeout() {
    return callTimeout;
  }

  /** How long a broadcast may wait for its receipt in total. */
  public Duration receiptTimeout() {
    return receiptTimeout;
  }

  /** How long a push payment's receipt is awaited when the node does not know it yet. */
  public Duration pushReceiptWait() {
    return pushReceiptWait;
  }

  /** How long a settled transaction hash stays claimed against replays (at least). */
  public Duration claimTtl() {
    return claimTtl;
  }

  /**
   * Whether sessions can be offered: an operator key is configured (the key that settles and closes
   * channels; without it the server could never collect what vouchers promise).
   */
  public boolean offersSessions() {
    return operatorKey != null;
  }

  /** The operator's key, or null. Package-private: never handed out. */
  @Nullable Secp256k1PrivateKey operatorKey() {
    return operatorKey;
  }

  /** The operator's address (offers' {@code methodDetails.operator}), or null without a key. */
  public @Nullable Address operatorAddress() {
    return operatorKey == null ? null : operatorKey.address();
  }

  /** The session escrow (default the v2 channel reserve precompile). */
  public Address escrow() {
    return escrow;
  }

  @Override
  public String toString() {
    return "TempoConfig{chainId="
        + chainId
        + ", rpcUrl="
        + (rpcUrl == null ? "(client)" : rpcUrl.getScheme() + "://" + rpcUrl.getHost())
        + ", currency="
        + currency
        + ", recipient="
        + recipient
        + ", splits="
        + splits.size()
        + ", modes="
        + modes
        + ", feePayer="
        + (feePayerKey == null ? "none" : feePayerKey.address())
        + ", operator="
        + (operatorKey == null ? "none" : operatorKey.address())
        + "}";
  }

  /** Builds a {@link TempoConfig}; setters validate their argument. */
  public static final class Builder {
    private long chainId;
    private @Nullable URI rpcUrl;
    private @Nullable TempoRpc rpc;
    private @Nullable Address currency;
    private @Nullable Address recipient;
    private final List<Split> splits = new ArrayList<>();
    private @Nullable Secp256k1PrivateKey feePayerKey;
    private Address feeToken = TempoNetwork.PATH_USD;
    private @Nullable SponsorPolicy sponsorPolicy;
    private @Nullable Set<PaymentMode> modes;
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration callTimeout = Duration.ofSeconds(10);
    private Duration receiptTimeout = Duration.ofSeconds(30);
    private Duration pushReceiptWait = Duration.ofSeconds(5);
    private Duration claimTtl = Duration.ofDays(1);
    private @Nullable Secp256k1PrivateKey operatorKey;
    private Address escrow = TempoNetwork.CHANNEL_RESERVE;

    private Builder() {}

    /** Uses a public network's chain id and RPC endpoint (each can still be overridden). */
    public Builder network(TempoNetwork network) {
      Objects.requireNonNull(network, "network == null");
      this.chainId = network.chainId();
      if (rpcUrl == null) {
        this.rpcUrl = network.rpcUrl();
      }
      return this;
    }

    /** The chain id (for example 42431 for a local anvil). */
    public Builder chainId(long chainId) {
      if (chainId <= 0) {
        throw new IllegalArgumentException("chainId must be > 0, but was " + chainId);
      }
      this.chainId = chainId;
      return this;
    }

    /** The JSON-RPC endpoint ({@code http} or {@code https}). */
    public Builder rpcUrl(URI rpcUrl) {
      Objects.requireNonNull(rpcUrl, "rpcUrl == null");
      String scheme = rpcUrl.getScheme();
      if (!"http".equals(scheme) && !"https".equals(scheme) || rpcUrl.getHost() == null) {
        throw new IllegalArgumentException(
            "rpcUrl must be an http or https URL, but was \"" + rpcUrl + "\"");
      }
      this.rpcUrl = rpcUrl;
      return this;
    }

    /**
     * A ready JSON-RPC client (tests, custom transports); takes precedence over {@link #rpcUrl}.
     */
    public Builder rpc(TempoRpc rpc) {
      this.rpc = Objects.requireNonNull(rpc, "rpc == null");
      return this;
    }

    /** The TIP-20 token to charge (default: the network's default currency). */
    public Builder currency(Address currency) {
      this.currency = Objects.requireNonNull(currency, "currency == null");
      return this;
    }

    /** The primary recipient (required). */
    public Builder recipient(Address recipient) {
      this.recipient = Objects.requireNonNull(recipient, "recipient == null");
      return this;
    }

    /** Adds a split paid with every charge. */
    public Builder split(Split split) {
      Objects.requireNonNull(split, "split == null");
      if (splits.size() == ChargeTerms.MAX_SPLITS) {
        throw new IllegalArgumentException("at most " + ChargeTerms.MAX_SPLITS + " splits");
      }
      splits.add(split);
      return this;
    }

    /** Sponsors fees with this key: offers carry {@code feePayer: true} and only the pull mode. */
    public Builder feePayerKey(Secp256k1PrivateKey key) {
      this.feePayerKey = Objects.requireNonNull(key, "key == null");
      return this;
    }

    /**
     * The operator key of sessions: its address is offered as {@code methodDetails.operator}, and
     * it sends the {@code settle} and {@code close} transactions (paying their fees in the
     * currency). Required for session routes.
     */
    public Builder operatorKey(Secp256k1PrivateKey key) {
      this.operatorKey = Objects.requireNonNull(key, "key == null");
      return this;
    }

    /** The session escrow (default the v2 channel reserve precompile {@code 0x4d50…0000}). */
    public Builder escrow(Address escrow) {
      this.escrow = Objects.requireNonNull(escrow, "escrow == null");
      return this;
    }

    /** The token the sponsor pays fees in (default pathUSD). */
    public Builder feeToken(Address feeToken) {
      this.feeToken = Objects.requireNonNull(feeToken, "feeToken == null");
      return this;
    }

    /** The sponsor policy (default {@link SponsorPolicy#defaults(long)} for the chain). */
    public Builder sponsorPolicy(SponsorPolicy policy) {
      this.sponsorPolicy = Objects.requireNonNull(policy, "policy == null");
      return this;
    }

    /** The modes to offer (default both; pull only when sponsoring). */
    public Builder modes(Set<PaymentMode> modes) {
      Objects.requireNonNull(modes, "modes == null");
      if (modes.isEmpty()) {
        throw new IllegalArgumentException("modes must not be empty");
      }
      this.modes = EnumSet.copyOf(modes);
      return this;
    }

    /** TCP connect timeout of the JSON-RPC client (default 5 s). */
    public Builder connectTimeout(Duration d) {
      this.connectTimeout = positive(d, "connectTimeout");
      return this;
    }

    /** Time limit of one JSON-RPC call (default 10 s). */
    public Builder callTimeout(Duration d) {
      this.callTimeout = positive(d, "callTimeout");
      return this;
    }

    /** Total wait for a broadcast's receipt (default 30 s). */
    public Builder receiptTimeout(Duration d) {
      this.receiptTimeout = positive(d, "receiptTimeout");
      return this;
    }

    /** Wait for a push payment's receipt when the node does not know it yet (default 5 s). */
    public Builder pushReceiptWait(Duration d) {
      Objects.requireNonNull(d, "pushReceiptWait == null");
      if (d.isNegative()) {
        throw new IllegalArgumentException("pushReceiptWait must be >= 0, but was " + d);
      }
      this.pushReceiptWait = d;
      return this;
    }

    /** How long settled hashes stay claimed (default 1 day, never less than a challenge). */
    public Builder claimTtl(Duration d) {
      this.claimTtl = positive(d, "claimTtl");
      return this;
    }

    private static Duration positive(@Nullable Duration d, String name) {
      Objects.requireNonNull(d, name + " == null");
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be > 0, but was " + d);
      }
      return d;
    }

    /**
     * Builds the configuration.
     *
     * @throws IllegalArgumentException when the chain, recipient or RPC endpoint is missing, or
     *     push is requested together with fee sponsorship
     */
    public TempoConfig build() {
      if (chainId == 0) {
        throw new IllegalArgumentException("chainId is required: set network(...) or chainId(...)");
      }
      if (recipient == null) {
        throw new IllegalArgumentException("recipient is required");
      }
      if (rpc == null && rpcUrl == null) {
        throw new IllegalArgumentException("rpcUrl is required: set network(...) or rpcUrl(...)");
      }
      Address cur = currency;
      if (cur == null) {
        TempoNetwork n = TempoNetwork.byChainId(chainId);
        cur = n != null ? n.defaultCurrency() : TempoNetwork.PATH_USD;
      }
      Set<PaymentMode> m = modes;
      if (m == null) {
        m = feePayerKey != null ? EnumSet.of(PaymentMode.PULL) : EnumSet.allOf(PaymentMode.class);
      } else if (feePayerKey != null && m.contains(PaymentMode.PUSH)) {
        throw new IllegalArgumentException(
            "modes must be pull only when sponsoring fees: a pushed transaction cannot be co-signed");
      }
      return new TempoConfig(this, chainId, cur, m);
    }
  }
}
