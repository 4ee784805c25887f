package io.mpp4j.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.jspecify.annotations.Nullable;

/**
 * {@link Json#write} (fast path or not) writes every tree exactly as Jackson does: the same bytes,
 * or the same failure. Trees mix every kind of value the fast path handles with those it leaves to
 * Jackson, so both the writer and its decision to give up are checked.
 */
class JsonWriteProperties {

  @Property(tries = 3000)
  void writeIsJacksonsOutput(@ForAll("anyTrees") Object tree) {
    Statistics.collect(JsonWriter.tryWrite(tree) != null ? "fast path" : "Jackson");
    // Both ways must be well exercised, or agreement would prove little.
    Statistics.coverage(
        coverage -> {
          coverage.check("fast path").percentage(p -> p >= 20);
          coverage.check("Jackson").percentage(p -> p >= 20);
        });
    assertEquals(outcome(() -> Json.writeWithJackson(tree)), outcome(() -> Json.write(tree)));
  }

  @Property(tries = 2000)
  void treesOfPlainValuesTakeTheFastPath(@ForAll("plainTrees") Object tree) {
    byte[] fast = JsonWriter.tryWrite(tree);
    assertNotNull(fast, () -> "fast path refused " + tree);
    assertEquals(
        new String(Json.writeWithJackson(tree), StandardCharsets.ISO_8859_1),
        new String(fast, StandardCharsets.ISO_8859_1));
  }

  /** The bytes written (as Latin-1, so any byte shows) or the kind of failure. */
  private static String outcome(Supplier<byte[]> write) {
    try {
      return new String(write.get(), StandardCharsets.ISO_8859_1);
    } catch (IllegalArgumentException e) {
      return "threw IllegalArgumentException";
    }
  }

  @Provide
  Arbitrary<Object> anyTrees() {
    return tree(4, anyLeaves(), anyTexts(), true);
  }

  @Provide
  Arbitrary<Object> plainTrees() {
    return tree(4, plainLeaves(), plainTexts(), false);
  }

  private static Arbitrary<Object> tree(
      int depth, Arbitrary<Object> leaves, Arbitrary<String> texts, boolean oddKeys) {
    if (depth == 0) {
      return leaves;
    }
    Arbitrary<Object> child = Arbitraries.lazy(() -> tree(depth - 1, leaves, texts, oddKeys));
    Arbitrary<Object> lists = child.list().ofMaxSize(4).flatMap(JsonWriteProperties::someList);
    Arbitrary<Object> keys =
        oddKeys
            ? Arbitraries.frequencyOf(
                Tuple.of(30, texts.map(s -> (Object) s)),
                Tuple.of(1, Arbitraries.integers().between(0, 9).map(i -> (Object) i)))
            : texts.map(s -> (Object) s);
    Arbitrary<Object> maps =
        Arbitraries.entries(keys, child)
            .list()
            .ofMaxSize(4)
            .flatMap(entries -> someMap(entries, oddKeys));
    return Arbitraries.frequencyOf(Tuple.of(3, leaves), Tuple.of(1, lists), Tuple.of(2, maps));
  }

  /** The same items in one of the list classes trees are built from. */
  // LinkedList is one of the List implementations a caller may hand the writer.
  @SuppressWarnings("JdkObsolete")
  private static Arbitrary<Object> someList(List<Object> items) {
    List<Function<List<Object>, Object>> kinds =
        List.of(
            ArrayList::new,
            LinkedList::new,
            l -> Collections.unmodifiableList(new ArrayList<>(l)),
            l -> Arrays.asList(l.toArray()));
    return Arbitraries.of(kinds).map(kind -> kind.apply(items));
  }

  /**
   * The same members in one of the map classes trees are built from; {@link Json#freeze} makes a
   * {@link FrozenMap} (or an unmodifiable hash map) when all keys are strings.
   */
  private static Arbitrary<Object> someMap(List<Map.Entry<Object, Object>> entries, boolean odd) {
    Map<Object, Object> linked = new LinkedHashMap<>();
    entries.forEach(e -> linked.put(e.getKey(), e.getValue()));
    boolean stringKeys = linked.keySet().stream().allMatch(k -> k instanceof String);
    List<Function<Map<Object, Object>, Object>> kinds = new ArrayList<>();
    kinds.add(m -> m);
    kinds.add(HashMap::new);
    kinds.add(Collections::unmodifiableMap);
    if (stringKeys) {
      kinds.add(JsonWriteProperties::freezeIfItCan);
      kinds.add(TreeMap::new);
    }
    if (odd) {
      kinds.add(m -> new LinkedHashMap<>(m) {}); // a class of the application: Jackson's to write
    }
    return Arbitraries.of(kinds).map(kind -> kind.apply(linked));
  }

  /** {@link Json#freeze}, which refuses trees with non-string keys further down. */
  private static @Nullable Object freezeIfItCan(Map<Object, Object> map) {
    try {
      return Json.freeze(map);
    } catch (IllegalArgumentException e) {
      return map;
    }
  }

  private static Arbitrary<Object> plainLeaves() {
    return Arbitraries.frequencyOf(
        Tuple.of(1, Arbitraries.just(null)),
        Tuple.of(1, Arbitraries.of(true, false).map(b -> (Object) b)),
        Tuple.of(6, plainTexts().map(s -> (Object) s)),
        Tuple.of(4, integers()));
  }

  private static Arbitrary<Object> anyLeaves() {
    return Arbitraries.frequencyOf(
        Tuple.of(1, Arbitraries.just(null)),
        Tuple.of(1, Arbitraries.of(true, false).map(b -> (Object) b)),
        Tuple.of(6, anyTexts().map(s -> (Object) s)),
        Tuple.of(4, integers()),
        Tuple.of(1, fractions()));
  }

  /** Every integer type the fast path writes, with their extremes. */
  private static Arbitrary<Object> integers() {
    BigInteger big = BigInteger.ONE.shiftLeft(100);
    return Arbitraries.oneOf(
        Arbitraries.integers().map(i -> (Object) i),
        Arbitraries.longs()
            .edgeCases(c -> c.add(Long.MIN_VALUE, Long.MAX_VALUE, 0L))
            .map(l -> (Object) l),
        Arbitraries.shorts().map(s -> (Object) s),
        Arbitraries.bytes().map(b -> (Object) b),
        Arbitraries.bigIntegers().between(big.negate(), big).map(b -> (Object) b));
  }

  /** Number types the fast path leaves to Jackson. */
  private static Arbitrary<Object> fractions() {
    return Arbitraries.oneOf(
        Arbitraries.doubles()
            .withSpecialValue(Double.NaN)
            .withSpecialValue(Double.POSITIVE_INFINITY)
            .withSpecialValue(-0.0)
            .map(d -> (Object) d),
        Arbitraries.floats().map(f -> (Object) f),
        Arbitraries.bigDecimals().ofScale(3).map(d -> (Object) d),
        Arbitraries.just((Object) new BigDecimal("1E+3")));
  }

  /** Printable ASCII with quotes and backslashes: what the fast path writes itself. */
  private static Arbitrary<String> plainTexts() {
    Arbitrary<String> piece =
        Arbitraries.frequencyOf(
            Tuple.of(30, Arbitraries.chars().range(' ', '~').map(String::valueOf)),
            Tuple.of(2, Arbitraries.of("\"", "\\", "?", "/")));
    return piece.list().ofMaxSize(40).map(pieces -> String.join("", pieces));
  }

  /**
   * Mostly printable ASCII, with every kind of character Jackson escapes or encodes: control
   * characters, DEL, Latin-1, the rest of the BMP (lone surrogates among them) and surrogate pairs.
   * Lengths reach past 16 so both of the fast path's string checks meet each kind.
   */
  private static Arbitrary<String> anyTexts() {
    Arbitrary<String> piece =
        Arbitraries.frequencyOf(
            Tuple.of(60, Arbitraries.chars().range(' ', '~').map(String::valueOf)),
            Tuple.of(4, Arbitraries.of("\"", "\\", "?", "/")),
            Tuple.of(1, Arbitraries.chars().range('\u0000', '\u001f').map(String::valueOf)),
            Tuple.of(1, Arbitraries.chars().range('\u007f', '\u00ff').map(String::valueOf)),
            Tuple.of(1, Arbitraries.chars().range('\u0100', '\uffff').map(String::valueOf)),
            Tuple.of(1, Arbitraries.chars().range('\ud800', '\udfff').map(String::valueOf)),
            Tuple.of(
                1,
                Arbitraries.integers()
                    .between(0x10000, 0x10FFFF)
                    .map(cp -> new String(Character.toChars(cp)))));
    return piece.list().ofMaxSize(40).map(pieces -> String.join("", pieces));
  }
}
