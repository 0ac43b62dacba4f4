//! Prints the signers of an APK as JSON: `cargo run -p leakscope-signing --example signers -- app.apk`.
//!
//! The central directory offset comes from a minimal EOCD scan and the
//! `META-INF/` files are not extracted (no ZIP reader here), so only the
//! APK Signing Block schemes are shown; the real pipeline passes both.

use std::time::Instant;

fn cd_offset(apk: &[u8]) -> Option<u64> {
    let min = apk.len().checked_sub(22)?;
    (min.saturating_sub(0xffff)..=min).rev().find_map(|i| {
        let r = apk.get(i..)?;
        let comment = usize::from(u16::from_le_bytes([*r.get(20)?, *r.get(21)?]));
        if r.get(..4)? != b"PK\x05\x06" || i + 22 + comment != apk.len() {
            return None;
        }
        Some(u64::from(u32::from_le_bytes([
            *r.get(16)?,
            *r.get(17)?,
            *r.get(18)?,
            *r.get(19)?,
        ])))
    })
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    for path in std::env::args().skip(1) {
        let apk = std::fs::read(&path)?;
        let t = Instant::now();
        let sigs = leakscope_signing::collect_signers(&apk, cd_offset(&apk), &[]);
        let took = t.elapsed();
        println!("{}", serde_json::to_string_pretty(&sigs)?);
        eprintln!("{path}: {} bytes, collect_signers took {took:?}", apk.len());
    }
    Ok(())
}
