//! Doc text for rustdoc: Markdown from a spec made safe and readable by an event filter on
//! `pulldown-cmark` (the parser rustdoc itself uses), Zoho's stripped-HTML plain text rebuilt
//! into Markdown blocks, and the sentences written where a spec documents nothing.

use crate::model::{RateLimitDoc, TypeDef, TypeRef};
use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag};

/// Which prose became facts, and is left out of the rendered text.
#[derive(Debug, Clone, Copy, Default)]
pub struct Cut {
    /// The "Possible Error Codes" heading and table.
    pub error_table: bool,
    /// The "Threshold limit" / "Lock period" lines and their explanations.
    pub rate_limit: bool,
}

/// Pieces of Zoho's page chrome that survive when its HTML is stripped to text.
const RESIDUE: &[&str] = &["Click to expand", "Click to collapse"];

/// Explanations Zoho writes under every rate limit; the `# Rate limit` section replaces them.
const RATE_LIMIT_GLOSSES: &[&str] = &[
    "Number of API calls allowed within a minute.",
    "Wait time before consecutive API requests.",
];

/// Whether a plain-text description is Zoho's HTML stripped to lines (tables one cell per
/// line, a lone `!` where an icon was) rather than Markdown.
pub fn is_stripped_html(text: &str) -> bool {
    text.lines().any(|l| {
        let t = l.trim();
        t == "!"
            || RESIDUE.contains(&t)
            || t.starts_with("Threshold limit:")
            || t.starts_with("Lock period:")
            || t == ALLOWED_VALUES
            || (t.ends_with(" |")
                && t.trim_end_matches('|')
                    .trim_start_matches('|')
                    .find('|')
                    .is_none())
    })
}

/// Zoho's heading of a list of enum values, one `value: meaning` line each.
const ALLOWED_VALUES: &str = "Allowed values:";

/// `value: meaning` under "Allowed values:", as a list item with the value as code. A
/// capitalised word before the colon ("Note:", "Default value:") ends the list.
fn allowed_value_item(t: &str) -> Option<String> {
    let (value, meaning) = t.split_once(": ")?;
    let word = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
        && !(value.chars().next().is_some_and(char::is_uppercase)
            && value.chars().skip(1).all(char::is_lowercase));
    word.then(|| format!("- `{value}`: {}", meaning.trim()))
}

fn is_cell_line(t: &str) -> bool {
    t.ends_with('|')
}

fn is_list_item(t: &str) -> bool {
    t.starts_with("- ") || t.starts_with("* ")
}

fn is_json(t: &str) -> bool {
    (t.starts_with('{') || t.starts_with('['))
        && serde_json::from_str::<serde_json::Value>(t).is_ok()
}

/// A short line without closing punctuation, followed by more text: a heading whose markup
/// was stripped.
fn is_heading(t: &str, next: Option<&str>) -> bool {
    let words = t.split_whitespace().count();
    next.is_some_and(|n| !n.is_empty())
        && t.chars().next().is_some_and(char::is_uppercase)
        && t.len() <= 60
        && words <= 8
        && !t.ends_with(['.', ',', ':', ';', '!'])
        && !is_cell_line(t)
        && !is_list_item(t)
}

/// Rebuild Markdown from Zoho's stripped HTML: one block per line, lines broken where inline
/// code was joined again, one-cell-per-line tables as tables, headings, JSON as code.
pub fn rebuild_stripped_html(text: &str) -> String {
    // Join lines broken at a stripped `<code>`: "- If" + "execution_type is not specified".
    let mut lines: Vec<String> = Vec::new();
    let mut in_values = false;
    for raw in text.lines() {
        let t = raw.trim();
        if t.is_empty() || t == "!" || RESIDUE.contains(&t) {
            continue;
        }
        if in_values {
            if let Some(item) = allowed_value_item(t) {
                lines.push(item);
                continue;
            }
        }
        in_values = t == ALLOWED_VALUES;
        if let Some(value) = t.strip_prefix("Default value: ") {
            if allowed_value_item(&format!("{value}: x")).is_some() {
                lines.push(format!("Default value: `{value}`."));
                continue;
            }
        }
        let continues = t.chars().next().is_some_and(|c| c.is_ascii_lowercase())
            && lines.last().is_some_and(|prev: &String| {
                !is_cell_line(prev) && prev.ends_with(|c: char| c.is_alphanumeric())
            });
        match lines.last_mut() {
            Some(prev) if continues => {
                prev.push(' ');
                prev.push_str(t);
            }
            _ => lines.push(t.to_string()),
        }
    }
    let mut blocks: Vec<(bool, String)> = Vec::new(); // (list item, text)
    let mut i = 0;
    while i < lines.len() {
        let t = lines[i].as_str();
        if is_cell_line(t) {
            let start = i;
            while i < lines.len() && is_cell_line(&lines[i]) {
                i += 1;
            }
            blocks.push((false, table(&lines[start..i])));
            continue;
        }
        let block = if is_json(t) {
            format!("```json\n{t}\n```")
        } else if is_list_item(t) {
            blocks.push((true, t.to_string()));
            i += 1;
            continue;
        } else if is_heading(t, lines.get(i + 1).map(String::as_str)) {
            format!("## {t}")
        } else {
            t.to_string()
        };
        blocks.push((false, block));
        i += 1;
    }
    let mut out = String::new();
    let mut prev_item = false;
    for (item, b) in blocks {
        if !out.is_empty() {
            out.push_str(if item && prev_item { "\n" } else { "\n\n" });
        }
        out.push_str(&b);
        prev_item = item;
    }
    out
}

/// A Markdown table from one-cell-per-line table text. Rows start with `| ` where Zoho marks
/// them; otherwise the width is the smallest that makes every row start with a name.
fn table(lines: &[String]) -> String {
    let cells: Vec<String> = lines
        .iter()
        .map(|l| {
            let inner = l.trim_end_matches('|');
            inner.strip_prefix('|').unwrap_or(inner).trim().to_string()
        })
        .collect();
    let starts: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.starts_with('|'))
        .map(|(i, _)| i)
        .collect();
    let rows: Vec<Vec<String>> = if starts.len() > 1 {
        let mut bounds = starts.clone();
        bounds.push(cells.len());
        let mut rows: Vec<Vec<String>> = bounds
            .windows(2)
            .map(|w| cells[w[0]..w[1]].to_vec())
            .collect();
        if starts[0] > 0 {
            rows.insert(0, cells[..starts[0]].to_vec());
        }
        rows
    } else {
        let names = |n: usize| {
            cells.chunks(n).skip(1).all(|row| {
                row[0].chars().any(char::is_alphanumeric) && !row[0].contains(char::is_whitespace)
            })
        };
        match (2..=8).find(|&n| cells.len().is_multiple_of(n) && cells.len() / n >= 2 && names(n)) {
            Some(n) => cells.chunks(n).map(<[String]>::to_vec).collect(),
            // No width fits: a list loses no cell.
            None => {
                return cells
                    .iter()
                    .map(|c| format!("- {c}"))
                    .collect::<Vec<_>>()
                    .join("\n")
            }
        }
    };
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    let line = |row: &[String]| {
        let mut s = String::from("|");
        for k in 0..width {
            s.push(' ');
            s.push_str(
                &row.get(k)
                    .map(|c| c.replace('|', "\\|"))
                    .unwrap_or_default(),
            );
            s.push_str(" |");
        }
        s
    };
    let mut out = vec![line(&rows[0]), format!("|{}", " --- |".repeat(width))];
    out.extend(rows[1..].iter().map(|r| line(r)));
    out.join("\n")
}

/// Plain text of a run of events.
fn text_of(events: &[Event<'_>]) -> String {
    let mut s = String::new();
    for e in events {
        match e {
            Event::Text(t) | Event::Code(t) => s.push_str(t),
            Event::SoftBreak | Event::HardBreak => s.push(' '),
            _ => {}
        }
    }
    s
}

/// Top-level blocks of a Markdown document, each as its events.
fn blocks(md: &str) -> Vec<Vec<Event<'_>>> {
    let mut out = Vec::new();
    let mut cur = Vec::new();
    let mut depth = 0usize;
    for e in Parser::new_ext(md, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH) {
        match &e {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        cur.push(e);
        if depth == 0 {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Last resort when the HTML converter fails: drop everything between `<` and `>`.
pub(crate) fn strip_tags(text: &str) -> String {
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

fn without_residue(s: &str) -> String {
    let mut s = s.to_string();
    for r in RESIDUE {
        s = s.replace(r, "");
    }
    s.split_whitespace()
        .filter(|w| *w != "!")
        .collect::<Vec<_>>()
        .join(" ")
}

/// Markdown as rustdoc should get it: facts in `cut` left out, HTML and Zoho's residue gone,
/// code blocks never doctests, relative links as text, bare URLs and identifiers marked up.
pub fn render(md: &str, cut: Cut) -> String {
    let mut kept: Vec<Event<'_>> = Vec::new();
    let mut drop_next_table = false;
    let mut in_error_format = false;
    for block in blocks(md) {
        let text = without_residue(&text_of(&block));
        let is_table = matches!(block.first(), Some(Event::Start(Tag::Table(_))));
        let is_heading = matches!(block.first(), Some(Event::Start(Tag::Heading { .. })));
        // "Error Response Format" explains the `{"code", "message"}` body the client decodes
        // into the operation's error-code enum: with the table, the `# Errors` section says it.
        if cut.error_table && text == "Error Response Format" {
            in_error_format = true;
            continue;
        }
        if in_error_format && !is_heading {
            continue;
        }
        in_error_format = false;
        if is_table && drop_next_table {
            drop_next_table = false;
            continue;
        }
        drop_next_table = false;
        if text.is_empty()
            && !is_table
            && !matches!(block.first(), Some(Event::Start(Tag::CodeBlock(_))))
        {
            continue;
        }
        if cut.error_table && text.starts_with("Possible Error Codes") {
            drop_next_table = true;
            continue;
        }
        if cut.rate_limit
            && (text.starts_with("Threshold limit")
                || text.starts_with("Lock period")
                || RATE_LIMIT_GLOSSES.contains(&text.as_str()))
        {
            continue;
        }
        // A paragraph that is one bold phrase, or the title of a kept error table, is a heading.
        let error_title = text.starts_with("Possible Error Codes") && text.len() <= 80;
        let bold_only = error_title
            || block.len() >= 4
                && matches!(block[0], Event::Start(Tag::Paragraph))
                && matches!(block[1], Event::Start(Tag::Strong))
                && block[2..block.len() - 2]
                    .iter()
                    .all(|e| matches!(e, Event::Text(_)))
                && matches!(
                    block[block.len() - 2],
                    Event::End(pulldown_cmark::TagEnd::Strong)
                );
        if bold_only {
            kept.push(Event::Start(Tag::Heading {
                level: HeadingLevel::H2,
                id: None,
                classes: Vec::new(),
                attrs: Vec::new(),
            }));
            kept.push(Event::Text(CowStr::from(text)));
            kept.push(Event::End(pulldown_cmark::TagEnd::Heading(
                HeadingLevel::H2,
            )));
            continue;
        }
        kept.extend(block);
    }
    let events = filter(kept);
    let mut out = String::new();
    let options = pulldown_cmark_to_cmark::Options {
        code_block_token_count: 3,
        list_token: '-',
        ..Default::default()
    };
    if pulldown_cmark_to_cmark::cmark_with_options(events.iter(), &mut out, options).is_err() {
        return String::new();
    }
    tidy(&out)
}

/// The per-event part of [`render`].
fn filter(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut out = Vec::with_capacity(events.len());
    let mut in_code = false;
    let mut link_depth = 0usize;
    let mut dropped_links: Vec<bool> = Vec::new();
    for e in events {
        match e {
            Event::Html(h) | Event::InlineHtml(h) => {
                let t = without_residue(&strip_tags(&h));
                if !t.is_empty() {
                    out.push(Event::Text(CowStr::from(t)));
                }
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                in_code = true;
                let lang = match &kind {
                    CodeBlockKind::Fenced(l) if !is_rust_lang(l) => l.clone(),
                    _ => CowStr::from("text"),
                };
                out.push(Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(lang))));
            }
            Event::End(pulldown_cmark::TagEnd::CodeBlock) => {
                in_code = false;
                out.push(e);
            }
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                id,
                classes,
                attrs,
            }) => {
                out.push(Event::Start(Tag::Heading {
                    level: HeadingLevel::H2,
                    id,
                    classes,
                    attrs,
                }));
            }
            Event::End(pulldown_cmark::TagEnd::Heading(HeadingLevel::H1)) => {
                out.push(Event::End(pulldown_cmark::TagEnd::Heading(
                    HeadingLevel::H2,
                )));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let absolute = dest_url.starts_with("http://")
                    || dest_url.starts_with("https://")
                    || dest_url.starts_with("mailto:");
                dropped_links.push(!absolute);
                link_depth += 1;
                if absolute {
                    out.push(Event::Start(Tag::Link {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }));
                }
            }
            Event::End(pulldown_cmark::TagEnd::Link) => {
                link_depth = link_depth.saturating_sub(1);
                if !dropped_links.pop().unwrap_or(true) {
                    out.push(e);
                }
            }
            // Images become their alt text.
            Event::Start(Tag::Image { .. }) | Event::End(pulldown_cmark::TagEnd::Image) => {}
            Event::Text(t) if !in_code && link_depth == 0 => {
                let t = without_residue_keep_spaces(&t);
                mark_up(&t, &mut out);
            }
            Event::TaskListMarker(_) | Event::FootnoteReference(_) => {}
            other => out.push(other),
        }
    }
    out
}

fn without_residue_keep_spaces(t: &str) -> String {
    let mut s: String = t.to_string();
    for r in RESIDUE {
        s = s.replace(r, "");
    }
    // A lone "!" (an icon's text) goes, with one of the spaces around it.
    s.split(' ')
        .filter(|w| *w != "!")
        .collect::<Vec<_>>()
        .join(" ")
}

fn is_rust_lang(lang: &str) -> bool {
    let first = lang.split([',', ' ']).next().unwrap_or_default();
    first.is_empty()
        || matches!(
            first,
            "rust" | "ignore" | "should_panic" | "no_run" | "compile_fail" | "test_harness"
        )
        || first.starts_with("edition")
}

/// An identifier Zoho writes in prose: `snake_case` or `UPPER_SNAKE` with at least one `_`.
fn is_identifier(w: &str) -> bool {
    w.contains('_')
        && !w.starts_with('_')
        && !w.ends_with('_')
        && w.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && w.chars().any(|c| c.is_ascii_alphabetic())
}

/// Text with identifiers as code and bare URLs as autolinks.
fn mark_up<'a>(t: &str, out: &mut Vec<Event<'a>>) {
    let mut plain = String::new();
    let flush = |plain: &mut String, out: &mut Vec<Event<'a>>| {
        if !plain.is_empty() {
            out.push(Event::Text(CowStr::from(std::mem::take(plain))));
        }
    };
    for (k, word) in t.split(' ').enumerate() {
        if k > 0 {
            plain.push(' ');
        }
        let core = word.trim_end_matches(['.', ',', ')', ';', ':', '!', '?', '\'', '"']);
        // A URL glued to what precedes it (`syntax\](https://…)`, from escaped Markdown) is
        // a URL all the same: rustdoc would call it a bare one.
        let lead = ["https://", "http://"]
            .iter()
            .filter_map(|scheme| core.find(scheme))
            .min()
            .unwrap_or_else(|| core.len() - core.trim_start_matches(['(', '"', '\'']).len());
        let (pre, core) = core.split_at(lead);
        let post = &word[lead + core.len()..];
        if core.starts_with("http://") || core.starts_with("https://") {
            plain.push_str(pre);
            flush(&mut plain, out);
            let url = CowStr::from(core.to_string());
            out.push(Event::Start(Tag::Link {
                link_type: LinkType::Autolink,
                dest_url: url.clone(),
                title: CowStr::from(""),
                id: CowStr::from(""),
            }));
            out.push(Event::Text(url));
            out.push(Event::End(pulldown_cmark::TagEnd::Link));
            plain.push_str(post);
        } else if is_identifier(core) {
            plain.push_str(pre);
            flush(&mut plain, out);
            out.push(Event::Code(CowStr::from(core.to_string())));
            plain.push_str(post);
        } else {
            plain.push_str(word);
        }
    }
    flush(&mut plain, out);
}

/// Trailing spaces off, blank-line runs collapsed, ends trimmed.
fn tidy(md: &str) -> String {
    let mut out = String::new();
    let mut blank = 0;
    for line in md.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        out.push_str(line);
    }
    out
}

/// Words of an identifier, lower case: `create_a_new_bot` → "create a new bot".
fn words(name: &str) -> String {
    heck::ToSnakeCase::to_snake_case(name).replace('_', " ")
}

/// First letter upper case.
fn sentence_case(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Docs of an operation the spec leaves undocumented: its name as a sentence and its request.
pub fn operation_fallback(method: &str, path: &str, operation_id: &str) -> String {
    format!(
        "{}: sends `{} {path}`.",
        sentence_case(&words(operation_id)),
        method.to_uppercase()
    )
}

/// How a type reads in a sentence, with links to named types.
pub fn type_phrase(t: &TypeRef) -> String {
    match t {
        TypeRef::String => "text".into(),
        TypeRef::Bool => "`true` or `false`".into(),
        TypeRef::Int(_) => "an integer".into(),
        TypeRef::Float => "a number".into(),
        TypeRef::Json => "any JSON value".into(),
        TypeRef::Text => "text".into(),
        TypeRef::Bytes => "bytes".into(),
        TypeRef::Named(n) => {
            let article = if n.starts_with(['A', 'E', 'I', 'O', 'U']) {
                "an"
            } else {
                "a"
            };
            format!("{article} [`{n}`]")
        }
        TypeRef::Vec(inner) => format!("a list of {}", plural(inner)),
        TypeRef::Map(inner) => format!("a map from names to {}", plural(inner)),
        TypeRef::Boxed(inner) => type_phrase(inner),
        TypeRef::Nullable(inner) => format!("{} or nothing", type_phrase(inner)),
        TypeRef::File => "a file".into(),
        TypeRef::External(path) => format!("a `{path}`"),
    }
}

/// A tuple in words: "an array of text and an integer, then any number of numbers".
pub fn tuple_phrase(elements: &[TypeRef], rest: Option<&TypeRef>) -> String {
    let parts: Vec<String> = elements.iter().map(type_phrase).collect();
    let fixed = match parts.as_slice() {
        [] => "an empty array".to_string(),
        [one] => format!("an array of {one}"),
        [init @ .., last] => format!("an array of {} and {last}", init.join(", ")),
    };
    match rest {
        Some(rest) => format!("{fixed}, then any number of {}", plural(rest)),
        None => fixed,
    }
}

fn plural(t: &TypeRef) -> String {
    match t {
        TypeRef::String => "texts".into(),
        TypeRef::Bool => "booleans".into(),
        TypeRef::Int(_) => "integers".into(),
        TypeRef::Float => "numbers".into(),
        TypeRef::Json => "JSON values".into(),
        TypeRef::Text => "texts".into(),
        TypeRef::Bytes => "byte strings".into(),
        TypeRef::Named(n) => format!("[`{n}`]s"),
        TypeRef::Vec(_) | TypeRef::Map(_) => format!("({})", type_phrase(t)),
        TypeRef::Boxed(inner) => plural(inner),
        TypeRef::Nullable(_) => format!("({})", type_phrase(t)),
        TypeRef::File => "files".into(),
        TypeRef::External(path) => format!("`{path}`s"),
    }
}

/// Docs of a field or parameter the spec leaves undocumented: its name in words and its type.
pub fn field_fallback(wire_name: &str, ty: &TypeRef) -> String {
    format!("{}: {}.", sentence_case(&words(wire_name)), type_phrase(ty))
}

/// `a`, `b` and `c` (at most `max`, then "and N more").
fn list_names<'a>(names: impl Iterator<Item = &'a str>, max: usize) -> String {
    let names: Vec<String> = names.map(|n| format!("`{n}`")).collect();
    match names.len() {
        0 => String::new(),
        1 => names[0].clone(),
        n if n > max => format!("{} and {} more", names[..max].join(", "), n - max),
        n => format!("{} and {}", names[..n - 1].join(", "), names[n - 1]),
    }
}

/// Where a schema sits, from its JSON pointer: "An item of `handlers` in `BotGetResponse.data`".
fn location(pointer: &str) -> Option<String> {
    let segs: Vec<String> = pointer
        .trim_start_matches("#/")
        .split('/')
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect();
    let (root, rest) = match segs.as_slice() {
        [c, s, name, rest @ ..] if c == "components" && s == "schemas" => {
            (format!("`{name}`"), rest)
        }
        [p, path, method, rest @ ..] if p == "paths" => {
            (format!("`{} {path}`", method.to_uppercase()), rest)
        }
        _ => return None,
    };
    if rest.is_empty() {
        return None;
    }
    // Property chain: "data.handlers[]".
    let mut chain: Vec<String> = Vec::new();
    let mut k = 0;
    let mut what = String::from("A part");
    while k < rest.len() {
        match rest[k].as_str() {
            "properties" if k + 1 < rest.len() => {
                chain.push(rest[k + 1].clone());
                what = format!("The `{}` value", rest[k + 1]);
                k += 2;
            }
            "items" => {
                what = match chain.last() {
                    Some(p) => format!("An item of `{p}`"),
                    None => "An item".into(),
                };
                if let Some(last) = chain.last_mut() {
                    last.push_str("[]");
                }
                k += 1;
            }
            "prefixItems" if k + 1 < rest.len() => {
                let i = &rest[k + 1];
                what = match chain.last() {
                    Some(p) => format!("Element {i} of `{p}`"),
                    None => format!("Element {i}"),
                };
                if let Some(last) = chain.last_mut() {
                    last.push_str(&format!(".{i}"));
                }
                k += 2;
            }
            "additionalProperties" => {
                what = match chain.last() {
                    Some(p) => format!("A value of the `{p}` map"),
                    None => "A value of the map".into(),
                };
                k += 1;
            }
            "parameters" => {
                what = "A parameter".into();
                k += 2;
            }
            "requestBody" => {
                what = "The request body".into();
                k += 1;
            }
            "responses" if k + 1 < rest.len() => {
                what = format!("The {} response", rest[k + 1]);
                k += 2;
            }
            _ => k += 1,
        }
    }
    // The owner: the root plus the chain up to (not including) the described part.
    let owner_chain = if chain.len() > 1 {
        let mut c = chain[..chain.len() - 1].join(".");
        c.insert(0, '.');
        c
    } else {
        String::new()
    };
    let root = if owner_chain.is_empty() {
        root
    } else {
        format!("{}{}`", root.trim_end_matches('`'), owner_chain)
    };
    Some(format!("{what} in {root}"))
}

/// Docs of a type the spec leaves undocumented: where it sits and what it holds.
pub fn type_fallback(def: &TypeDef) -> String {
    use crate::model::TypeKind;
    let shape = match &def.kind {
        TypeKind::Struct { fields, .. } if fields.is_empty() => "an object".to_string(),
        TypeKind::Multipart { fields } => format!(
            "a `multipart/form-data` body with the parts {}",
            list_names(fields.iter().map(|f| f.wire_name.as_str()), 6)
        ),
        TypeKind::Struct { fields, .. } => format!(
            "an object with {}",
            list_names(fields.iter().map(|f| f.wire_name.as_str()), 6)
        ),
        TypeKind::Enum { variants } => format!(
            "one of {}",
            list_names(variants.iter().map(|v| v.wire.as_str()), 8).replace(" and ", " or ")
        ),
        TypeKind::OneOf { variants, .. } => format!("one of {} alternatives", variants.len()),
        TypeKind::Tuple { elements, rest } => tuple_phrase(elements, rest.as_ref()),
        TypeKind::Alias(t) => type_phrase(t),
    };
    match location(&def.pointer) {
        Some(loc) => format!("{loc}: {shape}."),
        None => format!("{}.", sentence_case(&shape)),
    }
}

/// Rate limit in words: "10 requests per 5 minutes per user; further requests are locked out
/// for 30 minutes".
pub fn rate_limit_sentence(r: &RateLimitDoc) -> String {
    let window = match duration_words(r.window_secs) {
        (1, unit) => unit,
        (n, unit) => format!("{n} {unit}s"),
    };
    let mut s = format!(
        "{} request{} per {window}",
        r.requests,
        if r.requests == 1 { "" } else { "s" }
    );
    if !r.per.is_empty() {
        s.push_str(" per ");
        s.push_str(&r.per);
    }
    if let Some(lock) = r.lock_period_secs {
        let (n, unit) = duration_words(lock);
        let plural = if n == 1 { "" } else { "s" };
        s.push_str(&format!(
            "; further requests are locked out for {n} {unit}{plural}"
        ));
    }
    s
}

fn duration_words(secs: u64) -> (u64, String) {
    for (unit, len) in [
        ("week", 604_800),
        ("day", 86_400),
        ("hour", 3600),
        ("minute", 60),
    ] {
        if secs >= len && secs.is_multiple_of(len) {
            return (secs / len, unit.to_string());
        }
    }
    (secs, "second".to_string())
}

/// A table cell: one line, pipes escaped.
pub fn cell(md: &str) -> String {
    md.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}

/// Unicode's explicit direction controls (embeddings, overrides, isolates): rustc refuses them
/// in comments and doc comments (`text_direction_codepoint_in_comment`, deny by default), and
/// they can make text read other than it is. Dropped from every doc line the generator writes.
pub(crate) fn is_direction_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Plain text (an `info.title`, a version: OpenAPI gives them no Markdown) turned into inert
/// inline Markdown, the opposite direction of `prose::markup_to_plain`: one line, shown
/// exactly as written. HTML becomes entities (`<script>` renders as the text `<script>`, never
/// as markup) and Markdown's inline syntax is escaped.
pub fn plain_to_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
    {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '!' | '#' | '~' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() || is_direction_control(c) => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_glued_to_escaped_markdown_is_a_link() {
        let md = render(r"the syntax\](https://example.com/a/b), ok", Cut::default());
        assert!(md.contains("<https://example.com/a/b>),"), "{md}");
    }

    #[test]
    fn allowed_values_become_a_list() {
        let text = "Access level.\nAllowed values:\norganization: All users.\nteam: Some teams\nin_review: Pending.\nNote: not a value.\nDefault value: team\n";
        assert!(is_stripped_html(text));
        assert_eq!(
            rebuild_stripped_html(text),
            "Access level.\n\nAllowed values:\n\n- `organization`: All users.\n- `team`: Some teams\n- `in_review`: Pending.\n\nNote: not a value.\n\nDefault value: `team`."
        );
    }

    #[test]
    fn plain_to_markdown_is_inert() {
        assert_eq!(
            plain_to_markdown("<script>alert(1)</script> *a* [b](c)\n#x"),
            "&lt;script&gt;alert(1)&lt;/script&gt; \\*a\\* \\[b\\](c) \\#x"
        );
    }
}
