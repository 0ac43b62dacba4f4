//! Where the data files come from: embedded in the binary, or a directory
//! that overrides them file by file.

use std::borrow::Cow;
use std::io::Read;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use crate::error::KbError;

/// Largest data file the loader reads from an override directory (the
/// embedded files are far smaller).
pub const MAX_FILE_SIZE: u64 = 32 * 1024 * 1024;

/// A data file of the knowledge base: its path relative to the data
/// directory, and its embedded content.
#[derive(Clone, Copy, Debug)]
pub(crate) struct DataFile {
    pub(crate) name: &'static str,
    pub(crate) embedded: &'static str,
}

pub(crate) const CATEGORIES: DataFile = DataFile {
    name: "categories.toml",
    embedded: include_str!("../../../data/categories.toml"),
};
pub(crate) const APIS: DataFile = DataFile {
    name: "android/apis.toml",
    embedded: include_str!("../../../data/android/apis.toml"),
};
pub(crate) const PERMISSIONS: DataFile = DataFile {
    name: "android/permissions.json",
    embedded: include_str!("../../../data/android/permissions.json"),
};
pub(crate) const PERMISSION_CATEGORIES: DataFile = DataFile {
    name: "android/permission_categories.toml",
    embedded: include_str!("../../../data/android/permission_categories.toml"),
};
pub(crate) const TRACKERS: DataFile = DataFile {
    name: "trackers/exodus.json",
    embedded: include_str!("../../../data/trackers/exodus.json"),
};
pub(crate) const OWNERS: DataFile = DataFile {
    name: "domains/owners.toml",
    embedded: include_str!("../../../data/domains/owners.toml"),
};

/// Every data file, in load order.
pub const FILE_NAMES: [&str; 6] = [
    CATEGORIES.name,
    APIS.name,
    PERMISSIONS.name,
    PERMISSION_CATEGORIES.name,
    TRACKERS.name,
    OWNERS.name,
];

/// Where a loaded file was read from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The copy embedded in the binary.
    Embedded,
    /// A file of the override directory.
    Dir(PathBuf),
    /// Text given by the caller ([`Kb::load_texts`](crate::Kb::load_texts)).
    Given,
}

/// One loaded data file: its name, origin and provenance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileInfo {
    /// Path relative to the data directory, e.g. `android/apis.toml`.
    pub name: &'static str,
    /// Where it was read from.
    pub origin: Origin,
    /// Its `[meta]`: source, licence, update date.
    pub meta: crate::Meta,
}

/// Where to look for files before taking the embedded copies.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Overrides<'a> {
    /// Nowhere: everything is embedded.
    None,
    /// A directory holding files named as in [`FILE_NAMES`].
    Dir(&'a Path),
    /// `(name, text)` pairs given by the caller.
    Texts(&'a [(&'a str, &'a str)]),
}

/// The text of one file, and the label used in error messages.
pub(crate) struct Loaded<'a> {
    pub(crate) label: String,
    pub(crate) text: Cow<'a, str>,
    pub(crate) origin: Origin,
}

/// Reads `file` from the overrides if they have it, else takes the
/// embedded copy.
pub(crate) fn read<'a>(overrides: Overrides<'a>, file: DataFile) -> Result<Loaded<'a>, KbError> {
    let embedded = || Loaded {
        label: format!("{} (embedded)", file.name),
        text: Cow::Borrowed(file.embedded),
        origin: Origin::Embedded,
    };
    let dir = match overrides {
        Overrides::None => return Ok(embedded()),
        Overrides::Texts(texts) => {
            return Ok(match texts.iter().find(|(name, _)| *name == file.name) {
                Some((_, text)) => Loaded {
                    label: format!("{} (given)", file.name),
                    text: Cow::Borrowed(text),
                    origin: Origin::Given,
                },
                None => embedded(),
            });
        }
        Overrides::Dir(dir) => dir,
    };
    let path = dir.join(file.name);
    let label = path.display().to_string();
    match std::fs::metadata(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(embedded()),
        Err(source) => {
            return Err(KbError::Io {
                file: label,
                source,
            });
        }
        // A FIFO or device would block or never end.
        Ok(m) if !m.is_file() => {
            let source =
                std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a regular file");
            return Err(KbError::Io {
                file: label,
                source,
            });
        }
        Ok(_) => {}
    }
    let f = std::fs::File::open(&path).map_err(|source| KbError::Io {
        file: label.clone(),
        source,
    })?;
    let mut text = String::new();
    // Read one byte past the limit to detect oversized files without
    // trusting the metadata (which can change, or lie for special files).
    if let Err(source) = f
        .take(MAX_FILE_SIZE.saturating_add(1))
        .read_to_string(&mut text)
    {
        return Err(KbError::Io {
            file: label,
            source,
        });
    }
    let size = u64::try_from(text.len()).unwrap_or(u64::MAX);
    if size > MAX_FILE_SIZE {
        return Err(KbError::TooLarge {
            file: label,
            size,
            limit: MAX_FILE_SIZE,
        });
    }
    Ok(Loaded {
        label,
        text: Cow::Owned(text),
        origin: Origin::Dir(path),
    })
}

pub(crate) fn from_toml<T: DeserializeOwned>(file: &str, text: &str) -> Result<T, KbError> {
    toml::from_str(text).map_err(|e| KbError::Syntax {
        file: file.to_owned(),
        message: e.to_string().trim_end().to_owned(),
    })
}

pub(crate) fn from_json<T: DeserializeOwned>(file: &str, text: &str) -> Result<T, KbError> {
    serde_json::from_str(text).map_err(|e| KbError::Syntax {
        file: file.to_owned(),
        message: e.to_string(),
    })
}
