package io.mpp4j.config.server;

import io.mpp4j.config.ConfigSource;
import io.mpp4j.config.Configuration;
import io.mpp4j.config.ConfigurationException;
import io.mpp4j.config.Schema;
import io.mpp4j.config.Setting;
import io.mpp4j.core.Intent;
import io.mpp4j.core.PaymentRequirement;
import io.mpp4j.core.SessionTerms;
import io.mpp4j.core.binding.ChallengeSecret;
import io.mpp4j.server.PaymentGate;
import io.mpp4j.server.http.PaymentHandler;
import io.mpp4j.server.routing.DynamicPricing;
import io.mpp4j.server.routing.PaidRoute;
import io.mpp4j.server.session.SessionOptions;
import io.mpp4j.spi.PaymentMethod;
import io.mpp4j.spi.PaymentMethodProvider;
import io.mpp4j.store.InMemoryStateStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server-level settings and what they build: the {@link PaymentGate} (realm, secrets, challenge
 * lifetime, replay store, payment methods found through their {@link PaymentMethodProvider}s), the
 * {@link PaidRoute}s ({@code route.<name>.<attribute>}) and the adapter options (body cap, plain
 * HTTP). Read from any {@link ConfigSource}: the servlet filter's init-parameters, Spring
 * properties. Every error is a {@link ConfigurationException} naming the key in the source's noun,
 * the value and the expected form.
 *
 * <p>Immutable once read; thread-safe.
 */
public final class ServerSettings {
  private static final Logger LOG = LoggerFactory.getLogger(ServerSettings.class);

  /** The default largest request body buffered for digest binding: 1 MiB. */
  public static final int DEFAULT_MAX_BODY_BYTES = PaymentHandler.DEFAULT_MAX_BODY_BYTES;

  /** Prefix of the route keys: {@code route.<name>.<attribute>}. */
  public static final String ROUTE_PREFIX = "route.";

  /** The protection space; the reader supplies the default. */
  public static final Setting<String> REALM =
      Setting.string("realm", "a non-empty printable host name")
          .documentedDefault("the context's virtual server name, else `localhost`")
          .doc("Protection space, normally the API host, bound into every challenge id.");

  /** The variable holding the HMAC secret. */
  public static final Setting<String> SECRET_KEY_ENV =
      Setting.variableName("secretKeyEnv", "MPP_SECRET_KEY")
          .doc("Name of the environment variable (or sys:<name>) holding the HMAC secret.");

  /** Variables holding previous secrets. */
  public static final Setting<List<String>> PREVIOUS_SECRET_KEYS_ENV =
      Setting.csv("previousSecretKeysEnv", "names of set environment variables (or sys:<property>)")
          .doc("Comma-separated variable names of previous secrets, accepted until they expire.");

  /** Whether to fall back to a random secret. */
  public static final Setting<Boolean> ALLOW_EPHEMERAL_SECRET =
      Setting.bool("allowEphemeralSecret")
          .defaultValue(false, "`false`")
          .doc("Start with a random secret when the secret variable is unset (development only).");

  /** The challenge lifetime. */
  public static final Setting<Duration> CHALLENGE_TTL =
      Setting.duration(
              "challengeTtl",
              "an ISO-8601 duration such as PT5M, or seconds, between 1 second and 24 hours")
          .defaultValue(PaymentGate.DEFAULT_CHALLENGE_TTL, "`PT5M`")
          .doc("Challenge lifetime.");

  /** The payment methods, by provider name. */
  public static final Setting<List<String>> METHODS =
      Setting.csv("methods", "a comma-separated list of payment method names, e.g. tempo,stripe")
          .required("a comma-separated list of payment method names, e.g. tempo,stripe")
          .doc("Payment method names, each found through a PaymentMethodProvider.");

  /** The body buffering cap. */
  public static final Setting<Integer> MAX_BODY_BYTES =
      Setting.integer("maxBodyBytes", 0, 64 * 1024 * 1024)
          .defaultValue(DEFAULT_MAX_BODY_BYTES, "`1048576`")
          .doc("Largest request body buffered for digest binding.");

  /** Whether plain HTTP is refused. */
  public static final Setting<Boolean> REQUIRE_SECURE =
      Setting.bool("requireSecure")
          .defaultValue(true, "`true`")
          .doc("Refuse plain-HTTP requests to paid routes, except from loopback clients.");

  /** Whether challenges ask for {@code Payment-Authorization}. */
  public static final Setting<Boolean> PAYMENT_AUTHORIZATION_HEADER =
      Setting.bool("paymentAuthorizationHeader")
          .defaultValue(false, "`false`")
          .doc("Ask for the credential in Payment-Authorization.");

  /** The in-memory replay store's capacity. */
  public static final Setting<Integer> REPLAY_STORE_MAX_ENTRIES =
      Setting.integer("replayStoreMaxEntries", 1, Integer.MAX_VALUE)
          .defaultValue(InMemoryStateStore.DEFAULT_MAX_ENTRIES, "`100000`")
          .doc("Capacity of the in-memory replay store.");

  /** Sessions: new vouchers accepted per channel and second. */
  public static final Setting<Integer> SESSION_VOUCHER_RATE =
      Setting.integer("sessionVoucherRatePerSecond", 1, 1_000_000)
          .defaultValue(SessionOptions.DEFAULT_VOUCHER_RATE, "`10`")
          .doc("Session: new vouchers accepted per channel and second (429 beyond).");

  /** Sessions: how long a stream waits for a voucher. */
  public static final Setting<Duration> SESSION_STREAM_HOLD =
      Setting.duration(
              "sessionStreamHold",
              "an ISO-8601 duration such as PT60S, or seconds, between 1 second and 10 minutes")
          .defaultValue(SessionOptions.DEFAULT_STREAM_HOLD, "`PT60S`")
          .doc("Session: how long a stream waits for a voucher after asking for one.");

  /** Sessions: how often the settler runs. */
  public static final Setting<Duration> SESSION_SETTLE_INTERVAL =
      Setting.duration(
              "sessionSettleInterval", "an ISO-8601 duration such as PT1H, or seconds, 1 s or more")
          .defaultValue(SessionOptions.DEFAULT_SETTLE_INTERVAL, "`PT1H`")
          .doc("Session: how often fully spent channels are settled on chain.");

  /** Sessions: the unsettled amount from which a channel is settled. */
  public static final Setting<java.math.BigInteger> SESSION_SETTLE_THRESHOLD =
      Setting.of(
              "sessionSettleThreshold",
              "a positive whole number of base units",
              (v, l) -> {
                if (!io.mpp4j.core.PaymentRequest.isBaseUnits(v) || "0".equals(v)) {
                  throw new IllegalArgumentException("not a positive number of base units: " + v);
                }
                return new java.math.BigInteger(v);
              })
          .documentedDefault("none: any unsettled amount")
          .doc("Session: unsettled base units from which a channel is settled on the next run.");

  /** Sessions: the idle time after which a channel is closed. */
  public static final Setting<Duration> SESSION_IDLE_CLOSE =
      Setting.duration(
              "sessionIdleClose", "an ISO-8601 duration such as P30D, or seconds, 1 minute or more")
          .defaultValue(SessionOptions.DEFAULT_IDLE_CLOSE, "`P30D`")
          .doc("Session: idle time after which the server closes a channel.");

  /** Sessions: how often each channel is re-read from the chain. */
  public static final Setting<Duration> SESSION_REREAD_INTERVAL =
      Setting.duration(
              "sessionRereadInterval", "an ISO-8601 duration such as PT5M, or seconds, 1 s or more")
          .defaultValue(SessionOptions.DEFAULT_REREAD_INTERVAL, "`PT5M`")
          .doc("Session: how often each open channel is re-read from the chain.");

  /**
   * The server's top-level settings; {@code route.*} and {@code <method>.*} keys are read apart.
   */
  public static final Schema SCHEMA =
      Schema.of(
              REALM,
              SECRET_KEY_ENV,
              PREVIOUS_SECRET_KEYS_ENV,
              ALLOW_EPHEMERAL_SECRET,
              CHALLENGE_TTL,
              METHODS,
              MAX_BODY_BYTES,
              REQUIRE_SECURE,
              PAYMENT_AUTHORIZATION_HEADER,
              REPLAY_STORE_MAX_ENTRIES,
              SESSION_VOUCHER_RATE,
              SESSION_STREAM_HOLD,
              SESSION_SETTLE_INTERVAL,
              SESSION_SETTLE_THRESHOLD,
              SESSION_IDLE_CLOSE,
              SESSION_REREAD_INTERVAL)
          .withGroup("route.<name>.<attribute>")
          .withGroup("<method>.<setting>");

  /** A route's path. */
  public static final Setting<String> ROUTE_PATH =
      Setting.string("path", "/path or /prefix/*")
          .required("/path or /prefix/*")
          .doc("`/exact/path` or `/prefix/*`.");

  /** A route's price. */
  public static final Setting<String> ROUTE_AMOUNT =
      Setting.string("amount", "a non-negative decimal price such as 0.01")
          .required("a decimal price such as 0.01")
          .doc("Price in human units of the currency.");

  /** A route's HTTP methods. */
  public static final Setting<Set<String>> ROUTE_METHODS =
      Setting.of(
              "methods",
              "HTTP methods such as GET,HEAD",
              (v, l) -> {
                Set<String> methods = new LinkedHashSet<>();
                for (String m : v.split(",", -1)) {
                  String s = m.strip();
                  if (!s.isEmpty() && !s.matches("[A-Za-z]{1,16}")) {
                    throw new IllegalArgumentException("not an HTTP method: " + s);
                  }
                  if (!s.isEmpty()) {
                    methods.add(s);
                  }
                }
                return Set.copyOf(methods);
              })
          .defaultValue(Set.of("GET", "HEAD"), "`GET,HEAD`")
          .doc("HTTP methods covered.");

  /** A route's intent. */
  public static final Setting<Intent> ROUTE_INTENT =
      Setting.of("intent", "an intent name such as charge", (v, l) -> Intent.of(v))
          .documentedDefault("`charge`")
          .doc("Payment intent.");

  /** A route's currency. */
  public static final Setting<String> ROUTE_CURRENCY =
      Setting.string("currency", "a currency of the route's methods")
          .documentedDefault("the method's")
          .doc("Currency override.");

  /** A route's display text. */
  public static final Setting<String> ROUTE_DESCRIPTION =
      Setting.string("description", "printable ISO-8859-1 text").doc("Display text.");

  /** The methods a route offers. */
  public static final Setting<List<String>> ROUTE_OFFER =
      Setting.csv("offer", "comma-separated payment method names")
          .documentedDefault("all methods")
          .doc("Methods offered on this route, in offer order.");

  /** A route's merchant reference. */
  public static final Setting<String> ROUTE_EXTERNAL_ID =
      Setting.string("externalId", "a merchant reference").doc("Merchant reference.");

  /** Whether a route binds request bodies. */
  public static final Setting<Boolean> ROUTE_BIND_BODY =
      Setting.bool("bindBody")
          .defaultValue(true, "`true`")
          .doc("Bind the body of POST, PUT and PATCH requests by its digest.");

  /** A route's dynamic pricing. */
  public static final Setting<DynamicPricing> ROUTE_PRICING =
      Setting.implementation("pricing", DynamicPricing.class).doc("Prices each request.");

  /** A session route's unit. */
  public static final Setting<String> ROUTE_UNIT_TYPE =
      Setting.string("unitType", "1 to 64 letters, digits or underscores, such as request")
          .documentedDefault("`request` (intent session only)")
          .doc("Session: what one unit is; `amount` is the price per unit.");

  /** A session route's suggested deposit. */
  public static final Setting<java.math.BigDecimal> ROUTE_SUGGESTED_DEPOSIT =
      Setting.of(
              "suggestedDeposit",
              "a positive decimal amount such as 1.00",
              (v, l) -> new java.math.BigDecimal(v))
          .doc("Session: the deposit offered to payers, in human units (intent session only).");

  /** A session route's minimum voucher increase. */
  public static final Setting<java.math.BigDecimal> ROUTE_MIN_VOUCHER_DELTA =
      Setting.of(
              "minVoucherDelta",
              "a non-negative decimal amount such as 0.001",
              (v, l) -> new java.math.BigDecimal(v))
          .doc("Session: the smallest increase of a new voucher, in human units.");

  /** Whether a route whose offered methods are all absent is skipped. */
  public static final Setting<Boolean> ROUTE_OPTIONAL =
      Setting.bool("optional")
          .defaultValue(false, "`false`")
          .doc(
              "Skip the route, with a log line, when none of its `offer` methods is configured"
                  + " (instead of refusing to start).");

  /** The group of a route's opaque data. */
  public static final String ROUTE_OPAQUE = "opaque.<key>";

  /** The settings of one route, relative to {@code route.<name>}. */
  public static final Schema ROUTE =
      Schema.of(
              ROUTE_PATH,
              ROUTE_AMOUNT,
              ROUTE_METHODS,
              ROUTE_INTENT,
              ROUTE_CURRENCY,
              ROUTE_DESCRIPTION,
              ROUTE_OFFER,
              ROUTE_EXTERNAL_ID,
              ROUTE_BIND_BODY,
              ROUTE_PRICING,
              ROUTE_UNIT_TYPE,
              ROUTE_SUGGESTED_DEPOSIT,
              ROUTE_MIN_VOUCHER_DELTA,
              ROUTE_OPTIONAL)
          .withGroup(ROUTE_OPAQUE);

  private final PaymentGate gate;
  private final List<PaidRoute> routes;
  private final int maxBodyBytes;
  private final boolean requireSecure;

  private ServerSettings(
      PaymentGate gate, List<PaidRoute> routes, int maxBodyBytes, boolean requireSecure) {
    this.gate = gate;
    this.routes = routes;
    this.maxBodyBytes = maxBodyBytes;
    this.requireSecure = requireSecure;
  }

  /**
   * Every documented key of the server, as the configuration table lists them: the top-level keys,
   * {@code <method>.<setting>}, and {@code route.<name>.<attribute>} for each route attribute.
   */
  public static List<String> documentedKeys() {
    List<String> keys = new ArrayList<>();
    for (String key : SCHEMA.documentedKeys()) {
      if (key.startsWith(ROUTE_PREFIX)) {
        for (String attribute : ROUTE.documentedKeys()) {
          keys.add(ROUTE_PREFIX + "<name>." + attribute);
        }
      } else {
        keys.add(key);
      }
    }
    return List.copyOf(keys);
  }

  /**
   * Reads and validates the server's settings, creating the payment methods named by {@code
   * methods} through the {@link PaymentMethodProvider}s {@code loader} finds.
   *
   * @param defaultRealm the realm when {@code realm} is absent (an adapter's host name)
   * @throws ConfigurationException naming the key, the value and the expected form
   */
  public static ServerSettings read(ConfigSource source, ClassLoader loader, String defaultRealm) {
    Configuration top = SCHEMA.read(only(source, k -> k.indexOf('.') < 0), "", loader);
    List<String> methodNames = top.get(METHODS);
    if (methodNames.isEmpty()) {
      throw top.invalid(METHODS, METHODS.expected());
    }
    PaymentGate.Builder gate = PaymentGate.builder();
    String realm = top.isSet(REALM) ? top.get(REALM) : defaultRealm;
    try {
      gate.realm(realm);
    } catch (IllegalArgumentException e) {
      throw top.invalid(REALM.key(), realm, REALM.expected(), e);
    }
    secrets(top, gate);
    top.apply(CHALLENGE_TTL, gate::challengeTtl);
    gate.store(InMemoryStateStore.create(top.get(REPLAY_STORE_MAX_ENTRIES), Clock.systemUTC()));
    gate.paymentAuthorizationHeader(top.get(PAYMENT_AUTHORIZATION_HEADER));
    methods(source, top, methodNames, gate, loader);
    gate.sessionOptions(sessionOptions(top));
    PaymentGate built = gate.build();

    List<PaidRoute> routes = routes(source, loader, methodNames);
    for (PaidRoute route : routes) {
      try {
        built.validate(route.requirement());
      } catch (IllegalStateException | IllegalArgumentException e) {
        throw new ConfigurationException(
            "invalid "
                + ROUTE_PREFIX
                + route.name()
                + ": route '"
                + route.name()
                + "': "
                + e.getMessage(),
            e);
      }
    }
    if (routes.isEmpty()) {
      throw new ConfigurationException(
          "no paid route configured: set route.<name>.path and route.<name>.amount");
    }
    return new ServerSettings(built, routes, top.get(MAX_BODY_BYTES), top.get(REQUIRE_SECURE));
  }

  /** The gate: realm, secrets, challenge lifetime, replay store and payment methods. */
  public PaymentGate gate() {
    return gate;
  }

  /** The paid routes: exact paths first, then longer prefixes before shorter ones. */
  public List<PaidRoute> routes() {
    return routes;
  }

  /** The largest request body buffered for digest binding. */
  public int maxBodyBytes() {
    return maxBodyBytes;
  }

  /** Whether plain-HTTP requests to paid routes are refused (except from loopback clients). */
  public boolean requireSecure() {
    return requireSecure;
  }

  private static void secrets(Configuration top, PaymentGate.Builder gate) {
    String source = top.get(SECRET_KEY_ENV);
    String secret = top.secret(SECRET_KEY_ENV);
    String named = top.noun() + " " + top.key(SECRET_KEY_ENV) + "=\"" + source + "\"";
    if (secret == null) {
      if (!top.get(ALLOW_EPHEMERAL_SECRET)) {
        throw new ConfigurationException(
            "no challenge secret: the variable named by "
                + named
                + " is not set (expected an environment variable, or sys:<property>, holding at"
                + " least 32 bytes; or set "
                + top.key(ALLOW_EPHEMERAL_SECRET)
                + "=true for development)");
      }
      LOG.warn(
          "No challenge secret in {}: using a random ephemeral secret. Challenges will not survive"
              + " a restart or work across instances; set {} for production.",
          source,
          source);
      gate.secret(ChallengeSecret.random());
    } else {
      try {
        gate.secret(ChallengeSecret.of(secret));
      } catch (IllegalArgumentException e) {
        // The message names the rule broken, never the secret.
        throw new ConfigurationException(
            "invalid secret in the variable named by " + named + ": " + e.getMessage());
      }
    }
    List<String> previous = top.find(PREVIOUS_SECRET_KEYS_ENV);
    for (String variable : previous == null ? List.<String>of() : previous) {
      String value = top.lookup(variable);
      if (value == null) {
        throw top.invalid(
            PREVIOUS_SECRET_KEYS_ENV,
            PREVIOUS_SECRET_KEYS_ENV.expected() + "; '" + variable + "' is not set");
      }
      try {
        gate.previousSecret(ChallengeSecret.of(value));
      } catch (IllegalArgumentException e) {
        throw new ConfigurationException(
            "invalid previous secret in '" + variable + "': " + e.getMessage());
      }
    }
  }

  private static void methods(
      ConfigSource source,
      Configuration top,
      List<String> names,
      PaymentGate.Builder gate,
      ClassLoader loader) {
    Map<String, PaymentMethodProvider> providers = new TreeMap<>();
    for (PaymentMethodProvider provider : ServiceLoader.load(PaymentMethodProvider.class, loader)) {
      providers.putIfAbsent(provider.name(), provider);
    }
    for (String name : names) {
      PaymentMethodProvider provider = providers.get(name);
      if (provider == null) {
        throw new ConfigurationException(
            "invalid "
                + top.noun()
                + " "
                + top.key(METHODS)
                + "=\""
                + top.raw(METHODS)
                + "\": no payment method provider named '"
                + name
                + "' on the classpath (found: "
                + providers.keySet()
                + "); add the module that provides it");
      }
      PaymentMethod method;
      try {
        method = provider.create(provider.settings().read(source, name, loader));
      } catch (ConfigurationException e) {
        throw e;
      } catch (IllegalArgumentException | IllegalStateException e) {
        throw new ConfigurationException(String.valueOf(e.getMessage()), e);
      }
      try {
        gate.method(method);
      } catch (IllegalArgumentException e) {
        throw top.invalid(METHODS, "distinct method names", e);
      }
    }
  }

  private static SessionOptions sessionOptions(Configuration top) {
    SessionOptions o = SessionOptions.defaults();
    try {
      o = o.withVoucherRatePerSecond(top.get(SESSION_VOUCHER_RATE));
    } catch (IllegalArgumentException e) {
      throw top.invalid(SESSION_VOUCHER_RATE, SESSION_VOUCHER_RATE.expected(), e);
    }
    o = withDuration(top, SESSION_STREAM_HOLD, o, SessionOptions::withStreamHold);
    o = withDuration(top, SESSION_SETTLE_INTERVAL, o, SessionOptions::withSettleInterval);
    o = withDuration(top, SESSION_IDLE_CLOSE, o, SessionOptions::withIdleClose);
    o = withDuration(top, SESSION_REREAD_INTERVAL, o, SessionOptions::withRereadInterval);
    java.math.BigInteger threshold = top.find(SESSION_SETTLE_THRESHOLD);
    try {
      return o.withSettleThreshold(threshold);
    } catch (IllegalArgumentException e) {
      throw top.invalid(SESSION_SETTLE_THRESHOLD, SESSION_SETTLE_THRESHOLD.expected(), e);
    }
  }

  private static SessionOptions withDuration(
      Configuration top,
      Setting<Duration> setting,
      SessionOptions options,
      java.util.function.BiFunction<SessionOptions, Duration, SessionOptions> with) {
    try {
      return with.apply(options, top.get(setting));
    } catch (IllegalArgumentException e) {
      throw top.invalid(setting, setting.expected(), e);
    }
  }

  private static List<PaidRoute> routes(
      ConfigSource source, ClassLoader loader, List<String> methodNames) {
    Map<String, Set<String>> keysByRoute = new LinkedHashMap<>();
    for (String key : new java.util.TreeSet<>(source.keys())) {
      if (!key.startsWith(ROUTE_PREFIX)) {
        continue;
      }
      String rest = key.substring(ROUTE_PREFIX.length());
      int opaqueAt = rest.indexOf(".opaque.");
      int dot = rest.lastIndexOf('.');
      String name;
      if (opaqueAt > 0 && opaqueAt + 8 < rest.length()) {
        name = rest.substring(0, opaqueAt);
      } else if (dot > 0) {
        name = rest.substring(0, dot);
      } else {
        throw new ConfigurationException(
            "unknown "
                + source.noun()
                + " "
                + key
                + " (expected route.<name>.<attribute> with attribute one of "
                + ROUTE.documentedKeys()
                + ")");
      }
      keysByRoute.computeIfAbsent(name, k -> new LinkedHashSet<>()).add(key);
    }
    List<PaidRoute> routes = new ArrayList<>();
    for (Map.Entry<String, Set<String>> e : keysByRoute.entrySet()) {
      Set<String> keys = e.getValue();
      Configuration route =
          ROUTE.read(only(source, keys::contains), ROUTE_PREFIX + e.getKey(), loader);
      List<String> offer = route.find(ROUTE_OFFER);
      if (route.get(ROUTE_OPTIONAL)
          && offer != null
          && !offer.isEmpty()
          && offer.stream().noneMatch(methodNames::contains)) {
        LOG.info(
            "Route '{}' is skipped: none of its methods {} is configured (methods={}).",
            e.getKey(),
            offer,
            methodNames);
        continue;
      }
      routes.add(route(e.getKey(), route));
    }
    // Keys have no order: try exact paths first, then longer prefixes before shorter.
    routes.sort(
        Comparator.comparing((PaidRoute r) -> r.pattern().endsWith("/*"))
            .thenComparing(r -> -r.pattern().length())
            .thenComparing(PaidRoute::name));
    return List.copyOf(routes);
  }

  private static PaidRoute route(String name, Configuration c) {
    PaymentRequirement.Builder req = PaymentRequirement.builder();
    c.apply(ROUTE_AMOUNT, req::amount);
    c.apply(ROUTE_INTENT, req::intent);
    req.currency(c.find(ROUTE_CURRENCY));
    c.apply(ROUTE_DESCRIPTION, req::description);
    req.externalId(c.find(ROUTE_EXTERNAL_ID));
    c.group(ROUTE_OPAQUE)
        .forEach(
            (key, value) -> {
              try {
                req.opaque(key, value);
              } catch (IllegalArgumentException e) {
                throw c.invalid(
                    "opaque." + key, value, "an opaque key not starting with _mpp4j", e);
              }
            });
    List<String> offer = c.find(ROUTE_OFFER);
    req.methods(offer == null ? List.of() : offer);
    c.apply(ROUTE_BIND_BODY, req::bindBody);
    Set<String> httpMethods = c.get(ROUTE_METHODS);
    boolean session = c.isSet(ROUTE_INTENT) && Intent.SESSION.equals(c.get(ROUTE_INTENT));
    if (session) {
      req.session(sessionTerms(c));
      // Management requests (SPEC 4.5: voucher, topUp, close) arrive as bodiless POSTs and HEADs
      // to the same URL, whatever methods the route serves its content with.
      Set<String> all = new LinkedHashSet<>(httpMethods);
      all.add("POST");
      all.add("HEAD");
      httpMethods = Set.copyOf(all);
    } else {
      for (Setting<?> only :
          List.of(ROUTE_UNIT_TYPE, ROUTE_SUGGESTED_DEPOSIT, ROUTE_MIN_VOUCHER_DELTA)) {
        if (c.isSet(only)) {
          throw c.invalid(only, "only with intent=session");
        }
      }
    }
    DynamicPricing pricing = c.find(ROUTE_PRICING);
    try {
      return new PaidRoute(name, httpMethods, c.get(ROUTE_PATH), req.build(), pricing);
    } catch (IllegalArgumentException e) {
      throw c.invalid(ROUTE_PATH, ROUTE_PATH.expected(), e);
    }
  }

  private static SessionTerms sessionTerms(Configuration c) {
    String unitType = c.isSet(ROUTE_UNIT_TYPE) ? c.get(ROUTE_UNIT_TYPE) : "request";
    try {
      SessionTerms.of(unitType);
    } catch (IllegalArgumentException e) {
      throw c.invalid(ROUTE_UNIT_TYPE, ROUTE_UNIT_TYPE.expected(), e);
    }
    java.math.BigDecimal deposit = c.find(ROUTE_SUGGESTED_DEPOSIT);
    if (deposit != null && deposit.signum() <= 0) {
      throw c.invalid(ROUTE_SUGGESTED_DEPOSIT, ROUTE_SUGGESTED_DEPOSIT.expected());
    }
    java.math.BigDecimal delta = c.find(ROUTE_MIN_VOUCHER_DELTA);
    if (delta != null && delta.signum() < 0) {
      throw c.invalid(ROUTE_MIN_VOUCHER_DELTA, ROUTE_MIN_VOUCHER_DELTA.expected());
    }
    return new SessionTerms(unitType, deposit, delta);
  }

  /** A view of {@code source} with only the keys {@code keep} accepts. */
  private static ConfigSource only(ConfigSource source, Predicate<String> keep) {
    Set<String> keys = new LinkedHashSet<>();
    for (String key : source.keys()) {
      if (keep.test(key)) {
        keys.add(key);
      }
    }
    Set<String> kept = Set.copyOf(keys);
    return new ConfigSource() {
      @Override
      public String noun() {
        return source.noun();
      }

      @Override
      public Set<String> keys() {
        return kept;
      }

      @Override
      public @Nullable String get(String key) {
        return kept.contains(key) ? source.get(key) : null;
      }

      @Override
      public @Nullable String environment(String name) {
        return source.environment(name);
      }
    };
  }
}
