package io.mpp4j.config;

import org.jspecify.annotations.Nullable;

/**
 * A configuration error. The message names the key in the source's noun, the value and the expected
 * form, e.g. {@code invalid init-parameter maxBodyBytes="-1" (expected an integer from 0 to
 * 67108864)}; it never contains a secret.
 */
public final class ConfigurationException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** An error with the given message. */
  public ConfigurationException(String message) {
    super(message);
  }

  /** An error with the given message and cause. */
  public ConfigurationException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
