//! Native Poseidon speed by width: `cargo run --release -p zkcomply-circuits --example poseidon_speed`.
use std::time::Instant;
use zkcomply_circuits::{poseidon, Fr};
fn main() {
    for n in [1usize, 2, 7, 8, 10, 12] {
        let inputs: Vec<Fr> = (0..n).map(|i| Fr::from(i as u64 + 1)).collect();
        let _ = poseidon::hash(&inputs);
        let k = 2000;
        let start = Instant::now();
        let mut acc = Fr::from(0u64);
        for _ in 0..k {
            acc += poseidon::hash(&inputs).unwrap_or_default();
        }
        println!("{n} inputs: {:.1} µs ({acc})", start.elapsed().as_secs_f64() * 1e6 / k as f64);
    }
}
