//! Helpers shared by the golden-file tests.

pub mod golden;
