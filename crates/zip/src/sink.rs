//! A bounded list of warnings that also tracks Android's verdict.

use crate::warning::{AndroidImpact, ZipWarning};

/// Collects warnings up to a limit, counts the rest, and keeps the worst
/// [`AndroidImpact`] seen (including dropped warnings).
#[derive(Debug)]
pub(crate) struct Sink {
    pub(crate) list: Vec<ZipWarning>,
    pub(crate) max: usize,
    pub(crate) dropped: u64,
    /// Worst Android impact of the warnings pushed.
    pub(crate) android: AndroidImpact,
    /// Entries with an index at or beyond this are invisible to Android (it
    /// reads only as many records as the EOCD declares), so their anomalies
    /// do not change its verdict.
    pub(crate) visible: u64,
}

impl Sink {
    pub(crate) fn new(max: usize) -> Self {
        Sink {
            list: Vec::new(),
            max,
            dropped: 0,
            android: AndroidImpact::None,
            visible: u64::MAX,
        }
    }

    /// Records an archive-level warning.
    pub(crate) fn push(&mut self, w: ZipWarning) {
        self.note(w.android_impact());
        self.store(w);
    }

    /// Records a warning about the entry at `index` (central-directory
    /// order).
    pub(crate) fn push_entry(&mut self, index: usize, w: ZipWarning) {
        if (index as u64) < self.visible {
            self.note(w.android_impact());
        }
        self.store(w);
    }

    fn note(&mut self, impact: AndroidImpact) {
        self.android = match (self.android, impact) {
            (AndroidImpact::ArchiveRejected, _) | (_, AndroidImpact::ArchiveRejected) => {
                AndroidImpact::ArchiveRejected
            }
            (AndroidImpact::EntryUnreadable, _) | (_, AndroidImpact::EntryUnreadable) => {
                AndroidImpact::EntryUnreadable
            }
            _ => AndroidImpact::None,
        };
    }

    fn store(&mut self, w: ZipWarning) {
        if self.list.len() < self.max {
            self.list.push(w);
        } else {
            self.dropped = self.dropped.saturating_add(1);
        }
    }

    /// True while more warnings would still be kept (lets callers skip
    /// building warnings that would be dropped anyway).
    pub(crate) fn has_room(&self) -> bool {
        self.list.len() < self.max
    }
}
