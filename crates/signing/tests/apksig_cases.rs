//! apksig's and fdroidserver's purpose-built signing test APKs: the schemes
//! each one is built to exercise, and the v3 lineage against
//! `apksigner lineage --print-certs`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::Command;

use leakscope_signing::{Scheme, Signatures, SigningWarning, collect_signers};

const RSA: &str = "fb5dbd3c669af9fc236c6991e6387b7f11ff0590997f22d0f5c74ff40e04fca8";
const RSA2: &str = "681b0e56a796350c08647352a4db800cc44b2adc8f4c72fa350bd05d4d50264d";
/// Expected (certificate SHA-256, schemes) per signer.
type Expected = &'static [(&'static str, &'static [Scheme])];

const EC: &str = "6a8b96e278e58f62cfe3584022cec1d0527fcb85a9e5d2e1694eb0405be5b599";

fn load(root: &Path, rel: &str) -> Option<Signatures> {
    let p = root.join(rel);
    let Ok(data) = std::fs::read(&p) else {
        eprintln!("SKIP {rel}: not in corpus");
        return None;
    };
    let files = common::meta_inf_files(&p);
    let borrowed: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, d)| (n.as_str(), d.as_slice()))
        .collect();
    Some(collect_signers(&data, common::cd_offset(&data), &borrowed))
}

fn summary(s: &Signatures) -> Vec<(&str, Vec<Scheme>)> {
    s.signers
        .iter()
        .map(|s| (s.sha256.as_str(), s.schemes.clone()))
        .collect()
}

#[test]
fn apksig_golden_files() {
    let Some(root) = common::corpus() else {
        eprintln!("SKIP: corpus not found");
        return;
    };
    use Scheme::*;
    let dir = "realworld/androguard/APK/apksig/";
    let cases: &[(&str, Expected)] = &[
        ("golden-aligned-v1v2v3-out.apk", &[(RSA, &[V1, V2, V3])]),
        ("golden-aligned-v2-out.apk", &[(RSA, &[V2])]),
        ("golden-aligned-v3-lineage-out.apk", &[(RSA2, &[V3])]),
        ("original.apk", &[(RSA, &[V1, V2])]),
        ("two-signers.apk", &[(RSA, &[V1, V2]), (EC, &[V1, V2])]),
        ("v1-only-two-signers.apk", &[(RSA, &[V1]), (EC, &[V1])]),
        ("v2-only-two-signers.apk", &[(RSA, &[V2]), (EC, &[V2])]),
        ("v1-only-max-sized-eocd-comment.apk", &[(RSA, &[V1])]),
        ("mismatched-compression-method.apk", &[(RSA, &[V1])]),
        ("empty-unsigned.apk", &[]),
    ];
    for (name, want) in cases {
        let Some(s) = load(&root, &format!("{dir}{name}")) else {
            continue;
        };
        let got = summary(&s);
        let want: Vec<(&str, Vec<Scheme>)> = want.iter().map(|(h, sc)| (*h, sc.to_vec())).collect();
        assert_eq!(got, want, "{name}");
        assert!(s.warnings.is_empty(), "{name}: {:?}", s.warnings);
    }
    if let Some(s) = load(&root, &format!("{dir}golden-aligned-v1v2v3-out.apk")) {
        let r = &s.signers[0].sdk_ranges;
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].scheme, Scheme::V3);
        assert_eq!(r[0].max_sdk, i32::MAX as u32, "open-ended range");
        let kinds: Vec<_> = s.blocks.iter().map(|b| b.name).collect();
        assert!(
            kinds.contains(&"APK Signature Scheme v2")
                && kinds.contains(&"APK Signature Scheme v3"),
            "{kinds:?}"
        );
    }
}

/// Parses `apksigner lineage --print-certs` into (sha256, flags).
fn apksigner_lineage(apk: &Path) -> Option<Vec<(String, u32)>> {
    let o = Command::new("apksigner")
        .args(["lineage", "--print-certs", "--in"])
        .arg(apk)
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&o.stdout).into_owned();
    let mut out: Vec<(String, u32)> = vec![];
    for line in text.lines() {
        if let Some((_, sha)) = line.split_once("in lineage certificate SHA-256 digest: ") {
            out.push((sha.trim().to_owned(), 0));
        }
        let bit = [
            ("Has installed data capability", 1),
            ("Has shared UID capability", 2),
            ("Has permission capability", 4),
            ("Has rollback capability", 8),
            ("Has auth capability", 16),
        ]
        .iter()
        .find(|(p, _)| line.starts_with(p) && line.trim_end().ends_with("true"))
        .map(|(_, b)| *b);
        if let (Some(b), Some(last)) = (bit, out.last_mut()) {
            last.1 |= b;
        }
    }
    (!out.is_empty()).then_some(out)
}

#[test]
fn v3_lineage_matches_apksigner() {
    let Some(root) = common::corpus() else {
        eprintln!("SKIP: corpus not found");
        return;
    };
    if !common::have("apksigner", "version") {
        eprintln!("SKIP: apksigner not installed");
        return;
    }
    let rel = "realworld/androguard/APK/apksig/golden-aligned-v3-lineage-out.apk";
    let Some(s) = load(&root, rel) else { return };
    let Some(oracle) = apksigner_lineage(&root.join(rel)) else {
        eprintln!("SKIP: apksigner lineage printed nothing");
        return;
    };
    let ours: Vec<(String, u32)> = s.signers[0]
        .lineage
        .iter()
        .map(|l| (l.certificate.sha256.clone(), l.flags))
        .collect();
    assert_eq!(ours, oracle);
    assert_eq!(oracle.len(), 2);
    assert_eq!(s.signers[0].lineage[0].certificate.subject, "CN=rsa-2048");
    assert_eq!(s.signers[0].lineage[1].certificate.sha256, RSA2);
}

#[test]
fn fdroid_signing_fixtures() {
    let Some(root) = common::corpus() else {
        eprintln!("SKIP: corpus not found");
        return;
    };
    let mut seen = 0;
    for apk in common::corpus_apks(&root.join("realworld/fdroidserver")) {
        let name = apk
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let Ok(data) = std::fs::read(&apk) else {
            continue;
        };
        let files = common::meta_inf_files(&apk);
        let borrowed: Vec<(&str, &[u8])> = files
            .iter()
            .map(|(n, d)| (n.as_str(), d.as_slice()))
            .collect();
        let s = collect_signers(&data, common::cd_offset(&data), &borrowed);
        let schemes = |sc: Scheme| s.has_scheme(sc);
        match name.as_str() {
            "v1.v2.sig_1020.apk" => {
                assert!(
                    schemes(Scheme::V1) && schemes(Scheme::V2),
                    "{name}: {:?}",
                    summary(&s)
                );
                seen += 1;
            }
            "v2.only.sig_2.apk" => {
                assert!(
                    !schemes(Scheme::V1) && schemes(Scheme::V2),
                    "{name}: {:?}",
                    summary(&s)
                );
                seen += 1;
            }
            _ => {}
        }
        for w in &s.warnings {
            eprintln!("{name}: {w}");
            if let SigningWarning::V1V2SignersDiffer { .. } = w {
                eprintln!("  (v1 and v2 signed by different keys)");
            }
        }
    }
    eprintln!("{seen} named fdroid fixtures checked");
}
