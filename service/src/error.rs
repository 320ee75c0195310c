//! The service's errors: start-up errors (configuration, keys, database)
//! and the HTTP errors a client sees.

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// Why the service cannot start or a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// The configuration file is unusable.
    #[error("{path}: {message}")]
    Config {
        /// The configuration file (or the file it names).
        path: String,
        /// What is wrong and what was expected.
        message: String,
    },
    /// The job database failed.
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// A sealed payload that does not open under the configured key.
    #[error("job {job}: the sealed request does not open under the configured encryption key")]
    Unseal {
        /// The job.
        job: String,
    },
    /// Keys or trees that do not load.
    #[error(transparent)]
    Prover(#[from] zkcomply_prover::ProverError),
    /// Binding the listener or serving failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// A machine-readable error code and a message; the body of every error
/// response, as `{"error": {"code": ..., "message": ...}}`.
#[derive(Debug, Serialize)]
pub struct ErrorBody {
    /// Stable code (`unauthorized`, `queue_full`, ...).
    pub code: &'static str,
    /// What went wrong, for a person.
    pub message: String,
}

/// An error response: status, code, message and, for 429 and 503, the
/// seconds after which to retry.
#[derive(Debug)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Body.
    pub body: ErrorBody,
    /// `Retry-After` seconds.
    pub retry_after: Option<u64>,
}

impl ApiError {
    /// An error with `status`, `code` and `message`.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self { status, body: ErrorBody { code, message: message.into() }, retry_after: None }
    }

    /// Adds a `Retry-After` header.
    pub fn retry_after(mut self, seconds: u64) -> Self {
        self.retry_after = Some(seconds.max(1));
        self
    }

    /// 503 for a store failure; the detail goes to the log, not the client.
    pub fn internal(context: &str, error: &dyn std::fmt::Display) -> Self {
        tracing::error!("{context}: {error}");
        Self::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", format!("{context}; retry later")).retry_after(1)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        #[derive(Serialize)]
        struct Envelope {
            error: ErrorBody,
        }
        let mut response = (self.status, axum::Json(Envelope { error: self.body })).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(axum::http::header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if let Some(seconds) = self.retry_after {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}
