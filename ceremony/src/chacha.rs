//! ffjavascript's ChaCha random number generator, word for word.
//!
//! snarkjs derives every ceremony secret, every random point and the G2
//! point of each proof of knowledge from this generator, so a verifier must
//! reproduce its stream exactly. It is the ChaCha20 block function (twenty
//! rounds, the "expand 32-byte k" constants) keyed by eight 32-bit words,
//! with a 128-bit block counter in words 12 to 15 and no nonce, read one
//! 32-bit word at a time in block order. `next_u64` reads the HIGH word
//! first, unlike most ChaCha-based generators.
//!
//! The state is wiped when the generator is dropped: a contribution's
//! generator is seeded from its secret.

use zeroize::Zeroize;

/// The "expand 32-byte k" constants.
const SIGMA: [u32; 4] = [0x6170_7865, 0x3320_646E, 0x7962_2D32, 0x6B20_6574];

/// ffjavascript's `ChaCha`: seeded by eight words, read word by word.
pub struct ChaCha {
    /// Constants, key (the seed), and the 128-bit block counter.
    state: [u32; 16],
    /// The current output block.
    block: [u32; 16],
    /// The next word of `block` to return; 16 when a block must be made.
    idx: usize,
}

impl ChaCha {
    /// A generator keyed by `seed` (ffjavascript's `new ChaCha(seed)`).
    #[must_use]
    pub fn new(seed: [u32; 8]) -> Self {
        let mut state = [0u32; 16];
        state[..4].copy_from_slice(&SIGMA);
        state[4..12].copy_from_slice(&seed);
        Self { state, block: [0; 16], idx: 16 }
    }

    /// A generator keyed by the first 32 bytes of `bytes` read as eight
    /// big-endian words: how snarkjs seeds ChaCha from a hash
    /// (`getUint32(i*4)` on a `DataView`).
    #[must_use]
    pub fn from_be_bytes(bytes: &[u8; 32]) -> Self {
        let mut seed = [0u32; 8];
        for (word, chunk) in seed.iter_mut().zip(bytes.chunks_exact(4)) {
            *word = u32::from_be_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
        }
        let rng = Self::new(seed);
        seed.zeroize();
        rng
    }

    /// The next 32-bit word (`nextU32`).
    pub fn next_u32(&mut self) -> u32 {
        if self.idx == 16 {
            self.update();
        }
        let word = self.block[self.idx];
        self.idx += 1;
        word
    }

    /// The next 64-bit value (`nextU64`): the first word read is the high
    /// half.
    pub fn next_u64(&mut self) -> u64 {
        let high = u64::from(self.next_u32());
        let low = u64::from(self.next_u32());
        (high << 32) | low
    }

    /// The next boolean (`nextBool`): the low bit of the next word.
    pub fn next_bool(&mut self) -> bool {
        self.next_u32() & 1 == 1
    }

    /// Makes the next block and steps the counter (`update`).
    fn update(&mut self) {
        self.block = self.state;
        for _ in 0..10 {
            double_round(&mut self.block);
        }
        for (out, input) in self.block.iter_mut().zip(self.state.iter()) {
            *out = out.wrapping_add(*input);
        }
        self.idx = 0;
        // A 128-bit counter over words 12..16, least significant first.
        for word in &mut self.state[12..16] {
            *word = word.wrapping_add(1);
            if *word != 0 {
                break;
            }
        }
    }
}

impl Drop for ChaCha {
    fn drop(&mut self) {
        self.state.zeroize();
        self.block.zeroize();
    }
}

impl std::fmt::Debug for ChaCha {
    /// Never prints the state: it may be a contribution's secret.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ChaCha { .. }")
    }
}

/// The ChaCha quarter round on words `a`, `b`, `c`, `d` of `st`.
fn quarter_round(st: &mut [u32; 16], a: usize, b: usize, c: usize, d: usize) {
    st[a] = st[a].wrapping_add(st[b]);
    st[d] = (st[d] ^ st[a]).rotate_left(16);
    st[c] = st[c].wrapping_add(st[d]);
    st[b] = (st[b] ^ st[c]).rotate_left(12);
    st[a] = st[a].wrapping_add(st[b]);
    st[d] = (st[d] ^ st[a]).rotate_left(8);
    st[c] = st[c].wrapping_add(st[d]);
    st[b] = (st[b] ^ st[c]).rotate_left(7);
}

/// A column round then a diagonal round.
fn double_round(st: &mut [u32; 16]) {
    quarter_round(st, 0, 4, 8, 12);
    quarter_round(st, 1, 5, 9, 13);
    quarter_round(st, 2, 6, 10, 14);
    quarter_round(st, 3, 7, 11, 15);
    quarter_round(st, 0, 5, 10, 15);
    quarter_round(st, 1, 6, 11, 12);
    quarter_round(st, 2, 7, 8, 13);
    quarter_round(st, 3, 4, 9, 14);
}

#[cfg(test)]
mod tests {
    use super::ChaCha;

    /// With an all-zero seed the layout equals RFC 7539's block function
    /// with a zero key, nonce and counter: its appendix A.1 test vector #1.
    #[test]
    fn zero_key_first_block_is_rfc_vector_one() {
        let mut rng = ChaCha::new([0; 8]);
        let first: Vec<u32> = (0..4).map(|_| rng.next_u32()).collect();
        // Bytes 76 b8 e0 ad a0 f1 3d 90 40 5d 6a e5 53 86 bd 28 as LE words.
        assert_eq!(first, vec![0xade0_b876, 0x903d_f1a0, 0xe56a_5d40, 0x28bd_8653]);
    }

    #[test]
    fn next_u64_reads_the_high_word_first() {
        let mut a = ChaCha::new([1, 2, 3, 4, 5, 6, 7, 8]);
        let mut b = ChaCha::new([1, 2, 3, 4, 5, 6, 7, 8]);
        let high = u64::from(b.next_u32());
        let low = u64::from(b.next_u32());
        assert_eq!(a.next_u64(), (high << 32) | low);
    }

    #[test]
    fn the_counter_carries_into_the_next_word() {
        let mut rng = ChaCha::new([0; 8]);
        rng.state[12] = u32::MAX;
        for _ in 0..16 {
            rng.next_u32();
        }
        assert_eq!(&rng.state[12..16], &[0, 1, 0, 0]);
    }
}
