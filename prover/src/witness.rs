//! From the formats to a witness: a holder's credential, one withdrawal,
//! the receiving exchange's policy and the three trees become
//! [`WithdrawalInputs`], after checking that the inputs fit the policy.

use std::path::Path;
use std::sync::Arc;

use zkcomply_circuits::eddsa::PublicKey;
use zkcomply_circuits::field::fr_to_decimal;
use zkcomply_circuits::public_inputs::BLOCKED_SLOTS;
use zkcomply_circuits::withdrawal::{WithdrawalInputs, WithdrawalWitness};
use zkcomply_circuits::Fr;
use zkcomply_verifier::credential::Credential;
use zkcomply_verifier::policy::Policy;
use zkcomply_verifier::read_text;
use zkcomply_verifier::values::FieldElement;
use zkcomply_verifier::withdrawal::Withdrawal;

use crate::tree_file::{TreeFile, TreeKind};
use crate::ProverError;

/// Everything `zkcomply prove` reads.
pub struct ProofRequest {
    /// The holder's copy of the credential (with the secret).
    pub credential: Credential,
    /// The withdrawal.
    pub withdrawal: Withdrawal,
    /// The receiving exchange's policy.
    pub policy: Policy,
    /// Identity sanctions tree (shared: a service proves many requests
    /// against the same trees).
    pub identity_tree: Arc<TreeFile>,
    /// Address sanctions tree.
    pub address_tree: Arc<TreeFile>,
    /// The issuer's revocation tree.
    pub revocation_tree: Arc<TreeFile>,
}

impl ProofRequest {
    /// Reads and parses every input file.
    ///
    /// # Errors
    /// [`ProverError`] naming the file and field.
    pub fn load(
        credential: &Path,
        withdrawal: &Path,
        policy: &Path,
        identity_tree: &Path,
        address_tree: &Path,
        revocation_tree: &Path,
    ) -> Result<Self, ProverError> {
        Ok(Self {
            credential: Credential::from_json(&read_text(credential)?).map_err(|e| e.in_file(credential))?,
            withdrawal: Withdrawal::from_json(&read_text(withdrawal)?).map_err(|e| e.in_file(withdrawal))?,
            policy: Policy::from_json(&read_text(policy)?).map_err(|e| e.in_file(policy))?,
            identity_tree: Arc::new(TreeFile::load_kind(identity_tree, TreeKind::Identity)?),
            address_tree: Arc::new(TreeFile::load_kind(address_tree, TreeKind::Address)?),
            revocation_tree: Arc::new(TreeFile::load_kind(revocation_tree, TreeKind::Revocation)?),
        })
    }

    /// Reads the inputs from one directory under the names `zkcomply demo`
    /// writes: `credential.json`, `withdrawal.json`, `policy.json`,
    /// `identity_tree.json`, `address_tree.json`, `revocation_tree.json`.
    ///
    /// # Errors
    /// As [`ProofRequest::load`].
    pub fn load_dir(dir: &Path) -> Result<Self, ProverError> {
        use crate::demo::files;
        Self::load(
            &dir.join(files::CREDENTIAL),
            &dir.join(files::WITHDRAWAL),
            &dir.join(files::POLICY),
            &dir.join(files::IDENTITY_TREE),
            &dir.join(files::ADDRESS_TREE),
            &dir.join(files::REVOCATION_TREE),
        )
    }

    /// Checks the inputs against the policy and returns the typed inputs.
    ///
    /// # Errors
    /// [`ProverError::Policy`] or [`ProverError::Statement`] with the reason.
    pub fn inputs(&self) -> Result<WithdrawalInputs<'_>, ProverError> {
        let c = &self.credential;
        let w = &self.withdrawal;
        let p = &self.policy;
        let secret = c.holder.secret.ok_or_else(|| {
            ProverError::Policy(
                "the credential has no holder secret: use the holder's copy (zkcomply holder accept)".into(),
            )
        })?;
        if zkcomply_circuits::encoding::id_commitment(secret.0) != c.holder.id_commitment.0 {
            return Err(ProverError::Policy("holder.secret does not match holder.id_commitment".into()));
        }
        if let Some(issuers) = &p.issuers {
            if !issuers.contains(&c.issuer_public_key) {
                return Err(ProverError::Policy("the credential's issuer is not accepted by the policy".into()));
            }
        }
        let limits = match &p.limits {
            None => [u128::MAX; 4],
            Some(l) => l
                .get(&w.asset)
                .ok_or_else(|| ProverError::Policy(format!("the policy sets no limits for asset {:?}", w.asset)))?
                .map(|a| a.0),
        };
        let blocked_list = p.blocked_jurisdictions.clone().unwrap_or_default();
        if blocked_list.len() > BLOCKED_SLOTS {
            return Err(ProverError::Policy(format!(
                "the policy blocks {} jurisdictions; the circuit proves exclusion from at most {BLOCKED_SLOTS}",
                blocked_list.len()
            )));
        }
        let mut blocked = [blocked_list.first().copied().unwrap_or(0); BLOCKED_SLOTS];
        blocked[..blocked_list.len()].copy_from_slice(&blocked_list);
        if let Some(id) = &p.exchange_id {
            if &w.exchange_id != id {
                return Err(ProverError::Policy(format!(
                    "the withdrawal is for exchange {:?}, the policy is exchange {id:?}'s",
                    w.exchange_id
                )));
            }
        }
        let revocation_roots = p.revocation_roots_for(&c.issuer_public_key);
        for (name, roots, tree) in [
            ("identity sanctions", &p.identity_sanctions_roots, &self.identity_tree),
            ("address sanctions", &p.address_sanctions_roots, &self.address_tree),
            ("issuer's revocation", &revocation_roots, &self.revocation_tree),
        ] {
            if let Some(roots) = roots {
                if !roots.contains(&FieldElement(tree.tree.root())) {
                    return Err(ProverError::Policy(format!(
                        "the {name} tree's root {} is not one the policy accepts",
                        fr_to_decimal(&tree.tree.root())
                    )));
                }
            }
        }
        if let Some(secs) = p.epoch_seconds {
            if w.epoch.0 != w.now.0 / secs {
                return Err(ProverError::Policy(format!(
                    "withdrawal epoch {} is not now / epoch_seconds = {}",
                    w.epoch.0,
                    w.now.0 / secs
                )));
            }
        }
        let disclose = p.requires_jurisdiction_disclosure();
        let context = w.context_fields().map_err(|e| ProverError::Policy(format!("withdrawal: {e}")))?;
        Ok(WithdrawalInputs {
            secret: secret.0,
            kyc_tier: c.attributes.kyc_tier,
            jurisdiction: c.attributes.jurisdiction,
            identity_hash: c.attributes.identity_hash.0,
            expires_at: c.attributes.expires_at.0,
            nonce: c.attributes.nonce.0,
            signature: c.signature(),
            issuer: PublicKey(c.issuer_public_key.point()),
            min_tier: p.min_tier.unwrap_or(0),
            limits,
            blocked_jurisdictions: blocked,
            context,
            epoch: w.epoch.0,
            now: w.now.0,
            disclose_jurisdiction: disclose,
            identity_tree: &self.identity_tree.tree,
            address_tree: &self.address_tree.tree,
            revocation_tree: &self.revocation_tree.tree,
        })
    }

    /// Checks everything and builds the witness.
    ///
    /// # Errors
    /// As [`ProofRequest::inputs`], and the first false statement row.
    pub fn witness(&self) -> Result<WithdrawalWitness, ProverError> {
        Ok(self.inputs()?.build()?)
    }
}

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
        ("issuer_ax", w.statement.head[0]),
        ("issuer_ay", w.statement.head[1]),
        ("min_tier", w.statement.head[2]),
        ("identity_root", w.statement.head[7]),
        ("address_root", w.statement.head[8]),
        ("revocation_root", w.statement.head[9]),
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
    m.insert("limits".into(), v(&w.statement.head[3..7]));
    m.insert("blocked".into(), v(&w.statement.blocked));
    for (name, t) in [("identity", &w.identity_tree), ("address", &w.address_tree), ("revocation", &w.revocation_tree)]
    {
        m.insert(format!("{name}_low_key"), d(&t.low_key));
        m.insert(format!("{name}_low_next"), d(&t.low_next));
        m.insert(format!("{name}_path_bits"), v(&t.path_bits));
        m.insert(format!("{name}_siblings"), v(&t.siblings));
    }
    serde_json::Value::Object(m)
}
