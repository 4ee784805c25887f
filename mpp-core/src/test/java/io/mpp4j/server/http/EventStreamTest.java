package io.mpp4j.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The server-sent events encoding and the sink's flush per event. */
class EventStreamTest {
  static String encode(String event, String id, String data) {
    return new String(EventStream.encode(event, id, data), StandardCharsets.UTF_8);
  }

  @Test
  void anEventIsItsFieldsThenABlankLine() {
    assertEquals("data: hello\n\n", encode(null, null, "hello"));
    assertEquals(
        "event: payment-required\nid: 7\ndata: {\"a\":1}\n\n",
        encode("payment-required", "7", "{\"a\":1}"));
    assertEquals("data: \n\n", encode(null, null, ""));
  }

  @Test
  void everyLineOfTheDataIsItsOwnField() {
    assertEquals("data: a\ndata: b\ndata: c\ndata: \n\n", encode(null, null, "a\nb\r\nc\r"));
  }

  @Test
  void aLineBreakInTheTypeOrIdCannotInjectFields() {
    assertThrows(IllegalArgumentException.class, () -> encode("x\ndata: forged", null, "d"));
    assertThrows(IllegalArgumentException.class, () -> encode(null, "1\r", "d"));
    assertThrows(IllegalArgumentException.class, () -> encode(null, "1\0", "d"));
  }

  @Test
  void theSinkSetsTheContentTypeAndFlushesEachEvent() throws IOException {
    TestExchange.TestResponse response = new TestExchange.TestResponse();
    EventSink sink = response.openEventStream();
    assertEquals("text/event-stream;charset=utf-8", response.header("Content-Type"));
    assertEquals("no-cache", response.header("Cache-Control"));
    sink.send("one");
    assertEquals(1, response.flushes);
    assertEquals("data: one\n\n", response.text());
    sink.send("tick", null, "two");
    assertEquals(2, response.flushes);
    assertTrue(response.text().endsWith("event: tick\ndata: two\n\n"));
    sink.close();
    assertThrows(IOException.class, () -> sink.send("after close"));
  }

  @Test
  void aCommentIsOneFlushedLineThatClientsIgnore() throws IOException {
    TestExchange.TestResponse response = new TestExchange.TestResponse();
    EventSink sink = response.openEventStream();
    sink.comment("");
    sink.comment("keep-alive");
    assertEquals(":\n\n: keep-alive\n\n", response.text());
    assertEquals(2, response.flushes);
    assertThrows(IllegalArgumentException.class, () -> sink.comment("a\ndata: forged"));
    assertEquals(":\n\n: keep-alive\n\n", response.text());
  }

  @Test
  void aCommittedResponseCannotBecomeAnEventStream() {
    TestExchange.TestResponse response = new TestExchange.TestResponse();
    response.commit();
    assertThrows(IllegalStateException.class, response::openEventStream);
  }
}
