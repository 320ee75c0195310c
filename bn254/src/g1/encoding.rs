//! The 32-byte compressed encoding of G1 points (`group::GroupEncoding`),
//! the form halo2 writes points into proofs in.
//!
//! The format is arkworks' compressed BN254 G1 encoding:
//!
//! * bytes 0..32 hold `x` as a canonical little-endian integer (`x < q <
//!   2^254`, so the two top bits of byte 31 are free for flags);
//! * bit 7 of byte 31 (`0x80`) is set when `y` is the larger of the two
//!   square roots of `x^3 + 3`, that is `y > q - y` as integers;
//! * bit 6 of byte 31 (`0x40`) marks the identity, whose encoding is that
//!   bit alone (every other bit zero).
//!
//! Decoding accepts exactly the encodings [`GroupEncoding::to_bytes`]
//! produces and rejects everything else: both flags set, the identity flag
//! with any other bit set, `x >= q`, and an `x` for which `x^3 + 3` is not a
//! square (no point). Encoding and decoding run in variable time; they are
//! applied to public points (proofs, keys).

use ff::{Field, PrimeField};
use group::{CurveAffine, GroupEncoding};
use subtle::CtOption;

use super::{curve_constant_b, G1Affine, G1};
use crate::Fq;

/// Bit 7 of the last byte: `y` is the larger square root.
const LARGER_Y_FLAG: u8 = 0x80;
/// Bit 6 of the last byte: the identity.
const IDENTITY_FLAG: u8 = 0x40;

/// Whether `y` is the larger of `y` and `-y` as canonical integers.
fn is_larger_root(y: &Fq) -> bool {
    *y > -*y
}

impl G1Affine {
    /// Decodes the compressed encoding (module documentation); `None` for
    /// every byte string that is not the encoding of a point.
    fn decode_compressed(bytes: &[u8; 32]) -> Option<G1Affine> {
        let flags = bytes[31] & (LARGER_Y_FLAG | IDENTITY_FLAG);
        let mut x_bytes = *bytes;
        x_bytes[31] &= !(LARGER_Y_FLAG | IDENTITY_FLAG);
        match flags {
            IDENTITY_FLAG => x_bytes.iter().all(|byte| *byte == 0).then(G1Affine::identity),
            0 | LARGER_Y_FLAG => {
                let x = Option::<Fq>::from(Fq::from_repr(x_bytes.into_fq_repr()))?;
                let y = Option::<Fq>::from((x.square() * x + curve_constant_b()).sqrt())?;
                let y = if is_larger_root(&y) == (flags == LARGER_Y_FLAG) { y } else { -y };
                Some(G1Affine::from_xy_unchecked(x, y))
            }
            _ => None,
        }
    }

    /// The compressed encoding (module documentation).
    fn encode_compressed(&self) -> [u8; 32] {
        if bool::from(self.is_identity()) {
            let mut bytes = [0u8; 32];
            bytes[31] = IDENTITY_FLAG;
            return bytes;
        }
        let mut bytes = [0u8; 32];
        bytes.copy_from_slice(self.x().to_repr().as_ref());
        if is_larger_root(&self.y()) {
            bytes[31] |= LARGER_Y_FLAG;
        }
        bytes
    }
}

/// Converts 32 little-endian bytes into [`Fq`]'s `Repr`.
trait IntoFqRepr {
    fn into_fq_repr(self) -> <Fq as PrimeField>::Repr;
}

impl IntoFqRepr for [u8; 32] {
    fn into_fq_repr(self) -> <Fq as PrimeField>::Repr {
        let mut repr = <Fq as PrimeField>::Repr::default();
        repr.as_mut().copy_from_slice(&self);
        repr
    }
}

impl GroupEncoding for G1Affine {
    type Repr = [u8; 32];

    fn from_bytes(bytes: &Self::Repr) -> CtOption<Self> {
        match G1Affine::decode_compressed(bytes) {
            Some(point) => CtOption::new(point, 1.into()),
            None => CtOption::new(G1Affine::identity(), 0.into()),
        }
    }

    /// The same as [`GroupEncoding::from_bytes`]: decompressing finds `y`
    /// from the curve equation, so there is no check to skip.
    fn from_bytes_unchecked(bytes: &Self::Repr) -> CtOption<Self> {
        Self::from_bytes(bytes)
    }

    fn to_bytes(&self) -> Self::Repr {
        self.encode_compressed()
    }
}

impl GroupEncoding for G1 {
    type Repr = [u8; 32];

    fn from_bytes(bytes: &Self::Repr) -> CtOption<Self> {
        G1Affine::from_bytes(bytes).map(G1::from)
    }

    /// The same as [`GroupEncoding::from_bytes`] (see [`G1Affine`]'s).
    fn from_bytes_unchecked(bytes: &Self::Repr) -> CtOption<Self> {
        Self::from_bytes(bytes)
    }

    fn to_bytes(&self) -> Self::Repr {
        G1Affine::from(self).to_bytes()
    }
}
