#![no_main]
//! Decodes arbitrary bytes as binary XML (and as text XML through
//! `decode_any`), then builds the typed manifest from whatever tree comes out.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for decoded in [
        leakscope_axml::decode(data),
        leakscope_axml::decode_any(data),
    ] {
        if let Ok(doc) = decoded {
            let (manifest, warnings) = leakscope_axml::Manifest::from_element(&doc.root);
            let _ = (
                manifest.effective_target_sdk(),
                manifest.permission_names(),
                warnings.len(),
            );
            for w in &doc.warnings {
                let _ = w.to_string();
            }
            for e in doc.root.descendants() {
                for a in &e.attributes {
                    let _ = a.value.to_string();
                }
            }
        }
    }
});
