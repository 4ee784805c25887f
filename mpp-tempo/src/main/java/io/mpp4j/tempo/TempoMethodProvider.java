package io.mpp4j.tempo;

import io.mpp4j.core.MalformedMessageException;
import io.mpp4j.spi.MethodSettings;
import io.mpp4j.spi.PaymentMethod;
import io.mpp4j.spi.PaymentMethodProvider;
import io.mpp4j.tempo.internal.Hex;
import java.math.BigDecimal;
import java.net.URI;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes {@link TempoMethod} available to string configuration ({@code web.xml}) under the name
 * {@code tempo}. Settings (init-parameters prefixed {@code tempo.}):
 *
 * <dl>
 *   <dt>{@code network}
 *   <dd>{@code testnet} (chain 42431) or {@code mainnet} (chain 4217): sets the chain id, the
 *       public RPC endpoint and the default currency. Either this or {@code chainId} is required.
 *   <dt>{@code chainId}
 *   <dd>A chain id instead of {@code network}: 42431 and 4217 use the public endpoints unless
 *       {@code rpcUrl} is set; any other chain (a local anvil) needs {@code rpcUrl}.
 *   <dt>{@code rpcUrl}
 *   <dd>The JSON-RPC endpoint (http or https); overrides the network's.
 *   <dt>{@code recipient}
 *   <dd>Required: the address that receives payments.
 *   <dt>{@code currency}
 *   <dd>The TIP-20 token address; default the network's (testnet pathUSD, mainnet USDC.e).
 *   <dt>{@code splits}
 *   <dd>Comma-separated {@code <address>:<amount>} shares in token units, e.g. {@code 0xabc…:0.01};
 *       every charge pays them and the recipient gets the rest.
 *   <dt>{@code feePayerKeyEnv}
 *   <dd>Name of the environment variable (or {@code sys:<name>} system property) holding the fee
 *       payer's hex private key; when set and present, this server sponsors fees. Never the key
 *       itself.
 *   <dt>{@code feeToken}
 *   <dd>The token the sponsor pays fees in; default pathUSD.
 *   <dt>{@code modes}
 *   <dd>Comma-separated {@code pull}, {@code push}; default both (pull only when sponsoring).
 *   <dt>{@code connectTimeout}, {@code callTimeout}, {@code receiptTimeout}, {@code
 *       pushReceiptWait}, {@code claimTtl}
 *   <dd>ISO-8601 durations ({@code PT5S}) or whole seconds; defaults 5 s, 10 s, 30 s, 5 s, 1 day.
 * </dl>
 *
 * <p>An unknown setting, a missing required one or a bad value fails with an {@link
 * IllegalArgumentException} naming the parameter; messages never contain the fee payer's key.
 *
 * <p>Stateless and thread-safe.
 */
public final class TempoMethodProvider implements PaymentMethodProvider {
  private static final Logger LOG = LoggerFactory.getLogger(TempoMethodProvider.class);

  private static final Set<String> KNOWN =
      Set.of(
          "network",
          "chainId",
          "rpcUrl",
          "recipient",
          "currency",
          "splits",
          "feePayerKeyEnv",
          "feeToken",
          "modes",
          "connectTimeout",
          "callTimeout",
          "receiptTimeout",
          "pushReceiptWait",
          "claimTtl");

  /** Creates the provider (ServiceLoader). */
  public TempoMethodProvider() {}

  @Override
  public String name() {
    return TempoMethod.NAME;
  }

  @Override
  public PaymentMethod create(MethodSettings settings) {
    for (String key : settings.asMap().keySet()) {
      if (!KNOWN.contains(key)) {
        throw new IllegalArgumentException(
            "unknown init-parameter "
                + settings.param(key)
                + " (known: "
                + new TreeSet<>(KNOWN)
                + ")");
      }
    }
    TempoConfig.Builder b = TempoConfig.builder();
    String network = settings.get("network");
    TempoNetwork named = null;
    if (network != null) {
      switch (network.toLowerCase(Locale.ROOT)) {
        case "testnet":
        case "moderato":
          named = TempoNetwork.TESTNET;
          break;
        case "mainnet":
          named = TempoNetwork.MAINNET;
          break;
        default:
          throw settings.invalid("network", "testnet or mainnet");
      }
      b.network(named);
    }
    String chainId = settings.get("chainId");
    TempoNetwork preset = null;
    if (chainId != null) {
      long id;
      try {
        id = Long.parseLong(chainId);
      } catch (NumberFormatException e) {
        throw settings.invalid("chainId", "a positive integer chain id such as 42431");
      }
      settings.apply("chainId", "a positive integer chain id such as 42431", () -> b.chainId(id));
      preset = TempoNetwork.byChainId(id);
      if (named != null && named.chainId() != id) {
        throw new IllegalArgumentException(
            "init-parameter "
                + settings.param("chainId")
                + " ("
                + chainId
                + ") contradicts "
                + settings.param("network")
                + " ("
                + network
                + "); set only one of them, or chainId with rpcUrl");
      }
    } else if (network == null) {
      throw new IllegalArgumentException(
          "missing init-parameter "
              + settings.param("network")
              + " or "
              + settings.param("chainId")
              + " (expected testnet, mainnet, or a chain id with an rpcUrl)");
    }
    String rpcUrl = settings.get("rpcUrl");
    if (rpcUrl != null) {
      URI uri;
      try {
        uri = URI.create(rpcUrl);
      } catch (IllegalArgumentException e) {
        throw settings.invalid("rpcUrl", "an http(s) URL");
      }
      settings.apply("rpcUrl", "an http(s) URL", () -> b.rpcUrl(uri));
    } else if (network == null) {
      if (preset == null) {
        throw new IllegalArgumentException(
            "missing init-parameter "
                + settings.param("rpcUrl")
                + " (expected an http(s) URL; required for chain "
                + chainId
                + ")");
      }
      b.rpcUrl(preset.rpcUrl());
    }
    b.recipient(address(settings, "recipient", settings.require("recipient", "a 0x address")));
    String currency = settings.get("currency");
    if (currency != null) {
      b.currency(address(settings, "currency", currency));
    }
    String splits = settings.get("splits");
    if (splits != null) {
      for (String part : splits.split(",", -1)) {
        String p = part.strip();
        int colon = p.indexOf(':');
        if (colon < 0) {
          throw settings.invalid("splits", "comma-separated <address>:<amount>, e.g. 0xabc…:0.01");
        }
        Address to = address(settings, "splits", p.substring(0, colon).strip());
        BigDecimal amount;
        try {
          amount = new BigDecimal(p.substring(colon + 1).strip());
        } catch (NumberFormatException e) {
          throw settings.invalid("splits", "comma-separated <address>:<amount>, e.g. 0xabc…:0.01");
        }
        settings.apply(
            "splits",
            "shares greater than zero with at most 6 decimals, at most 10 of them",
            () -> b.split(Split.of(to, TempoMethod.toBaseUnits(amount))));
      }
    }
    boolean sponsoring = false;
    String keyEnv = settings.get("feePayerKeyEnv");
    if (keyEnv != null) {
      String key = settings.secret("feePayerKeyEnv", null);
      if (key == null) {
        LOG.info(
            "tempo: fee sponsorship is off ({} names {}, which is not set)",
            settings.param("feePayerKeyEnv"),
            keyEnv);
      } else {
        try {
          String hex = key.strip();
          b.feePayerKey(
              Secp256k1PrivateKey.of(
                  Hex.decode(hex.startsWith("0x") ? hex : "0x" + hex, 32, "key")));
          sponsoring = true;
        } catch (MalformedMessageException | IllegalArgumentException e) {
          // Never echo the key.
          throw new IllegalArgumentException(
              "invalid fee payer key in the variable named by init-parameter "
                  + settings.param("feePayerKeyEnv")
                  + ": expected 32 bytes of hex");
        }
      }
    }
    String feeToken = settings.get("feeToken");
    if (feeToken != null) {
      b.feeToken(address(settings, "feeToken", feeToken));
    }
    String modes = settings.get("modes");
    if (modes != null) {
      Set<PaymentMode> set = EnumSet.noneOf(PaymentMode.class);
      for (String m : modes.split(",", -1)) {
        String name = m.strip().toLowerCase(Locale.ROOT);
        if (!name.equals("pull") && !name.equals("push")) {
          throw settings.invalid("modes", "comma-separated pull, push");
        }
        set.add(PaymentMode.fromWire(name));
      }
      if (set.contains(PaymentMode.PUSH) && sponsoring) {
        throw new IllegalArgumentException(
            "invalid init-parameter "
                + settings.param("modes")
                + ": \""
                + modes
                + "\" (expected pull only while fees are sponsored: a pushed transaction cannot be"
                + " co-signed)");
      }
      b.modes(set);
    }
    settings.duration("connectTimeout", "1 ms to 2 minutes", b::connectTimeout);
    settings.duration("callTimeout", "1 ms to 5 minutes", b::callTimeout);
    settings.duration("receiptTimeout", "1 ms to 10 minutes", b::receiptTimeout);
    settings.duration("pushReceiptWait", "0 to 10 minutes", b::pushReceiptWait);
    settings.duration("claimTtl", "1 second or more", b::claimTtl);
    TempoConfig config;
    try {
      config = b.build();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid tempo.* init-parameters: " + e.getMessage(), e);
    }
    return TempoMethod.create(config);
  }

  private static Address address(MethodSettings settings, String key, String value) {
    try {
      return Address.parse(value);
    } catch (MalformedMessageException e) {
      throw settings.invalid(key, "a 0x-prefixed 20-byte hex address");
    }
  }
}
