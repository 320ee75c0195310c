//! Progress of the long steps of a ceremony (re-scaling a key's L and H
//! sections takes seconds on a real circuit), reported to whatever the
//! caller shows: the command line draws a bar, tests and libraries use
//! [`Silent`].

/// Receives progress from a long step. Called from several threads.
pub trait Progress: Sync {
    /// A step named `what` begins, with `total` units of work.
    fn begin(&self, what: &str, total: u64);
    /// `done` more units of the current step are finished.
    fn advance(&self, done: u64);
    /// The current step is finished.
    fn end(&self);
}

/// Reports nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl Progress for Silent {
    fn begin(&self, _what: &str, _total: u64) {}
    fn advance(&self, _done: u64) {}
    fn end(&self) {}
}
