//! The dashboard end to end in a real browser: `scripts/e2e-dashboard.sh`
//! starts `leakscope serve` (this build), uploads the demo app, posts an
//! inventory, and drives Debian's Chromium through Playwright over the
//! overview, apps, an app report, a device and the policy editor, saving
//! screenshots in `target/test-artifacts/dashboard-*.png`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::Command;

#[test]
fn dashboard_works_in_a_real_browser() {
    let root = common::repo_root();
    if !std::path::Path::new("/usr/bin/chromium").exists() {
        eprintln!("SKIP: no /usr/bin/chromium (scripts/setup-test-deps.sh installs it)");
        return;
    }
    if !common::have_tool("node") {
        return;
    }
    let out = Command::new("bash")
        .arg(root.join("scripts/e2e-dashboard.sh"))
        .env("LEAKSCOPE_BIN", env!("CARGO_BIN_EXE_leakscope"))
        .env("LEAKSCOPE_ARTIFACTS", root.join("target/test-artifacts"))
        .output()
        .expect("cannot run scripts/e2e-dashboard.sh");
    let log = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "browser test failed:\n{log}");
    assert!(log.contains("all checks passed"), "{log}");
    for page in ["overview", "apps", "app", "policy"] {
        let shots = std::fs::read_dir(root.join("target/test-artifacts"))
            .unwrap()
            .flatten()
            .filter(|e| {
                let n = e.file_name().to_string_lossy().to_string();
                n.starts_with("dashboard-") && n.contains(page) && n.ends_with(".png")
            })
            .count();
        assert!(shots > 0, "no screenshot of the {page} page");
    }
}
