//! `GET /metrics`: Prometheus text format. Queue depth and jobs by state
//! are read from the job store at each scrape (so they cover every process
//! sharing it); the latency histograms and counters are this process's.

use std::sync::atomic::{AtomicI64, Ordering};

use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

use crate::store::{JobState, JobStore};

type Labels = [(&'static str, &'static str); 1];

/// The service's metrics.
pub struct ServiceMetrics {
    registry: Registry,
    jobs: Family<Labels, Gauge>,
    queue_depth: Gauge,
    busy_workers: Gauge,
    prove_seconds: Histogram,
    job_seconds: Histogram,
    rejected: Family<Labels, Counter>,
    finished: Family<Labels, Counter>,
    mean_prove_ms: AtomicI64,
}

impl Default for ServiceMetrics {
    fn default() -> Self {
        Self::new()
    }
}

impl ServiceMetrics {
    /// Registers every metric.
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("zkcomply");
        let jobs = Family::<Labels, Gauge>::default();
        let queue_depth = Gauge::default();
        let busy_workers = Gauge::default();
        // 50 ms .. ~100 s
        let prove_seconds = Histogram::new(exponential_buckets(0.05, 1.5, 20));
        let job_seconds = Histogram::new(exponential_buckets(0.05, 1.5, 20));
        let rejected = Family::<Labels, Counter>::default();
        let finished = Family::<Labels, Counter>::default();
        registry.register("jobs", "Jobs in the store by state (all processes)", jobs.clone());
        registry.register("queue_depth", "Jobs queued and not yet claimed (all processes)", queue_depth.clone());
        registry.register("busy_workers", "This process's workers proving now", busy_workers.clone());
        registry.register("prove_seconds", "Time to prove one job (this process)", prove_seconds.clone());
        registry.register(
            "job_seconds",
            "Time from acceptance to the end of a job finished by this process",
            job_seconds.clone(),
        );
        registry.register("rejected_requests", "Requests refused, by reason (this process)", rejected.clone());
        registry.register("finished_jobs", "Jobs this process finished, by outcome", finished.clone());
        Self {
            registry,
            jobs,
            queue_depth,
            busy_workers,
            prove_seconds,
            job_seconds,
            rejected,
            finished,
            mean_prove_ms: AtomicI64::new(0),
        }
    }

    /// Counts a refused request (`unauthorized`, `rate_limited`, ...).
    pub fn rejected(&self, reason: &'static str) {
        self.rejected.get_or_create(&[("reason", reason)]).inc();
    }

    /// Records a finished job.
    pub fn finished(&self, outcome: &'static str, prove_seconds: f64, job_seconds: f64) {
        self.finished.get_or_create(&[("outcome", outcome)]).inc();
        self.prove_seconds.observe(prove_seconds);
        self.job_seconds.observe(job_seconds);
        let ms = (prove_seconds * 1000.0) as i64;
        let old = self.mean_prove_ms.load(Ordering::Relaxed);
        // Exponential moving average; the first sample sets it.
        let new = if old == 0 { ms } else { (old * 7 + ms) / 8 };
        self.mean_prove_ms.store(new.max(1), Ordering::Relaxed);
    }

    /// A worker started (`+1`) or stopped (`-1`) proving.
    pub fn busy(&self, delta: i64) {
        self.busy_workers.inc_by(delta);
    }

    /// The recent mean proving time in milliseconds (0 before any proof).
    pub fn mean_prove_ms(&self) -> i64 {
        self.mean_prove_ms.load(Ordering::Relaxed)
    }

    /// The text exposition, with the store's counts read now.
    ///
    /// # Errors
    /// [`sqlx::Error`] when the store cannot be read.
    pub async fn render(&self, store: &JobStore) -> Result<String, sqlx::Error> {
        for (state, n) in store.count_by_state().await? {
            self.jobs.get_or_create(&[("state", state.name())]).set(n);
            if state == JobState::Queued {
                self.queue_depth.set(n);
            }
        }
        let mut text = String::new();
        encode(&mut text, &self.registry).map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
        Ok(text)
    }
}
