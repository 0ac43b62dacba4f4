//! Runs exodus-core 1.3.15's static tracker detection live, offline, with
//! the corpus signature file (`refdata/trackers/exodus_trackers.json`), on
//! every corpus APK and registry APK, and checks that our code-signature
//! trackers are exactly its list. Also compares with the precomputed
//! `oracles/<app>/trackers.json`, and checks that the embedded knowledge
//! base carries the same signatures as the corpus file.
//!
//! exodus-core must be importable from the project venv (`.venv`); it pins
//! androguard 4.1.1, which conflicts with the androguard 4.1.4 oracle, so it
//! is installed with `pip install --no-deps exodus-core==1.3.15` (its other
//! imports are in `scripts/oracle-requirements.txt`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Instant;

use leakscope_kb::{Kb, Signature, Tracker};
use leakscope_trackers::TrackerMatcher;

const ORACLE: &str = r#"
import json, sys, logging
from collections import namedtuple
logging.disable(logging.CRITICAL)
from exodus_core.analysis.static_analysis import StaticAnalysis
data = json.load(open(sys.argv[1]))
sigs = [namedtuple('tracker', t.keys())(*t.values()) for t in data['trackers'].values()]
out = {}
for apk in sys.stdin.read().split('\n'):
    if not apk:
        continue
    sa = StaticAnalysis()
    sa.apk_path = apk
    sa.signatures = sigs
    sa._compile_signatures()
    try:
        out[apk] = sorted(t.id for t in sa.detect_trackers())
    except BaseException as e:
        out[apk] = {'error': repr(e)}
print(json.dumps(out))
"#;

/// Trackers of the corpus signature file, as kb `Tracker`s.
fn refdata_trackers(corpus: &std::path::Path) -> Vec<Tracker> {
    let path = corpus.join("refdata/trackers/exodus_trackers.json");
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let mut out: Vec<Tracker> = v["trackers"]
        .as_object()
        .unwrap()
        .values()
        .map(|t| {
            let sig = |k: &str| {
                t[k].as_str().filter(|s| !s.is_empty()).map(|s| Signature {
                    pattern: s.to_owned(),
                })
            };
            Tracker {
                id: u32::try_from(t["id"].as_u64().unwrap()).unwrap(),
                name: t["name"].as_str().unwrap_or("").to_owned(),
                website: String::new(),
                categories: Vec::new(),
                code_signature: sig("code_signature"),
                network_signature: sig("network_signature"),
            }
        })
        .collect();
    out.sort_by_key(|t| t.id);
    out
}

#[test]
fn embedded_kb_has_the_corpus_signatures() {
    let Some(corpus) = common::corpus_dir() else {
        eprintln!("SKIP: corpus not found (set LEAKSCOPE_CORPUS)");
        return;
    };
    let kb = Kb::embedded().unwrap();
    let ours: BTreeMap<u32, (Option<String>, Option<String>)> = kb
        .trackers
        .iter()
        .map(|t| {
            (
                t.id,
                (
                    t.code_signature.as_ref().map(|s| s.pattern.clone()),
                    t.network_signature.as_ref().map(|s| s.pattern.clone()),
                ),
            )
        })
        .collect();
    let theirs: BTreeMap<u32, (Option<String>, Option<String>)> = refdata_trackers(&corpus)
        .into_iter()
        .map(|t| {
            (
                t.id,
                (
                    t.code_signature.map(|s| s.pattern),
                    t.network_signature.map(|s| s.pattern),
                ),
            )
        })
        .collect();
    assert_eq!(ours, theirs);
    // Every pattern compiles in Rust (TrackerMatcher fails otherwise).
    TrackerMatcher::from_kb(kb).unwrap();
}

const SEMANTICS: &str = r#"
import json, re, sys
data = json.load(sys.stdin)
out = []
for p in data['patterns']:
    r = re.compile(p)
    out.append([i for i, n in enumerate(data['names']) if r.search(n)])
print(json.dumps(out))
"#;

/// Names that exercise every code signature: each alternative with its
/// dots as `/` and as `.`, inside longer names, cut short, and with a
/// wrong letter, plus names seen in real apps.
fn probe_names(trackers: &[Tracker]) -> Vec<String> {
    let mut names = BTreeSet::new();
    for t in trackers {
        let Some(sig) = &t.code_signature else {
            continue;
        };
        for alt in sig.pattern.split('|') {
            let plain = alt.trim_start_matches('^').trim_end_matches('$');
            let slash = plain.replace('.', "/");
            names.insert(slash.clone());
            names.insert(plain.to_owned());
            names.insert(format!("{slash}Foo/Bar"));
            names.insert(format!("x/{slash}/Baz"));
            if let Some((cut, _)) = slash.rsplit_once('/') {
                names.insert(cut.to_owned());
            }
            names.insert(slash.replacen('o', "0", 1));
        }
    }
    names.extend(
        [
            "com/google/android/gms/ads/AdView",
            "com/facebook/FacebookSdk",
            "android/app/Activity",
        ]
        .map(str::to_owned),
    );
    names.into_iter().collect()
}

/// The code signatures select the same names in Rust as in Python's `re`.
#[test]
fn code_signatures_mean_the_same_as_in_python() {
    let Some(corpus) = common::corpus_dir() else {
        eprintln!("SKIP: corpus not found (set LEAKSCOPE_CORPUS)");
        return;
    };
    if !common::have_tool("python3", "-V") {
        eprintln!("SKIP: python3 not installed");
        return;
    }
    let trackers: Vec<Tracker> = refdata_trackers(&corpus)
        .into_iter()
        .filter(|t| {
            t.code_signature
                .as_ref()
                .is_some_and(|s| s.pattern.chars().count() > 3)
        })
        .collect();
    let names = probe_names(&trackers);
    let patterns: Vec<&str> = trackers
        .iter()
        .filter_map(|t| t.code_signature.as_ref().map(|s| s.pattern.as_str()))
        .collect();
    let input = serde_json::json!({"patterns": patterns, "names": names});
    let mut child = Command::new("python3")
        .args(["-c", SEMANTICS])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let expected: Vec<Vec<usize>> = serde_json::from_slice(&out.stdout).unwrap();
    let matcher = TrackerMatcher::new(trackers.iter()).unwrap();
    let mut ours = vec![Vec::new(); trackers.len()];
    for (n, name) in names.iter().enumerate() {
        for t in matcher.match_name(name) {
            ours[t].push(n);
        }
    }
    let hits: usize = expected.iter().map(Vec::len).sum();
    eprintln!(
        "{} signatures x {} names: {hits} matches",
        trackers.len(),
        names.len()
    );
    for (t, (a, b)) in trackers.iter().zip(ours.iter().zip(&expected)) {
        assert_eq!(a, b, "tracker {} `{}`", t.id, t.name);
    }
    assert!(hits > 1000);
}

/// Python-`re`-only syntax would compile differently or not at all; the
/// Exodus code signatures only use literals, `.`, `|`, `\.`, `^`, `$`,
/// `*`, `+`, `?`, groups and classes, whose meaning is the same in both.
#[test]
fn code_signatures_use_portable_syntax() {
    let Some(corpus) = common::corpus_dir() else {
        eprintln!("SKIP: corpus not found (set LEAKSCOPE_CORPUS)");
        return;
    };
    for t in refdata_trackers(&corpus) {
        for sig in [&t.code_signature, &t.network_signature]
            .into_iter()
            .flatten()
        {
            let p = &sig.pattern;
            let mut chars = p.chars();
            while let Some(c) = chars.next() {
                if c == '\\' {
                    let e = chars.next().unwrap_or(' ');
                    // `\a` is the bell character in both (tracker 219's
                    // `data.\altbeacon\.org` is a typo in Exodus's data,
                    // kept as is: it means the same to both engines).
                    assert!(
                        e.is_ascii_punctuation() || e == 'a',
                        "tracker {} uses escape \\{e} in {p:?}, check its meaning",
                        t.id
                    );
                }
            }
            assert!(
                !p.contains("(?"),
                "tracker {}: inline flags/groups in {p:?}",
                t.id
            );
            assert!(
                !p.contains('{'),
                "tracker {}: counted repetition in {p:?}",
                t.id
            );
        }
    }
}

#[test]
fn code_trackers_equal_exodus_core() {
    let Some(corpus) = common::corpus_dir() else {
        eprintln!("SKIP: corpus not found (set LEAKSCOPE_CORPUS)");
        return;
    };
    let Some(python) = common::venv_python() else {
        eprintln!("SKIP: no .venv (run scripts/setup-test-deps.sh)");
        return;
    };
    let importable = Command::new(&python)
        .args(["-c", "import exodus_core.analysis.static_analysis"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !importable || !common::have_tool("dexdump", "-h") {
        eprintln!(
            "SKIP: exodus-core or dexdump missing (pip install --no-deps exodus-core==1.3.15)"
        );
        return;
    }
    let matcher = TrackerMatcher::new(refdata_trackers(&corpus).iter()).unwrap();
    let apks = common::all_apks();
    let t = Instant::now();
    let mut child = Command::new(&python)
        .arg("-c")
        .arg(ORACLE)
        .arg(corpus.join("refdata/trackers/exodus_trackers.json"))
        .env("TMPDIR", "/tmp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let list: String = apks.iter().map(|p| format!("{}\n", p.display())).collect();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(list.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let oracle_time = t.elapsed();
    assert!(out.status.success(), "exodus-core script failed");
    let oracle: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();

    let t = Instant::now();
    let (mut compared, mut detected, mut precomputed) = (0usize, 0usize, 0usize);
    let mut mismatches = Vec::new();
    let mut skipped = Vec::new();
    for apk in &apks {
        let key = apk.display().to_string();
        let Some(expected) = oracle[&key].as_array() else {
            skipped.push(format!("{key}: exodus-core: {}", oracle[&key]["error"]));
            continue;
        };
        let expected: BTreeSet<u64> = expected.iter().filter_map(|v| v.as_u64()).collect();
        let app = match leakscope_app::load(apk, &leakscope_app::Options::default()) {
            Ok(app) => app,
            Err(e) => {
                mismatches.push(format!("{key}: exodus-core reads it, we fail: {e}"));
                continue;
            }
        };
        let det = matcher.detect(&app);
        let ours: BTreeSet<u64> = det
            .findings
            .iter()
            .map(|f| f.id.parse::<u64>().unwrap())
            .collect();
        if ours != expected {
            mismatches.push(format!("{key}: ours {ours:?}, exodus-core {expected:?}"));
        }
        compared += 1;
        detected += ours.len();
        // The precomputed oracle lists names.
        let rel = apk.strip_prefix(&corpus).ok();
        if let Some(rel) = rel {
            let f = corpus.join("oracles").join(rel).join("trackers.json");
            if let Ok(text) = std::fs::read(&f) {
                let v: serde_json::Value = serde_json::from_slice(&text).unwrap();
                let names: BTreeSet<&str> = v["trackers"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter_map(|n| n.as_str())
                    .collect();
                let ours_names: BTreeSet<&str> =
                    det.findings.iter().map(|f| f.name.as_str()).collect();
                if names != ours_names {
                    mismatches.push(format!("{key}: ours {ours_names:?}, precomputed {names:?}"));
                }
                precomputed += 1;
            }
        }
    }
    eprintln!(
        "compared {compared} APKs with exodus-core ({detected} tracker detections; {precomputed} \
         also with the precomputed oracle); exodus-core {oracle_time:?}, ours {:?}",
        t.elapsed()
    );
    for s in &skipped {
        eprintln!("skipped {s}");
    }
    assert!(
        mismatches.is_empty(),
        "{} differ:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
    assert!(compared > 0);
}
