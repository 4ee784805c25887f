package io.mpp4j.tempo.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The committed stand-in artifact ({@code tools/chain/reserve/ChannelReserve.json}) is what the
 * pinned solc makes of {@code ChannelReserve.sol}: {@code compile.mjs --check} recompiles and
 * compares (about 3 s), so an edited contract without a recompile fails the build.
 */
@Tag("chain")
class ReserveArtifactTest {
  @Test
  void committedArtifactIsTheCompiledSource() throws Exception {
    Path artifact = ReserveChain.findArtifact().orElseThrow();
    Path chainDir = artifact.getParent().getParent();
    Path solc = chainDir.resolve("node_modules/solc/package.json");
    if (!Files.isRegularFile(solc)) {
      String message = "solc not installed: run " + AnvilChain.INSTALL_HINT;
      if (System.getenv("CI") != null) {
        throw new IllegalStateException(message + " (CI is set, so this test may not be skipped)");
      }
      Assumptions.abort(message);
    }
    Path script = artifact.getParent().resolve("compile.mjs");
    Process p =
        new ProcessBuilder(List.of("node", script.toString(), "--check"))
            .redirectErrorStream(true)
            .start();
    String out;
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("compile.mjs --check did not finish within 60 s");
      }
      out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException | InterruptedException | RuntimeException e) {
      throw e;
    } finally {
      p.destroyForcibly();
    }
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("is up to date"), out);
  }
}
