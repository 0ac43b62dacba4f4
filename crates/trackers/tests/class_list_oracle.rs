//! Compares [`exodus_class_list`] with the very extraction exodus-core
//! 1.3.15 performs: `dexdump FILE`, decoded as UTF-8 with errors ignored,
//! then `re.findall(r'[A-Z]+((?:\w+\/)+\w+)', …)` (Python), for every
//! `classes*.dex` of every corpus APK and registry APK.
//!
//! The `Processing '…'` and `Opened '…'` lines are dropped from the oracle:
//! they hold the path the file was extracted to, which differs between
//! exodus-core (a lowercase temporary directory) and this test.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeSet;
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use leakscope_dex::parse_dex_container;
use leakscope_trackers::exodus_class_list;

const ORACLE: &str = r#"
import json, re, subprocess, sys
pat = re.compile(r'[A-Z]+((?:\w+\/)+\w+)')
out = {}
for path in sys.stdin.read().split('\n'):
    if not path:
        continue
    try:
        run = subprocess.check_output(['dexdump', path], stderr=subprocess.DEVNULL)
    except subprocess.CalledProcessError as e:
        out[path] = None
        continue
    text = run.decode(errors='ignore')
    lines = [l for l in text.split('\n') if not (l.startswith("Processing '") or l.startswith("Opened '"))]
    out[path] = sorted(set(pat.findall('\n'.join(lines))))
print(json.dumps(out))
"#;

/// Extracts the `classes*.dex` entries (exodus-core's rule, top level) of
/// `apk` into `dir`, returning (entry, path).
fn extract(
    apk: &std::path::Path,
    dir: &std::path::Path,
    tag: usize,
) -> Vec<(String, std::path::PathBuf)> {
    let Ok(list) = Command::new("unzip").arg("-Z1").arg(apk).output() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (j, name) in String::from_utf8_lossy(&list.stdout).lines().enumerate() {
        if !leakscope_trackers::class_list::exodus_selects_entry(name) {
            continue;
        }
        let Ok(o) = Command::new("unzip").arg("-p").arg(apk).arg(name).output() else {
            continue;
        };
        if !o.status.success() {
            continue;
        }
        let path = dir.join(format!("a{tag}-{j}.dex"));
        if std::fs::write(&path, &o.stdout).is_ok() {
            out.push((name.to_owned(), path));
        }
    }
    out
}

#[test]
fn class_list_equals_exodus_extraction() {
    if common::corpus_dir().is_none() {
        eprintln!("SKIP: corpus not found (set LEAKSCOPE_CORPUS)");
        return;
    }
    if !common::have_tool("dexdump", "-h")
        || !common::have_tool("unzip", "-v")
        || !common::have_tool("python3", "-V")
    {
        eprintln!("SKIP: dexdump, unzip or python3 not installed");
        return;
    }
    // A lowercase directory, as exodus-core's temporary directories are.
    let tmp = tempfile::Builder::new()
        .prefix("lsx")
        .tempdir_in("/tmp")
        .unwrap();
    let apks = common::all_apks();
    let mut files = Vec::new();
    for (i, apk) in apks.iter().enumerate() {
        for (entry, path) in extract(apk, tmp.path(), i) {
            files.push((apk.clone(), entry, path));
        }
    }
    let t = Instant::now();
    let mut child = Command::new("python3")
        .arg("-c")
        .arg(ORACLE)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let list: String = files
        .iter()
        .map(|(_, _, p)| format!("{}\n", p.display()))
        .collect();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(list.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let oracle_time = t.elapsed();
    assert!(out.status.success(), "oracle script failed");
    let oracle: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();

    let (mut compared, mut names, mut failed) = (0usize, 0usize, Vec::new());
    let mut ours_time = Duration::ZERO;
    let mut mismatches = Vec::new();
    for (apk, entry, path) in &files {
        let expected = &oracle[path.display().to_string()];
        let Some(expected) = expected.as_array() else {
            failed.push(format!("{}!{entry}", apk.display()));
            continue;
        };
        let expected: BTreeSet<String> = expected
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect();
        let bytes = std::fs::read(path).unwrap();
        let t = Instant::now();
        let mut ours = BTreeSet::new();
        for dex in
            parse_dex_container(&bytes).unwrap_or_else(|e| panic!("{}!{entry}: {e}", apk.display()))
        {
            let list = exodus_class_list(&dex);
            assert!(
                list.errors.is_empty(),
                "{}!{entry}: {:?}",
                apk.display(),
                list.errors
            );
            ours.extend(list.names);
        }
        ours_time += t.elapsed();
        if ours != expected {
            let missing: Vec<_> = expected.difference(&ours).take(10).collect();
            let extra: Vec<_> = ours.difference(&expected).take(10).collect();
            mismatches.push(format!(
                "{}!{entry}: missing {missing:?}, extra {extra:?}",
                apk.display()
            ));
        }
        compared += 1;
        names += expected.len();
    }
    eprintln!(
        "compared {compared} DEX files of {} APKs ({names} names) with exodus-core's dexdump \
         extraction; oracle {oracle_time:?}, ours {ours_time:?}",
        apks.len()
    );
    for f in &failed {
        eprintln!("dexdump failed on {f} (skipped; exodus-core would fail too)");
    }
    assert!(
        mismatches.is_empty(),
        "{} files differ:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
    assert!(compared > 0, "no DEX compared");
}
