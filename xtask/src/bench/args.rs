//! The arguments of `cargo xtask bench` and the sections they select.

use std::path::PathBuf;

/// Arguments of `cargo xtask bench`.
#[derive(clap::Args)]
pub struct Args {
    /// Whole-process runs per command and spec (alternating between the tools).
    #[arg(long, default_value_t = 5)]
    pub(super) runs: usize,
    /// Do not install missing peers (they are then reported as not installed).
    #[arg(long)]
    pub(super) no_install: bool,
    /// Skip OpenAPI Generator (a JVM start per run: the slowest part of the harness).
    #[arg(long)]
    pub(super) no_openapi_generator: bool,
    /// Runs of OpenAPI Generator per spec (in the first rounds; 10–60 s each, and its ratio
    /// is two orders of magnitude, so one run is enough to place it).
    #[arg(long, default_value_t = 1)]
    pub(super) openapi_generator_runs: usize,
    /// Seconds of load per HTTP round (rounds alternate bot, bare, bot, bare, …).
    #[arg(long, default_value_t = 10)]
    pub(super) http_seconds: u32,
    /// HTTP rounds per server.
    #[arg(long, default_value_t = 3)]
    pub(super) http_rounds: usize,
    /// Skip the criterion benches (figures 2 and 5).
    #[arg(long)]
    pub(super) no_criterion: bool,
    /// Where to write the report (default: BENCHMARKS.md at the workspace root).
    #[arg(long)]
    pub(super) out: Option<PathBuf>,
    /// A quick pass (about 15 minutes on a quiet 2-core machine): 3 runs, a subset of the
    /// specs (Bots, Zoho's module specs, nexus, synthetic 100 and 1,000), OpenAPI Generator on
    /// Bots only, short criterion and HTTP rounds, one build round for figures 3 and 4, and no
    /// top-up of the example bot to 1M requests.
    #[arg(long)]
    pub(super) quick: bool,
    /// An earlier build of the xtask binary, measured beside the current one in figure 1
    /// (the before/after of a change): `cp target/release/xtask /tmp/xtask-before` first.
    #[arg(long)]
    pub(super) before: Option<PathBuf>,
    /// A checkout of the tree before `cliq-api` held every module (`git worktree add DIR
    /// REV`): its `cliq-api` (the Bots module alone) is built beside today's `bots` feature in
    /// figure 3b.
    #[arg(long)]
    pub(super) api_before: Option<PathBuf>,
    /// Only these sections, comma-separated: gen, stages, dispatch, client, http, crate (figures
    /// 3 and 3b), modules (figure 3c), macro. The figures of the others stay as they are in
    /// the file written.
    #[arg(long, value_delimiter = ',')]
    pub(super) only: Vec<String>,
}

impl Args {
    pub(super) fn wants(&self, section: &str) -> bool {
        self.only.is_empty() || self.only.iter().any(|s| s == section)
    }

    /// Applies `--quick` to the knobs it shortens.
    pub(super) fn quicken(&mut self) {
        if self.quick {
            self.runs = self.runs.min(3);
            self.http_seconds = self.http_seconds.min(3);
            self.http_rounds = self.http_rounds.min(2);
        }
    }
}
