//! Resolving each entry's local file header into a data offset, and checking
//! it against the central directory the way Android does.

use leakscope_bytes::Bytes;

use crate::entry::{Decoding, Entry, FLAG_DATA_DESCRIPTOR};
use crate::eocd::CdLocation;
use crate::sink::Sink;
use crate::warning::{LocalField, ZipWarning};

/// Signature of a local file header.
pub(crate) const LFH_SIG: &[u8; 4] = b"PK\x03\x04";
const LFH_LEN: usize = 30;
const DD_SIG: u32 = 0x0807_4b50;

/// Fixed fields of a local header.
struct Local<'a> {
    flags: u16,
    method: u16,
    crc32: u32,
    compressed: u32,
    uncompressed: u32,
    name: &'a [u8],
    data_offset: usize,
}

fn read_local(data: &[u8], off: usize) -> Result<Local<'_>, &'static str> {
    let b = Bytes::new(data);
    let fixed = b
        .sub(off, LFH_LEN, "local header")
        .map_err(|_| "local header out of bounds")?;
    if fixed.slice(0, 4, "sig").ok() != Some(LFH_SIG.as_slice()) {
        return Err("bad local header signature");
    }
    let g16 = |o| {
        fixed
            .u16(o, "lfh")
            .map_err(|_| "local header out of bounds")
    };
    let g32 = |o| {
        fixed
            .u32(o, "lfh")
            .map_err(|_| "local header out of bounds")
    };
    let name_len = usize::from(g16(26)?);
    let extra_len = usize::from(g16(28)?);
    let name = b
        .slice(off + LFH_LEN, name_len, "lfh name")
        .map_err(|_| "local header name out of bounds")?;
    let data_offset = off
        .checked_add(LFH_LEN + name_len + extra_len)
        .filter(|&d| d <= data.len())
        .ok_or("local header extra field out of bounds")?;
    Ok(Local {
        flags: g16(6)?,
        method: g16(8)?,
        crc32: g32(14)?,
        compressed: g32(18)?,
        uncompressed: g32(22)?,
        name,
        data_offset,
    })
}

/// Applies `shift` to a declared offset.
fn shifted(off: u64, shift: i64) -> Option<usize> {
    let v = i64::try_from(off).ok()?.checked_add(shift)?;
    usize::try_from(v).ok()
}

/// Resolves `entry.data_offset` and pushes the Android-relevant warnings.
/// Returns the actual local header offset when resolved.
pub(crate) fn resolve(
    data: &[u8],
    entry: &mut Entry<'_>,
    loc: &CdLocation,
    sink: &mut Sink,
) -> Option<usize> {
    let index = entry.index;
    let name = || entry_name(entry.name);
    // Android checks the declared offsets against each other before looking
    // at the local header.
    if entry.local_header_offset >= loc.declared_offset {
        sink.push_entry(
            index,
            ZipWarning::LocalHeaderAfterCentralDirectory {
                name: name(),
                offset: entry.local_header_offset,
            },
        );
    }
    let mut candidates = [None, None];
    if loc.shift != 0 {
        candidates[0] = shifted(entry.local_header_offset, loc.shift);
    }
    candidates[1] = usize::try_from(entry.local_header_offset).ok();
    let mut first_err = "local header offset does not fit in memory";
    let mut found = None;
    for off in candidates.into_iter().flatten() {
        match read_local(data, off) {
            Ok(l) => {
                found = Some((off, l));
                break;
            }
            Err(e) => first_err = e,
        }
    }
    let Some((off, local)) = found else {
        entry.unreadable = Some(first_err);
        sink.push_entry(
            index,
            ZipWarning::LocalHeaderInvalid {
                name: name(),
                offset: entry.local_header_offset,
                reason: first_err,
            },
        );
        return None;
    };
    if local.name != entry.name {
        entry.unreadable = Some("local header names another file");
        sink.push_entry(
            index,
            ZipWarning::LocalNameMismatch {
                name: name(),
                local_name: entry_name(local.name),
            },
        );
        return None;
    }
    let mut mismatch = |field, l: u64, c: u64| {
        if l != c {
            sink.push_entry(
                index,
                ZipWarning::LocalHeaderMismatch {
                    name: entry_name(entry.name),
                    field,
                    local: l,
                    central: c,
                },
            );
        }
    };
    mismatch(LocalField::Method, local.method.into(), entry.method.into());
    mismatch(
        LocalField::DataDescriptorFlag,
        (local.flags & FLAG_DATA_DESCRIPTOR).into(),
        (entry.flags & FLAG_DATA_DESCRIPTOR).into(),
    );
    if local.flags & FLAG_DATA_DESCRIPTOR == 0 {
        mismatch(LocalField::Crc32, local.crc32.into(), entry.crc32.into());
        // 0xFFFFFFFF means "see the zip64 extra field".
        if local.compressed != u32::MAX {
            mismatch(
                LocalField::CompressedSize,
                local.compressed.into(),
                entry.compressed_size,
            );
        }
        if local.uncompressed != u32::MAX {
            mismatch(
                LocalField::UncompressedSize,
                local.uncompressed.into(),
                entry.uncompressed_size,
            );
        }
    }
    entry.data_offset = Some(local.data_offset as u64);
    check_range(data, entry, local.data_offset, loc.cd_start, sink);
    if local.flags & FLAG_DATA_DESCRIPTOR != 0 {
        check_descriptor(data, entry, local.data_offset, sink);
    }
    Some(off)
}

/// Warns when the data runs into the central directory or past the end.
fn check_range(
    data: &[u8],
    entry: &Entry<'_>,
    data_offset: usize,
    cd_start: usize,
    sink: &mut Sink,
) {
    let end = (data_offset as u64).saturating_add(entry.data_len());
    if end > data.len() as u64 {
        sink.push_entry(
            entry.index,
            ZipWarning::DataPastEnd {
                name: entry_name(entry.name),
            },
        );
    } else if end > cd_start as u64 {
        sink.push_entry(
            entry.index,
            ZipWarning::DataOverlapsCentralDirectory {
                name: entry_name(entry.name),
            },
        );
    }
    if entry.decoding() != Decoding::Deflated && entry.compressed_size != entry.uncompressed_size {
        sink.push_entry(
            entry.index,
            ZipWarning::StoredSizeMismatch {
                name: entry_name(entry.name),
                compressed: entry.compressed_size,
                uncompressed: entry.uncompressed_size,
            },
        );
    }
}

/// Checks the data descriptor that follows the compressed data against the
/// central directory (as Android does after extracting).
fn check_descriptor(data: &[u8], entry: &Entry<'_>, data_offset: usize, sink: &mut Sink) {
    let b = Bytes::new(data);
    let Some(mut at) = usize::try_from(entry.compressed_size)
        .ok()
        .and_then(|c| data_offset.checked_add(c))
    else {
        return;
    };
    if b.u32(at, "dd").ok() == Some(DD_SIG) {
        at += 4;
    }
    // The sizes are 8 bytes each when the entry uses zip64, which writers
    // may do for any size: accept either layout.
    let crc_ok = b.u32(at, "dd").ok() == Some(entry.crc32);
    let narrow = b.u32(at + 4, "dd").ok().map(u64::from) == Some(entry.compressed_size)
        && b.u32(at + 8, "dd").ok().map(u64::from) == Some(entry.uncompressed_size);
    let wide = b.u64(at + 4, "dd").ok() == Some(entry.compressed_size)
        && b.u64(at + 12, "dd").ok() == Some(entry.uncompressed_size);
    let ok = crc_ok && (narrow || wide);
    if !ok {
        sink.push_entry(
            entry.index,
            ZipWarning::DataDescriptorMismatch {
                name: entry_name(entry.name),
            },
        );
    }
}

/// Lossy entry name for messages.
pub(crate) fn entry_name(name: &[u8]) -> String {
    String::from_utf8_lossy(name).into_owned()
}
