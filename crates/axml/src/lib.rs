//! Android binary XML, resources.arsc and typed AndroidManifest decoding.
//!
//! - [`decode`] turns binary XML (AXML: `AndroidManifest.xml`, compiled
//!   `res/*.xml`) into an owned [`Element`] tree, tolerating the malformed
//!   files that Android itself accepts (and more), with [`AxmlWarning`]s for
//!   every anomaly. [`parse_text_xml`] does the same for plain-text XML.
//! - [`ResourceTable`] is a lazy, borrowed view of resources.arsc that
//!   resolves resource ids to strings in the default configuration.
//! - [`Manifest::from_element`] builds the typed manifest (package, versions,
//!   SDKs, permissions, components, intent filters...) from either tree.
//!
//! Decisions that matter when reading results:
//! - Attributes are found the way Android finds them: `android:` attributes
//!   by framework resource id ([`FRAMEWORK_ATTRS`], [`Element::android_attr`]),
//!   so obfuscated, stripped or decoy names and masked namespaces do not
//!   hide them; `package` and other plain attributes by their name string
//!   ([`Element::plain_attr`]).
//! - Hostile sizes are capped by the bytes present; nesting deeper than
//!   [`MAX_DEPTH`] and strings beyond [`OUTPUT_BUDGET`] are dropped with a
//!   warning; no input panics (fuzzed, property-tested).
//! - Resource lookups use the default (all-zero) configuration, else the
//!   first configuration in file order that has the entry (androguard's
//!   fallback), following at most [`MAX_REFERENCE_HOPS`] references.
//!
//! ```no_run
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let bytes = std::fs::read("AndroidManifest.xml")?;
//! let doc = leakscope_axml::decode(&bytes)?;
//! let (manifest, _warnings) = leakscope_axml::Manifest::from_element(&doc.root);
//! println!("{:?} {:?}", manifest.package, manifest.uses_permissions);
//! # Ok(()) }
//! ```

#![deny(missing_docs)]

mod arsc;
mod attrs;
mod binary;
mod chunk;
mod error;
mod manifest;
mod string_pool;
mod text;
mod tree;
mod value;

pub use arsc::{ArscError, ArscWarning, MAX_REFERENCE_HOPS, ResourceTable};
pub use attrs::{ANDROID_NS, FRAMEWORK_ATTRS, framework_attr_id, framework_attr_name};
pub use binary::{MAX_DEPTH, MAX_WARNINGS, OUTPUT_BUDGET, XmlDocument, decode, is_binary_xml};
pub use error::{AxmlError, AxmlWarning};
pub use manifest::{
    Application, Component, ComponentKind, IntentData, IntentFilter, Manifest, ManifestWarning,
    MetaData, PermissionDecl, Queries, UsesFeature, UsesLibrary, UsesPermission,
};
pub use string_pool::{StringPool, StringPoolAnomaly};
pub use text::{TextStrings, parse_text_xml};
pub use tree::{Attribute, Descendants, Element};
pub use value::Value;

/// Decodes an `AndroidManifest.xml` (or any XML resource) that may be binary
/// or text, choosing by content.
pub fn decode_any(data: &[u8]) -> Result<XmlDocument, AxmlError> {
    if is_binary_xml(data) {
        return decode(data);
    }
    match std::str::from_utf8(data.strip_prefix(&[0xef, 0xbb, 0xbf][..]).unwrap_or(data)) {
        Ok(text) => parse_text_xml(text),
        Err(_) => decode(data),
    }
}
