package io.mpp4j.tempo.internal;

import io.mpp4j.core.MalformedMessageException;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A strict RLP codec. The decoder accepts only the canonical encoding: single bytes below 0x80 are
 * not wrapped, long-form lengths are used only for 56 bytes or more and have no leading zero, and
 * every length stays inside its parent. Integers are read separately by {@link #toBigInteger} and
 * {@link #toLong}, which reject leading zero bytes. Messages never quote the input.
 */
public final class Rlp {
  /** The deepest list nesting the decoder accepts. */
  public static final int MAX_DEPTH = 16;

  private Rlp() {}

  /** A decoded item; {@code offset} and {@code end} delimit its full encoding in the source. */
  public sealed interface Item permits Str, Lst {
    /** Start of the item's encoding (its prefix) in the source array. */
    int offset();

    /** End (exclusive) of the item's encoding in the source array. */
    int end();
  }

  /** A byte string. */
  // A decoder's view of its input, never compared as a whole.
  @SuppressWarnings("ArrayRecordComponent")
  public record Str(byte[] value, int offset, int end) implements Item {}

  /** A list. */
  public record Lst(List<Item> items, int offset, int end) implements Item {}

  /**
   * Decodes exactly one item starting at {@code offset}; the caller checks what follows it.
   *
   * @param what names the field in error messages
   */
  public static Item decode(byte[] in, int offset, int limit, String what)
      throws MalformedMessageException {
    return decode(in, offset, limit, what, 0);
  }

  private static Item decode(byte[] in, int pos, int limit, String what, int depth)
      throws MalformedMessageException {
    if (pos >= limit) {
      throw new MalformedMessageException(what + ": RLP item is truncated");
    }
    int b0 = in[pos] & 0xff;
    if (b0 < 0x80) {
      return new Str(new byte[] {(byte) b0}, pos, pos + 1);
    }
    boolean list = b0 >= 0xc0;
    int base = list ? 0xc0 : 0x80;
    int shortLen = b0 - base;
    int headerLen;
    long len;
    if (shortLen <= 55) {
      headerLen = 1;
      len = shortLen;
    } else {
      int lenOfLen = shortLen - 55;
      if (pos + 1 + lenOfLen > limit) {
        throw new MalformedMessageException(what + ": RLP length is truncated");
      }
      if (in[pos + 1] == 0) {
        throw new MalformedMessageException(what + ": RLP length has a leading zero byte");
      }
      if (lenOfLen > 4) {
        throw new MalformedMessageException(what + ": RLP length is too large");
      }
      len = 0;
      for (int i = 0; i < lenOfLen; i++) {
        len = (len << 8) | (in[pos + 1 + i] & 0xff);
      }
      if (len < 56) {
        throw new MalformedMessageException(what + ": RLP uses a long length for a short item");
      }
      headerLen = 1 + lenOfLen;
    }
    long end = (long) pos + headerLen + len;
    if (end > limit) {
      throw new MalformedMessageException(what + ": RLP length exceeds the input");
    }
    int start = pos + headerLen;
    if (!list) {
      if (len == 1 && (in[start] & 0xff) < 0x80) {
        throw new MalformedMessageException(what + ": RLP single byte is not canonical");
      }
      return new Str(Arrays.copyOfRange(in, start, (int) end), pos, (int) end);
    }
    if (depth >= MAX_DEPTH) {
      throw new MalformedMessageException(what + ": RLP lists are nested too deeply");
    }
    List<Item> items = new ArrayList<>();
    int p = start;
    while (p < end) {
      Item item = decode(in, p, (int) end, what, depth + 1);
      items.add(item);
      p = item.end();
    }
    return new Lst(List.copyOf(items), pos, (int) end);
  }

  /** Reads a minimal big-endian unsigned integer of at most {@code maxBytes} bytes. */
  public static BigInteger toBigInteger(Item item, int maxBytes, String what)
      throws MalformedMessageException {
    byte[] v = bytes(item, what);
    if (v.length > maxBytes) {
      throw new MalformedMessageException(what + " is longer than " + maxBytes + " bytes");
    }
    if (v.length > 0 && v[0] == 0) {
      throw new MalformedMessageException(what + " is not a minimal integer (leading zero)");
    }
    return new BigInteger(1, v);
  }

  /** Reads a minimal big-endian unsigned integer that fits in a non-negative {@code long}. */
  public static long toLong(Item item, String what) throws MalformedMessageException {
    BigInteger v = toBigInteger(item, 8, what);
    if (v.bitLength() > 63) {
      throw new MalformedMessageException(what + " is out of range");
    }
    return v.longValueExact();
  }

  /** Returns the string's bytes, or fails if the item is a list. */
  public static byte[] bytes(Item item, String what) throws MalformedMessageException {
    if (item instanceof Str s) {
      return s.value();
    }
    throw new MalformedMessageException(what + " must be a byte string, not a list");
  }

  /** Returns the list's items, or fails if the item is a string. */
  public static List<Item> list(Item item, String what) throws MalformedMessageException {
    if (item instanceof Lst l) {
      return l.items();
    }
    throw new MalformedMessageException(what + " must be a list");
  }

  // ---- encoding ----

  /** Encodes a byte string. */
  public static byte[] encodeBytes(byte[] value) {
    if (value.length == 1 && (value[0] & 0xff) < 0x80) {
      return new byte[] {value[0]};
    }
    return withHeader(0x80, value);
  }

  /** Encodes a non-negative integer minimally (zero is the empty string). */
  public static byte[] encodeInt(BigInteger value) {
    if (value.signum() < 0) {
      throw new IllegalArgumentException("RLP integers must be non-negative, but was " + value);
    }
    return encodeBytes(unsignedMinimal(value));
  }

  /** Encodes a non-negative integer minimally. */
  public static byte[] encodeLong(long value) {
    return encodeInt(BigInteger.valueOf(value));
  }

  /** Encodes a list from already-encoded items. */
  public static byte[] encodeList(List<byte[]> encodedItems) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (byte[] item : encodedItems) {
      body.writeBytes(item);
    }
    return withHeader(0xc0, body.toByteArray());
  }

  /** The minimal unsigned big-endian bytes of {@code value} (empty for zero). */
  public static byte[] unsignedMinimal(BigInteger value) {
    if (value.signum() == 0) {
      return new byte[0];
    }
    byte[] b = value.toByteArray();
    return b[0] == 0 ? Arrays.copyOfRange(b, 1, b.length) : b;
  }

  private static byte[] withHeader(int base, byte[] body) {
    int len = body.length;
    byte[] out;
    if (len <= 55) {
      out = new byte[1 + len];
      out[0] = (byte) (base + len);
      System.arraycopy(body, 0, out, 1, len);
    } else {
      byte[] lenBytes = unsignedMinimal(BigInteger.valueOf(len));
      out = new byte[1 + lenBytes.length + len];
      out[0] = (byte) (base + 55 + lenBytes.length);
      System.arraycopy(lenBytes, 0, out, 1, lenBytes.length);
      System.arraycopy(body, 0, out, 1 + lenBytes.length, len);
    }
    return out;
  }
}
