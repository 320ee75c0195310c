//! From the formats to a witness: a holder's credential, one withdrawal,
//! the receiving exchange's policy and the three trees become
//! [`WithdrawalInputs`], after checking that the inputs fit the policy.

use std::path::Path;
use std::sync::Arc;

use zkcomply_circuits::eddsa::PublicKey;
use zkcomply_circuits::field::fr_to_decimal;
use zkcomply_circuits::public_inputs::BLOCKED_SLOTS;
use zkcomply_circuits::withdrawal::{WithdrawalInputs, WithdrawalWitness};
use zkcomply_verifier::credential::Credential;
use zkcomply_verifier::limits::{MAX_CREDENTIAL_BYTES, MAX_POLICY_BYTES, MAX_WITHDRAWAL_BYTES};
use zkcomply_verifier::policy::Policy;
use zkcomply_verifier::read_text;
use zkcomply_verifier::values::FieldElement;
use zkcomply_verifier::withdrawal::Withdrawal;

use crate::layout;
use crate::tree_file::{TreeFile, TreeKind};
use crate::{PolicyMismatch, ProverError};

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
            credential: Credential::from_json(&read_text(credential, &MAX_CREDENTIAL_BYTES)?)
                .map_err(|e| e.in_file(credential))?,
            withdrawal: Withdrawal::from_json(&read_text(withdrawal, &MAX_WITHDRAWAL_BYTES)?)
                .map_err(|e| e.in_file(withdrawal))?,
            policy: Policy::from_json(&read_text(policy, &MAX_POLICY_BYTES)?).map_err(|e| e.in_file(policy))?,
            identity_tree: Arc::new(TreeFile::load_kind(identity_tree, TreeKind::Identity)?),
            address_tree: Arc::new(TreeFile::load_kind(address_tree, TreeKind::Address)?),
            revocation_tree: Arc::new(TreeFile::load_kind(revocation_tree, TreeKind::Revocation)?),
        })
    }

    /// Reads the inputs from one directory under the names of
    /// [`layout`] (those `zkcomply demo` writes): `credential.json`, `withdrawal.json`, `policy.json`,
    /// `identity_tree.json`, `address_tree.json`, `revocation_tree.json`.
    ///
    /// # Errors
    /// As [`ProofRequest::load`].
    pub fn load_dir(dir: &Path) -> Result<Self, ProverError> {
        Self::load(
            &dir.join(layout::CREDENTIAL),
            &dir.join(layout::WITHDRAWAL),
            &dir.join(layout::POLICY),
            &dir.join(layout::IDENTITY_TREE),
            &dir.join(layout::ADDRESS_TREE),
            &dir.join(layout::REVOCATION_TREE),
        )
    }

    /// Checks the inputs against the policy and returns the typed inputs.
    ///
    /// # Errors
    /// [`ProverError::Tree`] for a tree of another depth than the
    /// circuit's; [`ProverError::Policy`] or [`ProverError::Statement`] with
    /// the reason.
    pub fn inputs(&self) -> Result<WithdrawalInputs<'_>, ProverError> {
        self.inputs_for(&self.withdrawal)
    }

    /// As [`ProofRequest::inputs`], for another withdrawal of the same
    /// holder under the same policy and trees (an item of a batch).
    ///
    /// # Errors
    /// As [`ProofRequest::inputs`].
    pub fn inputs_for(&self, w: &Withdrawal) -> Result<WithdrawalInputs<'_>, ProverError> {
        for tree in [&self.identity_tree, &self.address_tree, &self.revocation_tree] {
            tree.check_circuit_depth()?;
        }
        let c = &self.credential;
        let p = &self.policy;
        let secret = c.holder.secret.as_ref().ok_or(PolicyMismatch::NoHolderSecret)?.expose();
        if zkcomply_circuits::encoding::id_commitment(secret) != c.holder.id_commitment.0 {
            return Err(PolicyMismatch::SecretMismatch.into());
        }
        if let Some(issuers) = &p.issuers {
            if !issuers.contains(&c.issuer_public_key) {
                return Err(PolicyMismatch::IssuerNotAccepted.into());
            }
        }
        let limits = match &p.limits {
            None => [u128::MAX; 4],
            Some(l) => {
                l.get(&w.asset).ok_or_else(|| PolicyMismatch::NoLimitsForAsset { asset: w.asset.clone() })?.map(|a| a.0)
            }
        };
        let blocked_list = p.blocked_jurisdictions.clone().unwrap_or_default();
        if blocked_list.len() > BLOCKED_SLOTS {
            return Err(PolicyMismatch::TooManyBlockedJurisdictions { count: blocked_list.len() }.into());
        }
        let mut blocked = [blocked_list.first().copied().unwrap_or(0); BLOCKED_SLOTS];
        blocked[..blocked_list.len()].copy_from_slice(&blocked_list);
        if let Some(id) = &p.exchange_id {
            if &w.exchange_id != id {
                return Err(
                    PolicyMismatch::ExchangeMismatch { withdrawal: w.exchange_id.clone(), policy: id.clone() }.into()
                );
            }
        }
        let revocation_roots = p.revocation_roots_for(&c.issuer_public_key);
        for (kind, roots, tree) in [
            (TreeKind::Identity, &p.identity_sanctions_roots, &self.identity_tree),
            (TreeKind::Address, &p.address_sanctions_roots, &self.address_tree),
            (TreeKind::Revocation, &revocation_roots, &self.revocation_tree),
        ] {
            if let Some(roots) = roots {
                if !roots.contains(&FieldElement(tree.tree.root())) {
                    return Err(PolicyMismatch::RootNotAccepted { kind, root: fr_to_decimal(&tree.tree.root()) }.into());
                }
            }
        }
        if let Some(secs) = p.epoch_seconds {
            if w.epoch.0 != w.now.0 / secs {
                return Err(PolicyMismatch::EpochMismatch { epoch: w.epoch.0, expected: w.now.0 / secs }.into());
            }
        }
        let disclose = p.requires_jurisdiction_disclosure();
        let context = w.context_fields().map_err(PolicyMismatch::from)?;
        Ok(WithdrawalInputs {
            secret,
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
