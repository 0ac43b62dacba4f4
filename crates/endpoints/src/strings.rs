//! Printable-string runs in binary data, like `strings(1)`: ASCII and
//! UTF-16LE.

/// Whether `strings(1)` counts the byte as part of a text run: printable
/// ASCII and tab.
#[inline]
fn is_printable(b: u8) -> bool {
    (0x20..0x7f).contains(&b) || b == b'\t'
}

/// Runs of at least `min_len` printable ASCII bytes (space to `~`, and
/// tab), like `strings -n MIN_LEN` without `-w`. Zero-copy: each item
/// borrows from `bytes`. A `min_len` of 0 is treated as 1.
pub fn printable_strings(bytes: &[u8], min_len: usize) -> impl Iterator<Item = &[u8]> {
    let min_len = min_len.max(1);
    let mut pos = 0usize;
    std::iter::from_fn(move || {
        loop {
            let rest = bytes.get(pos..)?;
            let start_rel = rest.iter().position(|b| is_printable(*b))?;
            let run = rest.get(start_rel..)?;
            let len = run
                .iter()
                .position(|b| !is_printable(*b))
                .unwrap_or(run.len());
            pos = pos.saturating_add(start_rel).saturating_add(len);
            if len >= min_len {
                return run.get(..len);
            }
        }
    })
}

/// A run of UTF-16LE code units that are all printable ASCII (each
/// character followed by a zero byte), as found by [`utf16le_strings`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Utf16Run<'a> {
    offset: usize,
    raw: &'a [u8],
}

impl<'a> Utf16Run<'a> {
    /// Offset of the run in the scanned buffer.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The raw UTF-16LE bytes (even length).
    pub fn raw(&self) -> &'a [u8] {
        self.raw
    }

    /// Number of characters.
    pub fn chars(&self) -> usize {
        self.raw.len() / 2
    }

    /// Writes the ASCII text into `buf` (cleared first), so one buffer can
    /// serve every run.
    pub fn decode_into(&self, buf: &mut Vec<u8>) {
        buf.clear();
        buf.extend(self.raw.iter().step_by(2));
    }
}

/// Runs of at least `min_len` printable ASCII characters encoded as
/// UTF-16LE (`strings -e l`), at any byte alignment. Zero-copy.
pub fn utf16le_strings(bytes: &[u8], min_len: usize) -> impl Iterator<Item = Utf16Run<'_>> {
    let min_len = min_len.max(1);
    let mut pos = 0usize;
    std::iter::from_fn(move || {
        loop {
            // A run starts at a zero byte preceded by a printable one:
            // find the zero bytes quickly.
            let rest = bytes.get(pos..)?;
            let z = memchr::memchr(0, rest)?;
            let zero_at = pos.saturating_add(z);
            let Some(start) = zero_at.checked_sub(1) else {
                pos = zero_at.saturating_add(1);
                continue;
            };
            if !bytes.get(start).is_some_and(|b| is_printable(*b)) {
                pos = zero_at.saturating_add(1);
                continue;
            }
            let mut end = start;
            while let (Some(c), Some(0)) = (
                bytes.get(end).copied(),
                bytes.get(end.saturating_add(1)).copied(),
            ) {
                if !is_printable(c) {
                    break;
                }
                end = end.saturating_add(2);
            }
            pos = end.max(zero_at.saturating_add(1));
            let raw = bytes.get(start..end)?;
            if raw.len() / 2 >= min_len {
                return Some(Utf16Run { offset: start, raw });
            }
        }
    })
}
