//! An arkworks constraint system as circom files: its matrices as an
//! [`R1csFile`], its full assignment as a [`WtnsFile`].
//!
//! arkworks numbers variables as circom numbers wires: the constant one,
//! the public inputs, then the private witness. The R1CS has no public
//! outputs (`n_pub_out = 0`), every public variable is an input
//! (`n_pub_in = instance variables - 1`), and `n_prv_in = 0`: arkworks does
//! not tell the circuit's private inputs from its intermediate values, and
//! nothing in Groth16 depends on the split. Labels are the wire ids.

use ark_bn254::Fr;
use ark_ff::Zero;

use crate::r1cs_file::{LinearCombination, R1csConstraint, R1csFile};
use crate::wtns_file::WtnsFile;

/// Why matrices cannot be written as an `.r1cs`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExportError {
    /// There is no instance variable (the constant one).
    #[error("the constraint system has no instance variable (the constant one)")]
    NoOne,
    /// The wire count does not fit the format's u32.
    #[error("{0} wires do not fit an .r1cs (at most 2^32 - 1)")]
    TooManyWires(usize),
    /// A, B and C have different numbers of rows.
    #[error("the matrices have {a}, {b} and {c} rows, expected the same number")]
    RowCounts {
        /// Rows of A.
        a: usize,
        /// Rows of B.
        b: usize,
        /// Rows of C.
        c: usize,
    },
    /// A term names a variable beyond the system's.
    #[error("row {row} names variable {variable}, but there are {wires} variables")]
    Variable {
        /// The row.
        row: usize,
        /// The variable.
        variable: usize,
        /// The variable count.
        wires: usize,
    },
}

/// The `.r1cs` of a constraint system with `num_instance_variables` (the
/// one included) and `num_witness_variables`, and matrices `a`, `b`, `c`
/// of `(coefficient, variable)` rows as arkworks's `to_matrices` gives
/// them. Terms naming the same variable twice are summed and zero terms
/// dropped.
///
/// # Errors
///
/// [`ExportError`] if there is no instance variable, the wires do not fit a
/// u32, the matrices' row counts differ, or a term names a variable beyond
/// the system's.
pub fn r1cs_from_matrices(
    num_instance_variables: usize,
    num_witness_variables: usize,
    a: &[Vec<(Fr, usize)>],
    b: &[Vec<(Fr, usize)>],
    c: &[Vec<(Fr, usize)>],
) -> Result<R1csFile, ExportError> {
    if num_instance_variables == 0 {
        return Err(ExportError::NoOne);
    }
    let wires = num_instance_variables.saturating_add(num_witness_variables);
    let n_wires = u32::try_from(wires).map_err(|_| ExportError::TooManyWires(wires))?;
    // num_instance_variables <= wires <= u32::MAX.
    let n_public = (num_instance_variables - 1) as u32;
    if a.len() != b.len() || a.len() != c.len() {
        return Err(ExportError::RowCounts { a: a.len(), b: b.len(), c: c.len() });
    }
    let lc = |row: usize, terms: &[(Fr, usize)]| -> Result<LinearCombination, ExportError> {
        let mut sorted: Vec<(usize, Fr)> = Vec::with_capacity(terms.len());
        for &(value, variable) in terms {
            if variable >= wires {
                return Err(ExportError::Variable { row, variable, wires });
            }
            sorted.push((variable, value));
        }
        // Stable: rows arkworks already sorted keep their order.
        sorted.sort_by_key(|&(variable, _)| variable);
        let mut out: LinearCombination = Vec::with_capacity(sorted.len());
        for (variable, value) in sorted {
            // variable < wires <= u32::MAX.
            let wire = variable as u32;
            match out.last_mut() {
                Some((w, v)) if *w == wire => *v += value,
                _ => out.push((wire, value)),
            }
        }
        out.retain(|(_, v)| !v.is_zero());
        Ok(out)
    };
    let constraints = (0..a.len())
        .map(|row| Ok(R1csConstraint { a: lc(row, &a[row])?, b: lc(row, &b[row])?, c: lc(row, &c[row])? }))
        .collect::<Result<Vec<_>, ExportError>>()?;
    Ok(R1csFile {
        n_wires,
        n_pub_out: 0,
        n_pub_in: n_public,
        n_prv_in: 0,
        n_labels: u64::from(n_wires),
        constraints,
        wire_to_label: (0..u64::from(n_wires)).collect(),
    })
}

/// The `.wtns` of a full assignment (instance, the one first, then
/// witness).
#[must_use]
pub fn wtns_from_assignment(values: Vec<Fr>) -> WtnsFile {
    WtnsFile { values }
}
