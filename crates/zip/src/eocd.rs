//! Locating the end-of-central-directory record (plain and zip64) and the
//! central directory it points at.

use leakscope_bytes::Bytes;

use crate::error::ZipError;
use crate::limits::Limits;
use crate::sink::Sink;
use crate::warning::ZipWarning;

/// Signature of the end-of-central-directory record.
pub(crate) const EOCD_SIG: &[u8; 4] = b"PK\x05\x06";
/// Signature of a central-directory record.
pub(crate) const CD_SIG: &[u8; 4] = b"PK\x01\x02";
const ZIP64_LOCATOR_SIG: u32 = 0x0706_4b50;
const ZIP64_EOCD_SIG: u32 = 0x0606_4b50;
/// Size of the fixed part of the EOCD record.
pub(crate) const EOCD_LEN: usize = 22;
const ZIP64_LOCATOR_LEN: usize = 20;
const ZIP64_EOCD_LEN: usize = 56;

/// Where the central directory is and what the EOCD says about it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct CdLocation {
    /// Offset of the EOCD record used.
    pub eocd_offset: usize,
    /// Actual start of the central directory.
    pub cd_start: usize,
    /// The central directory cannot extend past this offset (the zip64
    /// record, or the EOCD).
    pub cd_limit: usize,
    /// Declared central-directory size.
    pub declared_size: u64,
    /// Declared total entry count.
    pub declared_count: u64,
    /// Declared entry count on this disk.
    pub declared_on_disk: u64,
    /// Actual minus declared central-directory offset; local header offsets
    /// are shifted by it (prepended data).
    pub shift: i64,
    /// Declared central-directory offset.
    pub declared_offset: u64,
}

/// Fields of an EOCD record (already widened by zip64 when used).
struct EocdFields {
    disk: u32,
    cd_disk: u32,
    on_disk: u64,
    count: u64,
    cd_size: u64,
    cd_offset: u64,
    comment_len: u16,
    /// Offset of the zip64 EOCD record when zip64 values are used.
    zip64_record: Option<usize>,
}

fn has_sig(data: &[u8], offset: usize, sig: &[u8; 4]) -> bool {
    offset
        .checked_add(4)
        .and_then(|end| data.get(offset..end))
        .is_some_and(|s| s == sig)
}

fn read_eocd(data: &[u8], pos: usize, sink: &mut Sink) -> Option<EocdFields> {
    let b = Bytes::new(data);
    let disk = b.u16(pos + 4, "eocd").ok()?;
    let cd_disk = b.u16(pos + 6, "eocd").ok()?;
    let on_disk = b.u16(pos + 8, "eocd").ok()?;
    let count = b.u16(pos + 10, "eocd").ok()?;
    let cd_size = b.u32(pos + 12, "eocd").ok()?;
    let cd_offset = b.u32(pos + 16, "eocd").ok()?;
    let comment_len = b.u16(pos + 20, "eocd").ok()?;
    let mut f = EocdFields {
        disk: disk.into(),
        cd_disk: cd_disk.into(),
        on_disk: on_disk.into(),
        count: count.into(),
        cd_size: cd_size.into(),
        cd_offset: cd_offset.into(),
        comment_len,
        zip64_record: None,
    };
    let saturated = disk == u16::MAX
        || cd_disk == u16::MAX
        || on_disk == u16::MAX
        || count == u16::MAX
        || cd_size == u32::MAX
        || cd_offset == u32::MAX;
    let Some(loc) = pos.checked_sub(ZIP64_LOCATOR_LEN) else {
        return Some(f);
    };
    if b.u32(loc, "zip64 locator").ok() != Some(ZIP64_LOCATOR_SIG) {
        if cd_size == u32::MAX || cd_offset == u32::MAX {
            sink.push(ZipWarning::Zip64Invalid {
                reason: "EOCD fields are 0xFFFFFFFF but there is no zip64 locator",
            });
        }
        return Some(f);
    }
    if !saturated {
        // Android (and the spec) consult zip64 only when a 32-bit field is
        // saturated.
        return Some(f);
    }
    let declared = b
        .u64(loc + 8, "zip64 locator")
        .ok()
        .and_then(|v| usize::try_from(v).ok());
    // The record normally sits right before the locator; when data was
    // prepended the declared offset is off by the same amount.
    let implied = loc.checked_sub(ZIP64_EOCD_LEN);
    let record = [declared, implied]
        .into_iter()
        .flatten()
        .find(|&r| b.u32(r, "zip64 eocd").ok() == Some(ZIP64_EOCD_SIG) && r < loc);
    let Some(r) = record else {
        sink.push(ZipWarning::Zip64Invalid {
            reason: "the zip64 locator does not point at a zip64 EOCD record",
        });
        return Some(f);
    };
    let read = || -> Result<(u32, u32, u64, u64, u64, u64), leakscope_bytes::Error> {
        Ok((
            b.u32(r + 16, "zip64 eocd")?,
            b.u32(r + 20, "zip64 eocd")?,
            b.u64(r + 24, "zip64 eocd")?,
            b.u64(r + 32, "zip64 eocd")?,
            b.u64(r + 40, "zip64 eocd")?,
            b.u64(r + 48, "zip64 eocd")?,
        ))
    };
    match read() {
        Ok((d, cdd, od, c, s, o)) => {
            f.disk = d;
            f.cd_disk = cdd;
            f.on_disk = od;
            f.count = c;
            f.cd_size = s;
            f.cd_offset = o;
            f.zip64_record = Some(r);
        }
        Err(_) => sink.push(ZipWarning::Zip64Invalid {
            reason: "the zip64 EOCD record is truncated",
        }),
    }
    Some(f)
}

/// Resolves the central directory from one EOCD candidate.
fn resolve(data: &[u8], pos: usize, f: &EocdFields) -> Result<CdLocation, &'static str> {
    let cd_limit = f.zip64_record.unwrap_or(pos);
    let mut loc = CdLocation {
        eocd_offset: pos,
        cd_start: 0,
        cd_limit,
        declared_size: f.cd_size,
        declared_count: f.count,
        declared_on_disk: f.on_disk,
        shift: 0,
        declared_offset: f.cd_offset,
    };
    // 1. The declared offset holds a central-directory record.
    if let Ok(off) = usize::try_from(f.cd_offset)
        && off < cd_limit
        && has_sig(data, off, CD_SIG)
    {
        loc.cd_start = off;
        return Ok(loc);
    }
    // 2. The central directory ends right before the EOCD (prepended data or
    //    a lying offset).
    if let Some(implied) = usize::try_from(f.cd_size)
        .ok()
        .and_then(|s| cd_limit.checked_sub(s))
        && has_sig(data, implied, CD_SIG)
    {
        loc.cd_start = implied;
        let implied_i = i64::try_from(implied).unwrap_or(i64::MAX);
        let declared_i = i64::try_from(f.cd_offset).unwrap_or(i64::MAX);
        loc.shift = implied_i.saturating_sub(declared_i);
        return Ok(loc);
    }
    // 3. An empty archive.
    if f.count == 0 && f.on_disk == 0 && f.cd_size == 0 {
        loc.cd_start = cd_limit;
        return Ok(loc);
    }
    if usize::try_from(f.cd_offset).map_or(true, |o| o >= data.len()) {
        Err("central directory offset past the end of the file")
    } else {
        Err("no central directory record at the declared offset")
    }
}

/// Finds the EOCD nearest the end of `data` that leads to a central
/// directory, warning about anything Android would reject.
pub(crate) fn locate(
    data: &[u8],
    limits: &Limits,
    sink: &mut Sink,
) -> Result<CdLocation, ZipError> {
    if data.len() < EOCD_LEN {
        return Err(ZipError::TooShort { len: data.len() });
    }
    let last = data.len() - EOCD_LEN;
    let window_start = last.saturating_sub(limits.max_comment_size.min(0xFFFF));
    let window = data.get(window_start..).unwrap_or_default();
    let mut first_failure: Option<(usize, &'static str)> = None;
    let mut skipped: Vec<usize> = Vec::new();
    let mut candidates = memchr::memmem::rfind_iter(window, EOCD_SIG);
    while let Some(rel) = candidates.next() {
        let pos = window_start + rel;
        if pos > last {
            continue;
        }
        // Warnings from candidates that end up unused are discarded.
        let mut local = Sink::new(sink.max);
        let Some(fields) = read_eocd(data, pos, &mut local) else {
            continue;
        };
        match resolve(data, pos, &fields) {
            Ok(loc) => {
                for s in skipped {
                    sink.push(ZipWarning::EocdCandidateSkipped { offset: s as u64 });
                }
                for w in local.list {
                    sink.push(w);
                }
                let after = data.len().saturating_sub(pos + EOCD_LEN) as u64;
                if after != u64::from(fields.comment_len) {
                    sink.push(ZipWarning::CommentLengthMismatch {
                        eocd_offset: pos as u64,
                        declared: fields.comment_len,
                        actual: after,
                    });
                }
                if fields.disk != 0 || fields.cd_disk != 0 {
                    sink.push(ZipWarning::MultiDisk {
                        disk: fields.disk,
                        cd_disk: fields.cd_disk,
                    });
                }
                if loc.shift != 0 {
                    sink.push(ZipWarning::CentralDirectoryOffsetMismatch {
                        declared: fields.cd_offset,
                        actual: loc.cd_start as u64,
                    });
                }
                // An earlier, complete EOCD whose comment swallows the one
                // used: the comment hides a second central directory.
                let shadow = candidates.find(|&r| {
                    let q = window_start + r;
                    let mut scratch = Sink::new(0);
                    read_eocd(data, q, &mut scratch).is_some_and(|f| {
                        q + EOCD_LEN + usize::from(f.comment_len) == data.len()
                            && resolve(data, q, &f).is_ok()
                    })
                });
                if let Some(r) = shadow {
                    sink.push(ZipWarning::ShadowedEocd {
                        offset: (window_start + r) as u64,
                        used: pos as u64,
                    });
                }
                return Ok(loc);
            }
            Err(reason) => {
                if first_failure.is_none() {
                    first_failure = Some((pos, reason));
                }
                if skipped.len() < 64 {
                    skipped.push(pos);
                }
            }
        }
    }
    match first_failure {
        Some((pos, reason)) => Err(ZipError::NoCentralDirectory {
            eocd_offset: pos as u64,
            reason,
        }),
        None => Err(ZipError::NoEndOfCentralDirectory {
            searched: data.len() - window_start,
        }),
    }
}
