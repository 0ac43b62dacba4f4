//! Shared helpers for the corpus/oracle tests: locating the corpus, pulling
//! entries out of APKs with `unzip` (or Python's zipfile for odd zips), and
//! running the androguard and aapt oracles.
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

#[allow(unused_imports)] // each test binary uses a different part
pub use leakscope_testkit::{corpus, registry_apks};

/// Every `*.apk` under `dir`, sorted.
pub fn apks(dir: &Path) -> Vec<PathBuf> {
    leakscope_testkit::files_with_ext(dir, &["apk"])
}

/// The venv Python with androguard, or `None` (with a printed reason).
pub fn androguard_python() -> Option<PathBuf> {
    leakscope_testkit::venv_python_with("androguard")
}

/// True when `aapt` runs (printing a reason when it does not).
pub fn have_aapt() -> bool {
    let ok = Command::new("aapt")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("SKIP: aapt not installed");
    }
    ok
}

/// One entry of a zip, by `unzip -p`, falling back to Python's zipfile.
pub fn extract(apk: &Path, entry: &str) -> Option<Vec<u8>> {
    if let Ok(o) = Command::new("unzip")
        .arg("-p")
        .arg(apk)
        .arg(entry)
        .stderr(Stdio::null())
        .output()
        && o.status.success()
        && !o.stdout.is_empty()
    {
        return Some(o.stdout);
    }
    let script = "import sys,zipfile\nz=zipfile.ZipFile(sys.argv[1])\nsys.stdout.buffer.write(z.read(sys.argv[2]))";
    let o = Command::new("python3")
        .args(["-c", script])
        .arg(apk)
        .arg(entry)
        .stderr(Stdio::null())
        .output()
        .ok()?;
    (o.status.success() && !o.stdout.is_empty()).then_some(o.stdout)
}

/// Runs the androguard oracle script over `paths` (APKs, or bare binary XML
/// files, or resource tables), keyed by path.
/// `mode` is `""` (APK), `"--axml"` or `"--arsc"`.
pub fn androguard(py: &Path, paths: &[PathBuf], mode: &str) -> HashMap<String, serde_json::Value> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oracle/androguard_oracle.py");
    let mut cmd = Command::new(py);
    cmd.arg(script);
    if !mode.is_empty() {
        cmd.arg(mode);
    }
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn python");
    let input: String = paths.iter().map(|p| format!("{}\n", p.display())).collect();
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(input.as_bytes());
    });
    let out = child.wait_with_output().expect("python output");
    let _ = writer.join();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| Some((v.get("path")?.as_str()?.to_string(), v)))
        .collect()
}

/// `aapt dump <args...> apk <tail...>` stdout, when aapt exits successfully.
pub fn aapt(args: &[&str], apk: &Path, tail: &[&str]) -> Option<String> {
    let mut cmd = Command::new("aapt");
    cmd.arg("dump").args(args).arg(apk).args(tail);
    let o = cmd.stderr(Stdio::null()).output().ok()?;
    o.status
        .success()
        .then(|| String::from_utf8_lossy(&o.stdout).into_owned())
}

/// Path of `p` relative to the corpus, as the oracle folder names it.
pub fn rel(corpus: &Path, p: &Path) -> String {
    p.strip_prefix(corpus)
        .unwrap_or(p)
        .to_string_lossy()
        .into_owned()
}
