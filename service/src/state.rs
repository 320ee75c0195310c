//! The state every handler and worker shares, and how it is loaded from
//! the configuration.

use std::sync::Arc;

use tokio::sync::{broadcast, watch, Mutex, Notify};

use crate::config::Settings;
use crate::error::ServiceError;
use crate::service_keys::{BatchKeys, ServiceKeys};
use crate::{admission, auth, metrics, rate_limit, sealing, store, trees};

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
    /// The proving keys, one per proof system.
    pub keys: Arc<ServiceKeys>,
    /// The batch keys, when batches are enabled (`batch_keys`).
    pub batch_keys: Option<Arc<BatchKeys>>,
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

/// Loads everything the configuration names, in the order that fails
/// fastest: keys file, trees, proving key, database.
///
/// # Errors
/// [`ServiceError`] naming the file or setting.
pub async fn build_state(settings: Settings) -> Result<Arc<ServiceState>, ServiceError> {
    let sealer = sealing::Sealer::from_key_file(&settings.config.encryption_key_file)?;
    let tree_paths = settings.config.trees.clone();
    let keys_dir = settings.config.keys.clone();
    let batch_keys_dir = settings.config.batch_keys.clone();
    let (trees, keys, batch_keys) = tokio::task::spawn_blocking(move || {
        Ok::<_, ServiceError>((
            trees::ServiceTrees::load(&tree_paths)?,
            ServiceKeys::load(&keys_dir)?,
            batch_keys_dir.as_deref().map(BatchKeys::load).transpose()?,
        ))
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
        batch_keys: batch_keys.map(Arc::new),
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
