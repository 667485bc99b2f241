//! A bot that never calls Cliq does not compile the HTTP client: `cliq-webhook` without its
//! default `client` feature depends on neither `reqwest` nor the generated client (nor the
//! runtime they need), and with it on both. Read from `cargo tree` over the lockfile (no
//! build; `--offline`, so it needs only what the workspace build already fetched).

use std::process::Command;

fn normal_dependencies(features: &[&str]) -> Vec<String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["tree", "--offline", "-p", "cliq-webhook", "-e", "normal"])
        .args(["--prefix", "none", "--format", "{p}"])
        .args(features)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo tree runs");
    assert!(
        out.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().next().map(str::to_owned))
        .collect()
}

const CLIENT_ONLY: &[&str] = &["reqwest", "cliq-api", "cliq-runtime"];

#[test]
fn without_the_client_feature_no_http_client_is_compiled() {
    let deps = normal_dependencies(&["--no-default-features"]);
    assert!(deps.iter().any(|d| d == "axum"), "sanity: {deps:?}");
    for name in CLIENT_ONLY {
        assert!(
            !deps.iter().any(|d| d == name),
            "`{name}` is built without the `client` feature"
        );
    }
}

#[test]
fn with_the_default_features_the_client_is_there() {
    let deps = normal_dependencies(&[]);
    for name in CLIENT_ONLY {
        assert!(
            deps.iter().any(|d| d == name),
            "`{name}` is missing: {deps:?}"
        );
    }
}
