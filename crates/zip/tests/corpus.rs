//! Oracle test: every archive of the corpus (and the registry APKs) is read
//! by us and by Python's `zipfile`; entry names, sizes and the CRC-32 of the
//! bytes read must match.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use leakscope_zip::{Archive, Limits};

const EXTENSIONS: &[&str] = &["apk", "xapk", "jar", "ipa", "apks", "apkm"];

/// Corpus root: `LEAKSCOPE_CORPUS`, else `../shared/corpus` from the repo root.
fn corpus_root() -> PathBuf {
    std::env::var_os("LEAKSCOPE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"))
}

fn registry_root() -> Option<PathBuf> {
    std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/leakscope-corpus/registry"))
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else if p
            .extension()
            .and_then(|x| x.to_str())
            .is_some_and(|x| EXTENSIONS.contains(&x.to_ascii_lowercase().as_str()))
        {
            out.push(p);
        }
    }
}

/// Archives whose reading legitimately differs from Python's, with why.
/// (None known: keep the mechanism for new corpus files.)
const EXPECTED_DIFFERENCES: &[(&str, &str)] = &[];

fn crc(data: &[u8]) -> u32 {
    let mut c = flate2::Crc::new();
    c.update(data);
    c.sum()
}

#[test]
fn corpus_matches_python_zipfile() {
    let root = corpus_root();
    if !root.is_dir() {
        eprintln!(
            "SKIP: corpus not found at {} (set LEAKSCOPE_CORPUS)",
            root.display()
        );
        return;
    }
    let mut files = Vec::new();
    collect(&root, &mut files);
    if let Some(reg) = registry_root() {
        collect(&reg, &mut files);
    }
    files.sort();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/zipfile_oracle.py");
    let child = Command::new("python3")
        .arg(&script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn();
    let Ok(mut child) = child else {
        eprintln!("SKIP: python3 not available");
        return;
    };
    // Feed paths from another thread so a full stdout pipe cannot deadlock.
    let mut stdin = child.stdin.take().unwrap();
    let paths = files.clone();
    let feeder = std::thread::spawn(move || {
        for f in paths {
            writeln!(stdin, "{}", f.display()).unwrap();
        }
    });
    let output = child.wait_with_output().unwrap();
    feeder.join().unwrap();
    assert!(output.status.success(), "oracle script failed");
    let text = String::from_utf8(output.stdout).unwrap();
    let mut checked_entries = 0usize;
    let mut warning_kinds: BTreeMap<String, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    let mut archives = 0usize;
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let path = v["path"].as_str().unwrap();
        let expected_diff = EXPECTED_DIFFERENCES.iter().find(|(p, _)| path.ends_with(p));
        let bytes = std::fs::read(path).unwrap();
        let ours = Archive::parse(&bytes, Limits::default());
        let py_error = v["error"].as_str();
        let a = match (ours, py_error) {
            (Ok(a), None) => a,
            (Err(e), Some(pe)) => {
                eprintln!("both fail on {path}: ours {e}; python {pe}");
                continue;
            }
            (Ok(_), Some(pe)) => {
                if expected_diff.is_none() {
                    failures.push(format!("{path}: python fails ({pe}) but we parse it"));
                }
                continue;
            }
            (Err(e), None) => {
                if expected_diff.is_none() {
                    failures.push(format!("{path}: we fail ({e}) but python reads it"));
                }
                continue;
            }
        };
        archives += 1;
        let py_entries = v["entries"].as_array().unwrap();
        let names: Vec<String> = a.entries().iter().map(|e| hex(e.name)).collect();
        let py_names: Vec<String> = py_entries
            .iter()
            .map(|e| e[0].as_str().unwrap().to_owned())
            .collect();
        if names != py_names {
            failures.push(format!(
                "{path}: entry names differ ({} vs {})",
                names.len(),
                py_names.len()
            ));
            continue;
        }
        for (e, pe) in a.entries().iter().zip(py_entries) {
            let ours = a.read(e);
            match (ours, pe[2].as_u64()) {
                (Ok(data), Some(py_crc)) => {
                    checked_entries += 1;
                    if data.len() as u64 != pe[1].as_u64().unwrap()
                        || u64::from(crc(&data)) != py_crc
                    {
                        failures.push(format!("{path}: {} content differs", e.name_lossy()));
                    }
                }
                (Err(err), Some(_)) => failures.push(format!(
                    "{path}: {} python reads it, we fail: {err}",
                    e.name_lossy()
                )),
                (Ok(_), None) => failures.push(format!(
                    "{path}: {} we read it, python fails: {}",
                    e.name_lossy(),
                    pe[3]
                )),
                (Err(_), None) => {}
            }
        }
        for w in a.warnings() {
            let kind = format!("{w:?}");
            let kind = kind.split([' ', '{']).next().unwrap_or_default().to_owned();
            *warning_kinds.entry(kind).or_default() += 1;
        }
    }
    eprintln!(
        "{archives} archives, {checked_entries} entries compared with python zipfile; warnings by kind: {warning_kinds:?}"
    );
    assert!(archives > 0, "no archive compared");
    assert!(
        failures.is_empty(),
        "{} differences:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}
