//! Property tests: arbitrary bytes never panic; well-formed signing blocks
//! round-trip.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use leakscope_signing::{collect_signers, signing_block, v1_signers};
use proptest::prelude::*;

fn build(pairs: &[(u32, Vec<u8>)], prefix: &[u8]) -> (Vec<u8>, u64) {
    let mut body = vec![];
    for (id, v) in pairs {
        body.extend((v.len() as u64 + 4).to_le_bytes());
        body.extend(id.to_le_bytes());
        body.extend(v);
    }
    let size = body.len() as u64 + 24;
    let mut apk = prefix.to_vec();
    apk.extend(size.to_le_bytes());
    apk.extend(body);
    apk.extend(size.to_le_bytes());
    apk.extend(b"APK Sig Block 42");
    let cd = apk.len() as u64;
    apk.extend(b"PK\x01\x02");
    (apk, cd)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(data in proptest::collection::vec(any::<u8>(), 0..2048), cd in any::<u64>()) {
        let _ = signing_block(&data, cd);
        let _ = signing_block(&data, cd % (data.len() as u64 + 1));
        let _ = v1_signers(&data);
        let s = collect_signers(&data, Some(cd % (data.len() as u64 + 1)), &[("META-INF/X.RSA", &data), ("META-INF/X.SF", &data)]);
        for w in &s.warnings {
            let _ = w.to_string();
        }
    }

    #[test]
    fn well_formed_blocks_round_trip(
        pairs in proptest::collection::vec((any::<u32>(), proptest::collection::vec(any::<u8>(), 0..64)), 0..8),
        prefix in proptest::collection::vec(any::<u8>(), 0..32),
    ) {
        let (apk, cd) = build(&pairs, &prefix);
        let block = signing_block(&apk, cd).unwrap().unwrap();
        prop_assert_eq!(block.offset, prefix.len() as u64);
        let got: Vec<(u32, Vec<u8>)> = block.pairs.iter().map(|p| (p.id, p.value.to_vec())).collect();
        prop_assert_eq!(got, pairs);
    }

    #[test]
    fn corrupting_one_size_byte_is_detected_or_harmless(
        pairs in proptest::collection::vec((any::<u32>(), proptest::collection::vec(any::<u8>(), 0..32)), 1..4),
        which in 0usize..8, value in any::<u8>(),
    ) {
        let (mut apk, cd) = build(&pairs, b"");
        let old = apk[which];
        apk[which] = value;
        match signing_block(&apk, cd) {
            Ok(Some(b)) => prop_assert!(old == value || b.pairs.len() == pairs.len()),
            Ok(None) => prop_assert!(false, "magic is intact"),
            Err(_) => prop_assert!(old != value),
        }
    }
}
