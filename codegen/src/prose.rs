//! Descriptions: HTML or plain text from a spec, turned into safe Markdown for rustdoc, and
//! the facts Zoho writes only in prose (error-code tables, rate limits, the permissions table).
//!
//! Zoho's published specs carry HTML with inline styles and `ontoggle=` event attributes; the
//! user's copy of the Bots spec carries the same prose as plain text. Both go through the same
//! functions here.

use crate::docs::{self, Cut};
use crate::model::{ErrorCodeDoc, RateLimitDoc};

/// A description converted once: the prose as rustdoc Markdown, and the facts read from it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Described {
    /// The prose as safe Markdown, without the parts that became facts (the error-code table,
    /// the rate-limit lines) and without the residue of stripped HTML; `None` when nothing is left.
    pub doc: Option<String>,
    /// The "Possible Error Codes" table.
    pub error_codes: Vec<ErrorCodeDoc>,
    /// The documented rate limit.
    pub rate_limit: Option<RateLimitDoc>,
    /// Facts that are present but not understood, one message each (reported as warnings).
    pub problems: Vec<String>,
}

/// Convert an operation description once: Markdown for rustdoc plus the facts in its prose.
pub fn describe(text: &str) -> Described {
    let plain = markup_to_plain(text);
    let error_codes = error_codes_in(&plain);
    let (rate_limit, problems) = rate_limit_in(&plain);
    let cut = Cut {
        error_table: !error_codes.is_empty(),
        rate_limit: rate_limit.is_some(),
    };
    let doc = docs::render(&source_markdown(text), cut);
    Described {
        doc: (!doc.is_empty()).then_some(doc),
        error_codes,
        rate_limit,
        problems,
    }
}

/// A description as doc Markdown, or `None` when it documents nothing (absent, `""`, only
/// whitespace or residue), so the caller's fallback sentence applies instead of an empty doc.
pub fn doc_of(text: Option<&str>) -> Option<String> {
    text.map(to_doc_markdown).filter(|d| !d.trim().is_empty())
}

/// Convert a spec description to Markdown that rustdoc renders as text only:
/// no raw HTML, no doctests, no intra-doc links, no bare-URL warnings.
pub fn to_doc_markdown(text: &str) -> String {
    docs::render(&source_markdown(text), Cut::default())
}

/// The description as Markdown: HTML converted, Zoho's stripped-HTML plain text rebuilt.
fn source_markdown(text: &str) -> String {
    if looks_like_html(text) {
        let cleaned = drop_elements(text, &["script", "style"]);
        htmd::convert(&cleaned).unwrap_or_else(|_| docs::strip_tags(&cleaned))
    } else if docs::is_stripped_html(text) {
        docs::rebuild_stripped_html(text)
    } else {
        text.to_string()
    }
}

/// A description's markup (HTML or Markdown) reduced to plain words, for pattern matching:
/// the opposite direction of `docs::plain_to_markdown`.
pub fn markup_to_plain(text: &str) -> String {
    let md = if looks_like_html(text) {
        htmd::convert(text).unwrap_or_else(|_| docs::strip_tags(text))
    } else {
        text.to_string()
    };
    md.replace("\\_", "_").replace(['*', '`'], "")
}

fn looks_like_html(text: &str) -> bool {
    let b = text.as_bytes();
    b.windows(2)
        .any(|w| w[0] == b'<' && (w[1].is_ascii_alphabetic() || w[1] == b'/'))
}

/// Remove elements whose content is code, not prose (`<script>…</script>`), case-insensitively.
fn drop_elements(html: &str, tags: &[&str]) -> String {
    let mut out = html.to_string();
    for tag in tags {
        loop {
            let lower = out.to_ascii_lowercase();
            let Some(start) = lower.find(&format!("<{tag}")) else {
                break;
            };
            let close = format!("</{tag}");
            let end = match lower[start..].find(&close) {
                Some(rel) => {
                    let after = start + rel + close.len();
                    lower[after..]
                        .find('>')
                        .map(|g| after + g + 1)
                        .unwrap_or(out.len())
                }
                None => out.len(),
            };
            out.replace_range(start..end, "");
        }
    }
    out
}

/// The cells of the tables in a description, in reading order.
///
/// Works on Markdown tables (`| a | b |`, what HTML tables become) and on the plain-text
/// rendering of the user's seed, where every cell is a line ending in ` |`.
fn cells_after(plain: &str, marker: &str) -> Vec<String> {
    let Some(pos) = plain.find(marker) else {
        return Vec::new();
    };
    let mut cells = Vec::new();
    let mut started = false;
    for line in plain[pos + marker.len()..].lines() {
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        if !t.ends_with('|') {
            if started {
                break;
            }
            continue;
        }
        started = true;
        let inner = t.trim_end_matches('|');
        let inner = inner.strip_prefix('|').unwrap_or(inner);
        let row: Vec<String> = inner.split('|').map(|c| c.trim().to_string()).collect();
        let separator = row
            .iter()
            .all(|c| c.len() >= 3 && c.trim_matches(':').chars().all(|ch| ch == '-'));
        if !separator {
            cells.extend(row);
        }
    }
    cells
}

/// The "Possible Error Codes" table of an operation description.
pub fn error_codes(description: &str) -> Vec<ErrorCodeDoc> {
    error_codes_in(&markup_to_plain(description))
}

fn error_codes_in(plain: &str) -> Vec<ErrorCodeDoc> {
    // Some descriptions carry one table per action ("Possible Error Codes - Update Title").
    let mut out: Vec<ErrorCodeDoc> = Vec::new();
    for (pos, _) in plain.match_indices("Possible Error Codes") {
        for code in error_table(&plain[pos..]) {
            if !out.iter().any(|e| e.code == code.code) {
                out.push(code);
            }
        }
    }
    out
}

/// The first error-code table after the start of `plain`.
fn error_table(plain: &str) -> Vec<ErrorCodeDoc> {
    let cells = cells_after(plain, "Possible Error Codes");
    let mut it = cells.into_iter();
    // Header: "Error Code", "Description".
    let mut header = Vec::new();
    for c in it.by_ref() {
        header.push(c);
        if header.len() == 2 {
            break;
        }
    }
    let mut out: Vec<ErrorCodeDoc> = Vec::new();
    let rest: Vec<String> = it.collect();
    for pair in rest.chunks(2) {
        let code = pair[0].trim().to_string();
        if code.is_empty()
            || !code
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-')
        {
            break;
        }
        let description = pair.get(1).cloned().unwrap_or_default();
        if !out.iter().any(|e| e.code == code) {
            out.push(ErrorCodeDoc { code, description });
        }
    }
    out
}

fn unit_secs(word: &str) -> Option<u64> {
    let w = word
        .trim_matches(|c: char| !c.is_ascii_alphabetic())
        .to_ascii_lowercase();
    Some(match w.as_str() {
        "s" | "sec" | "secs" | "second" | "seconds" => 1,
        "m" | "min" | "mins" | "minute" | "minutes" => 60,
        "h" | "hr" | "hrs" | "hour" | "hours" => 3600,
        "d" | "day" | "days" => 86_400,
        "w" | "wk" | "week" | "weeks" => 604_800,
        _ => return None,
    })
}

/// "<n> <unit>" or "<unit>" (meaning one) at the start of `words`: the duration in seconds and
/// how many words it took. `Err` on numbers too large for the arithmetic.
fn duration(words: &[String]) -> Result<Option<(u64, usize)>, String> {
    let Some(first) = words.first() else {
        return Ok(None);
    };
    if let Some(unit) = unit_secs(first) {
        return Ok(Some((unit, 1)));
    }
    let Ok(n) = first.parse::<u64>() else {
        return Ok(None);
    };
    let Some(unit) = words.get(1).and_then(|w| unit_secs(w)) else {
        return Ok(None);
    };
    match n.checked_mul(unit) {
        Some(secs) => Ok(Some((secs, 2))),
        None => Err(format!("`{first} {}` is too long a duration", words[1])),
    }
}

/// Read `Threshold limit: N requests per [M] <unit> [per <who>]` and `Lock period: [N] <unit>`.
pub fn rate_limit(description: &str) -> Option<RateLimitDoc> {
    rate_limit_in(&markup_to_plain(description)).0
}

/// The words of the line after `marker` in `plain` (`None`: no such marker).
fn words_after(plain: &str, marker: &str) -> Option<(String, Vec<String>)> {
    let pos = plain.find(marker)?;
    let rest = plain[pos + marker.len()..].trim_start_matches([':', ' ']);
    let line = rest.lines().next().unwrap_or_default().trim().to_string();
    let words = line.split_whitespace().map(str::to_string).collect();
    Some((line, words))
}

/// The rate limit and, for a limit or lock period present but not understood, why.
fn rate_limit_in(plain: &str) -> (Option<RateLimitDoc>, Vec<String>) {
    let mut problems = Vec::new();
    if plain.contains("Threshold limits") {
        // One limit per action of a multi-purpose operation ("`update_title`: 60 req/min").
        problems.push(
            "several threshold limits (one per action) cannot be one rate limit; none applied"
                .to_string(),
        );
        return (None, problems);
    }
    let Some((line, words)) = words_after(plain, "Threshold limit") else {
        if let Some((line, _)) = words_after(plain, "Lock period") {
            problems.push(format!(
                "a lock period (`{line}`) without a threshold limit is ignored"
            ));
        }
        return (None, problems);
    };
    let limit = (|| -> Result<RateLimitDoc, String> {
        let not_understood = || format!("threshold limit `{line}` is not understood");
        let requests: u32 = words
            .first()
            .and_then(|w| w.parse().ok())
            .ok_or_else(not_understood)?;
        if requests == 0 {
            return Err(format!("threshold limit `{line}` allows no requests"));
        }
        // "<n> requests per <duration> [per <who>]"
        let per_idx = words
            .iter()
            .position(|w| w.eq_ignore_ascii_case("per"))
            .ok_or_else(not_understood)?;
        let (window_secs, used) = duration(&words[per_idx + 1..])?.ok_or_else(not_understood)?;
        let after = per_idx + 1 + used;
        let per = match words.get(after).map(String::as_str) {
            Some(w) if w.eq_ignore_ascii_case("per") => words[after + 1..].join(" "),
            None => String::new(),
            Some(_) => return Err(not_understood()),
        };
        let per = per.trim_end_matches('.').to_string();
        Ok(RateLimitDoc {
            requests,
            window_secs,
            per,
            lock_period_secs: None,
        })
    })();
    let mut limit = match limit {
        Ok(l) => l,
        Err(e) => {
            problems.push(e);
            return (None, problems);
        }
    };
    if let Some((line, words)) = words_after(plain, "Lock period") {
        match duration(&words) {
            Ok(Some((secs, used))) if used == words.len() => limit.lock_period_secs = Some(secs),
            Ok(_) => problems.push(format!("lock period `{line}` is not understood")),
            Err(e) => problems.push(format!("lock period: {e}")),
        }
    }
    (Some(limit), problems)
}

/// The "Permissions availability per handler type" table: the header's permissions, then
/// per handler row (row name, the permissions marked allowed).
pub type PermissionsTable = (Vec<String>, Vec<(String, Vec<String>)>);

/// Parse the "Permissions availability per handler type" table (the Bots spec's heading; the
/// Slash Commands and Functions specs write "by handler type").
pub fn permissions_table(description: &str) -> Option<PermissionsTable> {
    let plain = markup_to_plain(description);
    let mut cells = cells_after(&plain, "Permissions availability per handler type");
    if cells.is_empty() {
        cells = cells_after(&plain, "Permissions availability by handler type");
    }
    let mut it = cells.into_iter().peekable();
    let first = it.next()?;
    if !first.eq_ignore_ascii_case("handler") {
        return None;
    }
    let mut perms = Vec::new();
    while let Some(c) = it.peek() {
        if c.ends_with("_handler") {
            break;
        }
        perms.push(c.clone());
        it.next();
    }
    if perms.is_empty() {
        return None;
    }
    let rest: Vec<String> = it.collect();
    let mut rows = Vec::new();
    for row in rest.chunks(perms.len() + 1) {
        if row.len() != perms.len() + 1 || !row[0].ends_with("_handler") {
            return None;
        }
        let allowed = perms
            .iter()
            .zip(&row[1..])
            .filter(|(_, mark)| !matches!(mark.trim(), "-" | "" | "✗" | "x" | "X"))
            .map(|(p, _)| p.clone())
            .collect();
        rows.push((row[0].clone(), allowed));
    }
    Some((perms, rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_never_reaches_rustdoc() {
        let doc = to_doc_markdown(
            r#"<details ontoggle="alert(1)"><summary>Possible Error Codes</summary><p>Use <code>a<b</code> or <b>x</b> &lt;script&gt;</p></details>"#,
        );
        assert!(!doc.contains("ontoggle"), "{doc}");
        // Outside code spans (which rustdoc renders as text) no `<` survives.
        let outside: String = doc.split('`').step_by(2).collect();
        assert!(!outside.contains('<'), "{doc}");
        assert!(doc.contains("Possible Error Codes"), "{doc}");
    }

    #[test]
    fn plain_text_is_escaped() {
        let doc = to_doc_markdown("Icon in {icon-name}/{HEX_COLOR} form, see https://www.zoho.com/cliq. [note] a < b\n        indented");
        assert_eq!(
            doc,
            "Icon in {icon-name}/{HEX_COLOR} form, see <https://www.zoho.com/cliq>. \\[note\\] a \\< b\nindented"
        );
        let html = to_doc_markdown("<p>See [x] and <code>y</code></p>");
        assert_eq!(html, "See \\[x\\] and `y`");
        assert_eq!(
            to_doc_markdown("a [link](https://x.y/z) b"),
            "a [link](https://x.y/z) b"
        );
        assert_eq!(
            to_doc_markdown("```\nlet x = 1;\n```"),
            "```text\nlet x = 1;\n```"
        );
        assert_eq!(to_doc_markdown("odd ` tick"), "odd \\` tick");
    }

    const SEED_STYLE: &str = "Threshold limit: 10 requests per min per user\nNumber of API calls allowed within a minute.\nLock period: 5 minutes\nWait time.\n!\nPossible Error Codes\nClick to expand\n| Error Code |\nDescription |\n| bot_name_already_exists |\nA bot with this name already exists. |\n| invalid_inputs |\nRequest body validation failed. |\nError Response Format\n";

    #[test]
    fn error_codes_from_seed_text() {
        let codes = error_codes(SEED_STYLE);
        assert_eq!(codes.len(), 2);
        assert_eq!(codes[0].code, "bot_name_already_exists");
        assert_eq!(codes[1].description, "Request body validation failed.");
    }

    #[test]
    fn error_codes_from_html() {
        let html = r#"<details><summary>Possible Error Codes</summary><table><thead><tr><th>Error Code</th><th>Description</th></tr></thead><tbody><tr><td><span>bot_not_found</span></td><td>No <code>bot</code> here.</td></tr><tr><td><span>invalid_inputs</span></td><td>Bad.</td></tr></tbody></table></details>"#;
        let codes = error_codes(html);
        assert_eq!(
            codes.iter().map(|c| c.code.as_str()).collect::<Vec<_>>(),
            ["bot_not_found", "invalid_inputs"]
        );
        assert_eq!(codes[0].description, "No bot here.");
    }

    #[test]
    fn rate_limits() {
        let rl = rate_limit(SEED_STYLE).expect("documented");
        assert_eq!(
            rl,
            RateLimitDoc {
                requests: 10,
                window_secs: 60,
                per: "user".into(),
                lock_period_secs: Some(300)
            }
        );
        let html = "<p><b>Threshold limit</b>: 30 requests per min per user<br>x<br><br><b>Lock period</b>: 2 minutes<br></p>";
        assert_eq!(
            rate_limit(html).map(|r| (r.requests, r.lock_period_secs)),
            Some((30, Some(120)))
        );
        assert_eq!(rate_limit("nothing here"), None);
    }

    #[test]
    fn rate_limit_forms() {
        let parse = |t: &str| rate_limit_in(t);
        let (rl, problems) =
            parse("Threshold limit: 10 requests per 5 min per user\nLock period: 30 minutes\n");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            rl.map(|r| (r.requests, r.window_secs, r.per, r.lock_period_secs)),
            Some((10, 300, "user".to_string(), Some(1800)))
        );
        let (rl, _) =
            parse("Threshold limit: 1000 requests per hour per organization\nLock period: 1 day");
        assert_eq!(
            rl.map(|r| (r.window_secs, r.per, r.lock_period_secs)),
            Some((3600, "organization".to_string(), Some(86_400)))
        );
        let (rl, _) = parse("Threshold limit: 5 requests per 2 days\nLock period: 3 hours");
        assert_eq!(
            rl.map(|r| (r.window_secs, r.per, r.lock_period_secs)),
            Some((172_800, String::new(), Some(10_800)))
        );
        // Present but not understood: a warning, never a silent None.
        let (rl, problems) = parse("Threshold limit: a few requests now and then");
        assert_eq!(rl, None);
        assert_eq!(problems.len(), 1, "{problems:?}");
        // Absurd numbers: a warning, never an overflow panic.
        let (rl, problems) = parse("Threshold limit: 10 requests per 18446744073709551615 days\n");
        assert_eq!(rl, None);
        assert!(problems[0].contains("too long"), "{problems:?}");
        let (rl, problems) =
            parse("Threshold limit: 10 requests per min\nLock period: 18446744073709551615 weeks");
        assert_eq!(rl.and_then(|r| r.lock_period_secs), None);
        assert_eq!(problems.len(), 1);
        let (_, problems) =
            parse("Threshold limit: 10 requests per min\nLock period: until Monday");
        assert_eq!(problems.len(), 1);
        assert_eq!(parse("no limits here"), (None, Vec::new()));
    }

    #[test]
    fn described_once_cuts_facts_out_of_the_prose() {
        let d = describe(SEED_STYLE);
        assert_eq!(d.error_codes.len(), 2);
        assert!(d.rate_limit.is_some());
        let doc = d.doc.unwrap_or_default();
        for gone in [
            "Threshold",
            "Lock period",
            "Click to expand",
            "Possible Error Codes",
            "| Error Code",
            "\n!",
        ] {
            assert!(!doc.contains(gone), "{gone:?} in {doc}");
        }
        // Its "Error Response Format" paragraph is said by the `# Errors` section instead.
        assert!(!doc.contains("Error Response Format"), "{doc}");
        assert!(doc.contains("Wait time."), "{doc}");
    }

    #[test]
    fn permissions_table_from_seed_text() {
        let text = "Permissions availability per handler type\nNot all.\n| Handler |\nchat |\nuser |\nwelcome_handler |\n- |\n✓ |\nalert_handler |\n✓ |\n✓ |\nBot Menu Actions\n";
        let (perms, rows) = permissions_table(text).expect("table");
        assert_eq!(perms, ["chat", "user"]);
        assert_eq!(
            rows[0],
            ("welcome_handler".to_string(), vec!["user".to_string()])
        );
        assert_eq!(rows[1].1, ["chat", "user"]);
    }
}
