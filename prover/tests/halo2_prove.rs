//! halo2 proving end to end: a proof of an honest withdrawal verifies
//! under the transparent key, and no edit of its public inputs or bytes,
//! nor a witness forced past a statement row, gives one that verifies.

#[path = "../../circuits/tests/support/withdrawal_fixture.rs"]
#[allow(dead_code)] // the satisfying cases are the circuit tests'
mod withdrawal_fixture;

use std::sync::OnceLock;
use std::time::Instant;

use withdrawal_fixture::{row_cases, Fixture};
use zkcomply_circuits::Fr;
use zkcomply_prover::halo2_prover::Halo2ProvingKey;
use zkcomply_verifier::backend::halo2::{PreparedVerifyingKey, Proof};

fn keys() -> &'static Halo2ProvingKey {
    static KEYS: OnceLock<Halo2ProvingKey> = OnceLock::new();
    KEYS.get_or_init(|| {
        let started = Instant::now();
        let key = PreparedVerifyingKey::generate().unwrap();
        eprintln!("parameters and verifying key: {:?}", started.elapsed());
        let started = Instant::now();
        let keys = Halo2ProvingKey::derive(&key).unwrap();
        eprintln!("proving key: {:?}", started.elapsed());
        keys
    })
}

#[test]
fn an_honest_proof_verifies_and_nothing_edited_does() {
    let f = Fixture::new();
    let witness = f.inputs().build().unwrap();
    let inputs = witness.public.to_field_elements();
    let started = Instant::now();
    let proof = keys().prove(witness).unwrap();
    eprintln!("prove: {:?}, {} bytes", started.elapsed(), proof.as_bytes().len());
    let key = keys().verifying_key();
    let started = Instant::now();
    assert!(key.verify(&proof, &inputs).unwrap());
    eprintln!("verify: {:?}", started.elapsed());

    for i in 0..inputs.len() {
        let mut edited = inputs;
        edited[i] += Fr::from(1u8);
        assert!(!key.verify(&proof, &edited).unwrap(), "public input {i} edited");
    }
    let bytes = proof.as_bytes();
    let mut appended = bytes.to_vec();
    appended.push(0);
    let truncated = &bytes[..bytes.len() - 1];
    let mut flipped = bytes.to_vec();
    flipped[bytes.len() / 2] ^= 1;
    for (what, edited) in [("appended", &appended[..]), ("truncated", truncated), ("flipped", &flipped[..])] {
        assert!(!key.verify(&Proof::from_bytes(edited).unwrap(), &inputs).unwrap(), "{what}");
    }
}

#[test]
fn witnesses_forced_past_a_row_give_no_verifying_proof() {
    let f = Fixture::new();
    // The MockProver tests cover every case row by row; here one case of
    // each way a witness can break a row: a custom gate (the signature), a
    // lookup (the tier's range) and a copy to a public input (the
    // nullifier).
    let rows = ["credential_signature", "min_tier", "nullifier"];
    let mut seen = std::collections::BTreeSet::new();
    for case in row_cases(&f).into_iter().filter(|c| rows.contains(&c.row) && seen.insert(c.row)) {
        let inputs = case.witness.public.to_field_elements();
        let verified = match keys().prove(case.witness) {
            Ok(proof) => keys().verifying_key().verify(&proof, &inputs).unwrap(),
            Err(_) => false,
        };
        assert!(!verified, "{}: a proof for a witness that breaks {} verified", case.name, case.row);
    }
}

/// Hostile transcripts: random bytes, truncations and byte edits of an
/// honest proof are refused (`Ok(false)`), never a panic.
#[test]
fn hostile_transcripts_are_refused_without_panicking() {
    use rand::{Rng, SeedableRng};
    let f = Fixture::new();
    let witness = f.inputs().build().unwrap();
    let inputs = witness.public.to_field_elements();
    let honest = keys().prove(witness).unwrap().as_bytes().to_vec();
    let key = keys().verifying_key();
    let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(3);
    for round in 0..60 {
        let mut bytes = honest.clone();
        match round % 4 {
            0 => bytes.iter_mut().for_each(|b| *b = rng.gen()),
            1 => bytes.truncate(rng.gen_range(1..honest.len())),
            2 => {
                let at = rng.gen_range(0..bytes.len());
                bytes[at] = rng.gen();
                if bytes == honest {
                    continue;
                }
            }
            _ => bytes.extend((0..rng.gen_range(1..64)).map(|_| rng.gen::<u8>())),
        }
        let proof = Proof::from_bytes(&bytes).unwrap();
        let verified = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| key.verify(&proof, &inputs).unwrap()));
        assert_eq!(verified.ok(), Some(false), "round {round}: a hostile transcript was not refused cleanly");
    }
}
