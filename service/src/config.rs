//! `zkcomply serve --config FILE`: the TOML configuration. Every option,
//! its default and its meaning are in `docs/SERVICE.md`; the sample file
//! is `docs/serve.sample.toml`. Relative paths are resolved against the
//! configuration file's directory.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use zkcomply_verifier::limits::SizeLimit;
use zkcomply_verifier::FormatError;

use crate::error::ServiceError;

/// The configuration file as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceConfig {
    /// Address to listen on (default `127.0.0.1:8080`).
    #[serde(default = "default_listen")]
    pub listen: SocketAddr,
    /// `sqlite://FILE` (the default: `sqlite://zkcomply-jobs.db` beside the
    /// configuration) or `postgres://...` to share one queue between
    /// processes.
    #[serde(default)]
    pub database_url: Option<String>,
    /// The keys directory from `zkcomply setup`, or one per proof system
    /// (`keys = ["keys", "keys-halo2"]`): a job names its backend, or gets
    /// the first one its policy accepts.
    #[serde(deserialize_with = "one_or_more_paths")]
    pub keys: Vec<PathBuf>,
    /// Tree files the service proves against (identity, address and
    /// revocation trees; several of a kind are allowed: a request uses the
    /// newest one whose root its policy accepts).
    pub trees: Vec<PathBuf>,
    /// File holding the 32-byte key (64 hex digits) that encrypts requests
    /// at rest (`zkcomply service new-encryption-key`).
    pub encryption_key_file: PathBuf,
    /// Proofs run at once (default 1: one proof uses every core).
    #[serde(default)]
    pub workers: Option<usize>,
    /// Jobs accepted and not finished (queued + running) across the service
    /// before new ones get 429 (default: twice `workers`).
    #[serde(default)]
    pub max_pending_jobs: Option<usize>,
    /// Longest expected wait before a new job starts, in milliseconds, for
    /// it to be accepted (default: half the recent mean proving time; until
    /// the first proof is timed, only an idle worker admits a job by
    /// default, while a configured value leaves it to `max_pending_jobs`).
    #[serde(default)]
    pub max_expected_wait_ms: Option<u64>,
    /// Largest request body in bytes (default 1 MiB); larger gets 413.
    #[serde(default = "default_max_body_bytes")]
    pub max_body_bytes: usize,
    /// Longest `wait` a client may ask for, in seconds (default 60).
    #[serde(default = "default_max_wait_seconds")]
    pub max_wait_seconds: u64,
    /// How long a worker's claim on a job lasts without renewal, in seconds
    /// (default 30; renewed every third of it while proving).
    #[serde(default = "default_lease_seconds")]
    pub lease_seconds: u64,
    /// Claims of one job before it is failed as lost (default 3).
    #[serde(default = "default_max_attempts")]
    pub max_attempts: u32,
    /// How often idle workers look for jobs queued by other processes, in
    /// milliseconds (default 200).
    #[serde(default = "default_poll_interval_ms")]
    pub poll_interval_ms: u64,
    /// On SIGTERM or Ctrl-C, how long running proofs may take to finish
    /// before they are put back in the queue, in seconds (default 30).
    #[serde(default = "default_shutdown_grace_seconds")]
    pub shutdown_grace_seconds: u64,
    /// Batch keys directory from `zkcomply setup --batch SLOTS`: enables
    /// `POST /v1/batches` (without it, batches are not enabled).
    #[serde(default)]
    pub batch_keys: Option<PathBuf>,
    /// Log level of the service's messages (`info` by default; `warn`,
    /// `debug`...), or tracing `EnvFilter` directives for everything.
    #[serde(default = "default_log")]
    pub log: String,
    /// Clients allowed to submit jobs.
    pub api_keys: Vec<ApiKeyConfig>,
}

/// One client's API key.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiKeyConfig {
    /// Who the key belongs to (appears in logs and metrics).
    pub name: String,
    /// SHA-256 of the key, 64 hex digits (`zkcomply service new-api-key`
    /// prints both).
    pub sha256: String,
    /// Sustained requests per minute (default 600).
    #[serde(default = "default_requests_per_minute")]
    pub requests_per_minute: u32,
    /// Requests allowed at once above the sustained rate (default 60).
    #[serde(default = "default_burst")]
    pub burst: u32,
    /// The client's Ed25519 public key for batch signatures (32 bytes, as
    /// 64 hex digits or base64). With it, a batch that carries an
    /// `X-Batch-Signature` is accepted only when the signature verifies.
    #[serde(default)]
    pub batch_public_key: Option<String>,
    /// Whether every batch of this client must be signed with
    /// `batch_public_key` (default false).
    #[serde(default)]
    pub require_batch_signature: bool,
    /// `batch_public_key`, checked and decoded when the configuration is
    /// loaded.
    #[serde(skip)]
    pub batch_verifying_key: Option<ed25519_dalek::VerifyingKey>,
}

fn default_listen() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 8080))
}
fn default_max_body_bytes() -> usize {
    1 << 20
}
fn default_max_wait_seconds() -> u64 {
    60
}
fn default_lease_seconds() -> u64 {
    30
}
fn default_max_attempts() -> u32 {
    3
}
fn default_poll_interval_ms() -> u64 {
    200
}
fn default_shutdown_grace_seconds() -> u64 {
    30
}
fn default_log() -> String {
    "info".into()
}
fn default_requests_per_minute() -> u32 {
    600
}
fn default_burst() -> u32 {
    60
}

/// Most `workers`: far more proofs at once than any machine runs (one
/// proof uses every core), and the admission estimate keeps one slot per
/// worker.
const MAX_WORKERS: usize = 1024;
/// Most `max_pending_jobs`.
const MAX_PENDING_JOBS: usize = 1_000_000;
/// Most seconds for `lease_seconds`, `max_wait_seconds` and
/// `shutdown_grace_seconds` (a day): the service adds them to clocks in
/// milliseconds, which must not overflow.
const MAX_SECONDS: u64 = 86_400;

/// A checked configuration with absolute paths and the defaults filled in.
#[derive(Debug, Clone)]
pub struct Settings {
    /// As configured.
    pub config: ServiceConfig,
    /// The database URL.
    pub database_url: String,
    /// Proofs at once.
    pub workers: usize,
    /// Pending-job bound.
    pub max_pending_jobs: usize,
}

/// A configuration file (a few hundred bytes; room for thousands of API
/// keys), refused before it is read when larger: `--config /dev/zero`
/// once read until memory ran out.
pub const MAX_CONFIG_BYTES: SizeLimit =
    SizeLimit { document: "configuration", name: "MAX_CONFIG_BYTES", bytes: 1024 * 1024 };

impl Settings {
    /// Reads (within `MAX_CONFIG_BYTES`) and checks `path`.
    ///
    /// # Errors
    /// [`ServiceError::Config`] naming the file and the field.
    pub fn load(path: &Path) -> Result<Self, ServiceError> {
        let err = |message: String| ServiceError::Config { path: path.display().to_string(), message };
        let text = zkcomply_verifier::read_text(path, &MAX_CONFIG_BYTES).map_err(|e| match e {
            FormatError::Io { source, .. } => err(format!("cannot read: {source}")),
            // The path is named once, by `err`.
            FormatError::TooLarge { limit, size, .. } => {
                err(FormatError::TooLarge { limit, size, file: None }.to_string())
            }
            other => err(other.to_string()),
        })?;
        let mut config: ServiceConfig = toml::from_str(&text).map_err(|e| err(e.to_string()))?;
        let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let resolve = |p: &Path| if p.is_absolute() { p.to_path_buf() } else { base.join(p) };
        config.keys = config.keys.iter().map(|p| resolve(p)).collect();
        config.encryption_key_file = resolve(&config.encryption_key_file);
        config.trees = config.trees.iter().map(|p| resolve(p)).collect();
        config.batch_keys = config.batch_keys.as_deref().map(resolve);
        let database_url = match &config.database_url {
            None => format!("sqlite://{}?mode=rwc", resolve(Path::new("zkcomply-jobs.db")).display()),
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => url.clone(),
            Some(url) => match url.strip_prefix("sqlite://") {
                Some(file) => {
                    let (file, query) = file.split_once('?').unwrap_or((file, "mode=rwc"));
                    format!("sqlite://{}?{query}", resolve(Path::new(file)).display())
                }
                None => {
                    return Err(err(format!(
                        "database_url: expected sqlite://FILE or postgres://..., got a URL with another scheme ({})",
                        url.split(':').next().unwrap_or("")
                    )))
                }
            },
        };
        let workers = config.workers.unwrap_or(1);
        if !(1..=MAX_WORKERS).contains(&workers) {
            return Err(err(format!("workers: expected 1 to {MAX_WORKERS}, got {workers}")));
        }
        let max_pending_jobs = config.max_pending_jobs.unwrap_or(2 * workers);
        if !(1..=MAX_PENDING_JOBS).contains(&max_pending_jobs) {
            return Err(err(format!("max_pending_jobs: expected 1 to {MAX_PENDING_JOBS}, got {max_pending_jobs}")));
        }
        for (name, seconds) in [
            ("lease_seconds", config.lease_seconds),
            ("max_wait_seconds", config.max_wait_seconds),
            ("shutdown_grace_seconds", config.shutdown_grace_seconds),
        ] {
            if seconds > MAX_SECONDS {
                return Err(err(format!("{name}: expected at most {MAX_SECONDS} (a day), got {seconds}")));
            }
        }
        if config.keys.is_empty() {
            return Err(err("keys: expected a keys directory (zkcomply setup --out DIR)".into()));
        }
        if config.trees.is_empty() {
            return Err(err("trees: expected at least an identity, an address and a revocation tree".into()));
        }
        if config.api_keys.is_empty() {
            return Err(err("api_keys: expected at least one key (zkcomply service new-api-key prints one)".into()));
        }
        for (i, key) in config.api_keys.iter_mut().enumerate() {
            if key.sha256.len() != 64 || !key.sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(err(format!("api_keys[{i}].sha256: expected 64 hex digits (the SHA-256 of the key)")));
            }
            if key.requests_per_minute == 0 || key.burst == 0 {
                return Err(err(format!("api_keys[{i}]: requests_per_minute and burst must be at least 1")));
            }
            key.batch_verifying_key = match &key.batch_public_key {
                None => None,
                Some(text) => Some(
                    crate::batch_signature::parse_public_key(text)
                        .map_err(|m| err(format!("api_keys[{i}].batch_public_key: {m}")))?,
                ),
            };
            if key.require_batch_signature && key.batch_verifying_key.is_none() {
                return Err(err(format!(
                    "api_keys[{i}].require_batch_signature: needs batch_public_key, the key batches are signed with"
                )));
            }
        }
        if config.lease_seconds < 3 {
            return Err(err("lease_seconds: expected at least 3 (the lease is renewed every third of it)".into()));
        }
        if config.max_attempts == 0 {
            return Err(err("max_attempts: expected at least 1".into()));
        }
        if config.poll_interval_ms == 0 {
            return Err(err("poll_interval_ms: expected at least 1".into()));
        }
        Ok(Self { config, database_url, workers, max_pending_jobs })
    }
}

/// A path, or a list of paths.
fn one_or_more_paths<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Vec<PathBuf>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMore {
        One(PathBuf),
        More(Vec<PathBuf>),
    }
    Ok(match OneOrMore::deserialize(deserializer)? {
        OneOrMore::One(path) => vec![path],
        OneOrMore::More(paths) => paths,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(unix)]
    fn an_endless_file_is_read_only_up_to_the_limit() {
        let e = Settings::load(Path::new("/dev/zero")).unwrap_err().to_string();
        assert!(e.contains("/dev/zero") && e.contains("MAX_CONFIG_BYTES (1048576 bytes)"), "{e}");
    }

    fn load_with_key(entry: &str) -> Result<Settings, String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("serve.toml");
        let text = format!(
            "keys = \"keys\"\nbatch_keys = \"keys4\"\ntrees = [\"t.json\"]\nencryption_key_file = \"k.hex\"\n\
             [[api_keys]]\nname = \"w\"\nsha256 = \"{}\"\n{entry}\n",
            "ab".repeat(32)
        );
        std::fs::write(&path, text).unwrap();
        Settings::load(&path).map_err(|e| e.to_string())
    }

    #[test]
    fn batch_keys_and_public_keys_are_checked_at_load() {
        let (_, public) = crate::batch_signature::new_batch_key();
        let settings =
            load_with_key(&format!("batch_public_key = \"{public}\"\nrequire_batch_signature = true")).unwrap();
        assert!(settings.config.batch_keys.as_ref().is_some_and(|p| p.ends_with("keys4") && p.is_absolute()));
        let client = &settings.config.api_keys[0];
        assert_eq!(client.batch_verifying_key.map(|k| hex::encode(k.to_bytes())), Some(public.clone()));
        assert!(client.require_batch_signature);
        let none = load_with_key("").unwrap();
        assert!(none.config.api_keys[0].batch_verifying_key.is_none());
        assert!(!none.config.api_keys[0].require_batch_signature);

        let e = load_with_key("batch_public_key = \"00\"").unwrap_err();
        assert!(e.contains("api_keys[0].batch_public_key") && e.contains("32 bytes"), "{e}");
        let e = load_with_key("require_batch_signature = true").unwrap_err();
        assert!(e.contains("api_keys[0].require_batch_signature") && e.contains("batch_public_key"), "{e}");
    }
}
