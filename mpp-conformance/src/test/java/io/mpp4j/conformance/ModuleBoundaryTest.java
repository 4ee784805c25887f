package io.mpp4j.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The module boundary, checked on the sources of every module of the build: no module's main code
 * names another module's {@code internal} package unless that module's {@code module-info.java}
 * exports the package to it by name, and no {@code module-info.java} exports an {@code internal}
 * package to everyone. javac enforces the same for the modules it compiles on the module path; this
 * also covers the modules without a module-info (benchmarks, examples) and code that names a class
 * by its full name instead of importing it.
 */
class ModuleBoundaryTest {
  /** The build's root: this module's parent directory (surefire runs in the module directory). */
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  private static final Pattern MODULE_NAME = Pattern.compile("\\bmodule\\s+([\\w.]+)\\s*\\{");
  private static final Pattern EXPORTS =
      Pattern.compile("\\bexports\\s+([\\w.]+)(?:\\s+to\\s+([\\w.\\s,]+))?;");
  private static final Pattern TARGET = Pattern.compile("[\\w.]+");
  private static final Pattern PACKAGE = Pattern.compile("(?m)^\\s*package\\s+([\\w.]+)\\s*;");
  private static final Pattern INTERNAL_NAME =
      Pattern.compile("\\bio\\.mpp4j(?:\\.[a-z0-9_]+)*\\.internal\\b");

  /** One module of the build, as its sources declare it. */
  private record Module(
      String dir, String name, Set<String> packages, Map<String, Set<String>> exports) {}

  @Test
  void noModuleUsesAnotherModulesInternalPackage() throws IOException {
    List<Module> modules = modules();
    assertTrue(modules.size() >= 6, "found the build's modules: " + modules);
    Map<String, Module> owner = new HashMap<>();
    for (Module m : modules) {
      for (String p : m.packages()) {
        owner.put(p, m);
      }
    }
    List<String> violations = new ArrayList<>();
    for (Module m : modules) {
      for (Path file : javaFiles(mainSources(m.dir()))) {
        if (file.getFileName().toString().equals("module-info.java")) {
          continue;
        }
        String code = withoutComments(Files.readString(file, StandardCharsets.UTF_8));
        Matcher n = INTERNAL_NAME.matcher(code);
        while (n.find()) {
          String pkg = n.group();
          Module o = owner.get(pkg);
          if (o == null || o.dir().equals(m.dir())) {
            continue;
          }
          Set<String> to = o.exports().get(pkg);
          if (to == null || !to.contains(m.name())) {
            violations.add(ROOT.relativize(file) + " uses " + pkg + " of " + o.name());
          }
        }
      }
    }
    assertEquals(List.of(), violations);
  }

  @Test
  void noInternalPackageIsExportedToEveryone() throws IOException {
    List<String> violations = new ArrayList<>();
    for (Module m : modules()) {
      m.exports()
          .forEach(
              (pkg, to) -> {
                if (to.isEmpty() && pkg.endsWith(".internal")) {
                  violations.add(m.name() + " exports " + pkg);
                }
              });
    }
    assertEquals(List.of(), violations);
  }

  @Test
  void everyPublishedModuleHasAModuleInfo() {
    for (String dir :
        List.of(
            "mpp-core", "mpp-servlet", "mpp-tempo", "mpp-stripe", "mpp-test", "mpp-conformance")) {
      assertTrue(
          Files.isRegularFile(mainSources(dir).resolve("module-info.java")),
          dir + " has a module-info.java");
    }
  }

  @Test
  void theCheckSeesACrossModuleUse() {
    // The patterns above, on a line such as a servlet class would write it.
    String code =
        withoutComments(
            "// io.mpp4j.core.internal in a comment does not count\n"
                + "String s = \"io.mpp4j.tempo.internal in a string does\";\n"
                + "byte[] b = io.mpp4j.core.internal.Json.write(x);\n");
    Matcher n = INTERNAL_NAME.matcher(code);
    List<String> found = new ArrayList<>();
    while (n.find()) {
      found.add(n.group());
    }
    assertEquals(List.of("io.mpp4j.tempo.internal", "io.mpp4j.core.internal"), found);
  }

  private static List<Module> modules() throws IOException {
    List<Module> out = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(ROOT)) {
      for (Path dir : dirs.sorted().toList()) {
        String d = dir.getFileName().toString();
        Path src = mainSources(d);
        if (!Files.isDirectory(src)) {
          continue;
        }
        Set<String> packages = new HashSet<>();
        for (Path f : javaFiles(src)) {
          Matcher p = PACKAGE.matcher(Files.readString(f, StandardCharsets.UTF_8));
          if (p.find()) {
            packages.add(p.group(1));
          }
        }
        String name = "io.mpp4j." + d.replaceFirst("^mpp-", "");
        Map<String, Set<String>> exports = new TreeMap<>();
        Path info = src.resolve("module-info.java");
        if (Files.isRegularFile(info)) {
          String text = withoutComments(Files.readString(info, StandardCharsets.UTF_8));
          Matcher mn = MODULE_NAME.matcher(text);
          assertTrue(mn.find(), info + " declares a module");
          name = mn.group(1);
          Matcher e = EXPORTS.matcher(text);
          while (e.find()) {
            Set<String> to = new HashSet<>();
            if (e.group(2) != null) {
              Matcher t = TARGET.matcher(e.group(2));
              while (t.find()) {
                to.add(t.group());
              }
            }
            exports.put(e.group(1), to);
          }
        }
        out.add(new Module(d, name, packages, exports));
      }
    }
    return out;
  }

  private static Path mainSources(String dir) {
    return ROOT.resolve(dir).resolve("src/main/java");
  }

  private static List<Path> javaFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
  }

  /** The source without its comments; string and character literals are kept as they are. */
  static String withoutComments(String src) {
    StringBuilder out = new StringBuilder(src.length());
    int i = 0;
    while (i < src.length()) {
      char c = src.charAt(i);
      if (c == '/' && i + 1 < src.length() && src.charAt(i + 1) == '/') {
        while (i < src.length() && src.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '/' && i + 1 < src.length() && src.charAt(i + 1) == '*') {
        int end = src.indexOf("*/", i + 2);
        i = end < 0 ? src.length() : end + 2;
        out.append(' ');
      } else if (c == '"' || c == '\'') {
        int j = i + 1;
        while (j < src.length() && src.charAt(j) != c && src.charAt(j) != '\n') {
          j += src.charAt(j) == '\\' ? 2 : 1;
        }
        j = Math.min(j + 1, src.length());
        out.append(src, i, j);
        i = j;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }
}
