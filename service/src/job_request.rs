//! The body of `POST /v1/proofs`: `{"credential", "withdrawal", "policy"}`
//! in the formats of `docs/FORMATS.md`. Parsed once when submitted (so a
//! malformed or unprovable request is refused at once) and again by the
//! worker from the sealed copy.
//!
//! The holder's secret is in the credential. Every message that leaves
//! this module passes through [`Redactor`], which removes the secret as the
//! client wrote it, so no error can echo it.

use std::sync::Arc;

use serde_json::Value;
use zkcomply_verifier::credential::Credential;
use zkcomply_verifier::policy::Policy;
use zkcomply_verifier::withdrawal::Withdrawal;

use crate::trees::ServiceTrees;
use zkcomply_prover::ProofRequest;
use zkcomply_prover::ProverError;

/// Why a request body cannot become a job.
#[derive(Debug)]
pub enum RequestProblem {
    /// Not JSON, or not the request's shape (HTTP 400).
    Malformed(String),
    /// Well formed, but no proof can exist for it (HTTP 422).
    Unprovable(String),
}

/// Removes the holder's secret from messages.
#[derive(Default)]
pub struct Redactor {
    secrets: Vec<String>,
}

impl Redactor {
    /// Collects `credential.holder.secret` from a request: as written, as
    /// Rust's `{:?}` escapes it, and trimmed.
    pub fn for_request(value: &Value) -> Self {
        let mut secrets = Vec::new();
        if let Some(secret) = value.pointer("/credential/holder/secret") {
            let text = match secret {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let escaped = format!("{text:?}");
            let forms = [text.trim().to_string(), escaped[1..escaped.len() - 1].to_string(), text];
            for form in forms {
                if !form.is_empty() && !secrets.contains(&form) {
                    secrets.push(form);
                }
            }
            // Longest first, so a form inside another is not left half-replaced.
            secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        }
        Self { secrets }
    }

    /// `message` with every occurrence of the secret replaced.
    pub fn clean(&self, message: impl Into<String>) -> String {
        let mut message = message.into();
        for secret in &self.secrets {
            message = message.replace(secret.as_str(), "[redacted]");
        }
        message
    }
}

/// A parsed request.
pub struct ParsedRequest {
    /// The canonical JSON (RFC 8785) of the body.
    pub canonical: Vec<u8>,
    /// The request for the prover, with the trees chosen.
    pub proof_request: ProofRequest,
    /// Cleans messages about this request.
    pub redactor: Redactor,
}

const FIELDS: [&str; 3] = ["credential", "withdrawal", "policy"];

/// A body that is JSON, with its canonical form (RFC 8785): what is sealed,
/// and what idempotency compares.
pub struct RequestBody {
    value: Value,
    /// The canonical JSON.
    pub canonical: Vec<u8>,
}

/// Parses a body as JSON and canonicalises it.
///
/// # Errors
/// [`RequestProblem::Malformed`] (serde_json's syntax errors quote no
/// content).
pub fn parse_body(bytes: &[u8]) -> Result<RequestBody, RequestProblem> {
    let value: Value = serde_json::from_slice(bytes)
        .map_err(|e| RequestProblem::Malformed(format!("request body: expected a JSON object: {e}")))?;
    let canonical = serde_jcs::to_vec(&value)
        .map_err(|e| RequestProblem::Malformed(Redactor::for_request(&value).clean(format!("request body: {e}"))))?;
    Ok(RequestBody { value, canonical })
}

/// Checks a parsed body's shape and fields, chooses the trees and checks
/// the request against its policy (everything short of building the
/// witness).
///
/// # Errors
/// [`RequestProblem`] with a message naming the field, free of the secret.
pub fn check_request(body: RequestBody, trees: &ServiceTrees) -> Result<ParsedRequest, RequestProblem> {
    let RequestBody { value, canonical } = body;
    let redactor = Redactor::for_request(&value);
    let malformed = |m: String| RequestProblem::Malformed(redactor.clean(m));
    let Value::Object(map) = &value else {
        return Err(malformed("request body: expected a JSON object {credential, withdrawal, policy}".into()));
    };
    for key in map.keys() {
        if !FIELDS.contains(&key.as_str()) {
            return Err(malformed(format!(
                "request body: unknown field {key:?}; expected credential, withdrawal and policy"
            )));
        }
    }
    let field = |name: &str| -> Result<String, RequestProblem> {
        map.get(name).map(Value::to_string).ok_or_else(|| malformed(format!("request body: missing field {name:?}")))
    };
    let credential = Credential::from_json(&field("credential")?).map_err(|e| match e {
        // The field parsers quote what they refuse (escaped, shortened or
        // as a float): never let that be the secret, in any form.
        zkcomply_verifier::FormatError::Invalid { document, path, .. } if path.contains("secret") => {
            malformed(format!(
                "{document}: {path}: expected the holder's secret as a canonical decimal string below the field \
             modulus (the value is not shown)"
            ))
        }
        other => malformed(other.to_string()),
    })?;
    let withdrawal = Withdrawal::from_json(&field("withdrawal")?).map_err(|e| malformed(e.to_string()))?;
    let policy = Policy::from_json(&field("policy")?).map_err(|e| malformed(e.to_string()))?;
    let unprovable = |e: ProverError| RequestProblem::Unprovable(redactor.clean(e.to_string()));
    let chosen = trees.choose(&policy, &credential.issuer_public_key).map_err(unprovable)?;
    let proof_request = ProofRequest {
        credential,
        withdrawal,
        policy,
        identity_tree: Arc::clone(&chosen.identity),
        address_tree: Arc::clone(&chosen.address),
        revocation_tree: Arc::clone(&chosen.revocation),
    };
    proof_request.inputs().map_err(unprovable)?;
    Ok(ParsedRequest { canonical, proof_request, redactor })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redactor_removes_the_secret_in_any_form_it_was_written() {
        let v: Value = serde_json::json!({"credential": {"holder": {"secret": "123456789"}}});
        let r = Redactor::for_request(&v);
        assert_eq!(r.clean("bad value \"123456789\" here"), "bad value \"[redacted]\" here");
        let v: Value = serde_json::json!({"credential": {"holder": {"secret": 987654321}}});
        assert_eq!(Redactor::for_request(&v).clean("got 987654321"), "got [redacted]");
        assert_eq!(Redactor::for_request(&Value::Null).clean("nothing"), "nothing");
    }
}
