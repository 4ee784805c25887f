package io.mpp4j.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The conformance-suite adapter executable: reads exactly one JSON request from standard input,
 * writes exactly one JSON answer to standard output and exits 0. Diagnostics go to standard error.
 *
 * <pre>
 * echo '{"schema":1,"op":"base64url.encode","input":{"text":"a"}}' \
 *   | java -jar mpp-conformance/target/mpp-conformance-adapter.jar
 * </pre>
 */
public final class Adapter {
  /** Largest request accepted on standard input. */
  static final int MAX_REQUEST_BYTES = 8 * 1024 * 1024;

  private Adapter() {}

  /** Entry point. */
  public static void main(String[] args) throws IOException {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    out.println(run(System.in, Operations.fromEnvironment()));
    out.flush();
  }

  /** Reads one request and returns the answer text. Never throws for bad input. */
  static String run(InputStream in, Operations operations) throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    byte[] bytes = readBounded(in);
    if (bytes == null) {
      return mapper.writeValueAsString(
          Operations.error("unknown_error", "request larger than " + MAX_REQUEST_BYTES + " bytes"));
    }
    JsonNode request;
    try {
      request = mapper.readTree(bytes);
    } catch (IOException e) {
      return mapper.writeValueAsString(
          Operations.error("unknown_error", "request is not valid JSON"));
    }
    if (request == null || !request.isObject()) {
      return mapper.writeValueAsString(
          Operations.error("unknown_error", "request is not a JSON object"));
    }
    return mapper.writeValueAsString(operations.handle(request));
  }

  private static byte[] readBounded(InputStream in) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    byte[] chunk = new byte[8192];
    int n;
    while ((n = in.read(chunk)) >= 0) {
      buf.write(chunk, 0, n);
      if (buf.size() > MAX_REQUEST_BYTES) {
        return null;
      }
    }
    return buf.toByteArray();
  }
}
