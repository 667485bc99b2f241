//! The specs measured: Bots, the shared specs, synthetic ones; and what each declares.

use super::args::Args;
use std::path::{Path, PathBuf};
use std::process::Command;

/// (table name, path) of each spec measured.
pub(super) type Specs = Vec<(String, PathBuf)>;

/// The specs of figure 1: Bots, `../shared/specs/**`, synthetic 100/1000/5000.
pub(super) fn measured(
    args: &Args,
    root: &Path,
    scratch: &Path,
) -> Result<(Specs, Vec<String>), String> {
    let mut notes = Vec::new();
    let mut specs = vec![("bots.yaml".to_string(), root.join("spec/bots.yaml"))];
    let shared = root.join("../shared/specs");
    for sub in ["cliq", "other"] {
        let Ok(dir) = std::fs::read_dir(shared.join(sub)) else {
            notes.push(format!(
                "{} is absent: its specs are not measured",
                shared.join(sub).display()
            ));
            continue;
        };
        let mut files: Vec<PathBuf> = dir.flatten().map(|e| e.path()).collect();
        files.sort();
        for f in files {
            let n = f.file_name().map(|n| n.to_string_lossy().to_string());
            let n = format!("{sub}/{}", n.unwrap_or_default());
            if args.quick && sub == "other" && n != "other/nexus.json" {
                continue;
            }
            specs.push((n, f));
        }
    }
    let synth = scratch.join("specs");
    std::fs::create_dir_all(&synth).map_err(|e| format!("{}: {e}", synth.display()))?;
    // synth-5000 is always written (figure 2 measures it in `--quick` runs too); figure 1
    // times it in full runs only.
    for n in [100, 1000, 5000] {
        let path = synth.join(format!("synth-{n}.json"));
        let out = Command::new("python3")
            .arg(root.join("bench/synth_spec.py"))
            .arg(n.to_string())
            .output()
            .map_err(|e| format!("python3 bench/synth_spec.py: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "bench/synth_spec.py {n}: {}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        std::fs::write(&path, out.stdout).map_err(|e| format!("{}: {e}", path.display()))?;
        if !(args.quick && n == 5000) {
            specs.push((format!("synth-{n}"), path));
        }
    }
    Ok((specs, notes))
}

/// The operations `spec` declares (each method of each path item), read with the generator's
/// own loader; `None` when it cannot read the spec.
pub(super) fn operation_count(spec: &Path) -> Option<usize> {
    let text = std::fs::read_to_string(spec).ok()?;
    let doc = cliq_codegen::parse_spec(&text).ok()?;
    Some(
        doc.paths
            .iter()
            .filter_map(|(_, item)| item.as_item())
            .map(|item| item.iter().count())
            .sum(),
    )
}
