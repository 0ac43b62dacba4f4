//! Test support shared by leakscope's integration tests: where the shared
//! corpus is, which files it holds, where the registry APKs and the oracle
//! venv are, and whether an oracle tool is installed.
//!
//! Every function that looks for something outside the repository prints a
//! `SKIP:`/`note:` line when it is missing, so that a skipped test says why.
//! This crate is a dev-dependency only; nothing in it runs in the product.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The shared corpus (`LEAKSCOPE_CORPUS`, relative paths from the repository
/// root; default `../shared/corpus` beside the repository), or `None` with a
/// printed reason.
pub fn corpus() -> Option<PathBuf> {
    let dir = match std::env::var_os("LEAKSCOPE_CORPUS") {
        Some(d) => repo_root().join(d),
        None => repo_root().join("../shared/corpus"),
    };
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "SKIP: no corpus at {} (set LEAKSCOPE_CORPUS)",
            dir.display()
        );
        None
    }
}

/// The registry APK cache filled by the corpus's `fetch-registry-apks.sh`
/// (`~/.cache/leakscope-corpus/registry`), unless `LEAKSCOPE_SKIP_REGISTRY`
/// is set.
pub fn registry_dir() -> Option<PathBuf> {
    if std::env::var_os("LEAKSCOPE_SKIP_REGISTRY").is_some() {
        return None;
    }
    let home = std::env::var_os("HOME")?;
    let dir = PathBuf::from(home).join(".cache/leakscope-corpus/registry");
    dir.is_dir().then_some(dir)
}

/// The registry APKs, sorted; none (with a printed note) when the cache is
/// absent.
pub fn registry_apks() -> Vec<PathBuf> {
    match registry_dir() {
        Some(dir) => files_with_ext(&dir, &["apk"]),
        None => {
            eprintln!("note: no registry APKs (run the corpus's fetch-registry-apks.sh)");
            Vec::new()
        }
    }
}

/// Every file under `dir` (recursively) whose extension is one of `exts`
/// (ASCII case-insensitive, without the dot), sorted.
pub fn files_with_ext(dir: &Path, exts: &[&str]) -> Vec<PathBuf> {
    files_where(dir, |p| {
        p.extension()
            .and_then(|x| x.to_str())
            .is_some_and(|x| exts.iter().any(|e| x.eq_ignore_ascii_case(e)))
    })
}

/// Every file under `dir` (recursively) whose name ends with one of
/// `suffixes` (case-sensitive, e.g. `.dex`), sorted.
pub fn files_named(dir: &Path, suffixes: &[&str]) -> Vec<PathBuf> {
    files_where(dir, |p| {
        p.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| suffixes.iter().any(|s| n.ends_with(s)))
    })
}

fn files_where(dir: &Path, keep: impl Fn(&Path) -> bool) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            let Ok(ft) = e.file_type() else { continue };
            if ft.is_dir() {
                stack.push(p);
            } else if ft.is_file() && keep(&p) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Whether `tool arg` can be run (the exit status does not matter).
pub fn have_tool(tool: &str, arg: &str) -> bool {
    Command::new(tool)
        .arg(arg)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
}

/// The oracle venv (`LEAKSCOPE_VENV`, default `.venv` in the repository)
/// that `scripts/setup-test-deps.sh` creates.
pub fn venv() -> PathBuf {
    std::env::var_os("LEAKSCOPE_VENV")
        .map(|v| repo_root().join(v))
        .unwrap_or_else(|| repo_root().join(".venv"))
}

/// The venv's Python, if it can import `module`; otherwise `None` with a
/// printed reason.
pub fn venv_python_with(module: &str) -> Option<PathBuf> {
    let py = venv().join("bin/python");
    let ok = Command::new(&py)
        .args(["-c", &format!("import {module}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if ok {
        Some(py)
    } else {
        eprintln!(
            "SKIP: no {module} in {} (scripts/setup-test-deps.sh installs it)",
            venv().display()
        );
        None
    }
}

/// `p` relative to `base`, for messages and oracle lookups.
pub fn rel(base: &Path, p: &Path) -> String {
    p.strip_prefix(base).unwrap_or(p).display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_files_by_extension_and_suffix() {
        let root = repo_root().join("crates/testkit");
        let rs = files_with_ext(&root, &["RS"]);
        assert!(rs.iter().any(|p| p.ends_with("src/lib.rs")), "{rs:?}");
        assert!(files_named(&root, &["lib.rs"]).len() == 1);
        assert!(files_named(&root, &["LIB.RS"]).is_empty());
    }

    #[test]
    fn missing_tool_is_reported_missing() {
        assert!(!have_tool("leakscope-no-such-tool", "--version"));
    }
}
