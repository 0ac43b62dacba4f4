//! Shared helpers: locating the corpus, the registry APKs and the oracles.

#![allow(dead_code)]

use std::path::PathBuf;

#[allow(unused_imports)] // each test binary uses a different part
pub use leakscope_testkit::{files_named as find_files, have_tool, registry_dir};

/// The corpus directory, if present.
pub fn corpus_dir() -> Option<PathBuf> {
    leakscope_testkit::corpus()
}

/// The project's oracle venv python, if it exists.
pub fn venv_python() -> Option<PathBuf> {
    Some(leakscope_testkit::venv().join("bin/python")).filter(|p| p.is_file())
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
