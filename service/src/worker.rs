//! Workers: each claims a job, proves it on a blocking thread while
//! renewing its lease, and records the bundle or the reason it failed.
//! There are `workers` of them per process, so at most that many proofs
//! run at once.

use std::sync::Arc;
use std::time::{Duration, Instant};

use zkcomply_prover::batch::prove_batch;
use zkcomply_prover::{prove_bundle, ProverError};

use crate::batch_request::check_batch_request_blocking;
use crate::batches::BATCH_PREFIX;
use crate::failure_code::FailureCode;
use crate::job_request::{check_request_blocking, parse_body, RequestProblem};
use crate::state::ServiceState;
use crate::store::{now_ms, Claim, ClaimedJob};

/// One worker's loop, until shutdown.
pub async fn run(state: Arc<ServiceState>, worker: String) {
    let lease_ms = (state.settings.config.lease_seconds * 1000) as i64;
    let max_attempts = i64::from(state.settings.config.max_attempts);
    let poll = Duration::from_millis(state.settings.config.poll_interval_ms);
    let mut stop = state.stop_claiming.subscribe();
    loop {
        if *stop.borrow_and_update() {
            break;
        }
        match state.store.fail_exhausted(max_attempts).await {
            Ok(0) => {}
            Ok(n) => tracing::warn!(jobs = n, "failed jobs whose workers stopped {max_attempts} times"),
            Err(e) => tracing::error!("job store: {e}"),
        }
        // Register for a wake-up before looking, so a job submitted in
        // between is not missed.
        let wake = state.wake_workers.notified();
        match state.store.claim(&worker, lease_ms, max_attempts).await {
            Ok(Some(job)) => {
                prove_job(&state, &worker, job, lease_ms).await;
                continue;
            }
            Ok(None) => {}
            Err(e) => tracing::error!("job store: {e}"),
        }
        tokio::select! {
            _ = wake => {}
            _ = tokio::time::sleep(poll) => {}
            _ = stop.changed() => {}
        }
    }
}

async fn prove_job(state: &Arc<ServiceState>, worker: &str, job: ClaimedJob, lease_ms: i64) {
    let claim = Claim { job: &job.id, worker, attempt: job.attempt };
    tracing::info!(job = %job.id, worker, attempt = job.attempt, "job claimed");
    let Some(sealed) = job.sealed_request.as_deref() else {
        finish(
            state,
            claim,
            Err((FailureCode::Internal, "the job's request was purged before it was proved".into())),
            job.created_at_ms,
            0.0,
        )
        .await;
        return;
    };
    if job.id.starts_with(BATCH_PREFIX) && state.batch_keys.is_none() {
        // As for a key that does not open the request: a process with
        // batch keys takes the job over when the lease expires.
        tracing::error!(job = %job.id, worker, "a batch job, and this process has no batch_keys: leaving the job to another process");
        return;
    }
    let plain = match state.sealer.open(&job.id, sealed) {
        Ok(plain) => plain,
        Err(e) => {
            // Probably this process's key differs from the one that sealed
            // the job: record nothing, let the lease expire, and let a
            // process with the right key take the job (after max_attempts
            // claims it fails as lost).
            tracing::error!(job = %job.id, worker, "{e}: leaving the job to another process (check encryption_key_file)");
            return;
        }
    };
    let prepared = if job.id.starts_with(BATCH_PREFIX) {
        prepare_batch(state, &job.id, &plain).await
    } else {
        prepare_single(state, &plain).await
    };
    drop(plain);
    let prove = match prepared {
        Ok(prove) => prove,
        Err(problem) => {
            let (code, message) = match problem {
                RequestProblem::Malformed(m) => (FailureCode::Invalid, m),
                RequestProblem::Unprovable(m) => (FailureCode::Refused, m),
                RequestProblem::Internal(m) => (FailureCode::Internal, m),
            };
            finish(state, claim, Err((code, message)), job.created_at_ms, 0.0).await;
            return;
        }
    };
    state.metrics.busy(1);
    state.running.start(&job.id);
    let started = Instant::now();
    let mut proving = tokio::task::spawn_blocking(prove);
    let mut renew = tokio::time::interval(Duration::from_millis((lease_ms / 3).max(1) as u64));
    renew.tick().await;
    let mut grace_over = state.grace_over.subscribe();
    let outcome = loop {
        tokio::select! {
            result = &mut proving => break Some(result),
            _ = renew.tick() => match state.store.renew(claim, lease_ms).await {
                Ok(true) => {}
                Ok(false) => tracing::warn!(job = %job.id, worker, "lease lost: another worker may take this job over; this worker's result will not be recorded"),
                Err(e) => tracing::error!(job = %job.id, "renewing the lease: {e}"),
            },
            _ = async { let _ = grace_over.wait_for(|over| *over).await; } => break None,
        }
    };
    state.metrics.busy(-1);
    state.running.end(&job.id);
    let prove_seconds = started.elapsed().as_secs_f64();
    let Some(result) = outcome else {
        match state.store.release(claim).await {
            Ok(false) => {
                tracing::warn!(job = %job.id, worker, "shutdown: proof not finished in time; the claim was already lost")
            }
            Ok(true) => {
                tracing::warn!(job = %job.id, worker, "shutdown: proof not finished in time, job put back in the queue")
            }
            Err(e) => {
                tracing::error!(job = %job.id, "shutdown: releasing the job: {e}; it is taken over when its lease expires")
            }
        }
        return;
    };
    let result = match result {
        Ok(Ok(bundle)) => {
            tracing::info!(job = %job.id, worker, attempt = job.attempt, prove_ms = (prove_seconds * 1000.0) as u64, "job proved");
            Ok(bundle)
        }
        Ok(Err(failure)) => Err(failure),
        Err(join) => Err((
            FailureCode::Internal,
            format!("the prover stopped: {}", if join.is_panic() { "panic" } else { "cancelled" }),
        )),
    };
    finish(state, claim, result, job.created_at_ms, prove_seconds).await;
}

/// A proof to run on a blocking thread: the bundle JSON, or why the job
/// failed.
type Proof = Box<dyn FnOnce() -> Result<String, (FailureCode, String)> + Send>;

/// A single proof's request, checked again, and the keys it proves with.
async fn prepare_single(state: &Arc<ServiceState>, plain: &[u8]) -> Result<Proof, RequestProblem> {
    let body = parse_body(plain, state.settings.config.max_body_bytes)?;
    let parsed = check_request_blocking(body, Arc::clone(&state.trees)).await?;
    let keys = state.keys.for_job(parsed.backend, &parsed.proof_request.policy)?;
    let proof_request = parsed.proof_request;
    Ok(Box::new(move || {
        prove_bundle(&proof_request, &keys)
            .map(|bundle| bundle.to_json())
            .map_err(|e| (FailureCode::of(&e), e.to_string()))
    }))
}

/// A batch's stored request (the items kept when it was accepted),
/// checked again, proved with the batch keys. Items the prover refuses
/// now fail the job, named by their index in the submitted list.
async fn prepare_batch(state: &Arc<ServiceState>, job: &str, plain: &[u8]) -> Result<Proof, RequestProblem> {
    let Some(batch_keys) = state.batch_keys.clone() else {
        return Err(RequestProblem::Internal("this process has no batch_keys".into()));
    };
    let body = parse_body(plain, state.settings.config.max_body_bytes)?;
    let parsed = check_batch_request_blocking(body, Arc::clone(&state.trees)).await?;
    let indices = state
        .store
        .item_indices(job)
        .await
        .map_err(|e| RequestProblem::Internal(format!("reading the job's items: {e}")))?;
    let request = parsed.request;
    Ok(Box::new(move || match prove_batch(&request, &batch_keys.keys, false) {
        Ok(proved) => Ok(proved.bundle.to_json()),
        Err(ProverError::BatchRefused { refused, .. }) => {
            let items: Vec<String> = refused
                .into_iter()
                .map(|r| {
                    let index = indices.get(r.index).map_or(r.index as i64, |i| *i);
                    format!("item {index} ({:?}): {}", zkcomply_circuits::text::shorten(&r.withdrawal_id), r.reason)
                })
                .collect();
            Err((
                FailureCode::Refused,
                format!("refused: {} of the batch's items cannot be proved: {}", items.len(), items.join("; ")),
            ))
        }
        Err(e) => Err((FailureCode::of(&e), e.to_string())),
    }))
}

async fn finish(
    state: &Arc<ServiceState>,
    claim: Claim<'_>,
    result: Result<String, (FailureCode, String)>,
    created_at_ms: i64,
    prove_seconds: f64,
) {
    let (outcome, recorded) = match &result {
        Ok(bundle) => ("succeeded", state.store.succeed(claim, bundle).await),
        Err((code, message)) => ("failed", state.store.fail(claim, *code, message).await),
    };
    match recorded {
        Ok(true) => {
            let job_seconds = (now_ms() - created_at_ms).max(0) as f64 / 1000.0;
            state.metrics.finished(outcome, prove_seconds, job_seconds);
            match &result {
                Ok(_) => tracing::info!(job = %claim.job, worker = claim.worker, "job succeeded"),
                // The code only: messages may quote the credential's attributes.
                Err((code, _)) => {
                    tracing::info!(job = %claim.job, worker = claim.worker, code = code.name(), "job failed")
                }
            }
            let _ = state.finished.send(claim.job.to_string());
        }
        Ok(false) => {
            tracing::warn!(job = %claim.job, worker = claim.worker, "claim lost before the result was recorded; result discarded")
        }
        Err(e) => {
            tracing::error!(job = %claim.job, "recording the result: {e}; the job is taken over when its lease expires")
        }
    }
}
