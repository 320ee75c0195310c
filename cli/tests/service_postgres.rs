//! `zkcomply serve` processes sharing one PostgreSQL server (installed and
//! started on loopback by `scripts/test.sh`, which sets
//! `ZKCOMPLY_TEST_DATABASE_URL`): two processes split a batch with no job
//! proved twice, and a process killed with SIGKILL mid-proof loses nothing.

mod service_support;

use std::collections::HashSet;
use std::time::{Duration, Instant};

use service_support::*;

/// A fresh database on the test server, for one test.
async fn fresh_database(name: &str) -> String {
    let Ok(admin) = std::env::var("ZKCOMPLY_TEST_DATABASE_URL") else {
        panic!(
            "ZKCOMPLY_TEST_DATABASE_URL is not set: run the tests with scripts/test.sh, which installs and \
             starts PostgreSQL on loopback (or point it at a server you can create databases on)"
        );
    };
    let database = format!("zkcomply_{name}_{}", std::process::id());
    let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&admin).await.unwrap();
    sqlx::query(&format!("DROP DATABASE IF EXISTS {database}")).execute(&mut conn).await.unwrap();
    sqlx::query(&format!("CREATE DATABASE {database}")).execute(&mut conn).await.unwrap();
    let (base, _) = admin.rsplit_once('/').unwrap();
    format!("{base}/{database}")
}

/// Every row of the jobs table as text (bytea printed as hex).
async fn table_text(url: &str) -> String {
    let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(url).await.unwrap();
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT row_to_json(j)::text FROM zkcomply_jobs j").fetch_all(&mut conn).await.unwrap();
    rows.into_iter().map(|(r,)| r).collect::<Vec<_>>().join("\n")
}

#[tokio::test(flavor = "multi_thread")]
async fn two_processes_split_a_batch_and_prove_each_job_once() {
    let url = fresh_database("split").await;
    let wallet = ApiKey::new("wallet");
    let options = ServiceOptions {
        database_url: Some(url.clone()),
        workers: 1,
        max_pending_jobs: 64,
        // Queue the whole batch: this test is about splitting it.
        max_expected_wait_ms: Some(3_600_000),
        ..Default::default()
    };
    // Two configurations sharing the database, the encryption key and the API key.
    let a_dir = ServiceDir::new(&options, &[(&wallet, "")]);
    let b_dir = ServiceDir::new(&options, &[(&wallet, "")]);
    std::fs::copy(a_dir.dir.path().join("service_key.hex"), b_dir.dir.path().join("service_key.hex")).unwrap();
    let a = ServiceProcess::start(&a_dir.config(), &a_dir.dir.path().join("a.log"));
    let b = ServiceProcess::start(&b_dir.config(), &b_dir.dir.path().join("b.log"));

    // Twelve jobs, all submitted to A: B takes its share from the shared queue.
    let mut ids = Vec::new();
    for i in 0..12 {
        let reply = a.submit(&wallet, &format!("batch-{i}"), &request_body(&format!("w-batch-{i}")), 0).await;
        assert_eq!(reply.status, 201, "{}", reply.text);
        ids.push(reply.json()["id"].as_str().unwrap().to_string());
    }
    for (i, id) in ids.iter().enumerate() {
        // Read back through either process.
        let via = if i % 2 == 0 { &a } else { &b };
        let job = wait_final(via, &wallet, id).await;
        assert_eq!(job["state"], "succeeded", "{job}");
        assert_eq!(job["attempts"], 1, "claimed once: {job}");
        assert_eq!(job["bundle"]["withdrawal"]["withdrawal_id"], format!("w-batch-{i}"));
        assert_bundle_verifies(&job);
    }
    let proved_a = jobs_in_log(&a.log(), "job proved");
    let proved_b = jobs_in_log(&b.log(), "job proved");
    let all: Vec<&String> = proved_a.iter().chain(&proved_b).collect();
    let distinct: HashSet<&&String> = all.iter().collect();
    assert_eq!(all.len(), ids.len(), "A proved {proved_a:?}, B proved {proved_b:?}");
    assert_eq!(distinct.len(), ids.len(), "a job was proved twice: A {proved_a:?}, B {proved_b:?}");
    assert!(!proved_a.is_empty() && !proved_b.is_empty(), "both processes worked: A {proved_a:?}, B {proved_b:?}");

    // An idempotent replay through the other process returns the same job.
    let replay = b.submit(&wallet, "batch-0", &request_body("w-batch-0"), 0).await;
    assert_eq!((replay.status, replay.json()["id"].as_str()), (200, Some(ids[0].as_str())));
    let conflict = b.submit(&wallet, "batch-0", &request_body("w-other"), 0).await;
    assert_eq!(conflict.status, 409);

    let table = table_text(&url).await;
    assert!(table.contains("succeeded"), "{table}");
    for secret in secret_forms() {
        assert!(!table.contains(&secret), "the database holds the secret");
        assert!(!a.log().contains(&secret) && !b.log().contains(&secret), "a log holds the secret");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn sigkill_mid_proof_then_restart_completes_the_job_exactly_once() {
    let url = fresh_database("kill").await;
    let wallet = ApiKey::new("wallet");
    let options =
        ServiceOptions { database_url: Some(url.clone()), workers: 1, lease_seconds: 3, ..Default::default() };
    let dir = ServiceDir::new(&options, &[(&wallet, "")]);
    let mut first = ServiceProcess::start(&dir.config(), &dir.dir.path().join("first.log"));
    let reply = first.submit(&wallet, "kill-me", &request_body("w-kill"), 0).await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let id = reply.json()["id"].as_str().unwrap().to_string();

    // Wait until the proof is under way, then SIGKILL the process.
    let deadline = Instant::now() + Duration::from_secs(60);
    while !first.log().contains("job claimed") {
        assert!(Instant::now() < deadline, "never claimed:\n{}", first.log());
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    first.kill9();
    assert!(jobs_in_log(&first.log(), "job proved").is_empty(), "killed too late: {}", first.log());

    // While it was running, its request was stored sealed, never in plaintext.
    let table = table_text(&url).await;
    assert!(table.contains("\"state\":\"running\""), "{table}");
    assert!(table.contains("\"sealed_request\":\"\\\\x"), "the sealed request is there: {table}");
    for secret in secret_forms() {
        assert!(!table.contains(&secret), "the running job's request is in plaintext");
    }

    // A restarted process takes the job over when the lease expires.
    let second = ServiceProcess::start(&dir.config(), &dir.dir.path().join("second.log"));
    let job = wait_final(&second, &wallet, &id).await;
    assert_eq!(job["state"], "succeeded", "{job}");
    assert_eq!(job["attempts"], 2, "claimed by the killed process, then by the new one: {job}");
    assert_bundle_verifies(&job);
    assert_eq!(jobs_in_log(&second.log(), "job proved"), vec![id.clone()], "{}", second.log());
    assert_eq!(jobs_in_log(&second.log(), "job succeeded"), vec![id.clone()]);
    let table = table_text(&url).await;
    assert!(table.contains("\"sealed_request\":null"), "purged: {table}");
    assert_eq!(table.matches("\"state\":\"succeeded\"").count(), 1, "{table}");
}
