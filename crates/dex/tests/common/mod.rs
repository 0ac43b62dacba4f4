//! Shared helpers for the integration tests: locating the corpus and
//! extracting DEX files from APKs with the system `unzip`.

#![allow(dead_code)]

pub mod builder;
pub mod walk;

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

/// The registry APK cache (`~/.cache/leakscope-corpus/registry`), if present.
pub fn registry_dir() -> Option<PathBuf> {
    let home = std::env::var_os("HOME")?;
    let dir = PathBuf::from(home).join(".cache/leakscope-corpus/registry");
    dir.is_dir().then_some(dir)
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

/// Extracts every top-level `classes*.dex` of `apk` into `out_dir`, named
/// `<prefix>-classesN.dex`. Returns the written paths; APKs that `unzip`
/// cannot read yield nothing.
pub fn extract_dex(apk: &Path, out_dir: &Path, prefix: &str) -> Vec<PathBuf> {
    let Ok(list) = Command::new("unzip").arg("-Z1").arg(apk).output() else {
        return Vec::new();
    };
    let names = String::from_utf8_lossy(&list.stdout);
    let mut out = Vec::new();
    for name in names.lines() {
        let is_dex = name.starts_with("classes")
            && name.ends_with(".dex")
            && name["classes".len()..name.len() - 4]
                .bytes()
                .all(|b| b.is_ascii_digit());
        if !is_dex {
            continue;
        }
        let Ok(o) = Command::new("unzip").arg("-p").arg(apk).arg(name).output() else {
            continue;
        };
        if !o.status.success() || o.stdout.is_empty() {
            continue;
        }
        let path = out_dir.join(format!("{prefix}-{name}"));
        if std::fs::write(&path, &o.stdout).is_ok() {
            out.push(path);
        }
    }
    out
}
