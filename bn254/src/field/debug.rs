//! `Debug` for the fields: `0x` followed by the canonical value as 64
//! lowercase hex digits, most significant first (as `pasta_curves` prints
//! its fields).
//!
//! `halo2_proofs`' MockProver describes a failing gate's cells by stripping
//! `0x` from this text, and halo2 hashes this text (through the verifying
//! key's pinned form) into every transcript, so the form is pinned by a
//! golden test.

/// Implements `Debug` for a field newtype with `to_repr` little-endian.
macro_rules! impl_debug_ {
    ($name:ident) => {
        impl ::core::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                let little_endian = <$name as ::ff::PrimeField>::to_repr(self);
                f.write_str("0x")?;
                for byte in little_endian.iter().rev() {
                    write!(f, "{byte:02x}")?;
                }
                Ok(())
            }
        }
    };
}

pub(crate) use impl_debug_ as impl_debug;
