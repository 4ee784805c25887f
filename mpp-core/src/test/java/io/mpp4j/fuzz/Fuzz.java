package io.mpp4j.fuzz;

import io.mpp4j.core.MalformedMessageException;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * Runs one parser call under a hang guard and classifies its outcome against the parser's
 * documented contract. Every call runs on a daemon worker thread and must finish within {@link
 * #CALL_TIMEOUT_MILLIS}; a call that does not is reported as a hang (with the input) instead of
 * blocking the build. jqwik does not honour JUnit's {@code @Timeout}, so this is the per-try
 * timeout of every property in this package.
 */
final class Fuzz {
  /** Generous hang guard for one parser call (a correct parser needs microseconds). */
  static final long CALL_TIMEOUT_MILLIS = 10_000;

  private static final ExecutorService WORKERS =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "mpp4j-fuzz-worker");
            t.setDaemon(true);
            return t;
          });

  private Fuzz() {}

  /** What a call did: returned a value, or threw {@link MalformedMessageException}. */
  static final class Outcome<T> {
    private final @Nullable T value;
    private final @Nullable MalformedMessageException error;

    private Outcome(@Nullable T value, @Nullable MalformedMessageException error) {
      this.value = value;
      this.error = error;
    }

    boolean ok() {
      return error == null;
    }

    boolean malformed() {
      return error != null;
    }

    @Nullable T value() {
      return value;
    }

    @Nullable MalformedMessageException error() {
      return error;
    }
  }

  /**
   * Calls a parser whose only documented failure is {@link MalformedMessageException}; fails the
   * test on any other throwable or on a hang.
   */
  static <T> Outcome<T> parseOrMalformed(String parser, Object input, Callable<T> call) {
    Throwable thrown;
    try {
      return new Outcome<>(run(parser, input, call), null);
    } catch (ExecutionException e) {
      thrown = e.getCause();
    }
    if (thrown instanceof MalformedMessageException m) {
      if (m.getMessage() == null || m.getMessage().isEmpty()) {
        throw new AssertionError(parser + " threw a MalformedMessageException without a message");
      }
      return new Outcome<>(null, m);
    }
    throw new AssertionError(
        parser
            + " threw "
            + thrown
            + " (only MalformedMessageException is documented) on input "
            + describe(input),
        thrown);
  }

  /** Calls something documented never to throw; fails the test if it throws or hangs. */
  static <T> T neverThrows(String what, Object input, Callable<T> call) {
    try {
      return run(what, input, call);
    } catch (ExecutionException e) {
      throw new AssertionError(
          what + " must never throw, but threw " + e.getCause() + " on input " + describe(input),
          e.getCause());
    }
  }

  /** Asserts that the call throws exactly {@link MalformedMessageException}. */
  static MalformedMessageException expectMalformed(String parser, Object input, Callable<?> call) {
    Outcome<?> outcome = parseOrMalformed(parser, input, call);
    if (outcome.ok()) {
      throw new AssertionError(
          parser
              + " accepted input it must reject (returned "
              + outcome.value()
              + ") on input "
              + describe(input));
    }
    return outcome.error();
  }

  private static <T> T run(String what, Object input, Callable<T> call) throws ExecutionException {
    Future<T> future = WORKERS.submit(call);
    try {
      return future.get(CALL_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new AssertionError(
          what
              + " did not return within "
              + CALL_TIMEOUT_MILLIS
              + " ms (hang guard) on input "
              + describe(input));
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for " + what, e);
    }
  }

  /** A short printable rendering of an input for failure messages. */
  static String describe(@Nullable Object input) {
    if (input == null) {
      return "null";
    }
    String s = input instanceof byte[] bytes ? HexFormat.of().formatHex(bytes) : input.toString();
    StringBuilder sb = new StringBuilder(260);
    sb.append("(length ").append(s.length()).append(") \"");
    int limit = Math.min(s.length(), 240);
    for (int i = 0; i < limit; i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c >= 0x20 && c < 0x7F) {
        sb.append(c);
      } else {
        sb.append(String.format("\\u%04x", (int) c));
      }
    }
    sb.append('"');
    if (s.length() > limit) {
      sb.append("…");
    }
    return sb.toString();
  }
}
