//! The README's "Write a bot in five minutes" section, kept true: its commands are read from
//! `README.md` and run as written, from nothing to a running, tested bot.
//!
//! What the test adds to each command, and why:
//! - `cargo install`: `--root` (a scratch directory instead of `~/.cargo`, put first on PATH
//!   so the next command's `cargo cliq` finds the new binary), `--debug` and this
//!   workspace's own `target/` (the debug build `cargo test` just made is reused), without
//!   the variables `cargo test` set for this test (`scratch::isolate`),
//!   `--offline --locked` (this checkout's lock file and the local registry cache);
//! - `cargo cliq new`: runs in a scratch directory (the README's "anywhere");
//! - `cargo <anything>` in the new bot: `--offline`, this checkout's `Cargo.lock` and the
//!   scratch build settings the `new.rs` tests share (`target/scratch`);
//! - `cargo run`: `BIND=127.0.0.1:0`; once the bot says where it listens, the test posts a
//!   message (built by the test kit) to it, checks the stub's answer and stops the bot.
//!
//! Any other command in the section fails the test, so a README edit cannot silently stop
//! being checked.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use common::{bot_cargo, copy_lock, root, scratch};

const SECTION: &str = "## Write a bot in five minutes";

/// The command lines of the section's first `sh` block, comments removed.
fn readme_commands() -> Vec<String> {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("read README.md");
    let section = readme
        .split(&format!("\n{SECTION}\n"))
        .nth(1)
        .unwrap_or_else(|| panic!("README.md has no `{SECTION}` section"));
    let section = section.split("\n## ").next().unwrap_or_default();
    let block = section
        .split("```sh\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .unwrap_or_else(|| panic!("`{SECTION}` has no ```sh block"));
    block
        .lines()
        .map(|l| l.split('#').next().unwrap_or_default().trim().to_owned())
        .filter(|l| !l.is_empty())
        .collect()
}

struct Run {
    /// Where `cargo cliq new` and what follows run.
    cwd: PathBuf,
    /// `cargo install --root`.
    install_root: PathBuf,
    /// Directories `cargo cliq new` created (they get the lock file).
    new_crates: Vec<PathBuf>,
    served: bool,
}

impl Run {
    fn path_env(&self) -> std::ffi::OsString {
        let mut paths = vec![self.install_root.join("bin")];
        paths.extend(std::env::split_paths(
            &std::env::var_os("PATH").unwrap_or_default(),
        ));
        std::env::join_paths(paths).expect("PATH")
    }

    fn step(&mut self, words: &[&str]) {
        match words {
            ["cd", dir] => {
                self.cwd = self.cwd.join(dir);
                assert!(self.cwd.is_dir(), "`cd {dir}`: no such directory");
            }
            ["cargo", "install", rest @ ..] => {
                let status = scratch::isolate(&mut Command::new("cargo"))
                    .arg("install")
                    .args(rest)
                    .arg("--root")
                    .arg(&self.install_root)
                    .args(["--debug", "--offline", "--locked"])
                    .current_dir(root())
                    .env("CARGO_TARGET_DIR", root().join("target"))
                    .status()
                    .expect("run cargo install");
                assert!(
                    status.success(),
                    "`cargo install {}` failed",
                    rest.join(" ")
                );
            }
            ["cargo", "cliq", "new", dir, ..] => {
                let out = Command::new("cargo")
                    .args(&words[1..])
                    .current_dir(&self.cwd)
                    .env("PATH", self.path_env())
                    .env_remove("CARGO")
                    .output()
                    .expect("run cargo cliq");
                assert!(
                    out.status.success(),
                    "`{}` failed: {}",
                    words.join(" "),
                    String::from_utf8_lossy(&out.stderr)
                );
                let made = self.cwd.join(dir);
                copy_lock(&made);
                self.new_crates.push(made);
            }
            ["cargo", "run", rest @ ..] => {
                self.serve_and_probe(rest);
                self.served = true;
            }
            ["cargo", sub, rest @ ..] if self.in_new_crate() => {
                let args: Vec<&str> = std::iter::once(*sub).chain(rest.iter().copied()).collect();
                let status = bot_cargo(&self.cwd, &args).status().expect("run cargo");
                assert!(status.success(), "`{}` failed", words.join(" "));
            }
            _ => panic!(
                "README.md's `{SECTION}` runs `{}`, which this test does not know how to run; \
                 teach cli/tests/readme.rs",
                words.join(" ")
            ),
        }
    }

    fn in_new_crate(&self) -> bool {
        self.new_crates.contains(&self.cwd)
    }

    /// `cargo run` in the new crate: wait for the bot's address, post one message, stop it.
    fn serve_and_probe(&self, rest: &[&str]) {
        assert!(self.in_new_crate(), "`cargo run` outside the new bot crate");
        let args: Vec<&str> = std::iter::once("run").chain(rest.iter().copied()).collect();
        let mut cmd = bot_cargo(&self.cwd, &args);
        cmd.env("BIND", "127.0.0.1:0").stdout(Stdio::piped());
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
        let mut child = cmd.spawn().expect("spawn cargo run");
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let probed = (|| -> Result<String, String> {
            let addr = loop {
                let line = rx
                    .recv_timeout(Duration::from_secs(600))
                    .map_err(|e| format!("the bot never said where it listens: {e}"))?;
                if let Some(rest) = line.strip_prefix("listening on http://") {
                    break rest.trim_end_matches("/cliq").to_owned();
                }
            };
            post_message(&addr)
        })();
        stop(&mut child);
        let reply = probed.unwrap_or_else(|e| panic!("`cargo run`: {e}"));
        assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
        assert!(
            reply.contains(r#""text":"message_handler: not implemented yet""#),
            "the message stub's answer: {reply}"
        );
    }
}

/// Posts a test-kit message request (every object a message handler may be granted) to the
/// bot at `addr` over plain HTTP/1.1; the raw response.
fn post_message(addr: &str) -> Result<String, String> {
    let body = cliq_webhook::testing::TestRequest::message("hello")
        .to_json(cliq_webhook::rules::Permission::ALL)
        .to_string();
    let mut stream = std::net::TcpStream::connect(addr).map_err(|e| format!("{addr}: {e}"))?;
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .map_err(|e| e.to_string())?;
    write!(
        stream,
        "POST /cliq HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .map_err(|e| e.to_string())?;
    let mut reply = String::new();
    stream
        .read_to_string(&mut reply)
        .map_err(|e| e.to_string())?;
    Ok(reply)
}

/// Stops `cargo run` and the bot it started (one process group, ours).
fn stop(child: &mut std::process::Child) {
    #[cfg(unix)]
    let _ = Command::new("kill")
        .args(["-TERM", "--", &format!("-{}", child.id())])
        .status();
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn readme_five_minute_bot_commands_work_as_written() {
    let commands = readme_commands();
    assert_eq!(
        commands.len(),
        3,
        "the section promises three commands: {commands:?}"
    );
    let base = scratch("readme");
    std::fs::create_dir_all(&base).expect("scratch dir");
    let mut run = Run {
        cwd: base.clone(),
        install_root: base.join("cargo-root"),
        new_crates: Vec::new(),
        served: false,
    };
    for command in &commands {
        for step in command.split("&&") {
            let words: Vec<&str> = step.split_whitespace().collect();
            run.step(&words);
        }
    }
    assert!(
        run.served,
        "the section ends with a running bot (`cargo run`)"
    );
    assert!(
        run.install_root.join("bin/cargo-cliq").exists(),
        "`cargo install` put cargo-cliq under --root"
    );
    let _ = std::fs::remove_dir_all(Path::new(&base));
}
