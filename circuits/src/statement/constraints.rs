//! The statement in constraints: [`StatementVar`], allocated from a
//! [`StatementFields`] in [`StatementFields::to_fields`] order, and
//! `statement_hash` over it.

use std::borrow::Borrow;

use ark_r1cs_std::alloc::{AllocVar, AllocationMode};
use ark_r1cs_std::fields::fp::FpVar;
use ark_relations::gr1cs::{Namespace, SynthesisError};

use super::{StatementFields, STATEMENT_FIELD_COUNT};
use crate::babyjubjub::constraints::PointVar;
use crate::poseidon::constraints::hash;
use crate::Fr;

/// The statement's elements as circuit variables.
pub type StatementVar = StatementFields<FpVar<Fr>>;

impl AllocVar<StatementFields, Fr> for StatementVar {
    /// Allocates the elements one by one in [`StatementFields::to_fields`]
    /// order (no constraints).
    fn new_variable<T: Borrow<StatementFields>>(
        cs: impl Into<Namespace<Fr>>,
        f: impl FnOnce() -> Result<T, SynthesisError>,
        mode: AllocationMode,
    ) -> Result<Self, SynthesisError> {
        let cs = cs.into().cs();
        let values = f()?.borrow().to_fields();
        let mut vars = Vec::with_capacity(STATEMENT_FIELD_COUNT);
        for value in values {
            vars.push(FpVar::new_variable(cs.clone(), || Ok(value), mode)?);
        }
        let vars: [FpVar<Fr>; STATEMENT_FIELD_COUNT] = vars.try_into().expect("one variable per element of to_fields");
        Ok(Self::from_fields(vars))
    }
}

impl StatementVar {
    /// The issuer's key as a point (no constraints).
    pub fn issuer(&self) -> PointVar {
        PointVar { x: self.issuer_x.clone(), y: self.issuer_y.clone() }
    }

    /// `statement_hash`, as [`StatementFields::hash`] computes it natively.
    ///
    /// # Errors
    /// Constraint-system errors.
    pub fn hash(&self) -> Result<FpVar<Fr>, SynthesisError> {
        let (head, blocked) = self.hash_parts();
        hash(&[hash(&head)?, hash(&blocked)?])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::babyjubjub::Point;
    use crate::statement::StatementValues;
    use ark_r1cs_std::GR1CSVar;
    use ark_relations::gr1cs::ConstraintSystem;

    #[test]
    fn allocation_and_hash_agree_with_native() {
        let values = StatementValues {
            issuer: Point::base8(),
            min_tier: 1,
            limits: [5, 6, 7, 8],
            identity_root: Fr::from(20u8),
            address_root: Fr::from(21u8),
            revocation_root: Fr::from(22u8),
            blocked_jurisdictions: [1, 2, 3, 4, 5, 6, 7, 8],
        };
        let cs = ConstraintSystem::<Fr>::new_ref();
        let var = StatementVar::new_witness(cs.clone(), || Ok(values.fields())).unwrap();
        assert_eq!(cs.num_witness_variables(), STATEMENT_FIELD_COUNT);
        assert_eq!(cs.num_constraints(), 0);
        let allocated = StatementFields::from_fields(var.to_fields().map(|v| v.value().unwrap()));
        assert_eq!(allocated, values.fields());
        assert_eq!(var.issuer().value().unwrap(), values.issuer);
        assert_eq!(var.hash().unwrap().value().unwrap(), values.hash());
        assert!(cs.is_satisfied().unwrap());
    }
}
