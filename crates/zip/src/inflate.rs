//! Streaming raw-deflate decoding with a hard output cap.

use flate2::{Decompress, FlushDecompress, Status};

/// Why inflating stopped without a complete stream.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum InflateError {
    /// The stream would produce more than `cap` bytes.
    OverCap,
    /// Corrupt data, or the input ended before the end of the stream.
    Corrupt(String),
}

/// Largest output a deflate stream can produce per input byte (each 258-byte
/// match costs at least two bits; 1032:1 is the format's maximum), plus a
/// margin for tiny streams.
const MAX_DEFLATE_RATIO: u64 = 1032;
/// Output buffer growth step when the declared size is unusable.
const MIN_STEP: usize = 64 << 10;

/// The first `n` bytes (or fewer, for a shorter or corrupt stream) that
/// `input` (raw deflate) inflates to. Costs O(n), whatever the stream's size.
pub(crate) fn inflate_prefix(input: &[u8], n: usize) -> Vec<u8> {
    let mut out: Vec<u8> = Vec::with_capacity(n);
    let mut d = Decompress::new(false);
    while out.len() < n {
        let consumed = usize::try_from(d.total_in()).unwrap_or(usize::MAX);
        let rest = input.get(consumed..).unwrap_or_default();
        let before = (d.total_in(), d.total_out());
        match d.decompress_vec(rest, &mut out, FlushDecompress::None) {
            Ok(Status::StreamEnd) | Err(_) => break,
            Ok(_) if (d.total_in(), d.total_out()) == before => break,
            Ok(_) => {}
        }
    }
    out
}

/// Inflates `input` (raw deflate) into a new buffer of at most `cap` bytes.
///
/// Memory is reserved for `min(cap, what the input could possibly
/// produce)` bytes up front; the output never exceeds `cap`: producing one
/// byte more fails with [`InflateError::OverCap`]. Returns the output and
/// the number of input bytes consumed.
pub(crate) fn inflate(input: &[u8], cap: u64) -> Result<(Vec<u8>, u64), InflateError> {
    let possible = (input.len() as u64)
        .saturating_mul(MAX_DEFLATE_RATIO)
        .saturating_add(1024);
    // One byte beyond the cap lets us detect a stream that is too long.
    let limit = usize::try_from(cap.saturating_add(1)).unwrap_or(usize::MAX);
    let first = usize::try_from(cap.min(possible).saturating_add(1)).unwrap_or(limit);
    let mut out: Vec<u8> = Vec::new();
    out.try_reserve_exact(first.min(limit))
        .map_err(|e| InflateError::Corrupt(e.to_string()))?;
    let mut d = Decompress::new(false);
    loop {
        if out.len() >= limit {
            return Err(InflateError::OverCap);
        }
        if out.len() == out.capacity() {
            let step = out.len().max(MIN_STEP).min(limit - out.len());
            out.try_reserve_exact(step)
                .map_err(|e| InflateError::Corrupt(e.to_string()))?;
        }
        let consumed = usize::try_from(d.total_in()).unwrap_or(usize::MAX);
        let rest = input.get(consumed..).unwrap_or_default();
        let before_in = d.total_in();
        let before_out = d.total_out();
        let status = d
            .decompress_vec(rest, &mut out, FlushDecompress::None)
            .map_err(|e| InflateError::Corrupt(e.to_string()))?;
        if out.len() >= limit {
            return Err(InflateError::OverCap);
        }
        match status {
            Status::StreamEnd => return Ok((out, d.total_in())),
            Status::Ok | Status::BufError => {
                let progressed = d.total_in() != before_in || d.total_out() != before_out;
                if !progressed && out.len() < out.capacity() {
                    return Err(InflateError::Corrupt(
                        "deflate stream ends before its end-of-block marker".into(),
                    ));
                }
            }
        }
    }
}

/// CRC-32 (IEEE) of `data`.
pub(crate) fn crc32(data: &[u8]) -> u32 {
    let mut c = flate2::Crc::new();
    c.update(data);
    c.sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn deflate(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
        e.write_all(data).ok();
        e.finish().unwrap_or_default()
    }

    #[test]
    fn round_trip_and_cap() {
        let data = vec![7u8; 100_000];
        let z = deflate(&data);
        let (out, used) = inflate(&z, 100_000).unwrap_or_default();
        assert_eq!(out, data);
        assert_eq!(used, z.len() as u64);
        assert_eq!(inflate(&z, 99_999), Err(InflateError::OverCap));
        assert!(matches!(
            inflate(&z[..z.len() / 2], 100_000),
            Err(InflateError::Corrupt(_))
        ));
        assert!(matches!(
            inflate(&[0xff; 16], 100),
            Err(InflateError::Corrupt(_))
        ));
    }
}
