//! Hostile input: broken DEX files give warnings, never panics, and the
//! pass keeps what it could read.

#![allow(clippy::expect_used, clippy::unwrap_used)]

mod common;

use leakscope_analysis::apis::{self, ScanWarning};
use leakscope_analysis::attribution::{Attributor, SdkPrefixes};
use leakscope_kb::Kb;

fn attributor(kb: &'static Kb) -> Attributor<'static> {
    Attributor::from_packages(
        &["de.ecspride"],
        &[],
        kb,
        SdkPrefixes::embedded().expect("prefixes"),
    )
}

#[test]
fn garbage_and_truncated_dex_are_warnings() {
    let kb = Kb::embedded().expect("kb");
    let attr = attributor(kb);
    let garbage = b"dex\n035\0not really a dex file".to_vec();
    let empty: &[u8] = &[];
    let scan = apis::scan_dex(
        &[("garbage.dex", &garbage), ("empty.dex", empty)],
        kb,
        &attr,
    );
    assert!(scan.evidence.is_empty());
    assert_eq!(scan.warnings.len(), 2, "{:?}", scan.warnings);
    assert!(
        scan.warnings
            .iter()
            .all(|w| matches!(w, ScanWarning::Dex { .. }))
    );
    assert!(
        scan.warnings[0]
            .to_string()
            .starts_with("garbage.dex: skipped")
    );
}

/// A real DEX (DroidBench DirectLeak1, which calls getDeviceId), read from
/// the corpus.
fn real_dex() -> Option<Vec<u8>> {
    let corpus = common::corpus()?;
    let app = leakscope_app::load(
        &corpus.join("droidbench/AndroidSpecific/DirectLeak1.apk"),
        &leakscope_app::Options::default(),
    )
    .ok()?;
    app.code.first().map(|d| d.bytes.as_slice().to_vec())
}

#[test]
fn mutated_dex_never_panics() {
    let Some(dex) = real_dex() else {
        eprintln!("SKIP: DroidBench DirectLeak1 not available");
        return;
    };
    let kb = Kb::embedded().expect("kb");
    let attr = attributor(kb);
    let clean = apis::scan_dex(&[("classes.dex", &dex)], kb, &attr);
    assert!(clean.warnings.is_empty(), "{:?}", clean.warnings);
    assert!(
        clean
            .evidence
            .iter()
            .any(|e| e.api
                == "Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;"),
        "{:#?}",
        clean.evidence
    );
    // Deterministic xorshift mutations: bytes anywhere (header, id tables,
    // class data, code), plus truncations.
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for round in 0..300 {
        let mut m = dex.clone();
        for _ in 0..(1 + next() % 16) {
            let pos = (next() % m.len() as u64) as usize;
            m[pos] = next() as u8;
        }
        if round % 10 == 0 {
            let keep = (next() % m.len() as u64) as usize;
            m.truncate(keep);
        }
        let scan = apis::scan_dex(&[("classes.dex", &m)], kb, &attr);
        assert!(scan.warnings.len() <= apis::MAX_WARNINGS_PER_DEX + 1);
        for w in &scan.warnings {
            assert!(!w.to_string().is_empty());
        }
    }
}

fn uleb(b: &[u8], pos: &mut usize) -> Option<(u32, usize)> {
    let start = *pos;
    let mut v: u32 = 0;
    for i in 0..5 {
        let byte = *b.get(*pos)?;
        *pos += 1;
        v |= u32::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            return Some((v, start));
        }
    }
    None
}

/// Writes `v` as a uleb128 of exactly `len` bytes (padded with
/// continuation bits), if it fits.
fn put_uleb(b: &mut [u8], at: usize, len: usize, mut v: u32) -> bool {
    for i in 0..len {
        let mut byte = (v & 0x7f) as u8;
        v >>= 7;
        if i + 1 < len {
            byte |= 0x80;
        }
        b[at + i] = byte;
    }
    v == 0
}

/// Points the second method with code of some class at the first one's
/// code item, as a hostile file may do.
fn share_code(dex: &mut [u8]) -> bool {
    let Ok(parsed) = leakscope_dex::DexFile::parse(dex) else {
        return false;
    };
    let offsets: Vec<u32> = parsed
        .class_defs()
        .filter_map(|c| c.class_data_off)
        .collect();
    for off in offsets {
        let mut pos = off as usize;
        let mut sizes = [0u32; 4];
        for s in &mut sizes {
            let Some((v, _)) = uleb(dex, &mut pos) else {
                return false;
            };
            *s = v;
        }
        for _ in 0..(sizes[0] + sizes[1]) * 2 {
            if uleb(dex, &mut pos).is_none() {
                return false;
            }
        }
        let mut codes: Vec<(u32, usize, usize)> = Vec::new();
        for _ in 0..sizes[2] + sizes[3] {
            let (Some(_), Some(_), Some((code, at))) = (
                uleb(dex, &mut pos),
                uleb(dex, &mut pos),
                uleb(dex, &mut pos),
            ) else {
                return false;
            };
            if code != 0 {
                codes.push((code, at, pos - at));
            }
        }
        if let [(first, ..), (_, at, len), ..] = codes[..]
            && put_uleb(dex, at, len, first)
        {
            return true;
        }
    }
    false
}

#[test]
fn shared_code_items_are_scanned_once() {
    let Some(mut dex) = real_dex() else {
        eprintln!("SKIP: DroidBench DirectLeak1 not available");
        return;
    };
    assert!(share_code(&mut dex), "no class with two methods to patch");
    let kb = Kb::embedded().expect("kb");
    let attr = attributor(kb);
    let scan = apis::scan_dex(&[("classes.dex", &dex)], kb, &attr);
    let shared: Vec<_> = scan
        .warnings
        .iter()
        .filter(|w| matches!(w, ScanWarning::SharedCode { .. }))
        .collect();
    assert_eq!(shared.len(), 1, "{:?}", scan.warnings);
    assert!(shared[0].to_string().contains("shared with another method"));
}
