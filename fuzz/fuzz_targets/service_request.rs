//! The prover service's request body (`POST /v1/proofs`, and the worker's
//! sealed copy): `parse_body` on any bytes (JSON, canonicalised with RFC
//! 8785), then `check_request` against trees built from `data/` (the
//! demo's), which parses the credential, withdrawal and policy and checks
//! the request short of building the witness. No message may quote the
//! holder's secret.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use zkcomply_fuzz::DEMO_TREE_FILES;
use zkcomply_service::fuzzing::{check_request, parse_body, RequestProblem, ServiceTrees};

/// The service's default `max_body_bytes`: bodies the API would accept.
const MAX_BODY_BYTES: usize = 1 << 20;

static TREES: LazyLock<ServiceTrees> =
    LazyLock::new(|| ServiceTrees::load(&DEMO_TREE_FILES).expect("the demo's trees load"));

fuzz_target!(|data: &[u8]| {
    let Ok(body) = parse_body(data, MAX_BODY_BYTES) else { return };
    let secret = holder_secret(&body.canonical);
    let Err(problem) = check_request(body, &TREES) else { return };
    let (RequestProblem::Malformed(message) | RequestProblem::Unprovable(message) | RequestProblem::Internal(message)) =
        problem;
    if let Some(secret) = secret {
        assert!(!message.contains(&secret), "a request problem quotes the holder's secret: {message}");
    }
});

/// `credential.holder.secret` as written in the canonical body, when it is
/// a string long enough to be recognised and appears nowhere else in the
/// body (so a message quoting another field that happens to hold the same
/// text is not taken for a leak).
fn holder_secret(canonical: &[u8]) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(canonical).ok()?;
    let secret = value.pointer("/credential/holder/secret")?;
    let text = match secret {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let canonical = String::from_utf8_lossy(canonical);
    (text.len() >= 16 && canonical.matches(text.as_str()).count() == 1).then_some(text)
}
