#![no_main]
//! Treats the input as the tail of an APK: tries the APK Signing Block
//! locator at several central directory offsets, the PKCS#7 reader on the
//! raw bytes, and everything together.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let len = data.len() as u64;
    // Offsets: the end, a few bytes before it, one past it, and one taken
    // from the first 4 bytes of the input (an attacker-chosen offset).
    let mut offsets = vec![len, len.saturating_sub(1), len.saturating_sub(22), len + 1, 0];
    if let Some(head) = data.get(..4) {
        let mut b = [0u8; 4];
        b.copy_from_slice(head);
        offsets.push(u64::from(u32::from_le_bytes(b)) % (len + 2));
    }
    for &cd in &offsets {
        if let Ok(Some(block)) = leakscope_signing::signing_block(data, cd) {
            for pair in &block.pairs {
                let _ = pair.kind();
            }
        }
    }
    let _ = leakscope_signing::v1_signers(data);
    let half = data.len() / 2;
    let (apk, pkcs7) = data.split_at(half);
    let sigs = leakscope_signing::collect_signers(
        apk,
        Some(apk.len() as u64),
        &[("META-INF/CERT.RSA", pkcs7), ("META-INF/CERT.SF", pkcs7)],
    );
    for w in &sigs.warnings {
        let _ = w.to_string();
    }
});
