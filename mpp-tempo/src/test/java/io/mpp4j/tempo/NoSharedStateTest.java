package io.mpp4j.tempo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * mpp-tempo keeps no JVM-wide mutable state: no static field that is not final, and no static
 * collection, atomic or thread-local that could be written (the RPC client used to carry each
 * call's "may have been sent" flag in a static thread-local).
 */
class NoSharedStateTest {

  @Test
  void noStaticFieldOfMainCodeIsMutable() throws Exception {
    List<String> offenders = new ArrayList<>();
    for (Class<?> type : mainClasses()) {
      for (Field field : type.getDeclaredFields()) {
        int modifiers = field.getModifiers();
        if (!Modifier.isStatic(modifiers) || field.isSynthetic()) {
          continue;
        }
        Class<?> t = field.getType();
        if (!Modifier.isFinal(modifiers)) {
          offenders.add(type.getName() + "." + field.getName() + " is not final");
        } else if (Collection.class.isAssignableFrom(t) || Map.class.isAssignableFrom(t)) {
          field.setAccessible(true);
          Object value = field.get(null);
          if (value != null && !isUnmodifiable(value)) {
            offenders.add(type.getName() + "." + field.getName() + " is a mutable collection");
          }
        } else if (t.getName().startsWith("java.util.concurrent.atomic.")
            || ThreadLocal.class.isAssignableFrom(t)) {
          offenders.add(type.getName() + "." + field.getName() + " is shared mutable state");
        }
      }
    }
    assertEquals(List.of(), offenders);
  }

  private static boolean isUnmodifiable(Object value) {
    String name = value.getClass().getName();
    return name.startsWith("java.util.ImmutableCollections$")
        || name.startsWith("java.util.Collections$Unmodifiable")
        || name.startsWith("java.util.Collections$Empty")
        || name.startsWith("java.util.Collections$Singleton");
  }

  /** Every class compiled from mpp-tempo's main sources. */
  private static List<Class<?>> mainClasses()
      throws IOException, URISyntaxException, ClassNotFoundException {
    Path root =
        Path.of(TempoConfig.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    assertTrue(Files.isDirectory(root.resolve("io/mpp4j/tempo")), root::toString);
    List<Class<?>> classes = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        String relative = root.relativize(file).toString();
        if (!relative.endsWith(".class") || relative.endsWith("module-info.class")) {
          continue;
        }
        String name =
            relative
                .substring(0, relative.length() - ".class".length())
                .replace(file.getFileSystem().getSeparator(), ".");
        classes.add(Class.forName(name, false, NoSharedStateTest.class.getClassLoader()));
      }
    }
    assertTrue(classes.size() > 30, () -> "only " + classes.size() + " classes under " + root);
    return classes;
  }
}
