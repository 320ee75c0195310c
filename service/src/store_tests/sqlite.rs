//! The job store on SQLite (the default): claims, leases, bounded retries,
//! releases and idempotency.

use super::stale_claimant_cannot_write;

#[tokio::test(flavor = "multi_thread")]
async fn a_stale_claim_cannot_record_a_result() {
    let dir = tempfile::tempdir().unwrap();
    stale_claimant_cannot_write(&format!("sqlite://{}?mode=rwc", dir.path().join("jobs.db").display())).await;
}
