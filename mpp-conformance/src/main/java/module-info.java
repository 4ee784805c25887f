/**
 * The cross-SDK conformance adapter (not published; it runs from its shaded jar on the class path).
 * Declared as a module so that javac checks what it reaches: the Tempo codec, signatures and proofs
 * through mpp-tempo's export of {@code io.mpp4j.tempo.internal} to this module alone, and nothing
 * else that is not API.
 */
module io.mpp4j.conformance {
  requires io.mpp4j.stripe;
  requires io.mpp4j.tempo;
  requires com.fasterxml.jackson.databind;
}
