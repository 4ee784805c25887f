package io.mpp4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.mpp4j.core.internal.Ascii;
import io.mpp4j.testing.SharedStateScan;
import java.lang.ref.WeakReference;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * mpp-core keeps no JVM-wide mutable state: no static field that is not final, no static collection
 * or atomic that could be written, and nothing a client sent is kept after the call that read it
 * (the parsers and checks used to remember recent client text in static caches).
 */
class NoSharedStateTest {

  @Test
  void noStaticFieldOfMainCodeIsMutable() throws Exception {
    assertEquals(List.of(), SharedStateScan.offenders(PaymentRequest.class, "io/mpp4j/core", 50));
  }

  @Test
  void aParsedRequestIsNotKeptAfterUse() {
    assertCollectable(
        () -> {
          try {
            String wire =
                PaymentRequest.builder()
                    .amount("1")
                    .currency(UUID.randomUUID().toString())
                    .build()
                    .encoded();
            return PaymentRequest.parse(new String(wire));
          } catch (MalformedMessageException e) {
            throw new AssertionError(e);
          }
        });
  }

  @Test
  void theTextOfAParsedCredentialIsNotKeptAfterUse() {
    String token = credentialToken(); // the realm and request are new to this JVM
    assertCollectable(() -> parse(token).challenge().realm());
    assertCollectable(() -> parse(token).challenge().request());
    assertCollectable(() -> parse(token).challenge().expires());
  }

  @Test
  void aStringCheckedForPlainTextIsNotKeptAfterUse() {
    assertCollectable(
        () -> {
          String s =
              new String("plain-" + System.nanoTime()); // short, like the strings once remembered
          assertTrue(Ascii.isPlain(s));
          return s;
        });
  }

  private static String credentialToken() {
    String unique = UUID.randomUUID().toString();
    Challenge challenge =
        Challenge.builder()
            .id("ch_" + unique)
            .realm("r-" + unique.substring(0, 8))
            .method("tempo")
            .request(PaymentRequest.builder().amount("1000").currency(unique).build())
            .expires("2030-01-01T00:00:00Z")
            .build();
    return Credential.of(challenge, Map.of("type", "hash"), null).encoded();
  }

  private static Credential parse(String token) {
    try {
      return Credential.parseToken(new String(token));
    } catch (MalformedMessageException e) {
      throw new AssertionError(e);
    }
  }

  /** Fails unless what {@code make} returns becomes unreachable once the caller drops it. */
  private static void assertCollectable(Supplier<Object> make) {
    WeakReference<Object> ref = new WeakReference<>(make.get());
    for (int attempt = 0; attempt < 50 && ref.get() != null; attempt++) {
      System.gc();
      byte[][] pressure = new byte[64][];
      for (int i = 0; i < pressure.length; i++) {
        pressure[i] = new byte[16 * 1024];
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted");
      }
    }
    if (ref.get() != null) {
      fail("still reachable after the call returned: " + ref.get().getClass().getName());
    }
  }
}
