//! Test-only ZIP writer that can produce every anomaly the reader handles,
//! plus the catalogue of crafted hostile archives shared by the tests.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::vec_init_then_push
)]

use std::io::Write;

/// Raw deflate of `data`.
pub fn deflate(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// CRC-32 of `data`.
pub fn crc(data: &[u8]) -> u32 {
    let mut c = flate2::Crc::new();
    c.update(data);
    c.sum()
}

/// One entry to write; every field the reader looks at can be overridden.
#[derive(Clone, Default)]
pub struct E {
    pub name: Vec<u8>,
    /// Uncompressed content.
    pub data: Vec<u8>,
    /// Method written in the central directory.
    pub method: u16,
    /// Method written in the local header (default: `method`).
    pub local_method: Option<u16>,
    /// Bytes written as the entry's data (default: `data`, deflated when
    /// `method == 8`).
    pub raw: Option<Vec<u8>>,
    pub flags: u16,
    pub local_flags: Option<u16>,
    pub crc: Option<u32>,
    pub local_crc: Option<u32>,
    pub csize: Option<u64>,
    pub usize: Option<u64>,
    pub local_csize: Option<u32>,
    pub local_usize: Option<u32>,
    pub local_name: Option<Vec<u8>>,
    pub local_sig: Option<[u8; 4]>,
    /// Write a data descriptor (flag bit 3, zeros in the local header).
    pub descriptor: bool,
    /// Data descriptor CRC override.
    pub descriptor_crc: Option<u32>,
    /// Do not write a local header or data; point the central record at the
    /// local header of entry `local_of` instead.
    pub local_of: Option<usize>,
}

impl E {
    pub fn stored(name: &str, data: &[u8]) -> E {
        E {
            name: name.as_bytes().to_vec(),
            data: data.to_vec(),
            method: 0,
            ..E::default()
        }
    }
    pub fn deflated(name: &str, data: &[u8]) -> E {
        E {
            method: 8,
            ..E::stored(name, data)
        }
    }
}

/// A whole archive to write.
#[derive(Clone, Default)]
pub struct Z {
    pub entries: Vec<E>,
    pub comment: Vec<u8>,
    pub comment_len: Option<u16>,
    pub count: Option<u16>,
    pub count_on_disk: Option<u16>,
    pub cd_offset: Option<u32>,
    pub cd_size: Option<u32>,
    pub disk: u16,
    pub zip64: bool,
    /// Bytes prepended without adjusting any offset.
    pub prefix: Vec<u8>,
    /// Bytes appended after the comment.
    pub suffix: Vec<u8>,
}

fn p16(v: &mut Vec<u8>, x: u16) {
    v.extend_from_slice(&x.to_le_bytes());
}
fn p32(v: &mut Vec<u8>, x: u32) {
    v.extend_from_slice(&x.to_le_bytes());
}
fn p64(v: &mut Vec<u8>, x: u64) {
    v.extend_from_slice(&x.to_le_bytes());
}

impl Z {
    pub fn new(entries: Vec<E>) -> Z {
        Z {
            entries,
            ..Z::default()
        }
    }

    pub fn build(&self) -> Vec<u8> {
        let mut out = Vec::new();
        let mut offsets: Vec<u64> = Vec::new();
        let mut info: Vec<(u32, u64, u64)> = Vec::new(); // crc, csize, usize
        for e in &self.entries {
            let raw = e.raw.clone().unwrap_or_else(|| {
                if e.method == 8 {
                    deflate(&e.data)
                } else {
                    e.data.clone()
                }
            });
            let crc_v = crc(&e.data);
            let csize = raw.len() as u64;
            let usize_v = e.data.len() as u64;
            info.push((
                e.crc.unwrap_or(crc_v),
                e.csize.unwrap_or(csize),
                e.usize.unwrap_or(usize_v),
            ));
            if let Some(of) = e.local_of {
                offsets.push(offsets[of]);
                continue;
            }
            offsets.push(out.len() as u64);
            let flags = e
                .local_flags
                .unwrap_or(e.flags | if e.descriptor { 8 } else { 0 });
            out.extend_from_slice(&e.local_sig.unwrap_or(*b"PK\x03\x04"));
            p16(&mut out, if self.zip64 { 45 } else { 20 });
            p16(&mut out, flags);
            p16(&mut out, e.local_method.unwrap_or(e.method));
            p16(&mut out, 0);
            p16(&mut out, 0x21);
            let (lc, lcs, lus) = if e.descriptor {
                (0, 0, 0)
            } else if self.zip64 {
                (crc_v, u32::MAX, u32::MAX)
            } else {
                (crc_v, csize as u32, usize_v as u32)
            };
            p32(&mut out, e.local_crc.unwrap_or(lc));
            p32(&mut out, e.local_csize.unwrap_or(lcs));
            p32(&mut out, e.local_usize.unwrap_or(lus));
            let lname = e.local_name.clone().unwrap_or_else(|| e.name.clone());
            p16(&mut out, lname.len() as u16);
            let mut lextra = Vec::new();
            if self.zip64 && !e.descriptor {
                p16(&mut lextra, 1);
                p16(&mut lextra, 16);
                p64(&mut lextra, usize_v);
                p64(&mut lextra, csize);
            }
            p16(&mut out, lextra.len() as u16);
            out.extend_from_slice(&lname);
            out.extend_from_slice(&lextra);
            out.extend_from_slice(&raw);
            if e.descriptor {
                p32(&mut out, 0x0807_4b50);
                p32(&mut out, e.descriptor_crc.unwrap_or(crc_v));
                if self.zip64 {
                    p64(&mut out, csize);
                    p64(&mut out, usize_v);
                } else {
                    p32(&mut out, csize as u32);
                    p32(&mut out, usize_v as u32);
                }
            }
        }
        let cd_start = out.len() as u64;
        for (i, e) in self.entries.iter().enumerate() {
            let (crc_v, csize, usize_v) = info[i];
            out.extend_from_slice(b"PK\x01\x02");
            p16(&mut out, 0x0314);
            p16(&mut out, if self.zip64 { 45 } else { 20 });
            p16(&mut out, e.flags | if e.descriptor { 8 } else { 0 });
            p16(&mut out, e.method);
            p16(&mut out, 0);
            p16(&mut out, 0x21);
            p32(&mut out, crc_v);
            let mut extra = Vec::new();
            if self.zip64 {
                p32(&mut out, u32::MAX);
                p32(&mut out, u32::MAX);
                p16(&mut extra, 1);
                p16(&mut extra, 24);
                p64(&mut extra, usize_v);
                p64(&mut extra, csize);
                p64(&mut extra, offsets[i]);
            } else {
                p32(&mut out, csize as u32);
                p32(&mut out, usize_v as u32);
            }
            p16(&mut out, e.name.len() as u16);
            p16(&mut out, extra.len() as u16);
            p16(&mut out, 0);
            p16(&mut out, 0);
            p16(&mut out, 0);
            p32(&mut out, 0o100644 << 16);
            p32(
                &mut out,
                if self.zip64 {
                    u32::MAX
                } else {
                    offsets[i] as u32
                },
            );
            out.extend_from_slice(&e.name);
            out.extend_from_slice(&extra);
        }
        let cd_size = out.len() as u64 - cd_start;
        let n = self.entries.len() as u64;
        if self.zip64 {
            let rec = out.len() as u64;
            p32(&mut out, 0x0606_4b50);
            p64(&mut out, 44);
            p16(&mut out, 45);
            p16(&mut out, 45);
            p32(&mut out, 0);
            p32(&mut out, 0);
            p64(&mut out, n);
            p64(&mut out, n);
            p64(&mut out, cd_size);
            p64(&mut out, cd_start);
            p32(&mut out, 0x0706_4b50);
            p32(&mut out, 0);
            p64(&mut out, rec);
            p32(&mut out, 1);
        }
        out.extend_from_slice(b"PK\x05\x06");
        p16(&mut out, self.disk);
        p16(&mut out, self.disk);
        let (c16, s32, o32) = if self.zip64 {
            (u16::MAX, u32::MAX, u32::MAX)
        } else {
            (n as u16, cd_size as u32, cd_start as u32)
        };
        p16(&mut out, self.count_on_disk.or(self.count).unwrap_or(c16));
        p16(&mut out, self.count.unwrap_or(c16));
        p32(&mut out, self.cd_size.unwrap_or(s32));
        p32(&mut out, self.cd_offset.unwrap_or(o32));
        p16(
            &mut out,
            self.comment_len.unwrap_or(self.comment.len() as u16),
        );
        out.extend_from_slice(&self.comment);
        out.extend_from_slice(&self.suffix);
        let mut all = self.prefix.clone();
        all.extend_from_slice(&out);
        all
    }
}

/// A small valid two-entry archive used as the base of many cases.
pub fn basic() -> Vec<E> {
    vec![
        E::deflated("AndroidManifest.xml", &b"<manifest/>".repeat(50)),
        E::stored("classes.dex", b"dex\n035\0 stored payload"),
    ]
}

/// Every crafted case: (name, archive bytes). Shared by the behaviour tests
/// and the libziparchive oracle test.
pub fn cases() -> Vec<(&'static str, Vec<u8>)> {
    let mut v: Vec<(&'static str, Vec<u8>)> = Vec::new();
    v.push(("clean", Z::new(basic()).build()));
    v.push((
        "eocd_count_ffff",
        Z {
            count: Some(0xFFFF),
            ..Z::new(basic())
        }
        .build(),
    ));
    v.push((
        "eocd_count_low",
        Z {
            count: Some(1),
            ..Z::new(basic())
        }
        .build(),
    ));
    v.push((
        "multi_disk",
        Z {
            disk: 1,
            ..Z::new(basic())
        }
        .build(),
    ));
    v.push((
        "cd_offset_past_eof",
        Z {
            cd_offset: Some(0x0FFF_FFF0),
            ..Z::new(basic())
        }
        .build(),
    ));
    v.push((
        "huge_comment",
        Z {
            comment: vec![b'c'; 65535],
            ..Z::new(basic())
        }
        .build(),
    ));
    // A fake EOCD in the comment whose own comment length reaches the end of
    // the file exactly, but whose central directory offset is garbage.
    let mut fake = b"comment PK\x05\x06".to_vec();
    fake.extend_from_slice(&[0, 0, 0, 0, 1, 0, 1, 0, 46, 0, 0, 0, 0x78, 0x56, 0x34, 0x12]);
    fake.extend_from_slice(&4u16.to_le_bytes());
    fake.extend_from_slice(b"tail");
    v.push((
        "fake_eocd_in_comment",
        Z {
            comment: fake,
            ..Z::new(basic())
        }
        .build(),
    ));
    v.push(("fake_eocd_wins", fake_eocd_wins()));
    v.push((
        "trailing_garbage",
        Z {
            suffix: b"garbage".to_vec(),
            ..Z::new(basic())
        }
        .build(),
    ));
    v.push((
        "comment_len_past_eof",
        Z {
            comment: b"abc".to_vec(),
            comment_len: Some(200),
            ..Z::new(basic())
        }
        .build(),
    ));
    let mut dup = basic();
    dup.push(E::stored("classes.dex", b"second copy"));
    v.push(("duplicate_name", Z::new(dup).build()));
    let mut unk = basic();
    unk.push(E {
        method: 99,
        ..E::stored("assets/unknown.bin", b"stored bytes, unknown method")
    });
    v.push(("unknown_method", Z::new(unk).build()));
    let mut badpack = basic();
    badpack[1].local_method = Some(8);
    v.push(("badpack_local_method", Z::new(badpack).build()));
    let mut lname = basic();
    lname[1].local_name = Some(b"classes.dey".to_vec());
    v.push(("local_name_mismatch", Z::new(lname).build()));
    let mut lsig = basic();
    lsig[1].local_sig = Some(*b"PK\x03\x09");
    v.push(("local_bad_signature", Z::new(lsig).build()));
    let mut lcrc = basic();
    lcrc[0].local_crc = Some(0x1234_5678);
    v.push(("local_crc_mismatch", Z::new(lcrc).build()));
    let mut lsize = basic();
    lsize[0].local_usize = Some(7);
    v.push(("local_size_mismatch", Z::new(lsize).build()));
    let mut badcrc = basic();
    badcrc[0].crc = Some(0xDEAD_BEEF);
    badcrc[0].local_crc = Some(0xDEAD_BEEF);
    v.push(("crc_wrong_everywhere", Z::new(badcrc).build()));
    let mut enc = basic();
    enc[0].flags = 1;
    v.push(("encrypted_flag", Z::new(enc).build()));
    let mut dd = basic();
    dd[0].descriptor = true;
    dd[1].descriptor = true;
    v.push(("data_descriptor", Z::new(dd).build()));
    let mut ddbad = basic();
    ddbad[0].descriptor = true;
    ddbad[0].descriptor_crc = Some(1);
    v.push(("data_descriptor_mismatch", Z::new(ddbad).build()));
    v.push((
        "zip64",
        Z {
            zip64: true,
            ..Z::new(basic())
        }
        .build(),
    ));
    let mut z64dd = basic();
    z64dd[0].descriptor = true;
    v.push((
        "zip64_data_descriptor",
        Z {
            zip64: true,
            ..Z::new(z64dd)
        }
        .build(),
    ));
    v.push((
        "junk_prepended",
        Z {
            prefix: vec![0xAB; 1024],
            ..Z::new(basic())
        }
        .build(),
    ));
    let mut names = basic();
    for n in ["../../evil.so", "/abs/path", "dir\\file", "cr\rname"] {
        names.push(E::stored(n, b"x"));
    }
    v.push(("odd_names", Z::new(names).build()));
    let mut nul = basic();
    nul.push(E::stored("nul\0name", b"x"));
    v.push(("nul_name", Z::new(nul).build()));
    let mut stored_sizes = basic();
    stored_sizes[1].csize = Some(5);
    v.push(("stored_size_mismatch", Z::new(stored_sizes).build()));
    let mut overlap = vec![E::deflated("payload", &vec![0u8; 1 << 20])];
    for _ in 0..8 {
        overlap.push(E {
            local_of: Some(0),
            ..E::deflated("payload", &vec![0u8; 1 << 20])
        });
    }
    v.push(("overlapping_entries", Z::new(overlap).build()));
    v
}

/// An archive whose comment holds a second, complete archive (local header,
/// central directory, EOCD) naming the same file with other content. The
/// inner EOCD is nearest the end, so Android uses it.
pub fn fake_eocd_wins() -> Vec<u8> {
    let base_len = Z::new(vec![E::stored("classes.dex", b"benign")])
        .build()
        .len() as u32;
    let mut inner = Z::new(vec![E::stored("classes.dex", b"evil!!")]).build();
    let cd = inner.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
    let lo = u32::from_le_bytes(inner[cd + 42..cd + 46].try_into().unwrap()) + base_len;
    inner[cd + 42..cd + 46].copy_from_slice(&lo.to_le_bytes());
    let e = inner.len() - 22;
    let co = u32::from_le_bytes(inner[e + 16..e + 20].try_into().unwrap()) + base_len;
    inner[e + 16..e + 20].copy_from_slice(&co.to_le_bytes());
    Z {
        comment: inner,
        ..Z::new(vec![E::stored("classes.dex", b"benign")])
    }
    .build()
}
