//! Walking the central directory into [`Entry`] values.

use leakscope_bytes::Bytes;

use crate::entry::Entry;
use crate::eocd::{CD_SIG, CdLocation};
use crate::limits::Limits;
use crate::sink::Sink;
use crate::warning::ZipWarning;

/// Size of the fixed part of a central-directory record.
const CD_RECORD_LEN: usize = 46;
/// Header ID of the zip64 extended-information extra field.
const ZIP64_EXTRA_ID: u16 = 0x0001;

/// The raw 32-bit values of one record before zip64 resolution.
struct Raw32 {
    compressed: u32,
    uncompressed: u32,
    local_offset: u32,
}

/// Replaces saturated 32-bit values by those of the zip64 extra field, in the
/// order the format defines (uncompressed, compressed, offset). Returns
/// `None` when the field is missing or too short.
fn apply_zip64(extra: &[u8], raw: &Raw32) -> Option<(u64, u64, u64)> {
    let mut uncompressed = u64::from(raw.uncompressed);
    let mut compressed = u64::from(raw.compressed);
    let mut offset = u64::from(raw.local_offset);
    let field = extra_field(extra, ZIP64_EXTRA_ID)?;
    let b = Bytes::new(field);
    let mut at = 0usize;
    let mut take = || -> Option<u64> {
        let v = b.u64(at, "zip64 extra").ok()?;
        at += 8;
        Some(v)
    };
    if raw.uncompressed == u32::MAX {
        uncompressed = take()?;
    }
    if raw.compressed == u32::MAX {
        compressed = take()?;
    }
    if raw.local_offset == u32::MAX {
        offset = take()?;
    }
    Some((compressed, uncompressed, offset))
}

/// The data of the first extra field with header `id`, if any.
pub(crate) fn extra_field(extra: &[u8], id: u16) -> Option<&[u8]> {
    let b = Bytes::new(extra);
    let mut at = 0usize;
    while at.checked_add(4)? <= extra.len() {
        let hid = b.u16(at, "extra id").ok()?;
        let len = usize::from(b.u16(at + 2, "extra len").ok()?);
        let body = b.slice(at + 4, len, "extra body").ok()?;
        if hid == id {
            return Some(body);
        }
        at = at + 4 + len;
    }
    None
}

/// What walking the central directory found.
pub(crate) struct Walk<'a> {
    /// The entries, local headers not yet resolved.
    pub entries: Vec<Entry<'a>>,
    /// Bytes spanned by all records walked.
    pub bytes: u64,
    /// Bytes spanned by the records Android reads (the first
    /// `declared_count`).
    pub visible_bytes: u64,
}

/// Walks the central directory records from `loc.cd_start`, trusting the
/// records found over the EOCD counts.
pub(crate) fn walk<'a>(
    data: &'a [u8],
    loc: &CdLocation,
    limits: &Limits,
    sink: &mut Sink,
) -> Walk<'a> {
    let region = data.get(..loc.cd_limit).unwrap_or(data);
    let b = Bytes::new(region);
    let room = loc.cd_limit.saturating_sub(loc.cd_start) / CD_RECORD_LEN;
    let cap = usize::try_from(loc.declared_count)
        .unwrap_or(usize::MAX)
        .min(room)
        .min(limits.max_entries);
    let mut entries: Vec<Entry<'a>> = Vec::with_capacity(cap);
    let mut pos = loc.cd_start;
    let mut visible_end = pos;
    loop {
        if b.slice(pos, 4, "cd sig").ok() != Some(CD_SIG.as_slice()) {
            if pos.saturating_add(4) <= loc.cd_limit && (entries.len() as u64) < loc.declared_count
            {
                // Something that is not a record sits where one is expected.
                sink.push_entry(
                    entries.len(),
                    ZipWarning::CentralDirectoryTruncated {
                        index: entries.len() as u64,
                        reason: "missing central-directory record signature",
                    },
                );
            }
            break;
        }
        if entries.len() >= limits.max_entries {
            sink.push(ZipWarning::TooManyEntries {
                limit: limits.max_entries,
            });
            break;
        }
        match record(b, pos, entries.len(), sink) {
            Ok((entry, next)) => {
                entries.push(entry);
                pos = next;
                if entries.len() as u64 <= loc.declared_count {
                    visible_end = pos;
                }
            }
            Err(reason) => {
                sink.push_entry(
                    entries.len(),
                    ZipWarning::CentralDirectoryTruncated {
                        index: entries.len() as u64,
                        reason,
                    },
                );
                break;
            }
        }
    }
    Walk {
        entries,
        bytes: pos.saturating_sub(loc.cd_start) as u64,
        visible_bytes: visible_end.saturating_sub(loc.cd_start) as u64,
    }
}

/// Parses one record at `pos`; returns it and the offset of the next one.
fn record<'a>(
    b: Bytes<'a>,
    pos: usize,
    index: usize,
    sink: &mut Sink,
) -> Result<(Entry<'a>, usize), &'static str> {
    const CUT: &str = "record cut short by the end of the central directory";
    let fixed = b.sub(pos, CD_RECORD_LEN, "cd record").map_err(|_| CUT)?;
    let u16_at = |o: usize| fixed.u16(o, "cd record").map_err(|_| CUT);
    let u32_at = |o: usize| fixed.u32(o, "cd record").map_err(|_| CUT);
    let name_len = usize::from(u16_at(28)?);
    let extra_len = usize::from(u16_at(30)?);
    let comment_len = usize::from(u16_at(32)?);
    let name_at = pos + CD_RECORD_LEN;
    let name = b.slice(name_at, name_len, "cd name").map_err(|_| CUT)?;
    let extra = b
        .slice(name_at + name_len, extra_len, "cd extra")
        .map_err(|_| CUT)?;
    let comment = b
        .slice(name_at + name_len + extra_len, comment_len, "cd comment")
        .map_err(|_| CUT)?;
    let raw = Raw32 {
        compressed: u32_at(20)?,
        uncompressed: u32_at(24)?,
        local_offset: u32_at(42)?,
    };
    let needs_zip64 =
        raw.compressed == u32::MAX || raw.uncompressed == u32::MAX || raw.local_offset == u32::MAX;
    let (compressed_size, uncompressed_size, local_header_offset) = if needs_zip64 {
        match apply_zip64(extra, &raw) {
            Some(v) => v,
            None => {
                if sink.has_room() {
                    sink.push_entry(
                        index,
                        ZipWarning::ExtraFieldMalformed {
                            name: String::from_utf8_lossy(name).into_owned(),
                        },
                    );
                }
                (
                    u64::from(raw.compressed),
                    u64::from(raw.uncompressed),
                    u64::from(raw.local_offset),
                )
            }
        }
    } else {
        (
            u64::from(raw.compressed),
            u64::from(raw.uncompressed),
            u64::from(raw.local_offset),
        )
    };
    let entry = Entry {
        index,
        name,
        extra,
        comment,
        version_made_by: u16_at(4)?,
        version_needed: u16_at(6)?,
        flags: u16_at(8)?,
        method: u16_at(10)?,
        mod_time: u16_at(12)?,
        mod_date: u16_at(14)?,
        crc32: u32_at(16)?,
        compressed_size,
        uncompressed_size,
        local_header_offset,
        external_attributes: u32_at(38)?,
        central_offset: pos as u64,
        data_offset: None,
        refused_overlap: false,
        unreadable: None,
    };
    Ok((entry, name_at + name_len + extra_len + comment_len))
}
