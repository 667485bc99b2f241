//! Generation in process, stage by stage, beside its floor (figure 2 of `BENCHMARKS.md`).
//!
//! Stages: `parse` (`parse_spec`), `lower` (spec → model), `generate` (lower + tokens +
//! prettyplease, as `cliq_codegen::generate`), `write` (the files to disk). Floor: serde parse
//! of the same text into an untyped value (`floor_parse`) + either prettyplease of the same
//! output files, syn-parsed before timing (`floor_prettyplease`, formatting alone), or
//! `syn::parse2` of the same files' token streams + prettyplease (`floor_parse2_prettyplease`:
//! prettyplease only takes a `syn::File`, so formatting tokens costs the syn parse too).
//!
//! Sampling is flat (the same iteration count in every sample) so the big specs take 10
//! iterations per function, not criterion's linear 55: the whole bench stays within minutes.
//!
//! Specs: Bots, nexus.json from `../shared` when present, and the synthetic specs that
//! `cargo xtask bench` writes to `target/bench/specs/` (run it once, or
//! `python3 bench/synth_spec.py N > target/bench/specs/synth-N.json`).
//! Run with `cargo bench -p cliq-codegen --bench stages`.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, SamplingMode};
use std::path::Path;

fn bench(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut specs = vec![
        ("bots", root.join("spec/bots.yaml")),
        ("nexus", root.join("../shared/specs/other/nexus.json")),
    ];
    for n in [100, 1000, 5000] {
        let name: &'static str = match n {
            100 => "synth-100",
            1000 => "synth-1000",
            _ => "synth-5000",
        };
        specs.push((
            name,
            root.join(format!("target/bench/specs/synth-{n}.json")),
        ));
    }
    let settings = cliq_codegen::Settings::default();
    let scratch = root.join("target/bench/write");
    let mut group = c.benchmark_group("stages");
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    group.warm_up_time(std::time::Duration::from_millis(500));
    group.measurement_time(std::time::Duration::from_secs(3));
    for (name, path) in specs {
        let Ok(text) = std::fs::read_to_string(&path) else {
            eprintln!("{} is absent: not measured", path.display());
            continue;
        };
        let Ok(doc) = cliq_codegen::parse_spec(&text) else {
            eprintln!("{}: does not parse", path.display());
            continue;
        };
        let Ok(generated) = cliq_codegen::generate(&doc, &settings) else {
            eprintln!("{}: does not generate", path.display());
            continue;
        };
        let json = text.trim_start().starts_with('{');
        group.bench_function(format!("{name}/parse"), |b| {
            b.iter(|| cliq_codegen::parse_spec(&text).map(|_| ()).is_ok())
        });
        group.bench_function(format!("{name}/floor_parse"), |b| {
            b.iter(|| {
                if json {
                    serde_json::from_str::<serde_json::Value>(&text).is_ok()
                } else {
                    serde_yaml::from_str::<serde_yaml::Value>(&text).is_ok()
                }
            })
        });
        group.bench_function(format!("{name}/lower"), |b| {
            b.iter(|| cliq_codegen::lower(&doc, &settings).0)
        });
        group.bench_function(format!("{name}/generate"), |b| {
            b.iter(|| cliq_codegen::generate(&doc, &settings).map(|g| g.files.len()))
        });
        let parsed: Vec<syn::File> = generated
            .files
            .values()
            .filter_map(|t| syn::parse_file(t).ok())
            .collect();
        group.bench_function(format!("{name}/floor_prettyplease"), |b| {
            b.iter(|| {
                parsed
                    .iter()
                    .map(|f| prettyplease::unparse(f).len())
                    .sum::<usize>()
            })
        });
        let tokens: Vec<proc_macro2::TokenStream> = generated
            .files
            .values()
            .filter_map(|t| t.parse().ok())
            .collect();
        group.bench_function(format!("{name}/floor_parse2_prettyplease"), |b| {
            b.iter_batched(
                || tokens.clone(),
                |tokens| {
                    tokens
                        .into_iter()
                        .filter_map(|t| syn::parse2::<syn::File>(t).ok())
                        .map(|f| prettyplease::unparse(&f).len())
                        .sum::<usize>()
                },
                BatchSize::PerIteration,
            )
        });
        let dir = scratch.join(name);
        let _ = std::fs::create_dir_all(&dir);
        group.bench_function(format!("{name}/write"), |b| {
            b.iter(|| {
                for (file, text) in &generated.files {
                    let _ = std::fs::write(dir.join(file), text);
                }
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
