//! Resource limits applied while parsing and reading an archive.

/// Bounds on the work and memory an archive may cost.
///
/// Every limit is checked before memory is allocated: a hostile archive can
/// make a read fail, but never make it allocate more than these bounds. The
/// defaults suit real APKs (largest seen: a few hundred MiB of DEX) while
/// refusing zip bombs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Maximum number of central-directory entries read. Entries beyond it
    /// are dropped with a [`crate::ZipWarning::TooManyEntries`] warning.
    /// Default 200 000.
    pub max_entries: usize,
    /// Maximum size of one entry's inflated output, in bytes. Default 1 GiB.
    pub max_entry_size: u64,
    /// Maximum number of bytes inflated across all reads of one archive
    /// (shared by all threads reading it). Stored entries are returned
    /// borrowed and do not count. Default 4 GiB.
    pub max_total_inflated: u64,
    /// Largest accepted ratio of inflated to compressed size for entries whose
    /// output is at least [`Limits::ratio_threshold`] bytes. Default 100.
    pub max_compression_ratio: u64,
    /// Output size from which [`Limits::max_compression_ratio`] applies.
    /// Default 8 MiB.
    pub ratio_threshold: u64,
    /// How far back from the end of the file the end-of-central-directory
    /// record is searched for, i.e. the largest archive comment accepted
    /// (at most 65 535, the format's own maximum). Default 65 535.
    pub max_comment_size: usize,
    /// Maximum number of warnings kept; later ones are counted in a final
    /// [`crate::ZipWarning::WarningsDropped`]. Default 10 000.
    pub max_warnings: usize,
    /// How deeply the *caller* may open archives found inside archives (an
    /// XAPK holding APKs is depth 1). [`crate::Archive`] itself never opens
    /// nested archives; this field only carries the policy. Default 3.
    pub nesting_depth: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_entries: 200_000,
            max_entry_size: 1 << 30,
            max_total_inflated: 4 << 30,
            max_compression_ratio: 100,
            ratio_threshold: 8 << 20,
            max_comment_size: 0xFFFF,
            max_warnings: 10_000,
            nesting_depth: 3,
        }
    }
}
