// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity ^0.8.24;

import {Groth16Verifier} from "./Groth16Verifier.sol";
import {ContextHash} from "./ContextHash.sol";

/// @notice The batch key's verifier (Groth16BatchVerifier.sol, deployed on its own).
interface IBatchVerifier {
    /// @notice Number of public inputs: 5 plus the batch's slots.
    function PUBLIC_INPUT_COUNT() external view returns (uint256);
}

/// @title zkcomply compliance gate
/// @notice Approves one withdrawal per call: checks a zkcomply proof bundle's
/// public values against the policy held here (the rules of zkcomply's
/// policy format, field by field), recomputes the withdrawal's `context`,
/// verifies the Groth16 proof, refuses a `context` seen before, adds the
/// amount to the holder's total for the epoch and asset (keyed by the
/// proof's nullifier) and reverts past the asset's cap. Every refusal is a
/// named error. It approves withdrawals on the chain it runs on.
/// @dev The statement's clear values (issuer, tier, limits, roots, blocked
/// jurisdictions) are committed to in the proof by a Poseidon hash that this
/// contract does not recompute: the owner approves each statement once per
/// policy version with `approveStatement`, which checks the values against
/// the policy and records their hash. Calldata for every call is produced
/// by `zkcomply-verify calldata` and `zkcomply-verify policy-calldata`.
contract ComplianceGate is Groth16Verifier, ContextHash {
    /// @notice Which list a root belongs to.
    enum RootKind {
        IdentitySanctions,
        AddressSanctions,
        Revocation
    }

    /// @notice The caller is not the owner.
    error NotOwner();
    /// @notice Withdrawal word `index` (chain id, exchange, withdrawal id,
    /// source, destination, asset, amount) is not below r, or the amount is not below 2^128.
    error WithdrawalValueOutOfRange(uint256 index);
    /// @notice Statement word `index` is out of its range (field elements below r,
    /// tier below 256, limits below 2^128).
    error StatementValueOutOfRange(uint256 index);
    /// @notice The withdrawal is for another chain than the one this gate runs on.
    error ChainMismatch(uint256 chainId, uint256 expected);
    /// @notice The withdrawal names another exchange than this gate's.
    error ExchangeMismatch(uint256 exchangeKey, uint256 expected);
    /// @notice The proof's epoch is not floor(now / epochSeconds).
    error EpochMismatch(uint256 epoch, uint256 expected);
    /// @notice The proof's `now` is further from the block's time than the policy allows.
    error ClockSkew(uint256 proofTime, uint256 blockTime);
    /// @notice The policy requires the jurisdiction to be disclosed.
    error JurisdictionDisclosureRequired();
    /// @notice The credential's issuer is not accepted.
    error IssuerNotAccepted(uint256 issuerX, uint256 issuerY);
    /// @notice The proof shows a lower minimum tier than the policy requires.
    error TierTooLow(uint256 provedMinTier, uint256 requiredMinTier);
    /// @notice The policy lists no limits for this asset.
    error AssetNotListed(uint256 assetKey);
    /// @notice The proof's limit for `tier` is above the policy's.
    error LimitAbovePolicy(uint256 tier, uint256 limit, uint256 policyLimit);
    /// @notice A sanctions or revocation root the policy does not accept.
    error RootNotAccepted(RootKind kind, uint256 root);
    /// @notice The policy blocks `jurisdiction` but the proof does not exclude it.
    error JurisdictionNotBlocked(uint256 jurisdiction);
    /// @notice The statement passes the policy but the owner has not approved its hash
    /// for this asset and policy version (see approveStatement).
    error StatementNotApproved(bytes32 approvalKey);
    /// @notice This withdrawal (its context) was approved before.
    error ContextAlreadyUsed(uint256 context);
    /// @notice The holder's total for the epoch would exceed the asset's cap.
    error EpochCapExceeded(uint256 nullifier, uint256 total, uint256 cap);
    /// @notice The Groth16 proof does not verify for these public values.
    error ProofInvalid();
    /// @notice Policy rules that cannot hold (epochSeconds at least 1, the clock
    /// tolerance at most half of epochSeconds, jurisdictions below 1000).
    error InvalidRules();
    /// @notice No batch verifier is set (see setBatchVerifier).
    error BatchesNotEnabled();
    /// @notice The batch verifier is set once; this one is already set.
    error BatchVerifierAlreadySet(address current);
    /// @notice The contract given is not a batch verifier (6 to 21 public inputs).
    error InvalidBatchVerifier();
    /// @notice A batch holds 1 to `slots` withdrawals.
    error BatchSizeOutOfRange(uint256 items, uint256 slots);
    /// @notice Item `item`'s word `index` (as in a withdrawal: 2 withdrawal id, 4 destination,
    /// 6 amount) is not below r, or the amount is not below 2^128.
    error BatchItemValueOutOfRange(uint256 item, uint256 index);
    /// @notice Items `first` and `second` of a batch have the same withdrawal id.
    error DuplicateWithdrawal(uint256 first, uint256 second);

    /// @notice A withdrawal passed every check.
    event WithdrawalApproved(
        uint256 indexed context,
        uint256 indexed nullifier,
        uint256 indexed withdrawalKey,
        uint256 sourceKey,
        uint256 destinationKey,
        uint256 assetKey,
        uint256 amount,
        uint256 epochTotal
    );
    /// @notice A batch passed every check: one WithdrawalApproved per item precedes it.
    event BatchApproved(uint256 indexed nullifier, uint256 items, uint256 epochTotal);
    /// @notice The batch verifier was set.
    event BatchVerifierSet(address verifier, uint256 slots);
    /// @notice The policy changed; approvals made under earlier versions no longer count.
    event PolicyChanged(uint64 version);
    /// @notice The owner approved a statement hash for an asset under the current policy version.
    event StatementApproved(bytes32 indexed approvalKey, uint256 statementHash, uint256 assetKey);
    /// @notice Ownership moved.
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);

    /// @notice The rules read on every withdrawal, packed in one storage slot.
    struct Rules {
        uint64 policyVersion;
        uint64 epochSeconds;
        uint64 maxClockSkewSeconds;
        uint8 minTier;
        bool requireJurisdictionDisclosure;
    }

    /// @notice An asset's tier limits and per-epoch cap.
    struct Asset {
        uint128[4] limits;
        uint128 epochCap;
        bool listed;
    }

    uint256 internal constant AMOUNT_BOUND = 1 << 128;
    /// @dev Public inputs of a batch proof before the slots' contexts.
    uint256 internal constant BATCH_SHARED_INPUTS = 5;
    /// @dev verifyProof(uint256[8],uint256[N]) of the batch verifier, by its N.
    bytes4 internal constant VERIFY_BATCH_4 = bytes4(keccak256("verifyProof(uint256[8],uint256[9])"));
    bytes4 internal constant VERIFY_BATCH_16 = bytes4(keccak256("verifyProof(uint256[8],uint256[21])"));

    address public owner;
    Rules public rules;
    /// @notice str_key(exchange_id) of the exchange this gate approves withdrawals for.
    uint256 public exchangeKey;
    /// @notice Jurisdictions (ISO 3166-1 numeric) every proof must exclude; 0 = unused slot.
    uint16[8] public blockedJurisdictions;
    mapping(bytes32 => bool) public acceptedIssuer;
    mapping(RootKind => mapping(uint256 => bool)) public acceptedRoot;
    mapping(bytes32 => bool) internal acceptedRevocationRoot;
    mapping(uint256 => Asset) internal assets;
    /// @notice Approved statement hashes by approvalKey(version, exchange, asset, statement).
    mapping(bytes32 => uint256) public approvedStatementHash;
    /// @notice The verifier of batch proofs (set once by the owner; 0: batches off).
    address public batchVerifier;
    /// @notice The batch circuit's slots.
    uint8 public batchSlots;
    /// @notice Contexts of approved withdrawals.
    mapping(uint256 => bool) public contextUsed;
    /// @notice Amount approved per nullifier (one holder, this exchange, one epoch) and asset,
    /// keyed by keccak256(abi.encode(nullifier, assetKey)); see epochTotalOf.
    mapping(bytes32 => uint256) internal epochTotals;

    modifier onlyOwner() {
        if (msg.sender != owner) revert NotOwner();
        _;
    }

    /// @param part1 ContextHashPart1, @param part2 ContextHashPart2,
    /// @param part3 ContextHashPart3: the context hash's deployed parts (checked here on a known input).
    constructor(address part1, address part2, address part3) ContextHash(part1, part2, part3) {
        owner = msg.sender;
        rules = Rules({
            policyVersion: 1,
            epochSeconds: 86400,
            maxClockSkewSeconds: 300,
            minTier: 0,
            requireJurisdictionDisclosure: false
        });
        emit OwnershipTransferred(address(0), msg.sender);
    }

    // ------------------------------------------------------------------ withdrawals

    /// @notice Approves one withdrawal or reverts with the reason.
    /// @param proof The bundle's proof, EIP-197 word order (see Groth16Verifier.verifyProof).
    /// @param withdrawal chain_id, str_key(exchange_id), str_key(withdrawal_id), source key,
    /// destination key, str_key(asset), amount: the fields `context` commits to.
    /// @param statement issuer x, issuer y, min_tier, limits[4], identity sanctions root,
    /// address sanctions root, revocation root, blocked_jurisdictions[8].
    /// @param signals nullifier, epoch, now, disclosed jurisdiction (0 when not disclosed).
    /// @return context The withdrawal's context.
    function withdraw(
        uint256[8] calldata proof,
        uint256[7] calldata withdrawal,
        uint256[18] calldata statement,
        uint256[4] calldata signals
    ) external returns (uint256 context) {
        for (uint256 i = 0; i < 7; ++i) {
            if (withdrawal[i] >= R) revert WithdrawalValueOutOfRange(i);
        }
        if (withdrawal[6] >= AMOUNT_BOUND) revert WithdrawalValueOutOfRange(6);
        if (withdrawal[0] != block.chainid) revert ChainMismatch(withdrawal[0], block.chainid);
        uint256 statementHash = _approvedStatementHash(withdrawal[1], withdrawal[5], statement, signals);
        context = _contextHash(withdrawal);
        _settle(proof, withdrawal, signals, statementHash, context);
    }

    /// @notice Approves up to `batchSlots` withdrawals of one holder, one source, asset and
    /// exchange, proved together, or reverts with the reason: the same checks as `withdraw`
    /// for what the items share, each item's context recomputed and refused if used before,
    /// no withdrawal id twice, the epoch total updated once, one batch proof.
    /// @param proof The batch bundle's proof, EIP-197 word order.
    /// @param shared chain_id, str_key(exchange_id), source key, str_key(asset).
    /// @param items Per withdrawal: str_key(withdrawal_id), destination key, amount.
    /// @param statement As for `withdraw`.
    /// @param signals As for `withdraw`: nullifier, epoch, now, disclosed jurisdiction.
    /// @return contexts Each item's context, in order.
    function withdrawBatch(
        uint256[8] calldata proof,
        uint256[4] calldata shared,
        uint256[3][] calldata items,
        uint256[18] calldata statement,
        uint256[4] calldata signals
    ) external returns (uint256[] memory contexts) {
        address verifier = batchVerifier;
        if (verifier == address(0)) revert BatchesNotEnabled();
        uint256 slots = batchSlots;
        if (items.length == 0 || items.length > slots) revert BatchSizeOutOfRange(items.length, slots);
        _checkBatchWords(shared, items);
        uint256[] memory inputs = _batchInputs(shared, items, statement, signals, slots);
        bytes32 totalKey = keccak256(abi.encode(signals[0], shared[3]));
        uint256 total = _batchTotal(items, signals[0], shared[3], totalKey);
        _verifyBatchProof(verifier, slots, proof, inputs);
        contexts = _recordBatch(shared, items, signals[0], inputs);
        epochTotals[totalKey] = total;
        emit BatchApproved(signals[0], items.length, total);
    }

    /// @notice The context of a withdrawal (the same Poseidon hash the proof commits to).
    function contextOf(uint256[7] calldata withdrawal) external view returns (uint256) {
        for (uint256 i = 0; i < 7; ++i) {
            if (withdrawal[i] >= R) revert WithdrawalValueOutOfRange(i);
        }
        return _contextHash(withdrawal);
    }

    /// @notice The key under which a statement's approval is recorded.
    function approvalKey(uint64 version, uint256 exchange, uint256 assetKey, uint256[18] calldata statement)
        public
        pure
        returns (bytes32)
    {
        return keccak256(abi.encode(version, exchange, assetKey, statement));
    }

    // ------------------------------------------------------------------ policy (owner)

    /// @notice Checks a statement against the policy for an asset and records its hash
    /// (Poseidon, computed off-chain by zkcomply-verify from the same values) until the
    /// policy next tightens.
    function approveStatement(uint256[18] calldata statement, uint256 assetKey, uint256 statementHash)
        external
        onlyOwner
    {
        if (statementHash == 0 || statementHash >= R) revert StatementValueOutOfRange(18);
        Rules memory r = rules;
        _checkStatement(statement, assetKey, r.minTier);
        bytes32 key = approvalKey(r.policyVersion, exchangeKey, assetKey, statement);
        approvedStatementHash[key] = statementHash;
        emit StatementApproved(key, statementHash, assetKey);
    }

    /// @notice Sets the exchange, minimum tier, epoch length, clock tolerance (how far a
    /// proof's `now` may be from the block's time; at most half the epoch length) and whether the
    /// jurisdiction must be disclosed.
    function setRules(
        uint256 exchangeKey_,
        uint8 minTier,
        uint64 epochSeconds,
        uint64 maxClockSkewSeconds,
        bool requireJurisdictionDisclosure
    ) external onlyOwner {
        // A tolerance over half an epoch lets a block's time accept three epochs
        // (each with its own nullifier and cap): 2 * tolerance must not exceed the epoch.
        if (epochSeconds == 0 || uint256(maxClockSkewSeconds) * 2 > epochSeconds || exchangeKey_ >= R) {
            revert InvalidRules();
        }
        exchangeKey = exchangeKey_;
        Rules storage r = rules;
        r.epochSeconds = epochSeconds;
        r.maxClockSkewSeconds = maxClockSkewSeconds;
        r.minTier = minTier;
        r.requireJurisdictionDisclosure = requireJurisdictionDisclosure;
        _tighten();
    }

    /// @notice Sets the jurisdictions every proof must exclude (0 for an unused slot).
    function setBlockedJurisdictions(uint16[8] calldata jurisdictions) external onlyOwner {
        for (uint256 i = 0; i < 8; ++i) {
            if (jurisdictions[i] > 999) revert InvalidRules();
        }
        blockedJurisdictions = jurisdictions;
        _tighten();
    }

    /// @notice Accepts or stops accepting an issuer's key.
    function setIssuer(uint256 x, uint256 y, bool accepted) external onlyOwner {
        acceptedIssuer[keccak256(abi.encode(x, y))] = accepted;
        if (!accepted) _tighten();
    }

    /// @notice Accepts or stops accepting an identity or address sanctions root.
    function setSanctionsRoot(RootKind kind, uint256 root, bool accepted) external onlyOwner {
        if (kind == RootKind.Revocation) revert InvalidRules();
        acceptedRoot[kind][root] = accepted;
        if (!accepted) _tighten();
    }

    /// @notice Accepts or stops accepting a revocation root of one issuer.
    function setRevocationRoot(uint256 issuerX, uint256 issuerY, uint256 root, bool accepted) external onlyOwner {
        acceptedRevocationRoot[keccak256(abi.encode(issuerX, issuerY, root))] = accepted;
        if (!accepted) _tighten();
    }

    /// @notice Lists an asset with its four tier limits and per-epoch cap, or delists it.
    function setAsset(uint256 assetKey, uint128[4] calldata limits, uint128 epochCap, bool listed)
        external
        onlyOwner
    {
        assets[assetKey] = Asset({limits: limits, epochCap: epochCap, listed: listed});
        _tighten();
    }

    /// @notice Sets the verifier of batch proofs (Groth16BatchVerifier for the batch key),
    /// once: a gate's verifiers never change. Its slots are read from it.
    function setBatchVerifier(address verifier) external onlyOwner {
        if (batchVerifier != address(0)) revert BatchVerifierAlreadySet(batchVerifier);
        if (verifier.code.length == 0) revert InvalidBatchVerifier();
        uint256 inputs = IBatchVerifier(verifier).PUBLIC_INPUT_COUNT();
        uint256 slots = inputs - BATCH_SHARED_INPUTS;
        if (inputs <= BATCH_SHARED_INPUTS || (slots != 4 && slots != 16)) revert InvalidBatchVerifier();
        batchVerifier = verifier;
        batchSlots = uint8(slots);
        emit BatchVerifierSet(verifier, slots);
    }

    /// @notice Hands the gate to a new owner.
    function transferOwnership(address newOwner) external onlyOwner {
        emit OwnershipTransferred(owner, newOwner);
        owner = newOwner;
    }

    /// @notice An asset's limits, cap and whether it is listed.
    function assetOf(uint256 assetKey) external view returns (uint128[4] memory, uint128, bool) {
        Asset storage a = assets[assetKey];
        return (a.limits, a.epochCap, a.listed);
    }

    /// @notice The amount approved this epoch for a nullifier and asset.
    function epochTotalOf(uint256 nullifier, uint256 assetKey) external view returns (uint256) {
        return epochTotals[keccak256(abi.encode(nullifier, assetKey))];
    }

    /// @notice Whether a revocation root is accepted for an issuer.
    function isRevocationRootAccepted(uint256 issuerX, uint256 issuerY, uint256 root) external view returns (bool) {
        return acceptedRevocationRoot[keccak256(abi.encode(issuerX, issuerY, root))];
    }

    // ------------------------------------------------------------------ internals

    function _tighten() internal {
        uint64 v = rules.policyVersion + 1;
        rules.policyVersion = v;
        emit PolicyChanged(v);
    }

    /// @dev The rules on the signals, then the statement's approved hash (or why there is none).
    function _approvedStatementHash(
        uint256 exchange,
        uint256 assetKey,
        uint256[18] calldata statement,
        uint256[4] calldata signals
    ) internal view returns (uint256 statementHash) {
        Rules memory r = rules;
        uint256 expectedEpoch = signals[2] / r.epochSeconds;
        if (signals[1] != expectedEpoch) revert EpochMismatch(signals[1], expectedEpoch);
        // The clock is always checked: without it a holder could pick `now`, so an
        // expired credential would pass and any epoch (a fresh nullifier) could be chosen.
        uint256 t = signals[2];
        uint256 skew = t > block.timestamp ? t - block.timestamp : block.timestamp - t;
        if (skew > r.maxClockSkewSeconds) revert ClockSkew(t, block.timestamp);
        if (r.requireJurisdictionDisclosure && signals[3] == 0) revert JurisdictionDisclosureRequired();

        bytes32 key = approvalKey(r.policyVersion, exchange, assetKey, statement);
        statementHash = approvedStatementHash[key];
        if (statementHash == 0) {
            // Say which rule fails; a statement that passes them all still needs its hash approved.
            if (exchange != exchangeKey) revert ExchangeMismatch(exchange, exchangeKey);
            _checkStatement(statement, assetKey, r.minTier);
            revert StatementNotApproved(key);
        }
    }

    /// @dev Replay and cap checks, the proof, then the state changes and the event.
    function _settle(
        uint256[8] calldata proof,
        uint256[7] calldata withdrawal,
        uint256[4] calldata signals,
        uint256 statementHash,
        uint256 context
    ) internal {
        if (contextUsed[context]) revert ContextAlreadyUsed(context);
        uint256 nullifier = signals[0];
        bytes32 totalKey = keccak256(abi.encode(nullifier, withdrawal[5]));
        uint256 total = epochTotals[totalKey] + withdrawal[6];
        uint256 cap = assets[withdrawal[5]].epochCap;
        if (total > cap) revert EpochCapExceeded(nullifier, total, cap);

        uint256[6] memory inputs = [statementHash, context, nullifier, signals[1], signals[2], signals[3]];
        if (!_verifyProof(proof, inputs)) revert ProofInvalid();

        contextUsed[context] = true;
        epochTotals[totalKey] = total;
        _emitApproved(context, nullifier, withdrawal, total);
    }

    function _emitApproved(uint256 context, uint256 nullifier, uint256[7] calldata withdrawal, uint256 total)
        internal
    {
        emit WithdrawalApproved(
            context, nullifier, withdrawal[2], withdrawal[3], withdrawal[4], withdrawal[5], withdrawal[6], total
        );
    }

    /// @dev The batch proof's public inputs: the approved statement hash, the signals, and
    /// each item's context (refused if used before); empty slots 0.
    function _batchInputs(
        uint256[4] calldata shared,
        uint256[3][] calldata items,
        uint256[18] calldata statement,
        uint256[4] calldata signals,
        uint256 slots
    ) internal view returns (uint256[] memory inputs) {
        inputs = new uint256[](BATCH_SHARED_INPUTS + slots);
        inputs[0] = _approvedStatementHash(shared[1], shared[3], statement, signals);
        inputs[1] = signals[0];
        inputs[2] = signals[1];
        inputs[3] = signals[2];
        inputs[4] = signals[3];
        uint256[7] memory w = [shared[0], shared[1], 0, shared[2], 0, shared[3], 0];
        for (uint256 i = 0; i < items.length; ++i) {
            w[2] = items[i][0];
            w[4] = items[i][1];
            w[6] = items[i][2];
            uint256 context = _contextHashOf(w);
            if (contextUsed[context]) revert ContextAlreadyUsed(context);
            inputs[BATCH_SHARED_INPUTS + i] = context;
        }
    }

    /// @dev The holder's epoch total with every item added, against the asset's cap.
    function _batchTotal(uint256[3][] calldata items, uint256 nullifier, uint256 assetKey, bytes32 totalKey)
        internal
        view
        returns (uint256 total)
    {
        total = epochTotals[totalKey];
        for (uint256 i = 0; i < items.length; ++i) {
            total += items[i][2];
        }
        uint256 cap = assets[assetKey].epochCap;
        if (total > cap) revert EpochCapExceeded(nullifier, total, cap);
    }

    /// @dev Records each item's context and emits its WithdrawalApproved, with the running
    /// total; returns the contexts.
    function _recordBatch(
        uint256[4] calldata shared,
        uint256[3][] calldata items,
        uint256 nullifier,
        uint256[] memory inputs
    ) internal returns (uint256[] memory contexts) {
        contexts = new uint256[](items.length);
        bytes32 totalKey = keccak256(abi.encode(nullifier, shared[3]));
        uint256 running = epochTotals[totalKey];
        for (uint256 i = 0; i < items.length; ++i) {
            uint256 context = inputs[BATCH_SHARED_INPUTS + i];
            contexts[i] = context;
            contextUsed[context] = true;
            running += items[i][2];
            emit WithdrawalApproved(context, nullifier, items[i][0], shared[2], items[i][1], shared[3], items[i][2], running);
        }
    }

    /// @dev A batch's words in range, on this chain, and no withdrawal id twice.
    function _checkBatchWords(uint256[4] calldata shared, uint256[3][] calldata items) internal view {
        // The shared words' places in a withdrawal: chain 0, exchange 1, source 3, asset 5.
        if (shared[0] >= R) revert WithdrawalValueOutOfRange(0);
        if (shared[1] >= R) revert WithdrawalValueOutOfRange(1);
        if (shared[2] >= R) revert WithdrawalValueOutOfRange(3);
        if (shared[3] >= R) revert WithdrawalValueOutOfRange(5);
        if (shared[0] != block.chainid) revert ChainMismatch(shared[0], block.chainid);
        for (uint256 i = 0; i < items.length; ++i) {
            if (items[i][0] >= R) revert BatchItemValueOutOfRange(i, 2);
            if (items[i][1] >= R) revert BatchItemValueOutOfRange(i, 4);
            if (items[i][2] >= AMOUNT_BOUND) revert BatchItemValueOutOfRange(i, 6);
            for (uint256 j = 0; j < i; ++j) {
                if (items[j][0] == items[i][0]) revert DuplicateWithdrawal(j, i);
            }
        }
    }

    /// @dev The batch proof, by the batch verifier: its named errors are passed on.
    function _verifyBatchProof(address verifier, uint256 slots, uint256[8] calldata proof, uint256[] memory inputs)
        internal
        view
    {
        uint256[8] memory p = proof;
        bytes4 selector = slots == 4 ? VERIFY_BATCH_4 : VERIFY_BATCH_16;
        (bool ok, bytes memory ret) = verifier.staticcall(abi.encodePacked(selector, p, inputs));
        if (!ok) {
            assembly {
                revert(add(ret, 32), mload(ret))
            }
        }
        if (ret.length != 32 || abi.decode(ret, (uint256)) != 1) revert ProofInvalid();
    }

    /// @dev The policy's field-by-field rules for the statement's values.
    function _checkStatement(uint256[18] calldata s, uint256 assetKey, uint8 minTier) internal view {
        for (uint256 i = 0; i < 18; ++i) {
            if (s[i] >= R) revert StatementValueOutOfRange(i);
        }
        if (s[2] > 255) revert StatementValueOutOfRange(2);
        if (!acceptedIssuer[keccak256(abi.encode(s[0], s[1]))]) revert IssuerNotAccepted(s[0], s[1]);
        if (s[2] < minTier) revert TierTooLow(s[2], minTier);
        Asset storage a = assets[assetKey];
        if (!a.listed) revert AssetNotListed(assetKey);
        for (uint256 t = 0; t < 4; ++t) {
            uint256 limit = s[3 + t];
            if (limit >= AMOUNT_BOUND) revert StatementValueOutOfRange(3 + t);
            if (limit > a.limits[t]) revert LimitAbovePolicy(t, limit, a.limits[t]);
        }
        if (!acceptedRoot[RootKind.IdentitySanctions][s[7]]) revert RootNotAccepted(RootKind.IdentitySanctions, s[7]);
        if (!acceptedRoot[RootKind.AddressSanctions][s[8]]) revert RootNotAccepted(RootKind.AddressSanctions, s[8]);
        if (!acceptedRevocationRoot[keccak256(abi.encode(s[0], s[1], s[9]))]) {
            revert RootNotAccepted(RootKind.Revocation, s[9]);
        }
        for (uint256 i = 0; i < 8; ++i) {
            uint256 j = blockedJurisdictions[i];
            if (j == 0) continue;
            bool excluded = false;
            for (uint256 k = 10; k < 18; ++k) {
                if (s[k] == j) excluded = true;
            }
            if (!excluded) revert JurisdictionNotBlocked(j);
        }
    }
}
