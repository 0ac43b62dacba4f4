//! SARIF locations, artifact URIs and fingerprints.

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use leakscope_model::{CodeLocation, Location};

use crate::labels::short_class;

/// The `uriBaseId` of every artifact: the analysed app.
pub(super) const BASE_ID: &str = "APP";

/// A location in the code: the DEX file, the method and its class.
pub(super) fn code(loc: &CodeLocation) -> Value {
    json!({
        "physicalLocation": {
            "artifactLocation": artifact(&loc.dex),
        },
        "logicalLocations": logical(&loc.class, &loc.method),
        "properties": {
            "bytecodeOffset": loc.offset,
        },
    })
}

/// A location in the code known only by its method
/// (`Lpkg/Class;->name(args)ret`), as in a flow's path.
pub(super) fn method(descriptor: &str) -> Value {
    let (class, method) = descriptor.split_once("->").unwrap_or(("", descriptor));
    json!({ "logicalLocations": logical(class, method) })
}

/// A file of the app (`AndroidManifest.xml`, `assets/x.dex`).
pub(super) fn file(path: &str) -> Value {
    json!({ "physicalLocation": { "artifactLocation": artifact(path) } })
}

/// Either kind of report location.
pub(super) fn any(loc: &Location) -> Value {
    match loc {
        Location::Code(c) => code(c),
        Location::File { path } => file(path),
    }
}

fn artifact(path: &str) -> Value {
    json!({ "uri": encode_uri_path(path), "uriBaseId": BASE_ID })
}

/// The method (kind `function`) and, when known, its class (kind `type`).
fn logical(class: &str, method: &str) -> Value {
    let name = method.split_once('(').map_or(method, |(n, _)| n);
    let full = if class.is_empty() {
        method.to_owned()
    } else {
        format!("{class}->{method}")
    };
    let mut out = vec![json!({
        "name": name,
        "fullyQualifiedName": full,
        "decoratedName": full,
        "kind": "function",
    })];
    if !class.is_empty() {
        out.push(json!({
            "name": short_class(class),
            "fullyQualifiedName": class,
            "decoratedName": class,
            "kind": "type",
        }));
    }
    Value::Array(out)
}

/// Percent-encodes a relative path so that it is a valid URI reference:
/// unreserved characters, `/` and sub-delimiters are kept, everything else
/// (spaces, `%`, `#`, `?`, non-ASCII, control characters) is encoded. A
/// leading segment with a `:` would read as a scheme, so `:` is encoded too.
pub(super) fn encode_uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        let keep = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'-' | b'.'
                    | b'_'
                    | b'~'
                    | b'/'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
                    | b'@'
            );
        if keep {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(hex_digit(b >> 4));
            out.push(hex_digit(b & 0xf));
        }
    }
    out
}

fn hex_digit(n: u8) -> char {
    char::from_digit(u32::from(n), 16)
        .unwrap_or('0')
        .to_ascii_uppercase()
}

/// A stable fingerprint of a result: the first 128 bits of SHA-256 over the
/// parts, NUL-separated, in lowercase hex.
pub(super) fn fingerprint(parts: &[&str]) -> Value {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0u8]);
    }
    let digest = h.finalize();
    let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    json!({ "leakscope/v1": hex })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_paths_are_encoded() {
        assert_eq!(encode_uri_path("classes2.dex"), "classes2.dex");
        assert_eq!(
            encode_uri_path("split.apk!classes.dex"),
            "split.apk!classes.dex"
        );
        assert_eq!(encode_uri_path("a b/%#?é:"), "a%20b/%25%23%3F%C3%A9%3A");
    }

    #[test]
    fn fingerprints_are_stable_and_distinct() {
        let a = fingerprint(&["LS106", "api", "LFoo;", "m()V"]);
        assert_eq!(a, fingerprint(&["LS106", "api", "LFoo;", "m()V"]));
        assert_ne!(a, fingerprint(&["LS106", "apiL", "Foo;", "m()V"]));
    }
}
