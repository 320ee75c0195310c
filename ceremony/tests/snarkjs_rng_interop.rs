//! zkcomply's ChaCha, field and point sampling, `hashToG2`, beacon keys and
//! hash formatting against ffjavascript's and snarkjs's own functions, run
//! by node (`tests/snarkjs/rng.mjs`).
//!
//! Needs `npm ci --prefix benches/evm` (scripts/test.sh does it).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use ark_bn254::{Fr, G1Affine, G2Affine};
use ark_ec::{AffineRepr, CurveGroup};
use ark_ff::PrimeField;
use serde_json::{json, Value};
use zkcomply_ceremony::chacha::ChaCha;
use zkcomply_ceremony::snarkjs_rng::{beacon_rng, fr_from_rng, g1_from_rng, g2_from_rng, hash_to_g2};
use zkcomply_ceremony::transcript::format_hash;

fn node_modules() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../benches/evm/node_modules")
}

fn snarkjs(request: &Value) -> Value {
    assert!(
        node_modules().join("snarkjs/src/keypair.js").exists(),
        "snarkjs is not installed: run `npm ci --prefix benches/evm` (scripts/test.sh does)"
    );
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snarkjs/rng.mjs");
    let mut child = Command::new("node")
        .arg(script)
        .arg(node_modules())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node must be installed for the interop tests");
    child.stdin.take().expect("piped").write_all(request.to_string().as_bytes()).expect("write the request");
    let out = child.wait_with_output().expect("node runs");
    assert!(out.status.success(), "node: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("node prints JSON")
}

fn dec<F: PrimeField>(x: &F) -> Value {
    Value::String(x.into_bigint().to_string())
}

fn g1(p: &G1Affine) -> Value {
    let (x, y) = p.xy().expect("not the point at infinity");
    json!([dec(&x), dec(&y)])
}

fn g2(p: &G2Affine) -> Value {
    let (x, y) = p.xy().expect("not the point at infinity");
    json!([[dec(&x.c0), dec(&x.c1)], [dec(&y.c0), dec(&y.c1)]])
}

#[test]
fn randomness_matches_ffjavascript_and_snarkjs() {
    let seed = [0x0123_4567u32, 0x89ab_cdef, 3, 0xffff_ffff, 5, 6, 7, 0x8000_0000];
    let hashes: Vec<[u8; 64]> = (0u8..4)
        .map(|i| {
            let mut h = [0u8; 64];
            for (j, b) in h.iter_mut().enumerate() {
                *b = i.wrapping_mul(37).wrapping_add(u8::try_from(j).expect("below 64").wrapping_mul(11));
            }
            h
        })
        .collect();
    let beacons = [(vec![0x01u8], 10u8), (hex::decode("0102030405060708090a0b0c0d0e0f").expect("hex"), 12)];
    let request = json!({
        "seed": seed,
        "n_u32": 40,
        "n_u64": 5,
        "n_points": 6,
        "hashes": hashes.iter().map(hex::encode).collect::<Vec<_>>(),
        "beacons": beacons.iter().map(|(h, e)| json!({"hash": hex::encode(h), "iterations_exp": e})).collect::<Vec<_>>(),
        "format_hash": hex::encode(hashes[1]),
    });
    let answer = snarkjs(&request);

    // The raw stream, across block boundaries (16 words a block).
    let mut rng = ChaCha::new(seed);
    let u32s: Vec<Value> = (0..40).map(|_| json!(rng.next_u32())).collect();
    assert_eq!(answer["u32"], Value::Array(u32s), "nextU32");
    let u64s: Vec<Value> = (0..5).map(|_| Value::String(rng.next_u64().to_string())).collect();
    assert_eq!(answer["u64"], Value::Array(u64s), "nextU64");

    // Fr, G1 and G2 drawn in turn from one generator.
    let mut draws = ChaCha::new(seed);
    for i in 0..6 {
        assert_eq!(answer["fr"][i], dec(&fr_from_rng(&mut draws)), "Fr.fromRng #{i}");
        assert_eq!(answer["g1"][i], g1(&g1_from_rng(&mut draws)), "G1.fromRng #{i}");
        assert_eq!(answer["g2"][i], g2(&g2_from_rng(&mut draws)), "G2.fromRng #{i}");
    }

    for (i, h) in hashes.iter().enumerate() {
        assert_eq!(answer["hash_to_g2"][i], g2(&hash_to_g2(h)), "hashToG2 #{i}");
    }

    for (i, (hash, exp)) in beacons.iter().enumerate() {
        let mut rng = beacon_rng(hash, *exp).expect("in bounds");
        let secret: Fr = fr_from_rng(&mut rng);
        let g1_s = g1_from_rng(&mut rng);
        let g1_sx = (g1_s * secret).into_affine();
        let ours = json!({"secret": dec(&secret), "g1_s": g1(&g1_s), "g1_sx": g1(&g1_sx)});
        assert_eq!(answer["beacons"][i], ours, "beacon #{i}");
    }

    assert_eq!(answer["format_hash"], Value::String(format_hash(&hashes[1], Some("Contribution Hash: "))));
}
