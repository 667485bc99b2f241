//! What both suites of the conformance binary share: the Prism processes (one per module
//! spec, [`Prisms`]), running a test on one ([`on_prism`]), recording what Prism answered
//! ([`Recorder`]), and the spec examples Zoho ships broken.

use std::collections::HashMap;
use std::fs::File;
use std::future::Future;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::time::{Duration, Instant};

use libtest_mimic::{Completion, Failed};

/// Longest we wait for Prism to listen.
pub(crate) const STARTUP_TIMEOUT: Duration = Duration::from_secs(90);
/// Per-request timeout: Prism 5.16.0 never answers some malformed requests.
pub(crate) const REQUEST_TIMEOUT: Duration = Duration::from_secs(20);
/// Per-test bound.
pub(crate) const TEST_TIMEOUT: Duration = Duration::from_secs(120);

pub(crate) fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

/// `tools/node_modules/.bin/prism`, or `$CLIQ_PRISM_BIN` when set.
pub(crate) fn prism_bin() -> PathBuf {
    match std::env::var_os("CLIQ_PRISM_BIN") {
        Some(p) => PathBuf::from(p),
        None => workspace_root().join("tools/node_modules/.bin/prism"),
    }
}

// ---------------------------------------------------------------------------------------
// Prism process
// ---------------------------------------------------------------------------------------

pub(crate) struct Prism {
    pub(crate) module: &'static str,
    pub(crate) base_url: String,
    pub(crate) child: Mutex<Option<Child>>,
    pub(crate) log: PathBuf,
}

/// A port nothing listens on, never one handed out before in this process: Prisms start
/// concurrently, and two given the same port would answer for each other.
fn free_port() -> std::io::Result<u16> {
    static GIVEN: Mutex<Vec<u16>> = Mutex::new(Vec::new());
    let mut given = GIVEN.lock().unwrap_or_else(|p| p.into_inner());
    loop {
        let l = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
        let port = l.local_addr()?.port();
        if !given.contains(&port) {
            given.push(port);
            return Ok(port);
        }
    }
}

fn log_tail(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(30)..].join("\n")
}

/// The spec of a module: `spec/<module>.yml`, or `.yaml` (`bots.yaml`).
pub(crate) fn spec_path(module: &str) -> Result<PathBuf, String> {
    let spec = workspace_root().join("spec");
    ["yml", "yaml"]
        .iter()
        .map(|ext| spec.join(format!("{module}.{ext}")))
        .find(|p| p.exists())
        .ok_or_else(|| format!("spec/{module}.yml is missing"))
}

fn start_prism(module: &'static str) -> Result<Prism, String> {
    let root = workspace_root();
    let spec = spec_path(module)?;
    let port = free_port().map_err(|e| format!("no free port: {e}"))?;
    let log = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("prism-{module}-{port}.log"));
    let out = File::create(&log).map_err(|e| format!("{}: {e}", log.display()))?;
    let err = out.try_clone().map_err(|e| e.to_string())?;
    let port_s = port.to_string();
    let mut child = Command::new(prism_bin())
        .args(["mock", "-h", "127.0.0.1", "-p", &port_s, "--errors"])
        .arg(&spec)
        .current_dir(&root)
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .spawn()
        .map_err(|e| {
            format!(
                "could not start {} ({e}); is Node.js installed?",
                prism_bin().display()
            )
        })?;
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let started = Instant::now();
    loop {
        if let Ok(Some(status)) = child.try_wait() {
            return Err(format!(
                "Prism ({module}) exited during startup ({status}); log {}:\n{}",
                log.display(),
                log_tail(&log)
            ));
        }
        if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
            break;
        }
        if started.elapsed() > STARTUP_TIMEOUT {
            kill(&mut child);
            return Err(format!(
                "Prism ({module}) did not listen on {addr} within {STARTUP_TIMEOUT:?}; log {}:\n{}",
                log.display(),
                log_tail(&log)
            ));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    eprintln!(
        "conformance: Prism for {module} (pid {}) listening on {addr} after {:.1?}",
        child.id(),
        started.elapsed()
    );
    Ok(Prism {
        module,
        base_url: format!("http://{addr}"),
        child: Mutex::new(Some(child)),
        log,
    })
}

/// Kill by PID and reap, bounded in time.
fn kill(child: &mut Child) {
    let _ = child.kill();
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    eprintln!(
        "conformance: Prism (pid {}) did not exit after SIGKILL",
        child.id()
    );
}

impl Prism {
    pub(crate) fn stop(&self) {
        let mut guard = self.child.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(mut child) = guard.take() {
            eprintln!(
                "conformance: stopping Prism for {} (pid {})",
                self.module,
                child.id()
            );
            kill(&mut child);
        }
    }
}

/// Most Prism processes alive at once (each holds about 150 MB).
pub(crate) const MAX_PRISMS: usize = 4;

/// One Prism per module spec, started when its first test asks (and a few modules ahead, so
/// that the next module's Prism is listening when its tests come), stopped when its last test
/// is done, at most [`MAX_PRISMS`] at a time; whatever is left is stopped when `main` ends.
#[derive(Default)]
pub(crate) struct Prisms {
    state: Mutex<PrismState>,
    changed: Condvar,
}

#[derive(Default)]
struct PrismState {
    /// Modules in the order their tests run.
    order: Vec<&'static str>,
    /// Tests of each module not finished yet.
    remaining: HashMap<&'static str, usize>,
    slots: HashMap<&'static str, Slot>,
    shutting_down: bool,
}

enum Slot {
    Starting,
    Ready(Arc<Prism>),
    Failed(String),
    Stopped,
}

impl PrismState {
    fn alive(&self) -> usize {
        self.slots
            .values()
            .filter(|s| matches!(s, Slot::Starting | Slot::Ready(_)))
            .count()
    }
}

static PRISMS: OnceLock<Prisms> = OnceLock::new();

pub(crate) fn prisms() -> &'static Prisms {
    PRISMS.get_or_init(Prisms::default)
}

impl Prisms {
    /// Registers one test of `module` (a test that will call [`Prisms::release`]).
    pub(crate) fn expect(&self, module: &'static str) {
        let mut st = self.state.lock().unwrap_or_else(|p| p.into_inner());
        if !st.order.contains(&module) {
            st.order.push(module);
        }
        *st.remaining.entry(module).or_default() += 1;
    }

    /// The Prism of `module`, started if need be; also starts the next modules' ahead.
    pub(crate) fn get(&'static self, module: &'static str) -> Result<Arc<Prism>, String> {
        let mut st = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let mut mine = false;
        loop {
            match st.slots.get(module) {
                Some(Slot::Ready(p)) => {
                    let p = p.clone();
                    self.start_ahead(&mut st, module);
                    return Ok(p);
                }
                Some(Slot::Failed(e)) => return Err(e.clone()),
                Some(Slot::Starting) => {
                    st = self.changed.wait(st).unwrap_or_else(|p| p.into_inner());
                }
                None | Some(Slot::Stopped) => {
                    // Ours to start, over the bound if need be: a test is waiting for it.
                    if mine {
                        return Err(format!("Prism for {module} was stopped"));
                    }
                    mine = true;
                    st.slots.insert(module, Slot::Starting);
                    drop(st);
                    self.finish_start(module, start_prism(module));
                    st = self.state.lock().unwrap_or_else(|p| p.into_inner());
                }
            }
        }
    }

    /// Starts, on threads of their own, the Prisms of the modules after `module` that
    /// have tests left, while fewer than [`MAX_PRISMS`] are alive.
    fn start_ahead(&'static self, st: &mut PrismState, module: &'static str) {
        let Some(at) = st.order.iter().position(|m| *m == module) else {
            return;
        };
        let ahead: Vec<&'static str> = st.order[at + 1..].to_vec();
        for next in ahead {
            if st.alive() >= MAX_PRISMS || st.shutting_down {
                return;
            }
            if st.slots.contains_key(next) || st.remaining.get(next).copied().unwrap_or(0) == 0 {
                continue;
            }
            st.slots.insert(next, Slot::Starting);
            std::thread::spawn(move || self.finish_start(next, start_prism(next)));
        }
    }

    fn finish_start(&self, module: &'static str, started: Result<Prism, String>) {
        let mut st = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let slot = match started {
            Ok(p) if st.shutting_down => {
                p.stop();
                Slot::Stopped
            }
            Ok(p) => Slot::Ready(Arc::new(p)),
            Err(e) => Slot::Failed(e),
        };
        st.slots.insert(module, slot);
        self.changed.notify_all();
    }

    /// One test of `module` is done; the last one stops its Prism.
    pub(crate) fn release(&self, module: &'static str) {
        let mut st = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let left = st.remaining.entry(module).or_default();
        *left = left.saturating_sub(1);
        if *left == 0 {
            if let Some(Slot::Ready(p)) = st.slots.insert(module, Slot::Stopped) {
                p.stop();
            }
            self.changed.notify_all();
        }
    }

    /// Stops every Prism, waiting (bounded) for those still starting.
    pub(crate) fn stop_all(&self) {
        let mut st = self.state.lock().unwrap_or_else(|p| p.into_inner());
        st.shutting_down = true;
        let deadline = Instant::now() + STARTUP_TIMEOUT;
        while st.slots.values().any(|s| matches!(s, Slot::Starting)) {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                eprintln!("conformance: a Prism was still starting at exit");
                break;
            }
            st = self
                .changed
                .wait_timeout(st, left)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
        for slot in st.slots.values_mut() {
            if let Slot::Ready(p) = std::mem::replace(slot, Slot::Stopped) {
                p.stop();
            }
        }
    }
}

/// Kills every Prism when `main` returns or unwinds.
pub(crate) struct StopPrismsOnDrop;
impl Drop for StopPrismsOnDrop {
    fn drop(&mut self) {
        prisms().stop_all();
    }
}

// ---------------------------------------------------------------------------------------
// What Prism answered
// ---------------------------------------------------------------------------------------

/// One response as Prism sent it.
#[derive(Debug, Clone)]
pub(crate) struct Seen {
    pub(crate) operation: &'static str,
    pub(crate) url: String,
    pub(crate) status: u16,
    pub(crate) violations: Option<String>,
}

impl Seen {
    /// What a response observer (`ClientBuilder::on_response`) saw of one response.
    pub(crate) fn of(info: &cliq_api::runtime::ResponseInfo<'_>) -> Seen {
        Seen {
            operation: info.operation_id,
            url: info.url.to_owned(),
            status: info.status,
            violations: info
                .headers
                .get("sl-violations")
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned()),
        }
    }
}

#[derive(Clone, Default)]
pub(crate) struct Recorder(pub(crate) Arc<Mutex<Vec<Seen>>>);

impl Recorder {
    pub(crate) fn take(&self) -> Vec<Seen> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// Every response so far was a 2xx for `operation` without `sl-violations`.
    pub(crate) fn assert_accepted(&self, operation: &str) -> Result<Vec<Seen>, Failed> {
        let seen = self.take();
        if seen.is_empty() {
            return Err("no response was recorded".into());
        }
        for s in &seen {
            if s.operation != operation {
                return Err(format!("expected {operation}, recorded {s:?}").into());
            }
            if !(200..300).contains(&s.status) || s.violations.is_some() {
                return Err(format!("Prism did not accept the request: {s:?}").into());
            }
        }
        Ok(seen)
    }
}

// ---------------------------------------------------------------------------------------
// Running a test on a Prism
// ---------------------------------------------------------------------------------------

/// Why no test of this binary can run here, if so.
pub(crate) fn prism_missing() -> Option<String> {
    (!prism_bin().exists()).then(|| {
        format!(
            "Prism is not installed ({} missing): run `tools/setup.sh` (npm ci in tools/, needs Node.js) or `cargo xtask test`",
            prism_bin().display()
        )
    })
}

/// Releases one test of a module's Prism when dropped (the test passed, failed or panicked).
pub(crate) struct Release(&'static str);
impl Drop for Release {
    fn drop(&mut self) {
        prisms().release(self.0);
    }
}

/// Runs `f` with the Prism of `module` on a runtime of its own, bounded by [`TEST_TIMEOUT`].
pub(crate) fn on_prism<F, Fut>(module: &'static str, f: F) -> Result<Completion, Failed>
where
    F: FnOnce(Arc<Prism>) -> Fut,
    Fut: Future<Output = Result<(), Failed>>,
{
    let _release = Release(module);
    if let Some(msg) = prism_missing() {
        return cliq_tests::harness::missing(msg);
    }
    let prism = prisms().get(module)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let log = prism.log.clone();
    runtime
        .block_on(async { tokio::time::timeout(TEST_TIMEOUT, f(prism)).await })
        .map_err(|_| {
            Failed::from(format!(
                "timed out after {TEST_TIMEOUT:?}; Prism log {}",
                log.display()
            ))
        })??;
    Ok(Completion::Completed)
}

// ---------------------------------------------------------------------------------------
// Spec warts
// ---------------------------------------------------------------------------------------

/// Request examples in `spec/bots.yaml` that violate their own schema, as Zoho ships them:
/// (operation, JSON pointer, value in the example, value the schema allows).
/// Each is first sent verbatim and must be rejected for exactly that property (so the test
/// notices when the spec is fixed), then sent corrected.
pub(crate) const KNOWN_INVALID_EXAMPLES: &[(&str, &str, &str, &str)] = &[
    // `BotCreate.calls` is `enum: [enable, disable]`, its examples say "enabled".
    ("create_a_new_bot", "/calls", "enabled", "enable"),
];
