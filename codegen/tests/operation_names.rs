//! The method names of every operation of the 22 Cliq module specs in `spec/`, by the rule of
//! `naming::operation_words`: one reviewed list (`snapshots/operation_names__every_cliq_operation.snap`),
//! `module: operationId → method`, in module then document order. A change to the rule shows
//! here as a diff of names; review it before accepting (`INSTA_UPDATE=always`).

use std::path::Path;

#[test]
fn every_cliq_operation() {
    let spec_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let mut files: Vec<_> = std::fs::read_dir(&spec_dir)
        .expect("spec/")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yml" || e == "yaml"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 22, "{files:?}");
    let mut lines = Vec::new();
    for path in &files {
        let module = path.file_stem().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(path).unwrap();
        let doc = cliq_codegen::parse_spec(&text).unwrap();
        let (model, _) = cliq_codegen::lower(&doc, &cliq_codegen::Settings::default());
        for op in &model.operations {
            lines.push(format!("{module}: {} → {}", op.operation_id, op.fn_name));
        }
    }
    assert!(lines.len() > 150, "{}", lines.len());
    insta::assert_snapshot!(lines.join("\n"));
}
