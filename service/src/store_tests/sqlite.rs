//! The job store on SQLite (the default): claims, leases, bounded retries,
//! releases, idempotency and item ids.

use super::{item_ids_are_used_once, stale_claimant_cannot_write};

#[tokio::test(flavor = "multi_thread")]
async fn a_stale_claim_cannot_record_a_result() {
    let dir = tempfile::tempdir().unwrap();
    stale_claimant_cannot_write(&format!("sqlite://{}?mode=rwc", dir.path().join("jobs.db").display())).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn item_ids_are_used_once_per_client() {
    let dir = tempfile::tempdir().unwrap();
    item_ids_are_used_once(&format!("sqlite://{}?mode=rwc", dir.path().join("jobs.db").display())).await;
}
