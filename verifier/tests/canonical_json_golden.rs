//! Golden vectors of `serde_jcs`, the RFC 8785 canonical JSON that record
//! hashes are taken over: a log record's `hash` is the SHA-256 of the
//! canonical JSON of the record without it (see `zkcomply_verifier::log`).
//!
//! A change in the canonical form (key order, number formatting, string
//! escapes) would change every record hash and make existing logs read as
//! broken chains, so the workspace pins `serde_jcs` exactly and these
//! vectors say what it produces. They are written by hand from RFC 8785
//! and checked against it (where serde_jcs departs from it, the test says
//! so), not regenerated: a difference is a change to investigate.

use serde_json::Value;
use sha2::{Digest, Sha256};

fn canonical(json: &str) -> String {
    let value: Value = serde_json::from_str(json).expect("test input is JSON");
    String::from_utf8(serde_jcs::to_vec(&value).expect("canonicalises")).expect("canonical JSON is UTF-8")
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn keys_are_sorted_by_their_escaped_utf8_bytes() {
    // serde_jcs 0.1.0 sorts members by the bytes of each key as written,
    // quotes and escapes included, where RFC 8785 sorts by UTF-16 code
    // units. The two agree on the record's own field names (ASCII letters
    // and underscores) and differ only for keys that hold
    // - a space or '!' after a prefix that is itself a key ("a b" before "a": ' ' < '"');
    // - characters written as escapes ("\n" after "Z": '\' > 'Z');
    // - characters above U+FFFF next to ones in U+E000..=U+FFFF ("ﬀ" before "😀").
    // Hashes already recorded depend on this order: it is pinned as it is.
    assert_eq!(
        canonical(r#"{"b":1,"a":2,"A":3,"aa":4,"é":5,"€":6,"ﬀ":7,"😀":8,"":9,"a b":10,"\n":11,"Z":12}"#),
        r#"{"":9,"A":3,"Z":12,"\n":11,"a b":10,"a":2,"aa":4,"b":1,"é":5,"€":6,"ﬀ":7,"😀":8}"#
    );
}

#[test]
fn numbers_take_their_ecmascript_form() {
    assert_eq!(
        canonical("[0,-0,0.0,1,-1,1.0,100.0,1.5,-2.25,1e21,1e20,1e-7,0.000001,123e-2,9007199254740991]"),
        "[0,0,0,1,-1,1,100,1.5,-2.25,1e+21,100000000000000000000,1e-7,0.000001,1.23,9007199254740991]"
    );
}

#[test]
fn strings_escape_only_what_rfc_8785_requires() {
    assert_eq!(
        canonical(r#"["\u0000\u001f\"\\\/\b\f\n\r\t", "\u00e9\u20ac\ud83d\ude00", "\u2028\u2029", "\u007f"]"#),
        "[\"\\u0000\\u001f\\\"\\\\/\\b\\f\\n\\r\\t\",\"é€😀\",\"\u{2028}\u{2029}\",\"\u{7f}\"]"
    );
}

#[test]
fn nested_values_are_canonical_at_every_depth() {
    assert_eq!(
        canonical(r#"{ "z": [ {"y": 2, "x": [ ] }, { }, null, true, false ], "a": { "c": { "e": 1, "d": "v" } } }"#),
        r#"{"a":{"c":{"d":"v","e":1}},"z":[{"x":[],"y":2},{},null,true,false]}"#
    );
}

#[test]
fn rfc_8785_example_and_a_record_shaped_hash() {
    // RFC 8785, section 3.2.3.
    let input = r#"{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],"string":"\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/","literals":[null,true,false]}"#;
    let expected = r#"{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}"#;
    assert_eq!(canonical(input), expected);
    // A value shaped like a log record: decimal strings for field
    // elements, safe integers, nested objects; pinned by its hash.
    let record = r#"{"version":"zkcomply/log-record/v1","seq":3,"time":1763900000,
        "verdict":{"accepted":false,"failed_check":"proof","reason":"the Groth16 proof does not verify"},
        "bundle":{"public_inputs":["1","21888242871839275222246405745257275088548364400416034343698204186575808495616"],"withdrawal":{"amount":"2500","asset":"ETH"}},
        "prev_hash":"0000000000000000000000000000000000000000000000000000000000000000"}"#;
    let c = canonical(record);
    assert_eq!(
        c,
        r#"{"bundle":{"public_inputs":["1","21888242871839275222246405745257275088548364400416034343698204186575808495616"],"withdrawal":{"amount":"2500","asset":"ETH"}},"prev_hash":"0000000000000000000000000000000000000000000000000000000000000000","seq":3,"time":1763900000,"verdict":{"accepted":false,"failed_check":"proof","reason":"the Groth16 proof does not verify"},"version":"zkcomply/log-record/v1"}"#
    );
    assert_eq!(sha256_hex(c.as_bytes()), "b8a9ea5c65018a405b339f04d7c99d7da6b568fe382b83ff582c3d1c446cabf4");
}
