package io.mpp4j.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The adapter as the suite runs it: one process, one JSON request in, one JSON answer out. */
class AdapterProcessTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static String runProcess(String stdin) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                List.of(
                    java,
                    "-cp",
                    System.getProperty("java.class.path"),
                    "io.mpp4j.conformance.Adapter"))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "adapter did not exit");
    assertEquals(0, p.exitValue());
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  @Test
  void answersTheServerVerifyExampleOverStdio() throws Exception {
    JsonNode request =
        ConformanceVectorsTest.resource("conformance/examples/server-verify.request.json");
    JsonNode expected =
        ConformanceVectorsTest.resource("conformance/examples/server-verify.response.json");
    String out = runProcess(MAPPER.writeValueAsString(request));
    assertEquals(expected, MAPPER.readTree(out));
    assertEquals(1, out.strip().lines().count(), "exactly one JSON document on stdout");
  }

  @Test
  void unknownOperationIsUnsupported() throws Exception {
    String out = runProcess("{\"schema\":1,\"op\":\"http.payment_request\",\"input\":{}}");
    JsonNode answer = MAPPER.readTree(out);
    assertEquals(false, answer.path("ok").asBoolean());
    assertEquals("unsupported_operation", answer.path("error").path("type").asText());
  }

  @Test
  void garbageOnStdinIsAnErrorAnswerNotACrash() throws Exception {
    String out =
        Adapter.run(
            new ByteArrayInputStream("not json".getBytes(StandardCharsets.UTF_8)),
            new Operations(false));
    assertEquals("unknown_error", MAPPER.readTree(out).path("error").path("type").asText());
  }

  @Test
  void manifestListsOnlyImplementedOperations() throws Exception {
    JsonNode manifest = MAPPER.readTree(Path.of("adapter.json").toFile());
    assertEquals(1, manifest.path("schema").asInt());
    Operations ops = new Operations(false);
    for (JsonNode capability : manifest.path("capabilities")) {
      JsonNode answer =
          ops.handle(
              MAPPER
                  .createObjectNode()
                  .put("schema", 1)
                  .put("op", capability.asText())
                  .set("input", MAPPER.createObjectNode()));
      assertTrue(
          answer.path("ok").asBoolean()
              || !"unsupported_operation".equals(answer.path("error").path("type").asText()),
          () -> capability + " is listed but not implemented");
    }
  }
}
