//! Every request and response example in `spec/bots.yaml` deserializes into its generated type
//! and serializes back to equal JSON: lossless, undeclared properties and values outside an
//! enum (`calls: enabled`) included.

use cliq_tests::spec_examples::EXAMPLES;
use serde_json::Value;

/// Examples that cannot fit their type because of a wart in Zoho's spec (see spec/README.md),
/// with the error they must fail with. If one starts passing, the wart was fixed upstream.
const WARTS: &[(&str, &str)] = &[(
    "#/components/schemas/HandlerCreate/example",
    "missing field `type`",
)];

#[test]
fn spec_examples_round_trip() {
    let path = cliq_tests::workspace_root().join("spec/bots.yaml");
    let text = std::fs::read_to_string(&path).expect("spec/bots.yaml is readable");
    let spec: Value = serde_yaml::from_str(&text).expect("spec/bots.yaml is YAML");
    assert_eq!(
        EXAMPLES.len(),
        41,
        "spec/bots.yaml has 41 request/response examples"
    );
    let mut failures = Vec::new();
    let mut passed = 0;
    for (pointer, check) in EXAMPLES {
        let Some(example) = spec.pointer(pointer.trim_start_matches('#')) else {
            failures.push(format!("{pointer}: not found"));
            continue;
        };
        let wart = WARTS.iter().find(|(p, _)| p == pointer);
        match (check(example), wart) {
            (Ok(()), None) => passed += 1,
            (Err(e), Some((_, expected))) if e.contains(expected) => {}
            (Ok(()), Some(_)) => failures.push(format!(
                "{pointer}: listed as a wart but now round-trips; update WARTS and spec/README.md"
            )),
            (Err(e), _) => failures.push(format!("{pointer}: {e}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} examples fail:\n{}",
        failures.len(),
        EXAMPLES.len(),
        failures.join("\n")
    );
    assert_eq!(passed, EXAMPLES.len() - WARTS.len());
}
