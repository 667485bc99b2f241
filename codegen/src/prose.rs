//! Descriptions: HTML or plain text from a spec, turned into safe Markdown for rustdoc, and
//! the facts Zoho writes only in prose (error-code tables, rate limits, the permissions table).
//!
//! Zoho's published specs carry HTML with inline styles and `ontoggle=` event attributes; the
//! user's copy of the Bots spec carries the same prose as plain text. Both go through the same
//! functions here.

/// Convert a spec description to Markdown that rustdoc renders as text only:
/// no raw HTML, no doctests, no intra-doc links, no bare-URL warnings.
pub fn to_doc_markdown(text: &str) -> String {
    let md = if looks_like_html(text) {
        let cleaned = drop_elements(text, &["script", "style"]);
        htmd::convert(&cleaned).unwrap_or_else(|_| strip_tags(&cleaned))
    } else {
        text.to_string()
    };
    sanitize_markdown(&md)
}

/// Plain text of a description: Markdown or HTML reduced to words, for pattern matching.
pub fn to_plain(text: &str) -> String {
    let md = if looks_like_html(text) {
        htmd::convert(text).unwrap_or_else(|_| strip_tags(text))
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

/// Last resort when the HTML converter fails: drop everything between `<` and `>`.
fn strip_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Make Markdown safe and quiet for rustdoc.
fn sanitize_markdown(md: &str) -> String {
    let mut out = Vec::new();
    let mut in_fence = false;
    for line in md.lines() {
        let trimmed_end = line.trim_end();
        let t = trimmed_end.trim_start();
        if t.starts_with("```") {
            if in_fence {
                in_fence = false;
                out.push("```".to_string());
            } else {
                in_fence = true;
                // A fence without a language would be compiled as a doctest.
                out.push("```text".to_string());
            }
            continue;
        }
        if in_fence {
            out.push(trimmed_end.to_string());
            continue;
        }
        // Indentation of four or more spaces would start an (executed) indented code block:
        // keep list nesting shallow instead.
        let indent = trimmed_end.len() - t.len();
        let indent = if indent >= 4 { 2 } else { indent };
        out.push(format!("{}{}", " ".repeat(indent), escape_inline(t)));
    }
    if in_fence {
        out.push("```".to_string());
    }
    // Collapse runs of blank lines and trim.
    let mut result = String::new();
    let mut blank = 0;
    for line in out {
        if line.trim().is_empty() {
            blank += 1;
            continue;
        }
        if !result.is_empty() {
            result.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        result.push_str(&line);
    }
    result
}

/// Escape one line outside code spans: HTML, reference-style brackets, bare URLs.
fn escape_inline(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    // Split on backticks: odd segments are code spans (left alone). An unbalanced backtick
    // is escaped so it cannot swallow the rest of the doc.
    let ticks = line.matches('`').count();
    let segments: Vec<&str> = line.split('`').collect();
    for (i, seg) in segments.iter().enumerate() {
        let code = i % 2 == 1 && (ticks % 2 == 0 || i + 1 < segments.len());
        if i > 0 {
            if ticks % 2 == 1 && i + 1 == segments.len() {
                out.push_str("\\`");
            } else {
                out.push('`');
            }
        }
        if code {
            out.push_str(seg);
        } else {
            escape_text(seg, &mut out);
        }
    }
    out
}

fn escape_text(seg: &str, out: &mut String) {
    let chars: Vec<char> = seg.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            // Already escaped (the HTML converter escapes Markdown punctuation): keep as is.
            '\\' if chars.get(i + 1).is_some_and(|n| n.is_ascii_punctuation()) => {
                out.push(c);
                out.push(chars[i + 1]);
                i += 2;
                continue;
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '[' => {
                // Keep inline links `[text](url)`; escape every other bracket.
                if let Some(end) = link_end(&chars, i) {
                    let link: String = chars[i..end].iter().collect();
                    out.push_str(&link);
                    i = end;
                    continue;
                }
                out.push_str("\\[");
            }
            ']' => out.push_str("\\]"),
            'h' if starts_url(&chars, i) && (i == 0 || !matches!(chars[i - 1], '(' | '<')) => {
                let mut end = i;
                while end < chars.len()
                    && !chars[end].is_whitespace()
                    && !matches!(chars[end], '<' | '>' | '"' | '`')
                {
                    end += 1;
                }
                while end > i
                    && matches!(
                        chars[end - 1],
                        '.' | ',' | ')' | ';' | ':' | '!' | '?' | '\''
                    )
                {
                    end -= 1;
                }
                let url: String = chars[i..end].iter().collect();
                out.push('<');
                out.push_str(&url);
                out.push('>');
                i = end;
                continue;
            }
            _ => out.push(c),
        }
        i += 1;
    }
}

fn starts_url(chars: &[char], i: usize) -> bool {
    let rest: String = chars[i..chars.len().min(i + 8)].iter().collect();
    rest.starts_with("http://") || rest.starts_with("https://")
}

/// End (exclusive) of an inline link `[text](target)` starting at `start`, if it is one.
fn link_end(chars: &[char], start: usize) -> Option<usize> {
    let close = (start + 1..chars.len()).find(|&j| chars[j] == ']')?;
    if chars[start + 1..close]
        .iter()
        .any(|&c| c == '[' || c == '<' || c == '>')
    {
        return None;
    }
    if chars.get(close + 1) != Some(&'(') {
        return None;
    }
    let end = (close + 2..chars.len()).find(|&j| chars[j] == ')')?;
    if chars[close + 2..end]
        .iter()
        .any(|c| c.is_whitespace() || *c == '<' || *c == '>')
    {
        return None;
    }
    Some(end + 1)
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

/// One documented error code of an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorCodeDoc {
    /// The code as Cliq sends it, e.g. `bot_name_already_exists`.
    pub code: String,
    /// What the table says it means.
    pub description: String,
}

/// The "Possible Error Codes" table of an operation description.
pub fn error_codes(description: &str) -> Vec<ErrorCodeDoc> {
    let plain = to_plain(description);
    let cells = cells_after(&plain, "Possible Error Codes");
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

/// A rate limit as Zoho documents it in prose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimitDoc {
    /// Requests allowed per window.
    pub requests: u32,
    /// Window length in seconds.
    pub window_secs: u64,
    /// Who the limit applies to ("user", "organization", …), verbatim; empty if unstated.
    pub per: String,
    /// Lock period in seconds, when documented.
    pub lock_period_secs: Option<u64>,
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
        _ => return None,
    })
}

/// Read "Threshold limit: N requests per <unit> per <who>" and "Lock period: N <unit>".
pub fn rate_limit(description: &str) -> Option<RateLimitDoc> {
    let plain = to_plain(description);
    let after = |marker: &str| -> Option<Vec<String>> {
        let pos = plain.find(marker)?;
        let rest = plain[pos + marker.len()..].trim_start_matches([':', ' ']);
        let line = rest.lines().next()?;
        Some(line.split_whitespace().map(str::to_string).collect())
    };
    let words = after("Threshold limit")?;
    let requests: u32 = words.first()?.parse().ok()?;
    // "<n> requests per <unit> [per <who>]"
    let per_idx = words.iter().position(|w| w == "per")?;
    let window_secs = unit_secs(words.get(per_idx + 1)?)?;
    let per = match words.get(per_idx + 2).map(String::as_str) {
        Some("per") => words[per_idx + 3..].join(" "),
        _ => String::new(),
    };
    let lock_period_secs = after("Lock period").and_then(|w| {
        let n: u64 = w.first()?.parse().ok()?;
        Some(n * unit_secs(w.get(1)?)?)
    });
    Some(RateLimitDoc {
        requests,
        window_secs,
        per,
        lock_period_secs,
    })
}

/// The "Permissions availability per handler type" table: header permissions and, per
/// handler row, the permissions marked allowed.
/// The permissions table: header permissions, then (handler row name, allowed permissions).
pub type PermissionsTable = (Vec<String>, Vec<(String, Vec<String>)>);

/// Parse the "Permissions availability per handler type" table.
pub fn permissions_table(description: &str) -> Option<PermissionsTable> {
    let plain = to_plain(description);
    let cells = cells_after(&plain, "Permissions availability per handler type");
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
            "Icon in {icon-name}/{HEX_COLOR} form, see <https://www.zoho.com/cliq>. \\[note\\] a &lt; b\n  indented"
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
