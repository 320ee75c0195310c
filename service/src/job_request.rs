//! The body of `POST /v1/proofs`: `{"credential", "withdrawal", "policy"}`
//! in the formats of `docs/FORMATS.md`, and optionally `"backend"` (a proof
//! system's id; `crate::service_keys` picks the keys). Parsed once when submitted (so a
//! malformed or unprovable request is refused at once) and again by the
//! worker from the sealed copy.
//!
//! The holder's secret is in the credential, parsed into a
//! [`zkcomply_verifier::credential::HolderSecret`]: its parser never quotes
//! the value, and nothing prints it, so no message built here can echo it.

use std::sync::Arc;

use serde_json::Value;
use zkcomply_prover::ProofRequest;
use zkcomply_prover::ProverError;
use zkcomply_verifier::backend::Backend;
use zkcomply_verifier::credential::Credential;
use zkcomply_verifier::policy::Policy;
use zkcomply_verifier::withdrawal::Withdrawal;
use zkcomply_verifier::FormatError;

use crate::trees::ServiceTrees;

/// Why a request body cannot become a job.
#[derive(Debug)]
pub enum RequestProblem {
    /// Not JSON, or not the request's shape (HTTP 400).
    Malformed(String),
    /// Well formed, but no proof can exist for it (HTTP 422).
    Unprovable(String),
    /// Checking it failed for a reason of the service's own.
    Internal(String),
}

impl From<ProverError> for RequestProblem {
    fn from(error: ProverError) -> Self {
        match error {
            ProverError::Format(_) => Self::Malformed(error.to_string()),
            ref e if e.is_refusal() => Self::Unprovable(error.to_string()),
            _ => Self::Internal(error.to_string()),
        }
    }
}

/// A parsed request.
pub struct ParsedRequest {
    /// The canonical JSON (RFC 8785) of the body.
    pub canonical: Vec<u8>,
    /// The request for the prover, with the trees chosen.
    pub proof_request: ProofRequest,
    /// The proof system the request asks for, if it names one.
    pub backend: Option<Backend>,
}

const FIELDS: [&str; 4] = ["credential", "withdrawal", "policy", "backend"];

/// A body that is JSON, with its canonical form (RFC 8785): what is sealed,
/// and what idempotency compares.
pub struct RequestBody {
    pub(crate) value: Value,
    /// The canonical JSON.
    pub canonical: Vec<u8>,
}

/// Parses a body of at most `max_body_bytes` as JSON and canonicalises it.
/// The API refuses a larger body before reading it all (413); a worker
/// meets one only when the limit was lowered since the job was accepted.
///
/// # Errors
/// [`RequestProblem::Malformed`] (serde_json's syntax errors quote no
/// content).
pub fn parse_body(bytes: &[u8], max_body_bytes: usize) -> Result<RequestBody, RequestProblem> {
    if bytes.len() > max_body_bytes {
        return Err(RequestProblem::Malformed(format!(
            "request body: larger than {max_body_bytes} bytes (max_body_bytes)"
        )));
    }
    let value: Value = serde_json::from_slice(bytes)
        .map_err(|e| RequestProblem::Malformed(format!("request body: expected a JSON object: {e}")))?;
    let canonical = serde_jcs::to_vec(&value).map_err(|e| RequestProblem::Malformed(format!("request body: {e}")))?;
    Ok(RequestBody { value, canonical })
}

/// A document of the body that does not parse, as a malformed request
/// naming the field by its path in the body (`withdrawal.amount`).
pub(crate) fn in_body(field: &str, error: FormatError) -> RequestProblem {
    RequestProblem::Malformed(match error {
        FormatError::Invalid { path, message, .. } if path == "." => format!("request body: {field}: {message}"),
        FormatError::Invalid { path, message, .. } => format!("request body: {field}.{path}: {message}"),
        other => format!("request body: {other}"),
    })
}

/// Checks a parsed body's shape and fields, chooses the trees and checks
/// the request against its policy (everything short of building the
/// witness).
///
/// # Errors
/// [`RequestProblem`] with a message naming the field, free of the secret.
pub fn check_request(body: RequestBody, trees: &ServiceTrees) -> Result<ParsedRequest, RequestProblem> {
    let RequestBody { value, canonical } = body;
    let Value::Object(map) = &value else {
        return Err(RequestProblem::Malformed(
            "request body: expected a JSON object {credential, withdrawal, policy}".into(),
        ));
    };
    for key in map.keys() {
        if !FIELDS.contains(&key.as_str()) {
            return Err(RequestProblem::Malformed(format!(
                "request body: unknown field {key:?}; expected credential, withdrawal, policy and backend"
            )));
        }
    }
    let field = |name: &str| -> Result<String, RequestProblem> {
        map.get(name)
            .map(Value::to_string)
            .ok_or_else(|| RequestProblem::Malformed(format!("request body: missing field {name:?}")))
    };
    let backend = match map.get("backend") {
        None => None,
        Some(Value::String(id)) => {
            Some(Backend::from_id(id).map_err(|e| RequestProblem::Malformed(format!("request body: backend: {e}")))?)
        }
        Some(_) => {
            return Err(RequestProblem::Malformed(
                "request body: backend: expected a backend id such as \"halo2-ipa-bn254\"".into(),
            ))
        }
    };
    let credential = Credential::from_json(&field("credential")?).map_err(|e| in_body("credential", e))?;
    let withdrawal = Withdrawal::from_json(&field("withdrawal")?).map_err(|e| in_body("withdrawal", e))?;
    let policy = Policy::from_json(&field("policy")?).map_err(|e| in_body("policy", e))?;
    let chosen = trees
        .choose(&policy, &credential.issuer_public_key)
        .map_err(|e| RequestProblem::Unprovable(format!("refused: {e}")))?;
    let proof_request = ProofRequest {
        credential,
        withdrawal,
        policy,
        identity_tree: Arc::clone(&chosen.identity),
        address_tree: Arc::clone(&chosen.address),
        revocation_tree: Arc::clone(&chosen.revocation),
    };
    proof_request.inputs()?;
    Ok(ParsedRequest { canonical, proof_request, backend })
}

/// [`check_request`] on a blocking thread (it checks signatures and hashes
/// trees' roots), as the API and the workers both run it.
///
/// A panic while checking is a bug of the service, and it happens again
/// for the same request: it is answered as a malformed request (400 from
/// the API, failure code `invalid` from a worker) so that neither the
/// client nor a worker retries it, and logged without its message (which
/// could quote the request).
pub async fn check_request_blocking(
    body: RequestBody,
    trees: Arc<ServiceTrees>,
) -> Result<ParsedRequest, RequestProblem> {
    off_the_async_threads(move || check_request(body, &trees)).await
}

/// Runs `check` on a blocking thread, answering a panic in it as
/// [`check_request_blocking`] documents.
pub(crate) async fn off_the_async_threads<T: Send + 'static>(
    check: impl FnOnce() -> Result<T, RequestProblem> + Send + 'static,
) -> Result<T, RequestProblem> {
    match tokio::task::spawn_blocking(check).await {
        Ok(checked) => checked,
        Err(join) if join.is_panic() => {
            tracing::error!("checking a request panicked (a bug); the request is refused as malformed");
            Err(RequestProblem::Malformed(
                "request: the service failed while checking it (an internal error, logged); \
                 the same request fails the same way"
                    .into(),
            ))
        }
        Err(_) => Err(RequestProblem::Internal("checking the request was cancelled".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "4518394302916327104963958390113782294751108287623164497405871238195478102735";

    fn problem_for_secret(secret: Value) -> String {
        let body = serde_json::json!({
            "credential": {"holder": {"id_commitment": "1", "secret": secret}},
            "withdrawal": {},
            "policy": {},
        });
        let parsed = parse_body(body.to_string().as_bytes(), 1 << 20).unwrap();
        let trees = ServiceTrees::empty();
        match check_request(parsed, &trees) {
            Err(RequestProblem::Malformed(m)) => m,
            Err(other) => panic!("expected a malformed request, got {other:?}"),
            Ok(_) => panic!("accepted"),
        }
    }

    #[test]
    fn a_body_over_the_limit_is_refused_naming_it() {
        let body = serde_json::json!({"credential": {}, "withdrawal": {}, "policy": {}}).to_string();
        assert!(parse_body(body.as_bytes(), body.len()).is_ok());
        let Err(RequestProblem::Malformed(m)) = parse_body(body.as_bytes(), body.len() - 1) else {
            panic!("a body over the limit was accepted")
        };
        assert!(m.contains("max_body_bytes"), "{m}");
    }

    #[test]
    fn a_deeply_nested_body_is_malformed_not_a_stack_overflow() {
        let deep = "[".repeat(100_000);
        let Err(RequestProblem::Malformed(m)) = parse_body(deep.as_bytes(), deep.len()) else {
            panic!("a deeply nested body was accepted")
        };
        assert!(m.contains("recursion limit exceeded"), "{m}");
    }

    #[tokio::test]
    async fn a_panic_while_checking_is_a_malformed_request_not_a_retry() {
        let problem = off_the_async_threads(|| -> Result<(), RequestProblem> { panic!("a parser bug") }).await;
        let Err(RequestProblem::Malformed(m)) = problem else { panic!("{problem:?}") };
        assert!(m.contains("fails the same way") && !m.contains("a parser bug"), "{m}");
        assert!(matches!(off_the_async_threads(|| Ok(1)).await, Ok(1)));
    }

    #[test]
    fn a_malformed_secret_is_named_never_quoted() {
        let number: Value = serde_json::from_str(SECRET).unwrap();
        for secret in [
            Value::from(format!("x{SECRET}")),
            Value::from(format!("{SECRET}\n")),
            Value::from(format!("\"{SECRET}")),
            Value::from(format!("{SECRET}{SECRET}")),
            Value::from(format!("0{SECRET}")),
            number,
        ] {
            let message = problem_for_secret(secret.clone());
            assert!(message.contains("holder.secret"), "{message}");
            for piece in SECRET.as_bytes().windows(8) {
                let piece = std::str::from_utf8(piece).unwrap();
                assert!(!message.contains(piece), "{secret}: {message}");
            }
        }
    }
}
