// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

/// A test stand-in for Tempo's TIP-1034 "TIP20 Channel Reserve" precompile, written for mpp4j from
/// its SPEC (sections 4.3, 4.4, 11.3 and 11.4): the ABI subset that the mpp4j server and the mppx
/// client use, with the precompile's function selectors, structs, events and error names.
///
/// Installed with anvil_setCode at 0x4d50500000000000000000000000000000000000, so it has no
/// constructor and no immutables: the domain separator is computed from block.chainid and
/// address(this) on each use.
///
/// Differences from the precompile that a test must know about:
/// - The precompile derives expiringNonceHash from the opening transaction itself. A contract
///   cannot see that transaction, so open() reads it from storage slot 0, which a JSON-RPC shim in
///   front of the node writes (anvil_setStorageAt) before it forwards a transaction calling open.
/// - The precompile moves tokens without an allowance; this contract uses transferFrom, so the
///   payer approves this address on the token first.
/// - Voucher signatures: 65-byte secp256k1 r || s || v with v = 27 or 28 and low s only (no
///   EIP-2098, P-256 or WebAuthn envelopes).
contract ChannelReserve {
    struct Descriptor {
        address payer;
        address payee;
        address operator;
        address token;
        bytes32 salt;
        address authorizedSigner;
        bytes32 expiringNonceHash;
    }

    struct ChannelState {
        uint96 settled;
        uint96 deposit;
        uint32 closeRequestedAt;
    }

    struct Channel {
        Descriptor descriptor;
        ChannelState state;
    }

    event ChannelOpened(
        bytes32 indexed channelId,
        address indexed payer,
        address indexed payee,
        address operator,
        address token,
        address authorizedSigner,
        bytes32 salt,
        bytes32 expiringNonceHash,
        uint96 deposit
    );
    event Settled(
        bytes32 indexed channelId,
        address indexed payer,
        address indexed payee,
        uint96 cumulativeAmount,
        uint96 deltaPaid,
        uint96 newSettled
    );
    event TopUp(
        bytes32 indexed channelId,
        address indexed payer,
        address indexed payee,
        uint96 additionalDeposit,
        uint96 newDeposit
    );
    event CloseRequested(
        bytes32 indexed channelId, address indexed payer, address indexed payee, uint256 closeGraceEnd
    );
    event ChannelClosed(
        bytes32 indexed channelId,
        address indexed payer,
        address indexed payee,
        uint96 settledToPayee,
        uint96 refundedToPayer
    );
    event CloseRequestCancelled(bytes32 indexed channelId, address indexed payer, address indexed payee);

    error ChannelAlreadyExists();
    error ChannelNotFound();
    error NotPayer();
    error NotPayeeOrOperator();
    error InvalidPayee();
    error ZeroDeposit();
    error ExpiringNonceHashNotSet();
    error InvalidSignature();
    error AmountExceedsDeposit();
    error AmountNotIncreasing();
    error CaptureAmountInvalid();
    error CloseNotReady();
    error DepositOverflow();

    /// Seconds between requestClose and the earliest withdraw.
    uint64 public constant CLOSE_GRACE_PERIOD = 900;

    bytes32 public constant VOUCHER_TYPEHASH = keccak256("Voucher(bytes32 channelId,uint96 cumulativeAmount)");

    bytes32 private constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 private constant NAME_HASH = keccak256("TIP20 Channel Reserve");
    bytes32 private constant VERSION_HASH = keccak256("1");

    /// secp256k1 n / 2: a signature's s must not exceed it.
    uint256 private constant HALF_N = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;

    // Storage slot 0: the expiringNonceHash of the open transaction about to be mined, written by
    // the test shim. Keep it first: the shim addresses it by slot number.
    bytes32 private expiringNonceHashSlot;

    // Open channels by id; a closed channel is deleted (all zero) and remembered in `finalized`.
    mapping(bytes32 => ChannelState) private channels;
    mapping(bytes32 => bool) private finalized;

    // ---- channel lifecycle ----

    /// Opens a channel from msg.sender (the payer) to `payee`, escrowing `deposit` of `token`.
    function open(
        address payee,
        address operator,
        address token,
        uint96 deposit,
        bytes32 salt,
        address authorizedSigner
    ) external returns (bytes32 channelId) {
        if (payee == address(0)) revert InvalidPayee();
        if (deposit == 0) revert ZeroDeposit();
        bytes32 nonceHash = expiringNonceHashSlot;
        if (nonceHash == bytes32(0)) revert ExpiringNonceHashNotSet();
        Descriptor memory d = Descriptor(msg.sender, payee, operator, token, salt, authorizedSigner, nonceHash);
        channelId = _id(d);
        if (channels[channelId].deposit != 0 || finalized[channelId]) revert ChannelAlreadyExists();
        channels[channelId] = ChannelState(0, deposit, 0);
        _pull(token, msg.sender, deposit);
        _emitOpened(channelId, d, deposit);
    }

    /// Adds `additionalDeposit` to an open channel; only the payer. Cancels a pending close request.
    function topUp(Descriptor calldata descriptor, uint96 additionalDeposit) external {
        (bytes32 id, ChannelState storage s) = _open(descriptor);
        if (msg.sender != descriptor.payer) revert NotPayer();
        if (additionalDeposit == 0) revert ZeroDeposit();
        uint256 newDeposit = uint256(s.deposit) + additionalDeposit;
        if (newDeposit > type(uint96).max) revert DepositOverflow();
        s.deposit = uint96(newDeposit);
        bool cancelled = s.closeRequestedAt != 0;
        s.closeRequestedAt = 0;
        _pull(descriptor.token, msg.sender, additionalDeposit);
        if (cancelled) emit CloseRequestCancelled(id, descriptor.payer, descriptor.payee);
        emit TopUp(id, descriptor.payer, descriptor.payee, additionalDeposit, uint96(newDeposit));
    }

    /// Pays the payee what a voucher for `cumulativeAmount` adds to the settled amount; only the
    /// payee or the operator.
    function settle(Descriptor calldata descriptor, uint96 cumulativeAmount, bytes calldata signature) external {
        (bytes32 id, ChannelState storage s) = _open(descriptor);
        _onlyPayeeOrOperator(descriptor);
        if (cumulativeAmount > s.deposit) revert AmountExceedsDeposit();
        if (cumulativeAmount <= s.settled) revert AmountNotIncreasing();
        _verify(descriptor, id, cumulativeAmount, signature);
        uint96 delta = cumulativeAmount - s.settled;
        s.settled = cumulativeAmount;
        _push(descriptor.token, descriptor.payee, delta);
        emit Settled(id, descriptor.payer, descriptor.payee, cumulativeAmount, delta, cumulativeAmount);
    }

    /// Closes a channel cooperatively; only the payee or the operator. Requires
    /// settled <= captureAmount <= cumulativeAmount <= deposit and, when captureAmount exceeds the
    /// settled amount, a valid voucher for cumulativeAmount. Pays the payee captureAmount - settled
    /// and refunds the payer deposit - captureAmount.
    function close(
        Descriptor calldata descriptor,
        uint96 cumulativeAmount,
        uint96 captureAmount,
        bytes calldata signature
    ) external {
        (bytes32 id, ChannelState storage s) = _open(descriptor);
        _onlyPayeeOrOperator(descriptor);
        uint96 deposit = s.deposit;
        uint96 settled = s.settled;
        if (cumulativeAmount > deposit) revert AmountExceedsDeposit();
        if (captureAmount < settled || captureAmount > cumulativeAmount) revert CaptureAmountInvalid();
        if (captureAmount > settled) _verify(descriptor, id, cumulativeAmount, signature);
        uint96 toPayee = captureAmount - settled;
        uint96 toPayer = deposit - captureAmount;
        _finalize(id);
        _push(descriptor.token, descriptor.payee, toPayee);
        _push(descriptor.token, descriptor.payer, toPayer);
        emit ChannelClosed(id, descriptor.payer, descriptor.payee, toPayee, toPayer);
    }

    /// Starts the grace period after which the payer may withdraw; only the payer. Idempotent.
    function requestClose(Descriptor calldata descriptor) external {
        (bytes32 id, ChannelState storage s) = _open(descriptor);
        if (msg.sender != descriptor.payer) revert NotPayer();
        if (s.closeRequestedAt != 0) return;
        s.closeRequestedAt = uint32(block.timestamp);
        emit CloseRequested(id, descriptor.payer, descriptor.payee, block.timestamp + CLOSE_GRACE_PERIOD);
    }

    /// Refunds the unsettled deposit to the payer once the grace period is over; only the payer.
    function withdraw(Descriptor calldata descriptor) external {
        (bytes32 id, ChannelState storage s) = _open(descriptor);
        if (msg.sender != descriptor.payer) revert NotPayer();
        uint256 requested = s.closeRequestedAt;
        if (requested == 0 || block.timestamp < requested + CLOSE_GRACE_PERIOD) revert CloseNotReady();
        uint96 refund = s.deposit - s.settled;
        _finalize(id);
        _push(descriptor.token, descriptor.payer, refund);
        emit ChannelClosed(id, descriptor.payer, descriptor.payee, 0, refund);
    }

    // ---- views ----

    function getChannel(Descriptor calldata descriptor) external view returns (Channel memory) {
        return Channel(descriptor, channels[_id(descriptor)]);
    }

    function getChannelState(bytes32 channelId) external view returns (ChannelState memory) {
        return channels[channelId];
    }

    function getChannelStatesBatch(bytes32[] calldata channelIds) external view returns (ChannelState[] memory states) {
        states = new ChannelState[](channelIds.length);
        for (uint256 i = 0; i < channelIds.length; i++) {
            states[i] = channels[channelIds[i]];
        }
    }

    function computeChannelId(
        address payer,
        address payee,
        address operator,
        address token,
        bytes32 salt,
        address authorizedSigner,
        bytes32 expiringNonceHash
    ) external view returns (bytes32) {
        return _id(Descriptor(payer, payee, operator, token, salt, authorizedSigner, expiringNonceHash));
    }

    function getVoucherDigest(bytes32 channelId, uint96 cumulativeAmount) external view returns (bytes32) {
        return _digest(channelId, cumulativeAmount);
    }

    function domainSeparator() public view returns (bytes32) {
        return keccak256(abi.encode(DOMAIN_TYPEHASH, NAME_HASH, VERSION_HASH, block.chainid, address(this)));
    }

    // ---- internals ----

    function _id(Descriptor memory d) private view returns (bytes32) {
        return keccak256(
            abi.encode(
                d.payer,
                d.payee,
                d.operator,
                d.token,
                d.salt,
                d.authorizedSigner,
                d.expiringNonceHash,
                address(this),
                block.chainid
            )
        );
    }

    function _open(Descriptor calldata descriptor) private view returns (bytes32 id, ChannelState storage s) {
        id = _id(descriptor);
        s = channels[id];
        if (s.deposit == 0) revert ChannelNotFound();
    }

    function _onlyPayeeOrOperator(Descriptor calldata d) private view {
        if (msg.sender != d.payee && (d.operator == address(0) || msg.sender != d.operator)) {
            revert NotPayeeOrOperator();
        }
    }

    function _digest(bytes32 channelId, uint96 cumulativeAmount) private view returns (bytes32) {
        bytes32 structHash = keccak256(abi.encode(VOUCHER_TYPEHASH, channelId, cumulativeAmount));
        return keccak256(abi.encodePacked(hex"1901", domainSeparator(), structHash));
    }

    function _verify(Descriptor calldata d, bytes32 id, uint96 cumulativeAmount, bytes calldata signature)
        private
        view
    {
        if (signature.length != 65) revert InvalidSignature();
        bytes32 r = bytes32(signature[0:32]);
        bytes32 s = bytes32(signature[32:64]);
        uint8 v = uint8(signature[64]);
        if (v != 27 && v != 28) revert InvalidSignature();
        if (uint256(s) > HALF_N) revert InvalidSignature();
        address signer = ecrecover(_digest(id, cumulativeAmount), v, r, s);
        address expected = d.authorizedSigner == address(0) ? d.payer : d.authorizedSigner;
        if (signer == address(0) || signer != expected) revert InvalidSignature();
    }

    function _finalize(bytes32 id) private {
        delete channels[id];
        finalized[id] = true;
    }

    function _pull(address token, address from, uint96 amount) private {
        if (!ITIP20(token).transferFrom(from, address(this), amount)) revert();
    }

    function _push(address token, address to, uint96 amount) private {
        if (amount != 0 && !ITIP20(token).transfer(to, amount)) revert();
    }

    function _emitOpened(bytes32 id, Descriptor memory d, uint96 deposit) private {
        emit ChannelOpened(
            id, d.payer, d.payee, d.operator, d.token, d.authorizedSigner, d.salt, d.expiringNonceHash, deposit
        );
    }
}

interface ITIP20 {
    function transfer(address to, uint256 amount) external returns (bool);
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
}
