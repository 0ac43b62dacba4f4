//! A minimal, non-panicking DER/BER walker.
//!
//! Only what PKCS#7 `SignedData` and `SubjectPublicKeyInfo` need: read one
//! tag-length-value at a time and iterate over the children of a constructed
//! value. BER indefinite lengths (`0x80`, used by some old JAR signers) are
//! accepted for constructed values, with a nesting limit; the end of such a
//! value is found by walking its children up to the end-of-contents marker.

use crate::error::SigningError;

/// Nesting limit for indefinite-length values (each level is walked once per
/// enclosing level, so the limit also bounds the work).
const MAX_DEPTH: u32 = 24;

/// Universal tags used by this crate (first identifier octet).
pub(crate) mod tag {
    pub const INTEGER: u8 = 0x02;
    pub const BIT_STRING: u8 = 0x03;
    pub const OID: u8 = 0x06;
    pub const SEQUENCE: u8 = 0x30;
    pub const SET: u8 = 0x31;
    /// `[0]` constructed, context-specific.
    pub const CTX0: u8 = 0xa0;
    /// `[1]` constructed, context-specific.
    pub const CTX1: u8 = 0xa1;
    /// `[0]` primitive, context-specific.
    pub const CTX0_PRIM: u8 = 0x80;
}

/// One decoded tag-length-value.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Tlv<'a> {
    /// First identifier octet (class, constructed bit and low tag number).
    pub tag: u8,
    /// Content octets (for indefinite lengths: without the end-of-contents).
    pub content: &'a [u8],
    /// The whole encoding, header included.
    pub raw: &'a [u8],
    /// Absolute offset of the tag in the buffer it was read from.
    pub offset: usize,
}

fn err(offset: usize, what: &'static str) -> SigningError {
    SigningError::Der { offset, what }
}

/// Reads the TLV starting at `pos` in `data`.
pub(crate) fn read(data: &[u8], pos: usize) -> Result<Tlv<'_>, SigningError> {
    read_depth(data, pos, 0)
}

fn read_depth(data: &[u8], pos: usize, depth: u32) -> Result<Tlv<'_>, SigningError> {
    if depth > MAX_DEPTH {
        return Err(err(pos, "indefinite-length nesting too deep"));
    }
    let tag = *data.get(pos).ok_or(err(pos, "truncated tag"))?;
    let mut p = pos.checked_add(1).ok_or(err(pos, "offset overflow"))?;
    if tag & 0x1f == 0x1f {
        // High tag number form: base-128 continuation octets (at most 4).
        let mut n = 0;
        loop {
            let b = *data.get(p).ok_or(err(p, "truncated tag"))?;
            p += 1;
            n += 1;
            if b & 0x80 == 0 {
                break;
            }
            if n >= 4 {
                return Err(err(pos, "tag number too large"));
            }
        }
    }
    let first = *data.get(p).ok_or(err(p, "truncated length"))?;
    p += 1;
    let start;
    let len = if first < 0x80 {
        start = p;
        usize::from(first)
    } else if first == 0x80 {
        if tag & 0x20 == 0 {
            return Err(err(pos, "indefinite length on a primitive value"));
        }
        start = p;
        // Walk the children up to the end-of-contents octets.
        let mut q = p;
        loop {
            match (data.get(q), data.get(q.saturating_add(1))) {
                (Some(0), Some(0)) => break,
                (None, _) | (Some(_), None) => return Err(err(q, "missing end-of-contents")),
                _ => {}
            }
            let child = read_depth(data, q, depth + 1)?;
            q = q
                .checked_add(child.raw.len())
                .ok_or(err(q, "offset overflow"))?;
        }
        let content = data.get(start..q).ok_or(err(start, "truncated value"))?;
        let end = q.checked_add(2).ok_or(err(q, "offset overflow"))?;
        let raw = data.get(pos..end).ok_or(err(pos, "truncated value"))?;
        return Ok(Tlv {
            tag,
            content,
            raw,
            offset: pos,
        });
    } else {
        let n = usize::from(first & 0x7f);
        if n > 8 {
            return Err(err(p, "length of length too large"));
        }
        let mut v: u64 = 0;
        for _ in 0..n {
            let b = *data.get(p).ok_or(err(p, "truncated length"))?;
            p += 1;
            v = (v << 8) | u64::from(b);
        }
        start = p;
        usize::try_from(v).map_err(|_| err(pos, "length too large"))?
    };
    let end = start.checked_add(len).ok_or(err(pos, "length overflow"))?;
    let content = data
        .get(start..end)
        .ok_or(err(pos, "length runs past the end of its parent"))?;
    let raw = data.get(pos..end).ok_or(err(pos, "truncated value"))?;
    Ok(Tlv {
        tag,
        content,
        raw,
        offset: pos,
    })
}

/// Reads the TLV at `pos` and checks its identifier octet.
pub(crate) fn expect<'a>(
    data: &'a [u8],
    pos: usize,
    tag: u8,
    what: &'static str,
) -> Result<Tlv<'a>, SigningError> {
    let t = read(data, pos)?;
    if t.tag != tag {
        return Err(err(pos, what));
    }
    Ok(t)
}

/// Iterator over the children of a constructed value's content.
#[derive(Clone, Debug)]
pub(crate) struct Children<'a> {
    data: &'a [u8],
    pos: usize,
    failed: bool,
}

impl<'a> Children<'a> {
    /// Children of `content` (the content octets of a constructed value).
    pub fn new(content: &'a [u8]) -> Self {
        Children {
            data: content,
            pos: 0,
            failed: false,
        }
    }

    /// Next child, or the error that stopped the walk (then `None`).
    pub fn next_tlv(&mut self) -> Option<Result<Tlv<'a>, SigningError>> {
        if self.failed || self.pos >= self.data.len() {
            return None;
        }
        match read(self.data, self.pos) {
            Ok(t) => {
                self.pos = self.pos.saturating_add(t.raw.len());
                Some(Ok(t))
            }
            Err(e) => {
                self.failed = true;
                Some(Err(e))
            }
        }
    }

    /// Next child, which must exist.
    pub fn required(&mut self, what: &'static str) -> Result<Tlv<'a>, SigningError> {
        match self.next_tlv() {
            Some(r) => r,
            None => Err(err(self.pos, what)),
        }
    }

    /// Next child, which must exist and carry `tag`.
    pub fn required_tag(&mut self, tag: u8, what: &'static str) -> Result<Tlv<'a>, SigningError> {
        let t = self.required(what)?;
        if t.tag != tag {
            return Err(err(t.offset, what));
        }
        Ok(t)
    }

    /// The next child if it carries `tag` (not consumed otherwise).
    pub fn optional_tag(&mut self, tag: u8) -> Result<Option<Tlv<'a>>, SigningError> {
        if self.data.get(self.pos) != Some(&tag) {
            return Ok(None);
        }
        self.required("optional element").map(Some)
    }
}

impl<'a> Iterator for Children<'a> {
    type Item = Result<Tlv<'a>, SigningError>;
    fn next(&mut self) -> Option<Self::Item> {
        self.next_tlv()
    }
}

/// Formats an OBJECT IDENTIFIER's content octets as dotted decimal.
pub(crate) fn oid_string(content: &[u8]) -> Option<String> {
    use std::fmt::Write;
    let mut out = String::new();
    let mut v: u64 = 0;
    let mut first = true;
    for &b in content {
        if v > (u64::MAX >> 8) {
            return None;
        }
        v = (v << 7) | u64::from(b & 0x7f);
        if b & 0x80 == 0 {
            if first {
                let (a, rest) = match v {
                    0..=39 => (0, v),
                    40..=79 => (1, v - 40),
                    _ => (2, v - 80),
                };
                let _ = write!(out, "{a}.{rest}");
                first = false;
            } else {
                let _ = write!(out, ".{v}");
            }
            v = 0;
        }
    }
    if first || content.last().is_some_and(|b| b & 0x80 != 0) {
        return None;
    }
    Some(out)
}

/// Number of significant bits of a big-endian unsigned magnitude (an
/// INTEGER's content octets; a leading sign octet is ignored).
pub(crate) fn bit_length(be: &[u8]) -> u32 {
    let mut s = be;
    while let [0, rest @ ..] = s {
        s = rest;
    }
    match s.first() {
        None => 0,
        Some(&b) => {
            let bytes = u32::try_from(s.len()).unwrap_or(u32::MAX / 8);
            bytes.saturating_mul(8).saturating_sub(b.leading_zeros())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn definite_and_indefinite() {
        let d = [0x30, 0x03, 0x02, 0x01, 0x05];
        let t = read(&d, 0).unwrap();
        assert_eq!(t.content, &[0x02, 0x01, 0x05]);
        let i = [0x30, 0x80, 0x02, 0x01, 0x05, 0x00, 0x00, 0xff];
        let t = read(&i, 0).unwrap();
        assert_eq!(t.content, &[0x02, 0x01, 0x05]);
        assert_eq!(t.raw.len(), 7);
    }

    #[test]
    fn hostile_lengths_fail() {
        // 2^63 length.
        assert!(read(&[0x30, 0x88, 0x80, 0, 0, 0, 0, 0, 0, 0, 0], 0).is_err());
        // Length of length 127.
        assert!(read(&[0x30, 0xff, 1, 2], 0).is_err());
        // Indefinite primitive.
        assert!(read(&[0x04, 0x80, 0, 0], 0).is_err());
        // Indefinite without end-of-contents.
        assert!(read(&[0x30, 0x80, 0x02, 0x01, 0x05], 0).is_err());
        // Deeply nested indefinite values.
        let mut deep = vec![];
        for _ in 0..1000 {
            deep.extend_from_slice(&[0x30, 0x80]);
        }
        assert!(read(&deep, 0).is_err());
        // Child running past its parent.
        let d = [0x30, 0x02, 0x02, 0x05, 0, 0, 0, 0];
        let t = read(&d, 0).unwrap();
        assert!(Children::new(t.content).next().unwrap().is_err());
    }

    #[test]
    fn oids_and_bits() {
        assert_eq!(
            oid_string(&[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02]).unwrap(),
            "1.2.840.113549.1.7.2"
        );
        assert_eq!(oid_string(&[0x55, 0x04, 0x03]).unwrap(), "2.5.4.3");
        assert!(oid_string(&[0x86]).is_none());
        assert_eq!(bit_length(&[0x00, 0x80, 0x00]), 16);
        assert_eq!(bit_length(&[0x01, 0xff]), 9);
        assert_eq!(bit_length(&[]), 0);
    }
}
