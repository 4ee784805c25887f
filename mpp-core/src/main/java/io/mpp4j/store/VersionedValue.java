package io.mpp4j.store;

import java.util.Objects;

/**
 * A record's value and its version in a {@link StateStore}.
 *
 * @param value the value
 * @param version the version, positive; pass it to {@link StateStore#compareAndSet} or {@link
 *     StateStore#delete}
 */
public record VersionedValue(String value, long version) {
  /** Checks the components. */
  public VersionedValue {
    Objects.requireNonNull(value, "value == null");
    if (version <= 0) {
      throw new IllegalArgumentException("version must be positive, but was " + version);
    }
  }
}
