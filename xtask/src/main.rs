//! Project automation. `cargo xtask codegen [--check]`, `cargo xtask codegen --spec F --out D`,
//! `cargo xtask test`, `cargo xtask bench`, `cargo xtask load`, `cargo xtask corpus`,
//! `cargo xtask publish-check`.

mod bench;
mod codegen;
mod corpus;
mod lanes;
mod load;
mod process;
mod publish;
// For `isolate`; the rest configures the tests' scratch builds.
#[path = "../../tests/src/scratch.rs"]
mod scratch;
mod test;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

// Generation is allocation-bound in a cold one-shot process (libc malloc/free were 35% of the
// self time of `xtask codegen`, see BENCHMARKS.md); only this binary picks the allocator, the
// library never does.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "cargo xtask", about = "cliq-rs project automation")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate `generated/` (and the handler rules) from `spec/bots.yaml`,
    /// or generate a standalone crate for another spec with `--spec F --out D`.
    Codegen(codegen::Args),
    /// Install the test tools (tools/setup.sh) and run every check CI runs.
    Test(test::Args),
    /// Install the peers, measure every figure side by side and write BENCHMARKS.md.
    Bench(bench::Args),
    /// Public API descriptions of other vendors (fetched by `npm pack`, pinned) generated,
    /// linted and documented; a table of the run in target/corpus/corpus.md.
    Corpus(corpus::Args),
    /// The example bot under 60 s of loopback load, good and hostile requests (ROBUSTNESS.md).
    Load(load::Args),
    /// Package every publishable crate, install `cargo-cliq` from the packages and test a bot
    /// it writes, then check the public API against the last release tag.
    PublishCheck,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Codegen(args) => codegen::run(args),
        Command::Test(args) => test::run(args),
        Command::Bench(args) => bench::run(args),
        Command::Load(args) => load::run(args),
        Command::Corpus(args) => corpus::run(args),
        Command::PublishCheck => publish::run(),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
