//! Property tests: arbitrary bytes behind plausible headers never panic the
//! binary XML decoder, the manifest builder or the resource table.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use leakscope_axml::{Manifest, ResourceTable, decode};
use proptest::prelude::*;

/// A file header, a string pool header with the given fields, then noise.
fn axml_like(count: u32, flags: u32, strings_start: u32, tail: &[u8]) -> Vec<u8> {
    let mut f = Vec::new();
    f.extend_from_slice(&3u16.to_le_bytes());
    f.extend_from_slice(&8u16.to_le_bytes());
    f.extend_from_slice(&((36 + tail.len()) as u32).to_le_bytes());
    f.extend_from_slice(&1u16.to_le_bytes());
    f.extend_from_slice(&28u16.to_le_bytes());
    f.extend_from_slice(&((28 + tail.len()) as u32).to_le_bytes());
    for v in [count, 0, flags, strings_start, 0] {
        f.extend_from_slice(&v.to_le_bytes());
    }
    f.extend_from_slice(tail);
    f
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn axml_never_panics(count in 0u32..64, utf8 in any::<bool>(), start in 0u32..512,
                         tail in proptest::collection::vec(any::<u8>(), 0..600)) {
        let f = axml_like(count, if utf8 { 1 << 8 } else { 0 }, start, &tail);
        if let Ok(doc) = decode(&f) {
            let _ = Manifest::from_element(&doc.root);
        }
    }

    #[test]
    fn node_stream_never_panics(nodes in proptest::collection::vec((0x0100u16..0x0106, 0u16..40, 0u32..80, any::<[u8; 28]>()), 0..40)) {
        let mut tail = Vec::new();
        for (kind, hs, size, body) in nodes {
            tail.extend_from_slice(&kind.to_le_bytes());
            tail.extend_from_slice(&hs.to_le_bytes());
            tail.extend_from_slice(&size.to_le_bytes());
            tail.extend_from_slice(&body);
        }
        let f = axml_like(2, 0, 36, &tail);
        if let Ok(doc) = decode(&f) {
            let _ = Manifest::from_element(&doc.root);
        }
    }

    #[test]
    fn arsc_never_panics(tail in proptest::collection::vec(any::<u8>(), 0..800), ids in proptest::collection::vec(any::<u32>(), 0..8)) {
        let mut f = Vec::new();
        f.extend_from_slice(&2u16.to_le_bytes());
        f.extend_from_slice(&12u16.to_le_bytes());
        f.extend_from_slice(&((12 + tail.len()) as u32).to_le_bytes());
        f.extend_from_slice(&1u32.to_le_bytes());
        f.extend_from_slice(&tail);
        if let Ok(t) = ResourceTable::parse(&f) {
            for id in ids.into_iter().chain([0x7f01_0000, 0x7f02_0001]) {
                let _ = t.resolve(id);
                let _ = t.entry_name(id);
            }
        }
    }
}
