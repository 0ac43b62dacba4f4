//! Escaping app-controlled text for HTML, and safe fragment ids.

use std::fmt::Write;

/// Escapes text for an HTML text node or a double-quoted attribute.
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters other than tab and newline have no
            // business in a report; show them as U+FFFD.
            c if c.is_control() && c != '\t' && c != '\n' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// A fragment id made of `[A-Za-z0-9_-]` only: other bytes become `.xx`
/// (hex), so distinct inputs give distinct ids.
pub(crate) fn anchor(prefix: &str, s: &str) -> String {
    let mut out = String::with_capacity(prefix.len() + s.len() + 1);
    out.push_str(prefix);
    out.push('-');
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b == b'_' || b == b'-' {
            out.push(char::from(b));
        } else {
            let _ = write!(out, ".{b:02x}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            esc("<script>alert('x')</script> & \"y\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;y&quot;"
        );
        assert_eq!(esc("a\u{0}b"), "a\u{fffd}b");
    }

    #[test]
    fn anchors_are_safe_and_injective() {
        assert_eq!(anchor("t", "fire base"), "t-fire.20base");
        assert_ne!(anchor("t", "a.20"), anchor("t", "a "));
        assert_eq!(anchor("t", "\"><x"), "t-.22.3e.3cx");
    }
}
