package io.mpp4j.examples;

import io.mpp4j.test.MockPayer;

/**
 * Prints the {@code Authorization} header value that pays a {@code mock} challenge, for trying the
 * example with curl: {@code java -jar mpp-example.jar pay-mock "<WWW-Authenticate value>"}.
 */
final class PayMock {
  private PayMock() {}

  static void run(String[] args) {
    if (args.length != 1) {
      System.err.println("usage: pay-mock '<WWW-Authenticate header value>'");
      System.exit(2);
      return;
    }
    try {
      System.out.println(MockPayer.pay(args[0]));
    } catch (IllegalArgumentException e) {
      System.err.println("cannot pay: " + e.getMessage());
      System.exit(1);
    }
  }
}
