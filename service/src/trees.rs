//! The tree files a service proves against, and the choice of tree for a
//! request: the newest tree of each kind whose root the request's policy
//! accepts (the newest of the kind when the policy names no roots).

use std::path::PathBuf;
use std::sync::Arc;

use zkcomply_circuits::field::fr_to_decimal;
use zkcomply_verifier::policy::Policy;
use zkcomply_verifier::values::{FieldElement, PointJson};

use zkcomply_prover::tree_file::{TreeFile, TreeKind};
use zkcomply_prover::ProverError;

/// The loaded trees, by kind.
pub struct ServiceTrees {
    identity: Vec<Arc<TreeFile>>,
    address: Vec<Arc<TreeFile>>,
    revocation: Vec<Arc<TreeFile>>,
}

/// The three trees for one request.
pub struct ChosenTrees {
    /// Identity sanctions tree.
    pub identity: Arc<TreeFile>,
    /// Address sanctions tree.
    pub address: Arc<TreeFile>,
    /// The issuer's revocation tree.
    pub revocation: Arc<TreeFile>,
}

impl ServiceTrees {
    /// Loads every file; each must be a valid tree; each kind must appear.
    ///
    /// # Errors
    /// [`ProverError`] naming the file, or the kind that is missing.
    pub fn load(paths: &[PathBuf]) -> Result<Self, ProverError> {
        let mut trees = Self { identity: Vec::new(), address: Vec::new(), revocation: Vec::new() };
        for path in paths {
            let tree = Arc::new(TreeFile::load(path)?);
            trees.of_kind_mut(tree.kind).push(tree);
        }
        for kind in [TreeKind::Identity, TreeKind::Address, TreeKind::Revocation] {
            let list = trees.of_kind_mut(kind);
            if list.is_empty() {
                return Err(ProverError::Tree(format!("trees: no {} tree among the configured files", kind.name())));
            }
            list.sort_by_key(|t| std::cmp::Reverse(t.built_at));
        }
        Ok(trees)
    }

    fn of_kind_mut(&mut self, kind: TreeKind) -> &mut Vec<Arc<TreeFile>> {
        match kind {
            TreeKind::Identity => &mut self.identity,
            TreeKind::Address => &mut self.address,
            TreeKind::Revocation => &mut self.revocation,
        }
    }

    /// The trees for a request from a credential of `issuer` under `policy`.
    ///
    /// # Errors
    /// [`ProverError::Policy`] naming the kind when no configured tree has a
    /// root the policy accepts.
    pub fn choose(&self, policy: &Policy, issuer: &PointJson) -> Result<ChosenTrees, ProverError> {
        Ok(ChosenTrees {
            identity: pick(&self.identity, policy.identity_sanctions_roots.as_deref(), "identity sanctions")?,
            address: pick(&self.address, policy.address_sanctions_roots.as_deref(), "address sanctions")?,
            revocation: pick(&self.revocation, policy.revocation_roots_for(issuer).as_deref(), "issuer's revocation")?,
        })
    }
}

fn pick(trees: &[Arc<TreeFile>], accepted: Option<&[FieldElement]>, name: &str) -> Result<Arc<TreeFile>, ProverError> {
    let found = match accepted {
        None => trees.first(),
        Some(roots) => trees.iter().find(|t| roots.contains(&FieldElement(t.tree.root()))),
    };
    found.cloned().ok_or_else(|| {
        let have: Vec<String> = trees.iter().map(|t| fr_to_decimal(&t.tree.root())).collect();
        ProverError::Policy(format!(
            "the service has no {name} tree whose root the policy accepts (it has {})",
            have.join(", ")
        ))
    })
}
