//! Many "wildcard literal" regexes searched at once, without compiling them.
//!
//! Every Exodus code signature, and nearly every network signature, is an
//! alternation of literals in which `.` stands for any character
//! (`com.google.ads.|com.doubleclick.`, `doubleclick\.net`). Compiling 1,200
//! such alternatives into a regex set costs more than analysing a small app,
//! so they are matched here instead: an Aho–Corasick automaton finds the
//! longest literal run of each alternative, and each hit is checked in place
//! against the whole alternative. The result equals `regex::RegexSet::matches`
//! on ASCII haystacks (tested against it); patterns with any other syntax are
//! left to the caller's regex set.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

/// One position of an alternative: a literal byte, or `.` (any byte but `\n`).
type Atom = Option<u8>;

/// The alternatives of one pattern, when the whole pattern is wildcard
/// literals; `None` otherwise (the caller compiles it as a regex).
///
/// Accepted: literal ASCII letters, digits and `_-/:@%&=,;'"!#<>~` `` ` ``,
/// escaped punctuation (`\.`), `.`, `|` at top level, and a leading or
/// trailing `.*` (a no-op in an unanchored search).
pub(crate) fn parse(pattern: &str) -> Option<Vec<Vec<Atom>>> {
    pattern.split('|').map(parse_alternative).collect()
}

fn parse_alternative(alt: &str) -> Option<Vec<Atom>> {
    let alt = alt.strip_prefix(".*").unwrap_or(alt);
    let alt = alt
        .strip_suffix(".*")
        .filter(|a| !a.ends_with('\\'))
        .unwrap_or(alt);
    let mut atoms = Vec::with_capacity(alt.len());
    let mut bytes = alt.bytes();
    while let Some(b) = bytes.next() {
        match b {
            b'.' => atoms.push(None),
            b'\\' => match bytes.next() {
                Some(e) if e.is_ascii_punctuation() => atoms.push(Some(e)),
                _ => return None,
            },
            b if b.is_ascii_alphanumeric() || b"_-/:@%&=,;'\"!#<>~`".contains(&b) => {
                atoms.push(Some(b))
            }
            _ => return None,
        }
    }
    // An empty alternative matches everything: leave it to the regex.
    (!atoms.is_empty()).then_some(atoms)
}

/// A compiled set of wildcard-literal patterns.
#[derive(Clone, Debug)]
pub(crate) struct WildcardSet {
    /// Over the anchor (longest literal run) of every alternative.
    anchors: AhoCorasick,
    /// Per anchor (Aho–Corasick pattern id): the alternative and the
    /// anchor's offset in it.
    anchor_of: Vec<(usize, usize)>,
    /// Per alternative: the caller's pattern index and the atoms.
    alternatives: Vec<(usize, Vec<Atom>)>,
    /// Alternatives without a literal (only dots): they match any haystack
    /// with that many bytes on one line.
    dots_only: Vec<(usize, usize)>,
}

impl WildcardSet {
    /// Builds the set from `(pattern index, alternatives)` pairs.
    pub(crate) fn new(patterns: Vec<(usize, Vec<Vec<Atom>>)>) -> Option<WildcardSet> {
        let mut anchor_bytes: Vec<Vec<u8>> = Vec::new();
        let mut anchor_of = Vec::new();
        let mut alternatives = Vec::new();
        let mut dots_only = Vec::new();
        for (pattern, alts) in patterns {
            for atoms in alts {
                match longest_literal(&atoms) {
                    Some((start, end)) => {
                        anchor_bytes.push(atoms[start..end].iter().flatten().copied().collect());
                        anchor_of.push((alternatives.len(), start));
                    }
                    None => dots_only.push((pattern, atoms.len())),
                }
                alternatives.push((pattern, atoms));
            }
        }
        let anchors = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            // Cheap to build; a DFA would cost more than it saves on one app.
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .build(&anchor_bytes)
            .ok()?;
        Some(WildcardSet {
            anchors,
            anchor_of,
            alternatives,
            dots_only,
        })
    }

    /// Adds to `out` the index of every pattern found in `haystack` (ASCII).
    pub(crate) fn matches(&self, haystack: &[u8], out: &mut Vec<usize>) {
        for hit in self.anchors.find_overlapping_iter(haystack) {
            let Some(&(alt, offset)) = self.anchor_of.get(hit.pattern().as_usize()) else {
                continue;
            };
            let Some((pattern, atoms)) = self.alternatives.get(alt) else {
                continue;
            };
            let Some(start) = hit.start().checked_sub(offset) else {
                continue;
            };
            let Some(window) = haystack.get(start..start + atoms.len()) else {
                continue;
            };
            if atoms_match(atoms, window) {
                out.push(*pattern);
            }
        }
        for &(pattern, len) in &self.dots_only {
            if haystack
                .split(|&b| b == b'\n')
                .any(|line| line.len() >= len)
            {
                out.push(pattern);
            }
        }
        out.sort_unstable();
        out.dedup();
    }
}

fn atoms_match(atoms: &[Atom], window: &[u8]) -> bool {
    atoms.iter().zip(window).all(|(a, &b)| match a {
        Some(lit) => *lit == b,
        None => b != b'\n',
    })
}

/// The longest run of literal atoms, as a range.
fn longest_literal(atoms: &[Atom]) -> Option<(usize, usize)> {
    let mut best: Option<(usize, usize)> = None;
    let mut run_start = None;
    for (i, a) in atoms.iter().chain(std::iter::once(&None)).enumerate() {
        match (a, run_start) {
            (Some(_), None) => run_start = Some(i),
            (None, Some(s)) => {
                if best.is_none_or(|(bs, be)| i - s > be - bs) {
                    best = Some((s, i));
                }
                run_start = None;
            }
            _ => {}
        }
    }
    best
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn set(patterns: &[&str]) -> WildcardSet {
        WildcardSet::new(
            patterns
                .iter()
                .enumerate()
                .map(|(i, p)| (i, parse(p).unwrap()))
                .collect(),
        )
        .unwrap()
    }

    fn found(s: &WildcardSet, haystack: &str) -> Vec<usize> {
        let mut out = Vec::new();
        s.matches(haystack.as_bytes(), &mut out);
        out
    }

    #[test]
    fn parses_only_wildcard_literals() {
        assert!(parse("com.google.ads.|com.doubleclick.").is_some());
        assert!(parse(r".*\.estimote\.com").is_some());
        assert!(parse(r"54\.243\.73\.253:8080/SilverPush/").is_some());
        for other in [r"mst[0-9]*\.is", "^a", "a$", "a|", "(a)", r"\d", "a+", "a?"] {
            assert!(parse(other).is_none(), "{other}");
        }
    }

    #[test]
    fn dot_matches_any_byte_but_newline() {
        let s = set(&["com.x.", "a..b"]);
        assert_eq!(found(&s, "Lcom/x/Y;"), [0]);
        assert_eq!(found(&s, "comaxa"), [0]);
        assert_eq!(found(&s, "com.x"), Vec::<usize>::new());
        assert_eq!(found(&s, "a\n\nb"), Vec::<usize>::new());
        assert_eq!(found(&s, "xa12b"), [1]);
    }

    proptest! {
        /// Equal to the regex crate on ASCII haystacks.
        #[test]
        fn equals_regex_set(
            patterns in proptest::collection::vec("[a-c./]{1,5}(\\|[a-c./]{1,4})?", 1..6),
            haystack in "[a-c./\n]{0,24}",
        ) {
            let s = set(&patterns.iter().map(String::as_str).collect::<Vec<_>>());
            let re = regex::bytes::RegexSet::new(&patterns).unwrap();
            let expected: Vec<usize> = re.matches(haystack.as_bytes()).into_iter().collect();
            prop_assert_eq!(found(&s, &haystack), expected);
        }
    }
}
