package io.mpp4j.tempo;

import io.mpp4j.config.Configuration;
import io.mpp4j.config.ConfigurationException;
import io.mpp4j.config.Schema;
import io.mpp4j.config.Setting;
import io.mpp4j.core.MalformedMessageException;
import io.mpp4j.spi.PaymentMethod;
import io.mpp4j.spi.PaymentMethodProvider;
import io.mpp4j.tempo.internal.Hex;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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
 *   <dt>{@code operatorKeyEnv}
 *   <dd>Name of the environment variable (or {@code sys:<name>}) holding the session operator's hex
 *       private key: its address is offered as {@code methodDetails.operator} and it sends the
 *       {@code settle} and {@code close} transactions. Session routes need it.
 *   <dt>{@code escrow}
 *   <dd>The session escrow; default the v2 channel reserve precompile. Empty means the default.
 *   <dt>{@code feeToken}
 *   <dd>The token the sponsor pays fees in; default pathUSD.
 *   <dt>{@code modes}
 *   <dd>Comma-separated {@code pull}, {@code push}; default both (pull only when sponsoring).
 *   <dt>{@code connectTimeout}, {@code callTimeout}, {@code receiptTimeout}, {@code
 *       pushReceiptWait}, {@code claimTtl}
 *   <dd>ISO-8601 durations ({@code PT5S}) or whole seconds; defaults 5 s, 10 s, 30 s, 5 s, 1 day.
 * </dl>
 *
 * <p>The settings are declared once, in {@link #settings()}. An unknown setting, a missing required
 * one or a bad value fails with a {@link ConfigurationException} naming the parameter; messages
 * never contain the fee payer's key.
 *
 * <p>Stateless and thread-safe.
 */
public final class TempoMethodProvider implements PaymentMethodProvider {
  private static final Logger LOG = LoggerFactory.getLogger(TempoMethodProvider.class);

  private static final String ADDRESS = "a 0x-prefixed 20-byte hex address";
  private static final String SPLITS_FORM = "comma-separated <address>:<amount>, e.g. 0xabc…:0.01";
  private static final String DURATION = "an ISO-8601 duration such as PT5S, or whole seconds";

  static final Setting<TempoNetwork> NETWORK =
      Setting.choice(
              "network",
              "testnet or mainnet",
              Map.of(
                  "testnet", TempoNetwork.TESTNET,
                  "moderato", TempoNetwork.TESTNET,
                  "mainnet", TempoNetwork.MAINNET))
          .doc("testnet (chain 42431) or mainnet (chain 4217); this or chainId is required.");
  static final Setting<Long> CHAIN_ID =
      Setting.of("chainId", "a positive integer chain id such as 42431", (v, l) -> Long.valueOf(v))
          .doc("A chain id instead of network; chains other than 42431 and 4217 need rpcUrl.");
  static final Setting<URI> RPC_URL =
      Setting.of("rpcUrl", "an http(s) URL", (v, l) -> URI.create(v))
          .documentedDefault("the network's")
          .doc("The JSON-RPC endpoint.");
  static final Setting<Address> RECIPIENT =
      address("recipient").required("a 0x address").doc("The address that receives payments.");
  static final Setting<Address> CURRENCY =
      address("currency").documentedDefault("the network's").doc("The TIP-20 token address.");
  static final Setting<String> SPLITS =
      Setting.string("splits", SPLITS_FORM)
          .doc("Comma-separated <address>:<amount> shares in token units paid with every charge.");
  static final Setting<String> FEE_PAYER_KEY_ENV =
      Setting.variableName("feePayerKeyEnv", null)
          .doc("Name of the variable holding the fee payer's hex private key; sponsors fees.");
  static final Setting<String> OPERATOR_KEY_ENV =
      Setting.variableName("operatorKeyEnv", null)
          .doc(
              "Name of the variable holding the session operator's hex private key; it settles and"
                  + " closes channels and is required for session routes.");
  static final Setting<Address> ESCROW =
      address("escrow")
          .documentedDefault("the v2 channel reserve 0x4d50500000000000000000000000000000000000")
          .doc("The session escrow contract.");
  static final Setting<Address> FEE_TOKEN =
      address("feeToken").documentedDefault("pathUSD").doc("The token the sponsor pays fees in.");
  static final Setting<Set<PaymentMode>> MODES =
      Setting.of("modes", "comma-separated pull, push", (v, l) -> modes(v))
          .documentedDefault("pull and push; pull only when sponsoring")
          .doc("The payment modes offered.");
  static final Setting<Duration> CONNECT_TIMEOUT =
      duration("connectTimeout", "1 ms to 2 minutes", "5 s");
  static final Setting<Duration> CALL_TIMEOUT =
      duration("callTimeout", "1 ms to 5 minutes", "10 s");
  static final Setting<Duration> RECEIPT_TIMEOUT =
      duration("receiptTimeout", "1 ms to 10 minutes", "30 s");
  static final Setting<Duration> PUSH_RECEIPT_WAIT =
      duration("pushReceiptWait", "0 to 10 minutes", "5 s");
  static final Setting<Duration> CLAIM_TTL = duration("claimTtl", "1 second or more", "1 day");

  private static final Schema SETTINGS =
      Schema.of(
          NETWORK,
          CHAIN_ID,
          RPC_URL,
          RECIPIENT,
          CURRENCY,
          SPLITS,
          FEE_PAYER_KEY_ENV,
          OPERATOR_KEY_ENV,
          ESCROW,
          FEE_TOKEN,
          MODES,
          CONNECT_TIMEOUT,
          CALL_TIMEOUT,
          RECEIPT_TIMEOUT,
          PUSH_RECEIPT_WAIT,
          CLAIM_TTL);

  /** Creates the provider (ServiceLoader). */
  public TempoMethodProvider() {}

  @Override
  public String name() {
    return TempoMethod.NAME;
  }

  @Override
  public Schema settings() {
    return SETTINGS;
  }

  @Override
  public PaymentMethod create(Configuration settings) {
    TempoConfig.Builder b = TempoConfig.builder();
    chain(settings, b);
    b.recipient(settings.get(RECIPIENT));
    settings.apply(CURRENCY, b::currency);
    splits(settings, b);
    boolean sponsoring = feePayer(settings, b);
    operator(settings, b);
    settings.apply(ESCROW, b::escrow);
    settings.apply(FEE_TOKEN, b::feeToken);
    Set<PaymentMode> modes = settings.find(MODES);
    if (modes != null) {
      if (modes.contains(PaymentMode.PUSH) && sponsoring) {
        throw new ConfigurationException(
            "invalid "
                + settings.noun()
                + " "
                + settings.key(MODES)
                + ": \""
                + settings.raw(MODES)
                + "\" (expected pull only while fees are sponsored: a pushed transaction cannot be"
                + " co-signed)");
      }
      b.modes(modes);
    }
    settings.apply(CONNECT_TIMEOUT, b::connectTimeout);
    settings.apply(CALL_TIMEOUT, b::callTimeout);
    settings.apply(RECEIPT_TIMEOUT, b::receiptTimeout);
    settings.apply(PUSH_RECEIPT_WAIT, b::pushReceiptWait);
    settings.apply(CLAIM_TTL, b::claimTtl);
    TempoConfig config;
    try {
      config = b.build();
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(
          "invalid tempo.* " + settings.nouns() + ": " + e.getMessage(), e);
    }
    return TempoMethod.create(config);
  }

  /** The chain: a named network, or a chain id with the preset's or an explicit endpoint. */
  private static void chain(Configuration settings, TempoConfig.Builder b) {
    TempoNetwork named = settings.find(NETWORK);
    if (named != null) {
      b.network(named);
    }
    Long chainId = settings.find(CHAIN_ID);
    TempoNetwork preset = null;
    if (chainId != null) {
      settings.apply(CHAIN_ID, b::chainId);
      preset = TempoNetwork.byChainId(chainId);
      if (named != null && named.chainId() != chainId) {
        throw new ConfigurationException(
            settings.noun()
                + " "
                + settings.key(CHAIN_ID)
                + " ("
                + chainId
                + ") contradicts "
                + settings.key(NETWORK)
                + " ("
                + settings.raw(NETWORK)
                + "); set only one of them, or chainId with rpcUrl");
      }
    } else if (named == null) {
      throw new ConfigurationException(
          "missing "
              + settings.noun()
              + " "
              + settings.key(NETWORK)
              + " or "
              + settings.key(CHAIN_ID)
              + " (expected testnet, mainnet, or a chain id with an rpcUrl)");
    }
    if (settings.isSet(RPC_URL)) {
      settings.apply(RPC_URL, b::rpcUrl);
    } else if (named == null) {
      if (preset == null) {
        throw settings.missing(
            RPC_URL.key(), "an http(s) URL; required for chain " + settings.raw(CHAIN_ID));
      }
      b.rpcUrl(preset.rpcUrl());
    }
  }

  private static void splits(Configuration settings, TempoConfig.Builder b) {
    String splits = settings.raw(SPLITS);
    if (splits == null) {
      return;
    }
    for (String part : splits.split(",", -1)) {
      String p = part.strip();
      int colon = p.indexOf(':');
      if (colon < 0) {
        throw settings.invalid(SPLITS, SPLITS_FORM);
      }
      Address to;
      try {
        to = Address.parse(p.substring(0, colon).strip());
      } catch (MalformedMessageException e) {
        throw settings.invalid(SPLITS, ADDRESS);
      }
      BigDecimal amount;
      try {
        amount = new BigDecimal(p.substring(colon + 1).strip());
      } catch (NumberFormatException e) {
        throw settings.invalid(SPLITS, SPLITS_FORM);
      }
      try {
        b.split(Split.of(to, TempoMethod.toBaseUnits(amount)));
      } catch (IllegalArgumentException e) {
        throw settings.invalid(
            SPLITS, "shares greater than zero with at most 6 decimals, at most 10 of them", e);
      }
    }
  }

  /** Sets the fee payer's key when its variable is set; returns whether fees are sponsored. */
  private static boolean feePayer(Configuration settings, TempoConfig.Builder b) {
    if (!settings.isSet(FEE_PAYER_KEY_ENV)) {
      return false;
    }
    String key = settings.secret(FEE_PAYER_KEY_ENV);
    if (key == null) {
      LOG.info(
          "tempo: fee sponsorship is off ({} names {}, which is not set)",
          settings.key(FEE_PAYER_KEY_ENV),
          settings.raw(FEE_PAYER_KEY_ENV));
      return false;
    }
    try {
      String hex = key.strip();
      b.feePayerKey(
          Secp256k1PrivateKey.of(Hex.decode(hex.startsWith("0x") ? hex : "0x" + hex, 32, "key")));
      return true;
    } catch (MalformedMessageException | IllegalArgumentException e) {
      // Never echo the key (nor the exception, whose message might).
      throw new ConfigurationException(
          "invalid fee payer key in the variable named by "
              + settings.noun()
              + " "
              + settings.key(FEE_PAYER_KEY_ENV)
              + ": expected 32 bytes of hex");
    }
  }

  /** Sets the session operator's key when its variable is set. */
  private static void operator(Configuration settings, TempoConfig.Builder b) {
    if (!settings.isSet(OPERATOR_KEY_ENV)) {
      return;
    }
    String key = settings.secret(OPERATOR_KEY_ENV);
    if (key == null) {
      LOG.info(
          "tempo: sessions are off ({} names {}, which is not set)",
          settings.key(OPERATOR_KEY_ENV),
          settings.raw(OPERATOR_KEY_ENV));
      return;
    }
    try {
      String hex = key.strip();
      b.operatorKey(
          Secp256k1PrivateKey.of(Hex.decode(hex.startsWith("0x") ? hex : "0x" + hex, 32, "key")));
    } catch (MalformedMessageException | IllegalArgumentException e) {
      // Never echo the key (nor the exception, whose message might).
      throw new ConfigurationException(
          "invalid operator key in the variable named by "
              + settings.noun()
              + " "
              + settings.key(OPERATOR_KEY_ENV)
              + ": expected 32 bytes of hex");
    }
  }

  private static Setting<Address> address(String key) {
    return Setting.of(key, ADDRESS, (v, l) -> Address.parse(v));
  }

  private static Setting<Duration> duration(String key, String range, String dflt) {
    return Setting.duration(key, DURATION)
        .rejectedAs("a duration of " + range)
        .documentedDefault(dflt)
        .doc("ISO-8601 duration (PT5S) or whole seconds, " + range + ".");
  }

  private static Set<PaymentMode> modes(String value) {
    Set<PaymentMode> set = EnumSet.noneOf(PaymentMode.class);
    for (String m : value.split(",", -1)) {
      String name = m.strip().toLowerCase(Locale.ROOT);
      if (!name.equals("pull") && !name.equals("push")) {
        throw new IllegalArgumentException();
      }
      set.add(PaymentMode.fromWire(name));
    }
    return set;
  }
}
