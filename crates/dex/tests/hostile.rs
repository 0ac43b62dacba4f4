//! Crafted and hostile inputs: every case must give an error or warnings,
//! never a panic, and finish fast.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::{Duration, Instant};

use common::builder::{self, field, fix_checksum, get_u32, set_u32};
use common::walk::{walk, walk_bytes};
use leakscope_dex::{
    DexError, DexFile, DexWarning, EncodedValue, ParseOptions, dex_images, parse_dex_container,
};

/// Runs `f` and checks it took less than a second (debug build).
fn fast<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let t = Instant::now();
    let r = f();
    assert!(
        t.elapsed() < Duration::from_secs(1),
        "{what} took {:?}",
        t.elapsed()
    );
    r
}

#[test]
fn builder_image_parses_and_matches_dexdump() {
    let bytes = builder::simple_dex();
    let dex = DexFile::parse_with(&bytes, ParseOptions::verified()).unwrap();
    assert_eq!(dex.version(), 35);
    assert!(dex.warnings().is_empty(), "{:?}", dex.warnings());
    assert_eq!(dex.class_defs_len(), 1);
    let class = dex.class_defs().next().unwrap();
    assert_eq!(dex.type_descriptor(class.class_idx).unwrap(), b"La/A;");
    assert_eq!(class.source_file_idx, None);
    let data = dex.class_data(&class).unwrap().unwrap();
    assert_eq!(data.fields().count(), 0);
    let methods: Vec<_> = data.methods().collect::<Result<_, _>>().unwrap();
    assert_eq!(methods.len(), 1);
    assert_eq!(
        dex.method_signature(methods[0].method_idx).unwrap(),
        "La/A;->run()V"
    );
    let code = dex.code_item(methods[0].code_off.unwrap()).unwrap();
    assert_eq!(
        (code.registers_size, code.insns_size, code.insns.len()),
        (1, 4, 8)
    );
    let blocks: Vec<_> = code.try_blocks().collect::<Result<_, _>>().unwrap();
    assert_eq!(blocks.len(), 1);
    let clauses: Vec<_> = blocks[0].handler.clauses().collect();
    assert_eq!(clauses.len(), 1);
    assert_eq!(
        dex.type_descriptor(clauses[0].type_idx).unwrap(),
        b"Ljava/lang/Exception;"
    );
    assert_eq!(
        (clauses[0].addr, blocks[0].handler.catch_all_addr),
        (2, Some(2))
    );

    // The builder's output is also what dexdump (with verification) reads.
    if !common::have_tool("dexdump", "-h") {
        eprintln!("SKIP dexdump cross-check: dexdump not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("built.dex");
    std::fs::write(&path, &bytes).unwrap();
    let out = std::process::Command::new("dexdump")
        .arg(&path)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "dexdump rejects the builder output: {text}"
    );
    for needle in [
        "Class descriptor  : 'La/A;'",
        "name          : 'run'",
        "insns size    : 4 16-bit code units",
        "0x0000 - 0x0001",
        "Ljava/lang/Exception; -> 0x0002",
        "<any> -> 0x0002",
    ] {
        assert!(
            text.contains(needle),
            "dexdump output lacks {needle:?}:\n{text}"
        );
    }
}

#[test]
fn container_041_with_two_images() {
    let bytes = builder::container(&[("La/A;", "run"), ("Lb/B;", "go")]);
    let images = parse_dex_container(&bytes).unwrap();
    assert_eq!(images.len(), 2);
    let expected = [
        ("La/A;->run()V", 0usize),
        ("Lb/B;->go()V", get_u32(&bytes, field::FILE_SIZE) as usize),
    ];
    for (dex, (sig, at)) in images.iter().zip(expected) {
        assert_eq!(dex.version(), 41);
        assert_eq!(dex.header_offset(), at);
        assert_eq!(dex.header().header_offset as usize, at);
        assert_eq!(dex.header().container_size as usize, bytes.len());
        assert!(
            dex.checksum_warning().is_none(),
            "checksum of image at {at}"
        );
        assert!(dex.warnings().is_empty(), "{:?}", dex.warnings());
        let class = dex.class_defs().next().unwrap();
        let m = dex
            .class_data(&class)
            .unwrap()
            .unwrap()
            .methods()
            .next()
            .unwrap()
            .unwrap();
        assert_eq!(dex.method_signature(m.method_idx).unwrap(), sig);
        let code = dex.code_item(m.code_off.unwrap()).unwrap();
        assert!(
            code.offset() > at,
            "code of image at {at} is inside that image"
        );
        assert_eq!(code.insns_size, 4);
    }
    // `parse` reads the first image only.
    assert_eq!(DexFile::parse(&bytes).unwrap().class_defs_len(), 1);
    // Three images work too, and every prefix fails or parses without panicking.
    let three = builder::container(&[("La/A;", "a"), ("Lb/B;", "b"), ("Lc/C;", "c")]);
    assert_eq!(parse_dex_container(&three).unwrap().len(), 3);
    fast("container prefixes", || {
        for len in 0..three.len() {
            walk_bytes(&three[..len]);
        }
    });
}

#[test]
fn container_loops_and_bad_links_fail() {
    let good = builder::container(&[("La/A;", "run"), ("Lb/B;", "go")]);
    let second = get_u32(&good, field::FILE_SIZE) as usize;

    // file_size 0 would point the next header at itself.
    let mut b = good.clone();
    set_u32(&mut b, field::FILE_SIZE, 0);
    let err = fast("self loop", || parse_dex_container(&b)).unwrap_err();
    assert!(matches!(err, DexError::BadContainer { .. }), "{err}");

    // file_size pointing into the middle of the first image.
    let mut b = good.clone();
    set_u32(&mut b, field::FILE_SIZE, 0x78);
    assert!(parse_dex_container(&b).is_err());

    // The second header claims another position: parsed, with a warning.
    let mut b = good.clone();
    set_u32(&mut b, second + field::HEADER_OFFSET, 0);
    let images = parse_dex_container(&b).unwrap();
    assert!(
        images[1]
            .warnings()
            .iter()
            .any(|w| matches!(w, DexWarning::HeaderOffsetMismatch { .. }))
    );

    // A 035 image after a 041 one is not a valid container.
    let mut b = good.clone();
    b[second + 4..second + 7].copy_from_slice(b"035");
    let results: Vec<_> = dex_images(&b, ParseOptions::default()).collect();
    assert_eq!(results.len(), 2);
    assert!(results[0].is_ok() && results[1].is_err());

    // Container truncated: the second header is gone or cut.
    assert!(parse_dex_container(&good[..second + 0x40]).is_err());
    // container_size larger than the file: the first image still parses, with a warning.
    let dex = DexFile::parse(&good[..second]).unwrap();
    assert!(
        dex.warnings()
            .iter()
            .any(|w| matches!(w, DexWarning::ContainerSizeMismatch { .. }))
    );
}

#[test]
fn truncated_files_never_panic() {
    let bytes = builder::simple_dex();
    fast("all prefixes", || {
        for len in 0..bytes.len() {
            let prefix = &bytes[..len];
            let r = DexFile::parse(prefix);
            if len < 0x70 {
                assert!(matches!(r, Err(DexError::TooShort { .. })), "len {len}");
            }
            walk_bytes(prefix);
        }
    });
}

#[test]
fn huge_header_counts_are_rejected() {
    let good = builder::simple_dex();
    for at in [
        field::STRING_IDS_SIZE,
        field::TYPE_IDS_SIZE,
        72,
        80,
        field::METHOD_IDS_SIZE,
        field::CLASS_DEFS_SIZE,
    ] {
        let mut b = good.clone();
        set_u32(&mut b, at, 0xffff_ffff);
        let err = fast("huge count", || DexFile::parse(&b)).unwrap_err();
        assert!(
            matches!(
                err,
                DexError::TableOutOfBounds {
                    count: 0xffff_ffff,
                    ..
                }
            ),
            "{err}"
        );
    }
    // Offsets past the end, and offsets that overflow when the table is added.
    for (at, off) in [
        (field::STRING_IDS_OFF, 0xffff_fff0),
        (field::CLASS_DEFS_OFF, good.len() as u32),
    ] {
        let mut b = good.clone();
        set_u32(&mut b, at, off);
        assert!(matches!(
            DexFile::parse(&b),
            Err(DexError::TableOutOfBounds { .. })
        ));
    }
}

#[test]
fn header_anomalies_are_warnings_or_errors() {
    let good = builder::simple_dex();
    // Bad checksum: a warning, only when asked for.
    let mut b = good.clone();
    b[field::CHECKSUM] ^= 1;
    assert!(DexFile::parse(&b).unwrap().warnings().is_empty());
    let dex = DexFile::parse_with(&b, ParseOptions::verified()).unwrap();
    assert!(matches!(
        dex.warnings(),
        [DexWarning::ChecksumMismatch { .. }]
    ));

    // Every known version parses without warnings; unknown digits warn.
    for v in [b"035", b"036", b"037", b"038", b"039", b"040"] {
        let mut b = good.clone();
        b[4..7].copy_from_slice(v);
        fix_checksum(&mut b);
        let dex = DexFile::parse_with(&b, ParseOptions::verified()).unwrap();
        assert!(dex.warnings().is_empty(), "{v:?}: {:?}", dex.warnings());
    }
    let mut b = good.clone();
    b[4..7].copy_from_slice(b"099");
    let dex = DexFile::parse(&b).unwrap();
    assert_eq!(dex.version(), 99);
    assert!(dex.warnings().contains(&DexWarning::UnknownVersion(99)));
    assert_eq!(dex.class_defs_len(), 1);

    // Not a DEX file.
    for (at, bytes) in [(0usize, &b"dey\n"[..]), (4, b"0a5"), (7, b"\n")] {
        let mut b = good.clone();
        b[at..at + bytes.len()].copy_from_slice(bytes);
        assert!(matches!(DexFile::parse(&b), Err(DexError::BadMagic(_))));
    }
    // Byte-swapped endian tag.
    let mut b = good.clone();
    set_u32(&mut b, 40, 0x7856_3412);
    assert!(matches!(DexFile::parse(&b), Err(DexError::BadEndianTag(_))));
    // header_size too small, and 041 without the container fields.
    let mut b = good.clone();
    set_u32(&mut b, field::HEADER_SIZE, 0x20);
    assert!(matches!(
        DexFile::parse(&b),
        Err(DexError::BadHeaderSize { .. })
    ));
    let mut b = good.clone();
    b[4..7].copy_from_slice(b"041");
    assert!(matches!(
        DexFile::parse(&b),
        Err(DexError::BadHeaderSize { .. })
    ));
    // file_size disagreeing with the data.
    let mut b = good.clone();
    set_u32(&mut b, field::FILE_SIZE, 12);
    let dex = DexFile::parse_with(&b, ParseOptions::verified()).unwrap();
    assert!(
        dex.warnings()
            .iter()
            .any(|w| matches!(w, DexWarning::FileSizeMismatch { .. }))
    );
    // Map list: huge, out of range, or pointing at itself.
    let map_off = get_u32(&good, field::MAP_OFF) as usize;
    let mut b = good.clone();
    set_u32(&mut b, map_off, 0xffff_ffff);
    let dex = DexFile::parse(&b).unwrap();
    assert!(
        dex.warnings()
            .iter()
            .any(|w| matches!(w, DexWarning::MapListTooLong(_)))
    );
    let mut b = good.clone();
    set_u32(&mut b, field::MAP_OFF, 0xffff_fff0);
    let dex = DexFile::parse(&b).unwrap();
    assert!(matches!(dex.warnings(), [DexWarning::BadMapList { .. }]));
    assert_eq!(dex.map_items().count(), 0);
    assert_eq!(DexFile::parse(&good).unwrap().map_items().count(), 10);
}

/// Appends a class_defs table of `n` copies of the first class def to the
/// file and points the header at it; returns the offset of the new table.
fn with_class_copies(good: &[u8], n: usize) -> (Vec<u8>, usize) {
    let mut b = good.to_vec();
    let off = get_u32(&b, field::CLASS_DEFS_OFF) as usize;
    let entry = b[off..off + 32].to_vec();
    let table = b.len();
    for _ in 0..n {
        b.extend_from_slice(&entry);
    }
    set_u32(&mut b, field::CLASS_DEFS_OFF, table as u32);
    set_u32(&mut b, field::CLASS_DEFS_SIZE, n as u32);
    let len = b.len() as u32;
    set_u32(&mut b, field::FILE_SIZE, len);
    (b, table)
}

#[test]
fn one_broken_class_does_not_hide_the_others() {
    let (mut b, table) = with_class_copies(&builder::simple_dex(), 3);
    let class_data_field = table + 32 + 24; // second class, class_data_off
    for bad in [0xffff_fff0u32, b.len() as u32 - 1] {
        set_u32(&mut b, class_data_field, bad);
        let dex = DexFile::parse(&b).unwrap();
        let ok: Vec<bool> = dex
            .class_defs()
            .map(|c| dex.class_data(&c).is_ok())
            .collect();
        assert_eq!(ok, [true, false, true]);
    }
}

#[test]
fn class_data_with_huge_counts() {
    let good = builder::simple_dex();
    let (_, layout) = builder::build(&builder::Spec {
        version: b"035",
        header_size: 0x70,
        base: 0,
        class: "La/A;",
        method: "run",
    });
    // Four counts of 0xffffffff (5-byte ulebs) overwrite the class data and more.
    let mut b = good.clone();
    let huge = [0xff, 0xff, 0xff, 0xff, 0x0f];
    for i in 0..4 {
        let at = layout.class_data + 5 * i;
        if at + 5 <= b.len() {
            b[at..at + 5].copy_from_slice(&huge);
        }
    }
    let dex = DexFile::parse(&b).unwrap();
    let class = dex.class_defs().next().unwrap();
    let err = fast("huge class data", || dex.class_data(&class)).unwrap_err();
    assert!(matches!(err, DexError::CountTooLarge { .. }), "{err}");

    // An overlong uleb (6 bytes) is malformed.
    let mut b = good.clone();
    b[layout.class_data..layout.class_data + 6]
        .copy_from_slice(&[0x80, 0x80, 0x80, 0x80, 0x80, 0x00]);
    let dex = DexFile::parse(&b).unwrap();
    let class = dex.class_defs().next().unwrap();
    assert!(matches!(dex.class_data(&class), Err(DexError::Read(_))));

    // A plausible count whose entries run off the end: the iterator yields an
    // error and stops.
    let mut b = good[..layout.class_data + 4].to_vec();
    b.extend_from_slice(&[0x00, 0x09]); // method_idx_diff, access flags, then EOF
    b[layout.class_data + 2] = 1;
    let dex = DexFile::parse(&b).unwrap();
    let class = dex.class_defs().next().unwrap();
    match dex.class_data(&class) {
        Err(e) => assert!(matches!(e, DexError::CountTooLarge { .. }), "{e}"),
        Ok(data) => {
            let items: Vec<_> = data.unwrap().methods().collect();
            assert!(items.last().is_some_and(|r| r.is_err()));
        }
    }
    // Delta-decoded index overflow.
    let mut b = good.clone();
    b.truncate(layout.class_data);
    for n in [0, 0, 2, 0] {
        b.push(n);
    }
    b.extend_from_slice(&[0xff, 0xff, 0xff, 0xff, 0x0f, 0x09, 0x00]); // idx 0xffffffff
    b.extend_from_slice(&[0x01, 0x09, 0x00]); // +1 overflows
    let dex = DexFile::parse(&b).unwrap();
    let class = dex.class_defs().next().unwrap();
    let items: Vec<_> = dex.class_data(&class).unwrap().unwrap().methods().collect();
    assert_eq!(items.len(), 2);
    assert!(matches!(items[1], Err(DexError::IndexOverflow { .. })));
}

#[test]
fn code_items_past_the_end() {
    let good = builder::simple_dex();
    let (_, layout) = builder::build(&builder::Spec {
        version: b"035",
        header_size: 0x70,
        base: 0,
        class: "La/A;",
        method: "run",
    });
    let dex_code = |b: &[u8]| {
        let dex = DexFile::parse(b).unwrap();
        dex.code_item(layout.code as u32).map(|c| c.insns_size)
    };
    assert_eq!(dex_code(&good).unwrap(), 4);
    // insns_size past the end.
    for insns in [0xffff_ffffu32, 0x8000_0000, good.len() as u32] {
        let mut b = good.clone();
        set_u32(&mut b, layout.code + 12, insns);
        assert!(
            matches!(dex_code(&b), Err(DexError::Read(_))),
            "insns_size {insns:#x}"
        );
    }
    // tries_size past the end.
    let mut b = good.clone();
    b[layout.code + 6..layout.code + 8].copy_from_slice(&0xffffu16.to_le_bytes());
    assert!(dex_code(&b).is_err());
    // Code offsets out of range or pointing at the header.
    let dex = DexFile::parse(&good).unwrap();
    assert!(dex.code_item(u32::MAX).is_err());
    assert!(dex.code_item(good.len() as u32 - 2).is_err());
    walk(&dex);
    // A handler with a huge clause count, then one whose offset points
    // back into the try items.
    let mut b = good.clone();
    b[layout.handlers + 1..layout.handlers + 6].copy_from_slice(&[0x80, 0x80, 0x80, 0x80, 0x78]);
    let dex = DexFile::parse(&b).unwrap();
    let code = dex.code_item(layout.code as u32).unwrap();
    let blocks: Vec<_> = fast("huge handler", || code.try_blocks().collect());
    assert!(
        matches!(blocks[0], Err(DexError::CountTooLarge { .. })),
        "{:?}",
        blocks[0]
    );
    assert!(code.catch_handler(u16::MAX).is_err());
    let _ = code.catch_handler(0);
}

#[test]
fn self_referential_offsets() {
    let good = builder::simple_dex();
    let (mut b, table) = with_class_copies(&good, 4);
    // class_data at the header, at the class def itself, at the end of the file.
    set_u32(&mut b, table + 24, 0);
    set_u32(&mut b, table + 32 + 24, table as u32 + 32);
    let len = b.len() as u32;
    set_u32(&mut b, table + 64 + 24, len);
    // Interfaces and static values pointing at the class def table itself.
    set_u32(&mut b, table + 96 + 12, table as u32);
    set_u32(&mut b, table + 96 + 28, table as u32);
    let dex = DexFile::parse(&b).unwrap();
    fast("self references", || walk(&dex));
    // The string ids pointing at the string id table, the header, and past the end.
    let mut b = good.clone();
    let ids = get_u32(&b, field::STRING_IDS_OFF) as usize;
    set_u32(&mut b, ids, ids as u32);
    set_u32(&mut b, ids + 4, 0);
    let len = b.len() as u32;
    set_u32(&mut b, ids + 8, len);
    let dex = DexFile::parse(&b).unwrap();
    let _ = dex.string(0);
    assert!(dex.string(1).is_ok()); // the header's bytes, up to its first NUL
    assert!(dex.string(2).is_err());
    assert!(matches!(
        dex.string(1000),
        Err(DexError::IndexOutOfRange { .. })
    ));
    fast("self references", || walk(&dex));
}

#[test]
fn deeply_nested_and_huge_encoded_arrays() {
    let good = builder::simple_dex();
    // Static values: an array of 1 value that is an array of 1 value ... 10k deep.
    let mut b = good.clone();
    let values = b.len();
    b.push(1);
    for _ in 0..10_000 {
        b.extend_from_slice(&[0x1c, 1]);
    }
    b.push(0x1e);
    let off = get_u32(&b, field::CLASS_DEFS_OFF) as usize;
    set_u32(&mut b, off + 28, values as u32);
    let dex = DexFile::parse(&b).unwrap();
    let class = dex.class_defs().next().unwrap();
    let arr = dex.static_values(&class).unwrap().unwrap();
    let first = fast("deep nesting", || arr.iter().next().unwrap());
    assert!(
        matches!(first, Err(DexError::NestingTooDeep { .. })),
        "{first:?}"
    );

    // A huge count is rejected up front; a plausible one ends with an error.
    let mut b = good.clone();
    let values = b.len();
    b.extend_from_slice(&[0xff, 0xff, 0xff, 0xff, 0x0f, 0x1e]);
    set_u32(&mut b, off + 28, values as u32);
    let dex = DexFile::parse(&b).unwrap();
    let class = dex.class_defs().next().unwrap();
    assert!(matches!(
        dex.static_values(&class),
        Err(DexError::CountTooLarge { .. })
    ));

    let mut b = good.clone();
    let values = b.len();
    b.extend_from_slice(&[0x03, 0x1e, 0x1f, 0x64]); // null, false, then an int cut by EOF
    set_u32(&mut b, off + 28, values as u32);
    let dex = DexFile::parse(&b).unwrap();
    let class = dex.class_defs().next().unwrap();
    let vals: Vec<_> = dex.static_values(&class).unwrap().unwrap().iter().collect();
    assert_eq!(vals.len(), 3);
    assert_eq!(vals[0], Ok(EncodedValue::Null));
    assert_eq!(vals[1], Ok(EncodedValue::Boolean(false)));
    assert!(vals[2].is_err());
}

#[test]
fn random_mutations_never_panic() {
    // A cheap deterministic stand-in for the fuzzer: flip bytes of a valid
    // file and of a container and walk everything.
    let inputs = [
        builder::simple_dex(),
        builder::container(&[("La/A;", "a"), ("Lb/B;", "b")]),
    ];
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut rand = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    fast("mutations", || {
        for input in &inputs {
            for _ in 0..2_000 {
                let mut b = input.clone();
                for _ in 0..1 + rand() % 4 {
                    let at = (rand() as usize) % b.len();
                    b[at] = match rand() % 3 {
                        0 => 0xff,
                        1 => 0,
                        _ => rand() as u8,
                    };
                }
                walk_bytes(&b);
            }
        }
    });
}

#[test]
fn many_try_items_sharing_a_huge_handler_stay_linear() {
    let good = builder::simple_dex();
    let mut b = good.clone();
    let code = b.len();
    let tries: u16 = u16::MAX;
    let clauses: i32 = 200_000;
    for x in [1u16, 0, 0, tries] {
        b.extend_from_slice(&x.to_le_bytes());
    }
    b.extend_from_slice(&0u32.to_le_bytes()); // debug_info_off
    b.extend_from_slice(&2u32.to_le_bytes()); // insns_size
    b.extend_from_slice(&[0x00, 0x00, 0x0e, 0x00]); // nop; return-void
    for _ in 0..tries {
        b.extend_from_slice(&[0, 0, 0, 0, 1, 0, 1, 0]); // start 0, count 1, handler_off 1
    }
    builder::put_uleb(&mut b, 1);
    builder::put_sleb(&mut b, clauses);
    for _ in 0..clauses {
        b.extend_from_slice(&[0x00, 0x00]); // type 0 -> addr 0
    }
    let dex = DexFile::parse(&b).unwrap();
    let code = dex.code_item(code as u32).unwrap();
    let n = fast("shared huge handler", || {
        code.try_blocks()
            .map(|t| t.unwrap().handler.clause_count() as usize)
            .sum::<usize>()
    });
    assert_eq!(n, usize::from(tries) * clauses as usize);

    // A handler offset that is not the start of a handler.
    let (_, layout) = builder::build(&builder::Spec {
        version: b"035",
        header_size: 0x70,
        base: 0,
        class: "La/A;",
        method: "run",
    });
    let mut b = good.clone();
    let handler_off_field = layout.code + 16 + 8 + 6;
    b[handler_off_field] = 2; // points into the middle of the handler
    let dex = DexFile::parse(&b).unwrap();
    let blocks: Vec<_> = dex
        .code_item(layout.code as u32)
        .unwrap()
        .try_blocks()
        .collect();
    assert!(
        matches!(blocks[..], [Err(DexError::BadHandlerOffset { .. })]),
        "{blocks:?}"
    );
}

#[test]
fn string_lookups_are_bounded_by_the_declared_length() {
    // A string whose declared length is too short for its bytes is an error
    // (ART rejects such files), and the search does not scan the whole file.
    let good = builder::simple_dex();
    let dex = DexFile::parse(&good).unwrap();
    let ids = get_u32(&good, field::STRING_IDS_OFF) as usize;
    let first = get_u32(&good, ids) as usize;
    assert!(dex.string(0).is_ok());
    let mut b = good.clone();
    b[first] = 1; // utf16_size 1, but the string is longer
    let dex = DexFile::parse(&b).unwrap();
    assert!(matches!(
        dex.string(0),
        Err(DexError::UnterminatedString { .. })
    ));
}
