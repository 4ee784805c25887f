package io.mpp4j.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PaidResponseTest {
  @Test
  void cacheControlGainsPrivate() {
    assertEquals("private", PaidResponse.withPrivate(null));
    assertEquals("private", PaidResponse.withPrivate(" "));
    assertEquals("no-cache, private", PaidResponse.withPrivate("no-cache"));
    assertEquals("max-age=60, private", PaidResponse.withPrivate("public, max-age=60"));
    assertEquals("private, max-age=5", PaidResponse.withPrivate("private, max-age=5"));
  }
}
