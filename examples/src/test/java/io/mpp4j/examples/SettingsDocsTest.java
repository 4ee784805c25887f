package io.mpp4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.mpp4j.config.server.ServerSettings;
import io.mpp4j.spi.PaymentMethodProvider;
import io.mpp4j.stripe.StripeMethodProvider;
import io.mpp4j.tempo.TempoMethodProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The settings tables in the docs list exactly the keys the schema declares, so neither can drift:
 * a setting added to a declaration must be documented, and a documented one must exist.
 */
class SettingsDocsTest {
  private static final Pattern CODE = Pattern.compile("`([^`]+)`");

  /** The keys in the first column of the table whose first header is one of {@code headers}. */
  private static Set<String> documentedKeys(String file, Set<String> headers) throws IOException {
    List<String> lines = Files.readAllLines(Path.of("..", "docs", file), StandardCharsets.UTF_8);
    Set<String> keys = new TreeSet<>();
    boolean inTable = false;
    int tables = 0;
    for (String line : lines) {
      if (!line.startsWith("|")) {
        inTable = false;
        continue;
      }
      String first = line.substring(1, line.indexOf('|', 1)).strip();
      if (!inTable && headers.contains(first)) {
        inTable = true;
        tables++;
        continue;
      }
      if (inTable && !first.startsWith("---")) {
        Matcher m = CODE.matcher(first);
        while (m.find()) {
          keys.add(m.group(1));
        }
      }
    }
    assertEquals(1, tables, "settings tables in docs/" + file);
    return keys;
  }

  private static Set<String> declared(PaymentMethodProvider provider) {
    Set<String> keys = new TreeSet<>();
    for (String key : provider.settings().documentedKeys()) {
      keys.add(provider.name() + "." + key);
    }
    return keys;
  }

  @Test
  void servletFilterTableListsTheServerSettings() throws IOException {
    Set<String> declared = new TreeSet<>(ServerSettings.documentedKeys());
    assertFalse(declared.isEmpty());
    assertEquals(declared, documentedKeys("servlet-filter.md", Set.of("Parameter")));
  }

  @Test
  void tempoTableListsTheTempoSettings() throws IOException {
    assertEquals(
        declared(new TempoMethodProvider()), documentedKeys("tempo.md", Set.of("init-parameter")));
  }

  @Test
  void stripeTableListsTheStripeSettings() throws IOException {
    assertEquals(
        declared(new StripeMethodProvider()),
        documentedKeys("stripe.md", Set.of("Init-parameter")));
  }

  @Test
  void everyDeclaredSettingIsDocumentedInItsDeclarationToo() {
    List<String> undocumented = new ArrayList<>();
    for (PaymentMethodProvider p : List.of(new TempoMethodProvider(), new StripeMethodProvider())) {
      p.settings().settings().stream()
          .filter(s -> s.doc().isBlank())
          .forEach(s -> undocumented.add(p.name() + "." + s.key()));
    }
    for (var s : ServerSettings.SCHEMA.settings()) {
      if (s.doc().isBlank()) {
        undocumented.add(s.key());
      }
    }
    for (var s : ServerSettings.ROUTE.settings()) {
      if (s.doc().isBlank()) {
        undocumented.add("route.<name>." + s.key());
      }
    }
    assertEquals(List.of(), undocumented);
  }
}
