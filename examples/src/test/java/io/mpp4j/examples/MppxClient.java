package io.mpp4j.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mpp4j.tempo.chain.AnvilChain;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The reference TypeScript client (mppx, pinned in tools/chain) run through its pay.mjs script. */
final class MppxClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private MppxClient() {}

  /** tools/chain with mppx installed, looked up from the working directory upwards. */
  static Path chainTools() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      Path tools = dir.resolve("tools/chain");
      if (Files.isRegularFile(tools.resolve("pay.mjs"))
          && Files.isDirectory(tools.resolve("node_modules/mppx"))) {
        return tools;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException(
        "tools/chain with mppx installed not found: " + AnvilChain.INSTALL_HINT);
  }

  /**
   * Runs {@code node pay.mjs url options...}; returns the one-line JSON result it printed last. The
   * inherited {@code MPPX_PRIVATE_KEY} is removed; {@code env} may set it.
   */
  static JsonNode pay(String url, List<String> options, Map<String, String> env) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("node", "pay.mjs", url));
    cmd.addAll(options);
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(chainTools().toFile());
    pb.environment().remove("MPPX_PRIVATE_KEY");
    pb.environment().putAll(env);
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    Process p = pb.start();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new IllegalStateException("mppx did not finish within 90 s");
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    return JSON.readTree(out.substring(out.lastIndexOf('\n') + 1));
  }
}
