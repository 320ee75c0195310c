//! Golden files under `tests/golden/`, compared as JSON and rewritten only
//! on purpose (`ZKCOMPLY_UPDATE_GOLDEN=1`).
//!
//! A golden file records the [`zkcomply_circuits::CIRCUIT_ID`] it was made
//! for. Whatever it pins under `circuit_bound` keys is something proofs or
//! keys depend on, so a regeneration that changes one of them under the
//! same circuit id is refused: the circuit id must change first.

use std::path::PathBuf;

use serde_json::Value;

/// The environment variable that rewrites golden files instead of
/// comparing with them.
pub const UPDATE_VARIABLE: &str = "ZKCOMPLY_UPDATE_GOLDEN";

fn path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden").join(name)
}

fn read(name: &str) -> Option<Value> {
    let text = std::fs::read_to_string(path(name)).ok()?;
    Some(serde_json::from_str(&text).unwrap_or_else(|e| panic!("tests/golden/{name} is not JSON: {e}")))
}

/// The keys among `keys` that the pinned file holds with another value (a
/// key it does not hold yet is pinned more, not changed).
fn changed_keys<'a>(pinned: &Value, actual: &Value, keys: &[&'a str]) -> Vec<&'a str> {
    keys.iter().copied().filter(|k| pinned.get(k).is_some_and(|p| Some(p) != actual.get(k))).collect()
}

/// Compares `actual` (a JSON object with a `circuit_id`) with the golden
/// file `name`, or rewrites the file when [`UPDATE_VARIABLE`] is set.
///
/// # Panics
/// When they differ, or when a rewrite would change a `circuit_bound` key
/// while keeping the pinned circuit id.
pub fn check_tied_to_circuit_id(name: &str, actual: &Value, circuit_bound: &[&str]) {
    let pinned = read(name);
    if std::env::var_os(UPDATE_VARIABLE).is_some() {
        if let Some(pinned) = &pinned {
            let changed = changed_keys(pinned, actual, circuit_bound);
            if pinned.get("circuit_id") == actual.get("circuit_id") && !changed.is_empty() {
                panic!(
                    "tests/golden/{name}: refusing to re-pin {changed:?} under the same circuit id {}: \
                     proofs and keys depend on them, so change CIRCUIT_ID first",
                    actual["circuit_id"]
                );
            }
        }
        let text = serde_json::to_string_pretty(actual).expect("JSON values serialise") + "\n";
        std::fs::write(path(name), text).unwrap_or_else(|e| panic!("cannot write tests/golden/{name}: {e}"));
        return;
    }
    let Some(pinned) = pinned else { panic!("tests/golden/{name} is missing; create it with {UPDATE_VARIABLE}=1") };
    if pinned != *actual {
        let mut keys: Vec<&str> = circuit_bound.to_vec();
        keys.push("circuit_id");
        panic!(
            "tests/golden/{name} no longer matches (changed: {:?}).\n\
             pinned: {pinned:#}\nactual: {actual:#}\n\
             If the change is intended, change CIRCUIT_ID when any but circuit_id changed, \
             then regenerate with {UPDATE_VARIABLE}=1.",
            changed_keys(&pinned, actual, &keys)
        );
    }
}
