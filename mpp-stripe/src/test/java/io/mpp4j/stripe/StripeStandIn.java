package io.mpp4j.stripe;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.ScenarioMappingBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.extension.requestfilter.RequestFilterAction;
import com.github.tomakehurst.wiremock.extension.requestfilter.StubRequestFilterV2;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A stand-in for the part of the Stripe API that the stripe method calls, as strict as Stripe: a
 * WireMock server on a dynamic loopback port that refuses, with Stripe's status and error shape
 * ({@code {"error":{"type":"invalid_request_error",...}}}), every request Stripe would refuse, and
 * answers the others.
 *
 * <p>Every request, scripted answer or not, first passes these rules, in this order:
 *
 * <ol>
 *   <li>{@code Authorization: Bearer <apiKey>}, else 401;
 *   <li>one of {@code POST /v1/payment_intents}, {@code POST /v1/payment_intents/{id}/capture},
 *       {@code POST /v1/payment_intents/{id}/cancel}, else 404;
 *   <li>{@code Stripe-Version: 2026-07-29.preview}, else 400;
 *   <li>{@code Content-Type: application/x-www-form-urlencoded} (a {@code charset=utf-8} parameter
 *       allowed), else 400;
 *   <li>{@code Idempotency-Key} of at most 255 characters, of the form {@code
 *       mpp_<challengeId>_<spt>} for a create ({@code <challengeId>} being {@code
 *       metadata[mpp_challenge_id]} when sent), {@code mpp_capture_<id>} and {@code
 *       mpp_cancel_<id>} for the others, else 400;
 *   <li>the form: a create needs {@code amount} (a positive integer), {@code currency}, {@code
 *       confirm=true}, {@code automatic_payment_methods[enabled]=true}, {@code
 *       automatic_payment_methods[allow_redirects]=never} and the token, top level ({@code
 *       shared_payment_granted_token}) or in {@code payment_method_data}, exactly once; no field
 *       twice, no unknown top-level field ({@code parameter_unknown}), metadata within Stripe's
 *       limits; a cancel's {@code cancellation_reason} is one of Stripe's. Else 400.
 * </ol>
 *
 * <p>A request that passes gets the scripted answer of its endpoint, if any, else the default: a
 * create answers a PaymentIntent (id {@code pi_…}) echoing {@code amount}, {@code currency} and the
 * metadata, {@code succeeded}, or {@code requires_capture} with {@code capture_method=manual}; the
 * same idempotency key with the same form answers the first answer again, marked {@code
 * Idempotent-Replayed: true}, and with another form answers 400 {@code idempotency_error}; a
 * capture turns {@code requires_capture} into {@code succeeded}, a cancel into {@code canceled},
 * and an unknown PaymentIntent is 404 {@code resource_missing}. Every answer carries a {@code
 * Request-Id}.
 *
 * <pre>{@code
 * try (StripeStandIn stripe = StripeStandIn.start("sk_test_123")) {
 *   StripeMethod method = StripeMethod.create(StripeConfig.builder()
 *       .apiKey("sk_test_123").apiBase(stripe.baseUrl()).networkId("profile_x").build());
 *   // ... pay ...
 *   assertEquals(1, stripe.paymentIntentCreates().size());
 *   assertEquals(0, stripe.refusedCount());
 * }
 * }</pre>
 *
 * <p>Thread-safe. Each instance keeps its own state; nothing is shared between instances.
 */
public final class StripeStandIn implements AutoCloseable {
  /** The create path. */
  public static final String PAYMENT_INTENTS_PATH = "/v1/payment_intents";

  /** The only {@code Stripe-Version} served (the preview API of shared payment tokens). */
  public static final String STRIPE_VERSION = "2026-07-29.preview";

  /** The only media type of a request body. */
  public static final String FORM_CONTENT_TYPE = "application/x-www-form-urlencoded";

  /** The {@code Request-Id} of the scripted answers built by {@link #json(int, String)}. */
  public static final String SCRIPTED_REQUEST_ID = "req_scripted";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_IDEMPOTENCY_KEY = 255;
  private static final int MAX_METADATA_KEYS = 50;
  private static final int MAX_METADATA_KEY = 40;
  private static final int MAX_METADATA_VALUE = 500;
  private static final int DEFAULT_PRIORITY = 10;
  private static final int SCRIPTED_PRIORITY = 1;
  private static final String DEFAULT_ANSWER = "stripe-stand-in-default";
  private static final Pattern ACTION_PATH =
      Pattern.compile("/v1/payment_intents/(pi_[A-Za-z0-9_]+)/(capture|cancel)");
  private static final Pattern INTEGER = Pattern.compile("[1-9][0-9]{0,17}");
  private static final Pattern CURRENCY = Pattern.compile("[A-Za-z]{3}");
  private static final Pattern KEY_PART = Pattern.compile("[A-Za-z0-9_\\-]+");
  private static final Set<String> CREATE_FIELDS =
      Set.of(
          "amount",
          "application_fee_amount",
          "automatic_payment_methods",
          "capture_method",
          "confirm",
          "confirmation_method",
          "confirmation_token",
          "currency",
          "customer",
          "description",
          "error_on_requires_action",
          "expand",
          "mandate",
          "mandate_data",
          "metadata",
          "off_session",
          "on_behalf_of",
          "payment_method",
          "payment_method_configuration",
          "payment_method_data",
          "payment_method_options",
          "payment_method_types",
          "radar_options",
          "receipt_email",
          "return_url",
          "setup_future_usage",
          "shared_payment_granted_token",
          "shipping",
          "statement_descriptor",
          "statement_descriptor_suffix",
          "transfer_data",
          "transfer_group",
          "use_stripe_sdk");
  private static final Set<String> CAPTURE_FIELDS =
      Set.of(
          "amount_to_capture",
          "application_fee_amount",
          "expand",
          "final_capture",
          "metadata",
          "statement_descriptor",
          "statement_descriptor_suffix",
          "transfer_data");
  private static final Set<String> CANCEL_FIELDS = Set.of("cancellation_reason", "expand");
  private static final Set<String> CANCELLATION_REASONS =
      Set.of("abandoned", "duplicate", "fraudulent", "requested_by_customer");
  private static final Set<String> CAPTURE_METHODS =
      Set.of("automatic", "automatic_async", "manual");
  private static final Set<String> CANCELABLE =
      Set.of(
          "requires_payment_method",
          "requires_capture",
          "requires_confirmation",
          "requires_action");

  /** A request refused by the rules: what Stripe would have answered. */
  public record Refusal(
      String method,
      String path,
      int status,
      String type,
      @Nullable String code,
      @Nullable String param) {}

  private final String apiKey;
  private final WireMockServer server;
  private final List<Refusal> refusals = new CopyOnWriteArrayList<>();
  private final Set<UUID> createStubs = ConcurrentHashMap.newKeySet();
  private final Set<UUID> ownStubs = ConcurrentHashMap.newKeySet();
  private final Map<String, List<StubMapping>> scripted = new HashMap<>();
  private final AtomicInteger scenarios = new AtomicInteger();
  private final Object lock = new Object();
  // Guarded by lock: the default answers' idempotency keys and PaymentIntents.
  private final Map<String, Stored> answered = new HashMap<>();
  private final Map<String, Held> intents = new HashMap<>();

  private record Stored(Map<String, String> form, int status, String body) {}

  private static final class Held {
    final long amount;
    final String currency;
    final Map<String, String> metadata;
    String status;

    Held(long amount, String currency, Map<String, String> metadata, String status) {
      this.amount = amount;
      this.currency = currency;
      this.metadata = metadata;
      this.status = status;
    }
  }

  private StripeStandIn(String apiKey) {
    this.apiKey = apiKey;
    this.server =
        new WireMockServer(
            WireMockConfiguration.wireMockConfig()
                .bindAddress("127.0.0.1")
                .dynamicPort()
                .containerThreads(40)
                .asynchronousResponseEnabled(false)
                .extensions(new Rules(), new DefaultAnswer()));
    server.start();
    try {
      UUID create =
          server
              .stubFor(
                  post(urlEqualTo(PAYMENT_INTENTS_PATH))
                      .atPriority(DEFAULT_PRIORITY)
                      .willReturn(aResponse().withTransformers(DEFAULT_ANSWER)))
              .getId();
      createStubs.add(create);
      ownStubs.add(create);
      ownStubs.add(
          server
              .stubFor(
                  post(urlPathMatching(ACTION_PATH.pattern()))
                      .atPriority(DEFAULT_PRIORITY)
                      .willReturn(aResponse().withTransformers(DEFAULT_ANSWER)))
              .getId());
    } catch (RuntimeException e) {
      server.stop();
      throw e;
    }
  }

  /**
   * Starts a stand-in on a dynamic loopback port that accepts only {@code apiKey}.
   *
   * @param apiKey the secret key requests must carry as {@code Authorization: Bearer <apiKey>}
   */
  public static StripeStandIn start(String apiKey) {
    Objects.requireNonNull(apiKey, "apiKey == null");
    if (apiKey.isBlank()) {
      throw new IllegalArgumentException("apiKey must not be blank");
    }
    return new StripeStandIn(apiKey);
  }

  /** The base URL, for {@code StripeConfig.Builder.apiBase}: {@code http://127.0.0.1:<port>}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.port();
  }

  /** The port. */
  public int port() {
    return server.port();
  }

  /** The API key it accepts. */
  public String apiKey() {
    return apiKey;
  }

  // --- what arrived -----------------------------------------------------------------------------

  /** The accepted {@code POST /v1/payment_intents}, oldest first (refused ones are not here). */
  public List<LoggedRequest> paymentIntentCreates() {
    List<LoggedRequest> creates = new ArrayList<>();
    for (ServeEvent e : server.getAllServeEvents()) {
      if (servedBy(e, createStubs)) {
        creates.add(e.getRequest());
      }
    }
    Collections.reverse(creates);
    return creates;
  }

  /** The accepted captures of a PaymentIntent, oldest first. */
  public List<LoggedRequest> captures(String paymentIntentId) {
    return accepted(PAYMENT_INTENTS_PATH + "/" + paymentIntentId + "/capture");
  }

  /** The accepted cancels of a PaymentIntent, oldest first. */
  public List<LoggedRequest> cancels(String paymentIntentId) {
    return accepted(PAYMENT_INTENTS_PATH + "/" + paymentIntentId + "/cancel");
  }

  private List<LoggedRequest> accepted(String path) {
    List<LoggedRequest> found = new ArrayList<>();
    for (ServeEvent e : server.getAllServeEvents()) {
      if (servedBy(e, ownStubs) && path.equals(e.getRequest().getUrl())) {
        found.add(e.getRequest());
      }
    }
    Collections.reverse(found);
    return found;
  }

  /** Whether one of the given stubs answered (a refusal is answered by the rules, no stub). */
  private static boolean servedBy(ServeEvent e, Set<UUID> stubs) {
    return e.getStubMapping() != null && stubs.contains(e.getStubMapping().getId());
  }

  /** The refused requests, oldest first. */
  public List<Refusal> refusals() {
    return List.copyOf(refusals);
  }

  /** How many requests were refused. */
  public int refusedCount() {
    return refusals.size();
  }

  // --- scripting --------------------------------------------------------------------------------

  /**
   * From now on, accepted creates get these answers in turn, the last one repeated; replaces any
   * earlier script of creates and starts from the first answer. The rules still apply first.
   */
  public void answerCreates(ResponseDefinitionBuilder... answers) {
    for (StubMapping s : script(PAYMENT_INTENTS_PATH, answers)) {
      createStubs.add(s.getId());
    }
  }

  /** Like {@link #answerCreates}, for {@code POST /v1/payment_intents/{id}/capture}. */
  public void answerCaptures(String paymentIntentId, ResponseDefinitionBuilder... answers) {
    script(PAYMENT_INTENTS_PATH + "/" + paymentIntentId + "/capture", answers);
  }

  /** Like {@link #answerCreates}, for {@code POST /v1/payment_intents/{id}/cancel}. */
  public void answerCancels(String paymentIntentId, ResponseDefinitionBuilder... answers) {
    script(PAYMENT_INTENTS_PATH + "/" + paymentIntentId + "/cancel", answers);
  }

  private List<StubMapping> script(String path, ResponseDefinitionBuilder[] answers) {
    if (answers.length == 0) {
      throw new IllegalArgumentException("at least one answer");
    }
    synchronized (scripted) {
      List<StubMapping> old = scripted.remove(path);
      if (old != null) {
        for (StubMapping s : old) {
          server.removeStubMapping(s);
        }
      }
      List<StubMapping> stubs = new ArrayList<>();
      if (answers.length == 1) {
        stubs.add(
            server.stubFor(
                post(urlEqualTo(path)).atPriority(SCRIPTED_PRIORITY).willReturn(answers[0])));
      } else {
        String scenario = "scripted-" + scenarios.incrementAndGet();
        for (int i = 0; i < answers.length; i++) {
          ScenarioMappingBuilder step =
              post(urlEqualTo(path))
                  .atPriority(SCRIPTED_PRIORITY)
                  .inScenario(scenario)
                  .whenScenarioStateIs(i == 0 ? Scenario.STARTED : "step-" + i);
          if (i + 1 < answers.length) {
            step = step.willSetStateTo("step-" + (i + 1));
          }
          stubs.add(server.stubFor(step.willReturn(answers[i])));
        }
      }
      for (StubMapping s : stubs) {
        ownStubs.add(s.getId());
      }
      scripted.put(path, stubs);
      return stubs;
    }
  }

  // --- answers ----------------------------------------------------------------------------------

  /** A JSON answer with {@link #SCRIPTED_REQUEST_ID}. */
  public static ResponseDefinitionBuilder json(int status, String body) {
    return json(status, body, SCRIPTED_REQUEST_ID);
  }

  /** A JSON answer with the given {@code Request-Id}. */
  public static ResponseDefinitionBuilder json(int status, String body, String requestId) {
    return aResponse()
        .withStatus(status)
        .withHeader("Content-Type", "application/json")
        .withHeader("Request-Id", requestId)
        .withBody(body);
  }

  /** A PaymentIntent's JSON. */
  public static String paymentIntentJson(String id, long amount, String currency, String status) {
    Map<String, Object> pi = new LinkedHashMap<>();
    pi.put("id", id);
    pi.put("object", "payment_intent");
    pi.put("amount", amount);
    pi.put("currency", currency);
    pi.put("status", status);
    pi.put("livemode", false);
    pi.put("metadata", Map.of());
    return write(pi);
  }

  /** A 200 answer with a PaymentIntent. */
  public static ResponseDefinitionBuilder paymentIntent(
      String id, long amount, String currency, String status) {
    return json(200, paymentIntentJson(id, amount, currency, status));
  }

  /** A 200 answer with a PaymentIntent, marked as an idempotent replay. */
  public static ResponseDefinitionBuilder replayed(
      String id, long amount, String currency, String status) {
    return paymentIntent(id, amount, currency, status).withHeader("Idempotent-Replayed", "true");
  }

  /** A Stripe error answer: {@code {"error":{"type":...,"code":...,"message":...}}}. */
  public static ResponseDefinitionBuilder error(
      int status, String type, @Nullable String code, String message) {
    return json(status, errorJson(type, code, null, message));
  }

  /** Decodes an {@code application/x-www-form-urlencoded} body into a sorted map. */
  public static Map<String, String> form(LoggedRequest request) {
    Map<String, String> fields = new TreeMap<>();
    for (String[] pair : pairs(request.getBodyAsString())) {
      fields.put(pair[0], pair[1]);
    }
    return fields;
  }

  @Override
  public void close() {
    server.stop();
  }

  // --- the rules --------------------------------------------------------------------------------

  /** Stripe's refusal of a request: always an {@code invalid_request_error}. */
  private static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;
    static final String TYPE = "invalid_request_error";
    final int status;
    final @Nullable String code;
    final @Nullable String param;

    Refused(int status, @Nullable String code, @Nullable String param, String message) {
      super(message, null, false, false);
      this.status = status;
      this.code = code;
      this.param = param;
    }
  }

  private enum Endpoint {
    CREATE,
    CAPTURE,
    CANCEL
  }

  private final class Rules implements StubRequestFilterV2 {
    @Override
    public String getName() {
      return "stripe-stand-in-rules";
    }

    @Override
    public RequestFilterAction filter(Request request, ServeEvent serveEvent) {
      try {
        check(request);
        return RequestFilterAction.continueWith(request);
      } catch (Refused r) {
        String path = path(request.getUrl());
        refusals.add(
            new Refusal(
                request.getMethod().getName(), path, r.status, Refused.TYPE, r.code, r.param));
        return RequestFilterAction.stopWith(
            ResponseDefinitionBuilder.responseDefinition()
                .withStatus(r.status)
                .withHeader("Content-Type", "application/json")
                .withHeader("Request-Id", requestId())
                .withBody(errorJson(Refused.TYPE, r.code, r.param, r.getMessage()))
                .build());
      }
    }
  }

  private void check(Request request) throws Refused {
    HttpHeader auth = request.header("Authorization");
    if (!auth.isPresent() || auth.values().size() != 1) {
      throw new Refused(
          401,
          null,
          null,
          "No API key provided. Send your secret key as 'Authorization: Bearer <key>'.");
    }
    byte[] expected = ("Bearer " + apiKey).getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(expected, auth.firstValue().getBytes(StandardCharsets.UTF_8))) {
      throw new Refused(401, "api_key_invalid", null, "Invalid API Key provided.");
    }

    String path = path(request.getUrl());
    Endpoint endpoint;
    String intentId = null;
    Matcher action = ACTION_PATH.matcher(path);
    if (RequestMethod.POST.equals(request.getMethod())
        && PAYMENT_INTENTS_PATH.equals(request.getUrl())) {
      endpoint = Endpoint.CREATE;
    } else if (RequestMethod.POST.equals(request.getMethod())
        && path.equals(request.getUrl())
        && action.matches()) {
      intentId = action.group(1);
      endpoint = action.group(2).equals("capture") ? Endpoint.CAPTURE : Endpoint.CANCEL;
    } else {
      throw new Refused(
          404,
          null,
          null,
          "Unrecognized request URL (" + request.getMethod().getName() + ": " + path + ").");
    }

    String version = single(request, "Stripe-Version");
    if (version == null) {
      throw new Refused(
          400, null, null, "This API needs the preview version: send Stripe-Version.");
    }
    if (!STRIPE_VERSION.equals(version)) {
      throw new Refused(400, null, null, "Invalid Stripe API version: " + version);
    }

    String contentType = single(request, "Content-Type");
    if (contentType == null || !isForm(contentType)) {
      throw new Refused(
          400,
          null,
          null,
          "Invalid request: the body must be sent as Content-Type: " + FORM_CONTENT_TYPE + ".");
    }

    String key = single(request, "Idempotency-Key");
    if (key == null || key.isEmpty()) {
      throw new Refused(400, null, null, "This stand-in needs an Idempotency-Key on every POST.");
    }
    if (key.length() > MAX_IDEMPOTENCY_KEY) {
      throw new Refused(400, null, null, "Idempotency-Key must be at most 255 characters long.");
    }

    Map<String, String> form = parse(request.getBodyAsString());
    switch (endpoint) {
      case CREATE -> checkCreate(form, key);
      case CAPTURE -> {
        knownFields(form, CAPTURE_FIELDS);
        metadata(form);
        expectKey(key, "mpp_capture_" + intentId);
      }
      case CANCEL -> {
        knownFields(form, CANCEL_FIELDS);
        String reason = form.get("cancellation_reason");
        if (reason != null && !CANCELLATION_REASONS.contains(reason)) {
          throw new Refused(
              400,
              "parameter_invalid_string",
              "cancellation_reason",
              "Invalid cancellation_reason.");
        }
        expectKey(key, "mpp_cancel_" + intentId);
      }
    }
  }

  private static void checkCreate(Map<String, String> form, String key) throws Refused {
    knownFields(form, CREATE_FIELDS);
    String amount = required(form, "amount");
    if (!INTEGER.matcher(amount).matches()) {
      throw new Refused(
          400, "parameter_invalid_integer", "amount", "Invalid integer: " + amount + ".");
    }
    String currency = required(form, "currency");
    if (!CURRENCY.matcher(currency).matches()) {
      throw new Refused(400, "parameter_invalid_string", "currency", "Invalid currency.");
    }
    exactly(form, "confirm", "true");
    exactly(form, "automatic_payment_methods[enabled]", "true");
    exactly(form, "automatic_payment_methods[allow_redirects]", "never");
    for (String field : form.keySet()) {
      if (field.startsWith("automatic_payment_methods[")
          && !field.equals("automatic_payment_methods[enabled]")
          && !field.equals("automatic_payment_methods[allow_redirects]")) {
        throw new Refused(
            400, "parameter_unknown", field, "Received unknown parameter: " + field + ".");
      }
    }
    String captureMethod = form.get("capture_method");
    if (captureMethod != null && !CAPTURE_METHODS.contains(captureMethod)) {
      throw new Refused(
          400, "parameter_invalid_string", "capture_method", "Invalid capture_method.");
    }
    String top = form.get("shared_payment_granted_token");
    String nested = form.get("payment_method_data[shared_payment_granted_token]");
    if (top == null && nested == null) {
      throw new Refused(
          400,
          "parameter_missing",
          "shared_payment_granted_token",
          "Missing required param: shared_payment_granted_token.");
    }
    if (top != null && nested != null) {
      throw new Refused(
          400,
          "parameter_invalid_string",
          "shared_payment_granted_token",
          "Send the shared payment token once, top level or in payment_method_data.");
    }
    String token = top != null ? top : nested;
    if (token.isEmpty()) {
      throw new Refused(
          400,
          "parameter_invalid_empty",
          "shared_payment_granted_token",
          "The shared payment token must not be empty.");
    }
    metadata(form);
    String challengeId = form.get("metadata[mpp_challenge_id]");
    if (challengeId != null) {
      expectKey(key, "mpp_" + challengeId + "_" + token);
    } else {
      String suffix = "_" + token;
      if (!key.startsWith("mpp_")
          || !key.endsWith(suffix)
          || key.length() <= 4 + suffix.length()
          || !KEY_PART.matcher(key.substring(4, key.length() - suffix.length())).matches()) {
        throw new Refused(
            400, null, null, "Idempotency-Key must be mpp_<challengeId>_<token> for this payment.");
      }
    }
  }

  private static void expectKey(String key, String expected) throws Refused {
    if (!expected.equals(key)) {
      throw new Refused(
          400, null, null, "Idempotency-Key does not match this request (expected mpp_...).");
    }
  }

  private static void knownFields(Map<String, String> form, Set<String> known) throws Refused {
    for (String field : form.keySet()) {
      int bracket = field.indexOf('[');
      String top = bracket < 0 ? field : field.substring(0, bracket);
      if (!known.contains(top)) {
        throw new Refused(
            400, "parameter_unknown", top, "Received unknown parameter: " + top + ".");
      }
    }
  }

  private static void metadata(Map<String, String> form) throws Refused {
    int count = 0;
    for (Map.Entry<String, String> e : form.entrySet()) {
      String field = e.getKey();
      if (field.equals("metadata")) {
        if (!e.getValue().isEmpty()) {
          throw new Refused(400, "parameter_invalid_string", "metadata", "Invalid metadata.");
        }
        continue;
      }
      if (!field.startsWith("metadata[")) {
        continue;
      }
      String name = field.substring("metadata[".length(), field.length() - 1);
      if (!field.endsWith("]") || name.isEmpty() || name.contains("[")) {
        throw new Refused(400, "parameter_invalid_string", field, "Invalid metadata key.");
      }
      if (name.length() > MAX_METADATA_KEY || e.getValue().length() > MAX_METADATA_VALUE) {
        throw new Refused(
            400,
            "parameter_invalid_string",
            field,
            "Metadata keys are at most 40 characters and values at most 500.");
      }
      count++;
    }
    if (count > MAX_METADATA_KEYS) {
      throw new Refused(
          400, "parameter_invalid_string", "metadata", "At most 50 metadata keys are allowed.");
    }
  }

  private static String required(Map<String, String> form, String field) throws Refused {
    String value = form.get(field);
    if (value == null) {
      throw new Refused(400, "parameter_missing", field, "Missing required param: " + field + ".");
    }
    if (value.isEmpty()) {
      throw new Refused(
          400, "parameter_invalid_empty", field, "You passed an empty string for '" + field + "'.");
    }
    return value;
  }

  private static void exactly(Map<String, String> form, String field, String expected)
      throws Refused {
    String value = required(form, field);
    if (!expected.equals(value)) {
      throw new Refused(
          400,
          "parameter_invalid_string",
          field,
          "This stand-in needs " + field + "=" + expected + ", not " + value + ".");
    }
  }

  private static @Nullable String single(Request request, String name) throws Refused {
    HttpHeader header = request.header(name);
    if (!header.isPresent()) {
      return null;
    }
    if (header.values().size() != 1) {
      throw new Refused(400, null, null, "The " + name + " header was sent more than once.");
    }
    return header.firstValue();
  }

  private static boolean isForm(String contentType) {
    String[] parts = contentType.split(";", -1);
    if (!parts[0].strip().equalsIgnoreCase(FORM_CONTENT_TYPE)) {
      return false;
    }
    for (int i = 1; i < parts.length; i++) {
      String parameter = parts[i].strip().toLowerCase(Locale.ROOT);
      if (!parameter.equals("charset=utf-8") && !parameter.equals("charset=\"utf-8\"")) {
        return false;
      }
    }
    return true;
  }

  private static Map<String, String> parse(String body) throws Refused {
    Map<String, String> form = new TreeMap<>();
    try {
      for (String[] pair : pairs(body)) {
        if (form.put(pair[0], pair[1]) != null) {
          throw new Refused(
              400, "parameter_invalid_string", pair[0], "Received " + pair[0] + " twice.");
        }
      }
    } catch (IllegalArgumentException e) {
      throw new Refused(400, null, null, "The request body is not a valid form.");
    }
    return form;
  }

  private static List<String[]> pairs(String body) {
    List<String[]> pairs = new ArrayList<>();
    if (body.isEmpty()) {
      return pairs;
    }
    for (String pair : body.split("&", -1)) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("not a form pair");
      }
      pairs.add(
          new String[] {
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8)
          });
    }
    return pairs;
  }

  private static String path(String url) {
    int q = url.indexOf('?');
    return q < 0 ? url : url.substring(0, q);
  }

  // --- the default answers ----------------------------------------------------------------------

  private final class DefaultAnswer implements ResponseDefinitionTransformerV2 {
    @Override
    public String getName() {
      return DEFAULT_ANSWER;
    }

    @Override
    public boolean applyGlobally() {
      return false;
    }

    @Override
    public ResponseDefinition transform(ServeEvent serveEvent) {
      Request request = serveEvent.getRequest();
      Map<String, String> form = new TreeMap<>();
      for (String[] pair : pairs(request.getBodyAsString())) {
        form.put(pair[0], pair[1]);
      }
      String key = request.getHeader("Idempotency-Key");
      synchronized (lock) {
        Stored earlier = answered.get(key);
        if (earlier != null) {
          if (!earlier.form().equals(form)) {
            return answer(
                400,
                errorJson(
                    "idempotency_error",
                    null,
                    null,
                    "This idempotency key was first used with other parameters."),
                false);
          }
          return answer(earlier.status(), earlier.body(), true);
        }
        Matcher action = ACTION_PATH.matcher(request.getUrl());
        Stored now;
        if (action.matches()) {
          now = act(action.group(1), action.group(2).equals("capture"), form);
        } else {
          now = create(form);
        }
        answered.put(key, now);
        return answer(now.status(), now.body(), false);
      }
    }
  }

  private Stored create(Map<String, String> form) {
    long amount = Long.parseLong(form.get("amount"));
    String currency = form.get("currency").toLowerCase(Locale.ROOT);
    boolean manual = "manual".equals(form.get("capture_method"));
    Map<String, String> metadata = new TreeMap<>();
    for (Map.Entry<String, String> e : form.entrySet()) {
      if (e.getKey().startsWith("metadata[")) {
        metadata.put(e.getKey().substring(9, e.getKey().length() - 1), e.getValue());
      }
    }
    String id = "pi_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    Held intent = new Held(amount, currency, metadata, manual ? "requires_capture" : "succeeded");
    intents.put(id, intent);
    return new Stored(form, 200, intentJson(id, intent, manual));
  }

  private Stored act(String id, boolean capture, Map<String, String> form) {
    Held intent = intents.get(id);
    if (intent == null) {
      return new Stored(
          form,
          404,
          errorJson(
              "invalid_request_error", "resource_missing", "intent", "No such payment_intent."));
    }
    boolean allowed =
        capture ? "requires_capture".equals(intent.status) : CANCELABLE.contains(intent.status);
    if (!allowed) {
      return new Stored(
          form,
          400,
          errorJson(
              "invalid_request_error",
              "payment_intent_unexpected_state",
              null,
              "This PaymentIntent's status is " + intent.status + "."));
    }
    intent.status = capture ? "succeeded" : "canceled";
    return new Stored(form, 200, intentJson(id, intent, true));
  }

  private static String intentJson(String id, Held intent, boolean manual) {
    Map<String, Object> pi = new LinkedHashMap<>();
    pi.put("id", id);
    pi.put("object", "payment_intent");
    pi.put("amount", intent.amount);
    pi.put("amount_capturable", "requires_capture".equals(intent.status) ? intent.amount : 0);
    pi.put("amount_received", "succeeded".equals(intent.status) ? intent.amount : 0);
    pi.put("capture_method", manual ? "manual" : "automatic");
    pi.put("confirmation_method", "automatic");
    pi.put("currency", intent.currency);
    pi.put("livemode", false);
    pi.put("metadata", intent.metadata);
    pi.put("status", intent.status);
    return write(pi);
  }

  private static ResponseDefinition answer(int status, String body, boolean replayed) {
    ResponseDefinitionBuilder b =
        ResponseDefinitionBuilder.responseDefinition()
            .withStatus(status)
            .withHeader("Content-Type", "application/json")
            .withHeader("Request-Id", requestId());
    if (replayed) {
      b = b.withHeader("Idempotent-Replayed", "true");
    }
    return b.withBody(body).build();
  }

  private static String requestId() {
    return "req_" + UUID.randomUUID().toString().replace("-", "").substring(0, 14);
  }

  private static String errorJson(
      String type, @Nullable String code, @Nullable String param, String message) {
    Map<String, Object> error = new LinkedHashMap<>();
    if (code != null) {
      error.put("code", code);
    }
    error.put("message", message);
    if (param != null) {
      error.put("param", param);
    }
    error.put("type", type);
    return write(Map.of("error", error));
  }

  private static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
