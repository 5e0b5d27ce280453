//! Stoplight Prism for the contract test (`tests/contract.rs`), a mock server nobody on this
//! project wrote: it validates each request against the spec and answers with the spec's
//! examples.
//!
//! [`Prism::start`] installs Prism once with `npm ci` from the lockfile in the workspace's
//! `tests/prism/` into `target/prism/` (reinstalling when the lockfile changes), starts
//! `prism mock` on a free loopback port with `tests/prism/openapi.json` of this crate (the spec
//! with our overlay applied, the document the crate is generated from, written beside this file
//! by `cargo xtask codegen`) and waits until it accepts connections. Dropping the guard kills
//! Prism, also when the test panics. A guard kept in a `static` is never dropped, so Prism also
//! watches its standard input, a pipe from the test process, and exits when it closes: when
//! the test process ends, however it ends (`WATCHDOG`). Nothing is skipped:
//! without npm, or without the registry, the test fails and says why.

use std::fs;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The lockfile directory, relative to the workspace root.
const MANIFEST_DIR: &str = "tests/prism";

/// The spec Prism serves, relative to this crate.
const SPEC_FILE: &str = "tests/prism/openapi.json";

/// How long Prism may take to load the spec and listen.
const STARTUP: Duration = Duration::from_secs(90);

/// Loaded into Prism's Node.js process before Prism (`--require`): exits when standard input
/// (a pipe from the test process) reaches its end, that is when the test process is gone. Not
/// in a forked worker (which has an IPC channel), whose standard input is not ours.
const WATCHDOG: &str = "if (!process.send) {\n  process.stdin.on('end', () => process.exit(0));\n  process.stdin.resume();\n}\n";

/// A running `prism mock`, killed on drop or when the test process ends.
pub struct Prism {
    child: Child,
    url: String,
    log: PathBuf,
}

/// The workspace root: the generated crate lives in `generated/`.
fn workspace_root() -> PathBuf {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    crate_dir.parent().unwrap_or(crate_dir).to_path_buf()
}

/// The cargo target directory (`CARGO_TARGET_TMPDIR` is `<target>/tmp`).
fn target_dir() -> PathBuf {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    tmp.parent().unwrap_or(tmp).to_path_buf()
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

impl Prism {
    /// Installs (once), configures and starts Prism; panics with the reason when it cannot.
    pub fn start() -> Prism {
        let root = workspace_root();
        let target = target_dir();
        let bin = install(&root, &target);
        let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join(SPEC_FILE);
        assert!(spec.is_file(), "{} is missing: run `cargo xtask codegen`", spec.display());
        let log_dir = target.join("contract");
        fs::create_dir_all(&log_dir).unwrap_or_else(|e| panic!("cannot create {}: {e}", log_dir.display()));
        let log = log_dir.join("prism.log");
        let watchdog = log_dir.join("watchdog.js");
        fs::write(&watchdog, WATCHDOG).unwrap_or_else(|e| panic!("cannot write {}: {e}", watchdog.display()));
        // The port is free when we ask; should another process take it before Prism binds it,
        // Prism exits and we try another.
        let mut last_log = String::new();
        for _ in 0..3 {
            match spawn(&bin, &spec, &log, &watchdog) {
                Ok(prism) => return prism,
                Err(log_text) => last_log = log_text,
            }
        }
        panic!(
            "Prism did not start; its output ({}):\n{last_log}",
            log.display()
        );
    }

    /// The base URL Prism serves, such as `http://127.0.0.1:40123`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Where Prism's output goes: one line for each request, with each violation it found.
    pub fn log(&self) -> &Path {
        &self.log
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `npm ci` from the committed lockfile into `target/prism`, unless that is already there.
/// Returns the path of the `prism` executable.
fn install(root: &Path, target: &Path) -> PathBuf {
    let manifest = root.join(MANIFEST_DIR);
    let files = ["package.json", "package-lock.json"];
    let wanted: Vec<String> = files.iter().map(|f| read(&manifest.join(f))).collect();
    let home = target.join("prism");
    let bin_of = |dir: &Path| {
        let name = if cfg!(windows) { "prism.cmd" } else { "prism" };
        dir.join("node_modules").join(".bin").join(name)
    };
    let installed = |dir: &Path| {
        bin_of(dir).exists()
            && files
                .iter()
                .zip(&wanted)
                .all(|(f, text)| fs::read_to_string(dir.join(f)).is_ok_and(|t| &t == text))
    };
    if installed(&home) {
        return bin_of(&home);
    }
    // Install beside it and swap it in, so that an interrupted install is never used.
    let staging = target.join(format!("prism.installing-{}", std::process::id()));
    let _ = fs::remove_dir_all(&staging);
    fs::create_dir_all(&staging).unwrap_or_else(|e| panic!("cannot create {}: {e}", staging.display()));
    for (f, text) in files.iter().zip(&wanted) {
        fs::write(staging.join(f), text).unwrap_or_else(|e| panic!("cannot write {f}: {e}"));
    }
    let npm = if cfg!(windows) { "npm.cmd" } else { "npm" };
    eprintln!("contract: installing Prism with `npm ci` into {} (once)", home.display());
    let started = Instant::now();
    let output = Command::new(npm)
        .args(["ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(&staging)
        .env("SCARF_ANALYTICS", "false")
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| {
            panic!("the contract test needs Node.js and npm to install Prism, and `{npm}` could not be run: {e}")
        });
    if !output.status.success() {
        let _ = fs::remove_dir_all(&staging);
        panic!(
            "`npm ci` of Prism ({MANIFEST_DIR}/package-lock.json) failed with {}:\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    eprintln!("contract: Prism installed in {:.1?}", started.elapsed());
    let _ = fs::remove_dir_all(&home);
    if let Err(e) = fs::rename(&staging, &home) {
        // Another test process may have finished the same install first.
        let _ = fs::remove_dir_all(&staging);
        if !installed(&home) {
            panic!("cannot move the Prism install into {}: {e}", home.display());
        }
    }
    bin_of(&home)
}

/// `NODE_OPTIONS` with the watchdog required first, after any the caller set.
fn node_options(watchdog: &Path) -> String {
    let require = format!("--require \"{}\"", watchdog.display());
    match std::env::var("NODE_OPTIONS") {
        Ok(outer) if !outer.trim().is_empty() => format!("{outer} {require}"),
        _ => require,
    }
}

/// Starts `prism mock` on a free port and waits until it accepts connections. On failure,
/// returns its output.
fn spawn(bin: &Path, spec: &Path, log: &Path, watchdog: &Path) -> Result<Prism, String> {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("cannot find a free loopback port: {e}"));
    let out = fs::File::create(log).unwrap_or_else(|e| panic!("cannot create {}: {e}", log.display()));
    let err = out.try_clone().unwrap_or_else(|e| panic!("{e}"));
    // `mock` validates every request (its default); `--host` keeps it on loopback.
    let child = Command::new(bin)
        .arg("mock")
        .args(["--host", "127.0.0.1", "--port", &port.to_string()])
        .arg(spec)
        .env("SCARF_ANALYTICS", "false")
        .env("NO_COLOR", "1")
        .env("NODE_OPTIONS", node_options(watchdog))
        // Never written to; its end tells the watchdog that the test process is gone.
        .stdin(Stdio::piped())
        .stdout(out)
        .stderr(err)
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", bin.display()));
    let mut prism = Prism {
        child,
        url: format!("http://127.0.0.1:{port}"),
        log: log.to_path_buf(),
    };
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let deadline = Instant::now() + STARTUP;
    loop {
        if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
            return Ok(prism);
        }
        let exited = prism.child.try_wait().ok().flatten();
        if exited.is_some() || Instant::now() > deadline {
            let why = match exited {
                Some(status) => format!("Prism exited with {status}"),
                None => format!("Prism did not listen within {STARTUP:?}"),
            };
            drop(prism);
            return Err(format!("{why}\n{}", fs::read_to_string(log).unwrap_or_default()));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}
