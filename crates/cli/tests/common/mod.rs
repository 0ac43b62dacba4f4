//! Shared test helpers: where the corpus is, which files it holds, and how to
//! run the `leakscope` binary and the oracle tools.

#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Output};

#[allow(unused_imports)] // each test binary uses a different part
pub use leakscope_testkit::{corpus, files_with_ext, registry_apks, rel, repo_root};

/// The Python of the oracle venv (`LEAKSCOPE_VENV`, default `.venv`), if
/// androguard is installed in it.
pub fn androguard_python() -> Option<PathBuf> {
    leakscope_testkit::venv_python_with("androguard")
}

/// Is `tool` on the PATH? Prints a skip reason when it is not.
pub fn have_tool(tool: &str) -> bool {
    let ok = Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("SKIP: {tool} is not installed (scripts/setup-test-deps.sh installs it)");
    }
    ok
}

/// Runs the leakscope binary.
pub fn leakscope(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_leakscope"))
        .args(args)
        .output()
        .expect("cannot run the leakscope binary")
}

/// The JSON a successful run printed (fails with its stderr otherwise).
pub fn json_output(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("the output is JSON")
}

/// Runs `f` over `items` on all cores (tests compare many files).
pub fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<std::sync::Mutex<Option<R>>> =
        items.iter().map(|_| std::sync::Mutex::new(None)).collect();
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(item) = items.get(i) else { break };
                    let r = f(item);
                    *results[i].lock().unwrap() = Some(r);
                }
            });
        }
    });
    results
        .into_iter()
        .map(|m| m.into_inner().unwrap().unwrap())
        .collect()
}
