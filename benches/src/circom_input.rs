//! The witness as circom input signals, for the side-by-side comparison
//! with the circom version of the statement (`benches/peer/`): one signal
//! name per witness value, as `benches/peer/withdrawal.circom` declares
//! them.

use zkcomply_circuits::field::fr_to_decimal;
use zkcomply_circuits::withdrawal::WithdrawalWitness;
use zkcomply_circuits::Fr;

/// The witness as circom input signals (for the side-by-side comparison
/// with the circom version of the statement).
pub fn circom_input(w: &WithdrawalWitness) -> serde_json::Value {
    let d = |x: &Fr| serde_json::Value::String(fr_to_decimal(x));
    let v = |xs: &[Fr]| serde_json::Value::Array(xs.iter().map(d).collect());
    let mut m = serde_json::Map::new();
    let p = &w.public;
    for (k, x) in [
        ("statement_hash", p.statement_hash),
        ("context", p.context),
        ("nullifier", p.nullifier),
        ("epoch", p.epoch),
        ("now", p.now),
        ("disclosed_jurisdiction", p.disclosed_jurisdiction),
        ("issuer_ax", w.statement.issuer_x),
        ("issuer_ay", w.statement.issuer_y),
        ("min_tier", w.statement.min_tier),
        ("identity_root", w.statement.identity_root),
        ("address_root", w.statement.address_root),
        ("revocation_root", w.statement.revocation_root),
        ("secret", w.credential.secret),
        ("kyc_tier", w.credential.kyc_tier),
        ("jurisdiction", w.credential.jurisdiction),
        ("identity_hash", w.credential.identity_hash),
        ("expires_at", w.credential.expires_at),
        ("nonce", w.credential.nonce),
        ("sig_r8x", w.credential.sig_r8.x),
        ("sig_r8y", w.credential.sig_r8.y),
        ("sig_s", w.credential.sig_s),
        ("chain_id", w.withdrawal.chain_id),
        ("exchange_key", w.withdrawal.exchange_key),
        ("withdrawal_key", w.withdrawal.withdrawal_key),
        ("source_key", w.withdrawal.source_key),
        ("destination_key", w.withdrawal.destination_key),
        ("asset_key", w.withdrawal.asset_key),
        ("amount", w.withdrawal.amount),
    ] {
        m.insert(k.into(), d(&x));
    }
    m.insert("limits".into(), v(&w.statement.limits));
    m.insert("blocked".into(), v(&w.statement.blocked_jurisdictions));
    for (name, t) in [("identity", &w.identity_tree), ("address", &w.address_tree), ("revocation", &w.revocation_tree)]
    {
        m.insert(format!("{name}_low_key"), d(&t.low_key));
        m.insert(format!("{name}_low_next"), d(&t.low_next));
        m.insert(format!("{name}_path_bits"), v(&t.path_bits));
        m.insert(format!("{name}_siblings"), v(&t.siblings));
    }
    serde_json::Value::Object(m)
}
