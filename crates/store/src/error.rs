//! The one error type of the store.

/// Result of every store operation.
pub type Result<T> = std::result::Result<T, StoreError>;

/// What can go wrong in the store. Database and blob errors keep their source for logs;
/// callers usually map `NotFound`/`Conflict`/`BadInput` to 4xx and everything else to 500.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The database or blob URL is malformed or names an unsupported scheme.
    #[error("bad URL {url:?}: {reason}")]
    BadUrl {
        /// The URL as given (passwords included, so do not log it verbatim).
        url: String,
        /// Why it was rejected.
        reason: String,
    },
    /// A query failed.
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    /// Running the schema migrations failed.
    #[error("migration error: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// Reading or writing an app blob failed.
    #[error("blob store error: {0}")]
    Blob(String),
    /// The analysis queue (apalis) failed.
    #[error("job queue error: {0}")]
    Queue(String),
    /// The thing named does not exist.
    #[error("not found: {0}")]
    NotFound(String),
    /// The thing to create already exists (for example an organization name).
    #[error("conflict: {0}")]
    Conflict(String),
    /// An argument was rejected (for example a SHA-256 that is not 64 hex digits).
    #[error("bad input: {0}")]
    BadInput(String),
    /// A value stored in the database could not be decoded (corrupt row).
    #[error("corrupt stored value: {0}")]
    Corrupt(String),
}

impl From<object_store::Error> for StoreError {
    fn from(e: object_store::Error) -> Self {
        StoreError::Blob(e.to_string())
    }
}
