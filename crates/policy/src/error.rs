//! Errors, and the located diagnostics they carry.

use std::fmt;
use std::path::PathBuf;

use leakscope_model::Decision;

/// A message about a place in a file: `file:line:col: message`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file (as given to the loader).
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<u32>,
    /// 1-based column, when known.
    pub column: Option<u32>,
    /// What is wrong.
    pub message: String,
    /// The offending source line with a caret under the column, when known.
    pub excerpt: Option<String>,
}

impl Diagnostic {
    /// A diagnostic without a position.
    pub fn new(file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.into(),
            line: None,
            column: None,
            message: message.into(),
            excerpt: None,
        }
    }

    /// A diagnostic at a 0-based byte offset into `text`.
    pub fn at_offset(
        file: impl Into<String>,
        text: &str,
        offset: usize,
        message: impl Into<String>,
    ) -> Self {
        let (line, column) = line_col(text, offset);
        Diagnostic {
            file: file.into(),
            line: Some(line),
            column: Some(column),
            message: message.into(),
            excerpt: None,
        }
    }

    /// Parses regorus' error text, which looks like
    /// `\n--> file:line:col\n  |\n3 | source\n  |  ^\nerror: message`.
    /// Text without a `-->` line becomes a diagnostic on `fallback_file`
    /// without a position.
    pub fn from_regorus(text: &str, fallback_file: &str) -> Self {
        let mut located: Option<(String, u32, u32)> = None;
        let mut excerpt = Vec::new();
        let mut message = None;
        for line in text.lines() {
            if let Some(rest) = line.trim_start().strip_prefix("--> ") {
                if located.is_none() {
                    located = parse_location(rest);
                }
            } else if let Some(m) = line.strip_prefix("error: ") {
                message = Some(m.trim().to_string());
            } else if located.is_some() && message.is_none() && line.contains('|') {
                excerpt.push(line);
            }
        }
        let message = message.unwrap_or_else(|| {
            let t = text.trim();
            if t.is_empty() {
                "unknown error".to_string()
            } else {
                t.to_string()
            }
        });
        match located {
            Some((file, line, column)) => Diagnostic {
                file,
                line: Some(line),
                column: Some(column),
                message,
                excerpt: Some(excerpt.join("\n")).filter(|e| !e.trim().is_empty()),
            },
            None => Diagnostic::new(fallback_file, message),
        }
    }

    /// The one-line form followed by the source excerpt, for terminals.
    pub fn render(&self) -> String {
        match &self.excerpt {
            Some(e) => format!("{self}\n{e}"),
            None => self.to_string(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(l), Some(c)) => write!(f, "{}:{l}:{c}: {}", self.file, self.message),
            (Some(l), None) => write!(f, "{}:{l}: {}", self.file, self.message),
            _ => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

/// `file:line:col` → its parts; the file may itself contain colons.
fn parse_location(s: &str) -> Option<(String, u32, u32)> {
    let s = s.trim();
    let (rest, col) = s.rsplit_once(':')?;
    let (file, line) = rest.rsplit_once(':')?;
    Some((file.to_string(), line.parse().ok()?, col.parse().ok()?))
}

/// 1-based line and column (in characters) of a byte offset.
pub(crate) fn line_col(text: &str, offset: usize) -> (u32, u32) {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end = end.saturating_sub(1);
    }
    let before = text.get(..end).unwrap_or("");
    let line = before.matches('\n').count().saturating_add(1);
    let line_start = before.rfind('\n').map_or(0, |i| i.saturating_add(1));
    let column = before
        .get(line_start..)
        .map_or(0, |l| l.chars().count())
        .saturating_add(1);
    (
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(column).unwrap_or(u32::MAX),
    )
}

/// Everything that can go wrong loading or evaluating a policy, its data,
/// suppressions or tests.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PolicyError {
    /// A file could not be read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// Neither a built-in pack nor an existing path.
    #[error("no policy pack or file named `{0}` (packs: {packs})", packs = crate::pack::names().join(", "))]
    UnknownPack(String),
    /// A policy does not parse or compile.
    #[error("{0}")]
    Invalid(Diagnostic),
    /// A policy defines neither `block` nor `warn` in package `leakscope`.
    #[error("{0}: defines neither `block` nor `warn` in package `leakscope`")]
    NoDecisionRules(String),
    /// A directory holds no `.rego` file.
    #[error("{}: no .rego file", .0.display())]
    NoPolicyFiles(PathBuf),
    /// Evaluation failed (a runtime error of the policy).
    #[error("{0}")]
    Evaluation(Diagnostic),
    /// Evaluation ran out of time.
    #[error("{policy}: evaluation exceeded the time limit of {limit_ms} ms")]
    TimeLimit {
        /// The policy.
        policy: String,
        /// The limit.
        limit_ms: u128,
    },
    /// `block` or `warn` produced something other than match objects.
    #[error("{policy}: `{level}` {detail}")]
    BadMatch {
        /// The policy.
        policy: String,
        /// `block` or `warn`.
        level: &'static str,
        /// What is wrong.
        detail: String,
    },
    /// Policy data is not a JSON object, or not JSON.
    #[error("{0}")]
    BadData(Diagnostic),
    /// The report given to `evaluate` is not a JSON object.
    #[error("the report is not a JSON object")]
    BadReport,
    /// A suppressions file is malformed.
    #[error("{0}")]
    Suppressions(Diagnostic),
    /// A policy test file is malformed.
    #[error("{0}")]
    Tests(Diagnostic),
}

impl PolicyError {
    /// The diagnostic, for errors that point into a file.
    pub fn diagnostic(&self) -> Option<&Diagnostic> {
        match self {
            PolicyError::Invalid(d)
            | PolicyError::Evaluation(d)
            | PolicyError::BadData(d)
            | PolicyError::Suppressions(d)
            | PolicyError::Tests(d) => Some(d),
            _ => None,
        }
    }
}

/// The level name used in Rego (`block`, `warn`).
pub(crate) fn level_name(level: Decision) -> &'static str {
    match level {
        Decision::Block => "block",
        Decision::Warn => "warn",
        Decision::Allow => "allow",
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn parses_regorus_messages() {
        let text =
            "\n--> dir/a:b.rego:6:12\n  |\n6 | x := y\n  |            ^\nerror: var y is unsafe";
        let d = Diagnostic::from_regorus(text, "fallback");
        assert_eq!(d.to_string(), "dir/a:b.rego:6:12: var y is unsafe");
        assert!(d.render().contains("6 | x := y"));
        let d = Diagnostic::from_regorus("not a valid rule path", "p.rego");
        assert_eq!(d.to_string(), "p.rego: not a valid rule path");
    }

    #[test]
    fn line_col_counts_characters() {
        let t = "ab\ncé d\n";
        assert_eq!(line_col(t, 0), (1, 1));
        assert_eq!(line_col(t, 3), (2, 1));
        assert_eq!(line_col(t, 6), (2, 3));
        assert_eq!(line_col(t, 5), (2, 2));
        assert_eq!(line_col(t, 999), (3, 1));
    }
}
