//! Behaviour of the class-list emulation and the matcher on small inputs,
//! and robustness on damaged DEX files.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

use leakscope_dex::DexFile;
use leakscope_kb::{Signature, Tracker};
use leakscope_trackers::class_list::{exodus_recurses_into, exodus_selects_entry, scan_printed};
use leakscope_trackers::{TrackerMatcher, exodus_class_list, origin_selected};

/// The repository's DEX fixture (not corpus data).
const FIXTURE: &[u8] = include_bytes!("../../dex/tests/data/fixture.dex");

fn scan(s: &str) -> Vec<String> {
    let mut out = BTreeSet::new();
    scan_printed(s.as_bytes(), &mut out);
    out.into_iter().collect()
}

#[test]
fn scan_follows_python_findall() {
    assert_eq!(scan("Lcom/google/ads/AdView;"), ["com/google/ads/AdView"]);
    // Greedy `[A-Z]+` eats leading capitals of the first segment.
    assert_eq!(scan("LFoo/Bar;"), ["oo/Bar"]);
    // ... but gives one back when a slash follows the capitals.
    assert_eq!(scan("ABC/d"), ["C/d"]);
    assert_eq!(scan("A/b"), Vec::<String>::new());
    assert_eq!(scan("ÄBc/d"), ["c/d"]);
    // Every match of a prototype, not only the first.
    assert_eq!(
        scan("(Landroid/content/Context;ILjava/lang/String;)V"),
        ["android/content/Context", "java/lang/String"]
    );
    // A trailing slash is not part of the match; several matches per run.
    assert_eq!(scan("Ab/c//Xy/z"), ["b/c", "y/z"]);
    // No uppercase, or no slash: nothing.
    assert!(scan("com/google/ads").is_empty());
    assert!(scan("Lcom.google.ads.AdView").is_empty());
    // Python's \w is Unicode letters, numbers and `_`.
    assert_eq!(scan("Lcom/ü_1/Ä;"), ["com/ü_1/Ä"]);
    // Invalid UTF-8 is dropped (Python `errors='ignore'`), joining runs.
    let mut out = BTreeSet::new();
    scan_printed(b"Lcom/a\xffb/C;", &mut out);
    assert_eq!(out.into_iter().collect::<Vec<_>>(), ["com/ab/C"]);
}

#[test]
fn entry_selection_is_exodus_core_s() {
    assert!(exodus_selects_entry("classes.dex"));
    assert!(exodus_selects_entry("classes12.dex"));
    assert!(exodus_selects_entry("assets/secondary-classes.dex.jar"));
    assert!(!exodus_selects_entry("assets/payload.dex"));
    assert!(!exodus_selects_entry("classes.apk.dex"));
    assert!(exodus_recurses_into("assets/inner.apk"));
    assert!(origin_selected("classes2.dex"));
    assert!(origin_selected("split_feature.apk!classes.dex"));
    assert!(!origin_selected("assets/plugin.jar!classes.dex"));
    assert!(!origin_selected(""));
}

#[test]
fn fixture_class_list_equals_dexdump_extraction() {
    // Expected: `dexdump fixture.dex` through exodus-core's regex, run once
    // when this test was written (the corpus test runs it live).
    let dex = DexFile::parse(FIXTURE).unwrap();
    let list = exodus_class_list(&dex);
    assert!(list.errors.is_empty(), "{:?}", list.errors);
    let expected = [
        "java/io/Serializable",
        "java/lang/ArithmeticException",
        "java/lang/Class",
        "java/lang/Integer",
        "java/lang/Object",
        "java/lang/Runnable",
        "java/lang/RuntimeException",
        "java/lang/String",
        "java/lang/invoke/CallSite",
        "java/lang/invoke/MethodHandles",
        "java/lang/invoke/MethodType",
        "leak/Fixture",
    ];
    assert_eq!(
        list.names.iter().map(String::as_str).collect::<Vec<_>>(),
        expected
    );
}

fn tracker(id: u32, name: &str, code: &str, net: &str) -> Tracker {
    let sig = |p: &str| {
        (!p.is_empty()).then(|| Signature {
            pattern: p.to_owned(),
        })
    };
    Tracker {
        id,
        name: name.to_owned(),
        website: format!("https://{name}.example"),
        categories: vec!["Analytics".to_owned()],
        code_signature: sig(code),
        network_signature: sig(net),
    }
}

#[test]
fn matcher_detects_like_exodus_core() {
    let trackers = [
        tracker(1, "ads", "com.google.ads.", r"ads\.example\.com"),
        tracker(2, "short", "abc", ""),
        tracker(3, "fix", "leak.Fix", ""),
    ];
    let m = TrackerMatcher::new(trackers.iter()).unwrap();
    let found = m.detect_in_list(["com/google/ads/AdView", "com/google/ads/B", "abc/def"]);
    assert_eq!(found.len(), 1, "signatures of <= 3 chars are ignored");
    assert_eq!(found[0].id, "1");
    assert_eq!(found[0].code_match_count, 2);
    assert_eq!(
        found[0].code_matches,
        ["com/google/ads/AdView", "com/google/ads/B"]
    );
    assert_eq!(found[0].detected_by, ["code"]);

    assert_eq!(
        m.tracker_of_class("Lcom/google/ads/AdView;").map(|t| t.id),
        Some(1)
    );
    assert_eq!(m.tracker_of_class("Lleak/Fixture;").map(|t| t.id), Some(3));
    assert!(m.tracker_of_class("Lorg/example/Main;").is_none());

    let hosts = m.match_hosts([
        ("ads.example.com", "res/values/strings.xml"),
        ("other.org", "x"),
    ]);
    assert_eq!(hosts.len(), 1);
    assert_eq!(
        (hosts[0].tracker_id, hosts[0].evidence),
        (1, "res/values/strings.xml")
    );
    let mut findings = m.detect_in_list(["leak/Fixture"]);
    m.merge_network(&mut findings, &hosts);
    let ids: Vec<_> = findings
        .iter()
        .map(|f| (f.id.as_str(), f.detected_by.clone()))
        .collect();
    assert_eq!(
        ids,
        [
            ("1", vec!["network".to_owned()]),
            ("3", vec!["code".to_owned()])
        ]
    );
    assert_eq!(findings[0].network_matches, ["ads.example.com"]);
}

#[test]
fn bad_signature_is_an_error_naming_the_tracker() {
    let e = TrackerMatcher::new([tracker(7, "broken", "com.(x", "")].iter()).unwrap_err();
    assert!(e.to_string().contains("tracker 7"), "{e}");
}

/// Damaged copies of the fixture: truncated at every length and with each
/// byte flipped. Nothing may panic; names read before the damage remain.
#[test]
fn damaged_dex_never_panics() {
    for len in 0..FIXTURE.len() {
        if let Ok(dex) = DexFile::parse(&FIXTURE[..len]) {
            let _ = exodus_class_list(&dex);
        }
    }
    let mut bytes = FIXTURE.to_vec();
    for i in 0x70..bytes.len() {
        for x in [0xff, 0x80, 0x01] {
            let old = bytes[i];
            bytes[i] ^= x;
            if let Ok(dex) = DexFile::parse(&bytes) {
                let _ = exodus_class_list(&dex);
            }
            bytes[i] = old;
        }
    }
}
