//! Every kind of input: multidex with code for dynamic loading, split
//! bundles (.apks, .xapk), an unpacked directory with a text manifest, a
//! bare DEX; all built from the project's own fixtures.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use serde_json::Value;

fn files(path: &str) -> Value {
    let p = repo_root().join(path);
    let o = leakscope(&[
        "inspect".as_ref(),
        "files".as_ref(),
        p.as_os_str(),
        "--json".as_ref(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

fn strings(v: &Value, key: &str) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x[key].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn multidex_and_dynamically_loaded_code() {
    let f = files("fixtures/dex/multidex.apk");
    assert_eq!(f["kind"], "apk");
    assert_eq!(
        strings(&f["code"], "origin"),
        ["classes.dex", "classes2.dex"]
    );
    let dynamic: Vec<(String, String, usize)> = f["dynamic_code"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["container"].as_str().unwrap().to_string(),
                c["kind"].as_str().unwrap().to_string(),
                c["dex"].as_array().unwrap().len(),
            )
        })
        .collect();
    assert_eq!(
        dynamic,
        [
            ("assets/payload.dex".to_string(), "dex".to_string(), 1),
            ("res/raw/plugin.jar".to_string(), "jar".to_string(), 1)
        ]
    );
}

#[test]
fn split_bundles_read_every_split() {
    for bundle in ["fixtures/apk/bundle.apks", "fixtures/apk/bundle.xapk"] {
        let f = files(bundle);
        assert_eq!(f["kind"], "bundle", "{bundle}");
        assert_eq!(f["package"], "org.leakscope.fixtures.split", "{bundle}");
        let splits = strings(&f["splits"], "name");
        assert_eq!(splits.len(), 3, "{bundle}: {splits:?}");
        // The base APK comes first; the feature split's code is the app's too.
        let code = strings(&f["code"], "origin");
        assert_eq!(code.len(), 2, "{bundle}: {code:?}");
        assert!(code[1].contains("tracker"), "{bundle}: {code:?}");
    }
}

#[test]
fn unpacked_directory_with_a_text_manifest() {
    let dir = repo_root().join("fixtures/apk/unpacked");
    let o = leakscope(&[
        "inspect".as_ref(),
        "manifest".as_ref(),
        dir.as_os_str(),
        "--json".as_ref(),
    ]);
    assert!(o.status.success());
    let m: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(m["kind"], "directory");
    assert_eq!(m["package"], "org.leakscope.demo.flashlight");
    assert_eq!(
        m["label"], "Super Flashlight",
        "resolved through res/values/strings.xml"
    );
    // Same manifest as the APK it was unpacked from.
    let apk = repo_root().join("demo/flashlight.apk");
    let o = leakscope(&[
        "inspect".as_ref(),
        "manifest".as_ref(),
        apk.as_os_str(),
        "--json".as_ref(),
    ]);
    let a: Value = serde_json::from_slice(&o.stdout).unwrap();
    for k in [
        "permissions",
        "activities",
        "services",
        "receivers",
        "providers",
        "version_code",
        "min_sdk",
    ] {
        assert_eq!(m[k], a[k], "{k}");
    }
    assert_eq!(
        strings(&files("fixtures/apk/unpacked")["code"], "origin"),
        ["classes.dex"]
    );
}

#[test]
fn bare_dex_lists_its_methods() {
    let dex = repo_root().join("fixtures/dex/minimal.dex");
    let o = leakscope(&[
        "inspect".as_ref(),
        "dex".as_ref(),
        dex.as_os_str(),
        "--methods".as_ref(),
    ]);
    assert!(o.status.success());
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.lines().count() > 3);
    assert!(
        text.lines()
            .all(|l| l.starts_with('L') && l.contains(" registers=") && l.contains(" insns="))
    );
}
