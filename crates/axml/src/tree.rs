//! The owned element tree produced by both the binary and the text decoder.

use serde::Serialize;

use crate::attrs::{ANDROID_NS, framework_attr_id};
use crate::value::Value;

/// An XML element.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Element {
    /// Local name, e.g. `activity`.
    pub name: String,
    /// Namespace URI of the element, if any.
    pub namespace_uri: Option<String>,
    /// Attributes in document order.
    pub attributes: Vec<Attribute>,
    /// Child elements in document order (text nodes are not kept).
    pub children: Vec<Element>,
}

/// An attribute.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Attribute {
    /// Local name. For framework attributes known by resource id, this is the
    /// canonical name from the id (Android ignores the name string then).
    pub name: String,
    /// The name string as written, when it differs from `name` (obfuscated,
    /// stripped or decoy names); string-based lookups such as Android's
    /// `getAttributeValue(null, "package")` match on it.
    pub raw_name: Option<String>,
    /// Namespace URI string as written. Android ignores it for attributes
    /// with a resource id (see [`Attribute::is_android`]).
    pub namespace_uri: Option<String>,
    /// Resource id of the attribute (from the binary resource map, or from
    /// the framework table for `android:` attributes in text XML).
    pub resource_id: Option<u32>,
    /// The typed value, as `TypedArray` would see it.
    pub value: Value,
    /// The raw string value, when present and different from the typed
    /// string (Android's `XmlPullParser.getAttributeValue` reads this one).
    pub raw_value: Option<String>,
}

impl Attribute {
    /// True when this is an `android:` attribute (by namespace or by a
    /// framework resource id `0x01xxxxxx`).
    pub fn is_android(&self) -> bool {
        self.namespace_uri.as_deref() == Some(ANDROID_NS)
            || self.resource_id.is_some_and(|id| id >> 24 == 0x01)
    }
}

impl Element {
    /// The `android:` attribute `name`, the way Android's `obtainAttributes`
    /// finds it: first by its framework resource id (whatever its name
    /// string and namespace say), then by name in the Android namespace (or
    /// any framework id), then by name without a namespace (as androguard
    /// does for broken manifests).
    pub fn android_attr(&self, name: &str) -> Option<&Attribute> {
        let id = framework_attr_id(name);
        let attrs = &self.attributes;
        id.and_then(|id| attrs.iter().find(|a| a.resource_id == Some(id)))
            .or_else(|| attrs.iter().find(|a| a.name == name && a.is_android()))
            .or_else(|| {
                attrs
                    .iter()
                    .find(|a| a.name == name && a.namespace_uri.is_none())
            })
    }

    /// The attribute whose name string is `name` and which has no namespace
    /// (e.g. `package`), as `getAttributeValue(null, name)` finds it.
    pub fn plain_attr(&self, name: &str) -> Option<&Attribute> {
        self.attributes
            .iter()
            .find(|a| a.namespace_uri.is_none() && a.raw_name.as_deref().unwrap_or(&a.name) == name)
    }

    /// Children named `name`.
    pub fn children_named<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s Element> + 's {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// All descendants (not including `self`) in document order, iteratively.
    pub fn descendants(&self) -> Descendants<'_> {
        Descendants {
            stack: self.children.iter().rev().collect(),
        }
    }
}

/// Iterator over descendants in document order (see [`Element::descendants`]).
#[derive(Debug)]
pub struct Descendants<'a> {
    stack: Vec<&'a Element>,
}

impl<'a> Iterator for Descendants<'a> {
    type Item = &'a Element;
    fn next(&mut self) -> Option<&'a Element> {
        let e = self.stack.pop()?;
        self.stack.extend(e.children.iter().rev());
        Some(e)
    }
}

impl Drop for Element {
    /// Drops deep trees iteratively so a hostile 100 000-level nesting cannot
    /// overflow the stack.
    fn drop(&mut self) {
        let mut stack = std::mem::take(&mut self.children);
        while let Some(mut e) = stack.pop() {
            stack.append(&mut e.children);
        }
    }
}
