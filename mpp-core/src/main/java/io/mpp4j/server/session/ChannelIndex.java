package io.mpp4j.server.session;

import io.mpp4j.store.StateStore;
import io.mpp4j.store.VersionedValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The ids of the channels open on this server, in the {@link StateStore} shared by every instance,
 * so the {@link SessionSettler} of any instance finds every channel, also after a restart: pages
 * keyed {@value #KEY_PREFIX}{@code <n>} ({@code n} = 0, 1, 2, ...), each a record of up to {@value
 * #PAGE_SIZE} entries, one per line after the line {@value #FORMAT}: the channel id, a space, and
 * the name of the payment method that opened it. Pages are filled from the first; a page whose ids
 * were all removed stays (empty) so a scan goes on past it; the scan stops at the first absent
 * page. Changes are compare-and-set, so concurrent adds and removals of several instances lose
 * nothing.
 *
 * <p>Thread-safe; holds nothing but its configuration.
 */
public final class ChannelIndex {
  /** The prefix of every index page's key. */
  public static final String KEY_PREFIX = "mpp:session:index:";

  /** The most channel ids one page holds (a page stays below the store's value limit). */
  public static final int PAGE_SIZE = 100;

  /** The most pages (so at most {@code MAX_PAGES × PAGE_SIZE} open channels are tracked). */
  public static final int MAX_PAGES = 10_000;

  static final String FORMAT = "mpp4j-session-index/1";

  private static final int MAX_ATTEMPTS = 100;
  private static final int ID_LENGTH = 66; // 0x and 64 hex digits
  private static final int MAX_METHOD_LENGTH = 32;

  private final StateStore store;
  private final Duration ttl;

  /** An index whose pages live {@link SessionLedger#DEFAULT_TTL} after their last change. */
  public ChannelIndex(StateStore store) {
    this(store, SessionLedger.DEFAULT_TTL);
  }

  /**
   * An index.
   *
   * @param store the store shared by every server instance
   * @param ttl the TTL of each write, at least the ledger's
   */
  public ChannelIndex(StateStore store, Duration ttl) {
    this.store = Objects.requireNonNull(store, "store == null");
    this.ttl = Objects.requireNonNull(ttl, "ttl == null");
  }

  /**
   * One indexed channel.
   *
   * @param channelId the channel id, lowercase
   * @param method the name of the payment method that opened it
   */
  public record Entry(String channelId, String method) {}

  /**
   * Adds a channel id (idempotent: an id already present is not added again).
   *
   * @param method the name of the payment method that serves the channel
   * @throws IllegalStateException when every page is full
   * @throws io.mpp4j.store.StoreUnavailableException when the store cannot answer
   */
  public void add(String channelId, String method) {
    String id = SessionLedger.key(channelId).substring(SessionLedger.KEY_PREFIX.length());
    if (!isMethodName(method, 0)) {
      throw new IllegalArgumentException("method must be 1 to 32 lower-case letters");
    }
    int firstWithRoom = -1;
    int page = 0;
    for (; page < MAX_PAGES; page++) {
      VersionedValue v = store.read(KEY_PREFIX + page);
      if (v == null) {
        break;
      }
      Map<String, String> ids = parse(v.value());
      if (ids.containsKey(id)) {
        return;
      }
      if (firstWithRoom < 0 && ids.size() < PAGE_SIZE) {
        firstWithRoom = page;
      }
    }
    int target = firstWithRoom >= 0 ? firstWithRoom : page;
    for (int attempt = 0; attempt < MAX_ATTEMPTS && target < MAX_PAGES; attempt++) {
      String key = KEY_PREFIX + target;
      VersionedValue v = store.read(key);
      if (v == null) {
        if (store.create(key, format(Map.of(id, method)), ttl) != null) {
          return;
        }
        continue;
      }
      Map<String, String> ids = parse(v.value());
      if (ids.containsKey(id)) {
        return;
      }
      if (ids.size() >= PAGE_SIZE) {
        target++;
        continue;
      }
      ids.put(id, method);
      if (store.compareAndSet(key, v.version(), format(ids), ttl) != null) {
        return;
      }
    }
    throw new IllegalStateException("the channel index is full or contended");
  }

  /**
   * Removes a channel id (a closed channel); nothing happens when it is absent.
   *
   * @throws io.mpp4j.store.StoreUnavailableException when the store cannot answer
   */
  public void remove(String channelId) {
    String id = SessionLedger.key(channelId).substring(SessionLedger.KEY_PREFIX.length());
    for (int page = 0; page < MAX_PAGES; page++) {
      String key = KEY_PREFIX + page;
      for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        VersionedValue v = store.read(key);
        if (v == null) {
          return;
        }
        Map<String, String> ids = parse(v.value());
        if (ids.remove(id) == null) {
          break;
        }
        if (store.compareAndSet(key, v.version(), format(ids), ttl) != null) {
          return;
        }
      }
    }
  }

  /**
   * Every channel id in the index, page by page.
   *
   * @throws io.mpp4j.store.StoreUnavailableException when the store cannot answer
   */
  public List<Entry> all() {
    List<Entry> out = new ArrayList<>();
    for (int page = 0; page < MAX_PAGES; page++) {
      VersionedValue v = store.read(KEY_PREFIX + page);
      if (v == null) {
        break;
      }
      parse(v.value()).forEach((id, method) -> out.add(new Entry(id, method)));
    }
    return out;
  }

  private static Map<String, String> parse(String value) {
    Objects.requireNonNull(value, "value == null");
    List<String> lines = Arrays.asList(value.split("\n", -1));
    if (!FORMAT.equals(lines.get(0))) {
      throw new MalformedChannelStateException("unknown channel index format");
    }
    Map<String, String> ids = new LinkedHashMap<>();
    for (String line : lines.subList(1, lines.size())) {
      if (!isEntry(line)) {
        throw new MalformedChannelStateException("channel index holds a malformed entry");
      }
      ids.put(line.substring(0, 66), line.substring(67));
    }
    return ids;
  }

  /**
   * Whether {@code line} is a lowercase channel id, a space and a method name. Loops rather than a
   * regular expression: every open reads every page.
   */
  private static boolean isEntry(String line) {
    return line.length() > ID_LENGTH + 1
        && line.charAt(ID_LENGTH) == ' '
        && ChannelState.isHex(line.substring(0, ID_LENGTH), ID_LENGTH - 2, false)
        && isMethodName(line, ID_LENGTH + 1);
  }

  /** Whether {@code value} from {@code start} on is 1 to 32 lowercase ASCII letters. */
  private static boolean isMethodName(String value, int start) {
    int length = value.length() - start;
    if (length < 1 || length > MAX_METHOD_LENGTH) {
      return false;
    }
    for (int i = start; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 'a' || c > 'z') {
        return false;
      }
    }
    return true;
  }

  private static String format(Map<String, String> ids) {
    StringBuilder out = new StringBuilder(FORMAT);
    ids.forEach((id, method) -> out.append('\n').append(id).append(' ').append(method));
    return out.toString();
  }
}
