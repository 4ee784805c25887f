package io.mpp4j.tempo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mpp4j.testing.SharedStateScan;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * mpp-tempo keeps no JVM-wide mutable state: no static field that is not final, and no static
 * collection, atomic or thread-local that could be written (the RPC client used to carry each
 * call's "may have been sent" flag in a static thread-local).
 */
class NoSharedStateTest {

  @Test
  void noStaticFieldOfMainCodeIsMutable() throws Exception {
    assertEquals(List.of(), SharedStateScan.offenders(TempoConfig.class, "io/mpp4j/tempo", 30));
  }
}
