//! The figures block of `BENCHMARKS.md`: written between two markers, the hand-written
//! analysis around them kept. A partial run (`--only`) replaces only the figures it measured
//! (`## N.` sections, matched by their number), each marked as from that run, and keeps the
//! others as the last run wrote them.

use std::path::Path;

const START: &str = "<!-- figures: written by `cargo xtask bench`, do not edit by hand -->";

const END: &str = "<!-- end of figures -->";

/// The line a run ends its figures with.
const TRAILER: &str = "\nLoad average at end:";

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

/// A block of figures: what precedes the first section, the sections (keyed by their
/// number, `3b.`), and the closing load line.
struct Block<'a> {
    head: &'a str,
    sections: Vec<(&'a str, String)>,
    trailer: &'a str,
}

fn parse(block: &str) -> Block<'_> {
    let (body, trailer) = match block.rfind(TRAILER) {
        Some(i) => block.split_at(i),
        None => (block, ""),
    };
    let mut starts: Vec<usize> = body.match_indices("\n## ").map(|(i, _)| i).collect();
    let head = &body[..starts.first().copied().unwrap_or(body.len())];
    starts.push(body.len());
    let sections = starts
        .windows(2)
        .map(|w| {
            let text = &body[w[0]..w[1]];
            let key = text["\n## ".len()..].split(' ').next().unwrap_or_default();
            (key, text.to_string())
        })
        .collect();
    Block {
        head,
        sections,
        trailer,
    }
}

/// A figure's number as (number, letter): `3b.` → (3, "b"), for placing a new figure.
fn figure_order(key: &str) -> (u32, &str) {
    let key = key.trim_end_matches('.');
    let digits = key.find(|c: char| !c.is_ascii_digit()).unwrap_or(key.len());
    (key[..digits].parse().unwrap_or(u32::MAX), &key[digits..])
}

/// The block `existing` with the sections of the partial run `run` (its head and trailer: the
/// run's machine and loads) in place of the sections of the same number, or after the section
/// the run put before them, each under a line saying where it comes from.
fn splice_partial(existing: &str, run: &str, only: &str) -> String {
    let mut old = parse(existing);
    let new = parse(run);
    let loads = |text: &str, label: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(label))
            .map(|l| l.trim().trim_end_matches('.').to_string())
            .unwrap_or_else(|| "unknown".into())
    };
    let note = format!(
        "\n\n_From a partial run, `cargo xtask bench --only {only}` (load average at start {}, at end {}); the other figures are from the run the block starts with._",
        loads(new.head, "Load average at start:"),
        loads(new.trailer, "\nLoad average at end:".trim_start()),
    );
    let mut previous: Option<&str> = None;
    for (key, text) in &new.sections {
        // The note after the heading line.
        let text = match text[1..].find('\n') {
            Some(i) => format!("{}{note}{}", &text[..=i], &text[i + 1..]),
            None => format!("{text}{note}\n"),
        };
        match old.sections.iter().position(|(k, _)| k == key) {
            Some(i) => old.sections[i].1 = text,
            // After the section the run put before it, else after the last section of a
            // lower number (`3c` after `3b`, or `3`), else last.
            None => {
                let after = previous
                    .and_then(|p| old.sections.iter().position(|(k, _)| *k == p))
                    .or_else(|| {
                        old.sections
                            .iter()
                            .rposition(|(k, _)| figure_order(k) < figure_order(key))
                    });
                let at = after.map_or(old.sections.len(), |i| i + 1);
                old.sections.insert(at, (key, text));
            }
        }
        previous = Some(key);
    }
    let mut out = old.head.to_string();
    for (_, text) in &old.sections {
        out.push_str(text);
    }
    out.push_str(old.trailer);
    out
}

/// Writes `figures` into the block of the file `out` (a new file gets the title and the block).
/// `only`: the sections of a partial run (`--only`), which replace their own figures only.
pub(super) fn write(out: &Path, figures: &str, only: &[String]) -> Result<(), String> {
    let existing = std::fs::read_to_string(out).unwrap_or_default();
    let block = match (existing.find(START), existing.find(END)) {
        (Some(a), Some(b)) if a < b && !only.is_empty() => Some(&existing[a + START.len() + 1..b]),
        _ => None,
    };
    let figures = match block {
        Some(block) => splice_partial(block, figures, &only.join(",")),
        None => figures.to_string(),
    };
    std::fs::write(out, splice(&existing, &figures)).map_err(|e| format!("{}: {e}", out.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FULL: &str = "Written by the tool.\n\nLoad average at start: 1 1 1.\n\n## 1. Generation\n\none\n\n## 3. Crate\n\nthree\n\n## 4. Macro\n\nfour\n\nLoad average at end: 2 2 2.\n";

    #[test]
    fn a_partial_run_replaces_its_sections_and_keeps_the_others() {
        let run = "Written by the tool.\n\nLoad average at start: 9 9 9.\n\n## 3. Crate (new)\n\nTHREE\n\n## 3c. Modules\n\nTHREE-C\n\nLoad average at end: 8 8 8.\n";
        let out = splice_partial(FULL, run, "crate,modules");
        let note = "\n\n_From a partial run, `cargo xtask bench --only crate,modules` (load average at start 9 9 9, at end 8 8 8); the other figures are from the run the block starts with._\n";
        assert_eq!(
            out,
            format!(
                "Written by the tool.\n\nLoad average at start: 1 1 1.\n\n## 1. Generation\n\none\n\n## 3. Crate (new){note}\nTHREE\n\n## 3c. Modules{note}\nTHREE-C\n\n## 4. Macro\n\nfour\n\nLoad average at end: 2 2 2.\n"
            )
        );
    }

    #[test]
    fn a_new_figure_goes_after_the_figure_of_the_number_before_it() {
        let run = "Load average at start: 9 9 9.\n\n## 3c. Modules\n\nTHREE-C\n\nLoad average at end: 8 8 8.\n";
        let out = splice_partial(FULL, run, "modules");
        let three = out.find("## 3. Crate").expect("figure 3");
        let three_c = out.find("## 3c. Modules").expect("figure 3c");
        let four = out.find("## 4. Macro").expect("figure 4");
        assert!(three < three_c && three_c < four, "{out}");
        assert_eq!(figure_order("3b."), (3, "b"));
        assert!(figure_order("3c.") < figure_order("4."));
        assert!(figure_order("7a.") > figure_order("3c."));
    }

    #[test]
    fn a_full_run_replaces_the_whole_block() {
        let text = format!("# B\n\n{START}\n{FULL}{END}\n\nanalysis\n");
        assert_eq!(
            splice(&text, "new\n"),
            format!("# B\n\n{START}\nnew\n{END}\n\nanalysis\n")
        );
    }
}
