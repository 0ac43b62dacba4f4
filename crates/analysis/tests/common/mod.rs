//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

#[allow(unused_imports)] // each test binary uses a different part
pub use leakscope_testkit::corpus;

/// Files under `dir` (recursively) with extension `ext`, sorted.
pub fn files_with_ext(dir: &Path, ext: &str) -> Vec<PathBuf> {
    leakscope_testkit::files_with_ext(dir, &[ext])
}
