//! Figures 2, 5 and 8: the criterion benches of `codegen/benches` and `webhook/benches`, run
//! and read back.

use super::args::Args;
use crate::process::{cargo, run_echoed};
use std::fmt::Write as _;
use std::path::Path;

/// Runs the criterion benches the sections of `args` want (`--quick`: shorter, fewer specs). A
/// bench that fails is reported and its figures are then "not measured".
pub(super) fn run_benches(args: &Args, root: &Path) {
    let bench = |package: &str, bench: &str, filter: Option<&str>| {
        let mut cmd = cargo();
        cmd.current_dir(root)
            .args(["bench", "-p", package, "--bench", bench, "--", "--noplot"]);
        if args.quick {
            cmd.args(["--warm-up-time", "1", "--measurement-time", "2"]);
        }
        cmd.args(filter);
        run_echoed(&mut cmd)
    };
    let quick_specs = args
        .quick
        .then_some("(bots|nexus|synth-100|synth-1000|synth-5000)/");
    for (wanted, package, name, filter) in [
        ("stages", "cliq-codegen", "stages", quick_specs),
        ("dispatch", "cliq-webhook", "dispatch", None),
        ("client", "cliq-webhook", "client", None),
    ] {
        if args.wants(wanted) {
            // The bench rewrites its own JSON figures; an earlier run's must not stand in.
            let own = match wanted {
                "dispatch" => Some("dispatch.json"),
                "client" => Some("client.json"),
                _ => None,
            };
            if let Some(stale) = own {
                let _ = std::fs::remove_file(root.join("target/bench").join(stale));
            }
            if let Err(e) = bench(package, name, filter) {
                eprintln!("{e}");
            }
        }
    }
}

/// Reads a criterion estimate (median, ns) of `group/id`.
fn criterion_median(root: &Path, group: &str, id: &str) -> Option<f64> {
    let path = root
        .join("target/criterion")
        .join(group)
        .join(id.replace('/', "_"))
        .join("new/estimates.json");
    let text = std::fs::read_to_string(path).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    v["median"]["point_estimate"].as_f64()
}

fn fmt_ns(ns: f64) -> String {
    if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.1} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}

/// Figure 2: stages of generation in process vs the parse + format floor (criterion).
pub(super) fn stages_section(root: &Path, report: &mut String) {
    let _ = writeln!(
        report,
        "\n## 2. Generation in process, by stage (criterion, median)\n"
    );
    let _ = writeln!(
        report,
        "`cargo bench -p cliq-codegen --bench stages`. `generate` = lower + tokens + syn parse + \
         prettyplease (as `cliq_codegen::generate` does it). Two floors, both with the serde \
         parse of the same text into an untyped value: **floor A** adds prettyplease of the \
         same output files, syn-parsed outside the timing (formatting only); **floor B** adds \
         `syn::parse2` of the same files' token streams + prettyplease (what formatting tokens \
         costs: prettyplease needs a `syn::File`). Ratios are ours total / floor total.\n"
    );
    let _ = writeln!(
        report,
        "| spec | parse (ours) | parse floor | lower | generate | prettyplease floor | parse2 + prettyplease floor | write | ours total | floor A | floor B | ratio A | ratio B |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|"
    );
    for spec in ["bots", "nexus", "synth-100", "synth-1000", "synth-5000"] {
        let g = |id: &str| criterion_median(root, "stages", &format!("{spec}/{id}"));
        let (Some(parse), Some(floor_parse), Some(lower), Some(generate), Some(pp), Some(write)) = (
            g("parse"),
            g("floor_parse"),
            g("lower"),
            g("generate"),
            g("floor_prettyplease"),
            g("write"),
        ) else {
            let _ = writeln!(report, "| {spec} | not measured ||||||||||||");
            continue;
        };
        let pp2 = g("floor_parse2_prettyplease");
        let ours = parse + generate;
        let floor_a = floor_parse + pp;
        let floor_b = pp2.map(|p| floor_parse + p);
        let or_dash = |v: Option<String>| v.unwrap_or_else(|| "—".into());
        let _ = writeln!(
            report,
            "| {spec} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {:.2}× | {} |",
            fmt_ns(parse),
            fmt_ns(floor_parse),
            fmt_ns(lower),
            fmt_ns(generate),
            fmt_ns(pp),
            or_dash(pp2.map(fmt_ns)),
            fmt_ns(write),
            fmt_ns(ours),
            fmt_ns(floor_a),
            or_dash(floor_b.map(fmt_ns)),
            ours / floor_a,
            or_dash(floor_b.map(|f| format!("{:.2}×", ours / f))),
        );
    }
}

/// Figure 5: dispatch in process vs the serde floor (criterion + counting allocator).
pub(super) fn dispatch_section(root: &Path, report: &mut String) {
    let _ = writeln!(
        report,
        "\n## 5. Dispatch in process (criterion, median; allocations from a counting allocator)\n"
    );
    let _ = writeln!(
        report,
        "`cargo bench -p cliq-webhook --bench dispatch`. Floor = `serde_json` parse of the same \
         bytes into the same extractor structs + serialize of the same reply. Paired = the same \
         two calls timed in 20,000 pairs back to back (order flipping every pair, each call \
         timed alone): the median of the per-pair ratios with its quartiles, the figure for the \
         goal (criterion's groups run one after the other and drift with the load).\n"
    );
    let allocs: serde_json::Value =
        std::fs::read_to_string(root.join("target/bench/dispatch.json"))
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or(serde_json::Value::Null);
    let _ = writeln!(
        report,
        "| handler type | dispatch | floor | ratio | paired ratio (quartiles) | allocs/request | floor allocs | ratio |\n|---|---|---|---|---|---|---|---|"
    );
    for kind in ["message", "menu", "welcome", "participation"] {
        let d = criterion_median(root, "dispatch", &format!("{kind}/dispatch"));
        let f = criterion_median(root, "dispatch", &format!("{kind}/floor"));
        let ad = allocs[kind]["dispatch"].as_f64();
        let af = allocs[kind]["floor"].as_f64();
        let r = |a: Option<f64>, b: Option<f64>| match (a, b) {
            (Some(a), Some(b)) if b > 0.0 => format!("{:.2}×", a / b),
            _ => "—".into(),
        };
        let n = |a: Option<f64>| a.map(|a| format!("{a:.0}")).unwrap_or_else(|| "—".into());
        let p = &allocs[kind]["paired"];
        let paired = match (
            p["ratio_median"].as_f64(),
            p["ratio_q1"].as_f64(),
            p["ratio_q3"].as_f64(),
        ) {
            (Some(m), Some(q1), Some(q3)) => format!("**{m:.2}×** ({q1:.2}–{q3:.2})"),
            _ => "—".into(),
        };
        let _ = writeln!(
            report,
            "| {kind} | {} | {} | {} | {paired} | {} | {} | {} |",
            d.map(fmt_ns).unwrap_or_else(|| "—".into()),
            f.map(fmt_ns).unwrap_or_else(|| "—".into()),
            r(d, f),
            n(ad),
            n(af),
            r(ad, af)
        );
    }
}

/// Figure 8: the generated client + runtime vs bare reqwest (criterion).
pub(super) fn client_section(root: &Path, report: &mut String) {
    let _ = writeln!(
        report,
        "\n## 8. The client: overhead per call (criterion, median)\n\n\
         `cargo bench -p cliq-webhook --bench client`: `get_bot` of the \
         generated client (runtime: auth header, limiter off, error decoding, JSON into \
         `BotGetResponse`) vs a bare `reqwest` GET of the same URL with the same header decoded \
         into the same type, against one local axum server, keep-alive.\n"
    );
    let g = criterion_median(root, "client", "generated");
    let b = criterion_median(root, "client", "bare_reqwest");
    let t = criterion_median(root, "client", "bare_reqwest_timeout");
    match (g, b) {
        (Some(g), Some(b)) => {
            let _ = writeln!(
                report,
                "| generated client | bare reqwest | overhead per call | goal | bare reqwest with the runtime's request timeout |\n|---|---|---|---|---|\n\
                 | {} | {} | {:+.1}% ({}) | ≤ 5% | {} |",
                fmt_ns(g),
                fmt_ns(b),
                (g / b - 1.0) * 100.0,
                fmt_ns(g - b),
                t.map(fmt_ns).unwrap_or_else(|| "—".into())
            );
        }
        _ => {
            let _ = writeln!(report, "Not measured in this run.");
        }
    }
    // The same calls timed in alternating blocks (the bench's paired pass): the figure for
    // the goal, as criterion's groups above run one after the other and drift with the load.
    let paired = std::fs::read_to_string(root.join("target/bench/client.json"))
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok());
    if let Some(p) = paired {
        let f = |k: &str| p[k].as_f64().unwrap_or(f64::NAN);
        let _ = writeln!(
            report,
            "\nPaired ({} pairs of one generated and one bare call, alternating, each timed \
             alone): median call generated {}, bare {}; overhead **{:+.1}%** (median of the \
             per-pair ratios; quartiles {:+.1}% to {:+.1}%), ratio of the medians {:+.1}%.",
            f("pairs"),
            fmt_ns(f("generated_ns")),
            fmt_ns(f("bare_ns")),
            (f("ratio_median") - 1.0) * 100.0,
            (f("ratio_q1") - 1.0) * 100.0,
            (f("ratio_q3") - 1.0) * 100.0,
            (f("ratio_of_medians") - 1.0) * 100.0,
        );
    }
}
