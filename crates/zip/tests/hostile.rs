//! Crafted hostile archives, built in the test, each with its exact outcome.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::borrow::Cow;

use common::{E, Z, basic, cases, deflate};
use leakscope_zip::{AndroidImpact, Archive, Limits, LocalField, NameIssue, ZipError, ZipWarning};

fn case(name: &str) -> Vec<u8> {
    cases()
        .into_iter()
        .find(|(n, _)| *n == name)
        .map(|(_, b)| b)
        .unwrap_or_else(|| panic!("no case {name}"))
}

fn manifest() -> Vec<u8> {
    b"<manifest/>".repeat(50)
}

/// Reads both basic entries and checks their content.
fn assert_basic_readable(a: &Archive<'_>) {
    let m = a.find("AndroidManifest.xml").expect("manifest");
    assert_eq!(a.read(m).unwrap().as_ref(), manifest().as_slice());
    let d = a.find("classes.dex").expect("dex");
    assert_eq!(a.read(d).unwrap().as_ref(), b"dex\n035\0 stored payload");
}

#[test]
fn clean_archive_has_no_warnings_and_stored_is_borrowed() {
    let bytes = case("clean");
    let a = Archive::parse(&bytes, Limits::default()).unwrap();
    assert_eq!(a.entries().len(), 2);
    assert_basic_readable(&a);
    let d = a.find("classes.dex").unwrap();
    assert!(matches!(a.read(d).unwrap(), Cow::Borrowed(_)));
    assert!(a.warnings().is_empty(), "{:?}", a.warnings());
    assert_eq!(a.android_impact(), AndroidImpact::None);
    assert_eq!(a.eocd_offset() as usize, bytes.len() - 22);
    // The CD starts right after the last entry's data.
    assert_eq!(
        &bytes[a.central_directory_offset() as usize..][..4],
        b"PK\x01\x02"
    );
}

#[test]
fn empty_and_truncated_inputs_are_errors() {
    assert_eq!(
        Archive::parse(&[], Limits::default()).unwrap_err(),
        ZipError::TooShort { len: 0 }
    );
    let bytes = case("clean");
    // Cut in the middle of the central directory: the EOCD is gone.
    let cut = &bytes[..bytes.len() - 30];
    assert!(matches!(
        Archive::parse(cut, Limits::default()).unwrap_err(),
        ZipError::NoEndOfCentralDirectory { .. }
    ));
    // Random bytes.
    assert!(matches!(
        Archive::parse(&[0x41; 5000], Limits::default()).unwrap_err(),
        ZipError::NoEndOfCentralDirectory { searched: 5000 }
    ));
    // Only an EOCD whose CD offset and size point nowhere.
    let mut only = b"PK\x05\x06".to_vec();
    only.extend_from_slice(&[0, 0, 0, 0, 1, 0, 1, 0, 46, 0, 0, 0, 0, 0x10, 0, 0, 0, 0]);
    assert_eq!(
        Archive::parse(&only, Limits::default()).unwrap_err(),
        ZipError::NoCentralDirectory {
            eocd_offset: 0,
            reason: "central directory offset past the end of the file"
        }
    );
}

#[test]
fn truncated_entry_data_fails_that_entry_only() {
    // The stored entry claims more bytes than exist before the CD/EOF.
    let mut e = basic();
    e[1].usize = Some(1 << 20);
    e[1].csize = Some(1 << 20);
    let bytes = Z::new(e).build();
    let a = Archive::parse(&bytes, Limits::default()).unwrap();
    assert!(a.warnings().contains(&ZipWarning::DataPastEnd {
        name: "classes.dex".into()
    }));
    let d = a.find("classes.dex").unwrap();
    assert!(matches!(
        a.read(d).unwrap_err(),
        ZipError::Truncated {
            needed: 1048576,
            ..
        }
    ));
    assert_basic_manifest(&a);
}

fn assert_basic_manifest(a: &Archive<'_>) {
    let m = a.find("AndroidManifest.xml").unwrap();
    assert_eq!(a.read(m).unwrap().as_ref(), manifest().as_slice());
}

#[test]
fn eocd_count_ffff_trusts_the_central_directory() {
    let bytes = case("eocd_count_ffff");
    let a = Archive::parse(&bytes, Limits::default()).unwrap();
    assert_eq!(a.entries().len(), 2);
    assert_basic_readable(&a);
    assert_eq!(
        a.warnings(),
        vec![ZipWarning::EntryCountMismatch {
            declared: 0xFFFF,
            declared_on_disk: 0xFFFF,
            found: 2
        }]
    );
    assert_eq!(a.android_impact(), AndroidImpact::ArchiveRejected);
}

#[test]
fn eocd_count_low_hides_entries_from_android() {
    let a_bytes = case("eocd_count_low");
    let a = Archive::parse(&a_bytes, Limits::default()).unwrap();
    assert_eq!(a.entries().len(), 2);
    let w = a.warnings();
    assert_eq!(w.len(), 1);
    assert!(w[0].to_string().contains("Android sees only the first 1"));
    assert_eq!(a.android_impact(), AndroidImpact::None);
}

#[test]
fn multi_disk_fields_are_ignored() {
    let bytes = case("multi_disk");
    let a = Archive::parse(&bytes, Limits::default()).unwrap();
    assert_basic_readable(&a);
    assert_eq!(
        a.warnings(),
        vec![ZipWarning::MultiDisk {
            disk: 1,
            cd_disk: 1
        }]
    );
}

#[test]
fn cd_offset_past_eof_is_recovered_from_the_eocd_position() {
    let bytes = case("cd_offset_past_eof");
    let a = Archive::parse(&bytes, Limits::default()).unwrap();
    assert_basic_readable(&a);
    let actual = a.central_directory_offset();
    assert_eq!(
        a.warnings(),
        vec![ZipWarning::CentralDirectoryOffsetMismatch {
            declared: 0x0FFF_FFF0,
            actual
        }]
    );
    assert_eq!(a.android_impact(), AndroidImpact::ArchiveRejected);
}

#[test]
fn huge_comment_is_fine() {
    let bytes = case("huge_comment");
    let a = Archive::parse(&bytes, Limits::default()).unwrap();
    assert_basic_readable(&a);
    assert!(a.warnings().is_empty());
    // With a smaller comment limit the EOCD is out of reach.
    let small = Limits {
        max_comment_size: 1000,
        ..Limits::default()
    };
    assert!(matches!(
        Archive::parse(&bytes, small).unwrap_err(),
        ZipError::NoEndOfCentralDirectory { searched: 1022 }
    ));
}

#[test]
fn fake_eocd_in_comment_is_skipped_and_reported() {
    let bytes = case("fake_eocd_in_comment");
    let a = Archive::parse(&bytes, Limits::default()).unwrap();
    assert_basic_readable(&a);
    let fake = bytes.len() - 22 - 4;
    assert_eq!(
        a.warnings(),
        vec![ZipWarning::EocdCandidateSkipped {
            offset: fake as u64
        }]
    );
    assert_eq!(a.android_impact(), AndroidImpact::ArchiveRejected);
}

#[test]
fn second_archive_in_the_comment_wins_like_on_android() {
    let bytes = case("fake_eocd_wins");
    let a = Archive::parse(&bytes, Limits::default()).unwrap();
    assert_eq!(a.entries().len(), 1);
    let e = a.find("classes.dex").unwrap();
    assert_eq!(a.read(e).unwrap().as_ref(), b"evil!!");
    let outer = bytes.windows(4).position(|w| w == b"PK\x05\x06").unwrap();
    assert_eq!(
        a.warnings(),
        vec![ZipWarning::ShadowedEocd {
            offset: outer as u64,
            used: a.eocd_offset()
        }]
    );
    assert_eq!(a.android_impact(), AndroidImpact::None);
}

#[test]
fn empty_archive_is_reported() {
    let bytes = Z::new(vec![]).build();
    let a = Archive::parse(&bytes, Limits::default()).unwrap();
    assert!(a.entries().is_empty());
    assert_eq!(a.warnings(), vec![ZipWarning::EmptyArchive]);
    assert_eq!(a.android_impact(), AndroidImpact::ArchiveRejected);
}

#[test]
fn trailing_garbage_and_long_comment_length_are_reported() {
    for (name, declared, actual) in [
        ("trailing_garbage", 0u16, 7u64),
        ("comment_len_past_eof", 200, 3),
    ] {
        let bytes = case(name);
        let a = Archive::parse(&bytes, Limits::default()).unwrap();
        assert_basic_readable(&a);
        assert_eq!(
            a.warnings(),
            vec![ZipWarning::CommentLengthMismatch {
                eocd_offset: a.eocd_offset(),
                declared,
                actual
            }],
            "{name}"
        );
    }
}

#[test]
fn duplicate_names_keep_both_and_find_returns_the_first() {
    let bytes = case("duplicate_name");
    let a = Archive::parse(&bytes, Limits::default()).unwrap();
    assert_eq!(a.entries().len(), 3);
    let first = a.find("classes.dex").unwrap();
    assert_eq!(first.index, 1);
    assert_eq!(
        a.read(first).unwrap().as_ref(),
        b"dex\n035\0 stored payload"
    );
    let all: Vec<_> = a.find_all(b"classes.dex").map(|e| e.index).collect();
    assert_eq!(all, vec![1, 2]);
    assert_eq!(a.read(&a.entries()[2]).unwrap().as_ref(), b"second copy");
    let w = a.warnings();
    assert_eq!(
        w,
        vec![ZipWarning::DuplicateName {
            name: "classes.dex".into(),
            first: 1,
            duplicate: 2
        }]
    );
    let text = w[0].to_string();
    assert!(text.contains("first in central-directory order"), "{text}");
    assert!(
        text.contains("kDuplicateEntry") && text.contains("8219321"),
        "{text}"
    );
}

#[test]
fn unknown_method_is_read_as_stored() {
    let bytes = case("unknown_method");
    let a = Archive::parse(&bytes, Limits::default()).unwrap();
    let e = a.find("assets/unknown.bin").unwrap();
    assert_eq!(a.read(e).unwrap().as_ref(), b"stored bytes, unknown method");
    assert_eq!(
        a.warnings(),
        vec![ZipWarning::UnknownMethod {
            name: "assets/unknown.bin".into(),
            method: 99
        }]
    );
}

#[test]
fn badpack_local_method_uses_the_central_directory() {
    let bytes = case("badpack_local_method");
    let a = Archive::parse(&bytes, Limits::default()).unwrap();
    assert_basic_readable(&a);
    assert_eq!(
        a.warnings(),
        vec![ZipWarning::LocalHeaderMismatch {
            name: "classes.dex".into(),
            field: LocalField::Method,
            local: 8,
            central: 0
        }]
    );
    assert_eq!(a.android_impact(), AndroidImpact::None);
}

#[test]
fn local_name_mismatch_and_bad_signature_make_the_entry_unreadable() {
    for (case_name, expected) in [
        (
            "local_name_mismatch",
            ZipWarning::LocalNameMismatch {
                name: "classes.dex".into(),
                local_name: "classes.dey".into(),
            },
        ),
        (
            "local_bad_signature",
            ZipWarning::LocalHeaderInvalid {
                name: "classes.dex".into(),
                offset: 0,
                reason: "bad local header signature",
            },
        ),
    ] {
        let bytes = case(case_name);
        let a = Archive::parse(&bytes, Limits::default()).unwrap();
        assert_basic_manifest(&a);
        let d = a.find("classes.dex").unwrap();
        assert_eq!(d.data_offset, None);
        assert!(matches!(
            a.read(d).unwrap_err(),
            ZipError::LocalHeader { .. }
        ));
        let w = a.parse_warnings();
        assert_eq!(w.len(), 1, "{w:?}");
        match (&w[0], &expected) {
            (
                ZipWarning::LocalHeaderInvalid { name, reason, .. },
                ZipWarning::LocalHeaderInvalid {
                    name: n2,
                    reason: r2,
                    ..
                },
            ) => {
                assert_eq!((name, reason), (n2, r2));
            }
            (got, want) => assert_eq!(got, want),
        }
        assert_eq!(a.android_impact(), AndroidImpact::EntryUnreadable);
        assert!(matches!(
            a.warnings().last(),
            Some(ZipWarning::ReadFailed { .. })
        ));
    }
}

#[test]
fn local_crc_and_size_mismatches_are_warnings() {
    let a_bytes = case("local_crc_mismatch");
    let a = Archive::parse(&a_bytes, Limits::default()).unwrap();
    assert_basic_readable(&a);
    assert!(matches!(
        a.warnings().as_slice(),
        [ZipWarning::LocalHeaderMismatch {
            field: LocalField::Crc32,
            local: 0x1234_5678,
            ..
        }]
    ));
    assert_eq!(a.android_impact(), AndroidImpact::EntryUnreadable);
    let b_bytes = case("local_size_mismatch");
    let b = Archive::parse(&b_bytes, Limits::default()).unwrap();
    assert_basic_readable(&b);
    assert!(matches!(
        b.warnings().as_slice(),
        [ZipWarning::LocalHeaderMismatch {
            field: LocalField::UncompressedSize,
            local: 7,
            central: 550,
            ..
        }]
    ));
}

#[test]
fn crc_mismatch_returns_data_with_a_warning() {
    let bytes = case("crc_wrong_everywhere");
    let a = Archive::parse(&bytes, Limits::default()).unwrap();
    assert!(a.warnings().is_empty());
    assert_basic_readable(&a);
    assert_eq!(
        a.warnings(),
        vec![ZipWarning::CrcMismatch {
            name: "AndroidManifest.xml".into(),
            expected: 0xDEAD_BEEF,
            actual: common::crc(&manifest())
        }]
    );
}

#[test]
fn encrypted_flag_is_ignored() {
    let bytes = case("encrypted_flag");
    let a = Archive::parse(&bytes, Limits::default()).unwrap();
    assert_basic_readable(&a);
    assert_eq!(
        a.warnings(),
        vec![ZipWarning::EncryptedFlag {
            name: "AndroidManifest.xml".into()
        }]
    );
}

#[test]
fn data_descriptors_are_read_and_checked() {
    let bytes = case("data_descriptor");
    let a = Archive::parse(&bytes, Limits::default()).unwrap();
    assert_basic_readable(&a);
    assert!(a.warnings().is_empty(), "{:?}", a.warnings());
    assert!(a.entries().iter().all(|e| e.has_data_descriptor()));
    let bad = case("data_descriptor_mismatch");
    let b = Archive::parse(&bad, Limits::default()).unwrap();
    assert_basic_readable(&b);
    assert_eq!(
        b.warnings(),
        vec![ZipWarning::DataDescriptorMismatch {
            name: "AndroidManifest.xml".into()
        }]
    );
}

#[test]
fn zip64_archive_is_read() {
    let bytes = case("zip64");
    let a = Archive::parse(&bytes, Limits::default()).unwrap();
    assert_basic_readable(&a);
    assert!(a.warnings().is_empty(), "{:?}", a.warnings());
    let m = a.find("AndroidManifest.xml").unwrap();
    assert_eq!(m.uncompressed_size, 550);
    assert_eq!(m.local_header_offset, 0);
    // The zip64 EOCD record (56 bytes) and locator (20) sit between the CD
    // and the EOCD.
    assert_eq!(a.eocd_offset() as usize, bytes.len() - 22);
    assert_eq!(a.central_directory_end(), a.eocd_offset() - 20 - 56);
    assert_eq!(
        &bytes[a.central_directory_end() as usize..][..4],
        b"PK\x06\x06"
    );
}

#[test]
fn zip64_with_data_descriptor_is_read() {
    let bytes = case("zip64_data_descriptor");
    let a = Archive::parse(&bytes, Limits::default()).unwrap();
    assert_basic_readable(&a);
    assert!(a.warnings().is_empty(), "{:?}", a.warnings());
}

#[test]
fn random_mutations_never_panic() {
    let base = case("data_descriptor");
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let limits = Limits {
        max_total_inflated: 1 << 20,
        ..Limits::default()
    };
    for _ in 0..3000 {
        let mut m = base.clone();
        for _ in 0..(next() % 8 + 1) {
            let i = (next() % m.len() as u64) as usize;
            m[i] = next() as u8;
        }
        if let Ok(a) = Archive::parse(&m, limits.clone()) {
            for e in a.entries() {
                if let Ok(d) = a.read(e) {
                    assert!(d.len() as u64 <= e.uncompressed_size.max(e.data_len()));
                }
            }
            for w in a.warnings() {
                assert!(!w.to_string().is_empty());
            }
        }
    }
}

#[test]
fn junk_prepended_is_read_with_shifted_offsets() {
    let bytes = case("junk_prepended");
    let a = Archive::parse(&bytes, Limits::default()).unwrap();
    assert_basic_readable(&a);
    assert_eq!(a.offset_shift(), 1024);
    assert_eq!(
        a.declared_central_directory_offset() + 1024,
        a.central_directory_offset()
    );
    assert_eq!(a.central_directory_end(), a.eocd_offset());
    let cd = a.central_directory_offset();
    assert_eq!(
        a.warnings(),
        vec![
            ZipWarning::CentralDirectoryOffsetMismatch {
                declared: cd - 1024,
                actual: cd
            },
            ZipWarning::PrependedData { len: 1024 }
        ]
    );
    assert_eq!(a.android_impact(), AndroidImpact::ArchiveRejected);
}

#[test]
fn odd_names_are_reported() {
    let bytes = case("odd_names");
    let a = Archive::parse(&bytes, Limits::default()).unwrap();
    let issues: Vec<(String, NameIssue)> = a
        .warnings()
        .into_iter()
        .filter_map(|w| match w {
            ZipWarning::SuspiciousName { name, issue } => Some((name, issue)),
            _ => None,
        })
        .collect();
    assert_eq!(
        issues,
        vec![
            ("../../evil.so".into(), NameIssue::DotDot),
            ("/abs/path".into(), NameIssue::Absolute),
            ("dir\\file".into(), NameIssue::Backslash),
            ("cr\rname".into(), NameIssue::Control),
        ]
    );
    assert_eq!(a.android_impact(), AndroidImpact::None);
    let e = a.find("../../evil.so").unwrap();
    assert_eq!(a.read(e).unwrap().as_ref(), b"x");
    let nul = case("nul_name");
    let n = Archive::parse(&nul, Limits::default()).unwrap();
    let e = n.find_bytes(b"nul\0name").unwrap();
    assert_eq!(e.name_lossy(), "nul\u{0}name");
    assert!(n.warnings().contains(&ZipWarning::SuspiciousName {
        name: "nul\0name".into(),
        issue: NameIssue::Nul
    }));
    assert_eq!(n.android_impact(), AndroidImpact::ArchiveRejected);
}

#[test]
fn stored_size_mismatch_reads_the_uncompressed_size() {
    let bytes = case("stored_size_mismatch");
    let a = Archive::parse(&bytes, Limits::default()).unwrap();
    assert_basic_readable(&a);
    assert_eq!(
        a.warnings(),
        vec![
            ZipWarning::LocalHeaderMismatch {
                name: "classes.dex".into(),
                field: LocalField::CompressedSize,
                local: 23,
                central: 5
            },
            ZipWarning::StoredSizeMismatch {
                name: "classes.dex".into(),
                compressed: 5,
                uncompressed: 23
            }
        ]
    );
}

#[test]
fn overlapping_entries_are_reported_and_refused_beyond_the_budget() {
    let bytes = case("overlapping_entries");
    // Default limits: 9 MiB in total is within budget; reads work.
    let a = Archive::parse(&bytes, Limits::default()).unwrap();
    assert_eq!(a.entries().len(), 9);
    let overlaps = a
        .warnings()
        .iter()
        .filter(|w| matches!(w, ZipWarning::OverlappingEntries { .. }))
        .count();
    assert_eq!(overlaps, 8);
    assert_eq!(a.read(&a.entries()[5]).unwrap().len(), 1 << 20);
    // Budget of 4 MiB: the group (9 MiB declared) is refused up front.
    let small = Limits {
        max_total_inflated: 4 << 20,
        ..Limits::default()
    };
    let b = Archive::parse(&bytes, small).unwrap();
    assert!(
        b.parse_warnings()
            .contains(&ZipWarning::OverlapBombRefused {
                entries: 9,
                total_declared: 9 << 20
            })
    );
    for e in b.entries() {
        assert!(e.refused_overlap);
        assert!(matches!(
            b.read(e).unwrap_err(),
            ZipError::OverlapBomb { .. }
        ));
    }
    assert_eq!(b.inflated_bytes(), 0);
}

/// 16 MiB of zeros deflates to ~16 KiB: a 1000:1 ratio.
fn bomb_entry(declared: Option<u64>) -> Vec<u8> {
    let zeros = vec![0u8; 16 << 20];
    let raw = deflate(&zeros);
    Z::new(vec![E {
        raw: Some(raw),
        usize: declared,
        ..E::deflated("bomb.bin", &[])
    }])
    .build()
}

#[test]
fn zip_bomb_declared_honestly_is_refused_before_inflating() {
    let bytes = bomb_entry(Some(16 << 20));
    let a = Archive::parse(&bytes, Limits::default()).unwrap();
    let e = &a.entries()[0];
    assert!(matches!(
        a.read(e).unwrap_err(),
        ZipError::CompressionRatio { limit: 100, .. }
    ));
    assert_eq!(a.inflated_bytes(), 0);
}

#[test]
fn zip_bomb_with_lying_size_stops_at_the_declared_size() {
    let bytes = bomb_entry(Some(1000));
    let a = Archive::parse(&bytes, Limits::default()).unwrap();
    let e = &a.entries()[0];
    assert_eq!(
        a.read(e).unwrap_err(),
        ZipError::ExceedsDeclaredSize {
            name: "bomb.bin".into(),
            declared: 1000
        }
    );
    // Nothing beyond the cap was kept.
    assert_eq!(a.inflated_bytes(), 0);
}

#[test]
fn per_entry_and_total_limits_are_enforced() {
    let data: Vec<u8> = (0..200_000u32).map(|i| (i * 7 % 251) as u8).collect();
    let bytes = Z::new(vec![E::deflated("a", &data), E::deflated("b", &data)]).build();
    let per_entry = Limits {
        max_entry_size: 100_000,
        ..Limits::default()
    };
    let a = Archive::parse(&bytes, per_entry).unwrap();
    assert!(matches!(
        a.read(&a.entries()[0]).unwrap_err(),
        ZipError::EntryTooLarge {
            size: 200_000,
            limit: 100_000,
            ..
        }
    ));
    let total = Limits {
        max_total_inflated: 300_000,
        ..Limits::default()
    };
    let b = Archive::parse(&bytes, total).unwrap();
    assert_eq!(b.read(&b.entries()[0]).unwrap().as_ref(), data.as_slice());
    assert_eq!(b.inflated_bytes(), 200_000);
    assert!(matches!(
        b.read(&b.entries()[1]).unwrap_err(),
        ZipError::TotalLimit { limit: 300_000, .. }
    ));
}

#[test]
fn max_entries_limit_truncates_the_walk() {
    let entries: Vec<E> = (0..10).map(|i| E::stored(&format!("f{i}"), b"x")).collect();
    let bytes = Z::new(entries).build();
    let l = Limits {
        max_entries: 4,
        ..Limits::default()
    };
    let a = Archive::parse(&bytes, l).unwrap();
    assert_eq!(a.entries().len(), 4);
    assert!(
        a.warnings()
            .contains(&ZipWarning::TooManyEntries { limit: 4 })
    );
}

#[test]
fn warnings_are_capped() {
    let entries: Vec<E> = (0..50).map(|_| E::stored("same", b"x")).collect();
    let bytes = Z::new(entries).build();
    let l = Limits {
        max_warnings: 10,
        ..Limits::default()
    };
    let a = Archive::parse(&bytes, l).unwrap();
    let w = a.warnings();
    assert_eq!(w.len(), 11);
    assert_eq!(w[10], ZipWarning::WarningsDropped { dropped: 39 });
}

#[test]
fn parallel_reads_share_one_archive() {
    fn assert_sync<T: Sync>() {}
    assert_sync::<Archive<'static>>();
    let data: Vec<u8> = (0..100_000u32).map(|i| (i % 13) as u8).collect();
    let entries: Vec<E> = (0..8)
        .map(|i| E::deflated(&format!("e{i}"), &data))
        .collect();
    let bytes = Z::new(entries).build();
    let a = Archive::parse(&bytes, Limits::default()).unwrap();
    std::thread::scope(|s| {
        for e in a.entries() {
            let a = &a;
            let data = &data;
            s.spawn(move || assert_eq!(a.read(e).unwrap().as_ref(), data.as_slice()));
        }
    });
    assert_eq!(a.inflated_bytes(), 800_000);
}

#[test]
fn every_truncation_of_every_case_is_handled_without_panic() {
    let limits = Limits {
        max_total_inflated: 64 << 20,
        ..Limits::default()
    };
    for (name, bytes) in cases() {
        if bytes.len() > 200_000 {
            continue;
        }
        let step = (bytes.len() / 300).max(1);
        for cut in (0..bytes.len()).step_by(step) {
            for input in [&bytes[..cut], &bytes[cut..]] {
                if let Ok(a) = Archive::parse(input, limits.clone()) {
                    for e in a.entries() {
                        let _ = a.read(e);
                    }
                    for w in a.warnings() {
                        assert!(!w.to_string().is_empty());
                    }
                }
            }
        }
        // Flip bytes of the tail (CD + EOCD).
        for i in bytes.len().saturating_sub(400)..bytes.len() {
            let mut m = bytes.clone();
            m[i] ^= 0xFF;
            if let Ok(a) = Archive::parse(&m, limits.clone()) {
                for e in a.entries() {
                    let _ = a.read(e);
                }
            }
        }
        eprintln!("{name}: ok");
    }
}

#[test]
fn two_hundred_thousand_entries_parse_quickly() {
    let entries: Vec<E> = (0..200_000)
        .map(|i| E::stored(&format!("res/{i:06}"), b""))
        .collect();
    // More than 65535 entries need zip64 counts.
    let bytes = Z {
        zip64: true,
        ..Z::new(entries)
    }
    .build();
    let t = std::time::Instant::now();
    let a = Archive::parse(&bytes, Limits::default()).unwrap();
    let took = t.elapsed();
    eprintln!(
        "parsed {} entries ({} bytes) in {took:?}",
        a.entries().len(),
        bytes.len()
    );
    assert_eq!(a.entries().len(), 200_000);
    assert!(a.warnings().is_empty());
    assert_eq!(a.find("res/199999").map(|e| e.index), Some(199_999));
    // One more entry than the default limit is cut off with a warning.
    let more: Vec<E> = (0..200_001)
        .map(|i| E::stored(&format!("r{i}"), b""))
        .collect();
    let bytes = Z {
        zip64: true,
        ..Z::new(more)
    }
    .build();
    let b = Archive::parse(&bytes, Limits::default()).unwrap();
    assert_eq!(b.entries().len(), 200_000);
    assert!(
        b.warnings()
            .contains(&ZipWarning::TooManyEntries { limit: 200_000 })
    );
}

#[test]
fn read_prefix_inflates_only_the_start() {
    // 64 MiB of zeros after a DEX magic: the prefix costs a few bytes, not
    // the whole stream, and does not count against the inflation budget.
    let mut data = b"dex\n035\0".to_vec();
    data.resize(64 << 20, 0);
    let zip = Z::new(vec![E::deflated("assets/big.bin", &data)]).build();
    let archive = Archive::parse(&zip, Limits::default()).unwrap();
    let entry = archive.find("assets/big.bin").unwrap();
    let start = std::time::Instant::now();
    let head = archive.read_prefix(entry, 8).unwrap();
    assert_eq!(&head[..], b"dex\n035\0");
    assert!(start.elapsed().as_millis() < 200, "{:?}", start.elapsed());
    assert_eq!(archive.inflated_bytes(), 0);
    let stored = Z::new(vec![E::stored("a", b"abc")]).build();
    let archive = Archive::parse(&stored, Limits::default()).unwrap();
    assert_eq!(
        &archive.read_prefix(archive.find("a").unwrap(), 8).unwrap()[..],
        b"abc"
    );
}
