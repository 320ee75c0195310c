//! One-off cost of Poseidon's constants and sparse schedule, per width:
//! `cargo run --release -p zkcomply-circuits --example poseidon_setup`.
use std::time::Instant;
use zkcomply_circuits::poseidon::{parameters_for, Schedule};
fn main() {
    for t in [3usize, 8, 9, 11, 13] {
        let start = Instant::now();
        let p = parameters_for(t - 1).expect("width");
        let g = start.elapsed().as_secs_f64() * 1e3;
        let start = Instant::now();
        let _ = Schedule::new(p);
        println!("width {t:>2}: constants {g:.2} ms, schedule {:.2} ms", start.elapsed().as_secs_f64() * 1e3);
    }
}
