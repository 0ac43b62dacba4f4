//! Evidence pointers of assessment reasons (`flows[3]`,
//! `categories.contacts.evidence[0]`, `trackers[firebase]`, ...), parsed so
//! that both renderers can resolve them.

use leakscope_model::Category;

/// What a reason's evidence pointer refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Pointer<'a> {
    /// `flows[N]`.
    Flow(usize),
    /// `categories.C.evidence[N]`.
    Evidence(Category, usize),
    /// `categories.C`.
    Category(Category),
    /// `trackers[ID]`.
    Tracker(&'a str),
    /// `endpoints[HOST]`.
    Endpoint(&'a str),
    /// `permissions[NAME]`.
    Permission(&'a str),
    /// `taint`: the taint analysis' coverage.
    Taint,
    /// Anything else.
    Unknown,
}

/// Parses one pointer; never fails (unknown shapes give [`Pointer::Unknown`]).
pub(crate) fn parse(p: &str) -> Pointer<'_> {
    if p == "taint" {
        return Pointer::Taint;
    }
    if let Some(i) = bracketed(p, "flows") {
        return i.parse().map_or(Pointer::Unknown, Pointer::Flow);
    }
    if let Some(id) = bracketed(p, "trackers") {
        return Pointer::Tracker(id);
    }
    if let Some(host) = bracketed(p, "endpoints") {
        return Pointer::Endpoint(host);
    }
    if let Some(name) = bracketed(p, "permissions") {
        return Pointer::Permission(name);
    }
    if let Some(rest) = p.strip_prefix("categories.") {
        let (cat, tail) = rest.split_once('.').unwrap_or((rest, ""));
        let Some(cat) = Category::from_id(cat) else {
            return Pointer::Unknown;
        };
        if tail.is_empty() {
            return Pointer::Category(cat);
        }
        return match bracketed(tail, "evidence").map(str::parse) {
            Some(Ok(i)) => Pointer::Evidence(cat, i),
            _ => Pointer::Unknown,
        };
    }
    Pointer::Unknown
}

/// `name[inner]` → `inner`.
fn bracketed<'a>(p: &'a str, name: &str) -> Option<&'a str> {
    p.strip_prefix(name)?.strip_prefix('[')?.strip_suffix(']')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_shape() {
        assert_eq!(parse("flows[3]"), Pointer::Flow(3));
        assert_eq!(parse("flows[x]"), Pointer::Unknown);
        assert_eq!(
            parse("categories.contacts.evidence[12]"),
            Pointer::Evidence(Category::Contacts, 12)
        );
        assert_eq!(
            parse("categories.device_ids"),
            Pointer::Category(Category::DeviceIds)
        );
        assert_eq!(parse("categories.nope.evidence[1]"), Pointer::Unknown);
        assert_eq!(parse("trackers[a]b]"), Pointer::Tracker("a]b"));
        assert_eq!(parse("taint"), Pointer::Taint);
        assert_eq!(parse(""), Pointer::Unknown);
        assert_eq!(parse("flows[99999999999999999999999]"), Pointer::Unknown);
    }
}
