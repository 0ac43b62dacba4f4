//! Reading input files: large files are mapped into memory rather than read,
//! so that only the pages leakscope touches (the central directory and the
//! entries it reads) occupy memory.
//!
//! This is the one place in leakscope with `unsafe` code. Every parser crate
//! forbids `unsafe`; they only ever see `&[u8]`.

use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use sha2::{Digest, Sha256};

use crate::blob::Backing;

/// Files smaller than this are read into memory; larger ones are mapped.
const MAP_THRESHOLD: u64 = 1 << 20;

/// The bytes of the file at `path`, mapped when it is large.
pub(crate) fn open(path: &Path, len: u64) -> std::io::Result<Backing> {
    let file = File::open(path)?;
    if len >= MAP_THRESHOLD {
        // SAFETY: the map is read-only and private to this process. If another
        // process truncates the file while it is mapped, reading the lost
        // pages raises SIGBUS, as in every mmap-based tool (ripgrep, git);
        // leakscope analyses files at rest, so it accepts that risk for the
        // memory it saves on large apps.
        #[allow(unsafe_code)]
        let map = unsafe { memmap2::Mmap::map(&file) };
        if let Ok(map) = map {
            return Ok(Arc::new(map));
        }
    }
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    (&file).read_to_end(&mut bytes)?;
    Ok(Arc::new(bytes))
}

/// SHA-256 of the file at `path`, lowercase hex, read in chunks so that
/// hashing does not bring a mapped file's pages into this process.
pub(crate) fn sha256_of(path: &Path) -> std::io::Result<String> {
    let mut file = File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(buf.get(..n).unwrap_or_default());
    }
    Ok(crate::load::hex(&hasher.finalize()))
}
