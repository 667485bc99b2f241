//! The figures block of `BENCHMARKS.md`: written between two markers, the hand-written
//! analysis around them kept.

use std::path::Path;

const START: &str = "<!-- figures: written by `cargo xtask bench`, do not edit by hand -->";

const END: &str = "<!-- end of figures -->";

/// Replaces the figures between the markers, keeping the hand-written analysis around them.
fn splice(existing: &str, figures: &str) -> String {
    match (existing.find(START), existing.find(END)) {
        (Some(a), Some(b)) if a < b => {
            format!("{}{START}\n{figures}{}", &existing[..a], &existing[b..])
        }
        // A new file: the title, then the figures (the analysis is written by hand).
        _ => format!("# Benchmarks\n\n{START}\n{figures}{END}\n{existing}"),
    }
}

/// Writes `figures` into the block of the file `out` (a new file gets the title and the block).
pub(super) fn write(out: &Path, figures: &str) -> Result<(), String> {
    let text = splice(&std::fs::read_to_string(out).unwrap_or_default(), figures);
    std::fs::write(out, text).map_err(|e| format!("{}: {e}", out.display()))
}
