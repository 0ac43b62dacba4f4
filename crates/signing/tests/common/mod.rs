//! Test-only helpers: corpus location, a tiny EOCD finder, META-INF extraction
//! with `unzip`. The real ZIP reader is `leakscope-zip`'s business.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

#[allow(unused_imports)] // each test binary uses a different part
pub use leakscope_testkit::{corpus, have_tool as have, registry_apks};

fn is_apk(p: &Path) -> bool {
    p.is_file() && p.extension().is_some_and(|e| e.eq_ignore_ascii_case("apk"))
}

/// Every `*.apk` file under the corpus, except the `oracles/` folder.
pub fn corpus_apks(root: &Path) -> Vec<PathBuf> {
    let mut out = vec![];
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                if p.file_name().is_some_and(|n| n != "oracles") {
                    stack.push(p);
                }
            } else if is_apk(&p) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Central directory offset from the End Of Central Directory record (ZIP64 ignored).
pub fn cd_offset(apk: &[u8]) -> Option<u64> {
    let min = apk.len().checked_sub(22)?;
    let lowest = min.saturating_sub(0xffff);
    (lowest..=min).rev().find_map(|i| {
        let r = &apk[i..];
        if r[..4] != [0x50, 0x4b, 0x05, 0x06] {
            return None;
        }
        let comment = u16::from_le_bytes([r[20], r[21]]) as usize;
        if i + 22 + comment != apk.len() {
            return None;
        }
        Some(u32::from_le_bytes([r[16], r[17], r[18], r[19]]) as u64)
    })
}

/// `(name, bytes)` of the META-INF signature entries (`*.RSA|DSA|EC|SF`).
///
/// Extracted with python's `zipfile`, which (like Android) trusts the central
/// directory; `unzip -p` follows the local header's compression method and
/// returns garbage for apksig's `mismatched-compression-method.apk`.
pub fn meta_inf_files(apk: &Path) -> Vec<(String, Vec<u8>)> {
    const SCRIPT: &str = r#"
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
for i in z.infolist():
    n = i.filename
    u = n.upper()
    if u.startswith("META-INF/") and "/" not in n[9:] and u.endswith((".RSA", ".DSA", ".EC", ".SF")):
        try:
            print(n.encode("utf-8", "surrogateescape").hex(), z.read(i).hex())
        except Exception as e:
            print("error", repr(e), file=sys.stderr)
"#;
    let Ok(out) = Command::new("python3")
        .arg("-c")
        .arg(SCRIPT)
        .arg(apk)
        .output()
    else {
        return vec![];
    };
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.lines()
        .filter_map(|l| {
            let (n, d) = l.split_once(' ')?;
            Some((String::from_utf8_lossy(&unhex(n)?).into_owned(), unhex(d)?))
        })
        .collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// Lowercase hex SHA-256.
pub fn sha256_hex(data: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(data)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
