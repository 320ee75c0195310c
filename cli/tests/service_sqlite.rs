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
