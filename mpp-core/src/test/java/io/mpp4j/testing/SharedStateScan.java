package io.mpp4j.testing;

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

/**
 * Finds JVM-wide mutable state in a module's compiled main classes: static fields that are not
 * final, static collections that can be written, static atomics and thread-locals. Used by each
 * module's {@code NoSharedStateTest} (shared through mpp-core's test-jar).
 */
public final class SharedStateScan {
  private SharedStateScan() {}

  /**
   * Every offending static field of the classes compiled beside {@code anchor}.
   *
   * @param anchor a main class of the module to scan
   * @param packageDir a directory that must exist under the class root ({@code io/mpp4j/tempo})
   * @param minClasses fewer classes than this means the scan looked in the wrong place
   */
  public static List<String> offenders(Class<?> anchor, String packageDir, int minClasses)
      throws IOException, URISyntaxException, ReflectiveOperationException {
    List<String> offenders = new ArrayList<>();
    for (Class<?> type : mainClasses(anchor, packageDir, minClasses)) {
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
    return offenders;
  }

  private static boolean isUnmodifiable(Object value) {
    String name = value.getClass().getName();
    return name.startsWith("java.util.ImmutableCollections$")
        || name.startsWith("java.util.Collections$Unmodifiable")
        || name.startsWith("java.util.Collections$Empty")
        || name.startsWith("java.util.Collections$Singleton");
  }

  private static List<Class<?>> mainClasses(Class<?> anchor, String packageDir, int minClasses)
      throws IOException, URISyntaxException, ClassNotFoundException {
    Path root = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
    if (!Files.isDirectory(root.resolve(packageDir))) {
      throw new IllegalStateException("no " + packageDir + " under " + root);
    }
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
        classes.add(Class.forName(name, false, anchor.getClassLoader()));
      }
    }
    if (classes.size() < minClasses) {
      throw new IllegalStateException("only " + classes.size() + " classes under " + root);
    }
    return classes;
  }
}
