//! Byte buffers that an [`App`](crate::App) owns or shares.

use std::ops::Range;
use std::sync::Arc;

/// What a blob's bytes live in: a buffer on the heap, or the input file
/// mapped into memory (see [`crate::mapped`]).
pub type Backing = Arc<dyn AsRef<[u8]> + Send + Sync>;

/// Bytes of one file inside the app: a range of a backing buffer shared with
/// its container (a stored ZIP entry is read without copying), or the whole
/// of a buffer of its own (an inflated entry).
#[derive(Clone)]
pub struct Blob {
    backing: Backing,
    range: Range<usize>,
}

impl std::fmt::Debug for Blob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Blob").field("range", &self.range).finish()
    }
}

impl Blob {
    /// The whole of a backing buffer.
    pub fn whole(backing: Backing) -> Blob {
        let len = (*backing).as_ref().len();
        Blob {
            backing,
            range: 0..len,
        }
    }

    /// A blob that owns `bytes`.
    pub fn owned(bytes: Vec<u8>) -> Blob {
        Blob::whole(Arc::new(bytes))
    }

    /// The bytes.
    pub fn as_slice(&self) -> &[u8] {
        (*self.backing)
            .as_ref()
            .get(self.range.clone())
            .unwrap_or_default()
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.as_slice().len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.as_slice().is_empty()
    }

    /// A blob for `sub`, which should be a sub-slice of `self.as_slice()`;
    /// shares the backing buffer when it is, copies otherwise.
    pub(crate) fn narrow(&self, sub: &[u8]) -> Blob {
        let all = (*self.backing).as_ref();
        let base = all.as_ptr() as usize;
        let start = (sub.as_ptr() as usize).wrapping_sub(base);
        let end = start.wrapping_add(sub.len());
        if start >= self.range.start && end <= self.range.end && start <= end {
            Blob {
                backing: Arc::clone(&self.backing),
                range: start..end,
            }
        } else {
            Blob::owned(sub.to_vec())
        }
    }
}
