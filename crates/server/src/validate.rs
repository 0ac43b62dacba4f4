//! Checks of identifiers that come from paths and bodies.

use crate::error::ApiError;

/// Longest accepted device id.
pub const MAX_DEVICE_ID: usize = 128;
/// Longest accepted package name.
pub const MAX_PACKAGE: usize = 256;

/// A SHA-256 as the API writes it: 64 lowercase hex digits. Uppercase input
/// is accepted and lowercased.
pub fn sha256(s: &str) -> Result<String, ApiError> {
    if s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(s.to_ascii_lowercase())
    } else {
        Err(ApiError::bad_request(format!(
            "`{}` is not a SHA-256 (64 hex digits)",
            shorten(s)
        )))
    }
}

/// A device id: 1 to 128 printable ASCII characters.
pub fn device_id(s: &str) -> Result<(), ApiError> {
    if !s.is_empty() && s.len() <= MAX_DEVICE_ID && s.bytes().all(|b| (0x21..0x7f).contains(&b)) {
        Ok(())
    } else {
        Err(ApiError::bad_request(format!(
            "device id must be 1 to {MAX_DEVICE_ID} printable ASCII characters without spaces"
        )))
    }
}

/// A package name: 1 to 256 printable ASCII characters.
pub fn package(s: &str) -> Result<(), ApiError> {
    if !s.is_empty() && s.len() <= MAX_PACKAGE && s.bytes().all(|b| (0x21..0x7f).contains(&b)) {
        Ok(())
    } else {
        Err(ApiError::bad_request(format!(
            "package `{}` must be 1 to {MAX_PACKAGE} printable ASCII characters",
            shorten(s)
        )))
    }
}

/// At most 80 characters of `s`, for error messages.
pub fn shorten(s: &str) -> String {
    s.chars().take(80).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_accepts_hex_only() {
        let ok = "a".repeat(64);
        assert_eq!(sha256(&ok).unwrap(), ok);
        assert_eq!(sha256(&"A".repeat(64)).unwrap(), ok);
        assert!(sha256(&"a".repeat(63)).is_err());
        assert!(sha256(&"g".repeat(64)).is_err());
        assert!(sha256("").is_err());
        assert!(sha256(&"é".repeat(32)).is_err());
    }

    #[test]
    fn device_ids_are_bounded_and_printable() {
        assert!(device_id("d-1").is_ok());
        assert!(device_id("").is_err());
        assert!(device_id("a b").is_err());
        assert!(device_id("a\u{0}").is_err());
        assert!(device_id(&"x".repeat(129)).is_err());
        assert!(device_id(&"x".repeat(128)).is_ok());
    }
}
