//! The job store on PostgreSQL (a server named by
//! `ZKCOMPLY_TEST_DATABASE_URL`): the checks the SQLite store passes, and
//! schema creation under an advisory lock, so processes that start together
//! on an empty database all start.

use std::time::Duration;

use super::{fresh_postgres_database, item_ids_are_used_once, stale_claimant_cannot_write};
use crate::store::{JobStore, SCHEMA_LOCK_KEY};

#[tokio::test(flavor = "multi_thread")]
async fn a_stale_claim_cannot_record_a_result() {
    stale_claimant_cannot_write(&fresh_postgres_database("stale").await).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn item_ids_are_used_once_per_client() {
    item_ids_are_used_once(&fresh_postgres_database("items").await).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn processes_starting_together_on_an_empty_database_all_connect() {
    let url = fresh_postgres_database("together").await;
    let connects: Vec<_> = (0..8)
        .map(|_| {
            let url = url.clone();
            tokio::spawn(async move { JobStore::connect(&url, 2).await.map(|store| store.is_postgres()) })
        })
        .collect();
    for connect in connects {
        assert!(connect.await.unwrap().unwrap());
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn schema_creation_waits_for_the_advisory_lock() {
    let url = fresh_postgres_database("lock").await;
    let mut holder = <sqlx::PgConnection as sqlx::Connection>::connect(&url).await.unwrap();
    sqlx::query("BEGIN").execute(&mut holder).await.unwrap();
    sqlx::query(&format!("SELECT pg_advisory_xact_lock({SCHEMA_LOCK_KEY})")).execute(&mut holder).await.unwrap();
    let connect = tokio::spawn({
        let url = url.clone();
        async move { JobStore::connect(&url, 2).await }
    });
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(!connect.is_finished(), "connect created the schema while another process held the lock");
    sqlx::query("COMMIT").execute(&mut holder).await.unwrap();
    let store = tokio::time::timeout(Duration::from_secs(30), connect).await.unwrap().unwrap().unwrap();
    assert!(store.ping().await);
}
