//! Shared test helpers: where the corpus is, which files it holds, and how to
//! run the `leakscope` binary and the oracle tools.

#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The shared corpus (`LEAKSCOPE_CORPUS`, default `../shared/corpus` next to
/// the repository), or `None` with a printed reason.
pub fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("LEAKSCOPE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("../shared/corpus"));
    if dir.join("README.md").exists() {
        Some(dir)
    } else {
        eprintln!(
            "SKIP: no corpus at {} (set LEAKSCOPE_CORPUS)",
            dir.display()
        );
        None
    }
}

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The registry APKs fetched by `fetch-registry-apks.sh`.
pub fn registry_apks() -> Vec<PathBuf> {
    let Some(home) = std::env::var_os("HOME") else {
        return Vec::new();
    };
    let dir = Path::new(&home).join(".cache/leakscope-corpus/registry");
    let mut v = files_with_ext(&dir, &["apk"]);
    if v.is_empty() {
        eprintln!(
            "note: no registry APKs in {} (run fetch-registry-apks.sh)",
            dir.display()
        );
    }
    v.sort();
    v
}

/// Every file under `dir` whose extension is one of `exts`, sorted.
pub fn files_with_ext(dir: &Path, exts: &[&str]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p
                .extension()
                .and_then(|x| x.to_str())
                .is_some_and(|x| exts.iter().any(|e| x.eq_ignore_ascii_case(e)))
            {
                out.push(p);
            }
        }
    }
    out.sort();
    out
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

/// The Python of the oracle venv (`LEAKSCOPE_VENV`, default `.venv`), if
/// androguard is installed in it.
pub fn androguard_python() -> Option<PathBuf> {
    let venv = std::env::var_os("LEAKSCOPE_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join(".venv"));
    let py = venv.join("bin/python");
    let ok = Command::new(&py)
        .args(["-c", "import androguard"])
        .output()
        .is_ok_and(|o| o.status.success());
    if ok {
        Some(py)
    } else {
        eprintln!(
            "SKIP: no androguard in {} (scripts/setup-test-deps.sh installs it)",
            venv.display()
        );
        None
    }
}

/// Path relative to the corpus, for messages and oracle lookups.
pub fn rel(corpus: &Path, p: &Path) -> String {
    p.strip_prefix(corpus).unwrap_or(p).display().to_string()
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
