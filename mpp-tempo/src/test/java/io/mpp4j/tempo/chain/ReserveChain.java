package io.mpp4j.tempo.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mpp4j.tempo.Address;
import io.mpp4j.tempo.internal.Keccak;
import io.mpp4j.tempo.internal.SigningKey;
import io.mpp4j.tempo.internal.TempoCall;
import io.mpp4j.tempo.internal.TempoTransaction;
import io.mpp4j.tempo.internal.Tip20Call;
import io.mpp4j.tempo.internal.session.Bytes32;
import io.mpp4j.tempo.internal.session.ChannelDescriptor;
import io.mpp4j.tempo.internal.session.VoucherDomain;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A local Tempo chain that hosts v2 payment channels: an {@link AnvilChain}, the channel-reserve
 * stand-in ({@code tools/chain/reserve/ChannelReserve.sol}, compiled into {@code
 * ChannelReserve.json}) installed at the precompile address {@link #RESERVE} with {@code
 * anvil_setCode}, and a {@link ReserveShim} in front of anvil. Clients (the server under test, the
 * mppx client) talk to {@link #rpcUrl()}, the shim.
 *
 * <p>Helpers fund payers and operators, approve the reserve (the stand-in moves tokens with {@code
 * transferFrom}, SPEC 11.4), open, top up, settle and close channels through the shim, and read
 * {@code getChannel} and balances.
 *
 * <p>Thread-safe. {@link #close()} stops the shim and anvil.
 *
 * <pre>{@code
 * try (ReserveChain chain = ReserveChain.start()) {
 *   SigningKey payer = chain.fundedPayer(AnvilChain.ALPHA_USD, BigInteger.valueOf(5_000_000));
 *   chain.approveReserve(payer, AnvilChain.ALPHA_USD);
 *   ReserveChain.Opened ch = chain.open(payer, payee, operator, AnvilChain.ALPHA_USD, deposit);
 * }
 * }</pre>
 */
public final class ReserveChain implements AutoCloseable {
  /** The precompile address the stand-in is installed at. */
  public static final Address RESERVE = ReserveAbi.RESERVE;

  /** The artifact, relative to the repository root. */
  public static final String ARTIFACT = "tools/chain/reserve/ChannelReserve.json";

  /** Gas limit of the transactions the helpers send to the reserve. */
  public static final long GAS = ReserveShim.RESERVE_GAS;

  /** What slot 0 holds before the first open: a non-zero placeholder (see {@link ReserveShim}). */
  public static final BigInteger PLACEHOLDER_NONCE_HASH =
      new BigInteger(
          1, Keccak.hash("mpp4j stand-in: no open yet".getBytes(StandardCharsets.US_ASCII)));

  /** Allowance the helpers give the reserve: {@code 2^96 - 1}. */
  public static final BigInteger MAX_ALLOWANCE =
      BigInteger.ONE.shiftLeft(96).subtract(BigInteger.ONE);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final AnvilChain anvil;
  private final ReserveShim shim;
  private final String runtimeBytecode;
  private final Duration startTime;

  private ReserveChain(AnvilChain anvil, String runtimeBytecode) {
    long t0 = System.nanoTime();
    this.anvil = anvil;
    this.runtimeBytecode = runtimeBytecode;
    anvil.rpc("anvil_setCode", RESERVE.toHex(), runtimeBytecode);
    anvil.rpc(
        "anvil_setStorageAt",
        RESERVE.toHex(),
        AnvilChain.hex(ReserveAbi.word(ReserveShim.EXPIRING_NONCE_HASH_SLOT)),
        AnvilChain.hex(ReserveAbi.word(PLACEHOLDER_NONCE_HASH)));
    String code = anvil.rpc("eth_getCode", RESERVE.toHex(), "latest").asText();
    if (!code.equalsIgnoreCase(runtimeBytecode)) {
      throw new IllegalStateException("the stand-in's code was not installed at " + RESERVE);
    }
    this.shim = ReserveShim.start(anvil.rpcUrl(), RESERVE);
    this.startTime = anvil.startTime().plusNanos(System.nanoTime() - t0);
  }

  /**
   * Starts anvil (see {@link AnvilChain#start()}), installs the stand-in and starts the shim.
   *
   * @throws IllegalStateException if anvil or the artifact is not found, or start-up fails
   */
  public static ReserveChain start() {
    String code = runtimeBytecode(findArtifact().orElseThrow(ReserveChain::noArtifact));
    AnvilChain anvil = AnvilChain.start();
    try {
      return new ReserveChain(anvil, code);
    } catch (RuntimeException e) {
      anvil.close();
      throw e;
    }
  }

  /** {@value #ARTIFACT} in the working directory or one of its parents. */
  public static Optional<Path> findArtifact() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path p = dir.resolve(ARTIFACT);
      if (Files.isRegularFile(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** The {@code runtimeBytecode} member of the artifact at {@code artifact}. */
  public static String runtimeBytecode(Path artifact) {
    try {
      JsonNode a = JSON.readTree(Files.readString(artifact, StandardCharsets.UTF_8));
      String code = a.path("runtimeBytecode").asText("");
      if (!code.startsWith("0x") || code.length() < 4) {
        throw new IllegalStateException(artifact + " has no runtimeBytecode");
      }
      return code;
    } catch (IOException e) {
      throw new IllegalStateException("could not read " + artifact + ": " + e, e);
    }
  }

  private static IllegalStateException noArtifact() {
    return new IllegalStateException(
        ARTIFACT
            + " not found in the working directory or a parent (run the tests in the repository)");
  }

  // ---- accessors ----

  /** The endpoint clients use: the shim's, {@code http://127.0.0.1:<port>}. */
  public URI rpcUrl() {
    return shim.url();
  }

  /** anvil's own endpoint, bypassing the shim. */
  public URI anvilUrl() {
    return anvil.rpcUrl();
  }

  /** The chain underneath. */
  public AnvilChain anvil() {
    return anvil;
  }

  /** The shim in front of it. */
  public ReserveShim shim() {
    return shim;
  }

  /** {@value AnvilChain#CHAIN_ID}. */
  public long chainId() {
    return AnvilChain.CHAIN_ID;
  }

  /** The installed runtime bytecode, {@code 0x} hex. */
  public String runtimeBytecode() {
    return runtimeBytecode;
  }

  /** Anvil start, stand-in installation and shim start. */
  public Duration startTime() {
    return startTime;
  }

  /** The voucher domain of the stand-in on this chain. */
  public VoucherDomain voucherDomain() {
    return VoucherDomain.of(RESERVE, AnvilChain.CHAIN_ID);
  }

  /** A JSON-RPC call through the shim. */
  public JsonNode rpc(String method, Object... params) {
    return anvil.rpcAt(shim.url(), method, params);
  }

  // ---- transactions through the shim ----

  /**
   * An unsigned transaction with the chain's defaults, gas {@link #GAS} and the given fee token.
   */
  public TempoTransaction.Builder transaction(List<TempoCall> calls, Address feeToken) {
    return anvil.transaction(calls).gas(GAS).feeToken(feeToken);
  }

  /**
   * Signs {@code unsigned} with {@code key}, sends it through the shim and waits for the receipt.
   */
  public AnvilChain.Receipt send(TempoTransaction unsigned, SigningKey key) {
    TempoTransaction tx = AnvilChain.sign(unsigned, key);
    String hash = rpc("eth_sendRawTransaction", AnvilChain.hex(tx.encode())).asText();
    return anvil.awaitReceipt(hash);
  }

  /**
   * One call to the reserve from {@code key}, fee in {@code feeToken}; the receipt, reverted or
   * not.
   */
  public AnvilChain.Receipt callReserve(SigningKey key, byte[] data, Address feeToken) {
    return send(transaction(List.of(TempoCall.of(RESERVE, data)), feeToken).build(), key);
  }

  /**
   * Sends {@code amount} of {@code token} to {@code holder} from dev account #9 through the shim.
   *
   * @throws IllegalStateException if the transfer reverts
   */
  public AnvilChain.Receipt fund(Address holder, Address token, BigInteger amount) {
    TempoCall call = TempoCall.of(token, Tip20Call.transfer(holder, amount).encode());
    AnvilChain.Receipt r =
        send(anvil.transaction(List.of(call)).build(), AnvilChain.DEV_KEYS.get(9));
    requireSuccess(r, "funding transfer");
    return r;
  }

  /** A fresh key holding exactly {@code amount} of {@code token}. */
  public SigningKey fundedPayer(Address token, BigInteger amount) {
    SigningKey payer = AnvilChain.randomKey();
    fund(payer.address(), token, amount);
    return payer;
  }

  /**
   * Lets the reserve move {@code token} of {@code payer} ({@code approve(RESERVE, 2^96 - 1)}); the
   * payer pays the fee in {@code token}. The precompile needs no allowance; the stand-in does.
   */
  public AnvilChain.Receipt approveReserve(SigningKey payer, Address token) {
    TempoCall call = TempoCall.of(token, ReserveAbi.approve(RESERVE, MAX_ALLOWANCE));
    AnvilChain.Receipt r = send(transaction(List.of(call), token).build(), payer);
    requireSuccess(r, "approve");
    return r;
  }

  /** Gives {@code operator} {@code amount} of pathUSD, the fee token of its settles and closes. */
  public AnvilChain.Receipt fundOperator(Address operator, BigInteger amount) {
    return fund(operator, AnvilChain.PATH_USD, amount);
  }

  /**
   * Opens a channel from {@code payer} with a random salt and no authorized signer, the fee paid in
   * {@code token}.
   *
   * @throws IllegalStateException if the open reverts
   */
  public Opened open(
      SigningKey payer, Address payee, Address operator, Address token, BigInteger deposit) {
    byte[] salt = new byte[32];
    RANDOM.nextBytes(salt);
    return open(payer, payee, operator, token, deposit, Bytes32.of(salt), ChannelDescriptor.ZERO);
  }

  /**
   * Opens a channel; the descriptor's {@code expiringNonceHash} is computed from the signed open
   * transaction as SPEC 4.3 says (and as the shim writes it for the stand-in).
   *
   * @throws IllegalStateException if the open reverts
   */
  public Opened open(
      SigningKey payer,
      Address payee,
      Address operator,
      Address token,
      BigInteger deposit,
      Bytes32 salt,
      Address authorizedSigner) {
    byte[] data = ReserveAbi.open(payee, operator, token, deposit, salt, authorizedSigner);
    TempoTransaction tx =
        AnvilChain.sign(transaction(List.of(TempoCall.of(RESERVE, data)), token).build(), payer);
    ChannelDescriptor d =
        new ChannelDescriptor(
            payer.address(),
            payee,
            operator,
            token,
            salt,
            authorizedSigner,
            ChannelDescriptor.expiringNonceHash(tx, payer.address()));
    String hash = rpc("eth_sendRawTransaction", AnvilChain.hex(tx.encode())).asText();
    AnvilChain.Receipt r = anvil.awaitReceipt(hash);
    requireSuccess(r, "open");
    return new Opened(d, d.channelId(RESERVE, AnvilChain.CHAIN_ID), r);
  }

  /** A voucher signature (65 bytes, low s, v = 27/28) by {@code key}. */
  public byte[] signVoucher(SigningKey key, Bytes32 channelId, BigInteger cumulativeAmount) {
    return key.sign(voucherDomain().digest(channelId, cumulativeAmount)).toBytes65();
  }

  // ---- reads ----

  /** {@code getChannel(descriptor)}'s state at the latest block. */
  public ReserveAbi.ChannelState channel(ChannelDescriptor d) {
    return ReserveAbi.decodeGetChannel(call(ReserveAbi.getChannel(d)), d);
  }

  /** {@code getChannelState(channelId)} at the latest block. */
  public ReserveAbi.ChannelState channelState(Bytes32 channelId) {
    return ReserveAbi.decodeChannelState(call(ReserveAbi.getChannelState(channelId)));
  }

  /** An {@code eth_call} to the reserve at the latest block, through the shim. */
  public byte[] call(byte[] data) {
    ObjectNode call = JSON.createObjectNode();
    call.put("to", RESERVE.toHex());
    call.put("data", AnvilChain.hex(data));
    return AnvilChain.unhex(rpc("eth_call", call, "latest").asText());
  }

  /** {@code balanceOf(holder)} of a TIP-20 token. */
  public BigInteger balanceOf(Address token, Address holder) {
    return anvil.balanceOf(token, holder);
  }

  /** The logs of {@code r} emitted by the reserve, in order. */
  public static List<Log> reserveLogs(AnvilChain.Receipt r) {
    List<Log> out = new ArrayList<>();
    for (JsonNode log : r.raw().path("logs")) {
      if (!log.path("address").asText().equalsIgnoreCase(RESERVE.toHex())) {
        continue;
      }
      List<String> topics = new ArrayList<>();
      for (JsonNode t : log.path("topics")) {
        topics.add(t.asText().toLowerCase(java.util.Locale.ROOT));
      }
      out.add(new Log(topics, log.path("data").asText().toLowerCase(java.util.Locale.ROOT)));
    }
    return out;
  }

  private static void requireSuccess(AnvilChain.Receipt r, String what) {
    if (r.status() != 1) {
      throw new IllegalStateException(what + " reverted: " + r);
    }
  }

  @Override
  public void close() {
    try {
      shim.close();
    } finally {
      anvil.close();
    }
  }

  @Override
  public String toString() {
    return "ReserveChain[" + shim.url() + " -> " + anvil + "]";
  }

  /**
   * An opened channel.
   *
   * @param descriptor its descriptor
   * @param channelId {@code descriptor.channelId(RESERVE, 42431)}
   * @param receipt the open's receipt
   */
  public record Opened(
      ChannelDescriptor descriptor, Bytes32 channelId, AnvilChain.Receipt receipt) {
    /** Checks for null. */
    public Opened {
      Objects.requireNonNull(descriptor, "descriptor == null");
      Objects.requireNonNull(channelId, "channelId == null");
      Objects.requireNonNull(receipt, "receipt == null");
    }
  }

  /**
   * A log of the reserve.
   *
   * @param topics lower-case {@code 0x} hex
   * @param dataHex the data, lower-case {@code 0x} hex
   */
  public record Log(List<String> topics, String dataHex) {
    /** Copies the list. */
    public Log {
      topics = List.copyOf(topics);
      Objects.requireNonNull(dataHex, "dataHex == null");
    }

    /** The data bytes (a copy). */
    public byte[] data() {
      return AnvilChain.unhex(dataHex);
    }

    /** topic0, or the empty string for an anonymous log. */
    public String topic0() {
      return topics.isEmpty() ? "" : topics.get(0);
    }
  }
}
