//! How [`Fr`](crate::Fr) and [`Fq`](crate::Fq) are built: each is a newtype
//! over ark-bn254's field of the same name (ark-ff's Montgomery arithmetic,
//! in assembly on x86-64 with BMI2 and ADX), given the traits
//! `halo2_proofs` 0.4 asks of a field by the macros of this module.
//!
//! [`define_prime_field!`] declares the newtype and invokes the others:
//!
//! * `operators`: `+`, `-`, `*` (by value and by reference), the assigning
//!   forms, negation, `Sum` and `Product`;
//! * `comparison`: equality (also in constant time), conditional selection
//!   and the order of the canonical integers;
//! * `ff_traits`: `ff`'s `Field`, `PrimeField`, `PrimeFieldBits`,
//!   `FromUniformBytes<64>`, `WithSmallOrderMulGroup<3>`, and
//!   `pasta_curves`' `VartimeField`;
//! * `debug`: `0x` and 64 lowercase hex digits, the form `halo2_proofs`'
//!   MockProver parses.
//!
//! The canonical byte form (`PrimeField::Repr`) is 32 bytes, little-endian.

mod comparison;
mod debug;
mod ff_traits;
mod operators;

pub(crate) use comparison::impl_comparison;
pub(crate) use debug::impl_debug;
pub(crate) use ff_traits::impl_ff_traits;
pub(crate) use operators::impl_operators;

/// `modulus - 2`, the exponent of inversion by Fermat's little theorem.
pub(crate) const fn modulus_minus_two(modulus: ark_ff::BigInt<4>) -> [u64; 4] {
    let limbs = modulus.0;
    // Both moduli are odd with a lowest limb far above 2: no borrow.
    assert!(limbs[0] >= 2);
    [limbs[0] - 2, limbs[1], limbs[2], limbs[3]]
}

/// Declares `$name` as a newtype over the ark-ff field `$ark` and gives it
/// every trait of the module documentation.
///
/// `$square_root` is a function `fn(&$name) -> subtle::CtOption<$name>` (a
/// square root of a square, `None` otherwise); the remaining arguments are
/// `PrimeField`'s constants and `WithSmallOrderMulGroup<3>`'s `ZETA`, each as
/// a decimal string of the canonical integer (`MODULUS` as `ff` wants it:
/// `0x` and lowercase hex).
macro_rules! define_prime_field_ {
    (
        $(#[$attribute:meta])*
        $name:ident over $ark:ty,
        modulus: $modulus_hex:literal,
        multiplicative_generator: $generator:literal,
        two_adicity: $two_adicity:literal,
        root_of_unity: $root_of_unity:literal,
        root_of_unity_inverse: $root_of_unity_inverse:literal,
        delta: $delta:literal,
        two_inverse: $two_inverse:literal,
        zeta: $zeta:literal,
        square_root: $square_root:path $(,)?
    ) => {
        $(#[$attribute])*
        #[derive(Clone, Copy)]
        pub struct $name(pub(crate) $ark);

        $crate::field::impl_operators!($name);
        $crate::field::impl_comparison!($name);
        $crate::field::impl_debug!($name);
        $crate::field::impl_ff_traits!(
            $name over $ark,
            modulus: $modulus_hex,
            multiplicative_generator: $generator,
            two_adicity: $two_adicity,
            root_of_unity: $root_of_unity,
            root_of_unity_inverse: $root_of_unity_inverse,
            delta: $delta,
            two_inverse: $two_inverse,
            zeta: $zeta,
            square_root: $square_root,
        );
    };
}

pub(crate) use define_prime_field_ as define_prime_field;
