//! DroidBench: every data category whose sources a test app uses (the
//! `sources_seen_heuristic` hints of `ground_truth.json`) is reported as
//! accessed, with a call site.
//!
//! Each hint is mapped to catalog entries by looking representative APIs up
//! in the catalog itself (`kb.apis`), so the expected category is the
//! catalog's, not a copy of it. Hints the catalog is not meant to cover, and
//! apps that hide the call from a static scan, are listed below as explicit
//! expected misses, each with its reason.

#![allow(clippy::expect_used, clippy::unwrap_used)]

mod common;

use std::collections::BTreeSet;

use leakscope_analysis::apis;
use leakscope_analysis::attribution::Attributor;
use leakscope_kb::{Category, Kb};

/// Hints that are not personal-data sources in the catalog's sense.
const NOT_CATALOG_HINTS: &[(&str, &str)] = &[
    (
        "intent_data(ICC source)",
        "data received in an Intent from another component is ICC, not a data category",
    ),
    (
        "password_field/user_input",
        "text typed into the app's own UI (EditText) is not a framework data source",
    ),
];

/// (app, hint): the app hides the source from a linear scan of its DEX.
const EXPECTED_MISSES: &[(&str, &str, &str)] = &[(
    "Native/JavaIDFunction.apk",
    "device_id(IMEI)",
    "getDeviceId is called from C++ through JNI (jni/AndroidJNI/ndkmod.cpp: \
         GetMethodID(clsTm, \"getDeviceId\") + CallObjectMethod); the DEX never references it",
)];

/// The categories a hint stands for, from the catalog.
fn hint_categories(kb: &Kb, hint: &str) -> Option<BTreeSet<Category>> {
    let tm = "Landroid/telephony/TelephonyManager;";
    let s = "()Ljava/lang/String;";
    let cats: Vec<Option<Category>> = match hint {
        "device_id(IMEI)" => vec![
            kb.apis
                .methods(tm, "getDeviceId", s)
                .next()
                .and_then(|e| e.category),
        ],
        "sim_serial" => vec![
            kb.apis
                .methods(tm, "getSimSerialNumber", s)
                .next()
                .and_then(|e| e.category),
        ],
        "subscriber_id(IMSI)" => vec![
            kb.apis
                .methods(tm, "getSubscriberId", s)
                .next()
                .and_then(|e| e.category),
        ],
        "location" => vec![
            kb.apis
                .methods(
                    "Landroid/location/LocationManager;",
                    "getLastKnownLocation",
                    "(Ljava/lang/String;)Landroid/location/Location;",
                )
                .next()
                .and_then(|e| e.category),
            kb.apis
                .methods("Landroid/location/Location;", "getLatitude", "()D")
                .next()
                .and_then(|e| e.category),
        ],
        "contacts/call_log" => vec![
            kb.apis
                .content_uri("content://contacts")
                .and_then(|e| e.category),
            kb.apis
                .content_uri("content://com.android.contacts/contacts")
                .and_then(|e| e.category),
            kb.apis
                .content_uri("content://call_log/calls")
                .and_then(|e| e.category),
        ],
        _ => return None,
    };
    let set: BTreeSet<Category> = cats.into_iter().flatten().collect();
    assert!(
        !set.is_empty(),
        "the catalog covers none of the APIs of hint `{hint}`"
    );
    Some(set)
}

#[test]
fn droidbench_sources_are_reported_as_accessed() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let dir = corpus.join("droidbench");
    let Ok(text) = std::fs::read_to_string(dir.join("ground_truth.json")) else {
        eprintln!("SKIP: droidbench/ground_truth.json not found");
        return;
    };
    let truth: serde_json::Value = serde_json::from_str(&text).expect("ground truth JSON");
    let kb = Kb::embedded().expect("embedded kb");
    let mut failures = Vec::new();
    let (mut checked, mut missed_as_expected) = (0, 0);
    let apps = truth.as_object().expect("object");
    for (app_path, entry) in apps {
        if app_path.starts_with('_') {
            continue;
        }
        let hints: Vec<&str> = entry["sources_seen_heuristic"]
            .as_array()
            .map(|a| a.iter().filter_map(|h| h.as_str()).collect())
            .unwrap_or_default();
        if hints.is_empty() {
            continue;
        }
        let path = dir.join(app_path);
        let app = match leakscope_app::load(&path, &leakscope_app::Options::default()) {
            Ok(a) => a,
            Err(e) => {
                failures.push(format!("{app_path}: does not load: {e}"));
                continue;
            }
        };
        let attr = Attributor::new(&app, kb).expect("attributor");
        let scan = apis::scan(&app, kb, &attr);
        for hint in hints {
            if NOT_CATALOG_HINTS.iter().any(|(h, _)| *h == hint) {
                continue;
            }
            let Some(cats) = hint_categories(kb, hint) else {
                failures.push(format!(
                    "{app_path}: unknown hint `{hint}`: map it or list it"
                ));
                continue;
            };
            let found = scan.evidence.iter().any(|e| cats.contains(&e.category));
            let expected_miss = EXPECTED_MISSES
                .iter()
                .any(|(a, h, _)| *a == app_path && *h == hint);
            match (found, expected_miss) {
                (true, false) => checked += 1,
                (false, true) => missed_as_expected += 1,
                (false, false) => {
                    failures.push(format!("{app_path}: `{hint}` ({cats:?}) not reported"))
                }
                (true, true) => failures.push(format!(
                    "{app_path}: `{hint}` is now found: remove it from EXPECTED_MISSES"
                )),
            }
        }
    }
    eprintln!("{checked} (app, hint) pairs found, {missed_as_expected} expected misses");
    assert!(checked > 100);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
