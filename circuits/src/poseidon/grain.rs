//! circomlib's Poseidon constants, regenerated rather than stored: the
//! Poseidon reference's Grain LFSR (`generate_parameters_grain.sage`, field
//! 1, S-box 0, n = 254 bits, 8 full rounds), which is how circomlib's
//! tables were made. Storing them would cost about 230 KB in every binary
//! (the WebAssembly package included); regenerating one width takes a few
//! milliseconds, once per process. The tests compare every constant with
//! `light-poseidon`'s circom tables.

use ark_ff::{BigInt, Field, PrimeField, Zero};

use crate::Fr;

/// Bits of a field element drawn by the generator (BN254's r has 254).
const FIELD_BITS: u32 = 254;
/// Full rounds, for every width.
pub const FULL_ROUNDS: usize = 8;
/// circomlib's partial rounds for widths 2 to 17, from the reference script.
pub const PARTIAL_ROUNDS: [usize; 16] = [56, 57, 56, 60, 60, 63, 64, 63, 60, 66, 60, 65, 70, 60, 64, 68];

/// The 80-bit Grain LFSR in self-shrinking mode.
struct Grain {
    /// Bit `i` is the reference's `bit_sequence[i]` (bit 0 is the oldest).
    state: u128,
    /// Output bits not yet used, oldest in bit 0.
    pending: u64,
    /// How many bits `pending` holds.
    pending_len: u32,
}

/// Bits clocked at once: bit `80 + j` depends on bits `j + {0, 13, 23, 38,
/// 51, 62}`, all already present for `j < 18`.
const CLOCK_BITS: u32 = 16;

/// Self-shrinking of one byte of clocked bits (four pairs, oldest in bit
/// 0): the kept bits (oldest in bit 0) and how many.
const SHRINK: [(u8, u8); 256] = {
    let mut table = [(0u8, 0u8); 256];
    let mut byte = 0;
    while byte < 256 {
        let (mut out, mut count) = (0u8, 0u8);
        let mut pair = 0;
        while pair < 4 {
            if (byte >> (2 * pair)) & 1 == 1 {
                out |= (((byte >> (2 * pair + 1)) & 1) as u8) << count;
                count += 1;
            }
            pair += 1;
        }
        table[byte] = (out, count);
        byte += 1;
    }
    table
};

impl Grain {
    fn new(width: usize, partial_rounds: usize) -> Self {
        // field (2 bits) = 1, S-box (4) = 0, n (12), t (12), R_F (10), R_P (10), thirty 1s.
        let fields: [(u64, u32); 6] = [
            (1, 2),
            (0, 4),
            (u64::from(FIELD_BITS), 12),
            (width as u64, 12),
            (FULL_ROUNDS as u64, 10),
            (partial_rounds as u64, 10),
        ];
        let mut bits: Vec<bool> = Vec::with_capacity(80);
        for (value, len) in fields {
            bits.extend((0..len).rev().map(|i| (value >> i) & 1 == 1));
        }
        bits.extend(std::iter::repeat_n(true, 30));
        let state = bits.iter().enumerate().fold(0u128, |acc, (i, b)| acc | (u128::from(*b) << i));
        let mut grain = Self { state, pending: 0, pending_len: 0 };
        for _ in 0..160 / CLOCK_BITS {
            grain.clock();
        }
        grain
    }

    /// The next `CLOCK_BITS` LFSR bits, the first in bit 0.
    fn clock(&mut self) -> u128 {
        let s = self.state;
        let new = (s ^ (s >> 13) ^ (s >> 23) ^ (s >> 38) ^ (s >> 51) ^ (s >> 62)) & ((1 << CLOCK_BITS) - 1);
        self.state = (s >> CLOCK_BITS) | (new << (80 - CLOCK_BITS));
        new
    }

    /// Tops up `pending` with output bits: of each pair of clocked bits,
    /// the second when the first is 1 (the pairs stay aligned: 160 and
    /// `CLOCK_BITS` are even).
    fn refill(&mut self) {
        while self.pending_len <= 64 - CLOCK_BITS / 2 {
            let bits = self.clock();
            for byte in [bits as u8, (bits >> 8) as u8] {
                let (out, count) = SHRINK[byte as usize];
                self.pending |= u64::from(out) << self.pending_len;
                self.pending_len += u32::from(count);
            }
        }
    }

    /// `FIELD_BITS` output bits, most significant first.
    fn next_bits(&mut self) -> BigInt<4> {
        let mut limbs = [0u64; 4];
        let mut remaining = FIELD_BITS;
        while remaining > 0 {
            self.refill();
            let take = self.pending_len.min(remaining).min(32);
            // The oldest bit is the most significant of the chunk.
            let chunk = (self.pending & ((1u64 << take) - 1)).reverse_bits() >> (64 - take);
            self.pending >>= take;
            self.pending_len -= take;
            remaining -= take;
            let (limb, shift) = ((remaining / 64) as usize, remaining % 64);
            limbs[limb] |= chunk << shift;
            if shift + take > 64 {
                limbs[limb + 1] |= chunk >> (64 - shift);
            }
        }
        BigInt(limbs)
    }

    /// A round constant: bits redrawn until below r.
    fn next_constant(&mut self) -> Fr {
        loop {
            if let Some(x) = Fr::from_bigint(self.next_bits()) {
                return x;
            }
        }
    }

    /// A matrix seed element: bits reduced mod r, as the reference's
    /// `F(grain_random_bits(n))` does (generator output, never input).
    fn next_reduced(&mut self) -> Fr {
        let bits = self.next_bits();
        let mut bytes = Vec::with_capacity(32);
        for limb in bits.0 {
            bytes.extend_from_slice(&limb.to_le_bytes());
        }
        Fr::from_le_bytes_mod_order(&bytes)
    }
}

/// The round constants (`width` per round) and MDS matrix of one width,
/// or `None` for a width circomlib does not define here (2 to 13).
pub fn generate(width: usize) -> Option<(Vec<Fr>, Vec<Vec<Fr>>)> {
    if !(2..=13).contains(&width) {
        return None;
    }
    let partial_rounds = PARTIAL_ROUNDS[width - 2];
    let mut grain = Grain::new(width, partial_rounds);
    let ark: Vec<Fr> = (0..(FULL_ROUNDS + partial_rounds) * width).map(|_| grain.next_constant()).collect();
    // A Cauchy matrix 1 / (x_i + y_j) from 2t distinct draws, redrawn if
    // any x_i + y_j is zero (the reference's `create_mds_p`).
    loop {
        let mut draws: Vec<Fr> = (0..2 * width).map(|_| grain.next_reduced()).collect();
        while (1..draws.len()).any(|i| draws[..i].contains(&draws[i])) {
            draws = (0..2 * width).map(|_| grain.next_reduced()).collect();
        }
        let (xs, ys) = draws.split_at(width);
        let mds: Option<Vec<Vec<Fr>>> =
            xs.iter().map(|x| ys.iter().map(|y| (*x + y).inverse().filter(|v| !v.is_zero())).collect()).collect();
        if let Some(mds) = mds {
            return Some((ark, mds));
        }
    }
}
