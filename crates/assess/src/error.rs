//! The errors and warnings of this crate.

use std::fmt;

/// Why an assessment, or the assessment data, could not be produced.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AssessError {
    /// A data file could not be read.
    #[error("{file}: {source}")]
    Io {
        /// The file.
        file: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A data file is malformed or inconsistent.
    #[error("{file}: {message}")]
    Data {
        /// The file.
        file: String,
        /// What is wrong, naming the entry.
        message: String,
    },
    /// `--app-kind` names a kind the expectations table does not have.
    #[error("unknown app kind `{kind}` (known kinds: {})", known.join(", "))]
    UnknownKind {
        /// The kind given.
        kind: String,
        /// The kinds of the table.
        known: Vec<String>,
    },
}

impl AssessError {
    pub(crate) fn data(file: &str, message: impl fmt::Display) -> AssessError {
        AssessError::Data {
            file: file.to_owned(),
            message: message.to_string(),
        }
    }
}

/// Why a declarations file could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DeclarationsError {
    /// The file could not be read.
    #[error("{file}: {source}")]
    Io {
        /// The file.
        file: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The file is larger than [`MAX_DECLARATIONS_SIZE`](crate::MAX_DECLARATIONS_SIZE).
    #[error("{file}: {size} bytes is more than the {limit} bytes a declarations file may have")]
    TooLarge {
        /// The file.
        file: String,
        /// Its size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// The JSON is malformed or has the wrong shape.
    #[error("declarations JSON: {0}")]
    Json(String),
    /// The CSV is malformed.
    #[error("Play Console CSV, line {line}: {message}")]
    Csv {
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// Neither JSON nor a Play Console CSV.
    #[error("{file}: not a declarations file (expected JSON or a Play Console Data safety CSV)")]
    UnknownFormat {
        /// The file.
        file: String,
    },
    /// The embedded mapping data could not be loaded (a broken build).
    #[error("declarations mapping data: {0}")]
    Mapping(String),
}

/// Something in a declarations file that was ignored.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DeclarationWarning {
    /// A CSV question id that leakscope does not know.
    UnknownQuestion {
        /// 1-based line number.
        line: usize,
        /// The question id.
        id: String,
    },
    /// A data type (Play id, Play name or category id) that maps to no
    /// leakscope category.
    UnknownDataType {
        /// Where: `line 12` or the JSON field.
        place: String,
        /// The data type.
        data_type: String,
    },
    /// A JSON field that the format does not have.
    UnknownField(String),
    /// A CSV response value other than `true`/`false` (taken as not given).
    OddValue {
        /// 1-based line number.
        line: usize,
        /// The value.
        value: String,
    },
}

impl fmt::Display for DeclarationWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownQuestion { line, id } => {
                write!(f, "line {line}: unknown question id `{id}`, ignored")
            }
            Self::UnknownDataType { place, data_type } => {
                write!(f, "{place}: unknown data type `{data_type}`, ignored")
            }
            Self::UnknownField(name) => write!(f, "unknown field `{name}`, ignored"),
            Self::OddValue { line, value } => {
                write!(
                    f,
                    "line {line}: response value `{value}` is neither true nor false, ignored"
                )
            }
        }
    }
}
