//! Plain-text XML (apktool output, unzipped sources) into the same tree, and
//! `res/values/strings.xml` lookups for `@string/...` references.

use std::collections::HashMap;

use crate::attrs::{ANDROID_NS, framework_attr_id};
use crate::binary::{MAX_DEPTH, XmlDocument};
use crate::error::{AxmlError, AxmlWarning};
use crate::tree::{Attribute, Element};
use crate::value::Value;

/// Parses text XML into an element tree. `android:` attributes get their
/// framework resource id from the same table the binary decoder uses; values
/// stay strings (`@string/app_name` included: resolve it with
/// [`TextStrings::resolve`]).
pub fn parse_text_xml(text: &str) -> Result<XmlDocument, AxmlError> {
    let opts = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    let doc = roxmltree::Document::parse_with_options(text, opts)
        .map_err(|e| AxmlError::Text(e.to_string()))?;
    let mut warnings = Vec::new();
    let root = convert(doc.root_element(), &mut warnings);
    Ok(XmlDocument { root, warnings })
}

fn make(node: roxmltree::Node<'_, '_>) -> Element {
    let tag = node.tag_name();
    Element {
        name: tag.name().to_string(),
        namespace_uri: tag.namespace().map(str::to_string),
        attributes: node
            .attributes()
            .map(|a| {
                let ns = a.namespace();
                Attribute {
                    name: a.name().to_string(),
                    raw_name: None,
                    namespace_uri: ns.map(str::to_string),
                    resource_id: if ns == Some(ANDROID_NS) {
                        framework_attr_id(a.name())
                    } else {
                        None
                    },
                    value: Value::String(a.value().to_string()),
                    raw_value: None,
                }
            })
            .collect(),
        children: Vec::new(),
    }
}

/// Builds the tree iteratively (no recursion on document depth).
fn convert(root: roxmltree::Node<'_, '_>, warnings: &mut Vec<AxmlWarning>) -> Element {
    let mut stack = vec![(make(root), root.children())];
    let mut depth_warned = false;
    loop {
        let Some(top) = stack.last_mut() else {
            return Element::default();
        };
        match top.1.next() {
            Some(child) if child.is_element() => {
                if stack.len() >= MAX_DEPTH {
                    if !depth_warned {
                        depth_warned = true;
                        warnings.push(AxmlWarning::DepthLimit { limit: MAX_DEPTH });
                    }
                } else {
                    stack.push((make(child), child.children()));
                }
            }
            Some(_) => {}
            None => {
                let Some((e, _)) = stack.pop() else {
                    return Element::default();
                };
                match stack.last_mut() {
                    Some(parent) => parent.0.children.push(e),
                    None => return e,
                }
            }
        }
    }
}

/// String resources from text `res/values*/strings.xml` files.
#[derive(Clone, Debug, Default)]
pub struct TextStrings {
    strings: HashMap<String, String>,
}

impl TextStrings {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Parses one `strings.xml` (`<resources><string name="..">..</string>`).
    pub fn parse(text: &str) -> Result<TextStrings, AxmlError> {
        let mut s = TextStrings::new();
        s.add(text)?;
        Ok(s)
    }

    /// Adds the `<string>` entries of another values file (later files do
    /// not override earlier ones).
    pub fn add(&mut self, text: &str) -> Result<(), AxmlError> {
        let opts = roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        };
        let doc = roxmltree::Document::parse_with_options(text, opts)
            .map_err(|e| AxmlError::Text(e.to_string()))?;
        for node in doc
            .root_element()
            .children()
            .filter(|n| n.has_tag_name("string"))
        {
            if let Some(name) = node.attribute("name") {
                let raw: String = node
                    .descendants()
                    .filter(|n| n.is_text())
                    .filter_map(|n| n.text())
                    .collect();
                self.strings
                    .entry(name.to_string())
                    .or_insert_with(|| unescape(&raw));
            }
        }
        Ok(())
    }

    /// The string named `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.strings.get(name).map(String::as_str)
    }

    /// Resolves `@string/name` (following chains of references, at most
    /// [`crate::MAX_REFERENCE_HOPS`]); any other value is returned as is.
    pub fn resolve(&self, value: &str) -> Option<String> {
        let mut v = value;
        for _ in 0..crate::MAX_REFERENCE_HOPS {
            match v
                .strip_prefix("@string/")
                .or_else(|| v.strip_prefix("@+string/"))
            {
                Some(name) => v = self.get(name)?,
                None => return Some(v.to_string()),
            }
        }
        None
    }
}

/// aapt's string unescaping: surrounding quotes, `\n`, `\t`, `\'`, `\"`,
/// `\\`, `\@`, `\?`, `\uXXXX`; unquoted whitespace runs collapse.
fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.trim().chars().peekable();
    let mut quoted = false;
    let mut last_space = false;
    while let Some(c) = chars.next() {
        match c {
            '"' => quoted = !quoted,
            '\\' => match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('u') => {
                    let hex: String = (0..4)
                        .filter_map(|_| chars.next_if(char::is_ascii_hexdigit))
                        .collect();
                    if let Some(ch) = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                        out.push(ch);
                    }
                }
                Some(other) => out.push(other),
                None => {}
            },
            c if c.is_whitespace() && !quoted => {
                if !last_space {
                    out.push(' ');
                }
                last_space = true;
                continue;
            }
            c => out.push(c),
        }
        last_space = false;
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn text_manifest_and_strings() {
        let xml = r#"<?xml version="1.0" encoding="utf-8"?>
<manifest xmlns:android="http://schemas.android.com/apk/res/android" package="a.b">
  <application android:label="@string/app_name"><activity android:name=".Main"/></application>
</manifest>"#;
        let doc = parse_text_xml(xml).unwrap();
        assert_eq!(doc.root.name, "manifest");
        let app = &doc.root.children[0];
        let label = app.android_attr("label").unwrap();
        assert_eq!(label.resource_id, Some(0x0101_0001));
        let strings = TextStrings::parse(
            r#"<resources><string name="app_name">@string/real</string><string name="real">"My  App\'s"</string></resources>"#,
        )
        .unwrap();
        assert_eq!(
            strings.resolve(label.value.as_str().unwrap()).as_deref(),
            Some("My  App's")
        );
        let looped =
            TextStrings::parse(r#"<resources><string name="a">@string/a</string></resources>"#)
                .unwrap();
        assert_eq!(looped.resolve("@string/a"), None);
    }
}
