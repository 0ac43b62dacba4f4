//! The malformed/odd binary XML files of androguard's test suite
//! (`realworld/androguard/AXML/`): each must decode to the right package and
//! agree with androguard's AXMLPrinter and with `aapt dump xmltree` (on a
//! one-entry APK holding the file) wherever those tools succeed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use leakscope_axml::{AxmlWarning, Manifest, StringPoolAnomaly, decode};

/// (file, expected package). The expectations were read off androguard and
/// aapt; the files neither tool reads are explained inline.
const FILES: &[(&str, Option<&str>)] = &[
    ("AndroidManifest-Chinese.xml", Some("com.hotel")),
    ("AndroidManifest-xmlns.xml", Some("com.real.RealPlayer")),
    ("AndroidManifest.xml", Some("org.t0t0.androguard.TC")),
    (
        "AndroidManifestDoubleNamespace.xml",
        Some("com.tencent.weread"),
    ),
    (
        "AndroidManifestExtraNamespace.xml",
        Some("com.shopgate.android.app13182"),
    ),
    ("AndroidManifestLiapp.xml", Some("kc.dotoritv.android.air")),
    (
        "AndroidManifestMaskingNamespace.xml",
        Some("com.primedia.apartmentguide"),
    ),
    ("AndroidManifestNonZeroStyle.xml", Some("co.download.video")),
    (
        "AndroidManifestNullbytes.xml",
        Some("com.ditc.automobilityxxxxxxxxxxxx"),
    ),
    (
        "AndroidManifestTextChunksXML.xml",
        Some("com.tslstudio.tsladsudoku"),
    ),
    (
        "AndroidManifestUTF8Strings.xml",
        Some("com.easylocker.bbottles.zt"),
    ),
    (
        "AndroidManifestWithComment.xml",
        Some("com.zxfxxx660.sucruri"),
    ),
    // File size field 0x42424242: androguard and aapt both refuse the file.
    // Its bytes equal AndroidManifest_StringNotTerminated.xml except for
    // that field, whose package aapt reads as com.swampy.sexpos.
    (
        "AndroidManifestWrongFilesize.xml",
        Some("com.swampy.sexpos"),
    ),
    (
        "AndroidManifest_InvalidCharsInAttribute.xml",
        Some("com.chaozhuo.gameassistant"),
    ),
    (
        "AndroidManifest_NamespaceInAttributeName.xml",
        Some("jyiaivi.ohduxbbylb"),
    ),
    (
        "AndroidManifest_NamespaceInAttributeName2.xml",
        Some("com.car2go"),
    ),
    // androguard raises "UTF-16 String is not null terminated"; aapt (like
    // Android) reads it.
    (
        "AndroidManifest_StringNotTerminated.xml",
        Some("com.swampy.sexpos"),
    ),
    (
        "AndroidManifest_WrongChunkStart.xml",
        Some("com.zxfxxx160.sucruri55633254"),
    ),
    // Layout files, not manifests.
    ("test.xml", None),
    ("test1.xml", None),
    ("test2.xml", None),
    ("test3.xml", None),
];

/// Fields where androguard's AXMLPrinter differs for a known reason:
/// (file, field, reason).
const EXPECTED_DIFFS: &[(&str, &str, &str)] = &[
    (
        "AndroidManifestNullbytes.xml",
        "version_name",
        "the string is \"0.0\\0\\0\" (length 5 in the pool); Android keeps the NULs, androguard drops \
         them because lxml cannot hold them (we also warn NulInString)",
    ),
    (
        "AndroidManifest_InvalidCharsInAttribute.xml",
        "version_name",
        "androguard replaces characters that are invalid in XML 1.0 with '_' so lxml accepts them; \
     we keep the string as Android does",
    ),
];

fn axml_dir(corpus: &Path) -> PathBuf {
    corpus.join("realworld/androguard/AXML")
}

/// Package from `aapt dump xmltree` on a one-entry APK made with zipfile.
fn aapt_package(xml: &Path, tmp: &Path) -> Option<String> {
    let apk = tmp.join(format!("{}.apk", xml.file_name()?.to_string_lossy()));
    let script = "import sys,zipfile\nz=zipfile.ZipFile(sys.argv[2],'w')\nz.write(sys.argv[1],'AndroidManifest.xml')\nz.close()";
    let ok = Command::new("python3")
        .args(["-c", script])
        .arg(xml)
        .arg(&apk)
        .status()
        .ok()?
        .success();
    if !ok {
        return None;
    }
    let out = common::aapt(&["xmltree"], &apk, &["AndroidManifest.xml"])?;
    let line = out
        .lines()
        .find(|l| l.trim_start().starts_with("A: package=\""))?;
    let start = line.find("A: package=\"")? + "A: package=\"".len();
    Some(line[start..].split('"').next()?.to_string())
}

#[test]
fn odd_files_decode_to_the_right_package() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let dir = axml_dir(&corpus);
    let tmp = std::env::temp_dir().join(format!("leakscope-axml-odd-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let aapt = common::have_aapt();
    let py = common::androguard_python();
    let paths: Vec<PathBuf> = FILES.iter().map(|(f, _)| dir.join(f)).collect();
    let ag = py
        .as_deref()
        .map(|py| common::androguard(py, &paths, "--axml"))
        .unwrap_or_default();
    let mut failures = Vec::new();
    for ((file, expected), path) in FILES.iter().zip(&paths) {
        let data = std::fs::read(path).unwrap();
        let doc = match decode(&data) {
            Ok(d) => d,
            Err(e) => {
                failures.push(format!("{file}: {e}"));
                continue;
            }
        };
        let (m, _) = Manifest::from_element(&doc.root);
        if m.package.as_deref() != *expected {
            failures.push(format!(
                "{file}: package {:?}, expected {expected:?}",
                m.package
            ));
        }
        if aapt
            && let Some(p) = aapt_package(path, &tmp)
            && Some(p.as_str()) != m.package.as_deref()
        {
            failures.push(format!("{file}: package {:?}, aapt {p:?}", m.package));
        }
        let Some(o) = ag.get(&path.display().to_string()) else {
            continue;
        };
        if o.get("error").is_some() || o.get("root").and_then(|r| r.as_str()) != Some("manifest") {
            continue;
        }
        let s = |k: &str| o.get(k).and_then(|v| v.as_str()).map(str::to_string);
        let mut perms: Vec<String> = o["permissions"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect();
        perms.sort();
        let activities: Vec<String> = o["activities"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|v| {
                v.as_str()
                    .map(|n| Manifest::qualify(m.package.as_deref(), n))
            })
            .collect();
        let ours_activities: Vec<String> =
            m.activities.iter().filter_map(|a| a.name.clone()).collect();
        let fields: [(&str, Option<String>, Option<String>); 7] = [
            ("package", m.package.clone(), s("package")),
            (
                "version_code",
                m.version_code.map(|v| v.to_string()),
                s("version_code"),
            ),
            ("version_name", m.version_name.clone(), s("version_name")),
            ("min_sdk", m.min_sdk.map(|v| v.to_string()), s("min_sdk")),
            (
                "target_sdk",
                m.target_sdk.map(|v| v.to_string()),
                s("target_sdk"),
            ),
            (
                "permissions",
                Some(m.permission_names().join(",")),
                Some(perms.join(",")),
            ),
            (
                "activities",
                Some(ours_activities.join(",")),
                Some(activities.join(",")),
            ),
        ];
        for (what, ours, theirs) in fields {
            let expected_diff = EXPECTED_DIFFS
                .iter()
                .any(|(f, w, _)| f == file && *w == what);
            if ours != theirs && !expected_diff {
                failures.push(format!(
                    "{file}: {what}: ours {ours:?} androguard {theirs:?}"
                ));
            }
        }
    }
    let _ = std::fs::remove_dir_all(&tmp);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn odd_files_raise_the_specific_warnings() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let dir = axml_dir(&corpus);
    let warnings = |f: &str| {
        decode(&std::fs::read(dir.join(f)).unwrap())
            .unwrap()
            .warnings
    };
    assert!(
        warnings("AndroidManifestWrongFilesize.xml").contains(&AxmlWarning::WrongFileSize {
            declared: 0x4242_4242,
            actual: 9256
        })
    );
    assert!(
        warnings("AndroidManifest_WrongChunkStart.xml").contains(&AxmlWarning::WrongFileType(0))
    );
    assert!(
        warnings("AndroidManifestNonZeroStyle.xml").contains(&AxmlWarning::StringPool(
            StringPoolAnomaly::StylesStartWithoutStyles(0x6ae)
        ))
    );
    assert!(
        warnings("AndroidManifestLiapp.xml")
            .iter()
            .any(|w| matches!(
                w,
                AxmlWarning::AttributeNameMismatch {
                    resolved: "name",
                    ..
                }
            ))
    );
    assert!(
        warnings("AndroidManifestNullbytes.xml")
            .iter()
            .any(|w| matches!(w, AxmlWarning::NulInString(_)))
    );
    // A clean file decodes without any warning.
    assert!(warnings("AndroidManifest.xml").is_empty());
}
