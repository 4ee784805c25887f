package io.mpp4j.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ReceiptResponseTest {
  @Test
  void cacheControlGainsPrivate() {
    assertEquals("private", ReceiptResponse.withPrivate(null));
    assertEquals("private", ReceiptResponse.withPrivate(" "));
    assertEquals("no-cache, private", ReceiptResponse.withPrivate("no-cache"));
    assertEquals("max-age=60, private", ReceiptResponse.withPrivate("public, max-age=60"));
    assertEquals("private, max-age=5", ReceiptResponse.withPrivate("private, max-age=5"));
  }
}
