package io.mpp4j.servlet;

import io.mpp4j.core.Intent;
import io.mpp4j.core.PaymentRequirement;
import io.mpp4j.core.binding.ChallengeSecret;
import io.mpp4j.server.PaymentGate;
import io.mpp4j.server.routing.DynamicPricing;
import io.mpp4j.server.routing.PaidRoute;
import io.mpp4j.spi.MethodSettings;
import io.mpp4j.spi.PaymentMethod;
import io.mpp4j.spi.PaymentMethodProvider;
import io.mpp4j.store.InMemoryReplayStore;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns {@code web.xml} init-parameters into a {@link PaymentFilterConfig}: the string-only
 * configuration path. Every error is an {@link InvalidSetting} naming the parameter, the value and
 * the expected form. Values may reference the environment or system properties as {@code ${NAME}}
 * or {@code ${NAME:default}}.
 */
final class FilterSettings {
  private static final Logger LOG = LoggerFactory.getLogger(PaymentFilter.class);

  /** A configuration error; the message names the parameter, its value and the expected form. */
  static final class InvalidSetting extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InvalidSetting(String message, @Nullable Throwable cause) {
      super(message, cause);
    }
  }

  private static final Set<String> TOP_LEVEL =
      Set.of(
          PaymentFilter.REALM_PARAM,
          PaymentFilter.SECRET_KEY_ENV_PARAM,
          PaymentFilter.PREVIOUS_SECRET_KEYS_ENV_PARAM,
          PaymentFilter.ALLOW_EPHEMERAL_SECRET_PARAM,
          PaymentFilter.CHALLENGE_TTL_PARAM,
          PaymentFilter.METHODS_PARAM,
          PaymentFilter.MAX_BODY_BYTES_PARAM,
          PaymentFilter.REQUIRE_SECURE_PARAM,
          PaymentFilter.PAYMENT_AUTHORIZATION_HEADER_PARAM,
          PaymentFilter.REPLAY_STORE_MAX_ENTRIES_PARAM);

  private static final Set<String> ROUTE_ATTRIBUTES =
      Set.of(
          "path",
          "methods",
          "amount",
          "currency",
          "description",
          "intent",
          "offer",
          "externalId",
          "bindBody",
          "pricing");

  private final Map<String, String> raw;
  private final Function<String, @Nullable String> env;
  private final String defaultRealm;

  FilterSettings(
      Map<String, String> initParams, Function<String, @Nullable String> env, String defaultRealm) {
    this.raw = new TreeMap<>(initParams);
    this.env = env;
    this.defaultRealm = defaultRealm;
  }

  PaymentFilterConfig parse(ClassLoader loader) {
    Map<String, String> p = new TreeMap<>();
    // Parameters naming secret sources (…Env) are never expanded, so a secret cannot end up in one
    // (and then in an error message).
    raw.forEach((k, v) -> p.put(k, k.endsWith("Env") ? v.strip() : expand(k, v)));

    List<String> methodNames = csv(p.get(PaymentFilter.METHODS_PARAM));
    if (methodNames.isEmpty()) {
      throw invalid(
          PaymentFilter.METHODS_PARAM,
          p.get(PaymentFilter.METHODS_PARAM),
          "a comma-separated list of payment method names, e.g. tempo,stripe");
    }
    for (String key : p.keySet()) {
      int dot = key.indexOf('.');
      if (dot < 0 && !TOP_LEVEL.contains(key)) {
        throw new InvalidSetting(
            "unknown init-parameter "
                + key
                + " (known: "
                + new java.util.TreeSet<>(TOP_LEVEL)
                + ", route.<name>.<attribute>, <method>.<setting>)",
            null);
      }
    }

    PaymentGate.Builder gate = PaymentGate.builder();
    String realm = p.getOrDefault(PaymentFilter.REALM_PARAM, defaultRealm);
    try {
      gate.realm(realm);
    } catch (IllegalArgumentException e) {
      throw invalid(PaymentFilter.REALM_PARAM, realm, "a non-empty printable host name", e);
    }
    configureSecrets(p, gate);
    String ttl = p.get(PaymentFilter.CHALLENGE_TTL_PARAM);
    if (ttl != null) {
      try {
        gate.challengeTtl(duration(ttl));
      } catch (IllegalArgumentException | DateTimeParseException e) {
        throw invalid(
            PaymentFilter.CHALLENGE_TTL_PARAM,
            ttl,
            "an ISO-8601 duration such as PT5M, or seconds, between 1 second and 24 hours",
            e);
      }
    }
    int maxEntries =
        intParam(
            p,
            PaymentFilter.REPLAY_STORE_MAX_ENTRIES_PARAM,
            InMemoryReplayStore.DEFAULT_MAX_ENTRIES,
            1,
            Integer.MAX_VALUE);
    gate.replayStore(InMemoryReplayStore.create(maxEntries, Clock.systemUTC()));
    gate.paymentAuthorizationHeader(
        bool(p, PaymentFilter.PAYMENT_AUTHORIZATION_HEADER_PARAM, false));

    Map<String, PaymentMethodProvider> providers = providers(loader);
    for (String name : methodNames) {
      PaymentMethodProvider provider = providers.get(name);
      if (provider == null) {
        throw new InvalidSetting(
            "invalid init-parameter "
                + PaymentFilter.METHODS_PARAM
                + "=\""
                + p.get(PaymentFilter.METHODS_PARAM)
                + "\": no payment method provider named '"
                + name
                + "' on the classpath (found: "
                + providers.keySet()
                + "); add the module that provides it",
            null);
      }
      Map<String, String> settings = new LinkedHashMap<>();
      String prefix = name + ".";
      p.forEach(
          (k, v) -> {
            if (k.startsWith(prefix)) {
              settings.put(k.substring(prefix.length()), v);
            }
          });
      PaymentMethod method;
      try {
        method = provider.create(MethodSettings.of(name, settings, env));
      } catch (IllegalArgumentException | IllegalStateException e) {
        throw new InvalidSetting(e.getMessage(), e);
      }
      try {
        gate.method(method);
      } catch (IllegalArgumentException e) {
        throw invalid(
            PaymentFilter.METHODS_PARAM,
            p.get(PaymentFilter.METHODS_PARAM),
            "distinct method names",
            e);
      }
    }
    PaymentGate built = gate.build();

    PaymentFilterConfig.Builder config = PaymentFilterConfig.builder(built);
    config.maxBodyBytes(
        intParam(
            p,
            PaymentFilter.MAX_BODY_BYTES_PARAM,
            PaymentFilterConfig.DEFAULT_MAX_BODY_BYTES,
            0,
            64 * 1024 * 1024));
    config.requireSecure(bool(p, PaymentFilter.REQUIRE_SECURE_PARAM, true));
    for (PaidRoute route : routes(p, loader)) {
      try {
        config.route(route);
      } catch (IllegalArgumentException e) {
        throw new InvalidSetting("invalid route." + route.name() + ": " + e.getMessage(), e);
      }
    }
    if (config.build().routes().isEmpty()) {
      throw new InvalidSetting(
          "no paid route configured: set route.<name>.path and route.<name>.amount", null);
    }
    return config.build();
  }

  private void configureSecrets(Map<String, String> p, PaymentGate.Builder gate) {
    String source = p.getOrDefault(PaymentFilter.SECRET_KEY_ENV_PARAM, "MPP_SECRET_KEY");
    String secret = lookup(source);
    if (secret == null) {
      if (bool(p, PaymentFilter.ALLOW_EPHEMERAL_SECRET_PARAM, false)) {
        LOG.warn(
            "No challenge secret in {}: using a random ephemeral secret. Challenges will not survive"
                + " a restart or work across instances; set {} for production.",
            source,
            source);
        gate.secret(ChallengeSecret.random());
      } else {
        throw new InvalidSetting(
            "no challenge secret: the variable named by init-parameter "
                + PaymentFilter.SECRET_KEY_ENV_PARAM
                + "=\""
                + source
                + "\" is not set (expected an environment variable, or sys:<property>, holding at"
                + " least 32 bytes; or set "
                + PaymentFilter.ALLOW_EPHEMERAL_SECRET_PARAM
                + "=true for development)",
            null);
      }
    } else {
      try {
        gate.secret(ChallengeSecret.of(secret));
      } catch (IllegalArgumentException e) {
        throw new InvalidSetting(
            "invalid secret in the variable named by init-parameter "
                + PaymentFilter.SECRET_KEY_ENV_PARAM
                + "=\""
                + source
                + "\": "
                + e.getMessage(),
            null);
      }
    }
    for (String previous : csv(p.get(PaymentFilter.PREVIOUS_SECRET_KEYS_ENV_PARAM))) {
      String value = lookup(previous);
      if (value == null) {
        throw invalid(
            PaymentFilter.PREVIOUS_SECRET_KEYS_ENV_PARAM,
            p.get(PaymentFilter.PREVIOUS_SECRET_KEYS_ENV_PARAM),
            "names of set environment variables (or sys:<property>); '"
                + previous
                + "' is not set");
      }
      try {
        gate.previousSecret(ChallengeSecret.of(value));
      } catch (IllegalArgumentException e) {
        throw new InvalidSetting(
            "invalid previous secret in '" + previous + "': " + e.getMessage(), null);
      }
    }
  }

  private @Nullable String lookup(String source) {
    String value =
        source.startsWith("sys:") ? System.getProperty(source.substring(4)) : env.apply(source);
    return value == null || value.isEmpty() ? null : value;
  }

  private List<PaidRoute> routes(Map<String, String> p, ClassLoader loader) {
    Map<String, Map<String, String>> byName = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : p.entrySet()) {
      String key = e.getKey();
      if (!key.startsWith(PaymentFilter.ROUTE_PARAM_PREFIX)) {
        continue;
      }
      String rest = key.substring(PaymentFilter.ROUTE_PARAM_PREFIX.length());
      int opaqueAt = rest.indexOf(".opaque.");
      if (opaqueAt > 0 && opaqueAt + 8 < rest.length()) {
        // route.<name>.opaque.<key>: route data bound into the challenge (e.g. stripe.capture)
        byName
            .computeIfAbsent(rest.substring(0, opaqueAt), k -> new LinkedHashMap<>())
            .put("opaque." + rest.substring(opaqueAt + 8), e.getValue());
        continue;
      }
      int dot = rest.lastIndexOf('.');
      if (dot <= 0 || !ROUTE_ATTRIBUTES.contains(rest.substring(dot + 1))) {
        throw new InvalidSetting(
            "unknown init-parameter "
                + key
                + " (expected route.<name>.<attribute> with attribute one of "
                + "opaque.<key>, "
                + new java.util.TreeSet<>(ROUTE_ATTRIBUTES)
                + ")",
            null);
      }
      byName
          .computeIfAbsent(rest.substring(0, dot), k -> new LinkedHashMap<>())
          .put(rest.substring(dot + 1), e.getValue());
    }
    List<PaidRoute> routes = new ArrayList<>();
    for (Map.Entry<String, Map<String, String>> e : byName.entrySet()) {
      routes.add(route(e.getKey(), e.getValue(), loader));
    }
    // Init-parameters have no order: try exact paths first, then longer prefixes before shorter.
    routes.sort(
        java.util.Comparator.comparing((PaidRoute r) -> r.pattern().endsWith("/*"))
            .thenComparing(r -> -r.pattern().length())
            .thenComparing(PaidRoute::name));
    return routes;
  }

  private PaidRoute route(String name, Map<String, String> a, ClassLoader loader) {
    String prefix = PaymentFilter.ROUTE_PARAM_PREFIX + name + ".";
    String path = a.get("path");
    if (path == null) {
      throw new InvalidSetting(
          "missing init-parameter " + prefix + "path (expected /path or /prefix/*)", null);
    }
    String amount = a.get("amount");
    if (amount == null) {
      throw new InvalidSetting(
          "missing init-parameter " + prefix + "amount (expected a decimal price such as 0.01)",
          null);
    }
    PaymentRequirement.Builder req = PaymentRequirement.builder();
    try {
      req.amount(amount);
    } catch (IllegalArgumentException e) {
      throw invalid(prefix + "amount", amount, "a non-negative decimal price such as 0.01", e);
    }
    if (a.containsKey("intent")) {
      try {
        req.intent(Intent.of(a.get("intent")));
      } catch (IllegalArgumentException e) {
        throw invalid(prefix + "intent", a.get("intent"), "an intent name such as charge", e);
      }
    }
    req.currency(blankToNull(a.get("currency")));
    try {
      req.description(blankToNull(a.get("description")));
    } catch (IllegalArgumentException e) {
      throw invalid(prefix + "description", a.get("description"), "printable ISO-8859-1 text", e);
    }
    req.externalId(blankToNull(a.get("externalId")));
    for (Map.Entry<String, String> entry : a.entrySet()) {
      if (entry.getKey().startsWith("opaque.")) {
        try {
          req.opaque(entry.getKey().substring(7), entry.getValue());
        } catch (IllegalArgumentException e) {
          throw invalid(
              prefix + entry.getKey(),
              entry.getValue(),
              "an opaque key not starting with _mpp4j",
              e);
        }
      }
    }
    req.methods(csv(a.get("offer")));
    if (a.containsKey("bindBody")) {
      req.bindBody(parseBool(prefix + "bindBody", a.get("bindBody")));
    }
    Set<String> httpMethods = new LinkedHashSet<>(csv(a.getOrDefault("methods", "GET,HEAD")));
    for (String m : httpMethods) {
      if (!m.matches("[A-Za-z]{1,16}")) {
        throw invalid(prefix + "methods", a.get("methods"), "HTTP methods such as GET,HEAD", null);
      }
    }
    DynamicPricing pricing = null;
    String pricingClass = blankToNull(a.get("pricing"));
    if (pricingClass != null) {
      try {
        Class<?> type = Class.forName(pricingClass, true, loader);
        pricing = (DynamicPricing) type.getConstructor().newInstance();
      } catch (ReflectiveOperationException | ClassCastException | LinkageError e) {
        throw invalid(
            prefix + "pricing",
            pricingClass,
            "the name of a class implementing io.mpp4j.server.routing.DynamicPricing with a public"
                + " no-argument constructor",
            e);
      }
    }
    try {
      return new PaidRoute(name, httpMethods, path, req.build(), pricing);
    } catch (IllegalArgumentException e) {
      throw invalid(prefix + "path", path, "/path or /prefix/*", e);
    }
  }

  private static Map<String, PaymentMethodProvider> providers(ClassLoader loader) {
    Map<String, PaymentMethodProvider> found = new TreeMap<>();
    for (PaymentMethodProvider provider : ServiceLoader.load(PaymentMethodProvider.class, loader)) {
      found.putIfAbsent(provider.name(), provider);
    }
    return found;
  }

  /** Expands ${NAME} and ${NAME:default} from the environment, then system properties. */
  String expand(String param, String value) {
    if (value.indexOf("${") < 0) {
      return value.strip();
    }
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < value.length()) {
      int start = value.indexOf("${", i);
      if (start < 0) {
        out.append(value, i, value.length());
        break;
      }
      int end = value.indexOf('}', start);
      if (end < 0) {
        throw invalid(
            param, value, "a value with well-formed ${NAME} or ${NAME:default} references", null);
      }
      out.append(value, i, start);
      String ref = value.substring(start + 2, end);
      int colon = ref.indexOf(':');
      String name = colon < 0 ? ref : ref.substring(0, colon);
      String resolved = env.apply(name);
      if (resolved == null || resolved.isEmpty()) {
        resolved = System.getProperty(name);
      }
      if (resolved == null || resolved.isEmpty()) {
        if (colon < 0) {
          throw invalid(
              param,
              value,
              "${" + name + "} to be set in the environment, or a ${" + name + ":default}",
              null);
        }
        resolved = ref.substring(colon + 1);
      }
      out.append(resolved);
      i = end + 1;
    }
    return out.toString().strip();
  }

  static Duration duration(String text) {
    String t = text.strip();
    if (!t.isEmpty() && t.chars().allMatch(Character::isDigit)) {
      return Duration.ofSeconds(Long.parseLong(t));
    }
    return Duration.parse(t.toUpperCase(Locale.ROOT));
  }

  private static int intParam(Map<String, String> p, String name, int dflt, int min, int max) {
    String v = p.get(name);
    if (v == null || v.isBlank()) {
      return dflt;
    }
    try {
      int parsed = Integer.parseInt(v.strip());
      if (parsed < min || parsed > max) {
        throw new NumberFormatException();
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw invalid(name, v, "an integer from " + min + " to " + max, null);
    }
  }

  private static boolean bool(Map<String, String> p, String name, boolean dflt) {
    String v = p.get(name);
    return v == null || v.isBlank() ? dflt : parseBool(name, v);
  }

  private static boolean parseBool(String name, String v) {
    return switch (v.strip().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw invalid(name, v, "true or false", null);
    };
  }

  static List<String> csv(@Nullable String value) {
    List<String> out = new ArrayList<>();
    if (value == null) {
      return out;
    }
    for (String part : value.split(",", -1)) {
      String s = part.strip();
      if (!s.isEmpty()) {
        out.add(s);
      }
    }
    return out;
  }

  private static @Nullable String blankToNull(@Nullable String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  static InvalidSetting invalid(
      String param, @Nullable String value, String expected, @Nullable Throwable cause) {
    return new InvalidSetting(
        "invalid init-parameter "
            + param
            + "=\""
            + value
            + "\" (expected "
            + expected
            + ")"
            + (cause != null && cause.getMessage() != null ? ": " + cause.getMessage() : ""),
        cause);
  }

  private static InvalidSetting invalid(String param, @Nullable String value, String expected) {
    return invalid(param, value, expected, null);
  }
}
