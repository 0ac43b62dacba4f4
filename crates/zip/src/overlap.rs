//! Detecting entries whose bytes overlap (zip-bomb and hiding tricks).

use crate::entry::{Decoding, Entry};
use crate::limits::Limits;
use crate::local::entry_name;
use crate::sink::Sink;
use crate::warning::ZipWarning;

/// Span of one entry in the file: local header start to data end.
#[derive(Clone, Copy)]
struct Span {
    start: u64,
    end: u64,
    index: usize,
}

/// Warns about overlapping entries and marks groups of overlapping deflated
/// entries whose combined declared output exceeds the limits as refused.
///
/// `headers[i]` is the actual local header offset of entry `i` when resolved.
pub(crate) fn check(
    entries: &mut [Entry<'_>],
    headers: &[Option<usize>],
    limits: &Limits,
    sink: &mut Sink,
) {
    let mut spans: Vec<Span> = entries
        .iter()
        .zip(headers)
        .filter_map(|(e, h)| {
            let start = (*h)? as u64;
            let end = e.data_offset?.saturating_add(e.data_len());
            Some(Span {
                start,
                end,
                index: e.index,
            })
        })
        .collect();
    spans.sort_unstable_by_key(|s| (s.start, s.end));
    let mut group: Vec<usize> = Vec::new();
    let mut reach: Option<Span> = None;
    for s in spans {
        match reach {
            Some(r) if s.start < r.end => {
                if sink.has_room() {
                    let name = entries
                        .get(s.index)
                        .map(|e| entry_name(e.name))
                        .unwrap_or_default();
                    let other = entries
                        .get(r.index)
                        .map(|e| entry_name(e.name))
                        .unwrap_or_default();
                    sink.push(ZipWarning::OverlappingEntries { name, other });
                } else {
                    sink.push(ZipWarning::OverlappingEntries {
                        name: String::new(),
                        other: String::new(),
                    });
                }
                if group.is_empty() {
                    group.push(r.index);
                }
                group.push(s.index);
                if s.end > r.end {
                    reach = Some(s);
                }
            }
            _ => {
                close_group(entries, &mut group, limits, sink);
                reach = Some(s);
            }
        }
    }
    close_group(entries, &mut group, limits, sink);
}

/// Refuses a finished group of overlapping entries if, inflated together,
/// they would exceed the total or per-entry budget.
fn close_group(
    entries: &mut [Entry<'_>],
    group: &mut Vec<usize>,
    limits: &Limits,
    sink: &mut Sink,
) {
    if group.len() < 2 {
        group.clear();
        return;
    }
    let total = group
        .iter()
        .filter_map(|&i| entries.get(i))
        .filter(|e| e.decoding() == Decoding::Deflated)
        .fold(0u64, |acc, e| acc.saturating_add(e.uncompressed_size));
    if total > limits.max_total_inflated {
        let mut refused = 0usize;
        for &i in group.iter() {
            if let Some(e) = entries.get_mut(i)
                && e.decoding() == Decoding::Deflated
            {
                e.refused_overlap = true;
                refused += 1;
            }
        }
        sink.push(ZipWarning::OverlapBombRefused {
            entries: refused,
            total_declared: total,
        });
    }
    group.clear();
}
