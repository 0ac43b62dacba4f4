//! Glue between the app model and `leakscope-axml`: decoding the manifest
//! (binary or text) and resolving the label.

use std::path::Path;

use leakscope_axml::{Manifest, ResourceTable, TextStrings, Value};

use crate::Warning;

/// A decoded manifest and its `split` attribute (the split name of a split
/// APK; `None` for a base APK).
pub(crate) struct Decoded {
    pub manifest: Option<Manifest>,
    pub split: Option<String>,
    pub warnings: Vec<String>,
}

/// Decodes `AndroidManifest.xml`, binary or text.
pub(crate) fn decode(bytes: &[u8]) -> Decoded {
    let doc = match leakscope_axml::decode_any(bytes) {
        Ok(doc) => doc,
        Err(e) => {
            return Decoded {
                manifest: None,
                split: None,
                warnings: vec![format!("unreadable manifest: {e}")],
            };
        }
    };
    let mut warnings: Vec<String> = doc.warnings.iter().map(ToString::to_string).collect();
    let (manifest, manifest_warnings) = Manifest::from_element(&doc.root);
    warnings.extend(manifest_warnings.iter().map(ToString::to_string));
    let split = doc
        .root
        .plain_attr("split")
        .and_then(|a| a.value.as_str().map(str::to_string))
        .filter(|s| !s.is_empty());
    Decoded {
        manifest: Some(manifest),
        split,
        warnings,
    }
}

/// The raw label value: the application's, else that of the launcher
/// activity (as Android's launcher, and androguard, fall back).
fn label_value(manifest: &Manifest) -> Option<&Value> {
    if let Some(v) = manifest.application.as_ref().and_then(|a| a.label.as_ref()) {
        return Some(v);
    }
    manifest
        .activities
        .iter()
        .chain(&manifest.activity_aliases)
        .filter(|c| {
            c.intent_filters.iter().any(|f| {
                f.actions.iter().any(|a| a == "android.intent.action.MAIN")
                    && f.categories
                        .iter()
                        .any(|c| c == "android.intent.category.LAUNCHER")
            })
        })
        .find_map(|c| c.label.as_ref())
}

/// The label, resolved through `resources.arsc` (`arsc`) when it is a
/// reference.
pub(crate) fn resolve_label(
    manifest: &Manifest,
    arsc: Option<&[u8]>,
    arsc_source: &str,
    warnings: &mut Vec<Warning>,
) -> Option<String> {
    match label_value(manifest)? {
        Value::String(s) => Some(s.clone()),
        Value::Reference(id) => {
            let Some(arsc) = arsc else {
                warnings.push(Warning::new(
                    arsc_source,
                    format!("missing: the label @{id:08x} cannot be resolved"),
                ));
                return None;
            };
            match ResourceTable::parse(arsc) {
                Ok(table) => {
                    for w in table.warnings() {
                        warnings.push(Warning::new(arsc_source, w));
                    }
                    let label = table.resolve_string(*id);
                    if label.is_none() {
                        warnings.push(Warning::new(
                            arsc_source,
                            format!("the label @{id:08x} has no string value in the default configuration"),
                        ));
                    }
                    label
                }
                Err(e) => {
                    warnings.push(Warning::new(arsc_source, format!("unreadable: {e}")));
                    None
                }
            }
        }
        other => Some(other.to_string()),
    }
}

/// The label of a text manifest (`@string/name`), resolved through
/// `res/values/strings.xml` of an apktool directory.
pub(crate) fn resolve_label_from_values(
    manifest: &Manifest,
    root: &Path,
    warnings: &mut Vec<Warning>,
) -> Option<String> {
    let value = label_value(manifest)?;
    let Value::String(s) = value else {
        return Some(value.to_string());
    };
    if !s.starts_with('@') {
        return Some(s.clone());
    }
    let path = root.join("res/values/strings.xml");
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            warnings.push(Warning::new(
                "res/values/strings.xml",
                format!("unreadable: {e}"),
            ));
            return None;
        }
    };
    match TextStrings::parse(&text) {
        Ok(strings) => strings.resolve(s),
        Err(e) => {
            warnings.push(Warning::new(
                "res/values/strings.xml",
                format!("unreadable: {e}"),
            ));
            None
        }
    }
}
