//! Manual timing (not an assertion): walks every class, method, code item and
//! handler of the DEX files of the largest registry APK. Run with
//!
//! ```text
//! cargo test --release -p leakscope-dex --test timing -- --ignored --nocapture
//! ```
//!
//! `LEAKSCOPE_TIMING_APK` selects another APK.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use leakscope_dex::{DexFile, ParseOptions};

/// Walks all class data and code items; returns (methods with code, code units).
fn walk_code(dex: &DexFile<'_>) -> (usize, u64) {
    let (mut methods, mut units) = (0usize, 0u64);
    for class in dex.class_defs() {
        let Ok(Some(data)) = dex.class_data(&class) else {
            continue;
        };
        for m in data.methods().flatten() {
            let Some(off) = m.code_off else { continue };
            let Ok(code) = dex.code_item(off) else {
                continue;
            };
            methods += 1;
            units += u64::from(code.insns_size);
            for b in code.try_blocks().flatten() {
                black_box(b.handler.clauses().count());
                black_box(b.handler.catch_all_addr);
            }
            black_box(code.insns);
        }
    }
    (methods, units)
}

fn best_of<T>(n: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut out = None;
    for _ in 0..n {
        let t = Instant::now();
        let r = f();
        best = best.min(t.elapsed());
        out = Some(r);
    }
    (best, out.unwrap())
}

#[test]
#[ignore = "manual timing; run in release mode"]
fn time_walk_registry_apk() {
    let apk = match std::env::var_os("LEAKSCOPE_TIMING_APK") {
        Some(p) => PathBuf::from(p),
        None => match common::registry_dir() {
            Some(d) => d.join("airtest-1.4.3_Yosemite.apk"),
            None => {
                eprintln!("SKIP: registry APK cache not found");
                return;
            }
        },
    };
    if !apk.is_file() {
        eprintln!("SKIP: {} not found", apk.display());
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let files = common::extract_dex(&apk, tmp.path(), "t");
    println!(
        "{} ({} DEX files), best of 5 runs:",
        apk.display(),
        files.len()
    );
    let (mut total_bytes, mut total_walk) = (0usize, Duration::ZERO);
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        let (t_parse, _) = best_of(5, || {
            black_box(DexFile::parse(&bytes).unwrap().class_defs_len())
        });
        let dex = DexFile::parse(&bytes).unwrap();
        let (t_walk, (methods, units)) = best_of(5, || walk_code(&dex));
        let (t_sum, _) = best_of(5, || black_box(dex.computed_checksum()));
        let (t_sig, _) = best_of(3, || {
            let mut s = String::new();
            for i in 0..dex.methods_len() {
                s.clear();
                let _ = dex.write_method_signature(i, &mut s);
                black_box(&s);
            }
        });
        println!(
            "  {}: {:.1} MB, {} classes, {} methods with code, {} code units: parse {:?}, \
             walk class_data+code+handlers {:?}, adler32 {:?}, all {} method signatures {:?}",
            path.file_name().unwrap().to_string_lossy(),
            bytes.len() as f64 / 1e6,
            dex.class_defs_len(),
            methods,
            units,
            t_parse,
            t_walk,
            t_sum,
            dex.methods_len(),
            t_sig,
        );
        total_bytes += bytes.len();
        total_walk += t_walk;
        let _ = ParseOptions::verified();
    }
    println!(
        "  total {:.1} MB walked in {:?}",
        total_bytes as f64 / 1e6,
        total_walk
    );
}
