//! Crafted hostile inputs: the parser must never panic, must bound its work,
//! and must turn each anomaly into the right error or warning.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use leakscope_signing::{
    Scheme, SigningError, SigningWarning, collect_signers, ids, signing_block, v1_signers,
};

/// Length-prefixes (u32 LE) the concatenation of `parts`.
fn lp(parts: &[&[u8]]) -> Vec<u8> {
    let body = parts.concat();
    let mut out = (body.len() as u32).to_le_bytes().to_vec();
    out.extend(body);
    out
}

/// A v2 signer with `cert` and `public_key`.
fn v2_signer(cert: &[u8], public_key: &[u8]) -> Vec<u8> {
    let signed = lp(&[&lp(&[]), &lp(&[&lp(&[cert])]), &lp(&[])]);
    lp(&[&signed, &lp(&[]), &lp(&[public_key])])
}

/// A v3 signer (min/max SDK in both places).
fn v3_signer(cert: &[u8], min: u32, max: u32) -> Vec<u8> {
    let sdk = [min.to_le_bytes(), max.to_le_bytes()].concat();
    let signed = lp(&[&lp(&[]), &lp(&[&lp(&[cert])]), &sdk, &lp(&[])]);
    lp(&[&signed, &sdk, &lp(&[]), &lp(&[b"key"])])
}

/// Fake local data + APK Signing Block; returns (file, central directory offset).
fn apk_with_block(pairs: &[(u32, Vec<u8>)]) -> (Vec<u8>, u64) {
    let mut body = vec![];
    for (id, v) in pairs {
        body.extend((v.len() as u64 + 4).to_le_bytes());
        body.extend(id.to_le_bytes());
        body.extend(v);
    }
    let size = body.len() as u64 + 24;
    let mut apk = b"PK\x03\x04 local file data".to_vec();
    apk.extend(size.to_le_bytes());
    apk.extend(body);
    apk.extend(size.to_le_bytes());
    apk.extend(b"APK Sig Block 42");
    let cd = apk.len() as u64;
    apk.extend(b"PK\x01\x02 central directory");
    (apk, cd)
}

fn real_cert_rsa() -> Option<Vec<u8>> {
    let root = common::corpus()?;
    let apk = root.join("realworld/androguard/APK/apksig/two-signers.apk");
    let files = common::meta_inf_files(&apk);
    files
        .into_iter()
        .find(|(n, _)| n.ends_with(".RSA"))
        .map(|(_, d)| d)
}

#[test]
fn size_fields_disagree() {
    let (mut apk, cd) = apk_with_block(&[(ids::V2, lp(&[&v2_signer(b"CERT", b"k")]))]);
    apk[22] ^= 0x01; // header size
    let err = signing_block(&apk, cd).unwrap_err();
    assert!(
        matches!(err, SigningError::BlockSizeMismatch { .. }),
        "{err}"
    );
    let s = collect_signers(&apk, Some(cd), &[]);
    assert!(s.signers.is_empty());
    assert!(matches!(s.warnings[0], SigningWarning::SigningBlock { .. }));
}

#[test]
fn block_length_two_to_the_63() {
    let (mut apk, cd) = apk_with_block(&[(ids::V2, vec![0; 8])]);
    let footer = cd as usize - 24;
    apk[footer..footer + 8].copy_from_slice(&(1u64 << 63).to_le_bytes());
    assert!(matches!(
        signing_block(&apk, cd),
        Err(SigningError::BlockSize { .. })
    ));
    // A pair length of 2^63 inside a sane block.
    let (mut apk, cd) = apk_with_block(&[(ids::V2, vec![0; 8])]);
    apk[28..36].copy_from_slice(&(1u64 << 63).to_le_bytes());
    let s = collect_signers(&apk, Some(cd), &[]);
    assert!(
        matches!(s.warnings[0], SigningWarning::MalformedPair { .. }),
        "{:?}",
        s.warnings
    );
    // Central directory offsets past the end or before the block.
    assert!(signing_block(&apk, u64::MAX).is_err());
    assert!(signing_block(&apk, 3).unwrap().is_none());
}

#[test]
fn nested_sequences_running_past_their_parent() {
    // Signer #0: the certificates field claims 2^32-1 bytes. Signer #1 is fine.
    let mut bad_signed = lp(&[]);
    bad_signed.extend(u32::MAX.to_le_bytes());
    bad_signed.extend([1, 2, 3]);
    let bad = lp(&[&lp(&[&bad_signed]), &lp(&[]), &lp(&[])]);
    let good = v2_signer(b"CERT", b"k");
    let (apk, cd) = apk_with_block(&[(ids::V2, lp(&[&bad, &good]))]);
    let s = collect_signers(&apk, Some(cd), &[]);
    assert_eq!(s.signers.len(), 1);
    assert_eq!(s.signers[0].sha256, common::sha256_hex(b"CERT"));
    assert_eq!(s.signers[0].schemes, vec![Scheme::V2]);
    assert!(s.warnings.iter().any(|w| matches!(
        w,
        SigningWarning::MalformedSchemeBlock {
            signer: Some(0),
            ..
        }
    )));
    assert!(
        s.warnings
            .iter()
            .any(|w| matches!(w, SigningWarning::UnparsedCertificate { .. }))
    );
    // The outer sequence itself runs past the block value.
    let (apk, cd) = apk_with_block(&[(ids::V3, vec![0xff, 0xff, 0xff, 0x7f, 0])]);
    let s = collect_signers(&apk, Some(cd), &[]);
    assert!(s.signers.is_empty());
    assert!(matches!(
        s.warnings[0],
        SigningWarning::MalformedSchemeBlock {
            scheme: Scheme::V3,
            signer: None,
            ..
        }
    ));
}

#[test]
fn duplicates_trailing_garbage_and_stripping() {
    let mut v2 = lp(&[&v2_signer(b"CERT", b"k")]);
    v2.extend(b"garbage");
    let v3 = lp(&[&v3_signer(b"CERT", 28, i32::MAX as u32)]);
    let (apk, cd) = apk_with_block(&[
        (ids::V2, v2),
        (ids::V3, v3.clone()),
        (ids::V3, v3),
        (ids::WALLE_CHANNEL, b"{\"channel\":\"x\"}".to_vec()),
    ]);
    let sf: &[u8] = b"Signature-Version: 1.0\r\nX-Android-APK-Signed: 2, 3\r\n\r\n";
    let s = collect_signers(&apk, Some(cd), &[("META-INF/CERT.SF", sf)]);
    assert_eq!(s.signers.len(), 1, "one certificate merged across schemes");
    assert_eq!(s.signers[0].schemes, vec![Scheme::V2, Scheme::V3]);
    assert_eq!(s.signers[0].sdk_ranges.len(), 1);
    assert_eq!(s.blocks.len(), 4);
    assert_eq!(s.blocks[3].channel.as_deref(), Some("{\"channel\":\"x\"}"));
    assert!(
        s.warnings
            .contains(&SigningWarning::DuplicateBlockId { id: ids::V3 })
    );
    assert!(
        s.warnings
            .iter()
            .any(|w| matches!(w, SigningWarning::TrailingData { bytes: 7, .. }))
    );
    assert!(
        !s.warnings
            .iter()
            .any(|w| matches!(w, SigningWarning::StrippedScheme { .. }))
    );

    // The .SF claims v2 and v3, but the block is gone: stripped.
    let s = collect_signers(b"no block here", Some(13), &[("META-INF/CERT.SF", sf)]);
    let stripped: Vec<Scheme> = s
        .warnings
        .iter()
        .filter_map(|w| match w {
            SigningWarning::StrippedScheme { scheme, .. } => Some(*scheme),
            _ => None,
        })
        .collect();
    assert_eq!(stripped, vec![Scheme::V2, Scheme::V3]);
}

#[test]
fn v1_and_v2_certificates_differ() {
    let Some(rsa) = real_cert_rsa() else {
        eprintln!("SKIP: corpus not found");
        return;
    };
    let (apk, cd) = apk_with_block(&[(ids::V2, lp(&[&v2_signer(b"OTHER", b"k")]))]);
    let s = collect_signers(&apk, Some(cd), &[("META-INF/CERT.RSA", &rsa)]);
    assert_eq!(s.signers.len(), 2);
    assert!(
        s.warnings
            .iter()
            .any(|w| matches!(w, SigningWarning::V1V2SignersDiffer { .. })),
        "{:?}",
        s.warnings
    );
}

#[test]
fn pkcs7_huge_and_indefinite_lengths() {
    let cases: &[&[u8]] = &[
        &[
            0x30, 0x88, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x06,
        ],
        &[0x30, 0x84, 0xff, 0xff, 0xff, 0xff],
        &[0x30, 0x80, 0x30, 0x80, 0x30, 0x80],
        &[0x30, 0x80],
        &[0x30, 0x80, 0x00],
        &[0x24, 0x80, 0x04, 0x01],
    ];
    for c in cases {
        assert!(v1_signers(c).is_err(), "{c:02x?}");
        let s = collect_signers(&[], None, &[("META-INF/A.RSA", c)]);
        assert!(matches!(
            s.warnings[0],
            SigningWarning::MalformedV1File { .. }
        ));
    }
    // 100k nested indefinite SEQUENCEs: bounded depth, no stack overflow.
    let deep: Vec<u8> = std::iter::repeat_n([0x30u8, 0x80], 100_000)
        .flatten()
        .collect();
    assert!(v1_signers(&deep).is_err());
}

#[test]
fn truncated_real_pkcs7() {
    let Some(rsa) = real_cert_rsa() else {
        eprintln!("SKIP: corpus not found");
        return;
    };
    let full = v1_signers(&rsa).unwrap();
    assert_eq!(full.len(), 1);
    for n in 0..rsa.len() {
        assert!(
            v1_signers(&rsa[..n]).is_err(),
            "prefix of {n} bytes accepted"
        );
    }
}

/// Deterministic xorshift mutations of a real APK's signing block and
/// CERT.RSA: nothing may panic.
#[test]
fn mutated_real_signatures_never_panic() {
    let Some(root) = common::corpus() else {
        eprintln!("SKIP: corpus not found");
        return;
    };
    let path = root.join("realworld/androguard/APK/apksig/golden-aligned-v3-lineage-out.apk");
    let Ok(apk) = std::fs::read(&path) else {
        eprintln!("SKIP: fixture missing");
        return;
    };
    let Some(cd) = common::cd_offset(&apk) else {
        panic!("no EOCD")
    };
    let block = signing_block(&apk, cd).unwrap().unwrap();
    let (start, end) = (block.offset as usize, cd as usize);
    let rsa = real_cert_rsa().unwrap_or_default();
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut rnd = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    for _ in 0..1500 {
        let mut a = apk.clone();
        let mut r = rsa.clone();
        for _ in 0..(1 + rnd() % 4) {
            let i = start + (rnd() as usize) % (end - start);
            a[i] = rnd() as u8;
            if !r.is_empty() {
                let j = (rnd() as usize) % r.len();
                r[j] = rnd() as u8;
            }
        }
        let s = collect_signers(&a, Some(cd), &[("META-INF/CERT.RSA", &r)]);
        assert!(s.signers.len() <= 64 * 3 + 64);
    }
}

/// v3.1 as Android 13 key rotation uses it: v2 and v3 carry the old key for
/// SDK 24..=32, v3.1 the new key from 33. apksigner cannot produce v3.1 here
/// (its apksig predates it), so this one is synthetic.
#[test]
fn v31_rotation_keeps_each_key_with_its_range() {
    let v2 = lp(&[&v2_signer(b"OLD", b"k")]);
    let v3 = lp(&[&v3_signer(b"OLD", 24, 32)]);
    let v31 = lp(&[&v3_signer(b"NEW", 33, i32::MAX as u32)]);
    let (apk, cd) = apk_with_block(&[(ids::V2, v2), (ids::V3, v3), (ids::V31, v31)]);
    let s = collect_signers(&apk, Some(cd), &[]);
    type Row = (String, Vec<Scheme>, Vec<(u32, u32)>);
    let got: Vec<Row> = s
        .signers
        .iter()
        .map(|x| {
            (
                x.sha256.clone(),
                x.schemes.clone(),
                x.sdk_ranges
                    .iter()
                    .map(|r| (r.min_sdk, r.max_sdk))
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                common::sha256_hex(b"OLD"),
                vec![Scheme::V2, Scheme::V3],
                vec![(24, 32)]
            ),
            (
                common::sha256_hex(b"NEW"),
                vec![Scheme::V31],
                vec![(33, i32::MAX as u32)]
            ),
        ]
    );
    assert!(s.has_scheme(Scheme::V31));
}

/// A v3 signer whose proof-of-rotation attribute is malformed keeps its
/// certificate; the lineage is dropped with a warning.
#[test]
fn malformed_lineage_is_a_warning() {
    let sdk = [28u32.to_le_bytes(), u32::MAX.to_le_bytes()].concat();
    let mut attr = 0x3ba0_6f8cu32.to_le_bytes().to_vec();
    attr.extend(1u32.to_le_bytes());
    attr.extend(0xffff_fff0u32.to_le_bytes()); // node length past the end
    let signed = lp(&[
        &lp(&[]),
        &lp(&[&lp(&[b"CERT"])]),
        &sdk,
        &lp(&[&lp(&[&attr])]),
    ]);
    let signer = lp(&[&signed, &sdk, &lp(&[]), &lp(&[b"key"])]);
    let (apk, cd) = apk_with_block(&[(ids::V3, lp(&[&signer]))]);
    let s = collect_signers(&apk, Some(cd), &[]);
    assert_eq!(s.signers.len(), 1);
    assert!(s.signers[0].lineage.is_empty());
    assert!(s.warnings.iter().any(|w| matches!(
        w,
        SigningWarning::MalformedSchemeBlock {
            scheme: Scheme::V3,
            signer: Some(0),
            ..
        }
    )));
}

#[test]
fn thousands_of_v1_files_are_capped() {
    let junk: &[u8] = &[0x30, 0x00];
    let names: Vec<String> = (0..5000).map(|i| format!("META-INF/S{i}.RSA")).collect();
    let files: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), junk)).collect();
    let s = collect_signers(&[], None, &files);
    assert!(s.warnings.contains(&SigningWarning::TooManyV1Files {
        count: 5000,
        read: 64
    }));
    assert_eq!(s.warnings.len(), 65, "64 malformed files + the cap warning");
}
