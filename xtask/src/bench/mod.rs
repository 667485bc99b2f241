//! `cargo xtask bench`: the side-by-side figures of `BENCHMARKS.md`, re-runnable from a clean
//! clone. Installs the peers it compares against, builds what it measures in release, runs
//! every comparison alternating A B A B … in one run, and writes `BENCHMARKS.md`.
//!
//! Benchmarks, not tests: nothing here fails because the machine is slow; a peer that refuses
//! a spec is a result, written in the table.
//!
//! One module a job: `args` (what to run), `peers` (the tools compared against), `specs` (what
//! they run on), `machine`, `timing` and `refusal` (one timed command and what it said),
//! `stats`; one module per group of figures: `generation` (1, 7a), `criterion` (2, 5, 8),
//! `compile` (3, 3b, 3c, 4), `http` (6, 7b); `figures` (the block of `BENCHMARKS.md` they fill).

mod args;
mod compile;
mod criterion;
mod figures;
mod generation;
mod http;
mod machine;
pub(crate) mod peers;
pub(crate) mod refusal;
mod specs;
mod stats;
mod timing;

pub use args::Args;

use crate::process::{cargo, project_root, run_echoed};
use std::fmt::Write as _;

pub fn run(mut args: Args) -> Result<(), String> {
    args.quicken();
    let root = project_root();
    let scratch = root.join("target/bench");
    std::fs::create_dir_all(&scratch).map_err(|e| format!("{}: {e}", scratch.display()))?;
    let machine = machine::description();
    let load_before = machine::loadavg();
    let install_notes = peers::install(&args, &root);
    run_echoed(
        cargo()
            .current_dir(&root)
            .args(["build", "--release", "-p", "xtask"]),
    )?;
    let xtask = root.join("target/release/xtask");
    let (specs, spec_notes) = specs::measured(&args, &root, &scratch)?;

    let mut report = String::new();
    let _ = writeln!(
        report,
        "Written by `cargo xtask bench` (see `xtask/src/bench/`); re-run it to \
         refresh every figure. Ratios come from runs alternating A B A B … in one run, so they \
         hold better than the absolute times on a busy machine.\n"
    );
    let _ = writeln!(report, "Machine: {machine}.  ");
    let _ = writeln!(report, "Load average at start: {load_before}.  ");
    let _ = writeln!(report, "Peers: {}.", peers::versions());
    for n in install_notes.iter().chain(&spec_notes) {
        let _ = writeln!(report, "\n- {n}");
    }

    if args.wants("gen") {
        let rows = generation::measure(&args, &root, &xtask, &specs, &scratch);
        generation::tables(&args, &specs, &rows, &mut report);
    }
    // Only what this run measured: never an earlier run's criterion estimates.
    if !args.no_criterion {
        criterion::run_benches(&args, &root);
        if args.wants("stages") {
            criterion::stages_section(&root, &mut report);
        }
        if args.wants("dispatch") {
            criterion::dispatch_section(&root, &mut report);
        }
        if args.wants("client") {
            criterion::client_section(&root, &mut report);
        }
    }
    if args.wants("crate") {
        compile::crate_section(&args, &root, &xtask, &scratch, &mut report);
        compile::features_section(&args, &root, &scratch, &mut report);
    }
    if args.wants("modules") {
        compile::modules_section(&args, &root, &scratch, &mut report);
    }
    if args.wants("macro") {
        compile::macro_section(&args, &root, &scratch, &mut report);
    }
    if args.wants("http") {
        http::section(&args, &root, &scratch, &mut report);
    }
    let _ = writeln!(report, "\nLoad average at end: {}.", machine::loadavg());

    let out = args.out.unwrap_or_else(|| root.join("BENCHMARKS.md"));
    figures::write(&out, &report, &args.only)?;
    eprintln!("wrote {}", out.display());
    Ok(())
}
