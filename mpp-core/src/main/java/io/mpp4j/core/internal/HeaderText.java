package io.mpp4j.core.internal;

/** Configuration text that travels in a header parameter. */
public final class HeaderText {
  private HeaderText() {}

  /**
   * Checks that a configured value is printable ISO-8859-1 text.
   *
   * @param field the setting's name, for the message
   * @param value the value
   * @throws IllegalArgumentException naming the field and the first bad character
   */
  public static void check(String field, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == 0x7F || c > 0xFF) {
        throw new IllegalArgumentException(
            field
                + " must be printable ISO-8859-1 text (it travels in a header), but has U+"
                + String.format("%04X", (int) c)
                + " at index "
                + i);
      }
    }
  }
}
