package io.mpp4j.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The payment-method SPI does not depend on the server engine (the engine depends on the SPI): no
 * source file of {@code io.mpp4j.spi} names a type of {@code io.mpp4j.server} or its subpackages,
 * in an import, in code or in javadoc.
 */
class SpiDependsNotOnServerTest {
  private static final Path SPI = Path.of("src/main/java/io/mpp4j/spi");

  @Test
  void noSpiSourceNamesTheServerPackage() throws IOException {
    List<Path> sources;
    try (Stream<Path> files = Files.walk(SPI)) {
      sources = files.filter(p -> p.toString().endsWith(".java")).toList();
    }
    assertTrue(sources.size() >= 8, "the SPI sources were found: " + sources);
    List<String> offenders = new ArrayList<>();
    for (Path source : sources) {
      List<String> lines = Files.readAllLines(source, StandardCharsets.UTF_8);
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).contains("io.mpp4j.server")) {
          offenders.add(source.getFileName() + ":" + (i + 1) + ": " + lines.get(i).trim());
        }
      }
    }
    assertEquals(List.of(), offenders);
  }
}
