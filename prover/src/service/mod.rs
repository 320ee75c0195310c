//! `zkcomply serve`: the prover as an HTTP service for wallet backends.
//!
//! Clients submit jobs (`POST /v1/proofs`, with an `Idempotency-Key`) and
//! read them back (`GET /v1/proofs/{id}`); workers prove them. Jobs live
//! in a [`store::JobStore`] (SQLite by default, PostgreSQL to share one
//! queue between processes); the request, which holds the holder's secret,
//! is stored only sealed ([`sealing`]) and deleted when the job ends.
//! `docs/SERVICE.md` is the operator's guide.

pub mod admission;
pub mod api;
pub mod auth;
pub mod config;
pub mod error;
pub mod job_request;
pub mod metrics;
pub mod rate_limit;
pub mod sealing;
pub mod store;
pub mod trees;
pub mod worker;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{broadcast, watch, Mutex, Notify};

pub use config::Settings;
pub use error::ServiceError;

use crate::setup::KeysDir;

/// Everything the handlers and workers share.
pub struct ServiceState {
    /// The checked configuration.
    pub settings: Settings,
    /// Jobs.
    pub store: store::JobStore,
    /// Seals requests at rest.
    pub sealer: sealing::Sealer,
    /// The trees to prove against.
    pub trees: Arc<trees::ServiceTrees>,
    /// The proving key.
    pub keys: Arc<KeysDir>,
    /// Configured clients.
    pub api_keys: auth::ApiKeys,
    /// Per-client rate limits.
    pub rate_limiter: rate_limit::RateLimiter,
    /// Metrics.
    pub metrics: metrics::ServiceMetrics,
    /// Serialises admission in this process.
    pub admission: Mutex<()>,
    /// This process's running proofs (for admission).
    pub running: admission::RunningProofs,
    /// Wakes idle workers when a job is accepted here.
    pub wake_workers: Notify,
    /// Ids of jobs finished by this process's workers (wakes waiting
    /// requests).
    pub finished: broadcast::Sender<String>,
    /// Set on shutdown: stop accepting and claiming.
    pub stop_claiming: watch::Sender<bool>,
    /// Set when the shutdown grace period is over: running proofs are put
    /// back in the queue.
    pub grace_over: watch::Sender<bool>,
}

impl ServiceState {
    /// Whether shutdown has begun.
    pub fn shutting_down(&self) -> bool {
        *self.stop_claiming.borrow()
    }
}

fn worker_id(index: usize) -> String {
    use rand::RngCore;
    let host = std::fs::read_to_string("/etc/hostname").map(|h| h.trim().to_string()).unwrap_or_default();
    let host = if host.is_empty() { "host".to_string() } else { host };
    let mut tag = [0u8; 3];
    rand::rngs::OsRng.fill_bytes(&mut tag);
    format!("{host}-{}-{}-w{index}", std::process::id(), hex::encode(tag))
}

/// Loads everything the configuration names, in the order that fails
/// fastest: keys file, trees, proving key, database.
///
/// # Errors
/// [`ServiceError`] naming the file or setting.
pub async fn build_state(settings: Settings) -> Result<Arc<ServiceState>, ServiceError> {
    let sealer = sealing::Sealer::from_key_file(&settings.config.encryption_key_file)?;
    let tree_paths = settings.config.trees.clone();
    let keys_dir = settings.config.keys.clone();
    let (trees, keys) = tokio::task::spawn_blocking(move || {
        Ok::<_, crate::ProverError>((trees::ServiceTrees::load(&tree_paths)?, KeysDir::load(&keys_dir)?))
    })
    .await
    .map_err(|e| ServiceError::Io(std::io::Error::other(e)))??;
    let store = store::JobStore::connect(&settings.database_url, (settings.workers as u32 + 8).max(10)).await?;
    let api_keys = auth::ApiKeys::new(&settings.config.api_keys);
    Ok(Arc::new(ServiceState {
        settings,
        store,
        sealer,
        trees: Arc::new(trees),
        keys: Arc::new(keys),
        api_keys,
        rate_limiter: rate_limit::RateLimiter::new(),
        metrics: metrics::ServiceMetrics::new(),
        admission: Mutex::new(()),
        running: admission::RunningProofs::default(),
        wake_workers: Notify::new(),
        finished: broadcast::channel(1024).0,
        stop_claiming: watch::channel(false).0,
        grace_over: watch::channel(false).0,
    }))
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = term => {}
    }
}

/// Serves until SIGTERM or Ctrl-C, then stops accepting, lets running
/// proofs finish for up to `shutdown_grace_seconds`, puts back in the
/// queue those that did not, and returns.
///
/// # Errors
/// [`ServiceError`] when start-up fails.
pub async fn serve(settings: Settings) -> Result<(), ServiceError> {
    let listen = settings.config.listen;
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| ServiceError::Io(std::io::Error::new(e.kind(), format!("listen {listen}: {e}"))))?;
    serve_until(settings, listener, shutdown_signal()).await
}

/// Serves on `listener` until `shutdown` completes, then shuts down as
/// [`serve`] does (for embedding the service, and for the load test).
///
/// # Errors
/// [`ServiceError`] when start-up fails.
pub async fn serve_until(
    settings: Settings,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), ServiceError> {
    let grace = Duration::from_secs(settings.config.shutdown_grace_seconds);
    let state = build_state(settings).await?;
    let address = listener.local_addr()?;
    let workers: Vec<_> =
        (0..state.settings.workers).map(|i| tokio::spawn(worker::run(Arc::clone(&state), worker_id(i)))).collect();
    tracing::info!(
        database = if state.store.is_postgres() { "postgres" } else { "sqlite" },
        workers = state.settings.workers,
        max_pending_jobs = state.settings.max_pending_jobs,
        "listening on http://{address}"
    );
    let shutdown_state = Arc::clone(&state);
    axum::serve(listener, api::router(Arc::clone(&state)))
        .with_graceful_shutdown(async move {
            shutdown.await;
            tracing::info!("shutting down: no new jobs; running proofs get {}s to finish", grace.as_secs());
            shutdown_state.stop_claiming.send_replace(true);
        })
        .await?;
    let grace_state = Arc::clone(&state);
    let timer = tokio::spawn(async move {
        tokio::time::sleep(grace).await;
        grace_state.grace_over.send_replace(true);
    });
    for w in workers {
        let _ = w.await;
    }
    timer.abort();
    tracing::info!("stopped");
    Ok(())
}

/// The tracing filter for the `log` setting: a bare level applies to the
/// service's own messages, other crates log warnings only (arkworks' spans
/// would print whole constraint systems). Anything else is used as written
/// (`EnvFilter` directives).
fn log_directives(log: &str) -> String {
    if ["off", "error", "warn", "info", "debug", "trace"].contains(&log) {
        format!("warn,gr1cs=off,r1cs=off,zkcomply_prover={log}")
    } else {
        log.to_string()
    }
}

/// `zkcomply serve --config FILE`: loads the configuration, starts logging
/// to standard error and serves on a multi-threaded runtime.
///
/// # Errors
/// [`ServiceError`] when start-up fails.
pub fn run(config_path: &Path) -> Result<(), ServiceError> {
    let settings = Settings::load(config_path)?;
    let filter = tracing_subscriber::EnvFilter::try_new(log_directives(&settings.config.log))
        .map_err(|e| ServiceError::Config { path: config_path.display().to_string(), message: format!("log: {e}") })?;
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init();
    // A panic's message could quote data; report where, never what.
    std::panic::set_hook(Box::new(|info| {
        let at = info.location().map(|l| format!("{}:{}", l.file(), l.line())).unwrap_or_default();
        eprintln!("zkcomply serve: internal error (panic at {at})");
    }));
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let result = runtime.block_on(serve(settings));
    // A proof still running after the grace period was put back in the
    // queue: do not wait for its thread.
    runtime.shutdown_timeout(Duration::from_millis(100));
    result
}
