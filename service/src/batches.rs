//! `POST /v1/batches` and `GET /v1/batches/{id}`: batch jobs, proving up
//! to as many withdrawals of one holder as the batch keys have slots in
//! one proof. They share the single proofs' authentication, idempotency
//! (per API key, one namespace with `/v1/proofs`), sealing, job table,
//! queue and workers; a batch job's id starts with `batch_` and its result
//! is a `zkcomply/batch-bundle/v1`.
//!
//! Before a batch is queued, every item is checked: its `withdrawal_id`
//! must be new for the API key (not in an earlier single proof or batch,
//! not repeated within the batch), and the prover's checks must pass
//! (`BatchRequest::check`). Refused items are answered with 422
//! `items_refused`, each with its index, unless `drop_refused` leaves them
//! out (they are then listed in the job's `dropped`).

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use zkcomply_prover::batch::RefusedItem;

use crate::api::{
    authenticate, conflict, fetch_job, idempotency_key, new_job_id, problem_response, queue_full, read_body,
    wait_duration, JobView, WaitQuery,
};
use crate::api_error::{ApiError, ApiErrorCode, ItemRefusal};
use crate::batch_request::{check_batch_request_blocking, refusals_blocking};
use crate::batch_signature::{self, SIGNATURE_HEADER};
use crate::job_request::parse_body;
use crate::state::ServiceState;
use crate::store::{DroppedItem, JobRecord, NewJob, Submission};

/// The prefix of batch jobs' ids.
pub(crate) const BATCH_PREFIX: &str = "batch_";

/// A batch job as the API returns it: a job, whose `bundle` is a batch
/// bundle, and the items left out.
#[derive(Debug, Serialize)]
pub struct BatchView {
    /// The job.
    #[serde(flatten)]
    pub job: JobView,
    /// Items left out of the batch (with `drop_refused`), by index.
    pub dropped: Vec<ItemRefusal>,
}

fn item_refusal(item: RefusedItem) -> ItemRefusal {
    ItemRefusal { index: item.index, withdrawal_id: item.withdrawal_id, reason: item.reason }
}

async fn view(state: &ServiceState, job: JobRecord) -> Result<BatchView, ApiError> {
    let dropped = state.store.dropped_items(&job.id).await.map_err(|e| ApiError::internal("reading the job", &e))?;
    let dropped = dropped
        .into_iter()
        .map(|d| ItemRefusal {
            index: usize::try_from(d.index).unwrap_or(usize::MAX),
            withdrawal_id: d.withdrawal_id,
            reason: d.reason,
        })
        .collect();
    Ok(BatchView { job: job.into(), dropped })
}

fn batch_response(status: StatusCode, view: BatchView) -> Response {
    let location = format!("/v1/batches/{}", view.job.id);
    let mut response = (status, Json(view)).into_response();
    if let Ok(value) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

/// The message of a 422 `items_refused`.
fn refused_message(refused: &[RefusedItem], drop_refused: bool) -> String {
    let items: Vec<String> = refused.iter().map(ToString::to_string).collect();
    let advice = if drop_refused {
        "every item is refused, so there is nothing to prove"
    } else {
        "no job was queued; fix or remove these items, or set drop_refused to prove the others"
    };
    format!("{} of the batch's items are refused: {}; {advice}", refused.len(), items.join("; "))
}

/// `POST /v1/batches`.
pub async fn submit(
    State(state): State<Arc<ServiceState>>,
    headers: HeaderMap,
    query: Result<Query<WaitQuery>, axum::extract::rejection::QueryRejection>,
    body: Body,
) -> Result<Response, ApiError> {
    let client = authenticate(&state, &headers)?;
    let Some(batch_keys) = state.batch_keys.clone() else {
        state.metrics.rejected("not_enabled");
        return Err(ApiError::new(
            ApiErrorCode::NotEnabled,
            "batches are not enabled on this service (its configuration has no batch_keys)",
        ));
    };
    let Query(query) = query.map_err(|e| ApiError::new(ApiErrorCode::BadRequest, e.body_text()))?;
    let wait = wait_duration(&state, &query)?;
    let idempotency_key = idempotency_key(&headers)?;
    let bytes = read_body(&state, &headers, body).await?;
    let body = parse_body(&bytes, state.settings.config.max_body_bytes)
        .map_err(|problem| problem_response(&state, problem))?;
    // The signature before anything else about the batch, a replay
    // included: without the client's batch key, nothing is answered.
    batch_signature::check(
        &client.name,
        client.batch_verifying_key.as_ref(),
        client.require_batch_signature,
        headers.get(SIGNATURE_HEADER).map(HeaderValue::as_bytes),
        &body.canonical,
    )
    .map_err(|problem| {
        state.metrics.rejected("bad_signature");
        ApiError::new(ApiErrorCode::BadSignature, problem.to_string())
    })?;
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
        return Ok(batch_response(StatusCode::OK, view(&state, job).await?));
    }
    if state.shutting_down() {
        return Err(ApiError::new(ApiErrorCode::ShuttingDown, "the service is shutting down").retry_after(1));
    }
    let mut parsed = check_batch_request_blocking(body, Arc::clone(&state.trees))
        .await
        .map_err(|problem| problem_response(&state, problem))?;
    let (items, slots) = (parsed.request.withdrawals.len(), batch_keys.slots);
    if items > slots {
        state.metrics.rejected("unprovable");
        return Err(ApiError::new(
            ApiErrorCode::Refused,
            format!("refused: {items} withdrawals do not fit this service's batches of {slots} slots; split the list"),
        ));
    }
    let ids: Vec<String> = parsed.withdrawal_ids().into_iter().map(str::to_string).collect();
    let id_refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    // An item id taken by a concurrent batch between the check and the
    // insert sends the batch round again, the id now found used.
    for _ in 0..3 {
        let used = state
            .store
            .used_item_ids(&client.name, &id_refs)
            .await
            .map_err(|e| ApiError::internal("reading the item ids", &e))?;
        let (back, refused, kept) =
            refusals_blocking(parsed, slots, used).await.map_err(|problem| problem_response(&state, problem))?;
        parsed = back;
        if !refused.is_empty() && (!parsed.drop_refused || kept.is_empty()) {
            state.metrics.rejected("items_refused");
            let message = refused_message(&refused, parsed.drop_refused);
            return Err(ApiError::items_refused(message, refused.into_iter().map(item_refusal).collect()));
        }
        let id = new_job_id(BATCH_PREFIX);
        let sealed = state.sealer.seal(&id, &parsed.kept_body(&kept).map_err(|p| problem_response(&state, p))?);
        let items: Vec<(i64, &str)> = kept.iter().map(|&i| (i as i64, id_refs[i])).collect();
        let dropped: Vec<DroppedItem> = refused
            .into_iter()
            .map(|r| DroppedItem { index: r.index as i64, withdrawal_id: r.withdrawal_id, reason: r.reason })
            .collect();
        let submission = {
            // Serialised with the single proofs' admission.
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
                        items: &items,
                        exclusive_items: true,
                        dropped: &dropped,
                    },
                    state.settings.max_pending_jobs as i64,
                    &|queued| state.admits(queued),
                )
                .await
                .map_err(|e| ApiError::internal("storing the job", &e))?
        };
        let (status, job) = match submission {
            Submission::Created(job) => {
                tracing::info!(job = %job.id, client = %client.name, items = items.len(), dropped = dropped.len(), "batch accepted");
                state.wake_workers.notify_waiters();
                (StatusCode::CREATED, job)
            }
            Submission::Replayed(job) => (StatusCode::OK, job),
            Submission::Conflict { existing } => return Err(conflict(&idempotency_key, &existing)),
            Submission::Full { pending } => return Err(queue_full(&state, pending)),
            Submission::ItemsTaken => continue,
        };
        let job = state.wait_for(job, &client.name, wait).await?;
        return Ok(batch_response(status, view(&state, job).await?));
    }
    Err(ApiError::internal("storing the job", &"the batch's item ids were taken by other batches three times in a row"))
}

/// `GET /v1/batches/{id}`.
pub async fn fetch(
    State(state): State<Arc<ServiceState>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    query: Result<Query<WaitQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<BatchView>, ApiError> {
    // Single proofs are read at /v1/proofs/{id}.
    let job = fetch_job(&state, &headers, &id, query, BATCH_PREFIX, "batch").await?;
    Ok(Json(view(&state, job).await?))
}
