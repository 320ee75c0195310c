//! Every parser against hostile input: random bytes, truncations and
//! one-byte mutations of valid documents never panic, and what parses
//! round-trips (`encode(decode(b)) == b`). A seeded, in-suite stand-in for
//! a fuzz target per parser.

use std::path::Path;

use rand::{Rng, SeedableRng};
use zkcomply_verifier::backend::groth16::{Proof, VerifyingKey};
use zkcomply_verifier::limits::{
    SizeLimit, MAX_BUNDLE_BYTES, MAX_CREDENTIAL_BYTES, MAX_GROTH16_VERIFYING_KEY_BYTES, MAX_POLICY_BYTES,
    MAX_VERIFYING_KEY_BYTES, MAX_WITHDRAWAL_BYTES,
};
use zkcomply_verifier::{Bundle, Credential, FormatError, Policy, VerifyingKeyFile, Withdrawal};

fn fixture(name: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)).unwrap()
}

fn mutations(valid: &str, rng: &mut impl Rng, n: usize) -> Vec<String> {
    let bytes = valid.as_bytes();
    let mut out = Vec::new();
    for cut in (0..bytes.len()).step_by((bytes.len() / 64).max(1)) {
        out.push(String::from_utf8_lossy(&bytes[..cut]).to_string());
    }
    let alphabet = b"0123456789\"{}[],:-.eE+ abcxyzn";
    for _ in 0..n {
        let mut b = bytes.to_vec();
        let i = rng.gen_range(0..b.len());
        b[i] = alphabet[rng.gen_range(0..alphabet.len())];
        out.push(String::from_utf8_lossy(&b).to_string());
    }
    for _ in 0..50 {
        let len = rng.gen_range(0..300);
        out.push((0..len).map(|_| rng.gen::<u8>() as char).collect());
    }
    out
}

fn same_json(a: &str, b: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(a).unwrap() == serde_json::from_str::<serde_json::Value>(b).unwrap()
}

#[test]
fn bundle_parser() {
    let valid = fixture("bundle.json");
    let b = Bundle::from_json(&valid).unwrap();
    assert!(same_json(&b.to_json(), &valid), "round trip");
    let mut rng = rand::rngs::StdRng::seed_from_u64(11);
    for m in mutations(&valid, &mut rng, 600) {
        if let Ok(b) = Bundle::from_json(&m) {
            assert_eq!(Bundle::from_json(&b.to_json()).unwrap(), b);
        }
    }
}

#[test]
fn policy_parser() {
    let valid = fixture("policy.json");
    let p = Policy::from_json(&valid).unwrap();
    assert!(same_json(&serde_json::to_string(&p).unwrap(), &valid), "round trip");
    let mut rng = rand::rngs::StdRng::seed_from_u64(12);
    for m in mutations(&valid, &mut rng, 600) {
        if let Ok(p) = Policy::from_json(&m) {
            assert_eq!(Policy::from_json(&serde_json::to_string(&p).unwrap()).unwrap(), p);
        }
    }
}

#[test]
fn withdrawal_and_credential_parsers() {
    let bundle: serde_json::Value = serde_json::from_str(&fixture("bundle.json")).unwrap();
    let valid = bundle["withdrawal"].to_string();
    let w = Withdrawal::from_json(&valid).unwrap();
    assert!(same_json(&serde_json::to_string(&w).unwrap(), &valid));
    let mut rng = rand::rngs::StdRng::seed_from_u64(13);
    for m in mutations(&valid, &mut rng, 400) {
        let _ = Withdrawal::from_json(&m);
        let _ = Credential::from_json(&m);
    }
    let credential = serde_json::json!({
        "version": "zkcomply/credential/v1",
        "issuer_public_key": bundle["public"]["issuer_public_key"],
        "holder": {"id_commitment": "5"},
        "attributes": {"kyc_tier": 2, "jurisdiction": 276, "identity_hash": "7", "expires_at": 1900000000, "nonce": "9"},
        "signature": {"r8": bundle["public"]["issuer_public_key"], "s": "1"}
    })
    .to_string();
    let c = Credential::from_json(&credential).unwrap();
    assert!(c.check().is_err(), "a made-up signature does not verify");
    for m in mutations(&credential, &mut rng, 400) {
        let _ = Credential::from_json(&m).map(|c| c.check());
    }
}

#[test]
fn verifying_key_and_proof_bytes() {
    let valid = fixture("verifying_key.json");
    let k = VerifyingKeyFile::from_json(&valid).unwrap();
    assert!(same_json(&k.to_json(), &valid));
    let mut rng = rand::rngs::StdRng::seed_from_u64(14);
    for m in mutations(&valid, &mut rng, 300) {
        let _ = VerifyingKeyFile::from_json(&m);
    }
    for _ in 0..300 {
        let len = if rng.gen_bool(0.5) { 128 } else { rng.gen_range(0..400) };
        let bytes: Vec<u8> = (0..len).map(|_| rng.gen()).collect();
        if let Ok(p) = Proof::from_bytes(&bytes) {
            assert_eq!(p.to_bytes(), bytes);
        }
        if let Ok(vk) = VerifyingKey::from_bytes(&bytes) {
            assert_eq!(vk.to_bytes(), bytes);
        }
    }
}

/// `text` followed by spaces up to `bytes` bytes: the same JSON document.
fn padded(text: &str, bytes: u64) -> String {
    let mut out = text.to_string();
    out.extend(std::iter::repeat_n(' ', bytes as usize - text.len()));
    out
}

#[test]
fn every_parser_refuses_a_document_over_its_size_limit_before_parsing_it() {
    let bundle = fixture("bundle.json");
    let withdrawal = serde_json::from_str::<serde_json::Value>(&bundle).unwrap()["withdrawal"].to_string();
    type Parse = fn(&str) -> Result<(), FormatError>;
    let cases: [(&str, SizeLimit, Parse); 5] = [
        (&bundle, MAX_BUNDLE_BYTES, |t| Bundle::from_json(t).map(drop)),
        (&fixture("policy.json"), MAX_POLICY_BYTES, |t| Policy::from_json(t).map(drop)),
        // A Groth16 key file is held to its own limit (a halo2 key carries
        // its parameters and is allowed MAX_VERIFYING_KEY_BYTES).
        (&fixture("verifying_key.json"), MAX_GROTH16_VERIFYING_KEY_BYTES, |t| VerifyingKeyFile::from_json(t).map(drop)),
        (&withdrawal, MAX_WITHDRAWAL_BYTES, |t| Withdrawal::from_json(t).map(drop)),
        // Not a credential, but refused for its size before anything else.
        (&withdrawal, MAX_CREDENTIAL_BYTES, |t| Credential::from_json(t).map(drop)),
    ];
    for (valid, limit, parse) in cases {
        // A valid document padded to the limit still parses (the credential
        // case fails as a credential, not for its size)...
        let at_limit = parse(&padded(valid, limit.bytes));
        assert!(!matches!(at_limit, Err(FormatError::TooLarge { .. })), "{}: {at_limit:?}", limit.name);
        // ...one byte more is refused by its size, naming the limit.
        let e = parse(&padded(valid, limit.bytes + 1)).unwrap_err();
        assert!(matches!(e, FormatError::TooLarge { limit: l, .. } if l == limit), "{e:?}");
        assert!(e.to_string().contains(limit.name), "{e}");
    }
    // Any key file over the limit of every backend is refused unparsed.
    let e = VerifyingKeyFile::from_json(&" ".repeat(MAX_VERIFYING_KEY_BYTES.bytes as usize + 1)).unwrap_err();
    assert!(matches!(e, FormatError::TooLarge { limit, .. } if limit == MAX_VERIFYING_KEY_BYTES), "{e:?}");
}

#[test]
fn a_multi_byte_character_where_a_long_value_is_cut_is_an_error_in_every_decimal_field() {
    // 39 ASCII characters, `é` across bytes 39 and 40, then more: the
    // shortened value in the message must stop before the `é`, not in it.
    let long = "1".repeat(39) + "é" + &"2".repeat(60);
    let mut bundle: serde_json::Value = serde_json::from_str(&fixture("bundle.json")).unwrap();
    bundle["withdrawal"]["amount"] = long.clone().into();
    bundle["public"]["nullifier"] = long.clone().into();
    let e = Bundle::from_json(&bundle.to_string()).unwrap_err().to_string();
    assert!(e.contains("withdrawal.amount") && e.contains(&format!("{}...(101 bytes)", "1".repeat(39))), "{e}");
    let mut bundle: serde_json::Value = serde_json::from_str(&fixture("bundle.json")).unwrap();
    bundle["public"]["limits"][2] = long.clone().into();
    assert!(Bundle::from_json(&bundle.to_string()).unwrap_err().to_string().contains("public.limits[2]"));
    let mut policy: serde_json::Value = serde_json::from_str(&fixture("policy.json")).unwrap();
    policy["identity_sanctions_roots"][0] = long.clone().into();
    assert!(Policy::from_json(&policy.to_string()).unwrap_err().to_string().contains("identity_sanctions_roots[0]"));
    // The holder's secret: named, never quoted.
    let credential = serde_json::json!({
        "version": "zkcomply/credential/v1",
        "issuer_public_key": ["1", "2"],
        "holder": {"id_commitment": "5", "secret": long},
        "attributes": {"kyc_tier": 2, "jurisdiction": 276, "identity_hash": "7", "expires_at": 1900000000, "nonce": "9"},
        "signature": {"r8": ["1", "2"], "s": "1"}
    });
    let e = Credential::from_json(&credential.to_string()).unwrap_err().to_string();
    assert!(e.contains("holder.secret") && !e.contains("111"), "{e}");
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    // serde_json's recursion limit (128) is on: nothing here may disable it.
    for open in ["[", "{\"a\":", "{\"version\":"] {
        // 1,000 levels (the limit is 128) within every size limit.
        let deep = open.repeat(1_000);
        assert!(Bundle::from_json(&deep).is_err());
        assert!(Policy::from_json(&deep).is_err());
        assert!(VerifyingKeyFile::from_json(&deep).is_err());
        assert!(Withdrawal::from_json(&deep).is_err());
        assert!(Credential::from_json(&deep).is_err());
        let line = zkcomply_verifier::LogLines::new(deep.as_bytes()).next().unwrap().unwrap();
        assert!(line.record().is_err());
    }
    let e = serde_json::from_str::<serde_json::Value>(&"[".repeat(100_000)).unwrap_err();
    assert!(e.to_string().contains("recursion limit exceeded"), "{e}");
}
