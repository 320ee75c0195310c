//! The job store's tests: the same checks on SQLite ([`sqlite`]) and
//! PostgreSQL ([`postgres`]), and fresh PostgreSQL databases on the test
//! server. They sit inside the crate because the store is not public.

mod postgres;
mod sqlite;

/// A fresh database on the PostgreSQL test server named by
/// `ZKCOMPLY_TEST_DATABASE_URL` (set by `scripts/test.sh`, which installs
/// and starts PostgreSQL on loopback), for one test.
pub async fn fresh_postgres_database(name: &str) -> String {
    let Ok(admin) = std::env::var("ZKCOMPLY_TEST_DATABASE_URL") else {
        panic!(
            "ZKCOMPLY_TEST_DATABASE_URL is not set: run the tests with scripts/test.sh, which installs and \
             starts PostgreSQL on loopback (or point it at a server you can create databases on)"
        );
    };
    let database = format!("zkcomply_store_{name}_{}", std::process::id());
    let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&admin).await.unwrap();
    sqlx::query(&format!("DROP DATABASE IF EXISTS {database}")).execute(&mut conn).await.unwrap();
    sqlx::query(&format!("CREATE DATABASE {database}")).execute(&mut conn).await.unwrap();
    let (base, _) = admin.rsplit_once('/').unwrap();
    format!("{base}/{database}")
}

use crate::failure_code::FailureCode;
use crate::store::{Claim, DroppedItem, JobStore, NewJob, Submission, UsedItem};

/// Two workers and one job whose first claim expired: the stale claimant
/// can no longer renew, record a result, fail or release the job; the new
/// one can; a job claimed `max_attempts` times with expired leases fails as
/// lost. Run on each store.
pub async fn stale_claimant_cannot_write(url: &str) {
    let store = JobStore::connect(url, 4).await.unwrap();
    let submit = |id: &'static str| NewJob {
        id,
        client: "c",
        idempotency_key: id,
        fingerprint: "f",
        sealed_request: b"sealed",
        items: &[],
        exclusive_items: false,
        dropped: &[],
    };
    let always = |_: i64| true;
    assert!(matches!(store.submit(submit("job_a"), 10, &always).await.unwrap(), Submission::Created(_)));
    // Claimed by A with a lease already over; taken over by B.
    let a = store.claim("worker-a", -1, 3).await.unwrap().expect("A claims the queued job");
    assert_eq!((a.id.as_str(), a.attempt), ("job_a", 1));
    let b = store.claim("worker-b", 60_000, 3).await.unwrap().expect("B takes over the expired claim");
    assert_eq!((b.id.as_str(), b.attempt), ("job_a", 2));
    assert!(store.claim("worker-c", 60_000, 3).await.unwrap().is_none(), "B's lease holds");
    let stale = Claim { job: "job_a", worker: "worker-a", attempt: 1 };
    assert!(!store.renew(stale, 60_000).await.unwrap());
    assert!(!store.succeed(stale, "{}").await.unwrap());
    assert!(!store.fail(stale, FailureCode::Refused, "x").await.unwrap());
    assert!(!store.release(stale).await.unwrap());
    // The same worker name with an older attempt is stale too.
    assert!(!store.succeed(Claim { job: "job_a", worker: "worker-b", attempt: 1 }, "{}").await.unwrap());
    let current = Claim { job: "job_a", worker: "worker-b", attempt: 2 };
    assert!(store.renew(current, 60_000).await.unwrap());
    assert!(store.succeed(current, "{\"bundle\":1}").await.unwrap());
    assert!(!store.succeed(current, "{}").await.unwrap(), "recorded once");
    let job = store.get("job_a", "c").await.unwrap().unwrap();
    assert_eq!((job.state.name(), job.attempts, job.bundle.as_deref()), ("succeeded", 2, Some("{\"bundle\":1}")));

    // Bounded retries: two expired claims with max_attempts = 2, then lost.
    assert!(matches!(store.submit(submit("job_b"), 10, &always).await.unwrap(), Submission::Created(_)));
    assert_eq!(store.claim("w1", -1, 2).await.unwrap().unwrap().attempt, 1);
    assert_eq!(store.claim("w2", -1, 2).await.unwrap().unwrap().attempt, 2);
    assert!(store.claim("w3", 60_000, 2).await.unwrap().is_none(), "no third claim");
    assert_eq!(store.fail_exhausted(2).await.unwrap(), 1);
    let lost = store.get("job_b", "c").await.unwrap().unwrap();
    assert_eq!((lost.state.name(), lost.error.map(|e| e.0)), ("failed", Some(FailureCode::Lost)));

    // Release puts a job back unclaimed.
    assert!(matches!(store.submit(submit("job_c"), 10, &always).await.unwrap(), Submission::Created(_)));
    let c = store.claim("w1", 60_000, 3).await.unwrap().unwrap();
    assert!(store.release(Claim { job: &c.id, worker: "w1", attempt: c.attempt }).await.unwrap());
    let again = store.claim("w2", 60_000, 3).await.unwrap().unwrap();
    assert_eq!((again.id.as_str(), again.attempt), ("job_c", 1));
    // Idempotency in the store: the same key and fingerprint is a replay.
    assert!(matches!(store.submit(submit("job_a"), 10, &always).await.unwrap(), Submission::Replayed(_)));
    let other = NewJob { fingerprint: "g", ..submit("job_a") };
    assert!(matches!(store.submit(other, 10, &always).await.unwrap(), Submission::Conflict { .. }));
    assert!(matches!(store.submit(submit("job_d"), 10, &|_| false).await.unwrap(), Submission::Full { .. }));
}

/// Item ids: a batch's ids are recorded with its job, and a later batch
/// with one of them is not stored at all (nor its dropped items); a single
/// proof's id is recorded when new and otherwise leaves the first job's;
/// ids are per client. Run on each store.
pub async fn item_ids_are_used_once(url: &str) {
    let store = JobStore::connect(url, 4).await.unwrap();
    let always = |_: i64| true;
    let job = |id: &'static str, items: &'static [(i64, &'static str)], exclusive: bool| NewJob {
        id,
        client: "c",
        idempotency_key: id,
        fingerprint: "f",
        sealed_request: b"sealed",
        items,
        exclusive_items: exclusive,
        dropped: &[],
    };
    let single = job("job_1", &[(0, "w-single")], false);
    assert!(matches!(store.submit(single, 10, &always).await.unwrap(), Submission::Created(_)));
    let dropped = [DroppedItem { index: 1, withdrawal_id: "w-over".into(), reason: "amount over the limit".into() }];
    let first = NewJob { dropped: &dropped, ..job("batch_1", &[(0, "w-a"), (2, "w-b")], true) };
    assert!(matches!(store.submit(first, 10, &always).await.unwrap(), Submission::Created(_)));
    assert_eq!(store.item_indices("batch_1").await.unwrap(), [0, 2]);
    assert_eq!(store.dropped_items("batch_1").await.unwrap(), dropped);

    let mut used = store.used_item_ids("c", &["w-a", "w-single", "w-new", "w-over"]).await.unwrap();
    used.sort_by(|a, b| a.withdrawal_id.cmp(&b.withdrawal_id));
    let expected = [
        UsedItem { withdrawal_id: "w-a".into(), job: "batch_1".into() },
        UsedItem { withdrawal_id: "w-single".into(), job: "job_1".into() },
    ];
    assert_eq!(used, expected, "a dropped item's id is not used");
    assert!(store.used_item_ids("other", &["w-a"]).await.unwrap().is_empty(), "ids are per client");

    // A batch reusing a single proof's id, or another batch's: nothing stored.
    for (id, items) in [("batch_2", &[(0, "w-new"), (1, "w-single")]), ("batch_3", &[(0, "w-new"), (1, "w-b")])] {
        let reused = NewJob { dropped: &dropped, ..job(id, items, true) };
        assert!(matches!(store.submit(reused, 10, &always).await.unwrap(), Submission::ItemsTaken));
        assert!(store.get(id, "c").await.unwrap().is_none(), "{id} was stored");
        assert!(store.dropped_items(id).await.unwrap().is_empty());
        assert!(store.item_indices(id).await.unwrap().is_empty());
    }
    assert!(store.used_item_ids("c", &["w-new"]).await.unwrap().is_empty(), "rolled back");
    // A single proof of a used id is stored; the id keeps its first job.
    assert!(matches!(
        store.submit(job("job_2", &[(0, "w-a")], false), 10, &always).await.unwrap(),
        Submission::Created(_)
    ));
    assert_eq!(store.used_item_ids("c", &["w-a"]).await.unwrap()[0].job, "batch_1");
    // The same ids for another client.
    let theirs = NewJob { client: "d", ..job("batch_4", &[(0, "w-a"), (1, "w-b")], true) };
    assert!(matches!(store.submit(theirs, 10, &always).await.unwrap(), Submission::Created(_)));
    // Idempotency first: a replay of the first batch is a replay, not a
    // refusal of its own ids.
    let replay = job("batch_1", &[(0, "w-a"), (2, "w-b")], true);
    assert!(matches!(store.submit(replay, 10, &always).await.unwrap(), Submission::Replayed(_)));
}
