//! The claims the prose of `README.md`, `ROBUSTNESS.md` and `BENCHMARKS.md` makes about the code
//! and about the figures the tools write, checked against them.
//!
//! Each check reads one specific sentence, list or table. Whitespace is normalized first, so
//! reflowing a paragraph changes nothing; rewording a checked sentence makes its check fail with
//! the text it looked for, so the check moves with the text instead of passing silently.

#[allow(dead_code)] // the corpus's document builders serve the generator's own hostile tests
#[path = "../../codegen/tests/hostile/cases.rs"]
mod hostile_cases;

use std::collections::BTreeSet;
use std::time::Duration;

use cliq_runtime::{DataCenter, RetryPolicy, DEFAULT_MAX_RESPONSE_BYTES};
use cliq_webhook::bot::{DEFAULT_REPLAY_WINDOW, DEFAULT_REPLY_BUDGET, DEFAULT_REPLY_MARGIN};
use cliq_webhook::rules::{reply_modes, Component, ReplyMode, HANDLERS};
use hostile_cases::{Expect, CASES};

/// A workspace file, whitespace runs collapsed to one space when `normalize`.
fn read(path: &str, normalize: bool) -> String {
    let full = cliq_tests::workspace_root().join(path);
    let text = std::fs::read_to_string(&full)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", full.display()));
    if normalize {
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    } else {
        text
    }
}

/// The text of the section under `## {heading}` (up to the next `## ` heading).
fn section<'a>(file: &str, text: &'a str, heading: &str) -> &'a str {
    let marker = format!("## {heading}\n");
    let start = text
        .find(&marker)
        .unwrap_or_else(|| panic!("{file} has no `{}` section", marker.trim_end()))
        + marker.len();
    let end = text[start..]
        .find("\n## ")
        .map_or(text.len(), |i| start + i);
    &text[start..end]
}

/// The leading number of `s` (after `**`, a sign, spaces), e.g. `4.4×` → 4.4, `**+7%**` → 7.
fn leading_number(s: &str) -> Option<f64> {
    let s = s.trim_start().trim_start_matches("**");
    let (negative, s) = match s.strip_prefix(['-', '−']) {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let end = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let n: f64 = s[..end].parse().ok()?;
    Some(if negative { -n } else { n })
}

/// The numbers written where `{}` stands in `pattern`, at every place `text` has it.
fn numbers_at(text: &str, pattern: &str) -> Vec<f64> {
    let (before, after) = pattern
        .split_once("{}")
        .unwrap_or_else(|| panic!("pattern without `{{}}`: {pattern}"));
    let mut found = Vec::new();
    for (i, _) in text.match_indices(before) {
        let rest = &text[i + before.len()..];
        let end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        if end > 0 && rest[end..].starts_with(after) {
            if let Ok(n) = rest[..end].parse() {
                found.push(n);
            }
        }
    }
    found
}

/// Problems found so far, reported all at once.
#[derive(Default)]
struct Problems(Vec<String>);

impl Problems {
    /// `file`'s text says `expected` (from the code: `source`) wherever `pattern` appears.
    fn number(&mut self, file: &str, text: &str, pattern: &str, expected: f64, source: &str) {
        let found = numbers_at(text, pattern);
        if found.is_empty() {
            self.0.push(format!(
                "{file} no longer says `{pattern}`; reworded? move this check \
                 (tests/tests/docs_claims.rs) with the text"
            ));
        }
        for n in found {
            if n != expected {
                self.0.push(format!(
                    "{file} says `{}`, but {source} is {expected}",
                    pattern.replace("{}", &n.to_string())
                ));
            }
        }
    }

    fn check(self) {
        assert!(self.0.is_empty(), "\n{}", self.0.join("\n"));
    }
}

#[test]
fn readme_lists_every_data_center() {
    let readme = read("README.md", true);
    let anchor = "(`DataCenter::ALL`: ";
    let start = readme
        .find(anchor)
        .unwrap_or_else(|| panic!("README.md no longer lists the data centers after `{anchor}`"))
        + anchor.len();
    let end = readme[start..]
        .find(')')
        .map(|i| start + i)
        .expect("the list of data centers is closed by `)`");
    let listed: Vec<&str> = readme[start..end]
        .split(',')
        .map(|code| code.trim().trim_matches('`'))
        .collect();
    let code: Vec<&str> = DataCenter::ALL.iter().map(|dc| dc.code()).collect();
    assert_eq!(
        listed, code,
        "README.md's data centers differ from cliq_runtime::DataCenter::ALL"
    );
}

#[test]
fn readme_reply_modes_match_the_rules() {
    let readme = read("README.md", true);
    let (pre, post) = ("only the ", " handlers can answer with a form");
    let end = readme
        .find(post)
        .unwrap_or_else(|| panic!("README.md no longer says which handlers `{post}`"));
    let start = readme[..end]
        .rfind(pre)
        .unwrap_or_else(|| panic!("README.md: no `{pre}` before `{post}`"))
        + pre.len();
    let said: BTreeSet<String> = readme[start..end]
        .replace(" and ", ", ")
        .split(", ")
        .map(|name| format!("{}_handler", name.trim()))
        .collect();
    let bots = || HANDLERS.iter().filter(|h| h.component == Component::Bot);
    let with_form: BTreeSet<String> = bots()
        .filter(|h| reply_modes(h.kind).contains(&ReplyMode::Form))
        .map(|h| h.handler_type.to_owned())
        .collect();
    assert_eq!(
        said, with_form,
        "README.md's handlers that can answer with a form differ from cliq_rules::reply_modes"
    );

    let call = "the call handler (whose requests carry no `response_url`) answers immediately only";
    assert!(readme.contains(call), "README.md no longer says `{call}`");
    let immediate_only: Vec<&str> = bots()
        .filter(|h| reply_modes(h.kind) == [ReplyMode::Immediate])
        .map(|h| h.handler_type)
        .collect();
    assert_eq!(
        immediate_only,
        ["call_handler"],
        "README.md says only the call handler answers immediately only; cliq_rules::reply_modes differs"
    );
}

#[test]
fn defaults_quoted_in_prose_match_the_code() {
    let readme = read("README.md", true);
    let robustness = read("ROBUSTNESS.md", true);
    let retry = read("runtime/src/retry.rs", true);
    let minutes = |d: Duration| d.as_secs_f64() / 60.0;
    let mut p = Problems::default();
    let window = minutes(DEFAULT_REPLAY_WINDOW);
    let budget = DEFAULT_REPLY_BUDGET.as_secs_f64();
    p.number(
        "README.md",
        &readme,
        "more than {} minutes away (`replay_window`)",
        window,
        "DEFAULT_REPLAY_WINDOW (minutes)",
    );
    p.number(
        "README.md",
        &readme,
        "Cliq waits about {} s after a request's `timestamp`",
        budget,
        "DEFAULT_REPLY_BUDGET (s)",
    );
    p.number(
        "README.md",
        &readme,
        "a handler still running {} s before that (`BotBuilder::reply_budget`, `reply_margin`)",
        DEFAULT_REPLY_MARGIN.as_secs_f64(),
        "DEFAULT_REPLY_MARGIN (s)",
    );
    p.number(
        "ROBUSTNESS.md",
        &robustness,
        "(default `DEFAULT_REPLAY_WINDOW` = {} minutes",
        window,
        "DEFAULT_REPLAY_WINDOW (minutes)",
    );
    p.number(
        "ROBUSTNESS.md",
        &robustness,
        "(default {} min, `BotBuilder::replay_window`)",
        window,
        "DEFAULT_REPLAY_WINDOW (minutes)",
    );
    p.number(
        "ROBUSTNESS.md",
        &robustness,
        "(`DEFAULT_REPLY_BUDGET`, {} s,",
        budget,
        "DEFAULT_REPLY_BUDGET (s)",
    );
    p.number(
        "ROBUSTNESS.md",
        &robustness,
        "`ClientBuilder::max_response_bytes` (default {} MiB)",
        (DEFAULT_MAX_RESPONSE_BYTES >> 20) as f64,
        "DEFAULT_MAX_RESPONSE_BYTES (MiB)",
    );
    // `RetryPolicy` keeps its settings private; equality with a policy built from the number
    // the text gives says whether the default has it.
    let resends = (0..=10)
        .find(|&n| RetryPolicy::default() == RetryPolicy::default().max_retries(n))
        .map_or(f64::NAN, |n| n as f64);
    p.number(
        "ROBUSTNESS.md",
        &robustness,
        "sent 3 times (1 + {} resends)",
        resends,
        "RetryPolicy::default()'s resends",
    );
    p.number(
        "runtime/src/retry.rs",
        &retry,
        "Resend at most `n` times (default {})",
        resends,
        "RetryPolicy::default()'s resends",
    );
    let first_delay_ms = (1..=1000)
        .find(|&ms| {
            RetryPolicy::default()
                == RetryPolicy::default().delays(Duration::from_millis(ms), Duration::from_secs(5))
        })
        .map_or(f64::NAN, |ms| ms as f64);
    p.number(
        "runtime/src/retry.rs",
        &retry,
        "(default {} ms and 5 s)",
        first_delay_ms,
        "RetryPolicy::default()'s first delay with a 5 s cap (ms)",
    );
    p.number(
        "runtime/src/retry.rs",
        &retry,
        "(about {} ms, then",
        first_delay_ms,
        "RetryPolicy::default()'s first delay (ms)",
    );
    p.check();
}

#[test]
fn robustness_counts_the_hostile_spec_corpus() {
    let text = read("ROBUSTNESS.md", true);
    let count = |f: fn(&Expect) -> bool| CASES.iter().filter(|c| f(&c.2)).count() as f64;
    let all = CASES.len() as f64;
    let refused = count(|e| matches!(e, Expect::Error(_)));
    let warned = count(|e| matches!(e, Expect::Warning(_)));
    let clean = count(|e| matches!(e, Expect::Ok));
    let source = "codegen/tests/hostile/cases.rs";
    let mut p = Problems::default();
    for (pattern, expected, what) in [
        ("| {} named cases:", all, "the number of cases"),
        (
            "| {} refused with a JSON pointer",
            refused,
            "Expect::Error cases",
        ),
        (
            "; {} generated with a warning",
            warned,
            "Expect::Warning cases",
        ),
        ("; {} generated cleanly", clean, "Expect::Ok cases"),
        ("| the {} accepted cases", clean + warned, "accepted cases"),
        ("accepted cases ({} clean + ", clean, "Expect::Ok cases"),
        (
            " clean + {} with warnings)",
            warned,
            "Expect::Warning cases",
        ),
        ("| all {} build with", clean + warned, "accepted cases"),
        ("| the same {} + invalid UTF-8", all, "the number of cases"),
    ] {
        p.number(
            "ROBUSTNESS.md",
            &text,
            pattern,
            expected,
            &format!("{source}'s {what}"),
        );
    }
    p.check();
}

#[test]
fn readme_layout_names_every_workspace_member() {
    let manifest: toml::Table = read("Cargo.toml", false)
        .parse()
        .expect("the workspace Cargo.toml parses");
    let members = manifest["workspace"]["members"]
        .as_array()
        .expect("workspace.members is a list");
    let readme = read("README.md", false);
    let layout = section("README.md", &readme, "Layout");
    let missing: BTreeSet<&str> = members
        .iter()
        .filter_map(|m| m.as_str()?.split('/').next())
        .filter(|dir| !layout.contains(&format!("`{dir}/`")))
        .collect();
    assert!(
        missing.is_empty(),
        "README.md's Layout does not name these workspace members' directories: {missing:?}"
    );
}

/// One figure of the block `cargo xtask bench` writes: `## 5. Dispatch …` and what follows.
struct Figure<'a> {
    id: &'a str,
    body: &'a str,
}

/// The figures block of BENCHMARKS.md and the hand-written prose around it.
fn benchmarks(text: &str) -> (Vec<Figure<'_>>, String) {
    let (start, end) = ("<!-- figures:", "<!-- end of figures -->");
    let a = text
        .find(start)
        .unwrap_or_else(|| panic!("BENCHMARKS.md has no `{start}` marker"));
    let b = text
        .find(end)
        .unwrap_or_else(|| panic!("BENCHMARKS.md has no `{end}` marker"));
    let block = &text[a..b];
    let figures = block
        .split("\n## ")
        .skip(1)
        .map(|part| Figure {
            id: part.split_once('.').map_or("", |(id, _)| id.trim()),
            body: part,
        })
        .collect();
    (figures, format!("{}{}", &text[..a], &text[b..]))
}

/// The cells of one Markdown table row.
fn cells(line: &str) -> Vec<&str> {
    line.trim()
        .trim_matches('|')
        .split('|')
        .map(str::trim)
        .collect()
}

/// The first Markdown table in `text`: its header, then its rows.
fn table(text: &str) -> Option<(Vec<&str>, Vec<Vec<&str>>)> {
    let mut lines = text
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'));
    let header = cells(lines.next()?);
    Some((header, lines.skip(1).map(cells).collect()))
}

/// A goal as the text states it: `≥ 10×`, `≤ +10%`.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Goal {
    AtLeast(f64),
    AtMost(f64),
}

impl Goal {
    /// The first `≥ N` or `≤ N` in `text`.
    fn find(text: &str) -> Option<Goal> {
        let (i, c) = text.char_indices().find(|(_, c)| matches!(c, '≥' | '≤'))?;
        let n = leading_number(&text[i + c.len_utf8()..])?;
        Some(if c == '≥' {
            Goal::AtLeast(n)
        } else {
            Goal::AtMost(n)
        })
    }

    fn met_by(self, value: f64) -> bool {
        match self {
            Goal::AtLeast(n) => value >= n,
            Goal::AtMost(n) => value <= n,
        }
    }
}

/// What the figure says for `name`: the values of every table column whose header contains it,
/// or else the bold numbers of the lines that contain it; and the goal the figure states there.
fn values(figure: &Figure<'_>, name: &str) -> (Vec<f64>, Option<Goal>) {
    if let Some((header, rows)) = table(figure.body) {
        let columns: Vec<usize> = (0..header.len())
            .filter(|&i| header[i].contains(name))
            .collect();
        if !columns.is_empty() {
            let values = rows
                .iter()
                .flat_map(|row| columns.iter().filter_map(|&i| leading_number(row.get(i)?)))
                .collect();
            return (values, Goal::find(header[columns[0]]));
        }
    }
    let lines: Vec<&str> = figure.body.lines().filter(|l| l.contains(name)).collect();
    let values = lines
        .iter()
        .flat_map(|l| l.split("**").skip(1).step_by(2))
        .filter_map(leading_number)
        .collect();
    let goal = lines.iter().find_map(|l| {
        let (_, after) = l.split_once("goal ")?;
        Goal::find(after)
    });
    (values, goal)
}

/// Every figure named in `prose`: `figure 5`, `figures 5 and 6`, `Figures 2, 5 and 8`.
fn figure_references(prose: &str) -> Vec<String> {
    let lower = prose.to_lowercase();
    let mut ids = Vec::new();
    for (i, _) in lower.match_indices("figure") {
        let mut rest = lower[i + "figure".len()..].trim_start_matches('s');
        while let Some(after_space) = rest.strip_prefix(' ') {
            let digits = after_space
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(after_space.len());
            if digits == 0 {
                break;
            }
            let mut end = digits;
            let next = after_space[end..].chars().next();
            let after_next = after_space[end..].chars().nth(1);
            if next.is_some_and(|c| c.is_ascii_lowercase())
                && !after_next.is_some_and(|c| c.is_alphanumeric())
            {
                end += 1;
            }
            ids.push(after_space[..end].to_owned());
            rest = &after_space[end..];
            rest = rest
                .strip_prefix(",")
                .or_else(|| rest.strip_prefix(" and"))
                .unwrap_or("");
        }
    }
    ids
}

#[test]
fn every_figure_named_in_prose_exists() {
    let text = read("BENCHMARKS.md", false);
    let (figures, prose) = benchmarks(&text);
    let ids: BTreeSet<&str> = figures.iter().map(|f| f.id).collect();
    let mut unknown = Vec::new();
    for (file, prose) in [
        ("BENCHMARKS.md", prose),
        ("README.md", read("README.md", true)),
        ("ROBUSTNESS.md", read("ROBUSTNESS.md", true)),
    ] {
        for id in figure_references(&prose) {
            if !ids.contains(id.as_str()) {
                unknown.push(format!("{file} names figure {id}"));
            }
        }
    }
    assert!(
        unknown.is_empty(),
        "figures that `cargo xtask bench` does not write (it writes {ids:?}):\n{}",
        unknown.join("\n")
    );
}

#[test]
fn benchmarks_summary_follows_from_the_figures() {
    let text = read("BENCHMARKS.md", false);
    let (figures, prose) = benchmarks(&text);
    let summary = section(
        "BENCHMARKS.md",
        &prose,
        "Summary against the goals (the full run above)",
    );
    let (header, rows) = table(summary).expect("the summary has a table");
    let column = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .unwrap_or_else(|| panic!("the summary table has no `{name}` column: {header:?}"))
    };
    let (goal_at, where_at, status_at) =
        (column("goal"), column("where to read it"), column("status"));
    let mut problems = Vec::new();
    let mut checked = 0;
    for row in &rows {
        let (goal_text, place, status) = (row[goal_at], row[where_at], row[status_at]);
        let Some(id) = place
            .strip_prefix("figure ")
            .map(|rest| rest.split([',', ' ']).next().unwrap_or(""))
        else {
            problems.push(format!(
                "`{goal_text}`: `{place}` does not start with `figure N`"
            ));
            continue;
        };
        let Some(figure) = figures.iter().find(|f| f.id == id) else {
            problems.push(format!("`{goal_text}`: there is no figure {id}"));
            continue;
        };
        let Some(goal) = Goal::find(goal_text) else {
            continue; // a figure without a goal, or a goal no column can decide
        };
        let Some(name) = place.split('`').nth(1) else {
            problems.push(format!("`{goal_text}`: `{place}` names no `column`"));
            continue;
        };
        let (values, stated) = values(figure, name);
        if values.is_empty() {
            problems.push(format!(
                "`{goal_text}`: figure {id} has no values under `{name}`"
            ));
            continue;
        }
        if stated.is_some_and(|g| g != goal) {
            problems.push(format!(
                "`{goal_text}`: the summary's goal is {goal:?}, figure {id} states {stated:?}"
            ));
        }
        let met = values.iter().filter(|&&v| goal.met_by(v)).count();
        let expected = match met {
            0 => "not met",
            n if n == values.len() => "met",
            _ => "partly met",
        };
        let said = status.split("**").nth(1).unwrap_or("");
        if said != expected {
            problems.push(format!(
                "`{goal_text}`: the summary says **{said}**, but figure {id} `{name}` gives \
                 {values:?} against {goal:?}: **{expected}** (update the status and its why)"
            ));
        }
        checked += 1;
    }
    assert!(
        checked > 0,
        "no row of the summary has a goal the figures decide"
    );
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn readme_speed_section_quotes_no_figures() {
    let readme = read("README.md", false);
    let speed = section("README.md", &readme, "Speed");
    let units = [
        "ms", "µs", "s ", "×", "%", "MiB", "GiB", "KiB", "k req", "req/s",
    ];
    let quoted: Vec<&str> = speed
        .match_indices(|c: char| c.is_ascii_digit())
        .map(|(i, _)| &speed[i..])
        .filter(|rest| {
            let after =
                rest.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ',');
            let after = after.trim_start_matches(' ');
            units.iter().any(|u| after.starts_with(u))
        })
        .map(|rest| &rest[..rest.len().min(20)])
        .collect();
    assert!(
        quoted.is_empty(),
        "README.md's Speed section quotes measured figures (they belong to BENCHMARKS.md's \
         tool-written block; name the figure instead): {quoted:?}"
    );
}
