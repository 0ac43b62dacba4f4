//! The extractor: one pass of one regex over the bytes, then per-match rules.

use std::collections::HashSet;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::LazyLock;

use regex::bytes::Regex;
use url::{Host, Url};

use crate::endpoint::{Candidate, CandidateKind, Endpoint, IpScope, NoiseReason, Outcome};
use crate::error::ExtractorError;
use crate::host::{MAX_HOST_LEN, is_reportable_name, judge_bare_name, registrable_domain};
use crate::ip::{classify, classify_bare_v4, parse_bare_v6, parse_dotted_quad};
use crate::noise::NoiseTable;
use crate::strings::utf16le_strings;

/// Longest URL we look at; longer runs are cut here.
const MAX_URL_LEN: usize = 2048;

/// One alternation so that the bytes are scanned once. Order matters
/// (leftmost-first): URLs, then protocol-relative URLs, then IPv6, then
/// dotted names (which include dotted quads), each with an optional port.
/// Identifier characters `_` and `$` are part of the name class so that
/// `foo_bar.baz` is seen whole (and rejected) rather than as `bar.baz`.
const PATTERN: &str = r#"(?i-u)(?:https?|wss?|ftp)://[^\x00-\x20"'<>\\`^|\x7f]{0,2048}|//[a-z0-9][a-z0-9_$-]*(?:\.[a-z0-9_$-]+)+(?::[0-9]{1,5})?(?:[/?#][^\x00-\x20"'<>\\`^|\x7f]{0,2048})?|[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}(?:\.[0-9]{1,3}){0,3}|[a-z0-9_$][a-z0-9_$-]*(?:\.[a-z0-9_$-]+)+(?::[0-9]{1,5})?"#;

static REGEX: LazyLock<Result<Regex, String>> =
    LazyLock::new(|| Regex::new(PATTERN).map_err(|e| e.to_string()));

/// Finds network endpoints in byte strings.
///
/// Build it once and reuse it (it is `Sync`; share it across rayon
/// workers): the pattern is compiled once per process.
///
/// ```
/// use leakscope_endpoints::Extractor;
/// let ex = Extractor::new()?;
/// let found = ex.endpoints(br#"{"host":"api.tracker.io","xmlns":"http://www.w3.org/2000/svg"}"#);
/// assert_eq!(found.len(), 1);
/// assert_eq!(found[0].host, "api.tracker.io");
/// assert_eq!(found[0].registrable_domain.as_deref(), Some("tracker.io"));
/// # Ok::<(), leakscope_endpoints::ExtractorError>(())
/// ```
#[derive(Clone, Debug)]
pub struct Extractor {
    regex: Regex,
    noise: NoiseTable,
    /// Lowercase dotted package names and all their prefixes of two or more
    /// labels.
    packages: HashSet<String>,
}

impl Extractor {
    /// An extractor with the built-in noise table.
    pub fn new() -> Result<Extractor, ExtractorError> {
        Extractor::with_noise(NoiseTable::builtin()?)
    }

    /// An extractor with the given noise table (e.g. one loaded from the
    /// user's `--kb` directory).
    pub fn with_noise(noise: NoiseTable) -> Result<Extractor, ExtractorError> {
        let regex = REGEX
            .as_ref()
            .map_err(|e| ExtractorError::Pattern(e.clone()))?
            .clone();
        Ok(Extractor {
            regex,
            noise,
            packages: HashSet::new(),
        })
    }

    /// Teaches the extractor the app's package names (dotted, e.g. from the
    /// DEX class list: `com.foo.sdk` for `Lcom/foo/sdk/A;`). A bare dotted
    /// name that equals one of them, is a prefix of one (two labels or
    /// more), or extends one, is rejected as [`NoiseReason::PackageName`].
    pub fn add_known_packages<I, S>(&mut self, packages: I)
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        for p in packages {
            let p = p.as_ref().trim_matches('.').to_ascii_lowercase();
            if p.len() > MAX_HOST_LEN * 4 {
                continue;
            }
            if !p.contains('.') {
                continue;
            }
            // Every prefix of two labels or more: `a.b`, `a.b.c`, …
            for (i, _) in p.match_indices('.').skip(1) {
                if let Some(prefix) = p.get(..i) {
                    self.packages.insert(prefix.to_owned());
                }
            }
            self.packages.insert(p);
        }
    }

    /// Scans `bytes` and calls `out` for every candidate, endpoint or noise,
    /// in order of offset. Nothing is allocated for bytes that match
    /// nothing.
    pub fn scan(&self, bytes: &[u8], out: &mut impl FnMut(Candidate)) {
        let mut pos = 0usize;
        while let Some(m) = self.regex.find_at(bytes, pos) {
            let (start, end) = (m.start(), m.end());
            // Always make progress, even on an empty match.
            pos = end.max(start.saturating_add(1));
            // `x.http://host`: the dotted-name branch ate the scheme; drop
            // the name and rescan from the scheme.
            if bytes.get(end..end.saturating_add(3)) == Some(b"://")
                && let Some(scheme_len) = scheme_suffix(m.as_bytes())
                && end.saturating_sub(scheme_len) > start
            {
                pos = end.saturating_sub(scheme_len);
                continue;
            }
            let before = start.checked_sub(1).and_then(|i| bytes.get(i)).copied();
            let after = bytes.get(end).copied();
            if let Some(c) = self.judge(m.as_bytes(), start, before, after) {
                out(c);
            }
        }
    }

    /// Scans the bytes of a native library (or any binary): the ASCII
    /// strings in place, plus the UTF-16LE strings of at least `min_len`
    /// characters. Offsets of UTF-16 candidates point into `bytes`.
    pub fn scan_binary(&self, bytes: &[u8], min_len: usize, out: &mut impl FnMut(Candidate)) {
        self.scan(bytes, out);
        let mut buf = Vec::new();
        for run in utf16le_strings(bytes, min_len) {
            run.decode_into(&mut buf);
            let base = run.offset();
            self.scan(&buf, &mut |mut c: Candidate| {
                c.offset = base.saturating_add(c.offset.saturating_mul(2));
                c.len = c.len.saturating_mul(2);
                out(c);
            });
        }
    }

    /// Convenience: the distinct endpoints in `bytes`, in order of first
    /// appearance.
    pub fn endpoints(&self, bytes: &[u8]) -> Vec<Endpoint> {
        let mut f = crate::Findings::new();
        self.scan(bytes, &mut |c| f.record(c));
        f.into_endpoints()
    }

    fn judge(
        &self,
        m: &[u8],
        start: usize,
        before: Option<u8>,
        after: Option<u8>,
    ) -> Option<Candidate> {
        let first = *m.first()?;
        if first == b'/' {
            return self.judge_schemeless(m, start, before);
        }
        if first.is_ascii_alphabetic()
            && let Some(colon) = memchr::memchr(b':', m)
            && colon <= 5
            && m.get(colon..colon.saturating_add(3)) == Some(b"://")
        {
            return Some(self.judge_url(m, start));
        }
        if memchr::memchr_iter(b':', m).nth(1).is_some() {
            return judge_v6(m, start, before, after);
        }
        Some(self.judge_dotted(m, start, before, after))
    }

    fn judge_url(&self, m: &[u8], start: usize) -> Candidate {
        let text = trim_url(valid_utf8_prefix(m));
        let cand = |outcome| Candidate {
            offset: start,
            len: text.len(),
            kind: CandidateKind::Url,
            outcome,
        };
        let Some(sep) = text.find("://") else {
            return cand(Outcome::Noise(NoiseReason::NoHost));
        };
        let rest = text.get(sep.saturating_add(3)..).unwrap_or_default();
        let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let authority = rest.get(..authority_end).unwrap_or_default();
        if let Some(r) = authority_noise(authority) {
            return cand(Outcome::Noise(r));
        }
        let Ok(url) = Url::parse(text) else {
            return cand(Outcome::Noise(NoiseReason::NoHost));
        };
        cand(self.url_endpoint(&url, false))
    }

    fn url_endpoint(&self, url: &Url, schemeless: bool) -> Outcome {
        let scheme = url.scheme().to_owned();
        let cleartext = !schemeless && matches!(scheme.as_str(), "http" | "ws" | "ftp");
        let (host, is_ip, ip_scope, registrable) = match url.host() {
            None => return Outcome::Noise(NoiseReason::NoHost),
            Some(Host::Domain(d)) => {
                let d = d.trim_end_matches('.').to_ascii_lowercase();
                if let Some(r) = self.noise.classify(&d, url.path()) {
                    return Outcome::Noise(r);
                }
                if !is_reportable_name(&d) {
                    return Outcome::Noise(NoiseReason::UnknownSuffix);
                }
                let reg = registrable_domain(&d);
                if reg.is_none() {
                    return Outcome::Noise(NoiseReason::UnknownSuffix);
                }
                (d, false, None, reg)
            }
            Some(Host::Ipv4(v4)) => match classify(IpAddr::V4(v4)) {
                Ok(s) => (v4.to_string(), true, Some(s), None),
                Err(r) => return Outcome::Noise(r),
            },
            Some(Host::Ipv6(v6)) => match classify(IpAddr::V6(v6)) {
                Ok(s) => (v6.to_string(), true, Some(s), None),
                Err(r) => return Outcome::Noise(r),
            },
        };
        let url_text = if schemeless {
            let s = url.as_str();
            s.find("//")
                .and_then(|i| s.get(i..))
                .unwrap_or(s)
                .to_owned()
        } else {
            url.as_str().to_owned()
        };
        Outcome::Endpoint(Endpoint {
            url: Some(url_text),
            host,
            port: url.port(),
            scheme: (!schemeless).then_some(scheme),
            registrable_domain: registrable,
            is_ip,
            ip_scope,
            cleartext,
        })
    }

    fn judge_schemeless(&self, m: &[u8], start: usize, before: Option<u8>) -> Option<Candidate> {
        // `content://`, `file://`, `a//b`, `x///y`: not a protocol-relative
        // URL, and not a candidate at all.
        if before.is_some_and(|b| b.is_ascii_alphanumeric() || b"/:._-\\".contains(&b)) {
            return None;
        }
        let text = trim_url(valid_utf8_prefix(m));
        let rest = text.get(2..)?;
        let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let authority = rest.get(..authority_end)?;
        let host_raw = authority.split(':').next()?;
        let cand = |outcome| Candidate {
            offset: start,
            len: text.len(),
            kind: CandidateKind::SchemelessUrl,
            outcome,
        };
        if let Err(r) = judge_bare_name(host_raw) {
            return Some(cand(Outcome::Noise(r)));
        }
        if self.is_known_package(&host_raw.to_ascii_lowercase()) {
            return Some(cand(Outcome::Noise(NoiseReason::PackageName)));
        }
        let Ok(url) = Url::parse(&format!("https:{text}")) else {
            return Some(cand(Outcome::Noise(NoiseReason::NoHost)));
        };
        Some(cand(self.url_endpoint(&url, true)))
    }

    fn judge_dotted(
        &self,
        m: &[u8],
        start: usize,
        before: Option<u8>,
        after: Option<u8>,
    ) -> Candidate {
        // The regex guarantees ASCII here.
        let text = std::str::from_utf8(m).unwrap_or_default();
        let (name, port_text) = match text.rsplit_once(':') {
            Some((n, p)) => (n, Some(p)),
            None => (text, None),
        };
        let port_ok = port_text
            .and_then(|p| p.parse::<u16>().ok())
            .filter(|p| *p != 0);
        // `host:123456`: the regex stopped at five digits; drop the port.
        let (port, len) = match (port_ok, after) {
            (Some(p), a) if !a.is_some_and(|a| a.is_ascii_digit()) => (Some(p), text.len()),
            _ => (None, name.len()),
        };
        let all_numeric = name.bytes().all(|c| c.is_ascii_digit() || c == b'.');
        let kind = if all_numeric {
            CandidateKind::Ipv4
        } else {
            CandidateKind::Hostname
        };
        let cand = |outcome| Candidate {
            offset: start,
            len,
            kind,
            outcome,
        };
        let name_after = if len == text.len() { after } else { Some(b':') };
        let boundary = self.bare_boundary(before, name_after, all_numeric);
        if all_numeric {
            if let Some(r) = boundary {
                return cand(Outcome::Noise(r));
            }
            let ip = match parse_dotted_quad(name) {
                Ok(ip) => ip,
                Err(r) => return cand(Outcome::Noise(r)),
            };
            return cand(ip_outcome(ip, port));
        }
        if self.is_known_package(&name.to_ascii_lowercase()) {
            return cand(Outcome::Noise(NoiseReason::PackageName));
        }
        // The name's own shape is the more telling reason (`java.lang.Foo(`
        // is a package name before it is an identifier).
        let host = match judge_bare_name(name) {
            Ok(h) => h,
            Err(r) => return cand(Outcome::Noise(r)),
        };
        if let Some(r) = boundary {
            return cand(Outcome::Noise(r));
        }
        if let Some(r) = self.noise.classify(&host, "") {
            return cand(Outcome::Noise(r));
        }
        let registrable_domain = registrable_domain(&host);
        cand(Outcome::Endpoint(Endpoint {
            url: None,
            host,
            port,
            scheme: None,
            registrable_domain,
            is_ip: false,
            ip_scope: None,
            cleartext: false,
        }))
    }

    /// Context rules for a bare name or dotted quad.
    fn bare_boundary(
        &self,
        before: Option<u8>,
        after: Option<u8>,
        numeric: bool,
    ) -> Option<NoiseReason> {
        match before {
            Some(b'@') => {
                return Some(if numeric {
                    NoiseReason::Version
                } else {
                    NoiseReason::Email
                });
            }
            Some(b) if b.is_ascii_alphanumeric() || b"_$.-/\\".contains(&b) => {
                return Some(if numeric {
                    NoiseReason::Version
                } else {
                    NoiseReason::Identifier
                });
            }
            _ => {}
        }
        match after {
            Some(b'(' | b'$' | b'_') => Some(NoiseReason::Identifier),
            Some(b'@') if !numeric => Some(NoiseReason::Identifier),
            _ => None,
        }
    }

    fn is_known_package(&self, host: &str) -> bool {
        if self.packages.is_empty() {
            return false;
        }
        if self.packages.contains(host) {
            return true;
        }
        // `com.foo.sdk.Tracker` when `com.foo.sdk` is known.
        host.match_indices('.')
            .skip(1)
            .any(|(i, _)| host.get(..i).is_some_and(|p| self.packages.contains(p)))
    }
}

/// Length of a network scheme name at the end of `m` (`foo.https` → 5).
fn scheme_suffix(m: &[u8]) -> Option<usize> {
    const SCHEMES: [&[u8]; 5] = [b"https", b"http", b"wss", b"ws", b"ftp"];
    SCHEMES
        .into_iter()
        .find(|s| {
            m.len()
                .checked_sub(s.len())
                .and_then(|i| m.get(i..))
                .is_some_and(|t| t.eq_ignore_ascii_case(s))
        })
        .map(<[u8]>::len)
}

fn ip_outcome(ip: Ipv4Addr, port: Option<u16>) -> Outcome {
    match classify_bare_v4(ip, port.is_some()) {
        Ok(scope) => Outcome::Endpoint(ip_endpoint(IpAddr::V4(ip), scope, port)),
        Err(r) => Outcome::Noise(r),
    }
}

fn ip_endpoint(ip: IpAddr, scope: IpScope, port: Option<u16>) -> Endpoint {
    Endpoint {
        url: None,
        host: ip.to_string(),
        port,
        scheme: None,
        registrable_domain: None,
        is_ip: true,
        ip_scope: Some(scope),
        cleartext: false,
    }
}

fn judge_v6(m: &[u8], start: usize, before: Option<u8>, after: Option<u8>) -> Option<Candidate> {
    let word = |b: u8| b.is_ascii_alphanumeric() || b"_$:.-".contains(&b);
    if before.is_some_and(word) || after.is_some_and(word) {
        return None;
    }
    let text = std::str::from_utf8(m).ok()?;
    let ip = parse_bare_v6(text)?;
    let outcome = match classify(IpAddr::V6(ip)) {
        Ok(scope) => Outcome::Endpoint(ip_endpoint(IpAddr::V6(ip), scope, None)),
        Err(r) => Outcome::Noise(r),
    };
    Some(Candidate {
        offset: start,
        len: m.len(),
        kind: CandidateKind::Ipv6,
        outcome,
    })
}

/// Format-string and template placeholders, and empty authorities.
fn authority_noise(authority: &str) -> Option<NoiseReason> {
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if host.is_empty() || host.starts_with(':') {
        return Some(NoiseReason::NoHost);
    }
    if host.contains(['%', '{', '}', '$', '<', '>', '*']) {
        return Some(NoiseReason::Placeholder);
    }
    None
}

/// The longest valid UTF-8 prefix, capped at [`MAX_URL_LEN`] bytes.
fn valid_utf8_prefix(m: &[u8]) -> &str {
    let m = m.get(..MAX_URL_LEN.min(m.len())).unwrap_or(m);
    match std::str::from_utf8(m) {
        Ok(s) => s,
        Err(e) => {
            std::str::from_utf8(m.get(..e.valid_up_to()).unwrap_or_default()).unwrap_or_default()
        }
    }
}

/// Drops trailing punctuation that ends a sentence or encloses the URL
/// (`see http://x.com/a).` → `http://x.com/a`).
fn trim_url(mut s: &str) -> &str {
    loop {
        let Some(last) = s.chars().next_back() else {
            return s;
        };
        let drop = match last {
            '.' | ',' | ';' | ':' | '!' | '?' | '*' => true,
            ')' => s.matches('(').count() < s.matches(')').count(),
            ']' => s.matches('[').count() < s.matches(']').count(),
            '}' => s.matches('{').count() < s.matches('}').count(),
            _ => false,
        };
        if !drop {
            return s;
        }
        s = s.strip_suffix(last).unwrap_or_default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trimming() {
        assert_eq!(trim_url("http://a.com/x."), "http://a.com/x");
        assert_eq!(trim_url("http://a.com/x)."), "http://a.com/x");
        assert_eq!(trim_url("http://a.com/(x)"), "http://a.com/(x)");
        assert_eq!(trim_url("http://a.com/x]"), "http://a.com/x");
        assert_eq!(trim_url("..."), "");
    }

    #[test]
    fn utf8_prefix() {
        assert_eq!(
            valid_utf8_prefix(b"http://a\xc3\xa9b\xff\xfe"),
            "http://a\u{e9}b"
        );
        assert_eq!(valid_utf8_prefix(&[b'a'; 5000]).len(), MAX_URL_LEN);
    }

    #[test]
    fn scheme_suffixes() {
        assert_eq!(scheme_suffix(b"foo.https"), Some(5));
        assert_eq!(scheme_suffix(b"foo.HTTP"), Some(4));
        assert_eq!(scheme_suffix(b"a.ws"), Some(2));
        assert_eq!(scheme_suffix(b"a.b"), None);
    }

    #[test]
    fn authority_rules() {
        assert_eq!(authority_noise(""), Some(NoiseReason::NoHost));
        assert_eq!(authority_noise(":80"), Some(NoiseReason::NoHost));
        assert_eq!(authority_noise("%s"), Some(NoiseReason::Placeholder));
        assert_eq!(authority_noise("user@{h}"), Some(NoiseReason::Placeholder));
        assert_eq!(authority_noise("a.com:80"), None);
    }
}
