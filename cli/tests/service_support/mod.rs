//! Shared by the service tests: one demo run (keys, trees, a credential),
//! `zkcomply serve` processes with their own configuration and log, and
//! request bodies.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// One demo run shared by every test of a binary.
pub fn demo() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_zkcomply"))
            .args(["demo", "--out", dir.path().to_str().unwrap()])
            .output()
            .unwrap();
        assert!(out.status.success(), "demo failed: {}", String::from_utf8_lossy(&out.stderr));
        dir
    })
    .path()
}

/// 4-slot batch keys (`zkcomply setup --batch 4`), made once per test
/// binary in the demo's directory.
pub fn batch_keys() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let keys = demo().join("keys4");
        let out = Command::new(env!("CARGO_BIN_EXE_zkcomply"))
            .args(["setup", "--batch", "4", "--out", keys.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(out.status.success(), "setup --batch 4 failed: {}", String::from_utf8_lossy(&out.stderr));
        keys
    })
}

/// The demo's policy pinning both the single key and the batch keys (the
/// exchange's verifier accepts development keys only when pinned).
pub fn batch_policy() -> Value {
    let batch_key: Value =
        serde_json::from_str(&std::fs::read_to_string(batch_keys().join("manifest.json")).unwrap()).unwrap();
    let mut policy = demo_json("policy.json");
    let single_key = policy.as_object_mut().unwrap().remove("verifying_key_hash").unwrap();
    policy["verifying_keys"] = json!({ "groth16-bn254": [single_key, batch_key["verifying_key_hash"].clone()] });
    policy
}

/// A withdrawal like the demo's with its own id, destination and amount
/// (the `i`th of a batch).
pub fn batch_item(withdrawal_id: &str, i: usize) -> Value {
    let mut w = demo_json("withdrawal.json");
    w["withdrawal_id"] = json!(withdrawal_id);
    w["destination_address"] = json!(format!("0x{:040x}", 0x5000 + i));
    w["amount"] = json!((1_000_000_000_000_000u128 * (i as u128 + 1)).to_string());
    w
}

/// A batch request body with one item per id.
pub fn batch_body(withdrawal_ids: &[&str]) -> Value {
    let items: Vec<Value> = withdrawal_ids.iter().enumerate().map(|(i, id)| batch_item(id, i)).collect();
    json!({
        "credential": demo_json("credential.json"),
        "withdrawals": items,
        "policy": batch_policy(),
    })
}

/// A demo file as JSON.
pub fn demo_json(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(demo().join(name)).unwrap()).unwrap()
}

/// The holder's secret as the credential writes it.
pub fn holder_secret() -> String {
    demo_json("credential.json")["holder"]["secret"].as_str().unwrap().to_string()
}

/// The forms in which the secret could leak: as written, and its bytes in
/// hex (how PostgreSQL prints a bytea).
pub fn secret_forms() -> Vec<String> {
    let secret = holder_secret();
    vec![secret.clone(), hex::encode(secret.as_bytes())]
}

/// A valid request body for the demo's withdrawal, with its own
/// withdrawal id.
pub fn request_body(withdrawal_id: &str) -> Value {
    let mut withdrawal = demo_json("withdrawal.json");
    withdrawal["withdrawal_id"] = json!(withdrawal_id);
    json!({
        "credential": demo_json("credential.json"),
        "withdrawal": withdrawal,
        "policy": demo_json("policy.json"),
    })
}

/// An API key and its configuration entry.
pub struct ApiKey {
    /// The key.
    pub key: String,
    /// Its name.
    pub name: String,
}

impl ApiKey {
    /// A key named `name`.
    pub fn new(name: &str) -> Self {
        Self { key: zkcomply_service::auth::new_api_key(), name: name.into() }
    }

    fn toml(&self, extra: &str) -> String {
        format!(
            "[[api_keys]]\nname = \"{}\"\nsha256 = \"{}\"\n{extra}\n",
            self.name,
            zkcomply_service::auth::key_sha256(&self.key)
        )
    }
}

/// What a service configuration varies on.
pub struct ServiceOptions {
    /// `database_url`, or the SQLite default.
    pub database_url: Option<String>,
    /// Workers.
    pub workers: usize,
    /// Pending bound.
    pub max_pending_jobs: usize,
    /// Lease seconds.
    pub lease_seconds: u64,
    /// Body limit.
    pub max_body_bytes: usize,
    /// Shutdown grace.
    pub shutdown_grace_seconds: u64,
    /// `max_expected_wait_ms`, or the default.
    pub max_expected_wait_ms: Option<u64>,
    /// Keys directories after the demo's (`keys = [demo, ...]`).
    pub extra_keys: Vec<PathBuf>,
    /// `batch_keys`, or none (batches not enabled).
    pub batch_keys: Option<PathBuf>,
}

impl Default for ServiceOptions {
    fn default() -> Self {
        Self {
            database_url: None,
            workers: 2,
            max_pending_jobs: 8,
            lease_seconds: 30,
            max_body_bytes: 64 * 1024,
            shutdown_grace_seconds: 30,
            max_expected_wait_ms: None,
            extra_keys: Vec::new(),
            batch_keys: None,
        }
    }
}

/// A configuration directory: config file, encryption key, SQLite file.
pub struct ServiceDir {
    /// The directory.
    pub dir: tempfile::TempDir,
}

impl ServiceDir {
    /// Writes `serve.toml` and a new encryption key for `options`.
    pub fn new(options: &ServiceOptions, keys: &[(&ApiKey, &str)]) -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("service_key.hex"), zkcomply_service::sealing::Sealer::new_key_hex()).unwrap();
        let demo = demo();
        let mut config = format!(
            "listen = \"127.0.0.1:0\"\nkeys = [{}]\ntrees = [\"{}\", \"{}\", \"{}\"]\n\
             encryption_key_file = \"service_key.hex\"\nworkers = {}\nmax_pending_jobs = {}\n\
             lease_seconds = {}\nmax_body_bytes = {}\nshutdown_grace_seconds = {}\npoll_interval_ms = 100\n",
            std::iter::once(demo.join("keys"))
                .chain(options.extra_keys.iter().cloned())
                .map(|dir| format!("\"{}\"", dir.display()))
                .collect::<Vec<_>>()
                .join(", "),
            demo.join("identity_tree.json").display(),
            demo.join("address_tree.json").display(),
            demo.join("revocation_tree.json").display(),
            options.workers,
            options.max_pending_jobs,
            options.lease_seconds,
            options.max_body_bytes,
            options.shutdown_grace_seconds,
        );
        if let Some(ms) = options.max_expected_wait_ms {
            config += &format!("max_expected_wait_ms = {ms}\n");
        }
        if let Some(dir) = &options.batch_keys {
            config += &format!("batch_keys = \"{}\"\n", dir.display());
        }
        if let Some(url) = &options.database_url {
            config += &format!("database_url = \"{url}\"\n");
        }
        for (key, extra) in keys {
            config += &key.toml(extra);
        }
        std::fs::write(dir.path().join("serve.toml"), config).unwrap();
        Self { dir }
    }

    /// The configuration file.
    pub fn config(&self) -> PathBuf {
        self.dir.path().join("serve.toml")
    }

    /// Every file in the directory, concatenated (the SQLite database and
    /// its write-ahead log among them).
    pub fn all_bytes(&self) -> Vec<u8> {
        let mut bytes = Vec::new();
        for entry in std::fs::read_dir(self.dir.path()).unwrap() {
            let path = entry.unwrap().path();
            if path.file_name().is_some_and(|n| n.to_string_lossy().starts_with("zkcomply-jobs.db")) {
                bytes.extend(std::fs::read(&path).unwrap());
            }
        }
        bytes
    }
}

/// A running `zkcomply serve`.
pub struct ServiceProcess {
    child: Option<Child>,
    log: PathBuf,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
}

impl ServiceProcess {
    /// Starts `zkcomply serve --config CONFIG`, logging to `log`, and waits
    /// until it listens.
    pub fn start(config: &Path, log: &Path) -> Self {
        let log_file = std::fs::File::create(log).unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_zkcomply"))
            .args(["serve", "--config", config.to_str().unwrap()])
            .stdout(Stdio::null())
            .stderr(log_file)
            .spawn()
            .unwrap();
        let mut process = Self { child: Some(child), log: log.to_path_buf(), base: String::new() };
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let text = process.log();
            if let Some(at) = text.find("listening on http://") {
                let rest = &text[at + "listening on ".len()..];
                process.base = rest.split_whitespace().next().unwrap().to_string();
                return process;
            }
            if let Some(status) = process.child.as_mut().unwrap().try_wait().unwrap() {
                panic!("zkcomply serve exited with {status} before listening:\n{text}");
            }
            assert!(Instant::now() < deadline, "zkcomply serve did not start:\n{text}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.child.as_ref().unwrap().id()
    }

    /// SIGKILL, and reap.
    pub fn kill9(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().unwrap();
            child.wait().unwrap();
        }
    }

    /// SIGTERM, then waits for the exit.
    pub fn terminate(&mut self) -> std::process::ExitStatus {
        let mut child = self.child.take().unwrap();
        let status = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
        assert!(status.success());
        child.wait().unwrap()
    }

    /// An HTTP request with `key`.
    pub fn request(&self, method: reqwest::Method, path: &str, key: &ApiKey) -> reqwest::RequestBuilder {
        client().request(method, format!("{}{path}", self.base)).bearer_auth(&key.key)
    }

    /// `POST /v1/proofs` with `body` and an idempotency key.
    pub async fn submit(&self, key: &ApiKey, idempotency_key: &str, body: &Value, wait: u64) -> Reply {
        Reply::from(
            self.request(reqwest::Method::POST, &format!("/v1/proofs?wait={wait}"), key)
                .header("Idempotency-Key", idempotency_key)
                .json(body)
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    /// `POST /v1/batches` with `body`, an idempotency key and, if given,
    /// an `X-Batch-Signature`.
    pub async fn submit_batch(
        &self,
        key: &ApiKey,
        idempotency_key: &str,
        body: &Value,
        wait: u64,
        signature: Option<&str>,
    ) -> Reply {
        let mut request = self
            .request(reqwest::Method::POST, &format!("/v1/batches?wait={wait}"), key)
            .header("Idempotency-Key", idempotency_key)
            .json(body);
        if let Some(signature) = signature {
            request = request.header("X-Batch-Signature", signature);
        }
        Reply::from(request.send().await.unwrap()).await
    }

    /// `GET /v1/batches/{id}`.
    pub async fn batch(&self, key: &ApiKey, id: &str, wait: u64) -> Reply {
        Reply::from(
            self.request(reqwest::Method::GET, &format!("/v1/batches/{id}?wait={wait}"), key).send().await.unwrap(),
        )
        .await
    }

    /// `GET /v1/proofs/{id}`.
    pub async fn job(&self, key: &ApiKey, id: &str, wait: u64) -> Reply {
        Reply::from(
            self.request(reqwest::Method::GET, &format!("/v1/proofs/{id}?wait={wait}"), key).send().await.unwrap(),
        )
        .await
    }
}

impl Drop for ServiceProcess {
    fn drop(&mut self) {
        self.kill9();
    }
}

/// One shared HTTP client.
pub fn client() -> &'static reqwest::Client {
    static CLIENT: OnceLock<reqwest::Client> = OnceLock::new();
    CLIENT.get_or_init(|| reqwest::Client::builder().timeout(Duration::from_secs(180)).build().unwrap())
}

/// A response, read.
#[derive(Debug)]
pub struct Reply {
    /// Status code.
    pub status: u16,
    /// Headers.
    pub headers: reqwest::header::HeaderMap,
    /// Body text.
    pub text: String,
}

impl Reply {
    /// Reads a response.
    pub async fn from(response: reqwest::Response) -> Self {
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap();
        Self { status, headers, text }
    }

    /// The body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }

    /// `error.code` of an error body.
    pub fn error_code(&self) -> String {
        self.json()["error"]["code"].as_str().unwrap_or_default().to_string()
    }
}

/// Checks a succeeded job's bundle against the demo's policy and key.
pub fn assert_bundle_verifies(job: &Value) {
    use zkcomply_verifier::{bundle::Bundle, keys::VerifyingKeyFile, policy::Policy};
    let bundle = Bundle::from_json(&job["bundle"].to_string()).unwrap();
    let policy = Policy::from_json(&demo_json("policy.json").to_string()).unwrap();
    let vk = VerifyingKeyFile::from_json(&std::fs::read_to_string(demo().join("verifying_key.json")).unwrap()).unwrap();
    let at = bundle.withdrawal.now.0;
    let verdict = zkcomply_verifier::verify_bundle(&bundle, &policy, &vk, at);
    assert!(verdict.accepted, "{}", verdict.to_json());
}

/// Polls `job` until it has ended.
pub async fn wait_final(service: &ServiceProcess, key: &ApiKey, id: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        let reply = service.job(key, id, 10).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        let job = reply.json();
        if matches!(job["state"].as_str(), Some("succeeded" | "failed")) {
            return job;
        }
        assert!(Instant::now() < deadline, "job {id} did not finish: {job}");
    }
}

/// Jobs named in a log's lines containing `event` (`job proved`, ...).
pub fn jobs_in_log(log: &str, event: &str) -> Vec<String> {
    log.lines()
        .filter(|l| l.contains(event))
        .filter_map(|l| l.split_whitespace().find_map(|w| w.strip_prefix("job=")).map(str::to_string))
        .collect()
}
