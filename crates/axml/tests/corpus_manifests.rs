//! Every corpus APK's manifest against the androguard oracle files
//! (`oracles/<apk>/manifest.json`), live androguard (versions, SDKs, label
//! through resources.arsc) and `aapt dump badging`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use leakscope_axml::{Manifest, ResourceTable, Value, decode};

/// One decoded APK: the manifest, plus the label resolved through
/// resources.arsc when it is a reference.
struct Decoded {
    manifest: Manifest,
    label: Option<String>,
}

fn decode_apk(apk: &Path) -> Result<Decoded, String> {
    let xml = common::extract(apk, "AndroidManifest.xml").ok_or("no AndroidManifest.xml")?;
    let doc = decode(&xml).map_err(|e| e.to_string())?;
    let (manifest, _) = Manifest::from_element(&doc.root);
    let arsc = common::extract(apk, "resources.arsc");
    let table = arsc.as_deref().and_then(|a| ResourceTable::parse(a).ok());
    let label_value = manifest
        .application
        .as_ref()
        .and_then(|a| a.label.clone())
        .or_else(|| main_activity_label(&manifest));
    let label = match label_value {
        None => None,
        Some(Value::Reference(id)) if id >> 24 != 1 => match &table {
            Some(t) => t
                .resolve_string(id)
                .or(Some(Value::Reference(id).to_string())),
            None => Some(Value::Reference(id).to_string()),
        },
        Some(v) => Some(v.to_string()),
    };
    Ok(Decoded { manifest, label })
}

/// androguard's fallback when <application> has no label: the label of the
/// main activity (MAIN + LAUNCHER), if it has one.
fn main_activity_label(m: &Manifest) -> Option<Value> {
    m.activities
        .iter()
        .chain(&m.activity_aliases)
        .filter(|c| {
            c.intent_filters.iter().any(|f| {
                f.actions.iter().any(|a| a == "android.intent.action.MAIN")
                    && f.categories
                        .iter()
                        .any(|c| c == "android.intent.category.LAUNCHER")
            })
        })
        .find_map(|c| c.label.clone())
}

/// androguard's view of the requested permissions: `<uses-permission>` names
/// qualified by `_format_value` (so a dotless name gets the package prefix),
/// merged with the raw `<uses-permission-sdk-23>` names the oracle adds from
/// aapt.
fn androguard_permissions(m: &Manifest) -> Vec<String> {
    let mut v: Vec<String> = m
        .uses_permissions
        .iter()
        .map(|p| {
            if p.sdk23 {
                p.name.clone()
            } else {
                Manifest::qualify(m.package.as_deref(), &p.name)
            }
        })
        .collect();
    v.sort();
    v.dedup();
    v
}

fn names(cs: &[leakscope_axml::Component]) -> Vec<String> {
    let mut v: Vec<String> = cs.iter().filter_map(|c| c.name.clone()).collect();
    v.sort();
    v
}

fn json_list(v: &serde_json::Value, key: &str) -> Vec<String> {
    let mut out: Vec<String> = v
        .get(key)
        .and_then(|a| a.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

fn json_str(v: &serde_json::Value, key: &str) -> Option<String> {
    v.get(key).and_then(|s| s.as_str()).map(str::to_string)
}

/// APKs we cannot read the manifest of: (relative path, reason).
const UNREADABLE: &[(&str, &str)] = &[];

fn decode_all(corpus: &Path, with_registry: bool) -> (Vec<PathBuf>, BTreeMap<PathBuf, Decoded>) {
    let mut apks = common::apks(corpus);
    if with_registry {
        apks.extend(common::registry_apks());
    }
    let mut out = BTreeMap::new();
    for apk in &apks {
        match decode_apk(apk) {
            Ok(d) => {
                out.insert(apk.clone(), d);
            }
            Err(e) => {
                let rel = common::rel(corpus, apk);
                let expected = UNREADABLE.iter().any(|(p, _)| *p == rel);
                eprintln!("note: {rel}: {e}");
                assert!(expected || e == "no AndroidManifest.xml", "{rel}: {e}");
            }
        }
    }
    (apks, out)
}

#[test]
fn manifests_match_androguard_oracle_files() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    for (p, _, _) in EXPECTED_DIFFS {
        assert!(
            corpus.join(p).is_file(),
            "stale expected difference: {p} is not in the corpus"
        );
    }
    let (apks, decoded) = decode_all(&corpus, false);
    assert!(
        apks.len() > 100,
        "corpus looks incomplete: {} APKs",
        apks.len()
    );
    let mut compared = 0;
    let mut failures = Vec::new();
    for (apk, d) in &decoded {
        let rel = common::rel(&corpus, apk);
        let oracle_path = corpus.join("oracles").join(&rel).join("manifest.json");
        let Ok(text) = std::fs::read_to_string(&oracle_path) else {
            eprintln!("note: no oracle for {rel}");
            continue;
        };
        let o: serde_json::Value = serde_json::from_str(&text).unwrap();
        compared += 1;
        let m = &d.manifest;
        let mut check = |what: &str, ours: Vec<String>, theirs: Vec<String>| {
            if ours != theirs && !expected_diff(&rel, what) {
                failures.push(format!(
                    "{rel}: {what}: ours {ours:?} androguard {theirs:?}"
                ));
            }
        };
        check(
            "package",
            m.package.clone().into_iter().collect(),
            json_str(&o, "package").into_iter().collect(),
        );
        check(
            "permissions",
            androguard_permissions(m),
            json_list(&o, "permissions"),
        );
        check(
            "activities",
            names(&m.activities),
            json_list(&o, "activities"),
        );
        check("services", names(&m.services), json_list(&o, "services"));
        check("receivers", names(&m.receivers), json_list(&o, "receivers"));
        check("providers", names(&m.providers), json_list(&o, "providers"));
    }
    eprintln!("compared {compared} manifests with oracle files");
    assert!(
        failures.is_empty(),
        "{} disagreements:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn opt_int_str(v: Option<i64>) -> Option<String> {
    v.map(|i| i.to_string())
}

/// androguard prints integers as typed in the XML (`0x..` for hex); read it
/// back as a number so both sides compare as integers.
fn norm_int(s: Option<String>) -> Option<String> {
    s.map(|s| {
        let t = s.trim();
        let parsed = t
            .strip_prefix("0x")
            .and_then(|h| u32::from_str_radix(h, 16).ok().map(|u| i64::from(u as i32)))
            .or_else(|| t.parse::<i64>().ok());
        parsed.map(|i| i.to_string()).unwrap_or(s)
    })
}

#[test]
fn versions_sdks_and_labels_match_live_androguard() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let Some(py) = common::androguard_python() else {
        return;
    };
    let (_, decoded) = decode_all(&corpus, true);
    let paths: Vec<PathBuf> = decoded.keys().cloned().collect();
    let oracle = common::androguard(&py, &paths, "");
    let mut failures = Vec::new();
    let mut compared = 0;
    for (apk, d) in &decoded {
        let rel = common::rel(&corpus, apk);
        let Some(o) = oracle.get(&apk.display().to_string()) else {
            failures.push(format!("{rel}: no androguard output"));
            continue;
        };
        if let Some(e) = o.get("error") {
            eprintln!("note: androguard failed on {rel}: {e}");
            continue;
        }
        compared += 1;
        let m = &d.manifest;
        let fields: [(&str, Option<String>, Option<String>); 5] = [
            (
                "version_code",
                opt_int_str(m.version_code),
                norm_int(json_str(o, "version_code")),
            ),
            (
                "version_name",
                m.version_name.clone(),
                json_str(o, "version_name"),
            ),
            (
                "min_sdk",
                opt_int_str(m.min_sdk),
                norm_int(json_str(o, "min_sdk")),
            ),
            (
                "target_sdk",
                opt_int_str(m.target_sdk),
                norm_int(json_str(o, "target_sdk")),
            ),
            // androguard returns "" when there is no label at all.
            (
                "app_name",
                d.label.clone().or(Some(String::new())),
                json_str(o, "app_name"),
            ),
        ];
        for (what, ours, theirs) in fields {
            if ours != theirs && !expected_diff(&rel, what) {
                failures.push(format!(
                    "{rel}: {what}: ours {ours:?} androguard {theirs:?}"
                ));
            }
        }
    }
    eprintln!("compared {compared} APKs with live androguard");
    assert!(compared > 200);
    assert!(
        failures.is_empty(),
        "{} disagreements:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Parses `key='value'` pairs out of one `aapt dump badging` line.
fn badging_field(line: &str, key: &str) -> Option<String> {
    let start = line.find(&format!("{key}='"))? + key.len() + 2;
    let rest = &line[start..];
    Some(rest[..rest.find('\'')?].to_string())
}

#[test]
fn package_permissions_sdks_and_labels_match_aapt_badging() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    if !common::have_aapt() {
        return;
    }
    let (_, decoded) = decode_all(&corpus, true);
    let mut failures = Vec::new();
    let mut compared = 0;
    for (apk, d) in &decoded {
        let rel = common::rel(&corpus, apk);
        let Some(out) = common::aapt(&["badging"], apk, &[]) else {
            eprintln!("note: aapt badging failed on {rel}");
            continue;
        };
        compared += 1;
        let m = &d.manifest;
        let mut package = None;
        let mut min_sdk = None;
        let mut target_sdk = None;
        let mut label = None;
        let mut perms = Vec::new();
        let mut implied = Vec::new();
        for line in out.lines() {
            if line.starts_with("package:") {
                package = badging_field(line, "name");
            } else if let Some(v) = line.strip_prefix("sdkVersion:'") {
                min_sdk = v.strip_suffix('\'').map(str::to_string);
            } else if let Some(v) = line.strip_prefix("targetSdkVersion:'") {
                target_sdk = v.strip_suffix('\'').map(str::to_string);
            } else if let Some(v) = line.strip_prefix("application-label:'") {
                label = v.strip_suffix('\'').map(str::to_string);
            } else if line.starts_with("uses-permission:")
                || line.starts_with("uses-permission-sdk-23:")
            {
                perms.extend(badging_field(line, "name"));
            } else if line.starts_with("uses-implied-permission:") {
                implied.extend(badging_field(line, "name"));
            }
        }
        // aapt lists permissions it implies (e.g. READ_EXTERNAL_STORAGE for
        // old target SDKs) as uses-permission too; only declared ones count.
        perms.retain(|p| !implied.contains(p));
        perms.sort();
        perms.dedup();
        let fields: [(&str, Option<String>, Option<String>); 5] = [
            ("package", m.package.clone(), package),
            (
                "permissions",
                Some(m.permission_names().join(",")),
                Some(perms.join(",")),
            ),
            // aapt prints Android's defaults: minSdk 1 when absent, and the
            // target defaults to the min.
            (
                "aapt_min_sdk",
                m.min_sdk_codename
                    .clone()
                    .or(Some(m.effective_min_sdk().to_string())),
                min_sdk.or(Some("1".into())),
            ),
            (
                "aapt_target_sdk",
                m.target_sdk_codename
                    .clone()
                    .or(Some(m.effective_target_sdk().to_string())),
                target_sdk.or(Some(m.effective_min_sdk().to_string())),
            ),
            ("aapt_label", d.label.clone(), label),
        ];
        for (what, ours, theirs) in fields {
            if ours != theirs && !expected_diff(&rel, what) {
                failures.push(format!("{rel}: {what}: ours {ours:?} aapt {theirs:?}"));
            }
        }
    }
    eprintln!("compared {compared} APKs with aapt badging");
    assert!(compared > 200);
    assert!(
        failures.is_empty(),
        "{} disagreements:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Known, explained disagreements with an oracle: (APK, field, reason).
const EXPECTED_DIFFS: &[(&str, &str, &str)] = &[
    (
        "realworld/fdroidserver/org.sajeg.fallingblocks_3.apk",
        "permissions",
        "androguard bug: the two <uses-permission> carry namespace URI \"android\" (Godot's exporter); \
         Android and aapt resolve android:name by resource id 0x01010003 and grant VIBRATE and \
         WRITE_USER_DICTIONARY, androguard looks the attribute up by namespace URI and misses both",
    ),
    (
        "realworld/fdroidserver/org.sajeg.fallingblocks_3.apk",
        "text",
        "same androguard issue: its text XML puts the two android:name attributes in namespace \
         \"android\", so the text path (which has no resource ids) cannot see them",
    ),
    (
        "realworld/apktool/issue1730__issue1730.apk",
        "aapt_label",
        "aapt quirk: the label is the literal string \"Empty Android App\" (androguard agrees with us), \
         but aapt badging prints no application-label line for this APK's empty resource table",
    ),
];

fn expected_diff(rel: &str, field: &str) -> bool {
    EXPECTED_DIFFS
        .iter()
        .any(|(p, f, _)| *p == rel && *f == field)
}

/// The fields of a manifest that both the binary and the text path must
/// agree on, as strings (text XML has no typed values).
fn projection(m: &Manifest) -> Vec<String> {
    let s = |v: &Option<Value>| v.as_ref().map(|v| v.to_string());
    let mut out = vec![
        format!("package {:?}", m.package),
        format!("version {:?} {:?}", m.version_code, m.version_name),
        format!("sdk {:?} {:?} {:?}", m.min_sdk, m.target_sdk, m.max_sdk),
        format!("perms {:?}", m.permission_names()),
        format!(
            "declared {:?}",
            m.permissions
                .iter()
                .map(|p| (&p.name, p.protection_level_flags()))
                .collect::<Vec<_>>()
        ),
    ];
    if let Some(a) = &m.application {
        out.push(format!(
            "app {:?} {:?} {:?} {:?} {:?} {:?}",
            a.name,
            s(&a.label),
            a.debuggable,
            a.allow_backup,
            a.uses_cleartext_traffic,
            s(&a.network_security_config)
        ));
    }
    for c in m.components() {
        out.push(format!(
            "{:?} {:?} exported={} {:?} {:?} {:?} {:?} {:?}",
            c.kind,
            c.name,
            c.exported,
            c.enabled,
            c.permission,
            c.authorities,
            c.target_activity,
            c.intent_filters
        ));
    }
    out
}

#[test]
fn text_xml_path_agrees_with_binary_path() {
    // androguard's AXMLPrinter turns each binary manifest into text XML;
    // parsing that text must give the same typed manifest as decoding the
    // binary directly.
    let Some(corpus) = common::corpus() else {
        return;
    };
    let Some(py) = common::androguard_python() else {
        return;
    };
    let (_, decoded) = decode_all(&corpus, true);
    let paths: Vec<PathBuf> = decoded.keys().cloned().collect();
    let oracle = common::androguard(&py, &paths, "--xml");
    let mut failures = Vec::new();
    let mut compared = 0;
    for (apk, d) in &decoded {
        let rel = common::rel(&corpus, apk);
        let Some(xml) = oracle
            .get(&apk.display().to_string())
            .and_then(|o| o.get("xml"))
            .and_then(|x| x.as_str())
        else {
            eprintln!("note: androguard gave no text XML for {rel}");
            continue;
        };
        let doc = match leakscope_axml::parse_text_xml(xml) {
            Ok(doc) => doc,
            Err(e) => {
                failures.push(format!("{rel}: text XML: {e}"));
                continue;
            }
        };
        compared += 1;
        let (text_manifest, _) = Manifest::from_element(&doc.root);
        let (a, b) = (projection(&d.manifest), projection(&text_manifest));
        for (x, y) in a.iter().zip(&b) {
            if x != y && !expected_diff(&rel, "text") {
                failures.push(format!("{rel}:\n  binary {x}\n  text   {y}"));
            }
        }
        if a.len() != b.len() && !expected_diff(&rel, "text") {
            failures.push(format!(
                "{rel}: {} vs {} projected fields",
                a.len(),
                b.len()
            ));
        }
    }
    eprintln!("compared {compared} manifests through the text path");
    assert!(compared > 200);
    failures.truncate(30);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
