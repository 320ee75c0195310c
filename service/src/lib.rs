//! zkcomply's prover as an HTTP service for wallet backends (`zkcomply
//! serve`).
//!
//! Clients submit jobs (`POST /v1/proofs`, with an `Idempotency-Key`) and
//! read them back (`GET /v1/proofs/{id}`); workers prove them. With batch
//! keys configured, `POST /v1/batches` proves up to 16 withdrawals of one
//! holder in one proof (`GET /v1/batches/{id}`), each item's
//! `withdrawal_id` used once per client, optionally signed with the
//! client's Ed25519 key ([`batch_signature`]). Jobs live
//! in a job store (SQLite by default, PostgreSQL to share one
//! queue between processes); the request, which holds the holder's secret,
//! is stored only sealed ([`sealing`]) and deleted when the job ends.
//! `docs/SERVICE.md` is the operator's guide.
//!
//! The service proves with `zkcomply-prover`; the `zkcomply` command
//! (`zkcomply-cli`) starts it with [`run`].

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod admission;
mod api;
mod api_error;
pub mod auth;
mod batch_request;
pub mod batch_signature;
mod batches;
mod config;
mod error;
pub mod failure_code;
mod job_request;
mod metrics;
mod rate_limit;
pub mod sealing;
mod server;
mod service_keys;
mod state;
mod store;
mod trees;
mod worker;

/// The request-body parsing that the API and the workers share, public for
/// the fuzz targets (`fuzz/`, `docs/TESTING.md`); not a stable interface.
#[doc(hidden)]
pub mod fuzzing {
    pub use crate::batch_request::{check_batch_request, ParsedBatch};
    pub use crate::job_request::{check_request, parse_body, ParsedRequest, RequestBody, RequestProblem};
    pub use crate::trees::ServiceTrees;
}

pub use config::Settings;
pub use error::ServiceError;
pub use server::{run, serve, serve_until};

#[cfg(test)]
mod store_tests;
