package io.mpp4j.stripe.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The {@code mpp_sdk} metadata value, {@code mpp4j/<version>}. */
public final class SdkVersion {
  private static final String VALUE = load();

  private SdkVersion() {}

  /** {@code mpp4j/<version>}, or {@code mpp4j/dev} when the build did not record a version. */
  public static String value() {
    return VALUE;
  }

  private static String load() {
    Properties p = new Properties();
    try (InputStream in = SdkVersion.class.getResourceAsStream("mpp4j-stripe.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // fall through to the default
    }
    String version = p.getProperty("version", "");
    return "mpp4j/" + (version.matches("[0-9A-Za-z.+-]{1,40}") ? version : "dev");
  }
}
