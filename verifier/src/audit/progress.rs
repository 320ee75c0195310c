//! Work spread over every core in chunks, with a progress report after
//! each chunk.

use crate::parallel::map_all;

/// Records handled between two progress reports.
const PROGRESS_CHUNK: usize = 1024;

/// `map_all` chunk by chunk, reporting progress after each chunk.
pub(super) fn map_with_progress<T: Sync, U: Send>(
    items: &[T],
    phase: &str,
    progress: &mut dyn FnMut(&str, usize, usize),
    f: impl Fn(&T) -> U + Sync + Send,
) -> Vec<U> {
    let mut out = Vec::with_capacity(items.len());
    progress(phase, 0, items.len());
    for chunk in items.chunks(PROGRESS_CHUNK) {
        out.extend(map_all(chunk, &f));
        progress(phase, out.len(), items.len());
    }
    out
}
