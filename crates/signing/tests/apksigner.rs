//! Every corpus APK against `apksigner verify --print-certs` (and `openssl`
//! when apksigner refuses the APK).
//!
//! apksigner reports what *verifies*; this crate reports what is *present*.
//! The comparison is therefore one-sided where it must be:
//! - each certificate apksigner prints must be one of our signers, with the
//!   same SHA-256, subject (compared as a set of attributes, since Java
//!   prints RDNs in reverse order with its own quoting), key algorithm and
//!   key size;
//! - each scheme apksigner says verified must be present in our result,
//!   and apksigner's signers (those of the newest verified scheme) must be
//!   listed under that scheme;
//! - a scheme we find but apksigner does not verify is printed, not failed:
//!   apksigner says `false` both for "absent" and for "not needed for the SDK
//!   range" (`--min-sdk-version 24` skips v1, v3 is ignored below 28) or
//!   "broken".
//!
//! apksigner is tried with `--min-sdk-version` 1, then 24, 28 and 33, so
//! v2-only and v3-only APKs verify too. When none verifies, the
//! certificates of each `META-INF/*.RSA|DSA|EC` are listed with
//! `openssl pkcs7 -print_certs` and our v1 signers must be among them.
//! Those refused APKs are also checked with `keytool -printcert -jarfile`
//! (which names each v1 signer's own certificate, so it checks the choice
//! inside certificate chains) and with androguard 4.1.4 for v2/v3/v3.1.
//! For every certificate openssl also sees, subject, issuer, serial and
//! validity are compared field by field.
//! Oracle outputs are cached under the cargo target dir, keyed by the APK's
//! SHA-256, so only the first run pays the JVM start-ups.
//!
//! Expected differences (printed as notes, not failures), as found on the
//! corpus of 272 APKs + 5 registry APKs:
//! - apksigner prints only the signers of the newest verified scheme; we
//!   list every scheme's signers (e.g. fdroidserver `issue-1128-poc*`, where
//!   v1 and v2 are signed by different keys: apksigner shows the v2/v3 key,
//!   we show both and warn `V1V2SignersDiffer`).
//! - `v1 present, not verified` whenever apksigner only verified with
//!   `--min-sdk-version 24` or more (it skips v1 then).
//! - apksigner refuses APKs without `AndroidManifest.xml` (`CertChain.apk`,
//!   `multidex.apk`, `empty-unsigned.apk`), with broken v2 digests (apktool
//!   `arbitrary_write`, `issue2836`), bad v1 signatures or certificates
//!   (`urzip-badsig`, `urzip-badcert`), stripped v2 signatures (apktool
//!   `issue1456/1498/1605`, `CertChain.apk`'s `MSFTSIG.SF`, which we report
//!   as `StrippedScheme`), and unsigned APKs. We still report what is present.
//! - Duplicate block IDs (`issue-1128-poc2`, `issue-1128-min-sdk-30-poc`):
//!   we use the first, like apksig, and warn.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use leakscope_signing::{Scheme, Signatures, SigningWarning, collect_signers};

/// APKs where a difference from the oracle is expected, with the reason.
const EXPECTED: &[(&str, &str)] = &[];

#[derive(Debug, Default)]
struct OracleSigner {
    dn: String,
    issuer: String,
    serial: String,
    not_before: String,
    not_after: String,
    sha256: String,
    key_algorithm: String,
    key_size: Option<u32>,
}

#[derive(Debug, Default)]
struct Oracle {
    /// `apksigner`, `openssl` or `none`.
    source: String,
    min_sdk: String,
    verified: Vec<Scheme>,
    signers: Vec<OracleSigner>,
    /// Last apksigner output when nothing verified.
    error: String,
}

fn cache_dir() -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join("apksigner-oracle-v1");
    let _ = std::fs::create_dir_all(&d);
    d
}

fn apksigner(apk: &Path, key: &str) -> Vec<(String, String)> {
    let mut outs = vec![];
    for min in ["1", "24", "28", "33"] {
        let cache = cache_dir().join(format!("{key}.{min}.txt"));
        let text = match std::fs::read_to_string(&cache) {
            Ok(t) => t,
            Err(_) => {
                let o = Command::new("apksigner")
                    .args(["verify", "--print-certs", "-v", "--min-sdk-version", min])
                    .arg(apk)
                    .output();
                let t = match o {
                    Ok(o) => format!(
                        "{}{}",
                        String::from_utf8_lossy(&o.stdout),
                        String::from_utf8_lossy(&o.stderr)
                    ),
                    Err(e) => format!("spawn failed: {e}"),
                };
                let _ = std::fs::write(&cache, &t);
                t
            }
        };
        let ok = text.lines().next() == Some("Verifies");
        outs.push((min.to_owned(), text));
        if ok {
            break;
        }
    }
    outs
}

fn parse_apksigner(min: &str, text: &str) -> Oracle {
    let mut o = Oracle {
        source: "apksigner".into(),
        min_sdk: min.into(),
        ..Default::default()
    };
    for line in text.lines() {
        for (tag, s) in [
            ("v1 scheme", Scheme::V1),
            ("v2 scheme", Scheme::V2),
            ("v3 scheme", Scheme::V3),
            ("v3.1 scheme", Scheme::V31),
        ] {
            if line.starts_with("Verified using ") && line.contains(tag) && line.ends_with(": true")
            {
                o.verified.push(s);
            }
        }
        let Some(rest) = line.strip_prefix("Signer #") else {
            continue;
        };
        let Some((num, field)) = rest.split_once(' ') else {
            continue;
        };
        let Ok(n) = num.parse::<usize>() else {
            continue;
        };
        while o.signers.len() < n {
            o.signers.push(OracleSigner::default());
        }
        let s = &mut o.signers[n - 1];
        if let Some(v) = field.strip_prefix("certificate DN: ") {
            s.dn = v.to_owned();
        } else if let Some(v) = field.strip_prefix("certificate SHA-256 digest: ") {
            s.sha256 = v.to_owned();
        } else if let Some(v) = field.strip_prefix("key algorithm: ") {
            s.key_algorithm = v.to_owned();
        } else if let Some(v) = field.strip_prefix("key size (bits): ") {
            s.key_size = v.parse().ok();
        }
    }
    o
}

/// Certificates of each v1 signature block, via openssl.
fn openssl_v1(files: &[(String, Vec<u8>)]) -> Vec<OracleSigner> {
    let mut out = vec![];
    for (name, data) in files {
        if name.to_ascii_uppercase().ends_with(".SF") {
            continue;
        }
        let Some(pem) = pipe(
            "openssl",
            &["pkcs7", "-inform", "DER", "-print_certs"],
            data,
        ) else {
            continue;
        };
        let pem = String::from_utf8_lossy(&pem).into_owned();
        for block in pem.split("-----BEGIN CERTIFICATE-----").skip(1) {
            let Some((body, _)) = block.split_once("-----END CERTIFICATE-----") else {
                continue;
            };
            let cert = format!("-----BEGIN CERTIFICATE-----{body}-----END CERTIFICATE-----\n");
            let args = [
                "x509",
                "-noout",
                "-fingerprint",
                "-sha256",
                "-subject",
                "-issuer",
                "-serial",
                "-startdate",
                "-enddate",
                "-nameopt",
                "RFC2253",
            ];
            let Some(info) = pipe("openssl", &args, cert.as_bytes()) else {
                continue;
            };
            let info = String::from_utf8_lossy(&info).into_owned();
            let mut s = OracleSigner::default();
            for l in info.lines() {
                if let Some((_, fp)) = l.split_once("Fingerprint=") {
                    s.sha256 = fp.replace(':', "").to_ascii_lowercase();
                } else if let Some(v) = l.strip_prefix("subject=") {
                    s.dn = v.trim().to_owned();
                } else if let Some(v) = l.strip_prefix("issuer=") {
                    s.issuer = v.trim().to_owned();
                } else if let Some(v) = l.strip_prefix("serial=") {
                    s.serial = v.trim().to_ascii_lowercase();
                } else if let Some(v) = l.strip_prefix("notBefore=") {
                    s.not_before = openssl_date(v);
                } else if let Some(v) = l.strip_prefix("notAfter=") {
                    s.not_after = openssl_date(v);
                }
            }
            out.push(s);
        }
    }
    out
}

/// SHA-256 of each signer's own certificate per `keytool -printcert -jarfile`
/// (the first certificate listed under each `Signer #N:`).
fn keytool_v1(apk: &Path) -> Vec<String> {
    let Ok(o) = Command::new("keytool")
        .arg("-printcert")
        .arg("-jarfile")
        .arg(apk)
        .output()
    else {
        return vec![];
    };
    let text = String::from_utf8_lossy(&o.stdout).into_owned();
    let mut out = vec![];
    let mut want = false;
    for line in text.lines() {
        let l = line.trim();
        if l.starts_with("Signer #") {
            want = true;
        } else if want && let Some(fp) = l.strip_prefix("SHA256: ") {
            out.push(fp.replace(':', "").to_ascii_lowercase());
            want = false;
        }
    }
    out
}

fn pipe(cmd: &str, args: &[&str], input: &[u8]) -> Option<Vec<u8>> {
    let mut child = Command::new(cmd)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    child.stdin.take()?.write_all(input).ok()?;
    let o = child.wait_with_output().ok()?;
    o.status.success().then_some(o.stdout)
}

/// `Feb 29 01:33:46 2008 GMT` as `2008-02-29T01:33:46Z`.
fn openssl_date(v: &str) -> String {
    let f: Vec<&str> = v.split_whitespace().collect();
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    match f.as_slice() {
        [mon, day, time, year, "GMT"] => {
            let m = months.iter().position(|x| x == mon).map_or(0, |i| i + 1);
            let d: u32 = day.parse().unwrap_or(0);
            format!("{year}-{m:02}-{d:02}T{time}Z")
        }
        _ => v.to_owned(),
    }
}

/// A DN as a set of `KEY=value` strings, insensitive to RDN order, quoting and escaping.
fn dn_set(dn: &str) -> BTreeSet<String> {
    let mut parts = vec![];
    let (mut cur, mut quoted, mut escaped) = (String::new(), false, false);
    for ch in dn.chars() {
        if escaped {
            cur.push(ch);
            escaped = false;
        } else if ch == '\\' {
            escaped = true;
        } else if ch == '"' {
            quoted = !quoted;
        } else if (ch == ',' || ch == '+') && !quoted {
            parts.push(std::mem::take(&mut cur));
        } else {
            cur.push(ch);
        }
    }
    parts.push(cur);
    parts
        .into_iter()
        .filter_map(|p| {
            let (k, v) = p.split_once('=')?;
            let k = k.trim().to_ascii_uppercase();
            let k = match k.as_str() {
                "S" => "ST".to_owned(),
                "SURNAME" => "SN".to_owned(),
                "GIVENNAME" => "GN".to_owned(),
                "DNQUALIFIER" => "DNQ".to_owned(),
                "EMAIL" | "E" | "1.2.840.113549.1.9.1" | "OID.1.2.840.113549.1.9.1" => {
                    "EMAILADDRESS".to_owned()
                }
                other => other.strip_prefix("OID.").unwrap_or(other).to_owned(),
            };
            Some(format!("{k}={}", v.trim()))
        })
        .collect()
}

/// An APK apksigner refused, with our signers as (SHA-256, schemes).
type Refused = (PathBuf, Vec<(String, Vec<Scheme>)>);

struct Outcome {
    /// Set when apksigner refused the APK: (path, our signers as (sha256, schemes)).
    refused: Option<Refused>,
    line: String,
    failures: Vec<String>,
    notes: Vec<String>,
}

fn check(apk: &Path, root: &Path, fields_checked: &AtomicUsize) -> Outcome {
    let rel = apk.strip_prefix(root).unwrap_or(apk).display().to_string();
    let data = std::fs::read(apk).expect("read apk");
    let key = common::sha256_hex(&data);
    let files = common::meta_inf_files(apk);
    let borrowed: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, d)| (n.as_str(), d.as_slice()))
        .collect();
    let sigs: Signatures = collect_signers(&data, common::cd_offset(&data), &borrowed);
    let ours: Vec<&str> = sigs.signers.iter().map(|s| s.sha256.as_str()).collect();
    let mut failures = vec![];
    let mut notes = vec![];

    // Every field of each certificate openssl also sees (v1 PKCS#7 sets).
    let ossl = openssl_v1(&files);
    let all_certs = sigs.signers.iter().map(|s| {
        (
            &s.sha256,
            &s.subject,
            &s.issuer,
            &s.serial,
            &s.not_before,
            &s.not_after,
        )
    });
    let lineage = sigs.signers.iter().flat_map(|s| s.lineage.iter()).map(|l| {
        let c = &l.certificate;
        (
            &c.sha256,
            &c.subject,
            &c.issuer,
            &c.serial,
            &c.not_before,
            &c.not_after,
        )
    });
    for (sha, subject, issuer, serial, nb, na) in all_certs.chain(lineage) {
        let Some(o) = ossl.iter().find(|o| &o.sha256 == sha) else {
            continue;
        };
        fields_checked.fetch_add(1, Ordering::Relaxed);
        let ours_serial = serial.trim_start_matches('0');
        if dn_set(subject) != dn_set(&o.dn)
            || dn_set(issuer) != dn_set(&o.issuer)
            || ours_serial != o.serial.trim_start_matches('0')
            || nb != &o.not_before
            || na != &o.not_after
        {
            failures.push(format!(
                "{rel}: {sha}: ours ({subject:?}, {issuer:?}, {serial}, {nb}, {na}) vs openssl ({:?}, {:?}, {}, {}, {})",
                o.dn, o.issuer, o.serial, o.not_before, o.not_after
            ));
        }
    }

    let runs = apksigner(apk, &key);
    let verified = runs
        .iter()
        .find(|(_, t)| t.lines().next() == Some("Verifies"));
    let oracle = match verified {
        Some((min, text)) => parse_apksigner(min, text),
        None => {
            let last = runs
                .last()
                .map(|(_, t)| t.lines().take(2).collect::<Vec<_>>().join(" | "))
                .unwrap_or_default();
            Oracle {
                source: "openssl".into(),
                signers: ossl,
                error: last,
                ..Default::default()
            }
        }
    };

    // apksigner's own stripping detection must be mirrored by a warning.
    if runs.iter().any(|(_, t)| {
        t.contains(
            "indicates the APK is signed using APK Signature Scheme v2 but no such signature",
        )
    }) && !sigs.warnings.iter().any(|w| {
        matches!(
            w,
            SigningWarning::StrippedScheme {
                scheme: Scheme::V2,
                ..
            }
        )
    }) {
        failures.push(format!(
            "{rel}: apksigner reports a stripped v2 signature, we do not"
        ));
    }
    for s in &sigs.signers {
        if let Some(e) = &s.parse_error {
            failures.push(format!("{rel}: certificate {} not parsed: {e}", s.sha256));
        }
    }
    if oracle.source == "apksigner" {
        let newest = oracle.verified.iter().max().copied();
        for o in &oracle.signers {
            let Some(s) = sigs.signers.iter().find(|s| s.sha256 == o.sha256) else {
                failures.push(format!(
                    "{rel}: apksigner signer {} ({}) missing; ours {ours:?}",
                    o.sha256, o.dn
                ));
                continue;
            };
            if dn_set(&s.subject) != dn_set(&o.dn) {
                failures.push(format!(
                    "{rel}: subject {:?} vs apksigner {:?}",
                    s.subject, o.dn
                ));
            }
            if s.key_algorithm != o.key_algorithm || s.key_size != o.key_size {
                failures.push(format!(
                    "{rel}: key {} {:?} vs apksigner {} {:?}",
                    s.key_algorithm, s.key_size, o.key_algorithm, o.key_size
                ));
            }
            if let Some(n) = newest
                && !s.schemes.contains(&n)
            {
                failures.push(format!(
                    "{rel}: signer {} lacks {n} (apksigner verified it)",
                    s.sha256
                ));
            }
        }
        for &v in &oracle.verified {
            if !sigs.has_scheme(v) {
                failures.push(format!(
                    "{rel}: apksigner verified {v}, we found no {v} signer"
                ));
            }
        }
        for s in [Scheme::V1, Scheme::V2, Scheme::V3, Scheme::V31] {
            if sigs.has_scheme(s) && !oracle.verified.contains(&s) {
                notes.push(format!(
                    "{rel}: {s} present, not verified by apksigner --min-sdk-version {}",
                    oracle.min_sdk
                ));
            }
        }
    } else {
        // openssl lists every certificate of each PKCS#7; our v1 signers must be among them.
        let all: BTreeSet<&str> = oracle.signers.iter().map(|s| s.sha256.as_str()).collect();
        for s in sigs
            .signers
            .iter()
            .filter(|s| s.schemes.contains(&Scheme::V1))
        {
            if !all.contains(s.sha256.as_str()) {
                failures.push(format!(
                    "{rel}: v1 signer {} not among openssl's certificates {all:?}",
                    s.sha256
                ));
            }
            if let Some(o) = oracle.signers.iter().find(|o| o.sha256 == s.sha256)
                && dn_set(&s.subject) != dn_set(&o.dn)
            {
                failures.push(format!(
                    "{rel}: subject {:?} vs openssl {:?}",
                    s.subject, o.dn
                ));
            }
        }
        if !all.is_empty() && !sigs.has_scheme(Scheme::V1) {
            failures.push(format!(
                "{rel}: openssl found v1 certificates {all:?}, we found no v1 signer"
            ));
        }
        // keytool names each signer's own certificate first, so it also
        // checks the SignerInfo -> certificate choice inside chains.
        let kt = keytool_v1(apk);
        let ours_v1: BTreeSet<&str> = sigs
            .signers
            .iter()
            .filter(|s| s.schemes.contains(&Scheme::V1))
            .map(|s| s.sha256.as_str())
            .collect();
        if kt.is_empty() {
            notes.push(format!("{rel}: keytool printed no signer"));
        } else if kt.iter().map(String::as_str).collect::<BTreeSet<_>>() != ours_v1 {
            failures.push(format!("{rel}: v1 signers {ours_v1:?} vs keytool {kt:?}"));
        } else {
            notes.push(format!(
                "{rel}: v1 signers match keytool -printcert -jarfile"
            ));
        }
        notes.push(format!(
            "{rel}: apksigner refused ({}); compared with openssl",
            oracle.error
        ));
    }
    let schemes: BTreeSet<Scheme> = sigs
        .signers
        .iter()
        .flat_map(|s| s.schemes.iter().copied())
        .collect();
    let line = format!(
        "{rel}: oracle={} verified={:?} ours={} signers {:?} warnings {}",
        oracle.source,
        oracle.verified,
        sigs.signers.len(),
        schemes,
        sigs.warnings.len()
    );
    let refused = (oracle.source == "openssl").then(|| {
        (
            apk.to_path_buf(),
            sigs.signers
                .iter()
                .map(|s| (s.sha256.clone(), s.schemes.clone()))
                .collect(),
        )
    });
    for w in &sigs.warnings {
        notes.push(format!("{rel}: warning: {w}"));
    }
    Outcome {
        refused,
        line,
        failures,
        notes,
    }
}

#[test]
fn corpus_matches_apksigner() {
    let Some(root) = common::corpus() else {
        eprintln!("SKIP: corpus not found (set LEAKSCOPE_CORPUS)");
        return;
    };
    for (tool, arg) in [
        ("apksigner", "version"),
        ("openssl", "version"),
        ("python3", "--version"),
    ] {
        if !common::have(tool, arg) {
            eprintln!("SKIP: {tool} not installed");
            return;
        }
    }
    let mut apks = common::corpus_apks(&root);
    apks.extend(common::registry_apks());
    if let Ok(filter) = std::env::var("SIGNING_FILTER") {
        apks.retain(|p| p.to_string_lossy().contains(&filter));
    }
    let next = AtomicUsize::new(0);
    let fields_checked = AtomicUsize::new(0);
    let results: Mutex<Vec<Outcome>> = Mutex::new(vec![]);
    std::thread::scope(|sc| {
        for _ in 0..2 {
            sc.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(apk) = apks.get(i) else { break };
                    let o = check(apk, &root, &fields_checked);
                    results.lock().expect("lock").push(o);
                }
            });
        }
    });
    let mut results = results.into_inner().expect("lock");
    results.sort_by(|a, b| a.line.cmp(&b.line));
    let mut failures = vec![];
    for r in &results {
        eprintln!("{}", r.line);
        for n in &r.notes {
            eprintln!("  note: {n}");
        }
        for f in &r.failures {
            let expected = EXPECTED.iter().find(|(p, _)| f.starts_with(p));
            match expected {
                Some((_, why)) => eprintln!("  expected difference: {f} ({why})"),
                None => failures.push(f.clone()),
            }
        }
    }
    eprintln!(
        "{} APKs checked; {} certificates had subject/issuer/serial/validity compared with openssl",
        results.len(),
        fields_checked.load(Ordering::Relaxed)
    );
    let refused: Vec<_> = results.iter().filter_map(|r| r.refused.clone()).collect();
    failures.extend(androguard_check(&refused, &root));
    assert!(
        failures.is_empty(),
        "{} differences:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Second oracle for the APKs apksigner refuses (broken v2 digests, bad v1
/// signatures): androguard 4.1.4's `get_certificates_der_v2/v3/v31`, which,
/// like this crate, lists certificates without verifying them. androguard
/// returns every certificate of every signer, so ours must be a subset, and
/// a scheme androguard sees must be one we see.
fn androguard_check(refused: &[Refused], root: &Path) -> Vec<String> {
    let python = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.venv/bin/python");
    const SCRIPT: &str = r#"
import sys, hashlib
from loguru import logger
logger.remove()
from androguard.core.apk import APK
for p in sys.argv[1:]:
    try:
        a = APK(p)
        for name, certs in (("v2", a.get_certificates_der_v2()), ("v3", a.get_certificates_der_v3()), ("v3.1", a.get_certificates_der_v31())):
            for c in certs:
                print(p, name, hashlib.sha256(c).hexdigest(), sep="\t")
        print(p, "ok", "", sep="\t")
    except Exception as e:
        print(p, "error", repr(e).replace("\t", " "), sep="\t")
"#;
    if refused.is_empty() {
        return vec![];
    }
    let out = Command::new(&python)
        .arg("-c")
        .arg(SCRIPT)
        .args(refused.iter().map(|(p, _)| p))
        .output();
    let Some(out) = out.ok().filter(|o| o.status.success()) else {
        eprintln!(
            "SKIP androguard cross-check: {} not usable",
            python.display()
        );
        return vec![];
    };
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut failures = vec![];
    for (path, ours) in refused {
        let rel = path
            .strip_prefix(root)
            .unwrap_or(path)
            .display()
            .to_string();
        let p = path.display().to_string();
        let rows: Vec<(&str, &str)> = text
            .lines()
            .filter_map(|l| {
                let mut f = l.split('\t');
                (f.next() == Some(p.as_str()))
                    .then(|| (f.next().unwrap_or(""), f.next().unwrap_or("")))
            })
            .collect();
        if let Some((_, e)) = rows.iter().find(|(k, _)| *k == "error") {
            eprintln!("  note: {rel}: androguard failed ({e})");
            continue;
        }
        for (scheme, name) in [
            (Scheme::V2, "v2"),
            (Scheme::V3, "v3"),
            (Scheme::V31, "v3.1"),
        ] {
            let theirs: BTreeSet<&str> = rows
                .iter()
                .filter(|(k, _)| *k == name)
                .map(|(_, h)| *h)
                .collect();
            let mine: Vec<&str> = ours
                .iter()
                .filter(|(_, s)| s.contains(&scheme))
                .map(|(h, _)| h.as_str())
                .collect();
            if mine.iter().any(|h| !theirs.contains(h)) || (theirs.is_empty() != mine.is_empty()) {
                failures.push(format!(
                    "{rel}: {scheme} signers {mine:?} vs androguard certificates {theirs:?}"
                ));
            } else if !mine.is_empty() {
                eprintln!(
                    "  note: {rel}: {scheme} signers match androguard ({} certificate(s))",
                    theirs.len()
                );
            }
        }
    }
    failures
}
