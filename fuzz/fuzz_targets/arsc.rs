#![no_main]
//! Parses arbitrary bytes as resources.arsc and resolves a spread of ids:
//! low/high entries of the first types of package 0x7f, the shared-library
//! package 0, framework ids, and ids taken from the input itself.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(table) = leakscope_axml::ResourceTable::parse(data) else {
        return;
    };
    for w in table.warnings() {
        let _ = w.to_string();
    }
    let mut ids = Vec::new();
    for pkg in [0x7f_u32, 0x00, 0x01] {
        for ty in 1..=4u32 {
            for entry in [0u32, 1, 2, 0x10, 0xFFFF] {
                ids.push((pkg << 24) | (ty << 16) | entry);
            }
        }
    }
    ids.extend(
        data.chunks_exact(4)
            .take(16)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])),
    );
    for id in ids {
        let _ = table.resolve(id);
        let _ = table.resolve_string(id);
        let _ = table.entry_name(id);
    }
    let _ = table.find_id("string", "app_name");
});
