//! The archive: parsing entry points, lookup and reading.

use std::borrow::Cow;
use std::collections::HashMap;
use std::collections::hash_map::Entry as MapEntry;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::central;
use crate::entry::{Decoding, Entry, name_issues};
use crate::eocd::{self, CdLocation};
use crate::error::ZipError;
use crate::inflate::{self, InflateError};
use crate::limits::Limits;
use crate::local::{self, LFH_SIG, entry_name};
use crate::overlap;
use crate::sink::Sink;
use crate::warning::{AndroidImpact, ZipWarning};

/// A parsed ZIP archive borrowing its bytes (typically an mmap).
///
/// Parsing reads the central directory and every local header; entry data is
/// decoded only by [`Archive::read`]. Stored entries are returned borrowed
/// (zero-copy). The archive is `Sync`: several threads may read entries at
/// once, and they share one inflate budget ([`Limits::max_total_inflated`]).
///
/// `Archive` never opens archives nested inside entries; callers that do
/// (XAPK, APKS) enforce [`Limits::nesting_depth`] themselves.
///
/// ```
/// # fn main() -> Result<(), leakscope_zip::ZipError> {
/// # let bytes: &[u8] = &[
/// #   0x50,0x4b,0x03,0x04, 10,0, 0,0, 0,0, 0,0, 0,0, 0x83,0x16,0xdc,0x8c, 1,0,0,0, 1,0,0,0, 1,0, 0,0, b'a', b'x',
/// #   0x50,0x4b,0x01,0x02, 20,3, 10,0, 0,0, 0,0, 0,0, 0,0, 0x83,0x16,0xdc,0x8c, 1,0,0,0, 1,0,0,0, 1,0, 0,0, 0,0, 0,0, 0,0, 0,0,0,0, 0,0,0,0, b'a',
/// #   0x50,0x4b,0x05,0x06, 0,0, 0,0, 1,0, 1,0, 47,0,0,0, 32,0,0,0, 0,0,
/// # ];
/// use leakscope_zip::{Archive, Limits};
/// let archive = Archive::parse(bytes, Limits::default())?;
/// let entry = archive.find("a").expect("entry a");
/// assert_eq!(&*archive.read(entry)?, b"x");
/// assert!(archive.warnings().is_empty());
/// # Ok(()) }
/// ```
pub struct Archive<'a> {
    data: &'a [u8],
    limits: Limits,
    location: CdLocation,
    entries: Vec<Entry<'a>>,
    index: HashMap<&'a [u8], usize>,
    warnings: Vec<ZipWarning>,
    dropped: u64,
    android: AndroidImpact,
    read_warnings: Mutex<Sink>,
    inflated: AtomicU64,
}

impl std::fmt::Debug for Archive<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The input may be hundreds of MiB: never print it.
        f.debug_struct("Archive")
            .field("len", &self.data.len())
            .field("entries", &self.entries.len())
            .field("central_directory_offset", &self.location.cd_start)
            .field("eocd_offset", &self.location.eocd_offset)
            .field("warnings", &self.warnings.len())
            .finish_non_exhaustive()
    }
}

impl<'a> Archive<'a> {
    /// Parses the archive in `data`.
    ///
    /// Fails only when no usable central directory exists; every other
    /// anomaly becomes a warning ([`Archive::warnings`]).
    pub fn parse(data: &'a [u8], limits: Limits) -> Result<Archive<'a>, ZipError> {
        let mut sink = Sink::new(limits.max_warnings);
        let location = eocd::locate(data, &limits, &mut sink)?;
        sink.visible = location.declared_count;
        let walk = central::walk(data, &location, &limits, &mut sink);
        let mut entries = walk.entries;
        let found = entries.len() as u64;
        if found != location.declared_count || location.declared_on_disk != location.declared_count
        {
            sink.push(ZipWarning::EntryCountMismatch {
                declared: location.declared_count,
                declared_on_disk: location.declared_on_disk,
                found,
            });
        }
        if entries.is_empty() {
            sink.push(ZipWarning::EmptyArchive);
        }
        // Android maps `declared_size` bytes at the declared offset, which
        // must end before the EOCD, and walks the declared number of records
        // inside them.
        let declared_end = location
            .declared_offset
            .saturating_add(location.declared_size);
        let android_rejects =
            declared_end > location.cd_limit as u64 || location.declared_size < walk.visible_bytes;
        // (A wrong offset is reported on its own; do not repeat it here.)
        if walk.bytes != location.declared_size || (android_rejects && location.shift == 0) {
            sink.push(ZipWarning::CentralDirectorySizeMismatch {
                declared: location.declared_size,
                actual: walk.bytes,
                android_rejects,
            });
        }
        let mut index: HashMap<&'a [u8], usize> = HashMap::with_capacity(entries.len());
        let mut headers: Vec<Option<usize>> = Vec::with_capacity(entries.len());
        for e in entries.iter_mut() {
            for issue in name_issues(e.name) {
                sink.push_entry(
                    e.index,
                    ZipWarning::SuspiciousName {
                        name: entry_name(e.name),
                        issue,
                    },
                );
            }
            match index.entry(e.name) {
                MapEntry::Vacant(v) => {
                    v.insert(e.index);
                }
                MapEntry::Occupied(o) => sink.push_entry(
                    e.index,
                    ZipWarning::DuplicateName {
                        name: entry_name(e.name),
                        first: *o.get(),
                        duplicate: e.index,
                    },
                ),
            }
            if e.is_encrypted_flag_set() {
                sink.push_entry(
                    e.index,
                    ZipWarning::EncryptedFlag {
                        name: entry_name(e.name),
                    },
                );
            }
            if let Decoding::UnknownAsStored(method) = e.decoding() {
                sink.push_entry(
                    e.index,
                    ZipWarning::UnknownMethod {
                        name: entry_name(e.name),
                        method,
                    },
                );
            }
            headers.push(local::resolve(data, e, &location, &mut sink));
        }
        if !data.starts_with(LFH_SIG) && !entries.is_empty() {
            let first = headers.iter().flatten().min().copied().unwrap_or(0);
            sink.push(ZipWarning::PrependedData { len: first as u64 });
        }
        overlap::check(&mut entries, &headers, &limits, &mut sink);
        let max = limits.max_warnings;
        Ok(Archive {
            data,
            limits,
            location,
            entries,
            index,
            android: sink.android,
            warnings: sink.list,
            dropped: sink.dropped,
            read_warnings: Mutex::new(Sink::new(max)),
            inflated: AtomicU64::new(0),
        })
    }

    /// All entries, in central-directory order (duplicates included).
    pub fn entries(&self) -> &[Entry<'a>] {
        &self.entries
    }

    /// The entry named exactly `name`; with duplicates, the first in
    /// central-directory order (see [`ZipWarning::DuplicateName`]).
    pub fn find(&self, name: &str) -> Option<&Entry<'a>> {
        self.find_bytes(name.as_bytes())
    }

    /// Like [`Archive::find`], for raw (possibly non-UTF-8) names.
    pub fn find_bytes(&self, name: &[u8]) -> Option<&Entry<'a>> {
        self.index.get(name).and_then(|&i| self.entries.get(i))
    }

    /// Every entry named exactly `name`, in central-directory order.
    pub fn find_all<'s>(&'s self, name: &'s [u8]) -> impl Iterator<Item = &'s Entry<'a>> + 's {
        self.entries.iter().filter(move |e| e.name == name)
    }

    /// The whole input.
    pub fn data(&self) -> &'a [u8] {
        self.data
    }

    /// The limits this archive was parsed with.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Actual offset of the central directory (the APK Signing Block ends
    /// right before it).
    pub fn central_directory_offset(&self) -> u64 {
        self.location.cd_start as u64
    }

    /// Central-directory offset as declared by the (zip64) EOCD record; it
    /// differs from [`Archive::central_directory_offset`] when data was
    /// prepended or the offset lies (APK signature schemes v2+ require them
    /// to be equal).
    pub fn declared_central_directory_offset(&self) -> u64 {
        self.location.declared_offset
    }

    /// Where the central directory region ends: the zip64 EOCD record when
    /// present, else the EOCD record.
    pub fn central_directory_end(&self) -> u64 {
        self.location.cd_limit as u64
    }

    /// Offset of the end-of-central-directory record used.
    pub fn eocd_offset(&self) -> u64 {
        self.location.eocd_offset as u64
    }

    /// Actual minus declared central-directory offset (non-zero when data
    /// was prepended to the archive or the offset lies).
    pub fn offset_shift(&self) -> i64 {
        self.location.shift
    }

    /// Warnings found while parsing.
    pub fn parse_warnings(&self) -> &[ZipWarning] {
        &self.warnings
    }

    /// All warnings so far: those found while parsing, then those from reads
    /// (CRC mismatches, refused entries...), then a count of dropped ones.
    pub fn warnings(&self) -> Vec<ZipWarning> {
        let mut out = self.warnings.clone();
        let sink = self.read_warnings.lock().unwrap_or_else(|p| p.into_inner());
        out.extend(sink.list.iter().cloned());
        let dropped = self.dropped.saturating_add(sink.dropped);
        if dropped > 0 {
            out.push(ZipWarning::WarningsDropped { dropped });
        }
        out
    }

    /// The worst thing Android's libziparchive does with this archive,
    /// judging from the parse-time anomalies: reject it, refuse some entry,
    /// or accept it. Anomalies of entries Android does not see (beyond the
    /// EOCD's entry count) do not count; read-time failures (e.g. a short
    /// deflate stream) are not included.
    pub fn android_impact(&self) -> AndroidImpact {
        self.android
    }

    /// Total bytes inflated by reads so far.
    pub fn inflated_bytes(&self) -> u64 {
        self.inflated.load(Ordering::Relaxed)
    }

    /// The entry's raw (still compressed) bytes: `data_len()` bytes at its
    /// data offset.
    pub fn raw_data(&self, entry: &Entry<'a>) -> Result<&'a [u8], ZipError> {
        let name = || entry_name(entry.name);
        let Some(offset) = entry.data_offset else {
            return Err(ZipError::LocalHeader {
                name: name(),
                reason: entry.unreadable.unwrap_or("no local header"),
            });
        };
        let len = entry.data_len();
        let truncated = || ZipError::Truncated {
            name: name(),
            offset,
            needed: len,
            len: self.data.len(),
        };
        let start = usize::try_from(offset).map_err(|_| truncated())?;
        let size = usize::try_from(len).map_err(|_| truncated())?;
        let end = start.checked_add(size).ok_or_else(truncated)?;
        self.data.get(start..end).ok_or_else(truncated)
    }

    /// Reads an entry: borrowed for stored data (and unknown methods, read as
    /// stored like Android does), inflated for deflate.
    ///
    /// The CRC-32 is verified; a mismatch is a warning, not an error. Errors
    /// (also recorded as [`ZipWarning::ReadFailed`]) come from unusable local
    /// headers, truncated data, corrupt deflate streams and the [`Limits`].
    pub fn read(&self, entry: &Entry<'a>) -> Result<Cow<'a, [u8]>, ZipError> {
        let result = self.read_inner(entry);
        if let Err(e) = &result {
            self.warn(ZipWarning::ReadFailed {
                name: entry_name(entry.name),
                error: e.to_string(),
            });
        }
        result
    }

    /// The first `n` bytes of an entry (fewer when it is shorter), without
    /// reading the rest: enough to sniff a file's magic. Neither checked
    /// against the CRC nor counted in the inflation budget (it costs O(n)).
    pub fn read_prefix(&self, entry: &Entry<'a>, n: usize) -> Result<Cow<'a, [u8]>, ZipError> {
        let raw = self.raw_data(entry)?;
        Ok(match entry.decoding() {
            Decoding::Stored | Decoding::UnknownAsStored(_) => {
                Cow::Borrowed(raw.get(..n).unwrap_or(raw))
            }
            Decoding::Deflated => {
                if entry.refused_overlap {
                    return Err(ZipError::OverlapBomb {
                        name: entry_name(entry.name),
                    });
                }
                Cow::Owned(inflate::inflate_prefix(raw, n))
            }
        })
    }

    fn warn(&self, w: ZipWarning) {
        self.read_warnings
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(w);
    }

    fn read_inner(&self, entry: &Entry<'a>) -> Result<Cow<'a, [u8]>, ZipError> {
        let raw = self.raw_data(entry)?;
        let name = || entry_name(entry.name);
        let out = match entry.decoding() {
            Decoding::Stored | Decoding::UnknownAsStored(_) => Cow::Borrowed(raw),
            Decoding::Deflated => {
                if entry.refused_overlap {
                    return Err(ZipError::OverlapBomb { name: name() });
                }
                Cow::Owned(self.inflate(entry, raw)?)
            }
        };
        let crc = inflate::crc32(&out);
        if crc != entry.crc32 {
            self.warn(ZipWarning::CrcMismatch {
                name: name(),
                expected: entry.crc32,
                actual: crc,
            });
        }
        Ok(out)
    }

    fn inflate(&self, entry: &Entry<'a>, raw: &[u8]) -> Result<Vec<u8>, ZipError> {
        let name = || entry_name(entry.name);
        let limits = &self.limits;
        let declared = entry.uncompressed_size;
        if declared > limits.max_entry_size {
            return Err(ZipError::EntryTooLarge {
                name: name(),
                size: declared,
                limit: limits.max_entry_size,
            });
        }
        let ratio = |out: u64, input: u64| out / input.max(1);
        if declared >= limits.ratio_threshold
            && ratio(declared, raw.len() as u64) > limits.max_compression_ratio
        {
            return Err(ZipError::CompressionRatio {
                name: name(),
                ratio: ratio(declared, raw.len() as u64),
                limit: limits.max_compression_ratio,
            });
        }
        // Reserve the budget for the declared size up front (the output is
        // capped at it), and give back what was not used.
        let before = self.inflated.fetch_add(declared, Ordering::Relaxed);
        if before.saturating_add(declared) > limits.max_total_inflated {
            self.inflated.fetch_sub(declared, Ordering::Relaxed);
            return Err(ZipError::TotalLimit {
                name: name(),
                limit: limits.max_total_inflated,
            });
        }
        let result = inflate::inflate(raw, declared);
        let used = result.as_ref().map_or(0, |(v, _)| v.len() as u64);
        self.inflated
            .fetch_sub(declared.saturating_sub(used), Ordering::Relaxed);
        let (out, consumed) = result.map_err(|e| match e {
            InflateError::OverCap => ZipError::ExceedsDeclaredSize {
                name: name(),
                declared,
            },
            InflateError::Corrupt(message) => ZipError::Inflate {
                name: name(),
                message,
            },
        })?;
        let produced = out.len() as u64;
        if produced >= limits.ratio_threshold
            && ratio(produced, consumed) > limits.max_compression_ratio
        {
            return Err(ZipError::CompressionRatio {
                name: name(),
                ratio: ratio(produced, consumed),
                limit: limits.max_compression_ratio,
            });
        }
        if produced != declared {
            self.warn(ZipWarning::ShortInflate {
                name: name(),
                declared,
                actual: produced,
            });
        }
        Ok(out)
    }
}
