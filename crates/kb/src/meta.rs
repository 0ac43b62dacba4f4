//! The header every data file carries: `schema_version` and `[meta]`.

use serde::Deserialize;

use crate::error::KbError;

/// The schema version of the data files this build reads.
pub const SCHEMA_VERSION: u32 = 1;

/// Where a data file's content came from, under which licence, and when it
/// was last updated (the file's `[meta]` table).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    /// Where the content came from.
    pub source: String,
    /// The licence of the content (SPDX identifier plus notes).
    pub licence: String,
    /// Date of the last update, `YYYY-MM-DD`.
    pub updated: String,
}

/// Only the header, read first so that a file in a newer schema gives a
/// clear error instead of a confusing syntax error.
#[derive(Deserialize)]
pub(crate) struct Header {
    schema_version: i64,
}

impl Header {
    pub(crate) fn check(&self, file: &str) -> Result<(), KbError> {
        if self.schema_version == i64::from(SCHEMA_VERSION) {
            Ok(())
        } else {
            Err(KbError::SchemaVersion {
                file: file.to_owned(),
                found: self.schema_version,
                supported: SCHEMA_VERSION,
            })
        }
    }
}

impl Meta {
    /// Checks that every field is filled and that `updated` is a date.
    pub(crate) fn validate(&self, file: &str) -> Result<(), KbError> {
        if self.source.trim().is_empty() {
            return Err(KbError::invalid(file, "[meta]", "`source` is empty"));
        }
        if self.licence.trim().is_empty() {
            return Err(KbError::invalid(file, "[meta]", "`licence` is empty"));
        }
        if !is_date(&self.updated) {
            return Err(KbError::invalid(
                file,
                "[meta]",
                format_args!("`updated` = {:?} is not YYYY-MM-DD", self.updated),
            ));
        }
        Ok(())
    }
}

/// `YYYY-MM-DD` with a plausible month and day.
fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return false;
    }
    let num = |r: std::ops::Range<usize>| {
        s.get(r)
            .filter(|p| p.bytes().all(|c| c.is_ascii_digit()))
            .and_then(|p| p.parse::<u32>().ok())
    };
    matches!(
        (num(0..4), num(5..7), num(8..10)),
        (Some(_), Some(1..=12), Some(1..=31))
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert!(is_date("2026-11-23"));
        assert!(!is_date("2026-13-01"));
        assert!(!is_date("2026-1-01"));
        assert!(!is_date("2026-01-0x"));
        assert!(!is_date("2026-01-00"));
        assert!(!is_date(""));
    }

    #[test]
    fn schema_version_is_checked() {
        let ok = Header { schema_version: 1 };
        assert!(ok.check("f").is_ok());
        let bad = Header { schema_version: 2 };
        let err = bad.check("f.toml").unwrap_err().to_string();
        assert!(
            err.contains("f.toml") && err.contains("schema_version 2"),
            "{err}"
        );
    }
}
