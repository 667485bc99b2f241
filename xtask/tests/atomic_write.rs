//! Atomic writes through the real `cargo xtask codegen --spec F --out D` binary: a run that is
//! killed (SIGKILL) mid-write, or that fails, leaves the previous crate byte for byte; the
//! next run cleans up and writes the new crate, keeping files the generator does not own.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cliq-atomic-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

fn xtask(spec: &Path, out: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_xtask"));
    c.args(["codegen", "--spec"])
        .arg(spec)
        .arg("--out")
        .arg(out)
        .args(["--name", "cliq-atomic"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    c
}

fn run(spec: &Path, out: &Path) -> (i32, String) {
    let o = xtask(spec, out).output().expect("run xtask");
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// Every file under `dir`, relative path → bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).expect("read dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                todo.push(p);
            } else {
                let rel = p.strip_prefix(dir).expect("under dir").to_path_buf();
                out.insert(rel, std::fs::read(&p).expect("read"));
            }
        }
    }
    out
}

/// Names in `dir` that start with `prefix`.
fn beside(dir: &Path, prefix: &str) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(prefix))
        })
        .collect()
}

fn bots_spec() -> String {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/bots.yaml");
    std::fs::read_to_string(spec).expect("spec/bots.yaml")
}

#[test]
fn a_run_killed_mid_write_or_failing_leaves_the_previous_crate_intact() {
    let dir = scratch("kill");
    let out = dir.join("out");
    let first = dir.join("first.yaml");
    std::fs::write(&first, bots_spec()).expect("write spec");
    let (code, err) = run(&first, &out);
    assert_eq!(code, 0, "{err}");
    // Files the generator does not own survive every run.
    std::fs::write(out.join("README.md"), "mine").expect("write");
    std::fs::create_dir_all(out.join("target/debug")).expect("mkdir");
    std::fs::write(out.join("target/debug/artifact"), [0u8, 1, 2]).expect("write");
    let before = snapshot(&out);
    assert!(before.len() >= 6, "{before:?}");

    // A different document, so that every generated file changes.
    let second = dir.join("second.yaml");
    let text = bots_spec().replacen("title: ", "title: Changed ", 1);
    std::fs::write(&second, &text).expect("write spec");

    // Killed while the new crate is being staged: one second of pause per file written.
    let mut child = xtask(&second, &out)
        .args(["--write-pause-ms", "1000"])
        .spawn()
        .expect("spawn xtask");
    let started = Instant::now();
    let staged_files = loop {
        let staged: usize = beside(&dir, ".out.cliq-new-")
            .iter()
            .map(|s| snapshot(s).len())
            .sum();
        // The stage holds the carried-over files (2) plus at least one generated file.
        if staged >= 3 {
            break staged;
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!("xtask ended before it was killed: {status}");
        }
        assert!(
            started.elapsed() < Duration::from_secs(300),
            "no staging directory appeared"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    child.kill().expect("SIGKILL");
    let status = child.wait().expect("wait");
    assert!(!status.success(), "{status}");
    assert!(staged_files < before.len(), "killed mid-write");
    assert_eq!(
        snapshot(&out),
        before,
        "the killed run changed the previous crate"
    );

    // A failing run (the document does not parse): exit 1, nothing touched.
    let broken = dir.join("broken.yaml");
    std::fs::write(&broken, &text[..text.len() / 2]).expect("write spec");
    let (code, err) = run(&broken, &out);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("error: "), "{err}");
    assert_eq!(snapshot(&out), before, "the failed run changed the crate");

    // The next good run cleans up after the killed one and writes the new crate.
    let (code, err) = run(&second, &out);
    assert_eq!(code, 0, "{err}");
    let after = snapshot(&out);
    assert_ne!(after, before);
    assert_eq!(after[Path::new("README.md")], b"mine");
    assert_eq!(after[Path::new("target/debug/artifact")], [0u8, 1, 2]);
    assert_eq!(
        beside(&dir, ".out."),
        Vec::<PathBuf>::new(),
        "staging leftovers"
    );
    let lib = String::from_utf8_lossy(&after[Path::new("src/lib.rs")]).into_owned();
    assert!(lib.contains("Changed"), "new crate in place");
    let _ = std::fs::remove_dir_all(&dir);
}
