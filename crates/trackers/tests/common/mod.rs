//! Shared helpers: locating the corpus, the registry APKs and the oracles.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The corpus directory (`LEAKSCOPE_CORPUS`, default `../shared/corpus`
/// relative to the repository root), if it exists.
pub fn corpus_dir() -> Option<PathBuf> {
    let repo_root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dir = match std::env::var_os("LEAKSCOPE_CORPUS") {
        Some(v) => {
            let p = PathBuf::from(v);
            if p.is_absolute() {
                p
            } else {
                repo_root.join(p)
            }
        }
        None => repo_root.join("../shared/corpus"),
    };
    dir.is_dir().then_some(dir)
}

/// The registry APK cache, unless `LEAKSCOPE_SKIP_REGISTRY` is set.
pub fn registry_dir() -> Option<PathBuf> {
    if std::env::var_os("LEAKSCOPE_SKIP_REGISTRY").is_some() {
        return None;
    }
    let home = std::env::var_os("HOME")?;
    let dir = PathBuf::from(home).join(".cache/leakscope-corpus/registry");
    dir.is_dir().then_some(dir)
}

/// The project's oracle venv python, if it exists.
pub fn venv_python() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.venv/bin/python");
    p.is_file().then_some(p)
}

/// True when `tool` can be executed.
pub fn have_tool(tool: &str, arg: &str) -> bool {
    Command::new(tool).arg(arg).output().is_ok()
}

/// All files under `dir` (recursively) whose name ends with one of `exts`, sorted.
pub fn find_files(dir: &Path, exts: &[&str]) -> Vec<PathBuf> {
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
            } else if ft.is_file() {
                let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
                if exts.iter().any(|x| name.ends_with(x)) {
                    out.push(p);
                }
            }
        }
    }
    out.sort();
    out
}

/// Every APK of the corpus and of the registry cache.
pub fn all_apks() -> Vec<PathBuf> {
    let mut apks = Vec::new();
    if let Some(c) = corpus_dir() {
        apks.extend(find_files(&c.join("realworld"), &[".apk"]));
        apks.extend(find_files(&c.join("droidbench"), &[".apk"]));
        apks.extend(find_files(&c.join("iccbench"), &[".apk"]));
    }
    if let Some(r) = registry_dir() {
        apks.extend(find_files(&r, &[".apk"]));
    }
    apks
}
