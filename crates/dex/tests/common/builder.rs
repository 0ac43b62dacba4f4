//! A tiny DEX writer for crafted tests: one class with one static method
//! whose code has a try block with a typed handler and a catch-all.
//!
//! It writes the layout `dx`/`d8` use (header, id tables, then data) so that
//! tests can patch individual fields and build 041 containers.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

/// Header field offsets, for patching.
pub mod field {
    pub const CHECKSUM: usize = 8;
    pub const FILE_SIZE: usize = 32;
    pub const HEADER_SIZE: usize = 36;
    pub const MAP_OFF: usize = 52;
    pub const STRING_IDS_SIZE: usize = 56;
    pub const STRING_IDS_OFF: usize = 60;
    pub const TYPE_IDS_SIZE: usize = 64;
    pub const METHOD_IDS_SIZE: usize = 88;
    pub const CLASS_DEFS_SIZE: usize = 96;
    pub const CLASS_DEFS_OFF: usize = 100;
    pub const CONTAINER_SIZE: usize = 112;
    pub const HEADER_OFFSET: usize = 116;
}

/// What to build.
pub struct Spec<'s> {
    /// Version digits, e.g. `b"035"`.
    pub version: &'s [u8; 3],
    /// 0x70, or 0x78 for 041.
    pub header_size: u32,
    /// Where the image will sit in its container (offsets are container-relative
    /// for 041; use 0 for older versions).
    pub base: usize,
    /// Class descriptor, e.g. `"La/A;"`.
    pub class: &'s str,
    /// Method name.
    pub method: &'s str,
}

/// Positions (relative to the image start) of interesting items.
#[derive(Debug, Default, Clone, Copy)]
pub struct Layout {
    pub class_data: usize,
    pub code: usize,
    pub handlers: usize,
    pub map: usize,
    pub string_data: usize,
}

pub fn put_u16(v: &mut Vec<u8>, x: u16) {
    v.extend_from_slice(&x.to_le_bytes());
}

pub fn put_u32(v: &mut Vec<u8>, x: u32) {
    v.extend_from_slice(&x.to_le_bytes());
}

pub fn set_u32(v: &mut [u8], at: usize, x: u32) {
    v[at..at + 4].copy_from_slice(&x.to_le_bytes());
}

pub fn get_u32(v: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([v[at], v[at + 1], v[at + 2], v[at + 3]])
}

pub fn put_uleb(v: &mut Vec<u8>, mut x: u32) {
    loop {
        let b = (x & 0x7f) as u8;
        x >>= 7;
        if x == 0 {
            v.push(b);
            return;
        }
        v.push(b | 0x80);
    }
}

pub fn put_sleb(v: &mut Vec<u8>, mut x: i32) {
    loop {
        let b = (x & 0x7f) as u8;
        x >>= 7;
        if (x == 0 && b & 0x40 == 0) || (x == -1 && b & 0x40 != 0) {
            v.push(b);
            return;
        }
        v.push(b | 0x80);
    }
}

fn align4(v: &mut Vec<u8>) {
    while !v.len().is_multiple_of(4) {
        v.push(0);
    }
}

/// Builds the image; returns its bytes (with `file_size` and checksum set)
/// and the layout.
pub fn build(spec: &Spec<'_>) -> (Vec<u8>, Layout) {
    let base = spec.base as u32;
    let mut strings = vec![
        spec.class,
        "Ljava/lang/Exception;",
        "Ljava/lang/Object;",
        "V",
        spec.method,
    ];
    strings.sort();
    let sidx = |s: &str| strings.iter().position(|x| *x == s).unwrap() as u32;
    // Type descriptors, sorted by string index.
    let mut types = vec![
        spec.class,
        "Ljava/lang/Exception;",
        "Ljava/lang/Object;",
        "V",
    ];
    types.sort_by_key(|t| sidx(t));
    let tidx = |s: &str| types.iter().position(|x| *x == s).unwrap() as u32;

    let hs = spec.header_size as usize;
    let string_ids_off = hs;
    let type_ids_off = string_ids_off + 4 * strings.len();
    let proto_ids_off = type_ids_off + 4 * types.len();
    let method_ids_off = proto_ids_off + 12;
    let class_defs_off = method_ids_off + 8;
    let data_off = class_defs_off + 32;

    // Data section, built after the fixed part.
    let mut d: Vec<u8> = Vec::new();
    let mut layout = Layout::default();
    let at = |d: &Vec<u8>| data_off + d.len();
    layout.string_data = at(&d);
    let mut string_offs = Vec::new();
    for s in &strings {
        string_offs.push(at(&d));
        put_uleb(&mut d, s.encode_utf16().count() as u32);
        d.extend_from_slice(s.as_bytes());
        d.push(0);
    }
    align4(&mut d);
    layout.code = at(&d);
    put_u16(&mut d, 1); // registers
    put_u16(&mut d, 0); // ins
    put_u16(&mut d, 0); // outs
    put_u16(&mut d, 1); // tries
    put_u32(&mut d, 0); // debug_info_off
    put_u32(&mut d, 4); // insns_size
    for unit in [0x0000u16, 0x000e, 0x000d, 0x0027] {
        put_u16(&mut d, unit); // nop; return-void; move-exception v0; throw v0
    }
    put_u32(&mut d, 0); // try: start_addr
    put_u16(&mut d, 1); // insn_count
    put_u16(&mut d, 1); // handler_off
    layout.handlers = at(&d);
    put_uleb(&mut d, 1); // handler list size
    put_sleb(&mut d, -1); // one typed clause + catch-all
    put_uleb(&mut d, tidx("Ljava/lang/Exception;"));
    put_uleb(&mut d, 2);
    put_uleb(&mut d, 2); // catch-all addr
    layout.class_data = at(&d);
    for n in [0, 0, 1, 0] {
        put_uleb(&mut d, n);
    }
    put_uleb(&mut d, 0); // method_idx_diff
    put_uleb(&mut d, 0x9); // public static
    put_uleb(&mut d, base + layout.code as u32);
    align4(&mut d);
    layout.map = at(&d);
    let map: Vec<(u16, u32, usize)> = vec![
        (0x0000, 1, 0),
        (0x0001, strings.len() as u32, string_ids_off),
        (0x0002, types.len() as u32, type_ids_off),
        (0x0003, 1, proto_ids_off),
        (0x0005, 1, method_ids_off),
        (0x0006, 1, class_defs_off),
        (0x2002, strings.len() as u32, layout.string_data),
        (0x2001, 1, layout.code),
        (0x2000, 1, layout.class_data),
        (0x1000, 1, layout.map),
    ];
    put_u32(&mut d, map.len() as u32);
    for (ty, size, off) in map {
        put_u16(&mut d, ty);
        put_u16(&mut d, 0);
        put_u32(&mut d, size);
        put_u32(&mut d, base + off as u32);
    }

    // Fixed part.
    let mut v: Vec<u8> = Vec::new();
    v.extend_from_slice(b"dex\n");
    v.extend_from_slice(spec.version);
    v.push(0);
    put_u32(&mut v, 0); // checksum, set below
    v.extend_from_slice(&[0u8; 20]);
    let total = (data_off + d.len()) as u32;
    let b = |off: usize| base + off as u32;
    for x in [
        total,
        spec.header_size,
        0x1234_5678,
        0,
        0,
        b(layout.map),
        strings.len() as u32,
        b(string_ids_off),
        types.len() as u32,
        b(type_ids_off),
        1,
        b(proto_ids_off),
        0,
        0,
        1,
        b(method_ids_off),
        1,
        b(class_defs_off),
        d.len() as u32,
        b(data_off),
    ] {
        put_u32(&mut v, x);
    }
    while v.len() < hs {
        put_u32(&mut v, 0); // container_size, header_offset: set by the caller
    }
    for off in &string_offs {
        put_u32(&mut v, b(*off));
    }
    for t in &types {
        put_u32(&mut v, sidx(t));
    }
    put_u32(&mut v, sidx("V")); // proto: shorty
    put_u32(&mut v, tidx("V")); // return type
    put_u32(&mut v, 0); // no parameters
    put_u16(&mut v, tidx(spec.class) as u16);
    put_u16(&mut v, 0);
    put_u32(&mut v, sidx(spec.method));
    for x in [
        tidx(spec.class),
        1,
        tidx("Ljava/lang/Object;"),
        0,
        0xffff_ffff,
        0,
        b(layout.class_data),
        0,
    ] {
        put_u32(&mut v, x);
    }
    assert_eq!(v.len(), data_off);
    v.extend_from_slice(&d);
    fix_checksum(&mut v);
    (v, layout)
}

/// Recomputes the adler32 of an image (header at 0, `file_size` from the header).
pub fn fix_checksum(image: &mut [u8]) {
    let end = (get_u32(image, field::FILE_SIZE) as usize).min(image.len());
    let sum = leakscope_dex::adler32(&image[12..end]);
    set_u32(image, field::CHECKSUM, sum);
}

/// A valid 035 image of one class.
pub fn simple_dex() -> Vec<u8> {
    build(&Spec {
        version: b"035",
        header_size: 0x70,
        base: 0,
        class: "La/A;",
        method: "run",
    })
    .0
}

/// A 041 container holding one image per `(class, method)` pair.
pub fn container(classes: &[(&str, &str)]) -> Vec<u8> {
    let mut out: Vec<u8> = Vec::new();
    let mut headers = Vec::new();
    for (class, method) in classes {
        let base = out.len();
        let spec = Spec {
            version: b"041",
            header_size: 0x78,
            base,
            class,
            method,
        };
        let (img, _) = build(&spec);
        headers.push(base);
        out.extend_from_slice(&img);
        align4(&mut out);
        let size = (out.len() - base) as u32;
        set_u32(&mut out, base + field::FILE_SIZE, size);
    }
    let total = out.len() as u32;
    for &h in &headers {
        set_u32(&mut out, h + field::CONTAINER_SIZE, total);
        set_u32(&mut out, h + field::HEADER_OFFSET, h as u32);
        let end = h + get_u32(&out, h + field::FILE_SIZE) as usize;
        let sum = leakscope_dex::adler32(&out[h + 12..end]);
        set_u32(&mut out, h + field::CHECKSUM, sum);
    }
    out
}
