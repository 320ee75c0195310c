//! `PtauFile::new` (a snarkjs `.ptau`, read by offset) on any bytes, then
//! what `ceremony init` reads from it: the power check and every section's
//! points, each checked on the curve and in its subgroup.
#![no_main]

use std::io::Cursor;

use libfuzzer_sys::fuzz_target;
use zkcomply_ceremony::ptau::{section, PtauFile};

fuzz_target!(|data: &[u8]| {
    let Ok(mut file) = PtauFile::new(Cursor::new(data)) else { return };
    let power = file.header().power;
    let _ = file.check_power(power.min(4));
    let n = 1u64 << power.min(4);
    let _ = file.read_g1(section::TAU_G1, 0, 2 * n - 1);
    let _ = file.read_g2(section::TAU_G2, 0, n);
    let _ = file.read_g1(section::ALPHA_TAU_G1, 0, n);
    let _ = file.read_g1(section::BETA_TAU_G1, 0, n);
    let _ = file.read_g2(section::BETA_G2, 0, 1);
    if file.is_prepared() {
        let _ = file.lagrange_g1(section::LAGRANGE_TAU_G1, n);
        let _ = file.lagrange_g2(n);
    }
});
