package io.mpp4j.tempo;

/** How a payer may pay a Tempo charge ({@code methodDetails.supportedModes}). */
public enum PaymentMode {
  /**
   * The payer signs a transaction and hands it to the server, which checks it before anything is
   * broadcast, (co-signs it as fee payer,) broadcasts it and checks the receipt. Credential payload
   * {@code {"type":"transaction","signature":"0x76…"}}.
   */
  PULL("pull"),
  /**
   * The payer broadcasts the transaction itself and presents its hash; the server checks the mined
   * receipt. Credential payload {@code {"type":"hash","hash":"0x…"}}. Not offered together with fee
   * sponsorship.
   */
  PUSH("push");

  private final String wire;

  PaymentMode(String wire) {
    this.wire = wire;
  }

  /** The name on the wire. */
  public String wire() {
    return wire;
  }

  /**
   * The mode with this wire name.
   *
   * @throws IllegalArgumentException for any other name
   */
  public static PaymentMode fromWire(String name) {
    for (PaymentMode m : values()) {
      if (m.wire.equals(name)) {
        return m;
      }
    }
    throw new IllegalArgumentException(
        "payment mode must be pull or push, but was \"" + name + "\"");
  }
}
