package io.mpp4j.tempo.internal;

import io.mpp4j.core.MalformedMessageException;
import io.mpp4j.tempo.Address;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Strict decoder for {@code 0x76} Tempo transactions and {@code 0x78} handoff envelopes. It depends
 * on {@link TempoTransaction}; the transaction does not depend on it.
 */
public final class TempoCodec {
  private static final byte[] LEGACY_MARKER = {
    (byte) 0xfe, (byte) 0xef, (byte) 0xee, (byte) 0xfe, (byte) 0xef, (byte) 0xee
  };
  private static final int LEGACY_TRAILER_LENGTH = Address.LENGTH + LEGACY_MARKER.length;

  private TempoCodec() {}

  /**
   * Decodes {@code 0x76 || rlp([...])} or {@code 0x78 || rlp([...])}. The legacy trailer {@code
   * sender(20) || feefeefeefee} is accepted only after a complete transaction whose field 11 is the
   * legacy {@code 0x00} marker; any other trailing byte is refused.
   *
   * @throws MalformedMessageException if the bytes are not a well-formed signed Tempo transaction;
   *     the message names the field but never quotes the input
   */
  public static TempoTransaction parse(byte[] encoded) throws MalformedMessageException {
    Objects.requireNonNull(encoded, "encoded == null");
    return decode(encoded).build(encoded);
  }

  /**
   * Decodes the {@code 0x}-prefixed hex form (as carried in a credential's {@code signature}).
   *
   * @throws MalformedMessageException if the text is not hex or not a Tempo transaction
   */
  public static TempoTransaction parse(String hex) throws MalformedMessageException {
    Objects.requireNonNull(hex, "hex == null");
    return parse(Hex.decode(hex, TempoTransaction.MAX_ENCODED_LENGTH, "transaction"));
  }

  /** Decodes into a builder holding every field. */
  public static TempoTransaction.Builder decode(byte[] in) throws MalformedMessageException {
    if (in.length == 0) {
      throw new MalformedMessageException("transaction is empty");
    }
    if (in.length > TempoTransaction.MAX_ENCODED_LENGTH) {
      throw new MalformedMessageException(
          "transaction is longer than " + TempoTransaction.MAX_ENCODED_LENGTH + " bytes");
    }
    int type = in[0] & 0xff;
    if (type != TempoTransaction.TYPE_TEMPO && type != TempoTransaction.TYPE_FEE_PAYER) {
      throw new MalformedMessageException("transaction type must be 0x76 or 0x78");
    }
    Rlp.Item top = Rlp.decode(in, 1, in.length, "transaction");
    List<Rlp.Item> f = Rlp.list(top, "transaction");
    if (f.size() != 14 && f.size() != 15) {
      throw new MalformedMessageException("transaction must have 14 or 15 fields");
    }
    TempoTransaction.Builder b = TempoTransaction.builder();
    b.chainId(Rlp.toLong(f.get(0), "chainId"));
    b.maxPriorityFeePerGas(Rlp.toBigInteger(f.get(1), 32, "maxPriorityFeePerGas"));
    b.maxFeePerGas(Rlp.toBigInteger(f.get(2), 32, "maxFeePerGas"));
    b.gas(Rlp.toLong(f.get(3), "gas"));
    b.calls(calls(f.get(4)));
    b.accessList(accessList(f.get(5)));
    b.nonceKey(Rlp.toBigInteger(f.get(6), 32, "nonceKey"));
    b.nonce(Rlp.toLong(f.get(7), "nonce"));
    b.validBefore(Rlp.toLong(f.get(8), "validBefore"));
    b.validAfter(Rlp.toLong(f.get(9), "validAfter"));
    byte[] feeToken = Rlp.bytes(f.get(10), "feeToken");
    if (feeToken.length != 0 && feeToken.length != Address.LENGTH) {
      throw new MalformedMessageException("feeToken must be empty or 20 bytes");
    }
    b.feeToken(feeToken.length == 0 ? null : Address.of(feeToken));
    FeePayerField feePayer = feePayerField(f.get(11));
    if (type == TempoTransaction.TYPE_FEE_PAYER) {
      if (!(feePayer instanceof FeePayerField.Sender)) {
        throw new MalformedMessageException("0x78 envelope field 11 must be the 20-byte sender");
      }
    } else if (feePayer instanceof FeePayerField.Sender) {
      throw new MalformedMessageException(
          "field 11 holds a sender address outside a 0x78 envelope");
    }
    b.feePayer(feePayer);
    Rlp.Item auth = f.get(12);
    if (!(auth instanceof Rlp.Lst)) {
      throw new MalformedMessageException("authorizationList must be a list");
    }
    b.authorizationListRlp(Arrays.copyOfRange(in, auth.offset(), auth.end()));
    Rlp.Item sigItem;
    if (f.size() == 15) {
      Rlp.Item keyAuth = f.get(13);
      if (!(keyAuth instanceof Rlp.Lst)) {
        throw new MalformedMessageException("keyAuthorization (field 13 of 15) must be a list");
      }
      b.keyAuthorizationRlp(Arrays.copyOfRange(in, keyAuth.offset(), keyAuth.end()));
      sigItem = f.get(14);
    } else {
      sigItem = f.get(13);
    }
    b.senderSignature(SenderSignature.parse(Rlp.bytes(sigItem, "sender signature")));

    int trailing = in.length - top.end();
    if (trailing != 0) {
      if (type == TempoTransaction.TYPE_TEMPO
          && feePayer instanceof FeePayerField.AwaitingLegacy
          && trailing == LEGACY_TRAILER_LENGTH
          && Arrays.equals(
              in,
              in.length - LEGACY_MARKER.length,
              in.length,
              LEGACY_MARKER,
              0,
              LEGACY_MARKER.length)) {
        b.legacyTrailerSender(Address.of(Arrays.copyOfRange(in, top.end(), top.end() + 20)));
      } else {
        throw new MalformedMessageException("transaction has trailing bytes after the RLP");
      }
    }
    return b;
  }

  private static FeePayerField feePayerField(Rlp.Item item) throws MalformedMessageException {
    if (item instanceof Rlp.Str s) {
      byte[] v = s.value();
      if (v.length == 0) {
        return FeePayerField.NONE;
      }
      if (v.length == 1 && v[0] == 0) {
        return FeePayerField.AWAITING_LEGACY;
      }
      if (v.length == Address.LENGTH) {
        return new FeePayerField.Sender(Address.of(v));
      }
      throw new MalformedMessageException("field 11 (fee payer) has an unknown form");
    }
    List<Rlp.Item> sig = Rlp.list(item, "fee payer signature");
    if (sig.size() != 3) {
      throw new MalformedMessageException("fee payer signature must have 3 items");
    }
    BigInteger y = Rlp.toBigInteger(sig.get(0), 1, "fee payer yParity");
    if (y.compareTo(BigInteger.ONE) > 0) {
      throw new MalformedMessageException("fee payer yParity must be 0 or 1");
    }
    return new FeePayerField.Signed(
        Secp256k1Signature.of(
            Rlp.toBigInteger(sig.get(1), 32, "fee payer r"),
            Rlp.toBigInteger(sig.get(2), 32, "fee payer s"),
            y.intValue()));
  }

  private static List<TempoCall> calls(Rlp.Item item) throws MalformedMessageException {
    List<Rlp.Item> list = Rlp.list(item, "calls");
    if (list.isEmpty()) {
      throw new MalformedMessageException("calls must not be empty");
    }
    List<TempoCall> out = new ArrayList<>(list.size());
    for (Rlp.Item c : list) {
      List<Rlp.Item> parts = Rlp.list(c, "call");
      if (parts.size() != 3) {
        throw new MalformedMessageException("call must have 3 items [to, value, data]");
      }
      byte[] to = Rlp.bytes(parts.get(0), "call to");
      if (to.length != 0 && to.length != Address.LENGTH) {
        throw new MalformedMessageException("call to must be empty or 20 bytes");
      }
      @Nullable Address toAddr = to.length == 0 ? null : Address.of(to);
      out.add(
          new TempoCall(
              toAddr,
              Rlp.toBigInteger(parts.get(1), 32, "call value"),
              Rlp.bytes(parts.get(2), "call data")));
    }
    return out;
  }

  private static List<AccessListEntry> accessList(Rlp.Item item) throws MalformedMessageException {
    List<Rlp.Item> list = Rlp.list(item, "accessList");
    List<AccessListEntry> out = new ArrayList<>(list.size());
    for (Rlp.Item e : list) {
      List<Rlp.Item> parts = Rlp.list(e, "accessList entry");
      if (parts.size() != 2) {
        throw new MalformedMessageException("accessList entry must have 2 items");
      }
      byte[] addr = Rlp.bytes(parts.get(0), "accessList address");
      if (addr.length != Address.LENGTH) {
        throw new MalformedMessageException("accessList address must be 20 bytes");
      }
      List<byte[]> keys = new ArrayList<>();
      for (Rlp.Item k : Rlp.list(parts.get(1), "accessList storage keys")) {
        byte[] key = Rlp.bytes(k, "accessList storage key");
        if (key.length != 32) {
          throw new MalformedMessageException("accessList storage key must be 32 bytes");
        }
        keys.add(key);
      }
      out.add(new AccessListEntry(Address.of(addr), keys));
    }
    return out;
  }
}
