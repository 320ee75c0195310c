//! The keys directories a service proves with, one per proof system. A
//! job may name its backend (`"backend"` in the request body); without one
//! it gets the first configured backend its policy accepts.

use std::path::PathBuf;
use std::sync::Arc;

use zkcomply_prover::KeysDir;
use zkcomply_verifier::backend::Backend;
use zkcomply_verifier::policy::Policy;

use crate::error::ServiceError;
use crate::job_request::RequestProblem;

/// The loaded keys, in configuration order.
pub struct ServiceKeys {
    dirs: Vec<(Backend, Arc<KeysDir>)>,
}

impl ServiceKeys {
    /// Loads each keys directory; two of one backend are refused.
    ///
    /// # Errors
    /// [`ServiceError`] naming the directory.
    pub fn load(paths: &[PathBuf]) -> Result<Self, ServiceError> {
        let mut dirs: Vec<(Backend, Arc<KeysDir>)> = Vec::with_capacity(paths.len());
        for path in paths {
            let keys = KeysDir::load(path)?;
            let backend = keys.backend();
            if dirs.iter().any(|(b, _)| *b == backend) {
                return Err(ServiceError::Config {
                    path: path.display().to_string(),
                    message: format!("keys: a second keys directory for {backend}; give one per proof system"),
                });
            }
            dirs.push((backend, Arc::new(keys)));
        }
        Ok(Self { dirs })
    }

    /// The configured backends, in configuration order.
    pub fn backends(&self) -> Vec<Backend> {
        self.dirs.iter().map(|(b, _)| *b).collect()
    }

    fn configured(&self) -> String {
        self.backends().iter().map(|b| b.id()).collect::<Vec<_>>().join(", ")
    }

    /// The keys a job proves with: the backend it asks for, which must be
    /// configured (else a malformed request) and accepted by its policy
    /// (else no bundle the exchange takes can exist); without one, the
    /// first configured backend the policy accepts.
    ///
    /// # Errors
    /// [`RequestProblem`] saying which backends the service and the policy
    /// have.
    pub fn for_job(&self, requested: Option<Backend>, policy: &Policy) -> Result<Arc<KeysDir>, RequestProblem> {
        let accepted = policy.accepted_backends();
        // For the messages only: built when a job is refused.
        let accepted_ids = || accepted.iter().map(|b| b.id()).collect::<Vec<_>>().join(", ");
        let found = match requested {
            Some(backend) => {
                let keys = self.dirs.iter().find(|(b, _)| *b == backend).ok_or_else(|| {
                    RequestProblem::Malformed(format!(
                        "request body: backend: this service proves with {}, not {backend}",
                        self.configured()
                    ))
                })?;
                if !accepted.contains(&backend) {
                    return Err(RequestProblem::Unprovable(format!(
                        "refused: the policy accepts backends {}, not {backend}",
                        accepted_ids()
                    )));
                }
                keys
            }
            None => self.dirs.iter().find(|(b, _)| accepted.contains(b)).ok_or_else(|| {
                RequestProblem::Unprovable(format!(
                    "refused: the policy accepts backends {}; this service proves with {}",
                    accepted_ids(),
                    self.configured()
                ))
            })?,
        };
        Ok(Arc::clone(&found.1))
    }
}

/// The batch keys (`batch_keys`: a directory from `zkcomply setup --batch
/// SLOTS`), with their number of slots.
pub struct BatchKeys {
    /// The loaded keys.
    pub keys: Arc<KeysDir>,
    /// Withdrawals a batch proof holds at most.
    pub slots: usize,
}

impl BatchKeys {
    /// Loads Groth16 keys for a batch circuit.
    ///
    /// # Errors
    /// [`ServiceError::Config`] naming the directory and what is wrong.
    pub fn load(dir: &std::path::Path) -> Result<Self, ServiceError> {
        let err = |message: String| ServiceError::Config { path: dir.display().to_string(), message };
        let (manifest, slots) = KeysDir::read_batch_manifest(dir)
            .map_err(|e| err(format!("batch_keys: expected keys from `zkcomply setup --batch SLOTS`: {e}")))?;
        if manifest.backend != crate::batch_request::BATCH_BACKEND {
            return Err(err(format!(
                "batch_keys: keys for {}; batches are proved with {}",
                manifest.backend,
                crate::batch_request::BATCH_BACKEND
            )));
        }
        let keys = KeysDir::load_for(dir, &manifest.circuit_id).map_err(|e| err(format!("batch_keys: {e}")))?;
        Ok(Self { keys: Arc::new(keys), slots })
    }
}
