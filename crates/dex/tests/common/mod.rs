//! Shared helpers for the integration tests: locating the corpus and
//! extracting DEX files from APKs with the system `unzip`.

#![allow(dead_code)]

pub mod builder;
pub mod walk;

use std::path::{Path, PathBuf};
use std::process::Command;

#[allow(unused_imports)] // each test binary uses a different part
pub use leakscope_testkit::{files_named as find_files, have_tool, registry_dir};

/// The corpus directory, if present.
pub fn corpus_dir() -> Option<PathBuf> {
    leakscope_testkit::corpus()
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
