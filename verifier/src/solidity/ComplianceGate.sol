// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity ^0.8.24;

import {Groth16Verifier} from "./Groth16Verifier.sol";
import {ContextHash} from "./ContextHash.sol";

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
        uint256 statementHash = _approvedStatementHash(withdrawal, statement, signals);
        context = _contextHash(withdrawal);
        _settle(proof, withdrawal, signals, statementHash, context);
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
        uint256[7] calldata withdrawal,
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

        bytes32 key = approvalKey(r.policyVersion, withdrawal[1], withdrawal[5], statement);
        statementHash = approvedStatementHash[key];
        if (statementHash == 0) {
            // Say which rule fails; a statement that passes them all still needs its hash approved.
            if (withdrawal[1] != exchangeKey) revert ExchangeMismatch(withdrawal[1], exchangeKey);
            _checkStatement(statement, withdrawal[5], r.minTier);
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
