//! The body of `POST /v1/batches`: `{"credential", "withdrawals",
//! "policy"}` — the single request's documents with a list of 1 to 16
//! withdrawal documents of one holder instead of one withdrawal — and
//! optionally `"drop_refused"` (prove the batch without its refused items)
//! and `"backend"` (only `groth16-bn254`: batches are proved with Groth16
//! batch keys). Each item's id is its `withdrawal_id`.
//!
//! Parsed when submitted and again by the worker, from the sealed copy of
//! the items kept ([`ParsedBatch::kept_body`]). As for single requests,
//! the secret is parsed into a type no message can print.

use std::sync::Arc;

use serde_json::{Map, Value};
use zkcomply_prover::batch::{parse_withdrawals, BatchRequest, RefusedItem};
use zkcomply_prover::ProofRequest;
use zkcomply_verifier::backend::Backend;
use zkcomply_verifier::credential::Credential;
use zkcomply_verifier::policy::Policy;
use zkcomply_verifier::FormatError;

use crate::job_request::{in_body, off_the_async_threads, RequestBody, RequestProblem};
use crate::store::UsedItem;
use crate::trees::ServiceTrees;

const FIELDS: [&str; 5] = ["credential", "withdrawals", "policy", "drop_refused", "backend"];

/// The proof system batches are proved with.
pub const BATCH_BACKEND: Backend = Backend::Groth16Bn254;

/// A parsed batch request.
pub struct ParsedBatch {
    /// The canonical JSON (RFC 8785) of the body.
    pub canonical: Vec<u8>,
    /// The body.
    body: Map<String, Value>,
    /// The request for the prover: credential, policy, chosen trees and
    /// the withdrawals, in the body's order.
    pub request: BatchRequest,
    /// Whether refused items are to be left out rather than refuse the
    /// batch.
    pub drop_refused: bool,
}

impl ParsedBatch {
    /// The items' `withdrawal_id`s, in order.
    pub fn withdrawal_ids(&self) -> Vec<&str> {
        self.request.withdrawals.iter().map(|w| w.withdrawal_id.as_str()).collect()
    }

    /// The canonical JSON of the body with only the items at `kept` (in
    /// order) and without `drop_refused`: what a worker proves.
    ///
    /// # Errors
    /// [`RequestProblem::Internal`] when the body cannot be canonicalised
    /// (it already was once).
    pub fn kept_body(&self, kept: &[usize]) -> Result<Vec<u8>, RequestProblem> {
        let mut body = self.body.clone();
        let items = match body.get("withdrawals") {
            Some(Value::Array(items)) => kept.iter().filter_map(|&i| items.get(i).cloned()).collect(),
            _ => return Err(RequestProblem::Internal("the parsed batch lost its withdrawals".into())),
        };
        body.insert("withdrawals".into(), Value::Array(items));
        body.remove("drop_refused");
        serde_jcs::to_vec(&Value::Object(body)).map_err(|e| RequestProblem::Internal(format!("request body: {e}")))
    }
}

/// A `withdrawals` item that does not parse, as a malformed request naming
/// it by its path in the body (`withdrawals[2].amount`).
fn in_withdrawals(error: FormatError) -> RequestProblem {
    RequestProblem::Malformed(match error {
        FormatError::Invalid { path, message, .. } if path == "." => {
            format!("request body: withdrawals: {message}")
        }
        FormatError::Invalid { path, message, .. } if path.starts_with('[') => {
            format!("request body: withdrawals{path}: {message}")
        }
        FormatError::Invalid { path, message, .. } => format!("request body: withdrawals.{path}: {message}"),
        other => format!("request body: withdrawals: {other}"),
    })
}

/// Checks a parsed body's shape and fields, chooses the trees and checks
/// that the policy accepts Groth16 proofs (the items themselves are
/// checked afterwards, before a job is queued).
///
/// # Errors
/// [`RequestProblem`] with a message naming the field, free of the secret.
pub fn check_batch_request(body: RequestBody, trees: &ServiceTrees) -> Result<ParsedBatch, RequestProblem> {
    let RequestBody { value, canonical } = body;
    let Value::Object(map) = value else {
        return Err(RequestProblem::Malformed(
            "request body: expected a JSON object {credential, withdrawals, policy}".into(),
        ));
    };
    for key in map.keys() {
        if !FIELDS.contains(&key.as_str()) {
            return Err(RequestProblem::Malformed(format!(
                "request body: unknown field {key:?}; expected credential, withdrawals, policy, drop_refused and backend"
            )));
        }
    }
    let field = |name: &str| -> Result<&Value, RequestProblem> {
        map.get(name).ok_or_else(|| RequestProblem::Malformed(format!("request body: missing field {name:?}")))
    };
    match map.get("backend") {
        None => {}
        Some(Value::String(id)) => {
            let backend =
                Backend::from_id(id).map_err(|e| RequestProblem::Malformed(format!("request body: backend: {e}")))?;
            if backend != BATCH_BACKEND {
                return Err(RequestProblem::Malformed(format!(
                    "request body: backend: batches are proved with {BATCH_BACKEND}, not {backend}"
                )));
            }
        }
        Some(_) => {
            return Err(RequestProblem::Malformed(format!(
                "request body: backend: expected \"{BATCH_BACKEND}\", the proof system of batches"
            )))
        }
    }
    let drop_refused = match map.get("drop_refused") {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(RequestProblem::Malformed("request body: drop_refused: expected true or false".into())),
    };
    let withdrawals = field("withdrawals")?;
    if !withdrawals.is_array() {
        return Err(RequestProblem::Malformed(
            "request body: withdrawals: expected a list of 1 to 16 withdrawal documents".into(),
        ));
    }
    let credential = Credential::from_json(&field("credential")?.to_string()).map_err(|e| in_body("credential", e))?;
    let withdrawals = parse_withdrawals(&withdrawals.to_string()).map_err(in_withdrawals)?;
    let policy = Policy::from_json(&field("policy")?.to_string()).map_err(|e| in_body("policy", e))?;
    if !policy.accepts_backend(BATCH_BACKEND) {
        let accepted = policy.accepted_backends().iter().map(|b| b.id()).collect::<Vec<_>>().join(", ");
        return Err(RequestProblem::Unprovable(format!(
            "refused: the policy accepts backends {accepted}; batches are proved with {BATCH_BACKEND}"
        )));
    }
    let chosen = trees
        .choose(&policy, &credential.issuer_public_key)
        .map_err(|e| RequestProblem::Unprovable(format!("refused: {e}")))?;
    let request = ProofRequest {
        credential,
        withdrawal: withdrawals[0].clone(),
        policy,
        identity_tree: Arc::clone(&chosen.identity),
        address_tree: Arc::clone(&chosen.address),
        revocation_tree: Arc::clone(&chosen.revocation),
    };
    Ok(ParsedBatch { canonical, body: map, request: BatchRequest { request, withdrawals }, drop_refused })
}

/// [`check_batch_request`] on a blocking thread (it checks signatures and
/// hashes trees' roots); a panic is answered as for single requests.
pub async fn check_batch_request_blocking(
    body: RequestBody,
    trees: Arc<ServiceTrees>,
) -> Result<ParsedBatch, RequestProblem> {
    off_the_async_threads(move || check_batch_request(body, &trees)).await
}

/// The items refused for their id: one repeating an earlier item's (the
/// later is refused), or one the client already used (`used`), in index
/// order.
pub fn id_refusals(ids: &[&str], used: &[UsedItem]) -> Vec<RefusedItem> {
    let mut refused = Vec::new();
    for (index, id) in ids.iter().enumerate() {
        let reason = if let Some(first) = ids[..index].iter().position(|earlier| earlier == id) {
            format!("its withdrawal_id repeats item {first}'s: every item of a batch has its own")
        } else if let Some(u) = used.iter().find(|u| u.withdrawal_id == *id) {
            format!("its withdrawal_id is already used by this API key (job {})", u.job)
        } else {
            continue;
        };
        refused.push(RefusedItem { index, withdrawal_id: id.to_string(), reason });
    }
    refused
}

/// The prover's checks ([`BatchRequest::check`]) on the items not in
/// `skip` (already refused for their id), with indices in the full list.
pub fn check_items(batch: &mut BatchRequest, slots: usize, skip: &[usize]) -> Vec<RefusedItem> {
    let positions: Vec<usize> = (0..batch.withdrawals.len()).filter(|i| !skip.contains(i)).collect();
    if positions.is_empty() {
        return Vec::new();
    }
    let all = std::mem::take(&mut batch.withdrawals);
    batch.withdrawals = positions.iter().map(|&i| all[i].clone()).collect();
    let refused = batch.check(slots).refused;
    batch.withdrawals = all;
    refused.into_iter().map(|r| RefusedItem { index: positions[r.index], ..r }).collect()
}

/// Every refused item of a batch ([`id_refusals`], then [`check_items`]
/// on the others) in index order, and the indices of the items kept;
/// run on a blocking thread.
pub async fn refusals_blocking(
    mut batch: ParsedBatch,
    slots: usize,
    used: Vec<UsedItem>,
) -> Result<(ParsedBatch, Vec<RefusedItem>, Vec<usize>), RequestProblem> {
    off_the_async_threads(move || {
        let mut refused = id_refusals(&batch.withdrawal_ids(), &used);
        let skip: Vec<usize> = refused.iter().map(|r| r.index).collect();
        refused.extend(check_items(&mut batch.request, slots, &skip));
        refused.sort_by_key(|r| r.index);
        let kept = (0..batch.request.withdrawals.len()).filter(|i| !refused.iter().any(|r| r.index == *i)).collect();
        Ok((batch, refused, kept))
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::job_request::parse_body;

    fn problem(body: Value) -> RequestProblem {
        let parsed = parse_body(body.to_string().as_bytes(), 1 << 20).unwrap();
        match check_batch_request(parsed, &ServiceTrees::empty()) {
            Err(problem) => problem,
            Ok(_) => panic!("accepted"),
        }
    }

    fn malformed(body: Value) -> String {
        match problem(body) {
            RequestProblem::Malformed(m) => m,
            other => panic!("expected a malformed request, got {other:?}"),
        }
    }

    #[test]
    fn the_shape_is_checked_naming_the_field() {
        assert!(malformed(serde_json::json!([])).contains("expected a JSON object"));
        let m = malformed(serde_json::json!({"credential": {}, "withdrawal": {}, "policy": {}}));
        assert!(m.contains("unknown field \"withdrawal\""), "{m}");
        let m = malformed(serde_json::json!({"credential": {}, "policy": {}}));
        assert!(m.contains("missing field \"withdrawals\""), "{m}");
        let m = malformed(serde_json::json!({"credential": {}, "withdrawals": {}, "policy": {}}));
        assert!(m.contains("withdrawals: expected a list"), "{m}");
        let m = malformed(serde_json::json!({"credential": {}, "withdrawals": [], "policy": {}, "drop_refused": 1}));
        assert!(m.contains("drop_refused: expected true or false"), "{m}");
        let m = malformed(
            serde_json::json!({"credential": {}, "withdrawals": [], "policy": {}, "backend": "halo2-ipa-bn254"}),
        );
        assert!(m.contains("batches are proved with groth16-bn254, not halo2-ipa-bn254"), "{m}");
        let m = malformed(serde_json::json!({"credential": {}, "withdrawals": [], "policy": {}, "backend": 7}));
        assert!(m.contains("backend: expected"), "{m}");
    }

    #[test]
    fn withdrawal_errors_name_the_item() {
        for (error, expected) in [
            (FormatError::invalid("withdrawals", "[3].amount", "bad"), "request body: withdrawals[3].amount: bad"),
            (FormatError::invalid("withdrawals", ".", "a batch holds"), "request body: withdrawals: a batch holds"),
        ] {
            let RequestProblem::Malformed(m) = in_withdrawals(error) else { panic!("not malformed") };
            assert_eq!(m, expected);
        }
    }

    #[test]
    fn repeated_and_used_ids_are_refused_by_index() {
        let used = [UsedItem { withdrawal_id: "b".into(), job: "batch_1".into() }];
        let refused = id_refusals(&["a", "b", "c", "a", "a"], &used);
        let got: Vec<(usize, &str)> = refused.iter().map(|r| (r.index, r.withdrawal_id.as_str())).collect();
        assert_eq!(got, [(1, "b"), (3, "a"), (4, "a")]);
        assert!(refused[0].reason.contains("already used") && refused[0].reason.contains("batch_1"));
        assert!(refused[1].reason.contains("repeats item 0's"), "{}", refused[1].reason);
        assert!(id_refusals(&["a", "b"], &[]).is_empty());
    }
}
