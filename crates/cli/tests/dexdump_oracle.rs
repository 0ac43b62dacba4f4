//! `leakscope inspect dex --methods/--opcodes` against AOSP `dexdump -d`, run
//! live, on every APK and DEX of the corpus and the registry APKs.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::*;

/// What dexdump says about one file.
#[derive(Default)]
struct Dexdump {
    methods: Vec<String>,
    opcodes: BTreeMap<String, u64>,
    failed: Option<String>,
}

/// The pseudo-instructions dexdump prints for payload tables.
const PAYLOADS: &[&str] = &["packed-switch-data", "sparse-switch-data", "array-data"];

fn dexdump(path: &Path) -> Dexdump {
    let mut child = Command::new("dexdump")
        .arg("-d")
        .arg(path)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("dexdump");
    let stdout = child.stdout.take().expect("stdout");
    let mut out = Dexdump::default();
    let mut class = String::new();
    let mut name = String::new();
    let mut proto = String::new();
    let mut registers = String::new();
    for line in BufReader::new(stdout).split(b'\n') {
        let Ok(line) = line else { break };
        let line = String::from_utf8_lossy(&line);
        let t = line.trim_start();
        if let Some(pos) = line.find('|') {
            // "0a0e3c: 1a00 0000   |0000: const-string v0, ..." (instructions)
            let rest = &line[pos + 1..];
            if rest.starts_with('[') {
                continue;
            }
            if let Some((pc, insn)) = rest.split_once(": ")
                && pc.len() >= 4
                && pc.bytes().all(|b| b.is_ascii_hexdigit())
            {
                let mnemonic = insn.split_whitespace().next().unwrap_or("");
                if !mnemonic.is_empty() && !PAYLOADS.contains(&mnemonic) {
                    *out.opcodes.entry(mnemonic.to_string()).or_default() += 1;
                }
                continue;
            }
        }
        if let Some(v) = t.strip_prefix("#") {
            if let Some((_, c)) = v.split_once(": (in ") {
                class = c.trim_end_matches(')').to_string();
            }
        } else if let Some(v) = t.strip_prefix("name          : '") {
            name = v.trim_end_matches('\'').to_string();
        } else if let Some(v) = t.strip_prefix("type          : '") {
            proto = v.trim_end_matches('\'').to_string();
        } else if let Some(v) = t.strip_prefix("registers     : ") {
            registers = v.to_string();
        } else if let Some(v) = t.strip_prefix("insns size    : ") {
            let n = v.split_whitespace().next().unwrap_or("");
            out.methods.push(format!(
                "{class}->{name}{proto} registers={registers} insns={n}"
            ));
        }
    }
    let status = child.wait().expect("dexdump wait");
    let mut err = String::new();
    if let Some(mut e) = child.stderr.take() {
        use std::io::Read;
        let _ = e.read_to_string(&mut err);
    }
    if !status.success() || err.contains("Failure to verify") || err.contains("Failed") {
        out.failed = Some(err.lines().last().unwrap_or("exit status").to_string());
    }
    out.methods.sort();
    out
}

fn ours(path: &Path, flag: &str) -> (bool, String, String) {
    let o = leakscope(&[
        std::ffi::OsStr::new("inspect"),
        "dex".as_ref(),
        path.as_os_str(),
        flag.as_ref(),
    ]);
    (
        o.status.success(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// Files where leakscope reads more code than dexdump, by design: a DEX
/// file with an APK appended (Janus, CVE-2017-13156). dexdump sees the DEX
/// magic and reads only the prepended DEX; leakscope reads it and the APK's
/// own `classes.dex`, and warns. There, dexdump's methods and opcodes must be
/// contained in ours.
const SUPERSET: &[&str] = &["realworld/fdroidserver/janus.apk"];

fn inputs(corpus: &Path) -> Vec<PathBuf> {
    let mut v = files_with_ext(corpus, &["apk", "dex"]);
    v.extend(registry_apks());
    v
}

#[test]
fn methods_and_opcodes_equal_dexdump() {
    let Some(corpus) = corpus() else { return };
    if !have_tool("dexdump") {
        return;
    }
    let files = inputs(&corpus);
    assert!(
        files.len() > 100,
        "corpus looks incomplete: {} files",
        files.len()
    );
    let results = par_map(&files, |path| {
        let dd = dexdump(path);
        let (ok_m, methods, err_m) = ours(path, "--methods");
        let (ok_o, opcodes, _) = ours(path, "--opcodes");
        let name = rel(&corpus, path);
        if err_m.contains("panicked") {
            return Err(format!("{name}: leakscope panicked: {err_m}"));
        }
        if let Some(why) = &dd.failed {
            // dexdump refuses some hostile files; we must still give a result
            // or a clear error, which the hostile-input test checks.
            return Ok(Some(format!(
                "{name}: dexdump failed ({why}); not compared"
            )));
        }
        if !ok_m || !ok_o {
            return Err(format!(
                "{name}: leakscope failed where dexdump succeeded: {err_m}"
            ));
        }
        let mut ours_m: Vec<&str> = methods.lines().collect();
        ours_m.sort_unstable();
        let theirs_m: Vec<&str> = dd.methods.iter().map(String::as_str).collect();
        if SUPERSET.contains(&name.as_str()) {
            let missing: Vec<_> = theirs_m.iter().filter(|l| !ours_m.contains(l)).collect();
            if !missing.is_empty() || ours_m.len() <= theirs_m.len() {
                return Err(format!(
                    "{name}: expected a strict superset of dexdump's methods; missing {missing:?}"
                ));
            }
            let short: Vec<_> = dd
                .opcodes
                .iter()
                .filter(|(m, n)| {
                    opcodes
                        .lines()
                        .filter_map(|l| l.split_once(' '))
                        .find(|(o, _)| o == m)
                        .and_then(|(_, c)| c.parse::<u64>().ok())
                        .is_none_or(|c| c < **n)
                })
                .collect();
            if !short.is_empty() {
                return Err(format!("{name}: fewer opcodes than dexdump: {short:?}"));
            }
            return Ok(Some(format!(
                "{name}: superset of dexdump, as expected (Janus)"
            )));
        }
        if ours_m != theirs_m {
            let only_ours: Vec<_> = ours_m
                .iter()
                .filter(|l| !theirs_m.contains(l))
                .take(3)
                .collect();
            let only_theirs: Vec<_> = theirs_m
                .iter()
                .filter(|l| !ours_m.contains(l))
                .take(3)
                .collect();
            return Err(format!(
                "{name}: --methods differs ({} vs dexdump {}); only ours: {only_ours:?}; only dexdump: {only_theirs:?}",
                ours_m.len(),
                theirs_m.len()
            ));
        }
        let ours_o: BTreeMap<String, u64> = opcodes
            .lines()
            .filter_map(|l| l.split_once(' '))
            .map(|(m, n)| (m.to_string(), n.parse().unwrap_or(0)))
            .collect();
        if ours_o != dd.opcodes {
            let diff: Vec<_> = ours_o
                .keys()
                .chain(dd.opcodes.keys())
                .filter(|k| ours_o.get(*k) != dd.opcodes.get(*k))
                .take(5)
                .map(|k| {
                    format!(
                        "{k}: ours {:?} dexdump {:?}",
                        ours_o.get(k),
                        dd.opcodes.get(k)
                    )
                })
                .collect();
            return Err(format!("{name}: --opcodes differs: {diff:?}"));
        }
        Ok(None)
    });
    let mut failures = Vec::new();
    let mut compared = 0;
    for r in results {
        match r {
            Ok(None) => compared += 1,
            Ok(Some(note)) => eprintln!("note: {note}"),
            Err(e) => failures.push(e),
        }
    }
    eprintln!("compared {compared} files with dexdump");
    assert!(
        failures.is_empty(),
        "{} files differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(compared > 100);
}
