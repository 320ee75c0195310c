//! Withdrawal.
