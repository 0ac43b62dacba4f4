//! `tool.driver.rules`: the rule registry as SARIF reporting descriptors.

use serde_json::{Value, json};

use leakscope_model::RULES;

/// Severity for code-scanning services (`properties.security-severity`,
/// 0.0-10.0) by SARIF level.
fn security_severity(level: &str) -> &'static str {
    match level {
        "error" => "8.0",
        "warning" => "5.0",
        _ => "2.0",
    }
}

/// One reporting descriptor per rule, in registry order (so a rule's index
/// in [`RULES`] is its `ruleIndex`).
pub(super) fn driver_rules() -> Value {
    Value::Array(
        RULES
            .iter()
            .map(|r| {
                json!({
                    "id": r.code,
                    "name": r.name,
                    "shortDescription": { "text": r.summary },
                    "fullDescription": { "text": r.help },
                    "help": {
                        "text": r.help,
                        "markdown": format!("**{}** ({})\n\n{}", r.summary, r.code, r.help),
                    },
                    "defaultConfiguration": { "level": r.level },
                    "properties": {
                        "docs": format!("docs/rules.md#{}-{}", r.code.to_ascii_lowercase(), r.name),
                        "tags": ["privacy", "security"],
                        "security-severity": security_severity(r.level),
                    },
                })
            })
            .collect(),
    )
}

/// The index of a rule in [`RULES`] and its default level.
pub(super) fn lookup(code: &str) -> Option<(usize, &'static str)> {
    RULES
        .iter()
        .position(|r| r.code == code)
        .and_then(|i| RULES.get(i).map(|r| (i, r.level)))
}
