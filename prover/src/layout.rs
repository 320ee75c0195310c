//! The file names of a proof-request directory: what `zkcomply demo`
//! writes and what [`ProofRequest::load_dir`](crate::ProofRequest::load_dir)
//! reads. The one place that knows them.

/// The issuer's private key.
pub const ISSUER_KEY: &str = "issuer_key.json";
/// The holder's secret.
pub const HOLDER: &str = "holder.json";
/// The issuer's copy of the credential.
pub const ISSUED_CREDENTIAL: &str = "issued_credential.json";
/// The holder's copy of the credential.
pub const CREDENTIAL: &str = "credential.json";
/// Identity sanctions tree.
pub const IDENTITY_TREE: &str = "identity_tree.json";
/// Address sanctions tree.
pub const ADDRESS_TREE: &str = "address_tree.json";
/// Revocation tree.
pub const REVOCATION_TREE: &str = "revocation_tree.json";
/// Proving-key directory.
pub const KEYS: &str = "keys";
/// Verifying key.
pub const VERIFYING_KEY: &str = "verifying_key.json";
/// The exchange's policy.
pub const POLICY: &str = "policy.json";
/// The withdrawal.
pub const WITHDRAWAL: &str = "withdrawal.json";
/// The proof bundle.
pub const BUNDLE: &str = "bundle.json";
/// Where a second proof system's keys, verifying key and bundle go (`zkcomply
/// demo --backend both`).
pub const SECOND_BACKEND: &str = "halo2";
/// A withdrawal from a sanctioned address (refused).
pub const SANCTIONED_WITHDRAWAL: &str = "withdrawal_from_sanctioned_address.json";

/// The demo's batch directory (`zkcomply demo --batch`): batch keys,
/// verifying key, withdrawals and batch bundle.
pub const BATCH: &str = "batch";

/// A batch's withdrawals (`zkcomply prove-batch --withdrawals`).
pub const WITHDRAWALS: &str = "withdrawals.json";

/// A batch bundle.
pub const BATCH_BUNDLE: &str = "batch_bundle.json";
