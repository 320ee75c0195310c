//! Property tests of every verifier format's round trip: a document built
//! from hostile values (multi-byte UTF-8 of every width, NUL, bidi
//! controls, quotes and backslashes) prints and parses back to itself, and
//! printing what was parsed gives the same text (`parse ∘ print = id`,
//! `print ∘ parse = id` on accepted input). Canonical numbers stay
//! canonical: every other spelling of a number is refused. Values of 10^5
//! characters and documents nested 10^4 deep are refused with a bounded
//! message naming the field, never a panic or a stack overflow.

use std::path::Path;

use ark_ff::{BigInteger, PrimeField};
use proptest::prelude::*;
use serde_json::{json, Value};
use zkcomply_circuits::encoding::MAX_STR_BYTES;
use zkcomply_circuits::Fr;
use zkcomply_verifier::values::{Amount, FieldElement, SafeInt};
use zkcomply_verifier::{Bundle, LogRecord, Policy, Withdrawal};

fn fixture(name: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)).unwrap()
}

/// Characters that break naive string handling: 1- to 4-byte UTF-8, NUL
/// and other controls, bidi overrides and isolates, a byte-order mark,
/// JSON's own quote and backslash.
const HOSTILE: &[char] = &[
    'a',
    'Z',
    '0',
    ' ',
    '"',
    '\\',
    '/',
    '\0',
    '\n',
    '\t',
    '\u{7f}',
    'é',
    'ß',
    'Ж',
    '€',
    '中',
    '\u{202e}',
    '\u{2066}',
    '\u{2069}',
    '\u{200b}',
    '\u{feff}',
    '\u{fffd}',
    '𝄞',
    '😀',
    '\u{10ffff}',
];

/// A string of 1 to `MAX_STR_BYTES` UTF-8 bytes from [`HOSTILE`] and any
/// other scalar value.
fn hostile_string() -> impl Strategy<Value = String> {
    let char = prop_oneof![3 => proptest::sample::select(HOSTILE), 1 => any::<char>()];
    proptest::collection::vec(char, 1..120).prop_map(|chars| {
        let mut s = String::new();
        for c in chars {
            if s.len() + c.len_utf8() > MAX_STR_BYTES {
                break;
            }
            s.push(c);
        }
        s
    })
}

fn safe_int() -> impl Strategy<Value = SafeInt> {
    (0u64..1 << 53).prop_map(SafeInt)
}

fn field_element() -> impl Strategy<Value = FieldElement> {
    any::<[u8; 32]>().prop_map(|bytes| FieldElement(Fr::from_le_bytes_mod_order(&bytes)))
}

fn withdrawal() -> impl Strategy<Value = Withdrawal> {
    (
        safe_int(),
        [hostile_string(), hostile_string(), hostile_string(), hostile_string(), hostile_string()],
        any::<u128>(),
        safe_int(),
        safe_int(),
    )
        .prop_map(|(chain_id, [exchange_id, withdrawal_id, source, destination, asset], amount, epoch, now)| {
            Withdrawal {
                version: zkcomply_verifier::withdrawal::WITHDRAWAL_V1.into(),
                chain_id,
                exchange_id,
                withdrawal_id,
                source_address: source,
                destination_address: destination,
                asset,
                amount: Amount(amount),
                epoch,
                now,
            }
        })
}

/// Asserts `text` parses to `value` and `value` prints to `text`.
fn assert_round_trip<T: PartialEq + std::fmt::Debug>(
    text: &str,
    parse: impl Fn(&str) -> T,
    print: impl Fn(&T) -> String,
) {
    let parsed = parse(text);
    assert_eq!(print(&parsed), text, "print(parse(text)) != text");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn withdrawals_round_trip(w in withdrawal()) {
        let text = serde_json::to_string(&w).unwrap();
        let parsed = Withdrawal::from_json(&text).unwrap();
        prop_assert_eq!(&parsed, &w);
        assert_round_trip(&text, |t| Withdrawal::from_json(t).unwrap(), |w| serde_json::to_string(w).unwrap());
    }

    #[test]
    fn bundles_and_log_records_round_trip(w in withdrawal(), nullifier in field_element(), time in safe_int()) {
        let mut bundle = Bundle::from_json(&fixture("bundle.json")).unwrap();
        bundle.withdrawal = w;
        bundle.public.nullifier = nullifier;
        let text = bundle.to_json();
        prop_assert_eq!(&Bundle::from_json(&text).unwrap(), &bundle);
        assert_round_trip(&text, |t| Bundle::from_json(t).unwrap(), Bundle::to_json);

        // A log record holding it: the same, and its hash is stable.
        let verdict = zkcomply_verifier::Verdict {
            accepted: false,
            failed_check: Some(zkcomply_verifier::Check::Clock),
            reason: Some(bundle.withdrawal.withdrawal_id.clone()),
            checked: Vec::new(),
            not_checked: Vec::new(),
            key: None,
        };
        let record = LogRecord::new(7, time.0, &bundle, &verdict, zkcomply_verifier::log::GENESIS);
        let line = serde_json::to_string(&record).unwrap();
        let parsed: LogRecord = serde_json::from_str(&line).unwrap();
        prop_assert_eq!(&parsed, &record);
        prop_assert_eq!(parsed.compute_hash(), record.hash);
        prop_assert_eq!(serde_json::to_string(&parsed).unwrap(), line);
    }

    #[test]
    fn policies_round_trip(exchange in hostile_string(), asset in hostile_string(), limit in any::<u128>(),
                           epoch in 1u64..1 << 40, skew_part in any::<u64>()) {
        let mut policy: Value = serde_json::from_str(&fixture("policy.json")).unwrap();
        policy["exchange_id"] = json!(exchange);
        policy["limits"] = json!({ asset.clone(): ["0", "1", limit.to_string(), limit.to_string()] });
        policy["epoch_caps"] = json!({ asset: limit.to_string() });
        policy["epoch_seconds"] = json!(epoch);
        // The largest skew allowed is half the epoch.
        policy["max_clock_skew_seconds"] = json!(skew_part % (epoch / 2 + 1));
        let text = policy.to_string();
        let parsed = Policy::from_json(&text).unwrap();
        let printed = serde_json::to_string(&parsed).unwrap();
        prop_assert_eq!(&Policy::from_json(&printed).unwrap(), &parsed);
        assert_round_trip(&printed, |t| Policy::from_json(t).unwrap(), |p| serde_json::to_string(p).unwrap());
    }

    #[test]
    fn field_elements_stay_canonical(x in field_element()) {
        let text = serde_json::to_string(&x).unwrap();
        prop_assert_eq!(serde_json::from_str::<FieldElement>(&text).unwrap(), x);
        let digits = x.to_string();
        prop_assert_eq!(&text, &format!("\"{}\"", digits));
        for other in non_canonical_spellings(&digits) {
            prop_assert!(serde_json::from_str::<FieldElement>(&other).is_err(), "accepted {}", other);
        }
        // x + r and x + 2r are the same field element, and refused.
        let modulus = zkcomply_circuits::field::modulus();
        let big = num_bigint::BigUint::from_bytes_le(&x.0.into_bigint().to_bytes_le());
        for k in 1u32..=2 {
            let reduced_from = (&big + &modulus * k).to_string();
            let refused = serde_json::from_str::<FieldElement>(&format!("\"{}\"", reduced_from)).is_err();
            prop_assert!(refused);
        }
    }

    #[test]
    fn amounts_and_safe_integers_stay_canonical(a in any::<u128>(), n in 0u64..1 << 53) {
        let text = serde_json::to_string(&Amount(a)).unwrap();
        prop_assert_eq!(serde_json::from_str::<Amount>(&text).unwrap(), Amount(a));
        for other in non_canonical_spellings(&a.to_string()) {
            prop_assert!(serde_json::from_str::<Amount>(&other).is_err(), "accepted {}", other);
        }
        // 2^128 + a is out of range, never wrapped.
        let wrapped = (num_bigint::BigUint::from(1u8) << 128u32) + a;
        let refused = serde_json::from_str::<Amount>(&format!("\"{}\"", wrapped)).is_err();
        prop_assert!(refused);

        let text = serde_json::to_string(&SafeInt(n)).unwrap();
        prop_assert_eq!(serde_json::from_str::<SafeInt>(&text).unwrap(), SafeInt(n));
        let refused = serde_json::from_str::<SafeInt>(&format!("{}", n + (1 << 53))).is_err();
        prop_assert!(refused);
        let refused = serde_json::from_str::<SafeInt>(&format!("\"{}\"", n)).is_err();
        prop_assert!(refused);
        let refused = serde_json::from_str::<SafeInt>(&format!("{}.0", n)).is_err();
        prop_assert!(refused);
        let refused = serde_json::from_str::<SafeInt>(&format!("-{}", n.max(1))).is_err();
        prop_assert!(refused);
    }
}

/// Other spellings of the decimal `digits`, each a JSON string: with a
/// leading zero, a sign, white space, a multi-byte digit look-alike, a NUL.
fn non_canonical_spellings(digits: &str) -> Vec<String> {
    ["0{}", "+{}", "-{}", " {}", "{} ", "{}\\u0000", "{}\u{0663}", "\u{ff11}{}", "{}.0", "{}e0", "0x{}"]
        .iter()
        .map(|pattern| format!("\"{}\"", pattern.replace("{}", digits)))
        .collect()
}

/// The message for `text` parsed by `parse`, which must be an error.
fn error_of<T>(parse: impl Fn(&str) -> Result<T, zkcomply_verifier::FormatError>, text: &str) -> String {
    match parse(text) {
        Ok(_) => panic!("accepted a hostile document"),
        Err(e) => e.to_string(),
    }
}

/// Values of 10^5 characters of 1 to 4 UTF-8 bytes and a bidi override.
fn hundred_thousand_characters() -> [String; 4] {
    ["a".repeat(100_000), "é".repeat(100_000), "😀".repeat(100_000), "\u{202e}".repeat(100_000)]
}

#[test]
fn values_of_a_hundred_thousand_characters_are_refused_by_name() {
    // A withdrawal that holds one is over its size limit before any field
    // is read.
    let bundle: Value = serde_json::from_str(&fixture("bundle.json")).unwrap();
    for long in hundred_thousand_characters() {
        for field in ["exchange_id", "withdrawal_id", "source_address", "destination_address", "asset", "amount"] {
            let mut w = bundle["withdrawal"].clone();
            w[field] = json!(long);
            let error = error_of(Withdrawal::from_json, &w.to_string());
            assert!(error.contains("MAX_WITHDRAWAL_BYTES"), "{field}: {error}");
        }
    }
    // A policy may be large enough to hold one: each field that gets one is
    // named, and the message does not echo it.
    let policy: Value = serde_json::from_str(&fixture("policy.json")).unwrap();
    for long in hundred_thousand_characters() {
        let cases: Vec<(&str, Value)> = vec![
            ("identity_sanctions_roots[0]", json!({ "identity_sanctions_roots": [long.clone()] })),
            ("issuers[0]", json!({ "issuers": [[long.clone(), "1"]] })),
            ("limits.", json!({ "limits": { long.clone(): ["0", "1", "2", "3"] } })),
            ("epoch_caps", json!({ "epoch_caps": { "ETH": long.clone() } })),
            ("required_disclosures[0]", json!({ "required_disclosures": [long.clone()] })),
            ("verifying_key_hash", json!({ "verifying_key_hash": long.clone() })),
            ("exchange_id", json!({ "exchange_id": long.clone() })),
        ];
        for (field, change) in cases {
            let mut p = policy.clone();
            for (k, v) in change.as_object().unwrap() {
                p[k] = v.clone();
            }
            let error = error_of(Policy::from_json, &p.to_string());
            assert!(error.contains(field), "{field}: {}", &error[..error.len().min(300)]);
            assert!(error.len() < 400, "{field}: the message echoes the value ({} bytes)", error.len());
        }
    }
    // A bundle's public inputs are checked by the verifier: the verdict
    // names the failing check and quotes the value shortened.
    let mut b = bundle.clone();
    b["public_inputs"][0] = json!("9".repeat(40) + "é" + &"9".repeat(20_000));
    let b = Bundle::from_json(&b.to_string()).unwrap();
    let policy = Policy::from_json(&fixture("policy.json")).unwrap();
    let key = zkcomply_verifier::VerifyingKeyFile::from_json(&fixture("verifying_key.json")).unwrap();
    let verdict = zkcomply_verifier::verify_bundle(&b, &policy, &key, b.withdrawal.now.0);
    assert_eq!(verdict.failed_check, Some(zkcomply_verifier::Check::PublicInputRange));
    let reason = verdict.reason.unwrap();
    assert!(reason.len() < 400, "the reason echoes the value ({} bytes)", reason.len());
}

#[test]
fn deep_nesting_is_refused_without_overflowing_the_stack() {
    let deep = |depth: usize| format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let valid: Value = serde_json::from_str(&fixture("bundle.json")).unwrap();
    for depth in [200, 10_000] {
        // As the whole document, and as a field's value.
        assert!(Withdrawal::from_json(&deep(depth)).is_err());
        assert!(Bundle::from_json(&deep(depth)).is_err());
        assert!(Policy::from_json(&deep(depth)).is_err());
        let text = valid.to_string().replacen("\"okx-main\"", &deep(depth), 1);
        let error = Bundle::from_json(&text).map(|_| ()).unwrap_err().to_string();
        assert!(error.contains("exchange_id"), "{error}");
        assert!(serde_json::from_str::<LogRecord>(&format!("{{\"version\":{}}}", deep(depth))).is_err());
    }
}
