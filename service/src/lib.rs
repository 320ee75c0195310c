//! zkcomply's prover as an HTTP service for wallet backends (`zkcomply
//! serve`).
//!
//! Clients submit jobs (`POST /v1/proofs`, with an `Idempotency-Key`) and
//! read them back (`GET /v1/proofs/{id}`); workers prove them. Jobs live
//! in a [`store::JobStore`] (SQLite by default, PostgreSQL to share one
//! queue between processes); the request, which holds the holder's secret,
//! is stored only sealed ([`sealing`]) and deleted when the job ends.
//! `docs/SERVICE.md` is the operator's guide.
//!
//! The service proves with `zkcomply-prover`; the `zkcomply` command
//! (`zkcomply-cli`) starts it with [`run`].

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod admission;
pub mod api;
pub mod api_error;
pub mod auth;
pub mod config;
pub mod error;
pub mod failure_code;
pub mod job_request;
pub mod metrics;
pub mod rate_limit;
pub mod sealing;
pub mod server;
pub mod state;
pub mod store;
pub mod trees;
pub mod worker;

pub use config::Settings;
pub use error::ServiceError;
pub use server::{run, serve, serve_until};
pub use state::{build_state, ServiceState};
