//! The adler32 checksum used by the DEX header.

/// Largest number of bytes that can be summed before `b` may overflow a `u32`.
const NMAX: usize = 5552;
const MOD: u32 = 65521;

/// Computes adler32 of `data` (RFC 1950).
pub fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for chunk in data.chunks(NMAX) {
        for &byte in chunk {
            a += u32::from(byte);
            b += a;
        }
        a %= MOD;
        b %= MOD;
    }
    (b << 16) | a
}

#[cfg(test)]
mod tests {
    use super::adler32;

    #[test]
    fn known_values() {
        assert_eq!(adler32(b""), 1);
        // Example from the Wikipedia article on Adler-32.
        assert_eq!(adler32(b"Wikipedia"), 0x11e6_0398);
        // Long input exercises the chunked modulo (checked against zlib.adler32).
        let big = vec![0xffu8; 100_000];
        assert_eq!(adler32(&big), 0x149a_302c);
    }
}
