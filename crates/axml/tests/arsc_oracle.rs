//! resources.arsc against `aapt dump --values resources`: every string entry
//! aapt prints must resolve to the same string through
//! [`ResourceTable::resolve_string`] (default configuration first, else the
//! first configuration, which is the order aapt prints), and every entry
//! must have the same `type/key` name.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use leakscope_axml::ResourceTable;

#[derive(Debug)]
struct AaptEntry {
    name: String,
    default_config: bool,
    data_type: u8,
    string: Option<String>,
}

/// Parses `aapt dump --values resources` into id -> entries (file order).
fn parse_aapt(out: &str) -> BTreeMap<u32, Vec<AaptEntry>> {
    let mut map: BTreeMap<u32, Vec<AaptEntry>> = BTreeMap::new();
    let mut default_config = false;
    let mut last: Option<u32> = None;
    for line in out.lines() {
        let t = line.trim_start();
        if let Some(c) = t.strip_prefix("config ") {
            default_config = c.starts_with("(default)");
            last = None;
        } else if let Some(r) = t.strip_prefix("resource 0x") {
            let Some((id, rest)) = r.split_once(' ') else {
                continue;
            };
            let Ok(id) = u32::from_str_radix(id, 16) else {
                continue;
            };
            let Some((name, tail)) = rest.split_once(": t=0x") else {
                continue;
            };
            let name = name
                .split_once(':')
                .map(|(_, n)| n)
                .unwrap_or(name)
                .to_string();
            let data_type = u8::from_str_radix(tail.get(..2).unwrap_or("0"), 16).unwrap_or(0);
            map.entry(id).or_default().push(AaptEntry {
                name,
                default_config,
                data_type,
                string: None,
            });
            last = Some(id);
        } else if let Some(s) = t
            .strip_prefix("(string8) \"")
            .or_else(|| t.strip_prefix("(string16) \""))
        {
            if let Some(e) = last
                .and_then(|id| map.get_mut(&id))
                .and_then(|v| v.last_mut())
            {
                e.string = s.strip_suffix('"').map(str::to_string);
            }
            last = None;
        } else {
            last = None;
        }
    }
    map
}

/// aapt's `ResTable::normalizeForOutput`, which also stops at a NUL.
fn normalize(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '\0' => break,
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '"' => out.push_str("\\\""),
            c => out.push(c),
        }
    }
    out
}

fn apks_with_tables(corpus: &Path) -> Vec<PathBuf> {
    let mut v = common::apks(corpus);
    v.extend(common::registry_apks());
    v
}

#[test]
fn string_resources_match_aapt() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    if !common::have_aapt() {
        return;
    }
    let mut failures = Vec::new();
    let (mut tables, mut strings_checked, mut names_checked) = (0, 0, 0);
    let mut parse_time = std::time::Duration::ZERO;
    for apk in apks_with_tables(&corpus) {
        let rel = common::rel(&corpus, &apk);
        if let Some((_, why)) = AAPT_TOO_OLD.iter().find(|(p, _)| *p == rel) {
            eprintln!("note: {rel} checked against androguard instead of aapt: {why}");
            continue;
        }
        let Some(arsc) = common::extract(&apk, "resources.arsc") else {
            continue;
        };
        let Some(out) = common::aapt(&["--values", "resources"], &apk, &[]) else {
            continue;
        };
        let t0 = Instant::now();
        let table = match ResourceTable::parse(&arsc) {
            Ok(t) => t,
            Err(e) => {
                failures.push(format!("{}: {e}", apk.display()));
                continue;
            }
        };
        parse_time += t0.elapsed();
        tables += 1;
        for (id, entries) in parse_aapt(&out) {
            let Some(expected) = entries
                .iter()
                .find(|e| e.default_config)
                .or(entries.first())
            else {
                continue;
            };
            names_checked += 1;
            if names_checked % 50 == 0 && table.packages().len() == 1 {
                // Reverse lookup on a sample of entries.
                let (ty, key) = expected.name.split_once('/').unwrap_or(("", ""));
                // A shared-library package has id 0 in the table; aapt shows
                // the dynamic id it assigned (0x02) instead.
                let shared = table.packages()[0].0 == 0;
                let found = table
                    .find_id(ty, key)
                    .map(|f| if shared { f | (id & 0xff00_0000) } else { f });
                if found != Some(id) {
                    failures.push(format!(
                        "{} find_id({}) != {id:#x}",
                        apk.display(),
                        expected.name
                    ));
                }
            }
            let name = table.entry_name(id);
            if name.as_deref() != Some(expected.name.as_str()) {
                failures.push(format!(
                    "{} {id:#x}: name ours {name:?} aapt {:?}",
                    apk.display(),
                    expected.name
                ));
            }
            if expected.data_type == 0x03
                && let Some(s) = &expected.string
            {
                strings_checked += 1;
                let ours = table.resolve_string(id).map(|o| normalize(&o));
                if ours.as_deref() != Some(s.as_str()) {
                    failures.push(format!(
                        "{} {id:#x}: ours {ours:?} aapt {s:?}",
                        apk.display()
                    ));
                }
            }
        }
    }
    eprintln!(
        "{tables} tables, {names_checked} entry names and {strings_checked} strings compared with aapt; \
         parsing took {parse_time:?} in total"
    );
    assert!(tables > 100);
    failures.truncate(40);
    assert!(
        failures.is_empty(),
        "disagreements:\n{}",
        failures.join("\n")
    );
}

/// Tables that use features newer than the installed aapt (build-tools 29
/// era): aapt misreads them (wrong names/values), androguard 4.1.4 reads
/// them right, so they are compared with androguard in
/// `new_format_tables_match_androguard`.
const AAPT_TOO_OLD: &[(&str, &str)] = &[
    (
        "realworld/apktool/issue3366__issue3366.apk",
        "FLAG_OFFSET16 type chunk (16-bit entry offsets)",
    ),
    (
        "realworld/apktool/framework__framework.apk",
        "FLAG_OFFSET16 type chunks",
    ),
    (
        "realworld/apktool/shared_library__library.apk",
        "FLAG_OFFSET16 type chunks",
    ),
    (
        "realworld/apktool/issue3705__issue3705.apk",
        "compact entries (FLAG_COMPACT)",
    ),
    (
        "realworld/androguard/AXML/compact-entry.apk",
        "compact entries (FLAG_COMPACT)",
    ),
];

#[test]
fn new_format_tables_match_androguard() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let Some(py) = common::androguard_python() else {
        return;
    };
    let paths: Vec<PathBuf> = AAPT_TOO_OLD.iter().map(|(p, _)| corpus.join(p)).collect();
    for p in &paths {
        assert!(
            p.is_file(),
            "stale entry: {} is not in the corpus",
            p.display()
        );
    }
    let oracle = common::androguard(&py, &paths, "--arsc");
    let mut failures = Vec::new();
    let mut checked = 0;
    for apk in &paths {
        let arsc = common::extract(apk, "resources.arsc").expect("resources.arsc");
        let table = ResourceTable::parse(&arsc).expect("parse");
        let Some(o) = oracle.get(&apk.display().to_string()) else {
            failures.push(format!("{}: no androguard output", apk.display()));
            continue;
        };
        let Some(res) = o.get("resources").and_then(|r| r.as_object()) else {
            eprintln!("note: androguard failed on {}: {o}", apk.display());
            continue;
        };
        for (id, v) in res {
            let id: u32 = id.parse().unwrap();
            checked += 1;
            // androguard names are `@package:type/key`.
            let name = v["name"]
                .as_str()
                .and_then(|n| n.split_once(':'))
                .map(|(_, n)| n.to_string());
            if table.entry_name(id) != name {
                failures.push(format!(
                    "{} {id:#x}: name ours {:?} androguard {name:?}",
                    apk.display(),
                    table.entry_name(id)
                ));
            }
            if let Some(s) = v["value"].as_str() {
                let ours = table.resolve(id).map(|v| v.to_string());
                // androguard formats non-string values its own way; compare strings only.
                if table.resolve_string(id).is_some() && ours.as_deref() != Some(s) {
                    failures.push(format!(
                        "{} {id:#x}: ours {ours:?} androguard {s:?}",
                        apk.display()
                    ));
                }
            }
        }
    }
    eprintln!("{checked} entries compared with androguard");
    assert!(checked > 1000);
    failures.truncate(40);
    assert!(
        failures.is_empty(),
        "disagreements:\n{}",
        failures.join("\n")
    );
}
