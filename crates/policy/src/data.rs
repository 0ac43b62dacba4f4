//! Policy data: the `data.config` document.

use std::path::Path;

use serde_json::{Map, Value};

use crate::error::{Diagnostic, PolicyError};

/// Reads a policy data file (`--policy-data FILE.json`): a JSON object,
/// available to policies as `data.config`.
pub fn load_data(path: &Path) -> Result<Value, PolicyError> {
    let text = std::fs::read_to_string(path).map_err(|source| PolicyError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    parse_data(&path.display().to_string(), &text)
}

/// Parses policy data given as text; `file` names it in errors.
pub fn parse_data(file: &str, text: &str) -> Result<Value, PolicyError> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        PolicyError::BadData(Diagnostic {
            file: file.to_string(),
            line: u32::try_from(e.line()).ok(),
            column: u32::try_from(e.column()).ok(),
            message: format!("policy data is not valid JSON: {e}"),
            excerpt: None,
        })
    })?;
    require_object(file, value)
}

/// Checks that policy data is a JSON object.
pub(crate) fn require_object(file: &str, value: Value) -> Result<Value, PolicyError> {
    if value.is_object() {
        Ok(value)
    } else {
        Err(PolicyError::BadData(Diagnostic::new(
            file,
            format!(
                "policy data must be a JSON object (it becomes `data.config`), not {}",
                kind(&value)
            ),
        )))
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Merges `over` into `base`: objects merge key by key (recursively), any
/// other value of `over` replaces the one of `base`.
pub(crate) fn merge(base: &mut Value, over: Value) {
    match (base, over) {
        (Value::Object(b), Value::Object(o)) => merge_maps(b, o),
        (b, o) => *b = o,
    }
}

fn merge_maps(base: &mut Map<String, Value>, over: Map<String, Value>) {
    for (k, v) in over {
        match base.get_mut(&k) {
            Some(existing) => merge(existing, v),
            None => {
                base.insert(k, v);
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn user_wins_and_objects_merge() {
        let mut base = json!({"a": [1, 2], "b": {"x": 1, "y": 2}, "c": 1});
        merge(&mut base, json!({"a": [], "b": {"y": 3}, "d": null}));
        assert_eq!(
            base,
            json!({"a": [], "b": {"x": 1, "y": 3}, "c": 1, "d": null})
        );
    }

    #[test]
    fn data_must_be_an_object() {
        let e = parse_data("d.json", "[1]").unwrap_err().to_string();
        assert_eq!(
            e,
            "d.json: policy data must be a JSON object (it becomes `data.config`), not an array"
        );
        let e = parse_data("d.json", "{\n  \"a\": }")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("d.json:2:8: policy data is not valid JSON"),
            "{e}"
        );
    }
}
