package io.mpp4j.tempo.internal;

import io.mpp4j.core.MalformedMessageException;
import io.mpp4j.tempo.Address;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A Tempo transaction: type {@code 0x76}, or the {@code 0x78} fee-payer handoff envelope that a
 * client sends when the server sponsors fees.
 *
 * <p>Immutable and thread-safe. The decoder ({@code TempoCodec.parse}, which depends on this class
 * and not the other way round) is strict: it refuses trailing bytes, non-canonical RLP, non-minimal
 * integers, wrong field counts and inputs over {@link #MAX_ENCODED_LENGTH}. {@link #encode()} is
 * the canonical re-encoding (secp256k1 {@code v = 27/28}, no trailer), and {@link #hash()} is
 * keccak256 of it. Equality is equality of the canonical encoding.
 *
 * <pre>{@code
 * TempoTransaction tx = TempoCodec.parse(signatureHex); // "0x76…" or "0x78…"
 * Address sender = tx.recoverSender().orElseThrow();
 * TempoTransaction fin = tx.coSign(feePayerKey, pathUsd);
 * byte[] broadcast = fin.encode();
 * }</pre>
 */
public final class TempoTransaction {
  /** Type byte of a Tempo transaction and of the sender signing domain. */
  public static final int TYPE_TEMPO = 0x76;

  /** Type byte of the fee-payer handoff envelope and of the fee-payer signing domain. */
  public static final int TYPE_FEE_PAYER = 0x78;

  /** The largest encoded transaction the decoder accepts: 128 KiB. */
  public static final int MAX_ENCODED_LENGTH = 128 * 1024;

  /** The expiring nonce key, {@code 2^256 - 1}. */
  public static final BigInteger EXPIRING_NONCE_KEY =
      BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);

  private static final byte[] EMPTY_LIST = {(byte) 0xc0};

  private final long chainId;
  private final BigInteger maxPriorityFeePerGas;
  private final BigInteger maxFeePerGas;
  private final long gas;
  private final List<TempoCall> calls;
  private final List<AccessListEntry> accessList;
  private final BigInteger nonceKey;
  private final long nonce;
  private final long validBefore;
  private final long validAfter;
  private final @Nullable Address feeToken;
  private final FeePayerField feePayer;
  private final byte[] authorizationListRlp;
  private final byte @Nullable [] keyAuthorizationRlp;
  private final @Nullable SenderSignature senderSignature;
  private final @Nullable Address legacyTrailerSender;
  private final byte @Nullable [] received;

  private TempoTransaction(Builder b, byte @Nullable [] received) {
    this.chainId = b.chainId;
    this.maxPriorityFeePerGas = b.maxPriorityFeePerGas;
    this.maxFeePerGas = b.maxFeePerGas;
    this.gas = b.gas;
    this.calls = List.copyOf(b.calls);
    this.accessList = List.copyOf(b.accessList);
    this.nonceKey = b.nonceKey;
    this.nonce = b.nonce;
    this.validBefore = b.validBefore;
    this.validAfter = b.validAfter;
    this.feeToken = b.feeToken;
    this.feePayer = b.feePayer;
    this.authorizationListRlp = b.authorizationListRlp.clone();
    this.keyAuthorizationRlp = b.keyAuthorizationRlp == null ? null : b.keyAuthorizationRlp.clone();
    this.senderSignature = b.senderSignature;
    this.legacyTrailerSender = b.legacyTrailerSender;
    this.received = received == null ? null : received.clone();
  }

  /** Begins a builder; the defaults are zero, no calls, no fee payer, no signature. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this transaction's fields. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  // ---- accessors ----

  /** The envelope type: {@link #TYPE_FEE_PAYER} for a handoff, otherwise {@link #TYPE_TEMPO}. */
  public int type() {
    return feePayer instanceof FeePayerField.Sender ? TYPE_FEE_PAYER : TYPE_TEMPO;
  }

  /** Field 0. Compare it with the challenge's chain id. */
  public long chainId() {
    return chainId;
  }

  /** Field 1. */
  public BigInteger maxPriorityFeePerGas() {
    return maxPriorityFeePerGas;
  }

  /** Field 2. */
  public BigInteger maxFeePerGas() {
    return maxFeePerGas;
  }

  /** Field 3. */
  public long gas() {
    return gas;
  }

  /** Field 4. */
  public List<TempoCall> calls() {
    return calls;
  }

  /** Field 5. */
  public List<AccessListEntry> accessList() {
    return accessList;
  }

  /** Field 6. */
  public BigInteger nonceKey() {
    return nonceKey;
  }

  /** Field 7. */
  public long nonce() {
    return nonce;
  }

  /** Field 8, in Unix seconds; 0 when absent. */
  public long validBefore() {
    return validBefore;
  }

  /** Field 9, in Unix seconds; 0 when absent. */
  public long validAfter() {
    return validAfter;
  }

  /** Field 10, or {@code null} when empty. */
  public @Nullable Address feeToken() {
    return feeToken;
  }

  /** Field 11. */
  public FeePayerField feePayer() {
    return feePayer;
  }

  /** True if field 11 is anything but {@code 0x80}, that is, a fee payer is involved. */
  public boolean hasFeePayer() {
    return !(feePayer instanceof FeePayerField.None);
  }

  /** Field 12 as its raw RLP encoding (normally {@code 0xc0}, the empty list). */
  public byte[] authorizationListRlp() {
    return authorizationListRlp.clone();
  }

  /** Field 13 when present, as its raw RLP encoding (a list); {@code null} when absent. */
  public byte @Nullable [] keyAuthorizationRlp() {
    return keyAuthorizationRlp == null ? null : keyAuthorizationRlp.clone();
  }

  /** The sender signature envelope, or {@code null} for an unsigned transaction. */
  public @Nullable SenderSignature senderSignature() {
    return senderSignature;
  }

  /** The sender address found in a legacy {@code …feefeefeefee} trailer, or {@code null}. */
  public @Nullable Address legacyTrailerSender() {
    return legacyTrailerSender;
  }

  /** A copy of the exact bytes the decoder was given, or {@code null} if built. */
  public byte @Nullable [] receivedBytes() {
    return received == null ? null : received.clone();
  }

  // ---- hashes and encodings ----

  /**
   * The sender signing hash. With a fee payer (field 11 non-empty) the preimage is {@code 0x76 ||
   * rlp([f0..f9, 0x80, 0x00, authList, keyAuth?])}; without one it is {@code 0x76 || rlp([f0..f9,
   * feeToken, 0x80, authList, keyAuth?])}.
   */
  public byte[] senderSigningHash() {
    return Keccak.hash(senderSigningPreimage());
  }

  /**
   * The un-hashed preimage of {@link #senderSigningHash()}: {@code 0x76 || rlp(...)}, without the
   * fee-payer signature. A v2 session channel's {@code expiringNonceHash} is keccak256 of this
   * followed by the sender's address (SPEC 4.3).
   */
  public byte[] senderSigningPreimage() {
    byte[] f10;
    byte[] f11;
    if (hasFeePayer()) {
      f10 = Rlp.encodeBytes(new byte[0]);
      f11 = new byte[] {0x00};
    } else {
      f10 = encodeFeeToken();
      f11 = Rlp.encodeBytes(new byte[0]);
    }
    return envelope(TYPE_TEMPO, fields(f10, f11, false));
  }

  /**
   * The fee-payer signing hash: keccak256 of {@code 0x78 || rlp([f0..f9, feeToken, sender,
   * authList, keyAuth?])}.
   *
   * @param sender the verified sender address
   * @throws IllegalStateException if no fee token is set (a sponsor must always set one)
   */
  public byte[] feePayerSigningHash(Address sender) {
    Objects.requireNonNull(sender, "sender == null");
    if (feeToken == null) {
      throw new IllegalStateException("feeToken must be set before computing the fee-payer hash");
    }
    byte[] f11 = Rlp.encodeBytes(sender.toBytes());
    return Keccak.hash(envelope(TYPE_FEE_PAYER, fields(encodeFeeToken(), f11, false)));
  }

  /**
   * The canonical encoding: the type byte, then the RLP list with secp256k1 {@code v = 27/28} and
   * no trailer. For a co-signed transaction this is the broadcast form.
   *
   * @throws IllegalStateException if the transaction has no sender signature
   */
  public byte[] encode() {
    if (senderSignature == null) {
      throw new IllegalStateException("transaction has no sender signature");
    }
    return envelope(type(), fields(encodeFeeToken(), encodeField11(), true));
  }

  /** keccak256 of {@link #encode()}: the transaction hash a node reports for it. */
  public byte[] hash() {
    return Keccak.hash(encode());
  }

  /** {@link #hash()} as {@code 0x}-prefixed hex. */
  public String hashHex() {
    return Hex.encode(hash());
  }

  // ---- sender and fee payer ----

  /**
   * Recovers the sender from a secp256k1 sender signature over {@link #senderSigningHash()} and
   * checks it against any sender the transaction claims (field 11 of a handoff, or a legacy
   * trailer).
   *
   * @return the sender, or empty if the signature is of a kind that cannot be recovered off-chain
   *     (P-256, WebAuthn, keychain)
   * @throws MalformedMessageException if the transaction is unsigned, the signature recovers no
   *     key, or the recovered sender differs from the claimed one
   */
  public Optional<Address> recoverSender() throws MalformedMessageException {
    if (senderSignature == null) {
      throw new MalformedMessageException("transaction has no sender signature");
    }
    Secp256k1Signature sig = senderSignature.secp256k1();
    if (sig == null) {
      return Optional.empty();
    }
    Optional<Address> recovered = sig.recoverAddress(senderSigningHash());
    if (recovered.isEmpty()) {
      throw new MalformedMessageException("sender signature does not recover a public key");
    }
    Address sender = recovered.get();
    if (feePayer instanceof FeePayerField.Sender claimed && !claimed.sender().equals(sender)) {
      throw new MalformedMessageException("fee-payer envelope sender does not match the signer");
    }
    if (legacyTrailerSender != null && !legacyTrailerSender.equals(sender)) {
      throw new MalformedMessageException("legacy trailer sender does not match the signer");
    }
    return recovered;
  }

  /**
   * Returns this transaction with {@code feeToken} set; the sender signature stays valid only when
   * a fee payer is involved (the sender preimage then omits the fee token).
   */
  public TempoTransaction withFeeToken(@Nullable Address token) {
    return toBuilder().feeToken(token).build();
  }

  /** Returns this transaction with the given sender signature. */
  public TempoTransaction withSenderSignature(SenderSignature signature) {
    return toBuilder().senderSignature(signature).build();
  }

  /**
   * Co-signs as fee payer: sets {@code feeToken}, signs {@link #feePayerSigningHash(Address)} for
   * the recovered sender and returns the {@code 0x76} broadcast form with {@code [yParity, r, s]}
   * in field 11.
   *
   * @throws MalformedMessageException if the transaction does not await a fee payer or its sender
   *     cannot be established
   */
  public TempoTransaction coSign(SigningKey feePayerKey, Address token)
      throws MalformedMessageException {
    Objects.requireNonNull(feePayerKey, "feePayerKey == null");
    Objects.requireNonNull(token, "token == null");
    if (!(feePayer instanceof FeePayerField.Sender
        || feePayer instanceof FeePayerField.AwaitingLegacy)) {
      throw new MalformedMessageException("transaction does not await a fee payer");
    }
    Optional<Address> recovered = recoverSender();
    Address sender;
    if (recovered.isPresent()) {
      sender = recovered.get();
    } else if (feePayer instanceof FeePayerField.Sender claimed) {
      sender = claimed.sender();
    } else {
      throw new MalformedMessageException("sender of a non-secp256k1 transaction is unknown");
    }
    TempoTransaction withToken = withFeeToken(token);
    Secp256k1Signature sig = feePayerKey.sign(withToken.feePayerSigningHash(sender));
    return withToken.toBuilder()
        .feePayer(new FeePayerField.Signed(sig))
        .legacyTrailerSender(null)
        .build();
  }

  // ---- encoding helpers ----

  private byte[] encodeFeeToken() {
    return Rlp.encodeBytes(feeToken == null ? new byte[0] : feeToken.toBytes());
  }

  private byte[] encodeField11() {
    if (feePayer instanceof FeePayerField.None) {
      return Rlp.encodeBytes(new byte[0]);
    } else if (feePayer instanceof FeePayerField.AwaitingLegacy) {
      return new byte[] {0x00};
    } else if (feePayer instanceof FeePayerField.Sender s) {
      return Rlp.encodeBytes(s.sender().toBytes());
    } else {
      Secp256k1Signature sig = ((FeePayerField.Signed) feePayer).signature();
      return Rlp.encodeList(
          List.of(Rlp.encodeLong(sig.yParity()), Rlp.encodeInt(sig.r()), Rlp.encodeInt(sig.s())));
    }
  }

  private List<byte[]> fields(byte[] f10, byte[] f11, boolean withSignature) {
    List<byte[]> f = new ArrayList<>(15);
    f.add(Rlp.encodeLong(chainId));
    f.add(Rlp.encodeInt(maxPriorityFeePerGas));
    f.add(Rlp.encodeInt(maxFeePerGas));
    f.add(Rlp.encodeLong(gas));
    List<byte[]> encodedCalls = new ArrayList<>(calls.size());
    for (TempoCall c : calls) {
      Address to = c.to();
      encodedCalls.add(
          Rlp.encodeList(
              List.of(
                  Rlp.encodeBytes(to == null ? new byte[0] : to.toBytes()),
                  Rlp.encodeInt(c.value()),
                  Rlp.encodeBytes(c.data()))));
    }
    f.add(Rlp.encodeList(encodedCalls));
    List<byte[]> entries = new ArrayList<>(accessList.size());
    for (AccessListEntry e : accessList) {
      List<byte[]> keys = new ArrayList<>();
      for (byte[] k : e.storageKeys()) {
        keys.add(Rlp.encodeBytes(k));
      }
      entries.add(
          Rlp.encodeList(List.of(Rlp.encodeBytes(e.address().toBytes()), Rlp.encodeList(keys))));
    }
    f.add(Rlp.encodeList(entries));
    f.add(Rlp.encodeInt(nonceKey));
    f.add(Rlp.encodeLong(nonce));
    f.add(Rlp.encodeLong(validBefore));
    f.add(Rlp.encodeLong(validAfter));
    f.add(f10);
    f.add(f11);
    f.add(authorizationListRlp);
    if (keyAuthorizationRlp != null) {
      f.add(keyAuthorizationRlp);
    }
    if (withSignature) {
      f.add(Rlp.encodeBytes(Objects.requireNonNull(senderSignature).toBytes()));
    }
    return f;
  }

  private static byte[] envelope(int type, List<byte[]> fields) {
    byte[] body = Rlp.encodeList(fields);
    byte[] out = new byte[1 + body.length];
    out[0] = (byte) type;
    System.arraycopy(body, 0, out, 1, body.length);
    return out;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof TempoTransaction t)) {
      return false;
    }
    if (senderSignature == null || t.senderSignature == null) {
      return this == o;
    }
    return Arrays.equals(encode(), t.encode())
        && Objects.equals(legacyTrailerSender, t.legacyTrailerSender);
  }

  @Override
  public int hashCode() {
    return senderSignature == null ? System.identityHashCode(this) : Arrays.hashCode(encode());
  }

  @Override
  public String toString() {
    return "TempoTransaction[type=0x"
        + Integer.toHexString(type())
        + ", chainId="
        + chainId
        + ", calls="
        + calls.size()
        + ", feePayer="
        + feePayer.getClass().getSimpleName()
        + ", signature="
        + (senderSignature == null ? "none" : senderSignature.kind())
        + "]";
  }

  /**
   * Builds a transaction. Setters validate their argument and throw {@link
   * IllegalArgumentException} naming the field.
   */
  public static final class Builder {
    private long chainId;
    private BigInteger maxPriorityFeePerGas = BigInteger.ZERO;
    private BigInteger maxFeePerGas = BigInteger.ZERO;
    private long gas;
    private List<TempoCall> calls = List.of();
    private List<AccessListEntry> accessList = List.of();
    private BigInteger nonceKey = BigInteger.ZERO;
    private long nonce;
    private long validBefore;
    private long validAfter;
    private @Nullable Address feeToken;
    private FeePayerField feePayer = FeePayerField.NONE;
    private byte[] authorizationListRlp = EMPTY_LIST;
    private byte @Nullable [] keyAuthorizationRlp;
    private @Nullable SenderSignature senderSignature;
    private @Nullable Address legacyTrailerSender;

    private Builder() {}

    private Builder(TempoTransaction t) {
      chainId = t.chainId;
      maxPriorityFeePerGas = t.maxPriorityFeePerGas;
      maxFeePerGas = t.maxFeePerGas;
      gas = t.gas;
      calls = t.calls;
      accessList = t.accessList;
      nonceKey = t.nonceKey;
      nonce = t.nonce;
      validBefore = t.validBefore;
      validAfter = t.validAfter;
      feeToken = t.feeToken;
      feePayer = t.feePayer;
      authorizationListRlp = t.authorizationListRlp;
      keyAuthorizationRlp = t.keyAuthorizationRlp;
      senderSignature = t.senderSignature;
      legacyTrailerSender = t.legacyTrailerSender;
    }

    private static long nonNegative(long v, String name) {
      if (v < 0) {
        throw new IllegalArgumentException(name + " must be non-negative, but was " + v);
      }
      return v;
    }

    private static BigInteger uint256(BigInteger v, String name) {
      Objects.requireNonNull(v, name + " == null");
      if (v.signum() < 0 || v.bitLength() > 256) {
        throw new IllegalArgumentException(name + " must be a uint256, but was " + v);
      }
      return v;
    }

    /** Field 0; default 0. */
    public Builder chainId(long chainId) {
      this.chainId = nonNegative(chainId, "chainId");
      return this;
    }

    /** Field 1; default 0. */
    public Builder maxPriorityFeePerGas(BigInteger v) {
      this.maxPriorityFeePerGas = uint256(v, "maxPriorityFeePerGas");
      return this;
    }

    /** Field 2; default 0. */
    public Builder maxFeePerGas(BigInteger v) {
      this.maxFeePerGas = uint256(v, "maxFeePerGas");
      return this;
    }

    /** Field 3; default 0. */
    public Builder gas(long gas) {
      this.gas = nonNegative(gas, "gas");
      return this;
    }

    /** Field 4; must be non-empty at {@link #build()}. */
    public Builder calls(List<TempoCall> calls) {
      this.calls = List.copyOf(Objects.requireNonNull(calls, "calls == null"));
      return this;
    }

    /** Field 5; default empty. */
    public Builder accessList(List<AccessListEntry> accessList) {
      this.accessList = List.copyOf(Objects.requireNonNull(accessList, "accessList == null"));
      return this;
    }

    /** Field 6; default 0. */
    public Builder nonceKey(BigInteger nonceKey) {
      this.nonceKey = uint256(nonceKey, "nonceKey");
      return this;
    }

    /** Field 7; default 0. */
    public Builder nonce(long nonce) {
      this.nonce = nonNegative(nonce, "nonce");
      return this;
    }

    /** Field 8; default 0 (absent). */
    public Builder validBefore(long validBefore) {
      this.validBefore = nonNegative(validBefore, "validBefore");
      return this;
    }

    /** Field 9; default 0 (absent). */
    public Builder validAfter(long validAfter) {
      this.validAfter = nonNegative(validAfter, "validAfter");
      return this;
    }

    /** Field 10; default {@code null} (empty). */
    public Builder feeToken(@Nullable Address feeToken) {
      this.feeToken = feeToken;
      return this;
    }

    /** Field 11; default {@link FeePayerField#NONE}. */
    public Builder feePayer(FeePayerField feePayer) {
      this.feePayer = Objects.requireNonNull(feePayer, "feePayer == null");
      return this;
    }

    /** Field 12 as raw RLP; must be a list. Default {@code 0xc0}. */
    public Builder authorizationListRlp(byte[] rlp) {
      Objects.requireNonNull(rlp, "authorizationListRlp == null");
      this.authorizationListRlp = requireRlpList(rlp, "authorizationListRlp");
      return this;
    }

    /** Field 13 as raw RLP, a list; {@code null} (the default) leaves it out. */
    public Builder keyAuthorizationRlp(byte @Nullable [] rlp) {
      this.keyAuthorizationRlp = rlp == null ? null : requireRlpList(rlp, "keyAuthorizationRlp");
      return this;
    }

    /** The sender signature; default {@code null} (unsigned). */
    public Builder senderSignature(@Nullable SenderSignature senderSignature) {
      this.senderSignature = senderSignature;
      return this;
    }

    /** The sender claimed by a legacy trailer; only set by the decoder. */
    public Builder legacyTrailerSender(@Nullable Address sender) {
      this.legacyTrailerSender = sender;
      return this;
    }

    private static byte[] requireRlpList(byte[] rlp, String name) {
      try {
        Rlp.Item item = Rlp.decode(rlp, 0, rlp.length, name);
        if (!(item instanceof Rlp.Lst) || item.end() != rlp.length) {
          throw new IllegalArgumentException(name + " must be exactly one RLP list");
        }
      } catch (MalformedMessageException e) {
        throw new IllegalArgumentException(name + " must be canonical RLP: " + e.getMessage(), e);
      }
      return rlp.clone();
    }

    /**
     * Builds the transaction.
     *
     * @throws IllegalStateException if there are no calls
     */
    public TempoTransaction build() {
      if (calls.isEmpty()) {
        throw new IllegalStateException("calls must not be empty");
      }
      return new TempoTransaction(this, null);
    }

    /** Used by the decoder to keep the received bytes. */
    TempoTransaction build(byte[] received) {
      if (calls.isEmpty()) {
        throw new IllegalStateException("calls must not be empty");
      }
      return new TempoTransaction(this, received);
    }
  }
}
