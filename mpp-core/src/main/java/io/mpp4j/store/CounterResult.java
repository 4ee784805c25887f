package io.mpp4j.store;

/**
 * The outcome of {@link StateStore#add}.
 *
 * @param accepted whether the amount was added (the result stayed at or below the ceiling)
 * @param value the counter after the add when accepted, else its unchanged current value
 */
public record CounterResult(boolean accepted, long value) {
  /** Checks the components. */
  public CounterResult {
    if (value < 0) {
      throw new IllegalArgumentException("value must not be negative, but was " + value);
    }
  }
}
