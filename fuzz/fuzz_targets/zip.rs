//! Parses arbitrary bytes as a ZIP archive with small limits and reads every
//! entry; errors are expected, panics and unbounded allocations are bugs.
#![no_main]
use leakscope_zip::{Archive, Limits};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        max_entries: 1_000,
        max_entry_size: 1 << 20,
        max_total_inflated: 4 << 20,
        max_warnings: 100,
        ..Limits::default()
    };
    if let Ok(archive) = Archive::parse(data, limits) {
        for entry in archive.entries() {
            if let Ok(bytes) = archive.read(entry) {
                assert!(bytes.len() as u64 <= entry.uncompressed_size.max(entry.data_len()));
            }
            let _ = archive.raw_data(entry);
            let _ = entry.name_lossy();
        }
        for w in archive.warnings() {
            let _ = w.to_string();
            let _ = w.android_impact();
        }
        let _ = archive.android_impact();
    }
});
