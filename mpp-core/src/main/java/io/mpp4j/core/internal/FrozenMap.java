package io.mpp4j.core.internal;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * An unmodifiable JSON object of a few members (at most {@value #MAX_SIZE}), kept as two arrays in
 * insertion order. Lookups compare names one by one, which for so few members is cheaper than
 * hashing; building one costs two small arrays instead of a hash table and an entry per member.
 * Every mutator throws {@link UnsupportedOperationException}; equality, hash code and string form
 * are those of any {@link Map}. Keys are non-null strings, values any JSON value including null.
 */
final class FrozenMap extends AbstractMap<String, Object> {
  /** The most members a frozen map holds; larger objects use a hash map. */
  static final int MAX_SIZE = 8;

  static final FrozenMap EMPTY = new FrozenMap(new String[0], new Object[0], 0);

  private final String[] keys;
  private final @Nullable Object[] values;
  private final int size;

  /** Takes ownership of the arrays; {@code keys[0, size)} must be distinct and non-null. */
  FrozenMap(String[] keys, @Nullable Object[] values, int size) {
    if (size > MAX_SIZE || size > keys.length || size > values.length) {
      throw new IllegalArgumentException("a frozen map holds at most " + MAX_SIZE + " members");
    }
    this.keys = keys;
    this.values = values;
    this.size = size;
  }

  private int indexOf(@Nullable Object key) {
    if (key != null) {
      for (int i = 0; i < size; i++) {
        if (keys[i].equals(key)) {
          return i;
        }
      }
    }
    return -1;
  }

  /** The name of the member at {@code index} in insertion order, {@code 0 <= index < size()}. */
  String keyAt(int index) {
    return keys[index];
  }

  /** The value of the member at {@code index} in insertion order, {@code 0 <= index < size()}. */
  @Nullable Object valueAt(int index) {
    return values[index];
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public boolean isEmpty() {
    return size == 0;
  }

  @Override
  public boolean containsKey(@Nullable Object key) {
    return indexOf(key) >= 0;
  }

  @Override
  public @Nullable Object get(@Nullable Object key) {
    int at = indexOf(key);
    return at >= 0 ? values[at] : null;
  }

  @Override
  public @Nullable Object getOrDefault(@Nullable Object key, @Nullable Object defaultValue) {
    int at = indexOf(key);
    return at >= 0 ? values[at] : defaultValue;
  }

  @Override
  public void forEach(BiConsumer<? super String, ? super Object> action) {
    for (int i = 0; i < size; i++) {
      action.accept(keys[i], values[i]);
    }
  }

  @Override
  public Set<Map.Entry<String, Object>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public int size() {
        return size;
      }

      @Override
      public Iterator<Map.Entry<String, Object>> iterator() {
        return new Iterator<>() {
          private int next;

          @Override
          public boolean hasNext() {
            return next < size;
          }

          @Override
          public Map.Entry<String, Object> next() {
            if (next >= size) {
              throw new NoSuchElementException();
            }
            int at = next++;
            return new AbstractMap.SimpleImmutableEntry<>(keys[at], values[at]);
          }
        };
      }
    };
  }

  // Unmodifiable: every mutator throws, whether or not it would change anything.

  @Override
  public Object put(String key, Object value) {
    throw unmodifiable();
  }

  @Override
  public Object remove(@Nullable Object key) {
    throw unmodifiable();
  }

  @Override
  public void putAll(Map<? extends String, ?> m) {
    throw unmodifiable();
  }

  @Override
  public void clear() {
    throw unmodifiable();
  }

  @Override
  public void replaceAll(BiFunction<? super String, ? super Object, ?> function) {
    throw unmodifiable();
  }

  @Override
  public @Nullable Object putIfAbsent(String key, Object value) {
    throw unmodifiable();
  }

  @Override
  public boolean remove(@Nullable Object key, @Nullable Object value) {
    throw unmodifiable();
  }

  @Override
  public boolean replace(String key, Object oldValue, Object newValue) {
    throw unmodifiable();
  }

  @Override
  public @Nullable Object replace(String key, Object value) {
    throw unmodifiable();
  }

  @Override
  public Object computeIfAbsent(
      String key, Function<? super String, ? extends Object> mappingFunction) {
    throw unmodifiable();
  }

  @Override
  public Object computeIfPresent(
      String key, BiFunction<? super String, ? super Object, ? extends Object> remappingFunction) {
    throw unmodifiable();
  }

  @Override
  public Object compute(
      String key,
      BiFunction<? super String, ? super @Nullable Object, ? extends Object> remappingFunction) {
    throw unmodifiable();
  }

  @Override
  public Object merge(
      String key,
      Object value,
      BiFunction<? super Object, ? super Object, ? extends Object> remappingFunction) {
    throw unmodifiable();
  }

  private static UnsupportedOperationException unmodifiable() {
    return new UnsupportedOperationException("unmodifiable JSON object");
  }
}
