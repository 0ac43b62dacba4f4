//! The data files of the assessment (`data/assessment/`): embedded copies,
//! overrides read from a directory, and their common header.

use std::borrow::Cow;
use std::io::Read;
use std::path::Path;

use serde::Deserialize;

use crate::error::AssessError;

/// Largest data file read from a directory, in bytes.
pub const MAX_DATA_FILE_SIZE: u64 = 1 << 20;

/// One data file: its name under `data/assessment/` and its embedded text.
#[derive(Clone, Copy, Debug)]
pub(crate) struct DataFile {
    pub name: &'static str,
    pub embedded: &'static str,
}

pub(crate) const APP_KINDS: DataFile = DataFile {
    name: "app_kinds.toml",
    embedded: include_str!("../../../data/assessment/app_kinds.toml"),
};

pub(crate) const SCORING: DataFile = DataFile {
    name: "scoring.toml",
    embedded: include_str!("../../../data/assessment/scoring.toml"),
};

pub(crate) const PLAY_IDS: DataFile = DataFile {
    name: "play_data_types.toml",
    embedded: include_str!("../../../data/assessment/play_data_types.toml"),
};

/// The `[meta]` table every data file has.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    /// Who wrote the data, from what.
    pub source: String,
    /// Its licence.
    pub licence: String,
    /// Date of the last change (`YYYY-MM-DD`).
    pub updated: String,
    /// Version of the file's content.
    pub version: String,
}

/// The text of `file`: from `dir` when given and the file exists there,
/// else the embedded copy. Returns the label to name it in errors.
pub(crate) fn read(
    dir: Option<&Path>,
    file: DataFile,
) -> Result<(String, Cow<'static, str>), AssessError> {
    let Some(dir) = dir else {
        return Ok((
            format!("embedded {}", file.name),
            Cow::Borrowed(file.embedded),
        ));
    };
    let path = dir.join(file.name);
    let label = path.display().to_string();
    let f = match std::fs::File::open(&path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok((
                format!("embedded {}", file.name),
                Cow::Borrowed(file.embedded),
            ));
        }
        Err(source) => {
            return Err(AssessError::Io {
                file: label,
                source,
            });
        }
    };
    let mut text = String::new();
    f.take(MAX_DATA_FILE_SIZE.saturating_add(1))
        .read_to_string(&mut text)
        .map_err(|source| AssessError::Io {
            file: label.clone(),
            source,
        })?;
    if u64::try_from(text.len()).unwrap_or(u64::MAX) > MAX_DATA_FILE_SIZE {
        return Err(AssessError::data(
            &label,
            format_args!("larger than {MAX_DATA_FILE_SIZE} bytes"),
        ));
    }
    Ok((label, Cow::Owned(text)))
}

/// Parses TOML into `T`, naming the file in the error.
pub(crate) fn from_toml<T: for<'de> Deserialize<'de>>(
    label: &str,
    text: &str,
) -> Result<T, AssessError> {
    toml::from_str(text).map_err(|e| AssessError::data(label, e.to_string().trim_end()))
}

/// Checks the header fields common to every file.
pub(crate) fn check_header(
    label: &str,
    schema_version: i64,
    meta: &Meta,
) -> Result<(), AssessError> {
    if schema_version != 1 {
        return Err(AssessError::data(
            label,
            format_args!("schema_version {schema_version} is not supported (expected 1)"),
        ));
    }
    for (field, value) in [
        ("source", &meta.source),
        ("licence", &meta.licence),
        ("updated", &meta.updated),
        ("version", &meta.version),
    ] {
        if value.trim().is_empty() {
            return Err(AssessError::data(
                label,
                format_args!("[meta] {field} is empty"),
            ));
        }
    }
    Ok(())
}
