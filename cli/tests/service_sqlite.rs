//! `zkcomply serve` on its default store (a SQLite file): the API
//! contract, idempotency, the 401/413/422/429 paths, graceful shutdown and
//! the holder's secret kept out of logs, error bodies and the database.

mod service_support;

use reqwest::Method;
use serde_json::{json, Value};
use service_support::*;

fn contains_any(haystack: &[u8], needles: &[String]) -> bool {
    needles.iter().any(|n| haystack.windows(n.len()).any(|w| w == n.as_bytes()))
}

#[tokio::test(flavor = "multi_thread")]
async fn api_contract_idempotency_errors_and_no_secret_anywhere() {
    let wallet = ApiKey::new("wallet");
    let other = ApiKey::new("other-wallet");
    let options = ServiceOptions::default();
    let dir = ServiceDir::new(&options, &[(&wallet, ""), (&other, "")]);
    let log = dir.dir.path().join("serve.log");
    let service = ServiceProcess::start(&dir.config(), &log);
    let mut bodies: Vec<String> = Vec::new();

    // Health, readiness, the OpenAPI document: no key needed.
    let health = Reply::from(client().get(format!("{}/healthz", service.base)).send().await.unwrap()).await;
    assert_eq!((health.status, health.text.trim()), (200, "ok"));
    let ready = Reply::from(client().get(format!("{}/readyz", service.base)).send().await.unwrap()).await;
    assert_eq!(ready.status, 200, "{}", ready.text);
    let openapi = Reply::from(client().get(format!("{}/openapi.json", service.base)).send().await.unwrap()).await;
    let openapi = openapi.json();
    for (path, method) in [
        ("/v1/proofs", "post"),
        ("/v1/proofs/{id}", "get"),
        ("/healthz", "get"),
        ("/readyz", "get"),
        ("/metrics", "get"),
        ("/openapi.json", "get"),
    ] {
        assert!(openapi["paths"][path][method].is_object(), "OpenAPI document lacks {method} {path}");
    }
    let documented = |path: &str, method: &str, status: u16| {
        assert!(
            openapi["paths"][path][method]["responses"][status.to_string()].is_object(),
            "OpenAPI document lacks {status} for {method} {path}"
        );
    };

    // 401: no key, an unknown key, a key without the Bearer scheme.
    let body = request_body("w-1");
    let none = Reply::from(
        client()
            .post(format!("{}/v1/proofs", service.base))
            .header("Idempotency-Key", "k1")
            .json(&body)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((none.status, none.error_code().as_str()), (401, "unauthorized"), "{}", none.text);
    assert_eq!(none.headers["www-authenticate"], "Bearer");
    let stranger = ApiKey::new("stranger");
    let unknown = service.submit(&stranger, "k1", &body, 0).await;
    assert_eq!(unknown.status, 401, "{}", unknown.text);
    let no_scheme = Reply::from(
        client()
            .post(format!("{}/v1/proofs", service.base))
            .header("Authorization", &wallet.key)
            .header("Idempotency-Key", "k1")
            .json(&body)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(no_scheme.status, 401);
    documented("/v1/proofs", "post", 401);

    // 400: no Idempotency-Key; a key that is too long; malformed JSON; an
    // unknown field; a wait over the maximum.
    let missing =
        Reply::from(service.request(Method::POST, "/v1/proofs", &wallet).json(&body).send().await.unwrap()).await;
    assert_eq!(missing.status, 400);
    assert!(missing.json()["error"]["message"].as_str().unwrap().contains("Idempotency-Key"), "{}", missing.text);
    let long = service.submit(&wallet, &"k".repeat(256), &body, 0).await;
    assert_eq!(long.status, 400, "{}", long.text);
    let garbage = Reply::from(
        service
            .request(Method::POST, "/v1/proofs", &wallet)
            .header("Idempotency-Key", "k-garbage")
            .body("{not json")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((garbage.status, garbage.error_code().as_str()), (400, "bad_request"));
    let mut extra = body.clone();
    extra["trees"] = json!([]);
    let extra = service.submit(&wallet, "k-extra", &extra, 0).await;
    assert_eq!(extra.status, 400);
    assert!(extra.text.contains("trees"), "{}", extra.text);
    let mut no_amount = body.clone();
    no_amount["withdrawal"].as_object_mut().unwrap().remove("amount");
    let no_amount = service.submit(&wallet, "k-no-amount", &no_amount, 0).await;
    assert_eq!(no_amount.status, 400);
    assert!(no_amount.text.contains("amount"), "names the field: {}", no_amount.text);
    // A policy whose clock skew reaches an epoch: refused here as by every
    // verifier (it would let the holder pick among epochs).
    let mut skewed = body.clone();
    skewed["policy"]["epoch_seconds"] = json!(3600);
    skewed["policy"]["max_clock_skew_seconds"] = json!(86_400);
    let skewed = service.submit(&wallet, "k-skewed", &skewed, 0).await;
    assert_eq!(skewed.status, 400, "{}", skewed.text);
    assert!(skewed.text.contains("policy") && skewed.text.contains("max_clock_skew_seconds"), "{}", skewed.text);
    let too_long_wait = service.submit(&wallet, "k-wait", &body, 100_000).await;
    assert_eq!(too_long_wait.status, 400, "{}", too_long_wait.text);
    documented("/v1/proofs", "post", 400);

    // A malformed secret is named by its field, never quoted, in any form
    // a field parser would show it (escaped, shortened, as a float).
    let secret = holder_secret();
    let long = format!("{secret}{secret}");
    for (i, bad) in [
        json!(format!("x{secret}")),
        json!(format!("{secret}\n")),
        json!(format!("\"{secret}")),
        json!(long),
        serde_json::from_str::<Value>(&secret).unwrap(),
        json!(format!("0{secret}")),
    ]
    .into_iter()
    .enumerate()
    {
        let mut bad_secret = body.clone();
        bad_secret["credential"]["holder"]["secret"] = bad.clone();
        let reply = service.submit(&wallet, &format!("k-bad-secret-{i}"), &bad_secret, 0).await;
        assert_eq!(reply.status, 400, "{bad}: {}", reply.text);
        assert!(reply.text.contains("secret"), "{}", reply.text);
        for window in secret.as_bytes().windows(12) {
            let piece = std::str::from_utf8(window).unwrap();
            assert!(!reply.text.contains(piece), "the error quotes part of the secret ({bad}): {}", reply.text);
        }
        bodies.push(reply.text);
    }

    // 413: a body over max_body_bytes.
    let mut huge = body.clone();
    huge["policy"]["padding"] = json!("x".repeat(options.max_body_bytes));
    let huge = service.submit(&wallet, "k-huge", &huge, 0).await;
    assert_eq!((huge.status, huge.error_code().as_str()), (413, "too_large"), "{}", huge.text);
    documented("/v1/proofs", "post", 413);

    // 422: the withdrawal is for another exchange than the policy's.
    let mut elsewhere = body.clone();
    elsewhere["withdrawal"]["exchange_id"] = json!("another-exchange");
    let elsewhere = service.submit(&wallet, "k-elsewhere", &elsewhere, 0).await;
    assert_eq!((elsewhere.status, elsewhere.error_code().as_str()), (422, "refused"), "{}", elsewhere.text);
    bodies.push(elsewhere.text);
    documented("/v1/proofs", "post", 422);

    // 201: a job, proved within the wait; the bundle verifies.
    let created = service.submit(&wallet, "k1", &body, 60).await;
    assert_eq!(created.status, 201, "{}", created.text);
    let job = created.json();
    assert_eq!(job["state"], "succeeded", "{job}");
    assert_eq!(job["attempts"], 1);
    let id = job["id"].as_str().unwrap().to_string();
    assert_eq!(created.headers["location"].to_str().unwrap(), format!("/v1/proofs/{id}"));
    assert_bundle_verifies(&job);
    assert_eq!(job["bundle"]["withdrawal"]["withdrawal_id"], "w-1");
    bodies.push(created.text.clone());
    documented("/v1/proofs", "post", 201);

    // Same key, same request (keys reordered): the same job, 200.
    let mut reordered = serde_json::Map::new();
    for k in ["policy", "withdrawal", "credential"] {
        reordered.insert(k.into(), body[k].clone());
    }
    let replay = service.submit(&wallet, "k1", &Value::Object(reordered), 0).await;
    assert_eq!(replay.status, 200, "{}", replay.text);
    assert_eq!(replay.json()["id"], id.as_str());
    assert_eq!(replay.json()["bundle"], job["bundle"], "the same bundle, not a new proof");
    documented("/v1/proofs", "post", 200);

    // Same key, another request: 409, naming the job.
    let conflict = service.submit(&wallet, "k1", &request_body("w-2"), 0).await;
    assert_eq!((conflict.status, conflict.error_code().as_str()), (409, "idempotency_conflict"));
    assert!(conflict.text.contains(&id), "{}", conflict.text);
    documented("/v1/proofs", "post", 409);

    // The same idempotency key from another client is that client's own.
    let theirs = service.submit(&other, "k1", &request_body("w-3"), 0).await;
    assert_eq!(theirs.status, 201, "{}", theirs.text);
    let theirs_id = theirs.json()["id"].as_str().unwrap().to_string();
    assert_ne!(theirs_id, id);

    // GET: the owner sees the job; another key and an unknown id get 404.
    let fetched = service.job(&wallet, &id, 0).await;
    assert_eq!(fetched.status, 200);
    assert_eq!(fetched.json()["bundle"], job["bundle"]);
    documented("/v1/proofs/{id}", "get", 200);
    assert_eq!(service.job(&other, &id, 0).await.status, 404);
    let unknown = service.job(&wallet, "job_00000000000000000000000000000000", 0).await;
    assert_eq!((unknown.status, unknown.error_code().as_str()), (404, "not_found"));
    documented("/v1/proofs/{id}", "get", 404);
    let theirs = wait_final(&service, &other, &theirs_id).await;
    assert_eq!(theirs["state"], "succeeded");

    // A statement the witness refuses (amount over the tier's limit): the
    // job fails with the reason.
    let mut over = request_body("w-over");
    over["withdrawal"]["amount"] = json!("100000000000000000000000");
    let over = service.submit(&wallet, "k-over", &over, 60).await;
    assert_eq!(over.status, 201, "{}", over.text);
    let over = over.json();
    assert_eq!(over["state"], "failed", "{over}");
    assert_eq!(over["error"]["code"], "refused");
    assert!(over["error"]["message"].as_str().unwrap().contains("over the limit"), "{over}");
    assert!(over.get("bundle").is_none());
    bodies.push(over.to_string());

    // Metrics: jobs by state, queue depth, the prove latency histogram.
    let metrics = Reply::from(client().get(format!("{}/metrics", service.base)).send().await.unwrap()).await;
    assert_eq!(metrics.status, 200);
    for needle in [
        "zkcomply_jobs{state=\"succeeded\"} 2",
        "zkcomply_jobs{state=\"failed\"} 1",
        "zkcomply_queue_depth 0",
        "zkcomply_prove_seconds_count 3",
        "zkcomply_rejected_requests_total{reason=\"unauthorized\"} 3",
        "zkcomply_rejected_requests_total{reason=\"too_large\"} 1",
    ] {
        assert!(metrics.text.contains(needle), "metrics lack {needle:?}:\n{}", metrics.text);
    }

    // The secret: not in any response, not in the log, not in the database
    // (the request is sealed while the job lives and deleted when it ends).
    let secrets = secret_forms();
    for text in &bodies {
        assert!(!contains_any(text.as_bytes(), &secrets), "a response quotes the secret: {text}");
    }
    let log_text = service.log();
    assert!(log_text.contains("job proved"), "{log_text}");
    assert!(!contains_any(log_text.as_bytes(), &secrets), "the log holds the secret:\n{log_text}");
    let db = dir.all_bytes();
    assert!(db.len() > 4096, "the database file exists");
    assert!(!contains_any(&db, &secrets), "the database holds the secret in plaintext");
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", dir.dir.path().join("zkcomply-jobs.db").display()))
        .await
        .unwrap();
    let (left,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM zkcomply_jobs WHERE sealed_request IS NOT NULL")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(left, 0, "requests are purged when their jobs end");
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_input_is_a_400_naming_the_field_never_a_retried_5xx() {
    let wallet = ApiKey::new("wallet");
    let dir = ServiceDir::new(&ServiceOptions::default(), &[(&wallet, "")]);
    let log = dir.dir.path().join("serve.log");
    let service = ServiceProcess::start(&dir.config(), &log);
    // The amount of the bug report: `é` across the byte where long values
    // used to be cut; and the same in decimal fields of the other documents.
    let amount = "a".repeat(39) + "é" + &"b".repeat(60);
    type Edit = fn(&mut Value, &str);
    let cases: [(&str, Edit); 3] = [
        ("withdrawal.amount", |b, v| b["withdrawal"]["amount"] = json!(v)),
        ("credential.holder.id_commitment", |b, v| b["credential"]["holder"]["id_commitment"] = json!(v)),
        ("policy.identity_sanctions_roots[0]", |b, v| b["policy"]["identity_sanctions_roots"][0] = json!(v)),
    ];
    for (i, (field, edit)) in cases.into_iter().enumerate() {
        let mut body = request_body(&format!("w-utf8-{i}"));
        edit(&mut body, &amount);
        let reply = service.submit(&wallet, &format!("k-utf8-{i}"), &body, 0).await;
        assert_eq!((reply.status, reply.error_code().as_str()), (400, "bad_request"), "{field}: {}", reply.text);
        let message = reply.json()["error"]["message"].as_str().unwrap().to_string();
        assert!(message.contains(field), "{field}: {message}");
        assert!(reply.headers.get("retry-after").is_none(), "not to be retried");
    }
    // A document over its size limit in a body within max_body_bytes.
    let mut long = request_body("w-long");
    long["withdrawal"]["withdrawal_id"] = json!("x".repeat(20_000));
    let reply = service.submit(&wallet, "k-long", &long, 0).await;
    assert_eq!(reply.status, 400, "{}", reply.text);
    assert!(reply.text.contains("request body: withdrawal: 20"), "{}", reply.text);
    assert!(reply.text.contains("MAX_WITHDRAWAL_BYTES"), "{}", reply.text);
    // The service is up and answers as before.
    let ready = Reply::from(client().get(format!("{}/readyz", service.base)).send().await.unwrap()).await;
    assert_eq!(ready.status, 200);
    assert!(!service.log().contains("panic"), "{}", service.log());
}

#[tokio::test(flavor = "multi_thread")]
async fn full_queue_and_rate_limit_answer_429_with_retry_after() {
    let busy = ApiKey::new("busy");
    let limited = ApiKey::new("limited");
    let options = ServiceOptions { workers: 1, max_pending_jobs: 1, ..Default::default() };
    let dir = ServiceDir::new(&options, &[(&busy, ""), (&limited, "requests_per_minute = 2\nburst = 2")]);
    let service = ServiceProcess::start(&dir.config(), &dir.dir.path().join("serve.log"));

    // One job pending fills the service; the next is refused until it ends.
    let first = service.submit(&busy, "a", &request_body("w-a"), 0).await;
    assert_eq!(first.status, 201, "{}", first.text);
    let second = service.submit(&busy, "b", &request_body("w-b"), 0).await;
    assert_eq!((second.status, second.error_code().as_str()), (429, "queue_full"), "{}", second.text);
    let retry: u64 = second.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry), "Retry-After {retry}");
    // A replay of the accepted job still gets it back while the service is full.
    let replay = service.submit(&busy, "a", &request_body("w-a"), 0).await;
    assert_eq!((replay.status, replay.json()["id"].clone()), (200, first.json()["id"].clone()), "{}", replay.text);
    // The refused request left nothing behind: the same key works later.
    let first_id = first.json()["id"].as_str().unwrap().to_string();
    assert_eq!(wait_final(&service, &busy, &first_id).await["state"], "succeeded");
    let again = service.submit(&busy, "b", &request_body("w-b"), 60).await;
    assert_eq!(again.status, 201, "{}", again.text);
    assert_eq!(again.json()["state"], "succeeded");

    // Two requests a minute: the third is refused, whatever it asks.
    for i in 0..2 {
        let r = service.job(&limited, "job_00000000000000000000000000000000", 0).await;
        assert_eq!(r.status, 404, "request {i}: {}", r.text);
    }
    let limited_reply = service.job(&limited, "job_00000000000000000000000000000000", 0).await;
    assert_eq!((limited_reply.status, limited_reply.error_code().as_str()), (429, "rate_limited"));
    let retry: u64 = limited_reply.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=30).contains(&retry), "Retry-After {retry}");
    // Other keys are not affected.
    assert_eq!(service.job(&busy, "job_00000000000000000000000000000000", 0).await.status, 404);
}

#[tokio::test(flavor = "multi_thread")]
async fn sigterm_finishes_the_running_proof_or_requeues_it() {
    let wallet = ApiKey::new("wallet");
    // A grace long enough for the proof: it completes, then the process exits.
    let dir = ServiceDir::new(&ServiceOptions::default(), &[(&wallet, "")]);
    let mut service = ServiceProcess::start(&dir.config(), &dir.dir.path().join("serve.log"));
    let submitted = service.submit(&wallet, "t", &request_body("w-term"), 0).await;
    let id = submitted.json()["id"].as_str().unwrap().to_string();
    wait_running(&service, &wallet, &id).await;
    let status = service.terminate();
    assert!(status.success(), "{status}: {}", service.log());
    assert!(jobs_in_log(&service.log(), "job succeeded").contains(&id), "{}", service.log());
    let restarted = ServiceProcess::start(&dir.config(), &dir.dir.path().join("serve2.log"));
    let job = restarted.job(&wallet, &id, 0).await.json();
    assert_eq!((job["state"].as_str(), job["attempts"].as_i64()), (Some("succeeded"), Some(1)), "{job}");
    drop(restarted);

    // No grace: the running proof is put back in the queue, and the next
    // process proves it.
    let options = ServiceOptions { shutdown_grace_seconds: 0, ..Default::default() };
    let dir = ServiceDir::new(&options, &[(&wallet, "")]);
    let mut service = ServiceProcess::start(&dir.config(), &dir.dir.path().join("serve.log"));
    let submitted = service.submit(&wallet, "t", &request_body("w-term"), 0).await;
    let id = submitted.json()["id"].as_str().unwrap().to_string();
    wait_running(&service, &wallet, &id).await;
    let status = service.terminate();
    assert!(status.success(), "{status}");
    assert!(service.log().contains("put back in the queue"), "{}", service.log());
    let restarted = ServiceProcess::start(&dir.config(), &dir.dir.path().join("serve2.log"));
    let job = wait_final(&restarted, &wallet, &id).await;
    assert_eq!((job["state"].as_str(), job["attempts"].as_i64()), (Some("succeeded"), Some(1)), "{job}");
    assert_bundle_verifies(&job);
}

async fn wait_running(service: &ServiceProcess, key: &ApiKey, id: &str) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let job = service.job(key, id, 0).await.json();
        match job["state"].as_str() {
            Some("running") => return,
            Some("queued") => {}
            _ => panic!("job {id} ended before it was seen running: {job}"),
        }
        assert!(std::time::Instant::now() < deadline, "job {id} never ran");
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
}

/// A service with keys for both proof systems proves each job with the
/// backend it names, and refuses a backend it lacks or the job's policy
/// does not accept.
#[tokio::test(flavor = "multi_thread")]
async fn a_job_names_its_proof_system() {
    let halo2_dir = tempfile::tempdir().unwrap();
    let halo2_keys = halo2_dir.path().join("keys");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_zkcomply"))
        .args(["setup", "--backend", "halo2", "--out", halo2_keys.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let halo2_key: Value =
        serde_json::from_str(&std::fs::read_to_string(halo2_keys.join("verifying_key.json")).unwrap()).unwrap();

    let wallet = ApiKey::new("wallet");
    let options = ServiceOptions { extra_keys: vec![halo2_keys.clone()], ..ServiceOptions::default() };
    let dir = ServiceDir::new(&options, &[(&wallet, "")]);
    let service = ServiceProcess::start(&dir.config(), &dir.dir.path().join("serve.log"));

    // The exchange's policy accepts both systems, a key pinned for each.
    let both = |body: &mut Value| {
        let groth16_hash = body["policy"].as_object_mut().unwrap().remove("verifying_key_hash").unwrap();
        body["policy"]["backends"] = json!(["groth16-bn254", "halo2-ipa-bn254"]);
        body["policy"]["verifying_keys"] =
            json!({ "groth16-bn254": [groth16_hash], "halo2-ipa-bn254": [halo2_key["hash"].clone()] });
    };
    let mut body = request_body("w-halo2");
    both(&mut body);
    body["backend"] = json!("halo2-ipa-bn254");
    let reply = service.submit(&wallet, "k-halo2", &body, 0).await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let id = reply.json()["id"].as_str().unwrap().to_string();
    let job = wait_final(&service, &wallet, &id).await;
    assert_eq!(job["state"], "succeeded", "{job}");
    assert_eq!(job["bundle"]["backend"], "halo2-ipa-bn254");
    let bundle = zkcomply_verifier::bundle::Bundle::from_json(&job["bundle"].to_string()).unwrap();
    let policy = zkcomply_verifier::policy::Policy::from_json(&body["policy"].to_string()).unwrap();
    let vk = zkcomply_verifier::keys::VerifyingKeyFile::from_json(&halo2_key.to_string()).unwrap();
    let verdict = zkcomply_verifier::verify_bundle(&bundle, &policy, &vk, bundle.withdrawal.now.0);
    assert!(verdict.accepted, "{}", verdict.to_json());

    // Without a backend, the first configured one the policy accepts.
    let reply = service.submit(&wallet, "k-default", &request_body("w-default"), 0).await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let id = reply.json()["id"].as_str().unwrap().to_string();
    let job = wait_final(&service, &wallet, &id).await;
    assert_eq!(job["bundle"]["backend"], "groth16-bn254", "{job}");

    // A backend this verifier does not know, one the policy refuses, and a
    // value that is not an id.
    let mut unknown = request_body("w-unknown");
    unknown["backend"] = json!("halo2-kzg-bn254");
    let reply = service.submit(&wallet, "k-unknown", &unknown, 0).await;
    assert_eq!((reply.status, reply.error_code().as_str()), (400, "bad_request"), "{}", reply.text);
    assert!(reply.text.contains("request body: backend: unknown backend"), "{}", reply.text);
    let mut refused = request_body("w-refused");
    refused["backend"] = json!("halo2-ipa-bn254");
    let reply = service.submit(&wallet, "k-refused", &refused, 0).await;
    assert_eq!(reply.status, 422, "{}", reply.text);
    assert!(reply.text.contains("the policy accepts backends groth16-bn254, not halo2-ipa-bn254"), "{}", reply.text);
    let mut number = request_body("w-number");
    number["backend"] = json!(2);
    let reply = service.submit(&wallet, "k-number", &number, 0).await;
    assert_eq!(reply.status, 400, "{}", reply.text);

    // A service with Groth16 keys only refuses a halo2 job at once.
    let groth16_only = ServiceDir::new(&ServiceOptions::default(), &[(&wallet, "")]);
    let service = ServiceProcess::start(&groth16_only.config(), &groth16_only.dir.path().join("serve.log"));
    let reply = service.submit(&wallet, "k-halo2", &body, 0).await;
    assert_eq!(reply.status, 400, "{}", reply.text);
    assert!(reply.text.contains("this service proves with groth16-bn254, not halo2-ipa-bn254"), "{}", reply.text);
}

/// Polls a batch job until it has ended.
async fn wait_final_batch(service: &ServiceProcess, key: &ApiKey, id: &str) -> Value {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(300);
    loop {
        let reply = service.batch(key, id, 10).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        let job = reply.json();
        if matches!(job["state"].as_str(), Some("succeeded" | "failed")) {
            return job;
        }
        assert!(std::time::Instant::now() < deadline, "batch {id} did not finish: {job}");
    }
}

/// A succeeded batch job's bundle: a batch bundle of `ids`, every item
/// accepted under the batch policy and the 4-slot key.
fn assert_batch_bundle(job: &Value, ids: &[&str]) {
    use zkcomply_verifier::{keys::VerifyingKeyFile, policy::Policy, BatchBundle};
    let bundle = BatchBundle::from_json(&job["bundle"].to_string()).unwrap();
    let got: Vec<&str> = bundle.withdrawals.iter().map(|w| w.withdrawal_id.as_str()).collect();
    assert_eq!(got, ids);
    assert!(bundle.circuit_id.ends_with("slots-4"), "{}", bundle.circuit_id);
    let policy = Policy::from_json(&batch_policy().to_string()).unwrap();
    let vk = VerifyingKeyFile::from_json(&std::fs::read_to_string(batch_keys().join("verifying_key.json")).unwrap())
        .unwrap();
    let verdict = zkcomply_verifier::verify_batch_bundle(&bundle, &policy, &vk, bundle.withdrawals[0].now.0);
    assert!(verdict.accepted, "{}", verdict.to_json());
}

/// The refused items of a 422 `items_refused`, as (index, withdrawal_id,
/// reason).
fn refused_items(reply: &Reply) -> Vec<(u64, String, String)> {
    assert_eq!((reply.status, reply.error_code().as_str()), (422, "items_refused"), "{}", reply.text);
    reply.json()["error"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["index"].as_u64().unwrap(),
                i["withdrawal_id"].as_str().unwrap().to_string(),
                i["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// `POST /v1/batches`: a batch is proved into a batch bundle; a retry
/// returns the same job and a changed body under the same key is 409;
/// item ids are used once per client (earlier batches and single proofs,
/// repeats within a batch), refused with their index before any job, as
/// are the items the prover refuses (unless `drop_refused`); a client that
/// must sign its batches is refused without a valid signature; a service
/// without batch keys answers that batches are not enabled.
#[tokio::test(flavor = "multi_thread")]
async fn batches_prove_each_item_id_once_with_signatures_where_required() {
    use zkcomply_service::batch_signature::{new_batch_key, sign_body};
    let wallet = ApiKey::new("wallet");
    let signer = ApiKey::new("signer");
    let optional = ApiKey::new("optional");
    let (signer_secret, signer_public) = new_batch_key();
    let (optional_secret, optional_public) = new_batch_key();
    let signer_entry = format!("batch_public_key = \"{signer_public}\"\nrequire_batch_signature = true");
    let optional_entry = format!("batch_public_key = \"{optional_public}\"");
    let options = ServiceOptions { batch_keys: Some(batch_keys().to_path_buf()), ..ServiceOptions::default() };
    let dir = ServiceDir::new(&options, &[(&wallet, ""), (&signer, &signer_entry), (&optional, &optional_entry)]);
    let service = ServiceProcess::start(&dir.config(), &dir.dir.path().join("serve.log"));
    let mut bodies: Vec<String> = Vec::new();

    let openapi = Reply::from(client().get(format!("{}/openapi.json", service.base)).send().await.unwrap()).await;
    let openapi = openapi.json();
    for (path, method, statuses) in [
        ("/v1/batches", "post", &[200, 201, 400, 401, 403, 409, 413, 422, 429, 501, 503][..]),
        ("/v1/batches/{id}", "get", &[200, 400, 401, 404, 429][..]),
    ] {
        for status in statuses {
            assert!(
                openapi["paths"][path][method]["responses"][status.to_string()].is_object(),
                "OpenAPI document lacks {status} for {method} {path}"
            );
        }
    }

    // A batch of three, proved within the wait.
    let body = batch_body(&["pay-0", "pay-1", "pay-2"]);
    let created = service.submit_batch(&wallet, "b-1", &body, 60, None).await;
    assert_eq!(created.status, 201, "{}", created.text);
    let job = created.json();
    assert_eq!(job["state"], "succeeded", "{job}");
    let id = job["id"].as_str().unwrap().to_string();
    assert!(id.starts_with("batch_"), "{id}");
    assert_eq!(created.headers["location"].to_str().unwrap(), format!("/v1/batches/{id}"));
    assert_eq!(job["bundle"]["version"], "zkcomply/batch-bundle/v1");
    assert_eq!(job["dropped"], json!([]));
    assert_batch_bundle(&job, &["pay-0", "pay-1", "pay-2"]);
    bodies.push(created.text.clone());

    // Read back at /v1/batches/{id} only, and by its own API key only.
    let fetched = service.batch(&wallet, &id, 0).await;
    assert_eq!(fetched.status, 200, "{}", fetched.text);
    assert_eq!(fetched.json()["bundle"], job["bundle"]);
    assert_eq!(service.batch(&optional, &id, 0).await.status, 404);
    assert_eq!(service.job(&wallet, &id, 0).await.status, 404);
    let unknown = service.batch(&wallet, "batch_00000000000000000000000000000000", 0).await;
    assert_eq!((unknown.status, unknown.error_code().as_str()), (404, "not_found"));

    // The same batch again (keys reordered): the same job, not a new proof.
    let mut reordered = serde_json::Map::new();
    for k in ["withdrawals", "policy", "credential"] {
        reordered.insert(k.into(), body[k].clone());
    }
    let replay = service.submit_batch(&wallet, "b-1", &Value::Object(reordered), 0, None).await;
    assert_eq!(replay.status, 200, "{}", replay.text);
    assert_eq!(replay.json()["id"], id.as_str());
    assert_eq!(replay.json()["bundle"], job["bundle"]);
    // The same key with another batch: 409 naming the job.
    let conflict = service.submit_batch(&wallet, "b-1", &batch_body(&["pay-0", "pay-1"]), 0, None).await;
    assert_eq!((conflict.status, conflict.error_code().as_str()), (409, "idempotency_conflict"), "{}", conflict.text);
    assert!(conflict.text.contains(&id), "{}", conflict.text);

    // An item id of the earlier batch: refused with its index, no job.
    let reused = service.submit_batch(&wallet, "b-2", &batch_body(&["new-0", "pay-1", "new-2"]), 0, None).await;
    let items = refused_items(&reused);
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!((items[0].0, items[0].1.as_str()), (1, "pay-1"));
    assert!(items[0].2.contains("already used") && items[0].2.contains(&id), "{}", items[0].2);
    assert!(reused.json()["error"]["message"].as_str().unwrap().contains("item 1 (\"pay-1\")"), "{}", reused.text);
    // The ids not refused were not used up: the same key, with them alone,
    // is a new request (here refused for a repeat within the batch).
    let repeated = service.submit_batch(&wallet, "b-2", &batch_body(&["new-0", "new-2", "new-0"]), 0, None).await;
    let items = refused_items(&repeated);
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!((items[0].0, items[0].1.as_str()), (2, "new-0"));
    assert!(items[0].2.contains("repeats item 0's"), "{}", items[0].2);
    // An item the prover refuses: an amount over the tier's limit.
    let mut over = batch_body(&["new-0", "new-1"]);
    over["withdrawals"][1]["amount"] = json!("20000000000000000000");
    let over = service.submit_batch(&wallet, "b-over", &over, 0, None).await;
    let items = refused_items(&over);
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!((items[0].0, items[0].1.as_str()), (1, "new-1"));
    assert!(items[0].2.contains("amount"), "{}", items[0].2);
    bodies.push(over.text);
    // Every item refused, even with drop_refused: nothing to prove.
    let mut all_over = batch_body(&["new-0"]);
    all_over["withdrawals"][0]["amount"] = json!("20000000000000000000");
    all_over["drop_refused"] = json!(true);
    let all_over = service.submit_batch(&wallet, "b-all-over", &all_over, 0, None).await;
    assert_eq!(refused_items(&all_over).len(), 1);
    assert!(all_over.text.contains("nothing to prove"), "{}", all_over.text);

    // A single proof's withdrawal id is used too (its job fails, refused
    // by the prover, but the id was recorded when it was accepted).
    let mut single = request_body("w-single");
    single["withdrawal"]["amount"] = json!("100000000000000000000000");
    let single = service.submit(&wallet, "s-1", &single, 0).await;
    assert_eq!(single.status, 201, "{}", single.text);
    let single_id = single.json()["id"].as_str().unwrap().to_string();
    let after_single = service.submit_batch(&wallet, "b-3", &batch_body(&["new-0", "w-single"]), 0, None).await;
    let items = refused_items(&after_single);
    assert_eq!((items[0].0, items[0].1.as_str()), (1, "w-single"));
    assert!(items[0].2.contains(&single_id), "{}", items[0].2);
    // Item ids are per API key: the batch's ids are another key's own.
    // (Refused here for a repeat, so that nothing is proved.)
    let theirs = service.submit_batch(&optional, "b-1", &batch_body(&["pay-0", "pay-0"]), 0, None).await;
    let items = refused_items(&theirs);
    assert_eq!(items.iter().map(|i| i.0).collect::<Vec<_>>(), [1], "pay-0 is not used for this key: {items:?}");

    // Requests that are not batches this service proves.
    let five = service.submit_batch(&wallet, "b-5", &batch_body(&["f-0", "f-1", "f-2", "f-3", "f-4"]), 0, None).await;
    assert_eq!((five.status, five.error_code().as_str()), (422, "refused"), "{}", five.text);
    assert!(five.text.contains("batches of 4 slots"), "{}", five.text);
    let mut halo2 = batch_body(&["h-0"]);
    halo2["backend"] = json!("halo2-ipa-bn254");
    let halo2 = service.submit_batch(&wallet, "b-h", &halo2, 0, None).await;
    assert_eq!(halo2.status, 400, "{}", halo2.text);
    assert!(halo2.text.contains("batches are proved with groth16-bn254"), "{}", halo2.text);
    let mut bad_amount = batch_body(&["m-0", "m-1"]);
    bad_amount["withdrawals"][1]["amount"] = json!("-1");
    let bad_amount = service.submit_batch(&wallet, "b-m", &bad_amount, 0, None).await;
    assert_eq!(bad_amount.status, 400, "{}", bad_amount.text);
    assert!(bad_amount.text.contains("withdrawals[1].amount"), "{}", bad_amount.text);
    let single_shape = service.submit_batch(&wallet, "b-s", &request_body("w-shape"), 0, None).await;
    assert_eq!(single_shape.status, 400, "{}", single_shape.text);
    let message = single_shape.json()["error"]["message"].as_str().unwrap().to_string();
    assert!(message.contains("unknown field \"withdrawal\""), "{message}");

    // A client that must sign: no signature, a malformed one, one by
    // another key, one over another body: 403, nothing queued.
    let mut signed = batch_body(&["sig-0", "sig-1", "sig-2"]);
    signed["withdrawals"][1]["amount"] = json!("20000000000000000000");
    signed["drop_refused"] = json!(true);
    let signature = sign_body(&signer_secret, &signed).unwrap();
    let by_other_key = sign_body(&optional_secret, &signed).unwrap();
    let over_other_body = sign_body(&signer_secret, &batch_body(&["sig-0"])).unwrap();
    for (what, header) in [
        ("missing", None),
        ("malformed", Some("not base64!")),
        ("another key's", Some(by_other_key.as_str())),
        ("over another body", Some(over_other_body.as_str())),
    ] {
        let reply = service.submit_batch(&signer, "b-signed", &signed, 0, header).await;
        assert_eq!((reply.status, reply.error_code().as_str()), (403, "bad_signature"), "{what}: {}", reply.text);
        assert!(reply.text.contains("X-Batch-Signature"), "{what}: {}", reply.text);
    }
    // The right signature: accepted; the refused item is left out and
    // listed in `dropped`, the others proved.
    let accepted = service.submit_batch(&signer, "b-signed", &signed, 60, Some(&signature)).await;
    assert_eq!(accepted.status, 201, "{}", accepted.text);
    let signed_job = accepted.json();
    assert_eq!(signed_job["state"], "succeeded", "{signed_job}");
    assert_batch_bundle(&signed_job, &["sig-0", "sig-2"]);
    let dropped = signed_job["dropped"].as_array().unwrap();
    assert_eq!(dropped.len(), 1, "{signed_job}");
    assert_eq!((dropped[0]["index"].as_u64(), dropped[0]["withdrawal_id"].as_str()), (Some(1), Some("sig-1")));
    assert!(dropped[0]["reason"].as_str().unwrap().contains("amount"), "{signed_job}");
    bodies.push(accepted.text.clone());
    let signed_id = signed_job["id"].as_str().unwrap();
    // A retry must be signed too; signed, it is the same job.
    let unsigned_retry = service.submit_batch(&signer, "b-signed", &signed, 0, None).await;
    assert_eq!(unsigned_retry.status, 403, "{}", unsigned_retry.text);
    let retry = service.submit_batch(&signer, "b-signed", &signed, 0, Some(&signature)).await;
    assert_eq!((retry.status, retry.json()["id"].as_str()), (200, Some(signed_id)), "{}", retry.text);
    assert_eq!(wait_final_batch(&service, &signer, signed_id).await["dropped"], signed_job["dropped"]);
    // The dropped item's id was not used: a later batch may hold it
    // (refused here for its amount, as before).
    let mut again = batch_body(&["sig-1"]);
    again["withdrawals"][0]["amount"] = json!("20000000000000000000");
    let again_signature = sign_body(&signer_secret, &again).unwrap();
    let again = service.submit_batch(&signer, "b-again", &again, 0, Some(&again_signature)).await;
    let items = refused_items(&again);
    assert!(items[0].2.contains("amount"), "not refused as used: {items:?}");

    // A key configured but not required: unsigned batches pass the
    // signature check, a signature present must verify.
    let repeat = batch_body(&["o-0", "o-0"]);
    let unsigned = service.submit_batch(&optional, "b-o", &repeat, 0, None).await;
    assert_eq!(refused_items(&unsigned).len(), 1, "past the signature check");
    let wrong = sign_body(&signer_secret, &repeat).unwrap();
    let wrong = service.submit_batch(&optional, "b-o", &repeat, 0, Some(&wrong)).await;
    assert_eq!((wrong.status, wrong.error_code().as_str()), (403, "bad_signature"), "{}", wrong.text);
    let right = sign_body(&optional_secret, &repeat).unwrap();
    let right = service.submit_batch(&optional, "b-o", &repeat, 0, Some(&right)).await;
    assert_eq!(refused_items(&right).len(), 1, "past the signature check");
    // No key configured: a signature cannot be checked, and is refused.
    let stray = sign_body(&signer_secret, &repeat).unwrap();
    let stray = service.submit_batch(&wallet, "b-stray", &repeat, 0, Some(&stray)).await;
    assert_eq!(stray.status, 403, "{}", stray.text);
    assert!(stray.text.contains("no batch_public_key"), "{}", stray.text);

    // Metrics, and the secret nowhere: responses, log, database.
    let metrics = Reply::from(client().get(format!("{}/metrics", service.base)).send().await.unwrap()).await;
    for needle in [
        "zkcomply_rejected_requests_total{reason=\"bad_signature\"} 7",
        "zkcomply_finished_jobs_total{outcome=\"succeeded\"} 2",
    ] {
        assert!(metrics.text.contains(needle), "metrics lack {needle:?}:\n{}", metrics.text);
    }
    assert_eq!(wait_final(&service, &wallet, &single_id).await["state"], "failed");
    let secrets = secret_forms();
    for text in &bodies {
        assert!(!contains_any(text.as_bytes(), &secrets), "a response quotes the secret: {text}");
    }
    let log_text = service.log();
    assert!(log_text.contains("batch accepted"), "{log_text}");
    assert!(!contains_any(log_text.as_bytes(), &secrets), "the log holds the secret:\n{log_text}");
    assert!(!contains_any(&dir.all_bytes(), &secrets), "the database holds the secret in plaintext");
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", dir.dir.path().join("zkcomply-jobs.db").display()))
        .await
        .unwrap();
    let (left,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM zkcomply_jobs WHERE sealed_request IS NOT NULL")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(left, 0, "requests are purged when their jobs end");

    // A service without batch keys: batches are not enabled.
    let plain = ServiceDir::new(&ServiceOptions::default(), &[(&wallet, "")]);
    let plain = ServiceProcess::start(&plain.config(), &plain.dir.path().join("serve.log"));
    let off = plain.submit_batch(&wallet, "b-1", &body, 0, None).await;
    assert_eq!((off.status, off.error_code().as_str()), (501, "not_enabled"), "{}", off.text);
    assert!(off.text.contains("batch_keys"), "{}", off.text);
}
