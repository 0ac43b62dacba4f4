//! Crafted hostile inputs: no panic, bounded time and memory, specific
//! warnings. The builder below writes binary XML by hand (the layout of
//! frameworks/base ResourceTypes.h), so each test states exactly which field
//! lies.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use leakscope_axml::{
    AxmlError, AxmlWarning, Manifest, ResourceTable, StringPoolAnomaly, Value, decode, decode_any,
};

const NONE: u32 = u32::MAX;

fn u16le(v: &mut Vec<u8>, x: u16) {
    v.extend_from_slice(&x.to_le_bytes());
}
fn u32le(v: &mut Vec<u8>, x: u32) {
    v.extend_from_slice(&x.to_le_bytes());
}

/// A UTF-16 string pool chunk.
fn string_pool(strings: &[&str]) -> Vec<u8> {
    let mut data = Vec::new();
    let mut offsets = Vec::new();
    for s in strings {
        offsets.push(data.len() as u32);
        let units: Vec<u16> = s.encode_utf16().collect();
        u16le(&mut data, units.len() as u16);
        for u in units {
            u16le(&mut data, u);
        }
        u16le(&mut data, 0);
    }
    while data.len() % 4 != 0 {
        data.push(0);
    }
    let header = 28u32;
    let strings_start = header + 4 * strings.len() as u32;
    let mut c = Vec::new();
    u16le(&mut c, 0x0001);
    u16le(&mut c, 28);
    u32le(&mut c, strings_start + data.len() as u32);
    u32le(&mut c, strings.len() as u32);
    u32le(&mut c, 0);
    u32le(&mut c, 0);
    u32le(&mut c, strings_start);
    u32le(&mut c, 0);
    for o in offsets {
        u32le(&mut c, o);
    }
    c.extend(data);
    c
}

fn resource_map(ids: &[u32]) -> Vec<u8> {
    let mut c = Vec::new();
    u16le(&mut c, 0x0180);
    u16le(&mut c, 8);
    u32le(&mut c, 8 + 4 * ids.len() as u32);
    for &i in ids {
        u32le(&mut c, i);
    }
    c
}

/// `(ns, name, raw, type, data)` attributes.
fn start_element(name: u32, attrs: &[(u32, u32, u32, u8, u32)]) -> Vec<u8> {
    let mut c = Vec::new();
    u16le(&mut c, 0x0102);
    u16le(&mut c, 16);
    u32le(&mut c, 36 + 20 * attrs.len() as u32);
    u32le(&mut c, 1);
    u32le(&mut c, NONE);
    u32le(&mut c, NONE);
    u32le(&mut c, name);
    u16le(&mut c, 20);
    u16le(&mut c, 20);
    u16le(&mut c, attrs.len() as u16);
    u16le(&mut c, 0);
    u16le(&mut c, 0);
    u16le(&mut c, 0);
    for &(ns, n, raw, t, d) in attrs {
        u32le(&mut c, ns);
        u32le(&mut c, n);
        u32le(&mut c, raw);
        u16le(&mut c, 8);
        c.push(0);
        c.push(t);
        u32le(&mut c, d);
    }
    c
}

fn end_element(name: u32) -> Vec<u8> {
    let mut c = Vec::new();
    u16le(&mut c, 0x0103);
    u16le(&mut c, 16);
    u32le(&mut c, 24);
    u32le(&mut c, 1);
    u32le(&mut c, NONE);
    u32le(&mut c, NONE);
    u32le(&mut c, name);
    c
}

fn file(chunks: &[Vec<u8>]) -> Vec<u8> {
    let body: Vec<u8> = chunks.concat();
    let mut f = Vec::new();
    u16le(&mut f, 0x0003);
    u16le(&mut f, 8);
    u32le(&mut f, 8 + body.len() as u32);
    f.extend(body);
    f
}

/// A small valid manifest whose attribute names are obfuscated: the name
/// strings are garbage, the resource map says android:name/versionCode.
fn obfuscated_manifest() -> Vec<u8> {
    // 0 "xx1" (-> versionCode), 1 "yy2" (-> name), 2 manifest, 3 package,
    // 4 com.evil, 5 application, 6 activity, 7 .Main, 8 uses-permission,
    // 9 android.permission.SEND_SMS, 10 ns uri
    let pool = string_pool(&[
        "xx1",
        "yy2",
        "manifest",
        "package",
        "com.evil",
        "application",
        "activity",
        ".Main",
        "uses-permission",
        "android.permission.SEND_SMS",
        "http://schemas.android.com/apk/res/android",
    ]);
    let map = resource_map(&[0x0101_021b, 0x0101_0003]);
    file(&[
        pool,
        map,
        start_element(2, &[(NONE, 3, 4, 0x03, 4), (10, 0, NONE, 0x10, 42)]),
        start_element(8, &[(10, 1, 9, 0x03, 9)]),
        end_element(8),
        start_element(5, &[]),
        start_element(6, &[(10, 1, 7, 0x03, 7)]),
        end_element(6),
        end_element(5),
        end_element(2),
    ])
}

#[test]
fn obfuscated_attribute_names_resolve_by_resource_id() {
    let doc = decode(&obfuscated_manifest()).unwrap();
    assert!(doc.warnings.iter().any(|w| matches!(
        w,
        AxmlWarning::AttributeNameMismatch {
            resolved: "name",
            ..
        }
    )));
    let (m, warnings) = Manifest::from_element(&doc.root);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(m.package.as_deref(), Some("com.evil"));
    assert_eq!(m.version_code, Some(42));
    assert_eq!(m.permission_names(), vec!["android.permission.SEND_SMS"]);
    assert_eq!(m.activities[0].name.as_deref(), Some("com.evil.Main"));
    assert!(!m.activities[0].exported);
}

fn assert_fast<T>(limit: Duration, f: impl FnOnce() -> T) -> T {
    let t = Instant::now();
    let r = f();
    assert!(t.elapsed() < limit, "took {:?}", t.elapsed());
    r
}

#[test]
fn string_pool_claiming_2_pow_31_strings_is_capped() {
    let mut f = obfuscated_manifest();
    // stringCount is at file offset 8 (chunk) + 8.
    f[16..20].copy_from_slice(&0x8000_0000u32.to_le_bytes());
    let doc = assert_fast(Duration::from_secs(2), || decode(&f)).unwrap();
    assert!(doc.warnings.iter().any(|w| matches!(
        w,
        AxmlWarning::StringPool(StringPoolAnomaly::CountCapped {
            declared: 0x8000_0000,
            ..
        })
    )));
}

#[test]
fn zero_and_huge_chunk_sizes() {
    let base = obfuscated_manifest();
    let pool_len = u32::from_le_bytes(base[12..16].try_into().unwrap()) as usize;
    let first_node = 8 + pool_len + 16; // after pool and 2-entry resource map
    for size in [0u32, 4, 0xFFFF_FFFF, 0x7FFF_FFFF] {
        let mut f = base.clone();
        f[first_node + 4..first_node + 8].copy_from_slice(&size.to_le_bytes());
        let r = assert_fast(Duration::from_secs(1), || decode(&f));
        match r {
            Ok(doc) => assert!(
                doc.warnings.iter().any(|w| matches!(
                    w,
                    AxmlWarning::MalformedChunk { .. } | AxmlWarning::ChunkLoop { .. }
                )),
                "size {size:#x}: {:?}",
                doc.warnings
            ),
            Err(e) => assert_eq!(e, AxmlError::NoRootElement, "size {size:#x}"),
        }
    }
    // Zero-sized file chunk and string pool chunk.
    let mut f = base.clone();
    f[4..8].copy_from_slice(&0u32.to_le_bytes());
    let doc = decode(&f).unwrap();
    assert!(doc.warnings.contains(&AxmlWarning::WrongFileSize {
        declared: 0,
        actual: base.len()
    }));
    let mut f = base.clone();
    f[12..16].copy_from_slice(&0u32.to_le_bytes());
    assert!(decode(&f).is_err() || decode(&f).is_ok());
}

#[test]
fn offsets_out_of_range() {
    let mut f = obfuscated_manifest();
    // First string offset (pool offsets start at 8 + 28) points far away.
    f[36..40].copy_from_slice(&0x7FFF_FFF0u32.to_le_bytes());
    // stringsStart beyond the chunk.
    let mut g = obfuscated_manifest();
    g[28..32].copy_from_slice(&0xFFFF_FF00u32.to_le_bytes());
    for data in [f, g] {
        let doc = decode(&data).unwrap();
        // The element names all come from the pool; with broken offsets the
        // decoder still returns a tree without panicking.
        let _ = Manifest::from_element(&doc.root);
    }
    // A string index far past the pool.
    let pool = string_pool(&["manifest"]);
    let f = file(&[
        pool,
        start_element(0, &[(NONE, 999_999, 12345, 0x03, 777_777)]),
        end_element(0),
    ]);
    let doc = decode(&f).unwrap();
    assert!(
        doc.warnings
            .iter()
            .any(|w| matches!(w, AxmlWarning::BadStringIndex { index: 999_999, .. }))
    );
}

#[test]
fn hundred_thousand_deep_nesting_is_capped_without_stack_overflow() {
    let depth = 100_000;
    let mut chunks = vec![string_pool(&["a"])];
    for _ in 0..depth {
        chunks.push(start_element(0, &[]));
    }
    for _ in 0..depth {
        chunks.push(end_element(0));
    }
    let f = file(&chunks);
    let doc = assert_fast(Duration::from_secs(5), || decode(&f)).unwrap();
    assert!(doc.warnings.contains(&AxmlWarning::DepthLimit {
        limit: leakscope_axml::MAX_DEPTH
    }));
    let mut depth_seen = 0;
    let mut e = &doc.root;
    while let Some(c) = e.children.first() {
        e = c;
        depth_seen += 1;
    }
    assert_eq!(depth_seen + 1, leakscope_axml::MAX_DEPTH);
    let (m, w) = Manifest::from_element(&doc.root);
    assert!(m.package.is_none());
    assert!(!w.is_empty());
    // Unclosed nesting too (no end elements at all).
    let mut chunks = vec![string_pool(&["a"])];
    for _ in 0..depth {
        chunks.push(start_element(0, &[]));
    }
    let doc = decode(&file(&chunks)).unwrap();
    assert!(
        doc.warnings
            .contains(&AxmlWarning::UnclosedElements(leakscope_axml::MAX_DEPTH))
    );
    // Text XML: roxmltree refuses very deep documents itself; either way no crash.
    let text = format!("{}{}", "<a>".repeat(depth), "</a>".repeat(depth));
    let _ = decode_any(text.as_bytes());
}

#[test]
fn one_huge_string_referenced_many_times_hits_the_output_budget() {
    let big = "x".repeat(60_000);
    let mut chunks = vec![string_pool(&["e", &big])];
    // Each element has 8 attributes pointing at the 60 KB string: 2000
    // elements would decode to ~1.9 GB (UTF-8 budget counts 3 bytes/unit).
    chunks.push(start_element(0, &[]));
    for _ in 0..2000 {
        chunks.push(start_element(0, &[(NONE, 1, 1, 0x03, 1); 8]));
        chunks.push(end_element(0));
    }
    chunks.push(end_element(0));
    let f = file(&chunks);
    let doc = assert_fast(Duration::from_secs(10), || decode(&f)).unwrap();
    assert!(doc.warnings.contains(&AxmlWarning::OutputBudget));
}

#[test]
fn typed_values() {
    let pool = string_pool(&["e", "a"]);
    let attrs = [
        (NONE, 1, NONE, 0x10, (-5i32) as u32),
        (NONE, 1, NONE, 0x11, 0xFF),
        (NONE, 1, NONE, 0x12, 0xFFFF_FFFF),
        (NONE, 1, NONE, 0x01, 0x7F04_0001),
        (NONE, 1, NONE, 0x02, 0x0101_0000),
        (NONE, 1, NONE, 0x04, 1.5f32.to_bits()),
        (NONE, 1, NONE, 0x1c, 0xFF00_FF00),
        (NONE, 1, NONE, 0x05, 0x0000_1001),
    ];
    let doc = decode(&file(&[pool, start_element(0, &attrs), end_element(0)])).unwrap();
    let v: Vec<&Value> = doc.root.attributes.iter().map(|a| &a.value).collect();
    assert_eq!(v[0], &Value::Int(-5));
    assert_eq!(v[1], &Value::Int(255));
    assert_eq!(v[2], &Value::Bool(true));
    assert_eq!(v[3], &Value::Reference(0x7F04_0001));
    assert_eq!(v[4], &Value::Attribute(0x0101_0000));
    assert_eq!(v[5], &Value::Float(1.5));
    assert_eq!(v[6].to_string(), "#FF00FF00");
    assert_eq!(v[7].to_string(), "16dip");
    assert_eq!(v[3].to_string(), "@7F040001");
    assert_eq!(v[4].to_string(), "?android:01010000");
}

#[test]
fn garbage_and_truncations_never_panic() {
    let base = obfuscated_manifest();
    for cut in 0..base.len() {
        let _ = decode(&base[..cut]);
    }
    // Flip every byte once.
    for i in 0..base.len() {
        let mut f = base.clone();
        f[i] ^= 0xFF;
        if let Ok(doc) = decode(&f) {
            let _ = Manifest::from_element(&doc.root);
        }
    }
    assert_eq!(decode(b"<manifest/>").unwrap_err(), AxmlError::TextXml);
    assert!(decode(&[3, 0]).is_err());
}

// ---- resources.arsc ----

/// A one-package table with a string type whose entries are references:
/// entry 0 -> string "hello", entry 1 -> @entry 2, entry 2 -> @entry 1 (loop),
/// entry 3 -> @entry 0 (chain).
fn arsc(entry_count_override: Option<u32>) -> Vec<u8> {
    let values = string_pool(&["hello"]);
    let types = string_pool(&["string"]);
    let keys = string_pool(&["a", "b", "c", "d"]);
    // type chunk
    let entries: [(u32, u8, u32); 4] = [
        (0, 0x03, 0),
        (1, 0x01, 0x7f01_0002),
        (2, 0x01, 0x7f01_0001),
        (3, 0x01, 0x7f01_0000),
    ];
    let mut body = Vec::new();
    let mut offs = Vec::new();
    for (key, t, d) in entries {
        offs.push(body.len() as u32);
        u16le(&mut body, 8);
        u16le(&mut body, 0);
        u32le(&mut body, key);
        u16le(&mut body, 8);
        body.push(0);
        body.push(t);
        u32le(&mut body, d);
    }
    let header = 20 + 64u32; // 20 + config(64)
    let entries_start = header + 4 * 4;
    let mut ty = Vec::new();
    u16le(&mut ty, 0x0201);
    u16le(&mut ty, header as u16);
    u32le(&mut ty, entries_start + body.len() as u32);
    ty.push(1);
    ty.push(0);
    u16le(&mut ty, 0);
    u32le(&mut ty, entry_count_override.unwrap_or(4));
    u32le(&mut ty, entries_start);
    u32le(&mut ty, 64);
    ty.extend([0u8; 60]);
    for o in offs {
        u32le(&mut ty, o);
    }
    ty.extend(body);
    // package
    let mut pkg = Vec::new();
    let pkg_header = 288u32;
    u16le(&mut pkg, 0x0200);
    u16le(&mut pkg, pkg_header as u16);
    u32le(
        &mut pkg,
        pkg_header + (types.len() + keys.len() + ty.len()) as u32,
    );
    u32le(&mut pkg, 0x7f);
    let mut name = [0u8; 256];
    for (i, u) in "com.t".encode_utf16().enumerate() {
        name[i * 2..i * 2 + 2].copy_from_slice(&u.to_le_bytes());
    }
    pkg.extend(name);
    u32le(&mut pkg, pkg_header);
    u32le(&mut pkg, 0);
    u32le(&mut pkg, pkg_header + types.len() as u32);
    u32le(&mut pkg, 0);
    u32le(&mut pkg, 0);
    pkg.extend(types);
    pkg.extend(keys);
    pkg.extend(ty);
    let mut t = Vec::new();
    u16le(&mut t, 0x0002);
    u16le(&mut t, 12);
    u32le(&mut t, (12 + values.len() + pkg.len()) as u32);
    u32le(&mut t, 1);
    t.extend(values);
    t.extend(pkg);
    t
}

#[test]
fn arsc_reference_loops_and_chains() {
    let data = arsc(None);
    let t = ResourceTable::parse(&data).unwrap();
    assert!(t.warnings().is_empty(), "{:?}", t.warnings());
    assert_eq!(t.packages(), vec![(0x7f, "com.t".to_string())]);
    assert_eq!(t.resolve_string(0x7f01_0000).as_deref(), Some("hello"));
    assert_eq!(t.resolve_string(0x7f01_0003).as_deref(), Some("hello"));
    assert_eq!(
        assert_fast(Duration::from_millis(100), || t.resolve(0x7f01_0001)),
        None
    );
    assert_eq!(t.entry_name(0x7f01_0002).as_deref(), Some("string/c"));
    assert_eq!(t.find_id("string", "d"), Some(0x7f01_0003));
    assert_eq!(t.resolve_string(0x7f02_0000), None);
    assert_eq!(t.resolve_string(0x0101_0000), None);
}

#[test]
fn arsc_huge_entry_count_is_capped() {
    let data = arsc(Some(u32::MAX));
    let t = ResourceTable::parse(&data).unwrap();
    assert!(t.warnings().iter().any(|w| matches!(
        w,
        leakscope_axml::ArscWarning::EntryCountCapped {
            declared: u32::MAX,
            ..
        }
    )));
    for e in [0u32, 3, 4, 0xFFFF] {
        let _ = assert_fast(Duration::from_millis(100), || {
            t.resolve_string(0x7f01_0000 | e)
        });
    }
    assert_eq!(t.resolve_string(0x7f01_0000).as_deref(), Some("hello"));
    assert_fast(Duration::from_secs(2), || t.find_id("string", "nope"));
}

#[test]
fn arsc_garbage_never_panics() {
    let base = arsc(None);
    for cut in 0..base.len() {
        if let Ok(t) = ResourceTable::parse(&base[..cut]) {
            let _ = t.resolve_string(0x7f01_0003);
        }
    }
    for i in 0..base.len() {
        let mut f = base.clone();
        f[i] ^= 0xA5;
        if let Ok(t) = ResourceTable::parse(&f) {
            for id in [
                0x7f01_0000,
                0x7f01_0001,
                0x7f01_0003,
                0x7f00_0000,
                0x0001_0000,
            ] {
                let _ = t.resolve(id);
                let _ = t.entry_name(id);
            }
        }
    }
    assert!(matches!(
        ResourceTable::parse(b"\x03\x00\x08\x00\x08\x00\x00\x00"),
        Err(leakscope_axml::ArscError::NotArsc(3))
    ));
    assert!(ResourceTable::parse(b"").is_err());
}

#[test]
fn decoy_attributes_lose_to_resource_ids_and_package_is_found_by_string() {
    // 0 "package" (mapped to android:name's id: a decoy resource id), 1 "name"
    // (-> 0x01010003), 2 "name" again (no id: decoy in the android
    // namespace), 3 manifest, 4 com.evil, 5 application, 6 activity,
    // 7 .Real, 8 .Fake, 9 android ns.
    let pool = string_pool(&[
        "package",
        "name",
        "name",
        "manifest",
        "com.evil",
        "application",
        "activity",
        ".Real",
        ".Fake",
        "http://schemas.android.com/apk/res/android",
    ]);
    let map = resource_map(&[0x0101_0003, 0x0101_0003]);
    let f = file(&[
        pool,
        map,
        start_element(3, &[(NONE, 0, 4, 0x03, 4)]),
        start_element(5, &[]),
        start_element(6, &[(9, 2, 8, 0x03, 8), (9, 1, 7, 0x03, 7)]),
        end_element(6),
        end_element(5),
        end_element(3),
    ]);
    let doc = decode(&f).unwrap();
    let pkg_attr = &doc.root.attributes[0];
    assert_eq!(pkg_attr.name, "name");
    assert_eq!(pkg_attr.raw_name.as_deref(), Some("package"));
    let (m, _) = Manifest::from_element(&doc.root);
    assert_eq!(m.package.as_deref(), Some("com.evil"));
    assert_eq!(m.activities[0].name.as_deref(), Some("com.evil.Real"));
}

#[test]
fn utf8_pools_and_long_lengths() {
    // UTF-8 pool with the two-byte length form (string of 200 chars) and a
    // multi-byte character.
    let s200 = "é".repeat(100) + &"a".repeat(100);
    let strings = ["manifest", "package", s200.as_str()];
    let mut data = Vec::new();
    let mut offsets = Vec::new();
    for s in strings {
        offsets.push(data.len() as u32);
        let n16 = s.encode_utf16().count();
        let n8 = s.len();
        for n in [n16, n8] {
            if n > 0x7f {
                data.push(0x80 | (n >> 8) as u8);
                data.push((n & 0xff) as u8);
            } else {
                data.push(n as u8);
            }
        }
        data.extend_from_slice(s.as_bytes());
        data.push(0);
    }
    while data.len() % 4 != 0 {
        data.push(0);
    }
    let strings_start = 28 + 4 * strings.len() as u32;
    let mut pool = Vec::new();
    u16le(&mut pool, 1);
    u16le(&mut pool, 28);
    u32le(&mut pool, strings_start + data.len() as u32);
    u32le(&mut pool, strings.len() as u32);
    u32le(&mut pool, 0);
    u32le(&mut pool, 1 << 8);
    u32le(&mut pool, strings_start);
    u32le(&mut pool, 0);
    for o in offsets {
        u32le(&mut pool, o);
    }
    pool.extend(data);
    let f = file(&[
        pool,
        start_element(0, &[(NONE, 1, 2, 0x03, 2)]),
        end_element(0),
    ]);
    let doc = decode(&f).unwrap();
    let (m, _) = Manifest::from_element(&doc.root);
    assert_eq!(m.package.as_deref(), Some(s200.as_str()));
}
