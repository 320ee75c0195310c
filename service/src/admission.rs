//! Admission: a job is accepted only when the service expects to start it
//! soon. Besides the hard bound (`max_pending_jobs`), the expected wait —
//! from the recent mean proving time, when this process's running proofs
//! started, and the jobs queued ahead — must not exceed
//! `max_expected_wait_ms` (default: half the mean proving time). At twice
//! the load one prover can take, accepted jobs finished within 1.88 proof
//! times at the 99th percentile (docs/PERFORMANCE.md); the excess gets 429 with `Retry-After` at once instead of
//! waiting in a long queue.
//!
//! With several processes on one database, each one counts only its own
//! workers as serving the shared queue: it over-estimates the wait and
//! refuses early rather than late.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

/// When this process's running proofs started.
#[derive(Default)]
pub struct RunningProofs {
    started: Mutex<HashMap<String, Instant>>,
}

impl RunningProofs {
    /// A proof of `job` starts now.
    pub fn start(&self, job: &str) {
        self.lock().insert(job.to_string(), Instant::now());
    }

    /// The proof of `job` ended.
    pub fn end(&self, job: &str) {
        self.lock().remove(job);
    }

    /// Start instants of the running proofs.
    pub fn started(&self) -> Vec<Instant> {
        self.lock().values().copied().collect()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Instant>> {
        self.started.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Milliseconds until a new job would start: each worker is free when its
/// running proof's expected end comes (now for an idle one); the `queued`
/// jobs ahead take the earliest free worker in turn, each for `mean_ms`.
pub fn expected_wait_ms(now: Instant, running_started: &[Instant], workers: usize, queued: usize, mean_ms: f64) -> f64 {
    let mut free: Vec<f64> = running_started
        .iter()
        .map(|s| (mean_ms - now.saturating_duration_since(*s).as_secs_f64() * 1000.0).max(0.0))
        .collect();
    if free.len() < workers {
        free.resize(workers, 0.0);
    }
    let earliest =
        |free: &[f64]| free.iter().enumerate().min_by(|a, b| a.1.total_cmp(b.1)).map(|(i, _)| i).unwrap_or(0);
    for _ in 0..queued {
        let i = earliest(&free);
        free[i] += mean_ms;
    }
    free[earliest(&free)]
}

/// Whether a new job is admitted: `max_wait_ms` against the expected wait,
/// or, before any proof has been timed (`mean_ms` = 0), only when a worker
/// is idle and nothing is queued.
pub fn admit(
    now: Instant,
    running_started: &[Instant],
    workers: usize,
    queued: usize,
    mean_ms: f64,
    max_wait_ms: f64,
) -> bool {
    if mean_ms <= 0.0 {
        return queued == 0 && running_started.len() < workers;
    }
    expected_wait_ms(now, running_started, workers, queued, mean_ms) <= max_wait_ms
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn idle_workers_start_at_once() {
        let now = Instant::now();
        assert_eq!(expected_wait_ms(now, &[], 2, 0, 1000.0), 0.0);
        assert_eq!(expected_wait_ms(now, &[now], 2, 0, 1000.0), 0.0);
        assert_eq!(expected_wait_ms(now, &[now], 2, 1, 1000.0), 1000.0);
    }

    #[test]
    fn a_busy_worker_frees_when_its_proof_is_expected_to_end() {
        let t0 = Instant::now();
        let now = t0 + Duration::from_millis(700);
        let w = expected_wait_ms(now, &[t0], 1, 0, 1000.0);
        assert!((w - 300.0).abs() < 1e-6, "{w}");
        // One queued ahead: it takes the worker at 300 ms, the new job at 1300 ms.
        let w = expected_wait_ms(now, &[t0], 1, 1, 1000.0);
        assert!((w - 1300.0).abs() < 1e-6, "{w}");
        // A proof running over the mean is expected to end now.
        assert_eq!(expected_wait_ms(t0 + Duration::from_secs(5), &[t0], 1, 0, 1000.0), 0.0);
    }

    #[test]
    fn admission_follows_the_expected_wait() {
        let t0 = Instant::now();
        // Half the mean: admitted once the running proof is half done.
        assert!(!admit(t0 + Duration::from_millis(400), &[t0], 1, 0, 1000.0, 500.0));
        assert!(admit(t0 + Duration::from_millis(600), &[t0], 1, 0, 1000.0, 500.0));
        assert!(!admit(t0 + Duration::from_millis(600), &[t0], 1, 1, 1000.0, 500.0));
        // Before any proof is timed: only an idle worker admits.
        assert!(admit(t0, &[], 1, 0, 0.0, 500.0));
        assert!(!admit(t0, &[t0], 1, 0, 0.0, 500.0));
        assert!(!admit(t0, &[], 1, 1, 0.0, 500.0));
    }
}
