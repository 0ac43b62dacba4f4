//! Modified UTF-8 (MUTF-8), the string encoding of DEX files.
//!
//! MUTF-8 differs from UTF-8 in two ways: U+0000 is encoded as `C0 80`, and
//! characters outside the BMP are encoded as a UTF-16 surrogate pair, each
//! surrogate as a 3-byte sequence (`ED A0..AF xx ED B0..BF xx`). Lone
//! surrogates can occur in real files and have no UTF-8 form.

use std::borrow::Cow;

/// Decodes MUTF-8 bytes (without the terminating NUL) to a string.
///
/// Borrows when the bytes are already valid UTF-8 (the common case: ASCII).
/// Otherwise it decodes to UTF-16 code units, combining surrogate pairs, and
/// replaces lone surrogates and malformed bytes with U+FFFD. Standard 4-byte
/// UTF-8 sequences, which MUTF-8 forbids but some tools emit, are accepted.
pub fn decode(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => Cow::Owned(decode_slow(bytes)),
    }
}

fn decode_slow(bytes: &[u8]) -> String {
    let mut units: Vec<u16> = Vec::with_capacity(bytes.len());
    let mut i = 0;
    let cont = |i: usize| -> Option<u32> {
        let b = *bytes.get(i)?;
        (b & 0xc0 == 0x80).then_some(u32::from(b & 0x3f))
    };
    while let Some(&b0) = bytes.get(i) {
        let lead = u32::from(b0);
        if b0 < 0x80 {
            units.push(u16::from(b0));
            i += 1;
        } else if b0 & 0xe0 == 0xc0 {
            match cont(i + 1) {
                Some(c1) => {
                    units.push((((lead & 0x1f) << 6) | c1) as u16);
                    i += 2;
                }
                None => {
                    units.push(0xfffd);
                    i += 1;
                }
            }
        } else if b0 & 0xf0 == 0xe0 {
            match (cont(i + 1), cont(i + 2)) {
                (Some(c1), Some(c2)) => {
                    units.push((((lead & 0x0f) << 12) | (c1 << 6) | c2) as u16);
                    i += 3;
                }
                _ => {
                    units.push(0xfffd);
                    i += 1;
                }
            }
        } else if b0 & 0xf8 == 0xf0 {
            match (cont(i + 1), cont(i + 2), cont(i + 3)) {
                (Some(c1), Some(c2), Some(c3)) => {
                    let cp = ((lead & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3;
                    match char::from_u32(cp) {
                        Some(c) => {
                            let mut buf = [0u16; 2];
                            units.extend_from_slice(c.encode_utf16(&mut buf));
                        }
                        None => units.push(0xfffd),
                    }
                    i += 4;
                }
                _ => {
                    units.push(0xfffd);
                    i += 1;
                }
            }
        } else {
            units.push(0xfffd);
            i += 1;
        }
    }
    String::from_utf16_lossy(&units)
}

#[cfg(test)]
mod tests {
    use super::decode;
    use std::borrow::Cow;

    #[test]
    fn ascii_borrows() {
        assert!(matches!(
            decode(b"Ljava/lang/String;"),
            Cow::Borrowed("Ljava/lang/String;")
        ));
    }

    #[test]
    fn null_and_supplementary() {
        // "a\0b" with the MUTF-8 null.
        assert_eq!(decode(&[b'a', 0xc0, 0x80, b'b']), "a\0b");
        // U+1F600 as a surrogate pair D83D DE00, each as 3 bytes.
        assert_eq!(decode(&[0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80]), "\u{1F600}");
        // A lone high surrogate becomes U+FFFD, the rest survives.
        assert_eq!(decode(&[0xed, 0xa0, 0xbd, b'x']), "\u{FFFD}x");
        // Two- and three-byte BMP characters.
        assert_eq!(decode("é€".as_bytes()), "é€");
        // Truncated sequence and stray continuation byte.
        assert_eq!(decode(&[b'a', 0xe2, 0x82]), "a\u{FFFD}\u{FFFD}");
        assert_eq!(decode(&[0x80, 0xc0, 0x80]), "\u{FFFD}\0");
    }
}
