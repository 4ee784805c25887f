package io.mpp4j.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

class ConfigurationTest {
  private static final Setting<String> NAME =
      Setting.string("name", "a name").required("a name such as alice");
  private static final Setting<Integer> COUNT =
      Setting.integer("count", 1, 10).defaultValue(3, "`3`");
  private static final Setting<Boolean> ON = Setting.bool("on");
  private static final Setting<Duration> WAIT =
      Setting.duration("wait", "an ISO-8601 duration or seconds").rejectedAs("1 to 9 seconds");
  private static final Setting<List<String>> LIST = Setting.csv("list", "comma-separated names");
  private static final Setting<String> KEY_ENV = Setting.variableName("keyEnv", "DEFAULT_KEY");
  private static final Setting<String> COLOUR =
      Setting.choice("colour", "red or blue", Map.of("red", "R", "blue", "B"));
  private static final Setting<IntSupplier> MAKER =
      Setting.implementation("maker", IntSupplier.class).documentedDefault("none");
  private static final Setting<Long> BIG =
      Setting.of("big", "a long", (v, l) -> Long.valueOf(v)).doc("A long.");
  private static final Schema SCHEMA =
      Schema.of(NAME, COUNT, ON, WAIT, LIST, KEY_ENV, COLOUR, MAKER, BIG).withGroup("extra.<key>");

  /** A supplier the implementation setting can load. */
  public static final class Maker implements IntSupplier {
    /** Loaded by name. */
    public Maker() {}

    @Override
    public int getAsInt() {
      return 7;
    }
  }

  private static Configuration read(String noun, Map<String, String> values) {
    return read(noun, values, Map.of());
  }

  private static Configuration read(
      String noun, Map<String, String> values, Map<String, String> env) {
    return SCHEMA.read(
        ConfigSource.of(noun, values, env::get), "app", ConfigurationTest.class.getClassLoader());
  }

  private static String error(String noun, Map<String, String> values) {
    return assertThrows(ConfigurationException.class, () -> read(noun, values)).getMessage();
  }

  @Test
  void typedReadsWithDefaults() {
    Configuration c =
        read(
            "property",
            Map.of(
                "app.name", " alice ",
                "app.on", "TRUE",
                "app.wait", "pt2s",
                "app.list", "a, ,b,",
                "app.colour", "Blue",
                "app.maker", Maker.class.getName(),
                "app.big", "12345678901",
                "other.key", "not ours"));
    assertEquals("alice", c.get(NAME));
    assertEquals(3, c.get(COUNT));
    assertFalse(c.isSet(COUNT));
    assertTrue(c.get(ON));
    assertEquals(Duration.ofSeconds(2), c.get(WAIT));
    assertEquals(List.of("a", "b"), c.get(LIST));
    assertEquals("B", c.get(COLOUR));
    assertEquals(7, c.get(MAKER).getAsInt());
    assertEquals(12_345_678_901L, c.get(BIG));
    assertEquals("DEFAULT_KEY", c.get(KEY_ENV));
    assertEquals("app.name", c.key(NAME));
    assertEquals(
        Duration.ofSeconds(42), read("p", Map.of("app.name", "a", "app.wait", "42")).get(WAIT));
  }

  @Test
  void messagesNameTheKeyInTheSourcesNounTheValueAndTheForm() {
    assertEquals(
        "invalid init-parameter app.count=\"11\" (expected an integer from 1 to 10)",
        error("init-parameter", Map.of("app.name", "a", "app.count", "11")));
    assertEquals(
        "invalid property app.count=\"11\" (expected an integer from 1 to 10)",
        error("property", Map.of("app.name", "a", "app.count", "11")));
    assertEquals(
        "invalid property app.on=\"yes\" (expected true or false)",
        error("property", Map.of("app.name", "a", "app.on", "yes")));
    assertEquals(
        "invalid property app.colour=\"green\" (expected red or blue)",
        error("property", Map.of("app.name", "a", "app.colour", "green")));
    assertEquals(
        "missing property app.name (expected a name such as alice)", error("property", Map.of()));
    assertEquals(
        "invalid property app.name=\"\" (expected a name)",
        error("property", Map.of("app.name", "  ")));
    String unknown = error("property", Map.of("app.name", "a", "app.nmae", "b"));
    assertTrue(unknown.startsWith("unknown property app.nmae (known: [big, colour,"), unknown);
    assertTrue(unknown.endsWith("wait], extra.<key>)"), unknown);
    // A parser's own message follows the form.
    String big = error("property", Map.of("app.name", "a", "app.big", "x"));
    assertTrue(big.startsWith("invalid property app.big=\"x\" (expected a long): "), big);
    String maker = error("property", Map.of("app.name", "a", "app.maker", String.class.getName()));
    assertTrue(
        maker.startsWith(
            "invalid property app.maker=\"java.lang.String\" (expected the name of a class"
                + " implementing java.util.function.IntSupplier with a public no-argument"
                + " constructor)"),
        maker);
  }

  @Test
  void aRefusingSetterIsReportedWithTheRejectedForm() {
    Configuration c = read("property", Map.of("app.name", "a", "app.wait", "PT10S"));
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () ->
                c.apply(
                    WAIT,
                    d -> {
                      throw new IllegalArgumentException("too long");
                    }));
    assertEquals(
        "invalid property app.wait=\"PT10S\" (expected 1 to 9 seconds): too long", e.getMessage());
    // Absent settings are not applied.
    c.apply(
        ON,
        v -> {
          throw new AssertionError("applied an absent setting");
        });
  }

  @Test
  void referencesExpandFromTheEnvironmentThenSystemPropertiesThenTheDefault() {
    System.setProperty("mpp4j.config.test.prop", "from-property");
    try {
      Configuration c =
          read(
              "property",
              Map.of(
                  "app.name", "${NAME_VAR}-${mpp4j.config.test.prop}-${UNSET_VAR:fallback}",
                  "app.keyEnv", "${NOT_EXPANDED}",
                  "app.extra.one", "${NAME_VAR}"),
              Map.of("NAME_VAR", "env"));
      assertEquals("env-from-property-fallback", c.get(NAME));
      assertEquals("${NOT_EXPANDED}", c.get(KEY_ENV), "variable names are taken literally");
      assertEquals(Map.of("one", "env"), c.group("extra.<key>"));
    } finally {
      System.clearProperty("mpp4j.config.test.prop");
    }
    assertEquals(
        "invalid property app.name=\"${UNSET_VAR}\" (expected ${UNSET_VAR} to be set in the"
            + " environment, or a ${UNSET_VAR:default})",
        error("property", Map.of("app.name", "${UNSET_VAR}")));
    assertEquals(
        "invalid property app.name=\"${BROKEN\" (expected a value with well-formed ${NAME} or"
            + " ${NAME:default} references)",
        error("property", Map.of("app.name", "${BROKEN")));
  }

  @Test
  void secretsAreReadFromTheNamedVariableAndNeverShown() {
    Configuration c =
        read(
            "property",
            Map.of("app.name", "a", "app.keyEnv", "MY_KEY"),
            Map.of("MY_KEY", "s3cr3t"));
    assertEquals("s3cr3t", c.secret(KEY_ENV));
    assertFalse(c.toString().contains("s3cr3t"), c.toString());
    assertFalse(c.source().toString().contains("s3cr3t"), c.source().toString());
    assertNull(read("property", Map.of("app.name", "a")).secret(KEY_ENV), "DEFAULT_KEY is unset");
    System.setProperty("mpp4j.config.test.key", "from-property");
    try {
      Configuration sys =
          read("property", Map.of("app.name", "a", "app.keyEnv", "sys:mpp4j.config.test.key"));
      assertEquals("from-property", sys.secret(KEY_ENV));
    } finally {
      System.clearProperty("mpp4j.config.test.key");
    }
    assertThrows(IllegalArgumentException.class, () -> c.secret(NAME));
  }

  @Test
  void readsOnlyDeclaredSettingsAndNounsArePlural() {
    Configuration c = read("property", Map.of("app.name", "a"));
    Setting<String> undeclared = Setting.string("undeclared", "x");
    assertThrows(IllegalArgumentException.class, () -> c.find(undeclared));
    assertThrows(IllegalArgumentException.class, () -> c.group("nope.<key>"));
    assertThrows(IllegalStateException.class, () -> c.get(ON), "no value and no default");
    assertEquals("properties", c.nouns());
    assertEquals("init-parameters", read("init-parameter", Map.of("app.name", "a")).nouns());
  }

  @Test
  void declarationsAreDocumented() {
    assertEquals(
        List.of(
            "name",
            "count",
            "on",
            "wait",
            "list",
            "keyEnv",
            "colour",
            "maker",
            "big",
            "extra.<key>"),
        SCHEMA.documentedKeys());
    assertEquals("— (required)", NAME.defaultText());
    assertEquals("`3`", COUNT.defaultText());
    assertEquals("DEFAULT_KEY", KEY_ENV.defaultText());
    assertEquals("A long.", BIG.doc());
    assertThrows(IllegalArgumentException.class, () -> Schema.of(NAME, NAME));
    assertThrows(IllegalArgumentException.class, () -> SCHEMA.withGroup("no-pattern"));
  }
}
