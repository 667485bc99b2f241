//! Docs quality of generated crates: every defect class of Zoho's stripped-HTML prose and of
//! tautological fallbacks fails here. Runs over `spec/bots.yaml` and every
//! `../shared/specs/cliq/*.yml` (reported as ignored, with the reason, when `../shared` is missing).

use cliq_codegen::{generate, parse_spec, Settings};
use libtest_mimic::{Arguments, Completion, Failed, Trial};
use std::path::{Path, PathBuf};

/// The doc text of generated code: `(item context, doc line)` for every `///` and `//!` line.
fn doc_lines(src: &str) -> Vec<(usize, String)> {
    src.lines()
        .enumerate()
        .filter_map(|(i, l)| {
            let t = l.trim_start();
            t.strip_prefix("///")
                .or_else(|| t.strip_prefix("//!"))
                .map(|d| (i + 1, d.strip_prefix(' ').unwrap_or(d).to_string()))
        })
        .collect()
}

/// Every defect found in one generated file, one message each.
fn defects(file: &str, src: &str) -> Vec<String> {
    let mut out = Vec::new();
    let lines = doc_lines(src);
    let mut in_fence = false;
    for (k, (n, d)) in lines.iter().enumerate() {
        let at = format!("{file}:{n}: `{d}`");
        if d.starts_with("```") {
            in_fence = !in_fence;
            if in_fence && (d == "```" || d.starts_with("```rust")) {
                out.push(format!("{at}: code block rustdoc would run as a doctest"));
            }
            continue;
        }
        if in_fence {
            continue;
        }
        if d.contains("Click to expand") || d.contains("Click to collapse") {
            out.push(format!("{at}: \"Click to …\" residue"));
        }
        if d.split_whitespace().any(|w| w == "!") {
            out.push(format!("{at}: lone \"!\""));
        }
        // One cell per line: "| Error Code |" then "Description |".
        let t = d.trim();
        if t.ends_with('|') && !t.starts_with('|') {
            out.push(format!("{at}: table cell on its own line"));
        }
        if t.starts_with('|')
            && t.ends_with('|')
            && t.len() > 1
            && t[1..t.len() - 1].split('|').count() < 2
        {
            out.push(format!("{at}: one-cell table row"));
        }
        if d.contains("(at `#/") {
            out.push(format!("{at}: tautological fallback naming a JSON pointer"));
        }
        if d.starts_with("Threshold limit") || d.starts_with("Lock period") {
            out.push(format!("{at}: rate limit left as prose"));
        }
        // Left in place only when its table holds no codes, and then as a heading.
        if t.trim_start_matches(['!', ' '])
            .starts_with("Possible Error Codes")
        {
            out.push(format!("{at}: error table left as prose"));
        }
        // A field documented as its own name: the whole doc is one code span.
        let one_span = t.starts_with('`') && t.ends_with('`') && t.matches('`').count() == 2;
        let next_is_doc = lines.get(k + 1).is_some_and(|(m, _)| *m == n + 1);
        let prev_is_doc = k > 0 && lines[k - 1].0 + 1 == *n;
        if one_span && !next_is_doc && !prev_is_doc {
            out.push(format!("{at}: documented as its own name"));
        }
        // Lazy continuation: a list item followed by an unindented text line.
        if let Some((m, next)) = lines.get(k + 1) {
            let item = t.starts_with("- ") || t.starts_with("* ");
            let nt = next.trim_start();
            if *m == n + 1
                && item
                && !nt.is_empty()
                && !next.starts_with(' ')
                && !nt.starts_with("- ")
                && !nt.starts_with("* ")
            {
                out.push(format!("{at}: lazy list continuation"));
            }
        }
    }
    if src.contains("allow(missing_docs)") {
        out.push(format!("{file}: `allow(missing_docs)`"));
    }
    if src.contains("doc_lazy_continuation") {
        out.push(format!("{file}: allows `clippy::doc_lazy_continuation`"));
    }
    out
}

/// Operations with documented error codes carry an `# Errors` table linking the variants;
/// ones with a rate limit a `# Rate limit` section linking the constant.
fn sections(client: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut methods = 0;
    // Doc blocks preceding each method.
    let mut block = Vec::new();
    for l in client.lines() {
        let t = l.trim_start();
        if let Some(d) = t.strip_prefix("///") {
            block.push(d.trim().to_string());
            continue;
        }
        // An operation's method: its docs name the spec's operationId.
        let operation = block.iter().any(|d: &String| d.contains("operationId `"));
        if let Some(rest) = t.strip_prefix("pub fn ").filter(|_| operation) {
            let name = rest.split('(').next().unwrap_or_default();
            methods += 1;
            if !block.iter().any(|d| d == "# Errors") {
                out.push(format!("client.rs `{name}`: no `# Errors` section"));
            }
            let table = block.iter().any(|d| d.starts_with("| [`"));
            if table && !block.iter().any(|d| d.contains("](errors::")) {
                out.push(format!(
                    "client.rs `{name}`: error codes not linked to `errors::`"
                ));
            }
            if block.iter().any(|d| d == "# Rate limit")
                && !block.iter().any(|d| d.contains("[`operations::"))
            {
                out.push(format!(
                    "client.rs `{name}`: rate limit not linked to `operations::`"
                ));
            }
        }
        if !t.starts_with("#[") {
            block.clear();
        }
    }
    if methods == 0 && client.contains("::std::future::Future<") {
        out.push("client.rs: no operation method recognised (this scan is stale)".into());
    }
    out
}

fn check(spec: &Path) -> Result<Completion, Failed> {
    let text = std::fs::read_to_string(spec).map_err(|e| format!("{}: {e}", spec.display()))?;
    let doc = parse_spec(&text).map_err(|e| e.to_string())?;
    let g = generate(&doc, &Settings::default()).map_err(|e| e.to_string())?;
    let mut all = Vec::new();
    for (file, src) in &g.files {
        all.extend(defects(file, src));
        if file == "client.rs" {
            all.extend(sections(src));
        }
    }
    if all.is_empty() {
        Ok(Completion::Completed)
    } else {
        Err(format!("{} docs defects:\n{}", all.len(), all.join("\n")).into())
    }
}

fn main() {
    let args = Arguments::from_args();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let bots = root.join("spec/bots.yaml");
    let mut trials = vec![Trial::ignorable_test(
        "docs_quality::spec_bots_yaml",
        move || check(&bots),
    )];
    let shared = root.join("../shared/specs/cliq");
    match std::fs::read_dir(&shared) {
        Ok(entries) => {
            let mut specs: Vec<PathBuf> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "yml" || x == "yaml"))
                .collect();
            specs.sort();
            for spec in specs {
                let name = spec
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                trials.push(Trial::ignorable_test(
                    format!("docs_quality::shared_{name}"),
                    move || check(&spec),
                ));
            }
        }
        Err(_) => {
            let msg = format!("needs ../shared ({} missing)", shared.display());
            trials.push(Trial::ignorable_test(
                "docs_quality::shared_cliq_specs",
                move || Ok(Completion::ignored_with(msg)),
            ));
        }
    }
    libtest_mimic::run(&args, trials).exit();
}
