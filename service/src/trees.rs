//! The tree files a service proves against, and the choice of tree for a
//! request: the newest tree of each kind whose root the request's policy
//! accepts (the newest of the kind when the policy names no roots).

use std::path::PathBuf;
use std::sync::Arc;

use zkcomply_circuits::field::fr_to_decimal;
use zkcomply_verifier::policy::Policy;
use zkcomply_verifier::values::{FieldElement, PointJson};

use zkcomply_prover::tree_file::{TreeFile, TreeKind};

use crate::error::ServiceError;

/// The loaded trees, by kind.
pub struct ServiceTrees {
    identity: Vec<Arc<TreeFile>>,
    address: Vec<Arc<TreeFile>>,
    revocation: Vec<Arc<TreeFile>>,
}

/// No configured tree of a kind has a root the request's policy accepts.
#[derive(Debug, thiserror::Error)]
#[error("the service has no {} tree whose root the policy accepts (it has {})", role(*.kind), .available.join(", "))]
pub struct NoAcceptedTree {
    /// The kind of tree.
    pub kind: TreeKind,
    /// The roots of the configured trees of that kind (decimal).
    pub available: Vec<String>,
}

/// The role a tree of `kind` plays in a policy.
fn role(kind: TreeKind) -> &'static str {
    match kind {
        TreeKind::Identity => "identity sanctions",
        TreeKind::Address => "address sanctions",
        TreeKind::Revocation => "issuer's revocation",
    }
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
    /// Loads every file; each must be a valid tree of the circuit's depth;
    /// each kind must appear.
    ///
    /// # Errors
    /// [`ServiceError::Prover`] naming the file, or
    /// [`ServiceError::MissingTreeKind`].
    pub fn load(paths: &[PathBuf]) -> Result<Self, ServiceError> {
        let mut trees = Self { identity: Vec::new(), address: Vec::new(), revocation: Vec::new() };
        for path in paths {
            let tree = Arc::new(TreeFile::load(path)?);
            tree.check_circuit_depth().map_err(zkcomply_prover::ProverError::from)?;
            trees.of_kind_mut(tree.kind).push(tree);
        }
        for kind in [TreeKind::Identity, TreeKind::Address, TreeKind::Revocation] {
            let list = trees.of_kind_mut(kind);
            if list.is_empty() {
                return Err(ServiceError::MissingTreeKind(kind));
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
    /// [`NoAcceptedTree`] naming the kind when no configured tree has a
    /// root the policy accepts.
    pub fn choose(&self, policy: &Policy, issuer: &PointJson) -> Result<ChosenTrees, NoAcceptedTree> {
        Ok(ChosenTrees {
            identity: pick(&self.identity, policy.identity_sanctions_roots.as_deref(), TreeKind::Identity)?,
            address: pick(&self.address, policy.address_sanctions_roots.as_deref(), TreeKind::Address)?,
            revocation: pick(&self.revocation, policy.revocation_roots_for(issuer).as_deref(), TreeKind::Revocation)?,
        })
    }

    /// No trees at all (for tests of what is checked before the trees).
    #[cfg(test)]
    pub(crate) fn empty() -> Self {
        Self { identity: Vec::new(), address: Vec::new(), revocation: Vec::new() }
    }
}

fn pick(
    trees: &[Arc<TreeFile>],
    accepted: Option<&[FieldElement]>,
    kind: TreeKind,
) -> Result<Arc<TreeFile>, NoAcceptedTree> {
    let found = match accepted {
        None => trees.first(),
        Some(roots) => trees.iter().find(|t| roots.contains(&FieldElement(t.tree.root()))),
    };
    found.cloned().ok_or_else(|| NoAcceptedTree {
        kind,
        available: trees.iter().map(|t| fr_to_decimal(&t.tree.root())).collect(),
    })
}
