package io.mpp4j.tempo.internal;

import io.mpp4j.tempo.Address;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One access-list entry: an address and its 32-byte storage keys.
 *
 * <p>Immutable and thread-safe.
 *
 * @param address the account
 * @param storageKeys the storage slots, each 32 bytes (copied)
 */
public record AccessListEntry(Address address, List<byte[]> storageKeys) {

  /** Validates and copies. */
  public AccessListEntry {
    Objects.requireNonNull(address, "address == null");
    Objects.requireNonNull(storageKeys, "storageKeys == null");
    List<byte[]> copy = new ArrayList<>(storageKeys.size());
    for (byte[] k : storageKeys) {
      Objects.requireNonNull(k, "storage key == null");
      if (k.length != 32) {
        throw new IllegalArgumentException("storage key must be 32 bytes, but was " + k.length);
      }
      copy.add(k.clone());
    }
    storageKeys = Collections.unmodifiableList(copy);
  }

  /** Copies of the storage keys. */
  @Override
  public List<byte[]> storageKeys() {
    List<byte[]> out = new ArrayList<>(storageKeys.size());
    for (byte[] k : storageKeys) {
      out.add(k.clone());
    }
    return Collections.unmodifiableList(out);
  }
}
