//! The three payload pseudo-instructions, decoded as data.
//!
//! Payloads borrow their tables from the code array and read entries on
//! demand; nothing is copied or allocated.

use leakscope_bytes::Bytes;

/// Signature unit of a `packed-switch` payload.
pub const PACKED_SWITCH_SIGNATURE: u16 = 0x0100;
/// Signature unit of a `sparse-switch` payload.
pub const SPARSE_SWITCH_SIGNATURE: u16 = 0x0200;
/// Signature unit of a `fill-array-data` payload.
pub const FILL_ARRAY_DATA_SIGNATURE: u16 = 0x0300;

fn i32_at(data: &[u8], i: usize) -> Option<i32> {
    Bytes::new(data)
        .i32(i.checked_mul(4)?, "payload entry")
        .ok()
}

/// `packed-switch-payload`: consecutive keys starting at `first_key`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PackedSwitchPayload<'a> {
    pub(crate) pc: u32,
    pub(crate) first_key: i32,
    /// `len * 4` bytes of little-endian `i32` targets.
    pub(crate) targets: &'a [u8],
}

impl<'a> PackedSwitchPayload<'a> {
    /// Code-unit index of the payload.
    pub fn pc(&self) -> u32 {
        self.pc
    }

    /// Size of the payload in code units (`4 + len * 2`).
    pub fn size(&self) -> u32 {
        4 + (self.targets.len() / 2) as u32
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.targets.len() / 4
    }

    /// True when the table has no entries.
    pub fn is_empty(&self) -> bool {
        self.targets.is_empty()
    }

    /// The first (and lowest) key.
    pub fn first_key(&self) -> i32 {
        self.first_key
    }

    /// The key of entry `i` (`first_key + i`, wrapping as the VM does).
    pub fn key(&self, i: usize) -> Option<i32> {
        if i < self.len() {
            Some(self.first_key.wrapping_add(i as i32))
        } else {
            None
        }
    }

    /// Branch offset of entry `i`, relative to the `packed-switch`
    /// instruction (not to the payload).
    pub fn target(&self, i: usize) -> Option<i32> {
        i32_at(self.targets, i)
    }

    /// The raw targets table (`len * 4` bytes, little-endian `i32`s).
    pub fn raw_targets(&self) -> &'a [u8] {
        self.targets
    }

    /// Iterates over `(key, relative target)` pairs.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (i32, i32)> + 'a {
        let first = self.first_key;
        self.targets.chunks_exact(4).enumerate().map(move |(i, c)| {
            (
                first.wrapping_add(i as i32),
                i32::from_le_bytes([c[0], c[1], c[2], c[3]]),
            )
        })
    }
}

/// `sparse-switch-payload`: sorted keys with one target each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SparseSwitchPayload<'a> {
    pub(crate) pc: u32,
    /// `len * 4` bytes of little-endian `i32` keys.
    pub(crate) keys: &'a [u8],
    /// `len * 4` bytes of little-endian `i32` targets.
    pub(crate) targets: &'a [u8],
}

impl<'a> SparseSwitchPayload<'a> {
    /// Code-unit index of the payload.
    pub fn pc(&self) -> u32 {
        self.pc
    }

    /// Size of the payload in code units (`2 + len * 4`).
    pub fn size(&self) -> u32 {
        2 + self.keys.len() as u32
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.keys.len() / 4
    }

    /// True when the table has no entries.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Key of entry `i`.
    pub fn key(&self, i: usize) -> Option<i32> {
        i32_at(self.keys, i)
    }

    /// Branch offset of entry `i`, relative to the `sparse-switch` instruction.
    pub fn target(&self, i: usize) -> Option<i32> {
        i32_at(self.targets, i)
    }

    /// True when the keys are strictly ascending, as the format requires
    /// (the VM binary-searches them).
    pub fn keys_sorted(&self) -> bool {
        let mut prev: Option<i32> = None;
        for (k, _) in self.iter() {
            if prev.is_some_and(|p| p >= k) {
                return false;
            }
            prev = Some(k);
        }
        true
    }

    /// Iterates over `(key, relative target)` pairs.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (i32, i32)> + 'a {
        self.keys
            .chunks_exact(4)
            .zip(self.targets.chunks_exact(4))
            .map(|(k, t)| {
                (
                    i32::from_le_bytes([k[0], k[1], k[2], k[3]]),
                    i32::from_le_bytes([t[0], t[1], t[2], t[3]]),
                )
            })
    }
}

/// `fill-array-data-payload`: `count` elements of `element_width` bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FillArrayDataPayload<'a> {
    pub(crate) pc: u32,
    pub(crate) element_width: u16,
    pub(crate) count: u32,
    /// Exactly `element_width * count` bytes (the padding byte excluded).
    pub(crate) data: &'a [u8],
}

impl<'a> FillArrayDataPayload<'a> {
    /// Code-unit index of the payload.
    pub fn pc(&self) -> u32 {
        self.pc
    }

    /// Size of the payload in code units (`4 + ceil(width * count / 2)`).
    pub fn size(&self) -> u32 {
        4 + self.data.len().div_ceil(2) as u32
    }

    /// Bytes per element as declared (valid files use 1, 2, 4 or 8).
    pub fn element_width(&self) -> u16 {
        self.element_width
    }

    /// Number of elements as declared.
    pub fn count(&self) -> u32 {
        self.count
    }

    /// The element data, `element_width * count` bytes, little-endian.
    pub fn data(&self) -> &'a [u8] {
        self.data
    }

    /// Raw bytes of element `i`.
    pub fn element(&self, i: usize) -> Option<&'a [u8]> {
        let w = usize::from(self.element_width);
        if i >= self.count as usize {
            return None;
        }
        let start = i.checked_mul(w)?;
        Bytes::new(self.data).slice(start, w, "array element").ok()
    }

    /// Element `i` zero-extended to `u64` (for widths 1..=8).
    pub fn element_u64(&self, i: usize) -> Option<u64> {
        let bytes = self.element(i)?;
        if bytes.len() > 8 || bytes.is_empty() {
            return None;
        }
        let mut buf = [0u8; 8];
        buf.get_mut(..bytes.len())?.copy_from_slice(bytes);
        Some(u64::from_le_bytes(buf))
    }

    /// Iterates over the raw bytes of each element. Yields nothing when the
    /// width is 0, so a hostile `count` cannot make it spin.
    pub fn elements(&self) -> impl Iterator<Item = &'a [u8]> + 'a {
        let w = usize::from(self.element_width).max(1);
        let n = if self.element_width == 0 {
            0
        } else {
            self.count as usize
        };
        self.data.chunks_exact(w).take(n)
    }
}
