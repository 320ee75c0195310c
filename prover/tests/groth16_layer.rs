//! The Groth16 layer: our verifier types against ark-groth16's, public
//! input count and binding, re-randomised proofs, and hostile bytes in
//! proofs and keys.

use std::sync::OnceLock;

use ark_bn254::{Bn254, Fq, Fq2, Fr, G1Affine, G2Affine};
use ark_ec::AffineRepr;
use ark_ff::{Field, UniformRand};
use ark_groth16::Groth16;
use ark_serialize::CanonicalSerialize;
use ark_snark::SNARK;
use rand::SeedableRng;
use zkcomply_circuits::withdrawal::constraints::WithdrawalCircuit;
use zkcomply_prover::setup::{to_verifier_key, KeysDir};
use zkcomply_prover::witness::ProofRequest;
use zkcomply_verifier::backend::groth16::{Groth16Error, PreparedVerifyingKey, Proof, VerifyingKey};

mod support {
    pub mod demo_run;
}

use support::demo_run::{demo_run, DemoRun};

struct Fixture {
    _dir: tempfile::TempDir,
    keys: KeysDir,
    inputs: Vec<Fr>,
    proof: ark_groth16::Proof<Bn254>,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let DemoRun { _dir: dir, request, keys } = demo_run();
        let witness = request.witness().unwrap();
        let inputs = witness.public.to_field_elements().to_vec();
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(1);
        let proof =
            Groth16::<Bn254>::prove(keys.groth16_proving_key().unwrap(), WithdrawalCircuit { witness }, &mut rng)
                .unwrap();
        Fixture { _dir: dir, keys, inputs, proof }
    })
}

/// The fixture's verifying key, as the Groth16 backend's type.
fn groth16_key(f: &Fixture) -> &PreparedVerifyingKey {
    f.keys.verifying_key.prepared.as_groth16().expect("the demo's key is a Groth16 key")
}

fn ours(p: &ark_groth16::Proof<Bn254>) -> Proof {
    Proof { a: p.a, b: p.b, c: p.c }
}

fn proof_bytes(p: &ark_groth16::Proof<Bn254>) -> Vec<u8> {
    let mut b = Vec::new();
    p.serialize_compressed(&mut b).unwrap();
    b
}

#[test]
fn our_types_decode_ark_groth16_bytes_and_agree_on_verification() {
    let f = fixture();
    let mut ark_vk = Vec::new();
    f.keys.groth16_proving_key().unwrap().vk.serialize_compressed(&mut ark_vk).unwrap();
    let vk = VerifyingKey::from_bytes(&ark_vk).unwrap();
    assert_eq!(vk, to_verifier_key(&f.keys.groth16_proving_key().unwrap().vk));
    assert_eq!(vk.to_bytes(), ark_vk, "encode(decode(b)) == b");
    let bytes = proof_bytes(&f.proof);
    assert_eq!(bytes.len(), 128);
    let p = Proof::from_bytes(&bytes).unwrap();
    assert_eq!(p.to_bytes(), bytes);
    assert_eq!(Proof::from_bytes(&p.to_bytes()).unwrap(), p, "decode(encode(x)) == x");
    assert!(groth16_key(f).verify(&p, &f.inputs).unwrap());
    assert!(Groth16::<Bn254>::verify(&f.keys.groth16_proving_key().unwrap().vk, &f.inputs, &f.proof).unwrap());
}

#[test]
fn the_public_input_count_is_checked_both_ways() {
    let f = fixture();
    let p = ours(&f.proof);
    let mut more = f.inputs.clone();
    more.push(Fr::from(0u8));
    assert_eq!(groth16_key(f).verify(&p, &more), Err(Groth16Error::InputCount { expected: 6, found: 7 }));
    assert_eq!(groth16_key(f).verify(&p, &f.inputs[..5]), Err(Groth16Error::InputCount { expected: 6, found: 5 }));
}

#[test]
fn every_public_input_changed_by_one_fails() {
    let f = fixture();
    let p = ours(&f.proof);
    for i in 0..f.inputs.len() {
        let mut changed = f.inputs.clone();
        changed[i] += Fr::from(1u8);
        assert!(!groth16_key(f).verify(&p, &changed).unwrap(), "input {i} is not bound");
    }
}

#[test]
fn a_rerandomised_proof_verifies_with_other_bytes() {
    let f = fixture();
    let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(2);
    let pvk = ark_groth16::prepare_verifying_key(&f.keys.groth16_proving_key().unwrap().vk);
    let rerandomised = Groth16::<Bn254>::rerandomize_proof(&pvk.vk, &f.proof, &mut rng);
    assert_ne!(proof_bytes(&rerandomised), proof_bytes(&f.proof));
    assert!(groth16_key(f).verify(&ours(&rerandomised), &f.inputs).unwrap());
}

#[test]
fn hostile_proof_bytes_are_rejected() {
    let f = fixture();
    let good = proof_bytes(&f.proof);
    // Truncated, trailing, empty.
    assert!(Proof::from_bytes(&good[..127]).is_err());
    let mut long = good.clone();
    long.push(0);
    assert!(Proof::from_bytes(&long).is_err());
    assert!(Proof::from_bytes(&[]).is_err());
    // The point at infinity in A, B, C.
    for which in 0..3 {
        let mut p = f.proof.clone();
        match which {
            0 => p.a = G1Affine::zero(),
            1 => p.b = G2Affine::zero(),
            _ => p.c = G1Affine::zero(),
        }
        let err = Proof::from_bytes(&proof_bytes(&p)).unwrap_err();
        assert!(err.to_string().contains("infinity"), "{err}");
    }
    // An x coordinate with no point on the curve (A), and field bytes >= the modulus.
    let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(3);
    let off_curve_x = loop {
        let x = Fq::rand(&mut rng);
        if (x * x * x + Fq::from(3u8)).sqrt().is_none() {
            break x;
        }
    };
    let mut bad = good.clone();
    let mut xb = Vec::new();
    off_curve_x.serialize_compressed(&mut xb).unwrap();
    bad[..32].copy_from_slice(&xb);
    assert!(Proof::from_bytes(&bad).is_err(), "A not on the curve");
    let mut big = good.clone();
    big[..31].fill(0xff);
    big[31] = 0x3f; // leave the flag bits clear: the value is >= the modulus
    assert!(Proof::from_bytes(&big).is_err(), "x >= modulus");
    let mut flags = good.clone();
    flags[31] |= 0xc0; // both flag bits set: invalid
    assert!(Proof::from_bytes(&flags).is_err(), "bad flag bits");
    // A G2 point on the curve but outside the prime-order subgroup.
    let b_off_subgroup = loop {
        let x = Fq2::rand(&mut rng);
        let rhs = x * x * x + <ark_bn254::g2::Config as ark_ec::short_weierstrass::SWCurveConfig>::COEFF_B;
        if let Some(y) = rhs.sqrt() {
            let p = G2Affine::new_unchecked(x, y);
            if p.is_on_curve() && !p.is_in_correct_subgroup_assuming_on_curve() {
                break p;
            }
        }
    };
    let mut p = f.proof.clone();
    p.b = b_off_subgroup;
    assert!(Proof::from_bytes(&proof_bytes(&p)).is_err(), "B outside the subgroup");
}

#[test]
fn hostile_verifying_keys_are_rejected() {
    let f = fixture();
    let mut vk = f.keys.groth16_proving_key().unwrap().vk.clone();
    vk.alpha_g1 = G1Affine::zero();
    let mut b = Vec::new();
    vk.serialize_compressed(&mut b).unwrap();
    assert!(VerifyingKey::from_bytes(&b).is_err());
    let mut good = Vec::new();
    f.keys.groth16_proving_key().unwrap().vk.serialize_compressed(&mut good).unwrap();
    assert!(VerifyingKey::from_bytes(&good[..good.len() - 1]).is_err());
    let mut long = good.clone();
    long.extend_from_slice(&[0, 0]);
    assert!(VerifyingKey::from_bytes(&long).is_err());
}

#[test]
fn a_forced_witness_yields_no_accepted_proof() {
    // The credential's tier edited after signing, slipped past the native
    // checks: Groth16 may still run, but the proof
    // it makes does not verify, and prove_bundle would refuse to hand it out.
    // (The sanctioned-key case is covered row by row in the circuit tests.)
    let f = fixture();
    let request = ProofRequest::load_dir(f._dir.path()).unwrap();
    let mut forced = request.witness().unwrap();
    forced.credential.kyc_tier = Fr::from(3u8);
    let inputs = forced.public.to_field_elements();
    // Debug builds of ark-groth16 assert satisfiability (a panic: no proof);
    // release builds make a proof that must not verify.
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        zkcomply_prover::prove::prove_witness_unchecked(&f.keys, forced)
    }));
    if let Ok(Ok(proof)) = outcome {
        assert!(!groth16_key(f).verify(proof.as_groth16().unwrap(), &inputs).unwrap());
    }
}

#[test]
fn batch_verification_agrees_with_one_by_one_and_pinpoints_false_proofs() {
    let f = fixture();
    let pvk = ark_groth16::prepare_verifying_key(&f.keys.groth16_proving_key().unwrap().vk);
    let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(5);
    // Distinct valid proofs: re-randomisations of one proof.
    let mut batch: Vec<(Proof, Vec<Fr>)> = (0..7)
        .map(|_| (ours(&Groth16::<Bn254>::rerandomize_proof(&pvk.vk, &f.proof, &mut rng)), f.inputs.clone()))
        .collect();
    let mut os = rand::rngs::OsRng;
    let prepared = &groth16_key(f);
    assert_eq!(prepared.verify_batch(&batch, &mut os).unwrap(), vec![true; 7]);
    assert_eq!(prepared.verify_batch(&[], &mut os).unwrap(), Vec::<bool>::new());
    // Two false proofs: an edited input (2), and proof 6's C put into 5.
    batch[2].1[1] += Fr::from(1u8);
    batch[5].0.c = batch[6].0.c;
    let expected: Vec<bool> = batch.iter().map(|(p, i)| prepared.verify(p, i).unwrap()).collect();
    assert_eq!(expected, vec![true, true, false, true, true, false, true]);
    assert_eq!(prepared.verify_batch(&batch, &mut os).unwrap(), expected);
    // A wrong input count anywhere is an error before any pairing.
    batch[3].1.pop();
    assert!(prepared.verify_batch(&batch, &mut os).is_err());
}
