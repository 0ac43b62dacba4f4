//! Tracker signatures (`trackers/exodus.json`, derived from the Exodus
//! Privacy database under ODbL 1.0).

use std::collections::HashMap;
use std::sync::OnceLock;

use regex::{RegexBuilder, RegexSet, RegexSetBuilder};
use serde::Deserialize;

use crate::error::{KbError, KbWarning};
use crate::meta::{Header, Meta};
use crate::wildcard::{self, WildcardSet};

/// Compiled-size limit of one signature regex: bounds memory and matching
/// time for a hostile override file (the Exodus signatures need a few KiB).
const REGEX_SIZE_LIMIT: usize = 1 << 20;
/// Limit for the combined sets.
const SET_SIZE_LIMIT: usize = 64 << 20;

/// A signature: the pattern exactly as written in the data. Matching is a
/// *search* (unanchored), as with Python's `re.search` used by exodus-core;
/// use [`TrackerTable::match_class`] and [`TrackerTable::match_host`], which
/// run all signatures at once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature {
    /// The pattern as written (Exodus's text, unchanged).
    pub pattern: String,
}

/// One tracker SDK.
#[derive(Clone, Debug)]
pub struct Tracker {
    /// Exodus tracker id.
    pub id: u32,
    /// Name, e.g. `Google Firebase Analytics`.
    pub name: String,
    /// Website.
    pub website: String,
    /// Exodus categories, e.g. `Analytics`, `Advertisement`.
    pub categories: Vec<String>,
    /// Regex over class names; `None` when Exodus gives none.
    pub code_signature: Option<Signature>,
    /// Regex over host names; `None` when Exodus gives none.
    pub network_signature: Option<Signature>,
}

impl Tracker {
    /// The literal domains of the network signature: the alternatives of
    /// the regex that are plain host names once `\.` is unescaped and a
    /// leading `.*`, `^` or `(.*\.)?` and a trailing `$` are removed.
    /// Alternatives with other regex syntax are skipped.
    pub fn signature_domains(&self) -> Vec<String> {
        let Some(sig) = &self.network_signature else {
            return Vec::new();
        };
        sig.pattern
            .split('|')
            .filter_map(|alt| {
                let mut s = alt.trim();
                for p in ["^", "(.*\\.)?", ".*\\.", ".*", "\\."] {
                    s = s.strip_prefix(p).unwrap_or(s);
                }
                s = s.strip_suffix('$').unwrap_or(s);
                let host = s.replace("\\.", ".").to_ascii_lowercase();
                let plain = host.contains('.')
                    && !host.starts_with('.')
                    && !host.ends_with('.')
                    && host.bytes().all(|b| {
                        b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-'
                    });
                plain.then_some(host)
            })
            .collect()
    }
}

/// All trackers, with combined matchers.
#[derive(Clone, Debug)]
pub struct TrackerTable {
    list: Vec<Tracker>,
    by_id: HashMap<u32, usize>,
    code: SignatureSet,
    network: SignatureSet,
}

impl TrackerTable {
    /// A table of `trackers` (in the given order), their signatures
    /// compiled into one set each. A signature that does not compile is an
    /// error naming the tracker; so is a repeated id.
    pub fn from_trackers(trackers: Vec<Tracker>) -> Result<TrackerTable, KbError> {
        let mut by_id = HashMap::new();
        for (i, t) in trackers.iter().enumerate() {
            if by_id.insert(t.id, i).is_some() {
                return Err(KbError::duplicate("trackers", "tracker id", t.id));
            }
        }
        TrackerTable::build("trackers", trackers, by_id)
    }

    fn build(
        file: &str,
        list: Vec<Tracker>,
        by_id: HashMap<u32, usize>,
    ) -> Result<TrackerTable, KbError> {
        let code = SignatureSet::build(file, "code_signature", &list, |t| {
            t.code_signature.as_ref().map(|s| s.pattern.as_str())
        })?;
        let network = SignatureSet::build(file, "network_signature", &list, |t| {
            t.network_signature
                .as_ref()
                .map(|s| s.pattern.as_str())
                .filter(|p| !p.is_empty())
        })?;
        Ok(TrackerTable {
            list,
            by_id,
            code,
            network,
        })
    }

    /// Indexes (in table order) of the trackers whose code signature is
    /// found in `class_name`; see [`TrackerTable::match_class`].
    pub fn match_class_indexes(&self, class_name: &str) -> Vec<usize> {
        self.code.matches(class_name)
    }

    /// Indexes (in table order) of the trackers whose network signature is
    /// found in `host`.
    pub fn match_host_indexes(&self, host: &str) -> Vec<usize> {
        self.network.matches(host)
    }

    /// All trackers, by ascending id.
    pub fn iter(&self) -> impl Iterator<Item = &Tracker> {
        self.list.iter()
    }

    /// Number of trackers.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The tracker at index `i` (table order, as the `*_indexes` matches).
    pub fn at(&self, i: usize) -> Option<&Tracker> {
        self.list.get(i)
    }

    /// The tracker with this Exodus id.
    pub fn get(&self, id: u32) -> Option<&Tracker> {
        self.by_id.get(&id).and_then(|&i| self.list.get(i))
    }

    /// The trackers whose code signature matches `class_name` (searched
    /// anywhere in it, like exodus-core's `re.search`). Exodus's code
    /// signatures are dotted package prefixes whose `.` matches any
    /// character, so `com.example.Foo` and `Lcom/example/Foo;` give the same
    /// result except at the very end of a name; pass the form exodus-core
    /// uses when its results must be reproduced exactly.
    pub fn match_class(&self, class_name: &str) -> impl Iterator<Item = &Tracker> {
        self.code
            .matches(class_name)
            .into_iter()
            .filter_map(|t| self.list.get(t))
    }

    /// The trackers whose network signature matches `host` (searched
    /// anywhere in it).
    pub fn match_host(&self, host: &str) -> impl Iterator<Item = &Tracker> {
        self.network
            .matches(host)
            .into_iter()
            .filter_map(|t| self.list.get(t))
    }
}

/// The signatures of one kind (code or network) of all trackers.
///
/// Haystacks are nearly always ASCII (class names, host names). Patterns
/// that are wildcard literals (all of Exodus's code signatures, nearly all
/// network ones) are matched by [`WildcardSet`], which needs no compiling;
/// the others go into a byte-mode regex set (on an ASCII haystack an ASCII
/// pattern gives the same result in byte mode, where `.` is one byte, as in
/// Unicode mode, where `.` is one character as in Python). A non-ASCII
/// haystack is matched by a Unicode set of all patterns, built on first use
/// (or at load time when a pattern is not ASCII).
#[derive(Clone, Debug)]
struct SignatureSet {
    /// Tracker index (into `TrackerTable::list`) of each pattern.
    trackers: Vec<usize>,
    patterns: Vec<String>,
    /// The wildcard-literal patterns (indexes into `patterns`).
    wild: Option<WildcardSet>,
    /// The other patterns in byte mode, and their indexes into `patterns`;
    /// `None` when they need Unicode mode.
    rest: Option<(regex::bytes::RegexSet, Vec<usize>)>,
    unicode: OnceLock<Option<RegexSet>>,
}

impl SignatureSet {
    fn build(
        file: &str,
        what: &str,
        list: &[Tracker],
        pattern: impl Fn(&Tracker) -> Option<&str>,
    ) -> Result<Self, KbError> {
        let (mut trackers, mut patterns) = (Vec::new(), Vec::new());
        for (i, t) in list.iter().enumerate() {
            if let Some(p) = pattern(t) {
                trackers.push(i);
                patterns.push(p.to_owned());
            }
        }
        let (mut simple, mut rest) = (Vec::new(), Vec::new());
        for (i, p) in patterns.iter().enumerate() {
            match wildcard::parse(p) {
                Some(alternatives) => simple.push((i, alternatives)),
                None => rest.push(i),
            }
        }
        let wild = if simple.is_empty() {
            None
        } else {
            Some(WildcardSet::new(simple).ok_or_else(|| {
                KbError::invalid(file, format_args!("all {what}s"), "too many signatures")
            })?)
        };
        let rest_patterns: Vec<&str> = rest
            .iter()
            .filter_map(|&i| patterns.get(i).map(String::as_str))
            .collect();
        // Byte mode when every other pattern is ASCII and compiles there
        // (Unicode classes like `\p{L}` do not); otherwise the Unicode set, now.
        let ascii = rest_patterns
            .iter()
            .all(|p| p.is_ascii())
            .then(|| {
                regex::bytes::RegexSetBuilder::new(&rest_patterns)
                    .unicode(false)
                    .size_limit(SET_SIZE_LIMIT)
                    .build()
                    .ok()
            })
            .flatten();
        let unicode = OnceLock::new();
        if ascii.is_none() {
            let set = RegexSetBuilder::new(&patterns)
                .size_limit(SET_SIZE_LIMIT)
                .build()
                .map_err(|e| culprit(file, what, list, &trackers, &patterns, e))?;
            let _ = unicode.set(Some(set));
        }
        Ok(SignatureSet {
            trackers,
            patterns,
            wild,
            rest: ascii.map(|set| (set, rest)),
            unicode,
        })
    }

    /// Indexes (into `TrackerTable::list`) of the trackers that match.
    fn matches(&self, haystack: &str) -> Vec<usize> {
        let mut hits = Vec::new();
        match &self.rest {
            Some((rest, rest_index)) if haystack.is_ascii() => {
                if let Some(wild) = &self.wild {
                    wild.matches(haystack.as_bytes(), &mut hits);
                }
                hits.extend(
                    rest.matches(haystack.as_bytes())
                        .into_iter()
                        .filter_map(|i| rest_index.get(i).copied()),
                );
                hits.sort_unstable();
            }
            _ => {
                // Same patterns and limits as checked at load time, so this
                // does not fail in practice; if it did, nothing matches.
                let unicode = self.unicode.get_or_init(|| {
                    RegexSetBuilder::new(&self.patterns)
                        .size_limit(SET_SIZE_LIMIT)
                        .build()
                        .ok()
                });
                if let Some(u) = unicode {
                    hits.extend(u.matches(haystack));
                }
            }
        }
        hits.into_iter()
            .filter_map(|i| self.trackers.get(i).copied())
            .collect()
    }
}

/// The error for a set that does not compile, naming the tracker whose
/// pattern fails on its own, if one does.
fn culprit(
    file: &str,
    what: &str,
    list: &[Tracker],
    trackers: &[usize],
    patterns: &[String],
    e: regex::Error,
) -> KbError {
    for (&i, p) in trackers.iter().zip(patterns) {
        if let (Some(t), Err(e)) = (
            list.get(i),
            RegexBuilder::new(p).size_limit(REGEX_SIZE_LIMIT).build(),
        ) {
            return KbError::invalid(
                file,
                format_args!("tracker {} `{}`", t.id, t.name),
                format_args!("bad {what} regex: {e}"),
            );
        }
    }
    KbError::invalid(file, format_args!("all {what}s"), e)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[allow(dead_code)]
    schema_version: i64,
    meta: Meta,
    trackers: Vec<RawTracker>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTracker {
    id: u32,
    name: String,
    #[serde(default)]
    website: String,
    #[serde(default)]
    categories: Vec<String>,
    #[serde(default)]
    code_signature: String,
    #[serde(default)]
    network_signature: String,
}

/// Largest [`ast_cost`] accepted for one signature. Exodus's largest is a
/// few thousand; this refuses counted repetitions that would blow up the
/// compiled automaton (`(a{1000}){1000}`) before anything is compiled.
const MAX_PATTERN_COST: usize = 100_000;

/// A rough upper bound on the size of the automaton of `ast`: literals and
/// classes cost one, repetitions multiply. Computed on the syntax tree,
/// which is several times cheaper to get than the HIR.
fn ast_cost(ast: &regex_syntax::ast::Ast) -> usize {
    use regex_syntax::ast::{Ast, RepetitionKind, RepetitionRange};
    match ast {
        Ast::Empty(_) | Ast::Flags(_) | Ast::Literal(_) | Ast::Dot(_) | Ast::Assertion(_) => 1,
        Ast::ClassUnicode(_) | Ast::ClassPerl(_) | Ast::ClassBracketed(_) => 2,
        Ast::Repetition(rep) => {
            let times = match &rep.op.kind {
                RepetitionKind::ZeroOrOne
                | RepetitionKind::ZeroOrMore
                | RepetitionKind::OneOrMore => 1,
                RepetitionKind::Range(
                    RepetitionRange::Exactly(n) | RepetitionRange::AtLeast(n),
                ) => *n,
                RepetitionKind::Range(RepetitionRange::Bounded(_, max)) => *max,
            };
            let times = usize::try_from(times.max(1)).unwrap_or(usize::MAX);
            ast_cost(&rep.ast).saturating_mul(times).saturating_add(1)
        }
        Ast::Group(group) => ast_cost(&group.ast),
        Ast::Alternation(alt) => alt
            .asts
            .iter()
            .fold(1usize, |acc, a| acc.saturating_add(ast_cost(a))),
        Ast::Concat(cat) => cat
            .asts
            .iter()
            .fold(1usize, |acc, a| acc.saturating_add(ast_cost(a))),
    }
}

/// Checks the pattern's syntax and size cheaply, without compiling it: the
/// sets do that once for all trackers.
fn check(
    file: &str,
    entry: &str,
    what: &str,
    pattern: String,
) -> Result<Option<Signature>, KbError> {
    if pattern.is_empty() {
        return Ok(None);
    }
    // A wildcard literal is valid and its size is its length.
    if wildcard::parse(&pattern).is_some() && pattern.len() <= MAX_PATTERN_COST {
        return Ok(Some(Signature { pattern }));
    }
    // Syntax only: errors found when translating (rare, e.g. an unknown
    // Unicode class) come from compiling the set, with the tracker named.
    match regex_syntax::ast::parse::Parser::new().parse(&pattern) {
        Ok(ast) if ast_cost(&ast) <= MAX_PATTERN_COST => Ok(Some(Signature { pattern })),
        Ok(_) => Err(KbError::invalid(
            file,
            entry,
            format_args!("bad {what} regex: too large"),
        )),
        Err(e) => Err(KbError::invalid(
            file,
            entry,
            format_args!("bad {what} regex: {e}"),
        )),
    }
}

/// Parses and validates the tracker file.
pub(crate) fn load(
    file: &str,
    text: &str,
) -> Result<(TrackerTable, Meta, Vec<KbWarning>), KbError> {
    let header: Header = crate::source::from_json(file, text)?;
    header.check(file)?;
    let raw: RawFile = crate::source::from_json(file, text)?;
    raw.meta.validate(file)?;
    let mut list = Vec::with_capacity(raw.trackers.len());
    let mut by_id = HashMap::new();
    let mut warnings = Vec::new();
    for t in raw.trackers {
        let entry = format!("tracker {} `{}`", t.id, t.name);
        if t.name.trim().is_empty() {
            return Err(KbError::invalid(file, &entry, "empty name"));
        }
        if by_id.insert(t.id, list.len()).is_some() {
            return Err(KbError::duplicate(file, "tracker id", t.id));
        }
        if t.categories.iter().any(|c| c.trim().is_empty()) {
            return Err(KbError::invalid(file, &entry, "empty category"));
        }
        let code_signature = check(file, &entry, "code_signature", t.code_signature)?;
        let network_signature = check(file, &entry, "network_signature", t.network_signature)?;
        if code_signature.is_none() {
            warnings.push(KbWarning::EmptyCodeSignature {
                file: file.to_owned(),
                tracker: t.id,
                name: t.name.clone(),
            });
        }
        list.push(Tracker {
            id: t.id,
            name: t.name,
            website: t.website,
            categories: t.categories,
            code_signature,
            network_signature,
        });
    }
    Ok((TrackerTable::build(file, list, by_id)?, raw.meta, warnings))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn doc(trackers: &str) -> String {
        format!(
            r#"{{"schema_version": 1, "meta": {{"source": "s", "licence": "ODbL-1.0", "updated": "2026-01-01"}}, "trackers": [{trackers}]}}"#
        )
    }

    const TWO: &str = r#"
      {"id": 1, "name": "Teemo", "website": "https://teemo.co", "categories": ["Analytics"],
       "code_signature": "com.databerries.|com.geolocstation.", "network_signature": "databerries\\.com"},
      {"id": 49, "name": "Firebase", "categories": ["Analytics"], "code_signature": "com.google.firebase.analytics.",
       "network_signature": ".*\\.firebaseio\\.com|^app-measurement\\.com$|mt[0-9]*\\.google\\.cn"},
      {"id": 5, "name": "NoCode", "categories": [], "code_signature": "", "network_signature": ""}"#;

    #[test]
    fn loads_and_matches() {
        let (t, _, warnings) = load("t.json", &doc(TWO)).unwrap();
        assert_eq!(t.len(), 3);
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].to_string().contains("tracker 5 (NoCode)"));
        let hits: Vec<u32> = t
            .match_class("com.databerries.sdk.Foo")
            .map(|t| t.id)
            .collect();
        assert_eq!(hits, [1]);
        // Search semantics and `.` matching any character, as in Python.
        assert_eq!(
            t.match_class("xcom/google/firebase/analytics/A")
                .map(|t| t.id)
                .collect::<Vec<_>>(),
            [49]
        );
        assert_eq!(t.match_class("com.example.Main").count(), 0);
        assert_eq!(
            t.match_host("api.databerries.com")
                .map(|t| t.id)
                .collect::<Vec<_>>(),
            [1]
        );
        assert_eq!(t.get(49).unwrap().name, "Firebase");
        assert!(t.get(2).is_none());
        let mut d = t.get(49).unwrap().signature_domains();
        d.sort();
        assert_eq!(d, ["app-measurement.com", "firebaseio.com"]);
        assert_eq!(
            t.get(1).unwrap().code_signature.as_ref().unwrap().pattern,
            "com.databerries.|com.geolocstation."
        );
    }

    #[test]
    fn bad_regex_and_duplicate_ids_are_errors() {
        let e = load("t.json", &doc(r#"{"id": 7, "name": "Bad", "code_signature": "com.bad.(", "network_signature": ""}"#)).unwrap_err().to_string();
        assert!(
            e.contains("t.json")
                && e.contains("tracker 7 `Bad`")
                && e.contains("bad code_signature regex"),
            "{e}"
        );
        let e = load(
            "t.json",
            &doc(r#"{"id": 7, "name": "A"}, {"id": 7, "name": "B"}"#),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("duplicate tracker id `7`"), "{e}");
        let e = load("t.json", &doc(r#"{"id": 7, "name": "A", "owner": "x"}"#))
            .unwrap_err()
            .to_string();
        assert!(e.contains("owner"), "{e}");
    }

    #[test]
    fn non_ascii_haystacks_match_like_python() {
        // Python: re.search("com.databerries.", "comédataberriesX") matches,
        // because `.` is one character, not one byte.
        let (t, _, _) = load("t.json", &doc(TWO)).unwrap();
        assert_eq!(
            t.match_class("comédataberriesX")
                .map(|t| t.id)
                .collect::<Vec<_>>(),
            [1]
        );
        assert_eq!(
            t.match_class("com.databerries€")
                .map(|t| t.id)
                .collect::<Vec<_>>(),
            [1]
        );
        assert_eq!(t.match_class("comé").count(), 0);
        // A non-ASCII pattern is compiled in Unicode mode up front.
        let (t, _, _) = load(
            "t.json",
            &doc(r#"{"id": 3, "name": "U", "code_signature": "com.ü.x"}"#),
        )
        .unwrap();
        assert_eq!(t.match_class("com.ü.x.Y").count(), 1);
        assert_eq!(t.match_class("com.u.x.Y").count(), 0);
        assert_eq!(t.match_class("com.ü!x").count(), 1);
    }

    #[test]
    fn translation_errors_name_the_tracker() {
        let body = r#"{"id": 1, "name": "Ok", "code_signature": "com.ok."}, {"id": 8, "name": "Odd", "code_signature": "\\p{NotAClass}"}"#;
        let e = load("t.json", &doc(body)).unwrap_err().to_string();
        assert!(
            e.contains("tracker 8 `Odd`") && e.contains("bad code_signature regex"),
            "{e}"
        );
    }

    #[test]
    fn perl_classes_are_unicode_aware_like_python() {
        // Python's `\w` matches `ä`; the ASCII fast path must not change that.
        let body = r#"{"id": 4, "name": "W", "code_signature": "com\\.\\w+\\.sdk"}"#;
        let (t, _, _) = load("t.json", &doc(body)).unwrap();
        assert_eq!(t.match_class("com.abc.sdk.X").count(), 1);
        assert_eq!(t.match_class("com.äbc.sdk.X").count(), 1);
        assert_eq!(t.match_class("com.a-c.sdk.X").count(), 0);
    }

    #[test]
    fn huge_regex_is_refused() {
        let e = load(
            "t.json",
            &doc(r#"{"id": 7, "name": "Big", "code_signature": "(a{1000}){1000}"}"#),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("bad code_signature regex"), "{e}");
    }
}
