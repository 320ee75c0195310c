//! The HTTP errors a client sees: a code that fixes the status, and a
//! message, as `{"error": {"code": ..., "message": ...}}`.

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// What went wrong with a request; each code has one HTTP status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiErrorCode {
    /// 400: a bad header, query or body.
    BadRequest,
    /// 401: no API key, or an unknown one.
    Unauthorized,
    /// 403: a batch's `X-Batch-Signature` is missing where required,
    /// malformed, or does not verify.
    BadSignature,
    /// 404: no such job for this API key.
    NotFound,
    /// 408: the body did not arrive in time.
    Timeout,
    /// 409: an `Idempotency-Key` reused for another request.
    IdempotencyConflict,
    /// 413: a body over `max_body_bytes`.
    TooLarge,
    /// 422: a well-formed request no proof can exist for.
    Refused,
    /// 422: items of a batch refused, each named in `items`.
    ItemsRefused,
    /// 429: the API key is over its rate.
    RateLimited,
    /// 429: the service is full.
    QueueFull,
    /// 501: batches are not enabled (no `batch_keys` configured).
    NotEnabled,
    /// 503: the service is shutting down.
    ShuttingDown,
    /// 503: the store failed; retry.
    Unavailable,
}

impl ApiErrorCode {
    /// The stable code in the body.
    pub fn name(self) -> &'static str {
        match self {
            Self::BadRequest => "bad_request",
            Self::Unauthorized => "unauthorized",
            Self::BadSignature => "bad_signature",
            Self::NotFound => "not_found",
            Self::Timeout => "timeout",
            Self::IdempotencyConflict => "idempotency_conflict",
            Self::TooLarge => "too_large",
            Self::Refused => "refused",
            Self::ItemsRefused => "items_refused",
            Self::RateLimited => "rate_limited",
            Self::QueueFull => "queue_full",
            Self::NotEnabled => "not_enabled",
            Self::ShuttingDown => "shutting_down",
            Self::Unavailable => "unavailable",
        }
    }

    /// The HTTP status.
    pub fn status(self) -> StatusCode {
        match self {
            Self::BadRequest => StatusCode::BAD_REQUEST,
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::BadSignature => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Timeout => StatusCode::REQUEST_TIMEOUT,
            Self::IdempotencyConflict => StatusCode::CONFLICT,
            Self::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Refused | Self::ItemsRefused => StatusCode::UNPROCESSABLE_ENTITY,
            Self::RateLimited | Self::QueueFull => StatusCode::TOO_MANY_REQUESTS,
            Self::NotEnabled => StatusCode::NOT_IMPLEMENTED,
            Self::ShuttingDown | Self::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        }
    }
}

/// A machine-readable error code and a message; the body of every error
/// response, and a failed job's `error`.
#[derive(Debug, Serialize)]
pub struct ErrorBody {
    /// Stable code (`unauthorized`, `queue_full`, ...).
    pub code: &'static str,
    /// What went wrong, for a person.
    pub message: String,
    /// The refused items of a batch (`items_refused` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub items: Option<Vec<ItemRefusal>>,
}

/// An item of a batch the service refuses, or a batch left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemRefusal {
    /// Its index in the submitted `withdrawals`, from 0.
    pub index: usize,
    /// Its `withdrawal_id`.
    pub withdrawal_id: String,
    /// Why it is refused.
    pub reason: String,
}

/// An error response: status and code, message and, for 429 and 503, the
/// seconds after which to retry.
#[derive(Debug)]
pub struct ApiError {
    /// What went wrong (fixes the status).
    pub code: ApiErrorCode,
    /// What went wrong, for a person.
    pub message: String,
    /// `Retry-After` seconds.
    pub retry_after: Option<u64>,
    /// The refused items of a batch.
    pub items: Option<Vec<ItemRefusal>>,
}

impl ApiError {
    /// An error with `code` and `message`.
    pub fn new(code: ApiErrorCode, message: impl Into<String>) -> Self {
        Self { code, message: message.into(), retry_after: None, items: None }
    }

    /// Adds a `Retry-After` header.
    pub fn retry_after(mut self, seconds: u64) -> Self {
        self.retry_after = Some(seconds.max(1));
        self
    }

    /// 422 `items_refused` listing `items`.
    pub fn items_refused(message: impl Into<String>, items: Vec<ItemRefusal>) -> Self {
        Self { items: Some(items), ..Self::new(ApiErrorCode::ItemsRefused, message) }
    }

    /// 503 for a store failure; the detail goes to the log, not the client.
    pub fn internal(context: &str, error: &dyn std::fmt::Display) -> Self {
        tracing::error!("{context}: {error}");
        Self::new(ApiErrorCode::Unavailable, format!("{context}; retry later")).retry_after(1)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        #[derive(Serialize)]
        struct Envelope {
            error: ErrorBody,
        }
        let status = self.code.status();
        let body = ErrorBody { code: self.code.name(), message: self.message, items: self.items };
        let mut response = (status, axum::Json(Envelope { error: body })).into_response();
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(axum::http::header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if let Some(seconds) = self.retry_after {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}
