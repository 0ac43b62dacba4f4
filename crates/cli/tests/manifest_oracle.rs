//! `leakscope inspect manifest --json` against androguard 4.1.4 (run live
//! from the test venv) and, where androguard fails, against `aapt dump
//! badging`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use serde_json::Value;

/// Fields compared with androguard, as `inspect manifest --json` names them.
const FIELDS: &[&str] = &[
    "package",
    "version_code",
    "version_name",
    "min_sdk",
    "target_sdk",
    "permissions",
    "activities",
    "services",
    "receivers",
    "providers",
    "label",
];

/// Differences from androguard that are androguard's, each with the reason.
/// Key: (corpus-relative path, field).
fn known_androguard_differences() -> BTreeMap<(&'static str, &'static str), &'static str> {
    BTreeMap::from([
        (
            (
                "realworld/fdroidserver/org.sajeg.fallingblocks_3.apk",
                "permissions",
            ),
            "two uses-permission use the namespace URI `android` instead of the Android one; \
             androguard matches attributes by namespace URI and drops them, Android and aapt \
             match by resource id and keep them (aapt agrees with us)",
        ),
        (
            (
                "realworld/androguard/APK/AndroidManifest_ShortName.apk",
                "label",
            ),
            "the label @7F060000 has no value in resources.arsc; androguard returns the raw \
             reference as the label, we report no label (and a warning)",
        ),
        (
            (
                "realworld/androguard/AXML/AndroidManifest_ShortName.apk",
                "label",
            ),
            "same file as realworld/androguard/APK/AndroidManifest_ShortName.apk",
        ),
    ])
}

fn apks(corpus: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = ["realworld", "droidbench", "iccbench"]
        .iter()
        .flat_map(|d| files_with_ext(&corpus.join(d), &["apk"]))
        .collect();
    v.extend(registry_apks());
    v
}

fn ours(path: &Path) -> Result<Value, String> {
    let o = leakscope(&[
        "inspect".as_ref(),
        "manifest".as_ref(),
        path.as_os_str(),
        "--json".as_ref(),
    ]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    if stderr.contains("panicked") {
        return Err(format!("panicked: {stderr}"));
    }
    if !o.status.success() {
        return Err(format!("failed: {stderr}"));
    }
    serde_json::from_slice(&o.stdout).map_err(|e| format!("bad JSON: {e}"))
}

/// Permissions from `uses-permission-sdk-23`, which androguard drops; the
/// corpus oracle adds them from `aapt dump xmltree`.
fn sdk23_permissions(corpus: &Path, rel: &str) -> BTreeSet<String> {
    let p = corpus.join("oracles").join(rel).join("manifest.json");
    std::fs::read(p)
        .ok()
        .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
        .and_then(|v| v.get("permissions_sdk23").cloned())
        .and_then(|v| serde_json::from_value::<BTreeSet<String>>(v).ok())
        .unwrap_or_default()
}

/// `aapt dump badging`: package name and permissions, if aapt succeeds.
/// Permissions that aapt only implies (for old target SDKs, printed again as
/// `uses-implied-permission`) are not in the manifest and are left out.
fn aapt(path: &Path) -> Option<(String, BTreeSet<String>)> {
    let o = Command::new("aapt")
        .args(["dump", "badging"])
        .arg(path)
        .output()
        .ok()?;
    if !o.status.success() {
        return None;
    }
    let text = String::from_utf8_lossy(&o.stdout);
    let mut package = None;
    let mut perms = BTreeSet::new();
    let mut implied = BTreeSet::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("uses-implied-permission: name='")
            && let Some(p) = rest.split('\'').next()
        {
            implied.insert(p.to_string());
        }
        if let Some(rest) = line.strip_prefix("package: name='") {
            package = rest.split('\'').next().map(str::to_string);
        } else if let Some(rest) = line
            .strip_prefix("uses-permission: name='")
            .or_else(|| line.strip_prefix("uses-permission-sdk-23: name='"))
            && let Some(p) = rest.split('\'').next()
        {
            perms.insert(p.to_string());
        }
    }
    Some((package?, perms.difference(&implied).cloned().collect()))
}

/// Permissions aapt implies for old target SDKs.
fn implied_by_aapt(path: &Path) -> BTreeSet<String> {
    let Ok(o) = Command::new("aapt")
        .args(["dump", "badging"])
        .arg(path)
        .output()
    else {
        return BTreeSet::new();
    };
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .filter_map(|l| l.strip_prefix("uses-implied-permission: name='"))
        .filter_map(|r| r.split('\'').next())
        .map(str::to_string)
        .collect()
}

#[test]
fn manifest_fields_equal_androguard_or_aapt() {
    let Some(corpus) = corpus() else { return };
    let Some(python) = androguard_python() else {
        return;
    };
    let files = apks(&corpus);
    assert!(files.len() > 100, "corpus looks incomplete");
    let script = repo_root().join("scripts/oracles/androguard_manifest.py");
    let out = Command::new(&python)
        .arg(&script)
        .args(&files)
        .output()
        .expect("androguard");
    assert!(
        out.status.success(),
        "androguard script failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let oracle: BTreeMap<String, Value> =
        serde_json::from_slice(&out.stdout).expect("androguard JSON");
    let known = known_androguard_differences();
    let have_aapt = have_tool("aapt");

    let results = par_map(&files, |path| {
        let name = rel(&corpus, path);
        let mut problems = Vec::new();
        let ours = match ours(path) {
            Ok(v) => v,
            Err(e) => return (0, 0, vec![format!("{name}: {e}")]),
        };
        let theirs = &oracle[&path.display().to_string()];
        if theirs.get("error").is_none() {
            for field in FIELDS {
                let mut expected = theirs[*field].clone();
                if *field == "permissions" {
                    let mut set: BTreeSet<String> =
                        serde_json::from_value(expected).unwrap_or_default();
                    set.extend(sdk23_permissions(&corpus, &name));
                    expected = serde_json::to_value(set).unwrap();
                }
                // androguard gives "" for an app without a label; we give null.
                if *field == "label" && expected == Value::String(String::new()) {
                    expected = Value::Null;
                }
                let got = ours.get(*field).cloned().unwrap_or(Value::Null);
                if got != expected && !known.contains_key(&(name.as_str(), *field)) {
                    problems.push(format!("{name}: {field}: ours {got} androguard {expected}"));
                }
            }
            return (1, 0, problems);
        }
        // androguard failed: package and permissions must still be there and
        // agree with aapt where aapt succeeds; where neither tool reads the
        // file and it has no manifest at all, we must say so in a warning.
        if have_aapt && let Some((package, perms)) = aapt(path) {
            if ours["package"] != Value::String(package.clone()) {
                problems.push(format!(
                    "{name}: package ours {} aapt {package}",
                    ours["package"]
                ));
            }
            let got: BTreeSet<String> =
                serde_json::from_value(ours["permissions"].clone()).unwrap_or_default();
            let got: BTreeSet<String> = got.difference(&implied_by_aapt(path)).cloned().collect();
            if got != perms {
                problems.push(format!("{name}: permissions ours {got:?} aapt {perms:?}"));
            }
            return (0, 1, problems);
        }
        if ours["package"].is_null() {
            let warned = ours["warnings"].as_array().is_some_and(|w| {
                w.iter().any(|w| {
                    w["message"]
                        .as_str()
                        .is_some_and(|m| m.contains("no AndroidManifest.xml"))
                })
            });
            if !warned {
                problems.push(format!(
                    "{name}: no package, and no warning why, where androguard failed ({})",
                    theirs["error"]
                ));
            }
        }
        (0, 0, problems)
    });
    let (mut by_androguard, mut by_aapt, mut problems) = (0, 0, Vec::new());
    for (a, b, p) in results {
        by_androguard += a;
        by_aapt += b;
        problems.extend(p);
    }
    eprintln!("compared {by_androguard} APKs with androguard and {by_aapt} with aapt");
    assert!(
        problems.is_empty(),
        "{} differences:\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert!(by_androguard > 100);
}
