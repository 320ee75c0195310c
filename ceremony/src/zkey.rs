//! snarkjs's Groth16 `.zkey`: the proving key of a phase-2 ceremony and its
//! transcript.
//!
//! The file is an iden3 binary container (`zkey`, version 1) with ten
//! sections. Points are stored as snarkjs writes them: affine coordinates,
//! little-endian, in Montgomery form; the point at infinity as all zeros.
//!
//! | section | content |
//! |---|---|
//! | 1 | protocol: `1` (Groth16) |
//! | 2 | [`Groth16Header`] |
//! | 3 | IC: `n_public + 1` G1 points (`gamma_abc_g1` with gamma = 1) |
//! | 4 | coefficients of A and B (the R1CS, plus one row per public input) |
//! | 5 | A query: `n_vars` G1 points |
//! | 6 | B query in G1: `n_vars` points |
//! | 7 | B query in G2: `n_vars` points |
//! | 8 | C query (L): `n_vars - n_public - 1` G1 points, over delta |
//! | 9 | H query: `domain_size` G1 points, over delta (the odd coset points) |
//! | 10 | [`MpcParams`]: the circuit hash and the contributions |

use ark_bn254::{Fr, G1Affine, G2Affine};

/// Section 2: the Groth16 header. The field sizes and primes snarkjs also
/// stores there are those of BN254 for every key zkcomply reads or writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Groth16Header {
    /// Wires of the circuit, the constant one included.
    pub n_vars: u32,
    /// Public wires, not counting the constant one (outputs then inputs).
    pub n_public: u32,
    /// The evaluation domain's size (a power of two).
    pub domain_size: u32,
    /// `[alpha]_1`, from phase 1.
    pub alpha_g1: G1Affine,
    /// `[beta]_1`, from phase 1.
    pub beta_g1: G1Affine,
    /// `[beta]_2`, from phase 1.
    pub beta_g2: G2Affine,
    /// `[gamma]_2`: the generator in snarkjs keys.
    pub gamma_g2: G2Affine,
    /// `[delta]_1`, the product of every contribution's secret.
    pub delta_g1: G1Affine,
    /// `[delta]_2`.
    pub delta_g2: G2Affine,
}

/// Which matrix a coefficient of section 4 belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Matrix {
    /// A (`0` in the file).
    A,
    /// B (`1` in the file).
    B,
}

/// One entry of section 4: `matrix[constraint][signal] = value`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Coefficient {
    /// A or B.
    pub matrix: Matrix,
    /// The constraint's index (public-input rows follow the R1CS rows).
    pub constraint: u32,
    /// The wire's index.
    pub signal: u32,
    /// The coefficient. snarkjs stores it in Montgomery form multiplied by
    /// R once more ("R2"); this is the plain field element.
    pub value: Fr,
}

/// A contribution's proof of knowledge of its secret `x` (snarkjs's
/// `delta` public key): `g1_sx = x·g1_s`, and `g2_spx = x·g2_sp` where
/// `g2_sp` is hashed to G2 from the contribution's transcript.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeltaPublicKey {
    /// A random G1 point `s`.
    pub g1_s: G1Affine,
    /// `x·s`.
    pub g1_sx: G1Affine,
    /// `x·sp`, with `sp` the transcript hashed to G2.
    pub g2_spx: G2Affine,
}

/// How a contribution's secret was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContributionKind {
    /// Entropy kept by the participant (`type` 0).
    Secret,
    /// A public random beacon (`type` 1): the secret is derived from the
    /// beacon value by 2^`iterations_exp` rounds of SHA-256.
    Beacon {
        /// The beacon value (1 to 255 bytes).
        hash: Vec<u8>,
        /// log2 of the SHA-256 iterations (10 to 63).
        iterations_exp: u8,
    },
}

/// One phase-2 contribution, as section 10 records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contribution {
    /// `[delta]_1` after this contribution.
    pub delta_after: G1Affine,
    /// The proof of knowledge of the contribution's secret.
    pub delta: DeltaPublicKey,
    /// BLAKE2b-512 of the circuit hash, every earlier contribution's public
    /// key, and this one's `g1_s` and `g1_sx`.
    pub transcript: [u8; 64],
    /// Secret or beacon.
    pub kind: ContributionKind,
    /// The participant's name, if given (at most 255 bytes of UTF-8).
    pub name: Option<String>,
}

/// Section 10: the circuit hash and the contributions, oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MpcParams {
    /// snarkjs's circuit hash: BLAKE2b-512 over the initial key's points.
    pub cs_hash: [u8; 64],
    /// The contributions, oldest first.
    pub contributions: Vec<Contribution>,
}

/// A whole Groth16 `.zkey`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Zkey {
    /// Section 2.
    pub header: Groth16Header,
    /// Section 3.
    pub ic: Vec<G1Affine>,
    /// Section 4.
    pub coefficients: Vec<Coefficient>,
    /// Section 5.
    pub a: Vec<G1Affine>,
    /// Section 6.
    pub b_g1: Vec<G1Affine>,
    /// Section 7.
    pub b_g2: Vec<G2Affine>,
    /// Section 8.
    pub c: Vec<G1Affine>,
    /// Section 9.
    pub h: Vec<G1Affine>,
    /// Section 10.
    pub mpc: MpcParams,
}
