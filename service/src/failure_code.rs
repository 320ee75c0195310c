//! Why a job failed, as stored and as the API reports it in
//! `error.code`: one variant per kind of failure, chosen by matching the
//! prover's error variants.

use zkcomply_prover::ProverError;

/// The kind of a job's failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureCode {
    /// The stored request no longer parses (a request accepted by an older
    /// version, say).
    Invalid,
    /// No proof can exist for the request: the statement or the policy
    /// refuses it.
    Refused,
    /// The service failed (keys, trees, the prover itself).
    Internal,
    /// The workers proving it stopped `max_attempts` times.
    Lost,
}

impl FailureCode {
    /// Every code.
    pub const ALL: [FailureCode; 4] = [Self::Invalid, Self::Refused, Self::Internal, Self::Lost];

    /// The stored and reported name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Invalid => "invalid",
            Self::Refused => "refused",
            Self::Internal => "internal",
            Self::Lost => "lost",
        }
    }

    /// The code named `name`, if any.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.name() == name)
    }

    /// The kind of failure a prover error is.
    pub fn of(error: &ProverError) -> Self {
        match error {
            ProverError::Format(_) => Self::Invalid,
            e if e.is_refusal() => Self::Refused,
            _ => Self::Internal,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for code in FailureCode::ALL {
            assert_eq!(FailureCode::from_name(code.name()), Some(code));
        }
        assert_eq!(FailureCode::from_name("other"), None);
    }
}
