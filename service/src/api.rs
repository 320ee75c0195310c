//! The HTTP API (see `docs/openapi.json`, also served at
//! `GET /openapi.json`).

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::api_error::{ApiError, ApiErrorCode, ErrorBody};
use crate::config::ApiKeyConfig;
use crate::job_request::{check_request_blocking, parse_body, RequestProblem};
use crate::state::ServiceState;
use crate::store::{JobRecord, NewJob, Submission};

/// The OpenAPI document.
pub const OPENAPI: &str = include_str!("../../docs/openapi.json");

/// The routes.
pub fn router(state: Arc<ServiceState>) -> Router {
    Router::new()
        .route("/v1/proofs", post(submit))
        .route("/v1/proofs/{id}", get(fetch))
        .route("/v1/batches", post(crate::batches::submit))
        .route("/v1/batches/{id}", get(crate::batches::fetch))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .route("/openapi.json", get(openapi))
        .with_state(state)
}

/// `?wait=SECONDS`: how long to hold the response for the job to finish.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaitQuery {
    /// Seconds, at most the configured `max_wait_seconds`.
    #[serde(default)]
    pub wait: Option<u64>,
}

/// A job as the API returns it.
#[derive(Debug, Serialize)]
pub struct JobView {
    /// Job id.
    pub id: String,
    /// `queued`, `running`, `succeeded` or `failed`.
    pub state: &'static str,
    /// Times the job was claimed by a worker.
    pub attempts: i64,
    /// Accepted at (unix milliseconds).
    pub created_at_ms: i64,
    /// Last claimed at (unix milliseconds).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub started_at_ms: Option<i64>,
    /// Ended at (unix milliseconds).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub finished_at_ms: Option<i64>,
    /// The proof bundle, once succeeded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bundle: Option<Value>,
    /// Why it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorBody>,
}

impl From<JobRecord> for JobView {
    fn from(job: JobRecord) -> Self {
        Self {
            id: job.id,
            state: job.state.name(),
            attempts: job.attempts,
            created_at_ms: job.created_at_ms,
            started_at_ms: job.started_at_ms,
            finished_at_ms: job.finished_at_ms,
            bundle: job.bundle.and_then(|b| serde_json::from_str(&b).ok()),
            error: job.error.map(|(code, message)| ErrorBody { code: code.name(), message, items: None }),
        }
    }
}

pub(crate) fn authenticate<'a>(state: &'a ServiceState, headers: &HeaderMap) -> Result<&'a ApiKeyConfig, ApiError> {
    let client = state.api_keys.authenticate(headers).map_err(|m| {
        state.metrics.rejected("unauthorized");
        ApiError::new(ApiErrorCode::Unauthorized, m)
    })?;
    state.rate_limiter.take(&client.name, client.requests_per_minute, client.burst).map_err(|seconds| {
        state.metrics.rejected("rate_limited");
        ApiError::new(
            ApiErrorCode::RateLimited,
            format!("API key {:?} is over its {} requests per minute", client.name, client.requests_per_minute),
        )
        .retry_after(seconds)
    })?;
    Ok(client)
}

pub(crate) fn wait_duration(state: &ServiceState, query: &WaitQuery) -> Result<Duration, ApiError> {
    let wait = query.wait.unwrap_or(0);
    let max = state.settings.config.max_wait_seconds;
    if wait > max {
        return Err(ApiError::new(
            ApiErrorCode::BadRequest,
            format!("wait: at most {max} seconds (max_wait_seconds), got {wait}"),
        ));
    }
    Ok(Duration::from_secs(wait))
}

pub(crate) fn idempotency_key(headers: &HeaderMap) -> Result<String, ApiError> {
    let bad = |m: &str| ApiError::new(ApiErrorCode::BadRequest, m);
    let value = headers
        .get("idempotency-key")
        .ok_or_else(|| bad("missing Idempotency-Key header: expected a client-chosen key per withdrawal (1 to 255 visible ASCII characters)"))?;
    let key = value.to_str().map_err(|_| bad("Idempotency-Key: expected visible ASCII characters"))?;
    if key.is_empty() || key.len() > 255 || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(bad("Idempotency-Key: expected 1 to 255 visible ASCII characters"));
    }
    Ok(key.to_string())
}

pub(crate) async fn read_body(
    state: &ServiceState,
    headers: &HeaderMap,
    body: Body,
) -> Result<axum::body::Bytes, ApiError> {
    use http_body_util::BodyExt;
    let limit = state.settings.config.max_body_bytes;
    let declared = headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<usize>().ok());
    let mut body = body;
    let mut bytes = Vec::new();
    let mut over = declared.is_some_and(|n| n > limit);
    // Read to the end even when over the limit (discarding, up to 8x the
    // limit for 10 s), so the client is reading when the 413 arrives
    // rather than still writing into a closed connection.
    let drain_until = tokio::time::Instant::now() + Duration::from_secs(10);
    let mut seen = 0usize;
    loop {
        let frame = match tokio::time::timeout_at(drain_until, body.frame()).await {
            Ok(Some(Ok(frame))) => frame,
            Ok(Some(Err(e))) => return Err(ApiError::new(ApiErrorCode::BadRequest, format!("request body: {e}"))),
            Ok(None) => break,
            Err(_) if over => break,
            Err(_) => return Err(ApiError::new(ApiErrorCode::Timeout, "request body: not received within 10 seconds")),
        };
        if let Ok(data) = frame.into_data() {
            seen += data.len();
            if seen > limit {
                over = true;
                bytes = Vec::new();
            }
            if !over {
                bytes.extend_from_slice(&data);
            } else if seen > limit.saturating_mul(8) {
                break;
            }
        }
    }
    if over {
        state.metrics.rejected("too_large");
        return Err(ApiError::new(
            ApiErrorCode::TooLarge,
            format!("request body: larger than {limit} bytes (max_body_bytes)"),
        ));
    }
    Ok(bytes.into())
}

/// The prefix of single proof jobs' ids.
pub(crate) const JOB_PREFIX: &str = "job_";

/// A new random job id with `prefix` (`job_`, or `batch_` for batches).
pub(crate) fn new_job_id(prefix: &str) -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!("{prefix}{}", hex::encode(bytes))
}

/// `POST /v1/proofs`.
async fn submit(
    State(state): State<Arc<ServiceState>>,
    headers: HeaderMap,
    query: Result<Query<WaitQuery>, axum::extract::rejection::QueryRejection>,
    body: Body,
) -> Result<Response, ApiError> {
    let client = authenticate(&state, &headers)?;
    let Query(query) = query.map_err(|e| ApiError::new(ApiErrorCode::BadRequest, e.body_text()))?;
    let wait = wait_duration(&state, &query)?;
    let idempotency_key = idempotency_key(&headers)?;
    let bytes = read_body(&state, &headers, body).await?;
    // A replay gets its job back first, whatever changed since (shutdown,
    // trees, a full queue): only the key and the request's fingerprint
    // matter.
    let body = parse_body(&bytes, state.settings.config.max_body_bytes)
        .map_err(|problem| problem_response(&state, problem))?;
    let fingerprint = state.sealer.fingerprint(&body.canonical);
    let existing = state
        .store
        .find_by_key(&client.name, &idempotency_key)
        .await
        .map_err(|e| ApiError::internal("reading the job", &e))?;
    if let Some((job, stored)) = existing {
        if stored != fingerprint {
            return Err(conflict(&idempotency_key, &job.id));
        }
        let job = state.wait_for(job, &client.name, wait).await?;
        return Ok(job_response(StatusCode::OK, job));
    }
    if state.shutting_down() {
        return Err(ApiError::new(ApiErrorCode::ShuttingDown, "the service is shutting down").retry_after(1));
    }
    let parsed = check_request_blocking(body, Arc::clone(&state.trees))
        .await
        .map_err(|problem| problem_response(&state, problem))?;
    // A job for keys this service lacks, or that its policy refuses, is
    // refused now rather than failed by a worker.
    state
        .keys
        .for_job(parsed.backend, &parsed.proof_request.policy)
        .map_err(|problem| problem_response(&state, problem))?;
    let id = new_job_id(JOB_PREFIX);
    let sealed = state.sealer.seal(&id, &parsed.canonical);
    // Recorded so that a batch cannot prove this withdrawal again.
    let withdrawal_id = parsed.proof_request.withdrawal.withdrawal_id.clone();
    drop(parsed);
    let submission = {
        // Admission is serialised in this process so the pending bound holds
        // exactly here (processes sharing PostgreSQL may overshoot it by one
        // each).
        let _admission = state.admission.lock().await;
        state
            .store
            .submit(
                NewJob {
                    id: &id,
                    client: &client.name,
                    idempotency_key: &idempotency_key,
                    fingerprint: &fingerprint,
                    sealed_request: &sealed,
                    items: &[(0, &withdrawal_id)],
                    exclusive_items: false,
                    dropped: &[],
                },
                state.settings.max_pending_jobs as i64,
                &|queued| state.admits(queued),
            )
            .await
            .map_err(|e| ApiError::internal("storing the job", &e))?
    };
    let (status, job) = match submission {
        Submission::Created(job) => {
            tracing::info!(job = %job.id, client = %client.name, "job accepted");
            state.wake_workers.notify_waiters();
            (StatusCode::CREATED, job)
        }
        Submission::Replayed(job) => (StatusCode::OK, job),
        Submission::Conflict { existing } => return Err(conflict(&idempotency_key, &existing)),
        Submission::Full { pending } => return Err(queue_full(&state, pending)),
        // A single proof's item is not exclusive.
        Submission::ItemsTaken => {
            return Err(ApiError::internal("storing the job", &"a single proof's withdrawal id was refused"))
        }
    };
    let job = state.wait_for(job, &client.name, wait).await?;
    Ok(job_response(status, job))
}

/// 429 `queue_full` with `pending` jobs pending.
pub(crate) fn queue_full(state: &ServiceState, pending: i64) -> ApiError {
    state.metrics.rejected("queue_full");
    ApiError::new(ApiErrorCode::QueueFull, format!("the service is full ({pending} jobs pending); retry later"))
        .retry_after(state.retry_after_seconds(pending))
}

pub(crate) fn problem_response(state: &ServiceState, problem: RequestProblem) -> ApiError {
    match problem {
        RequestProblem::Malformed(m) => {
            state.metrics.rejected("malformed");
            ApiError::new(ApiErrorCode::BadRequest, m)
        }
        RequestProblem::Unprovable(m) => {
            state.metrics.rejected("unprovable");
            ApiError::new(ApiErrorCode::Refused, m)
        }
        RequestProblem::Internal(m) => ApiError::internal("checking the request", &m),
    }
}

pub(crate) fn conflict(idempotency_key: &str, existing: &str) -> ApiError {
    ApiError::new(
        ApiErrorCode::IdempotencyConflict,
        format!("Idempotency-Key {idempotency_key:?} was used for job {existing} with a different request"),
    )
}

fn job_response(status: StatusCode, job: JobRecord) -> Response {
    let location = format!("/v1/proofs/{}", job.id);
    let mut response = (status, Json(JobView::from(job))).into_response();
    if let Ok(value) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

/// `GET /v1/proofs/{id}`.
async fn fetch(
    State(state): State<Arc<ServiceState>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    query: Result<Query<WaitQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<JobView>, ApiError> {
    // Batches are read at /v1/batches/{id}.
    Ok(Json(fetch_job(&state, &headers, &id, query, JOB_PREFIX, "job").await?.into()))
}

/// The job `id` of the caller's API key, after waiting as `?wait=` asks:
/// what `GET /v1/proofs/{id}` and `GET /v1/batches/{id}` share. An id
/// without `prefix` (the other endpoint's kind, `noun` in the message) is
/// not found.
pub(crate) async fn fetch_job(
    state: &ServiceState,
    headers: &HeaderMap,
    id: &str,
    query: Result<Query<WaitQuery>, axum::extract::rejection::QueryRejection>,
    prefix: &str,
    noun: &str,
) -> Result<JobRecord, ApiError> {
    let client = authenticate(state, headers)?;
    let Query(query) = query.map_err(|e| ApiError::new(ApiErrorCode::BadRequest, e.body_text()))?;
    let wait = wait_duration(state, &query)?;
    let not_found = || ApiError::new(ApiErrorCode::NotFound, format!("no {noun} {id:?} for this API key"));
    if !id.starts_with(prefix) {
        return Err(not_found());
    }
    let job = state
        .store
        .get(id, &client.name)
        .await
        .map_err(|e| ApiError::internal("reading the job", &e))?
        .ok_or_else(not_found)?;
    state.wait_for(job, &client.name, wait).await
}

async fn healthz() -> &'static str {
    "ok\n"
}

async fn readyz(State(state): State<Arc<ServiceState>>) -> Response {
    if state.shutting_down() {
        return (StatusCode::SERVICE_UNAVAILABLE, "shutting down\n").into_response();
    }
    if !state.store.ping().await {
        return (StatusCode::SERVICE_UNAVAILABLE, "database unreachable\n").into_response();
    }
    (StatusCode::OK, "ready\n").into_response()
}

async fn metrics(State(state): State<Arc<ServiceState>>) -> Result<Response, ApiError> {
    let text = state.metrics.render(&state.store).await.map_err(|e| ApiError::internal("reading metrics", &e))?;
    Ok(([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], text).into_response())
}

async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

impl ServiceState {
    /// Re-reads `job` until it has ended or `wait` has passed, waking when a
    /// worker of this process finishes a job and otherwise every poll
    /// interval (jobs finished by other processes).
    pub(crate) async fn wait_for(
        &self,
        mut job: JobRecord,
        client: &str,
        wait: Duration,
    ) -> Result<JobRecord, ApiError> {
        let deadline = Instant::now() + wait;
        let mut finished = self.finished.subscribe();
        let poll = Duration::from_millis(self.settings.config.poll_interval_ms);
        while !job.state.is_final() && !self.shutting_down() {
            let now = Instant::now();
            if now >= deadline {
                break;
            }
            let nap = (deadline - now).min(poll);
            let _ = tokio::time::timeout(nap, async {
                loop {
                    match finished.recv().await {
                        Ok(id) if id == job.id => return,
                        Ok(_) => continue,
                        Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => return,
                        Err(tokio::sync::broadcast::error::RecvError::Closed) => std::future::pending::<()>().await,
                    }
                }
            })
            .await;
            job = self
                .store
                .get(&job.id, client)
                .await
                .map_err(|e| ApiError::internal("reading the job", &e))?
                .ok_or_else(|| ApiError::internal("reading the job", &"the job disappeared"))?;
        }
        Ok(job)
    }

    /// Whether a new job is admitted with `queued` jobs waiting (see
    /// [`crate::admission`]).
    pub(crate) fn admits(&self, queued: i64) -> bool {
        let mean_ms = self.metrics.mean_prove_ms() as f64;
        let max_wait_ms = match self.settings.config.max_expected_wait_ms {
            // Configured, but no proof timed yet: the wait cannot be
            // estimated; `max_pending_jobs` alone bounds admission.
            Some(_) if mean_ms <= 0.0 => return true,
            Some(ms) => ms as f64,
            None => mean_ms / 2.0,
        };
        crate::admission::admit(
            Instant::now(),
            &self.running.started(),
            self.settings.workers,
            queued.max(0) as usize,
            mean_ms,
            max_wait_ms,
        )
    }

    /// Seconds until a slot is likely free with `pending` jobs ahead.
    fn retry_after_seconds(&self, pending: i64) -> u64 {
        let mean_ms = self.metrics.mean_prove_ms().max(1000) as u64;
        let workers = self.settings.workers as u64;
        let ahead = (pending as u64).saturating_sub(workers) + 1;
        (ahead * mean_ms).div_ceil(workers * 1000).max(1)
    }
}
