//! Generation speed: the Bots spec (what `cargo xtask codegen` does) and, side by side in the
//! same run, nexus.json (193 operations, from `../shared` when present) to see how generation
//! scales with spec size. Run with `cargo bench -p cliq-codegen`.

use criterion::{criterion_group, criterion_main, Criterion};
use std::path::Path;

fn bench(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut specs = vec![("bots", root.join("spec/bots.yaml"))];
    let nexus = root.join("../shared/specs/other/nexus.json");
    if nexus.exists() {
        specs.push(("nexus", nexus));
    } else {
        eprintln!("../shared is absent: benchmarking spec/bots.yaml only");
    }
    let settings = cliq_codegen::Settings::default();
    let mut group = c.benchmark_group("generate");
    group.sample_size(20);
    for (name, path) in specs {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        group.bench_function(format!("{name}/parse"), |b| {
            b.iter(|| {
                cliq_codegen::parse_spec(&text)
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            })
        });
        let Ok(doc) = cliq_codegen::parse_spec(&text) else {
            continue;
        };
        group.bench_function(format!("{name}/generate"), |b| {
            b.iter(|| {
                cliq_codegen::generate(&doc, &settings)
                    .map(|g| g.files.len())
                    .map_err(|e| e.to_string())
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
