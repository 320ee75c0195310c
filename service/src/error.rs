//! Why the service cannot start, or a store operation failed (the errors
//! a client sees are in [`crate::api_error`]).

use zkcomply_prover::tree_file::TreeKind;

/// Why the service cannot start or a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// The configuration file is unusable.
    #[error("{path}: {message}")]
    Config {
        /// The configuration file (or the file it names).
        path: String,
        /// What is wrong and what was expected.
        message: String,
    },
    /// The job database failed.
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// A sealed payload that does not open under the configured key.
    #[error("job {job}: the sealed request does not open under the configured encryption key")]
    Unseal {
        /// The job.
        job: String,
    },
    /// Keys or trees that do not load.
    #[error(transparent)]
    Prover(#[from] zkcomply_prover::ProverError),
    /// The configured trees lack a kind.
    #[error("trees: no {} tree among the configured files", .0.name())]
    MissingTreeKind(TreeKind),
    /// Binding the listener or serving failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}
