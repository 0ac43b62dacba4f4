//! Where each string's data ends, computed once per file.
//!
//! A `string_data_item` ends at its first NUL byte. Looking for it on every
//! lookup is fine on real files, but a hostile file can point thousands of
//! `string_ids` at one long NUL-free region, making every lookup scan it:
//! quadratic time. Instead, the first lookup sorts the strings by where
//! their data starts and scans each stretch between two starts once, taking
//! the NUL of the next string up when a stretch has none: O(file size + n log
//! n) in all.

use leakscope_bytes::Cursor;

/// No NUL after this string's start (or its start is unreadable).
pub(crate) const NONE: u32 = u32::MAX;

/// For each string id, the absolute offset of the NUL that ends its data, or
/// [`NONE`]. `offsets` are the `string_data_off` values.
pub(crate) fn compute(data: &[u8], offsets: impl Iterator<Item = Option<u32>>) -> Box<[u32]> {
    // (start of the MUTF-8 bytes, string id)
    let mut starts: Vec<(u32, u32)> = Vec::new();
    let mut ends: Vec<u32> = Vec::new();
    for (idx, off) in offsets.enumerate() {
        ends.push(NONE);
        let Some(off) = off else { continue };
        let mut c = Cursor::at(data, off as usize);
        if c.uleb128("utf16_size").is_ok()
            && let (Ok(start), Ok(idx)) = (u32::try_from(c.pos()), u32::try_from(idx))
        {
            starts.push((start, idx));
        }
    }
    starts.sort_unstable_by_key(|s| std::cmp::Reverse(s.0));
    // Walking down from the highest start: `upper` is the previous (higher)
    // start and `upper_nul` the first NUL at or after it.
    let mut upper: Option<(u32, u32)> = None;
    for (start, idx) in starts {
        let nul = match upper {
            Some((u, nul)) if u == start => nul,
            _ => {
                let stop = upper.map_or(data.len(), |(u, _)| u as usize);
                let stretch = data.get(start as usize..stop).unwrap_or_default();
                match memchr::memchr(0, stretch) {
                    Some(i) => start.saturating_add(u32::try_from(i).unwrap_or(u32::MAX)),
                    None => upper.map_or(NONE, |(_, nul)| nul),
                }
            }
        };
        if let Some(slot) = ends.get_mut(idx as usize) {
            *slot = nul;
        }
        upper = Some((start, nul));
    }
    ends.into_boxed_slice()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_and_overlapping_strings_end_at_their_first_nul() {
        // offsets: 0 -> "\x02ab\0", 4 -> "\x01c" + no NUL until 8
        let data = b"\x02ab\0\x01cdef\0";
        let ends = compute(
            data,
            [Some(0), Some(4), Some(0), Some(6), None, Some(99)].into_iter(),
        );
        assert_eq!(&ends[..], &[3, 9, 3, 9, NONE, NONE]);
        let unterminated = compute(b"\x01abc", [Some(0)].into_iter());
        assert_eq!(&unterminated[..], &[NONE]);
    }

    #[test]
    fn many_ids_on_one_long_region_stay_linear() {
        let mut data = vec![0x01u8];
        data.resize(1 << 20, b'x');
        let start = std::time::Instant::now();
        let ends = compute(&data, (0..200_000).map(|_| Some(0)));
        assert!(ends.iter().all(|&e| e == NONE));
        assert!(start.elapsed().as_secs() < 2);
    }
}
