//! circomlib's Poseidon parameters as field elements, one width at a time,
//! generated (by the Grain LFSR, `grain`) on first use and shared by every thread.

use std::sync::OnceLock;

use super::grain::{self, FULL_ROUNDS, PARTIAL_ROUNDS};
use crate::Fr;

/// Most inputs one Poseidon call takes (state width 13).
pub const MAX_INPUTS: usize = 12;

/// The parameters of one width.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parameters {
    /// State width `t` (inputs + 1).
    pub width: usize,
    /// Full rounds (half before, half after the partial rounds).
    pub full_rounds: usize,
    /// Partial rounds.
    pub partial_rounds: usize,
    /// Round constants, `width` per round.
    pub ark: Vec<Fr>,
    /// The MDS matrix, `mds[row][column]`.
    pub mds: Vec<Vec<Fr>>,
}

static PARAMETERS: [OnceLock<Option<Parameters>>; MAX_INPUTS] = [const { OnceLock::new() }; MAX_INPUTS];

/// The parameters for `inputs` inputs (1 to [`MAX_INPUTS`]), `None` otherwise.
pub fn for_inputs(inputs: usize) -> Option<&'static Parameters> {
    let index = inputs.checked_sub(1)?;
    PARAMETERS
        .get(index)?
        .get_or_init(|| {
            let width = inputs + 1;
            let (ark, mds) = grain::generate(width)?;
            Some(Parameters { width, full_rounds: FULL_ROUNDS, partial_rounds: PARTIAL_ROUNDS[width - 2], ark, mds })
        })
        .as_ref()
}
