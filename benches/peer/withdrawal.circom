// The zkcomply withdrawal statement written with circomlib, for the
// side-by-side comparison in this folder (see README.md). It proves the same
// statement as zkcomply's Groth16 circuit: the public signals it produces must
// equal the `public_inputs` of a zkcomply bundle for the same withdrawal.
//
// Every check fails closed: a violated check makes the witness unsatisfiable;
// no result bit is exposed.
pragma circom 2.1.0;

include "circomlib/circuits/poseidon.circom";
include "circomlib/circuits/eddsaposeidon.circom";
include "circomlib/circuits/comparators.circom";
include "circomlib/circuits/bitify.circom";
include "circomlib/circuits/mux2.circom";
include "circomlib/circuits/switcher.circom";

// Non-membership of `key` in an indexed Merkle tree of fixed depth.
// Leaves are Poseidon(key, next_key, 1); inner nodes Poseidon(left, right).
// Set keys are below 2^252, so 252-bit comparisons are complete; with the low
// leaf bound by the root (its keys below 2^252, low_key < low_next) they are
// also sound for any `key` in the field.
template IMTNonMembership(depth) {
    signal input key;
    signal input root;
    signal input low_key;
    signal input low_next;
    signal input path_bits[depth];
    signal input siblings[depth];

    // The low leaf is in the tree.
    signal cur[depth + 1];
    cur[0] <== Poseidon(3)([low_key, low_next, 1]);

    component sw[depth];
    component node[depth];
    for (var i = 0; i < depth; i++) {
        path_bits[i] * (1 - path_bits[i]) === 0;

        // bit 0: cur is the left child; bit 1: cur is the right child.
        sw[i] = Switcher();
        sw[i].sel <== path_bits[i];
        sw[i].L <== cur[i];
        sw[i].R <== siblings[i];

        node[i] = Poseidon(2);
        node[i].inputs[0] <== sw[i].outL;
        node[i].inputs[1] <== sw[i].outR;
        cur[i + 1] <== node[i].out;
    }
    root === cur[depth];

    // low_key < key
    signal above_low <== LessThan(252)([low_key, key]);
    above_low === 1;

    // key < low_next, unless low_next == 0 (the low leaf is the last one).
    signal below_next <== LessThan(252)([key, low_next]);
    signal next_is_none <== IsZero()(low_next);
    (1 - below_next) * (1 - next_is_none) === 0;
}

template Withdrawal(depth) {
    // Public, in this order.
    signal input statement_hash;
    signal input context;
    signal input nullifier;
    signal input epoch;
    signal input now;
    signal input disclosed_jurisdiction;

    // Policy values (bound by statement_hash).
    signal input issuer_ax;
    signal input issuer_ay;
    signal input min_tier;
    signal input limits[4];
    signal input identity_root;
    signal input address_root;
    signal input revocation_root;
    signal input blocked[8];

    // Credential.
    signal input secret;
    signal input kyc_tier;
    signal input jurisdiction;
    signal input identity_hash;
    signal input expires_at;
    signal input nonce;
    signal input sig_r8x;
    signal input sig_r8y;
    signal input sig_s;

    // Withdrawal.
    signal input chain_id;
    signal input exchange_key;
    signal input withdrawal_key;
    signal input source_key;
    signal input destination_key;
    signal input asset_key;
    signal input amount;

    // Non-membership witnesses.
    signal input identity_low_key;
    signal input identity_low_next;
    signal input identity_path_bits[depth];
    signal input identity_siblings[depth];
    signal input address_low_key;
    signal input address_low_next;
    signal input address_path_bits[depth];
    signal input address_siblings[depth];
    signal input revocation_low_key;
    signal input revocation_low_next;
    signal input revocation_path_bits[depth];
    signal input revocation_siblings[depth];

    // 1. statement_hash commits to the policy values.
    signal policy_hash <== Poseidon(10)([
        issuer_ax, issuer_ay, min_tier, limits[0], limits[1], limits[2], limits[3],
        identity_root, address_root, revocation_root
    ]);
    signal blocked_hash <== Poseidon(8)(blocked);
    signal statement <== Poseidon(2)([policy_hash, blocked_hash]);
    statement_hash === statement;

    // 2. The issuer signed the credential.
    signal id_commitment <== Poseidon(1)([secret]);
    signal message <== Poseidon(6)([id_commitment, kyc_tier, jurisdiction, identity_hash, expires_at, nonce]);
    component sig = EdDSAPoseidonVerifier();
    sig.enabled <== 1;
    sig.Ax <== issuer_ax;
    sig.Ay <== issuer_ay;
    sig.S <== sig_s;
    sig.R8x <== sig_r8x;
    sig.R8y <== sig_r8y;
    sig.M <== message;

    // 3. kyc_tier >= min_tier, both 8-bit.
    signal tier_bits[8] <== Num2Bits(8)(kyc_tier);
    component min_tier_bits = Num2Bits(8);
    min_tier_bits.in <== min_tier;
    signal tier_ok <== GreaterEqThan(8)([kyc_tier, min_tier]);
    tier_ok === 1;

    // 4. expires_at > now, both below 2^53.
    component expires_bits = Num2Bits(53);
    expires_bits.in <== expires_at;
    component now_bits = Num2Bits(53);
    now_bits.in <== now;
    signal not_expired <== LessThan(53)([now, expires_at]);
    not_expired === 1;

    // 5. amount <= limits[min(kyc_tier, 3)], both below 2^128.
    // Index bits: (b0, b1) of kyc_tier when its higher bits are all zero,
    // else (1, 1).
    signal tier_low <== IsZero()(tier_bits[2] + tier_bits[3] + tier_bits[4] + tier_bits[5] + tier_bits[6] + tier_bits[7]);
    signal index_bits[2];
    index_bits[0] <== 1 - tier_low + tier_bits[0] * tier_low;
    index_bits[1] <== 1 - tier_low + tier_bits[1] * tier_low;
    component limit = Mux2();
    limit.c <== limits;
    limit.s <== index_bits;
    component amount_bits = Num2Bits(128);
    amount_bits.in <== amount;
    component limit_bits = Num2Bits(128);
    limit_bits.in <== limit.out;
    signal within_limit <== LessEqThan(128)([amount, limit.out]);
    within_limit === 1;

    // 6. Non-membership in the three trees.
    component identity = IMTNonMembership(depth);
    identity.key <== identity_hash;
    identity.root <== identity_root;
    identity.low_key <== identity_low_key;
    identity.low_next <== identity_low_next;
    identity.path_bits <== identity_path_bits;
    identity.siblings <== identity_siblings;

    component address = IMTNonMembership(depth);
    address.key <== source_key;
    address.root <== address_root;
    address.low_key <== address_low_key;
    address.low_next <== address_low_next;
    address.path_bits <== address_path_bits;
    address.siblings <== address_siblings;

    component revocation = IMTNonMembership(depth);
    revocation.key <== nonce;
    revocation.root <== revocation_root;
    revocation.low_key <== revocation_low_key;
    revocation.low_next <== revocation_low_next;
    revocation.path_bits <== revocation_path_bits;
    revocation.siblings <== revocation_siblings;

    // 7. jurisdiction is none of the blocked ones.
    signal is_blocked[8];
    for (var i = 0; i < 8; i++) {
        is_blocked[i] <== IsEqual()([jurisdiction, blocked[i]]);
        is_blocked[i] === 0;
    }

    // 8. The disclosed jurisdiction is 0 (not disclosed) or the real one.
    disclosed_jurisdiction * (disclosed_jurisdiction - jurisdiction) === 0;

    // 9. nullifier = Poseidon(secret, exchange_key, epoch).
    signal expected_nullifier <== Poseidon(3)([secret, exchange_key, epoch]);
    nullifier === expected_nullifier;

    // 10. context binds the proof to this withdrawal.
    signal expected_context <== Poseidon(7)([chain_id, exchange_key, withdrawal_key, source_key, destination_key, asset_key, amount]);
    context === expected_context;
}

component main {public [statement_hash, context, nullifier, epoch, now, disclosed_jurisdiction]} = Withdrawal(20);
