//! Byte buffers that an [`App`](crate::App) owns or shares.

use std::ops::Range;
use std::sync::Arc;

/// Bytes of one file inside the app: either a range of a buffer shared with
/// its container (a stored ZIP entry, read without copying) or an owned
/// buffer (an inflated entry).
#[derive(Clone, Debug)]
pub enum Blob {
    /// A sub-range of a shared buffer.
    Shared(Arc<Vec<u8>>, Range<usize>),
    /// Bytes this blob owns.
    Owned(Arc<Vec<u8>>),
}

impl Blob {
    /// The whole of a shared buffer.
    pub fn whole(data: Arc<Vec<u8>>) -> Blob {
        Blob::Owned(data)
    }

    /// The bytes.
    pub fn as_slice(&self) -> &[u8] {
        match self {
            Blob::Shared(data, range) => data.get(range.clone()).unwrap_or_default(),
            Blob::Owned(data) => data.as_slice(),
        }
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.as_slice().len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.as_slice().is_empty()
    }

    /// The backing buffer and the range of this blob in it, so that a blob
    /// read from inside this one can share the same buffer.
    pub(crate) fn backing(&self) -> (&Arc<Vec<u8>>, Range<usize>) {
        match self {
            Blob::Shared(data, range) => (data, range.clone()),
            Blob::Owned(data) => (data, 0..data.len()),
        }
    }

    /// A blob for `sub`, which must be a sub-slice of `self.as_slice()`;
    /// shares the buffer instead of copying when it is.
    pub(crate) fn narrow(&self, sub: &[u8]) -> Blob {
        let (data, range) = self.backing();
        let base = data.as_ptr() as usize;
        let start = (sub.as_ptr() as usize).wrapping_sub(base);
        let end = start.wrapping_add(sub.len());
        if start >= range.start && end <= range.end && start <= end {
            Blob::Shared(Arc::clone(data), start..end)
        } else {
            Blob::Owned(Arc::new(sub.to_vec()))
        }
    }
}
