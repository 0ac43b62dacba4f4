//! leakscope's report model: the data categories, evidence with its
//! location and attribution, and the report of one app. Every type is serde
//! (de)serialisable, and `schema/report.schema.json` is generated from these
//! types ([`report_schema`]); a test keeps the committed file in step.
//!
//! This crate holds data only: no parsing, no I/O.

#![deny(missing_docs)]

mod assessment;
mod category;
mod evidence;
mod flow;
mod report;
mod rules;

pub use assessment::*;
pub use category::{Category, UnknownCategory};
pub use evidence::{Attribution, Evidence, EvidenceKind};
pub use flow::*;
pub use report::*;
pub use rules::{RULES, Rule, rule};

/// The JSON Schema of [`Report`], as committed in `schema/report.schema.json`.
pub fn report_schema() -> serde_json::Value {
    let mut schema = schemars::schema_for!(Report).to_value();
    if let Some(obj) = schema.as_object_mut() {
        obj.insert(
            "$id".into(),
            serde_json::Value::String(format!(
                "https://leakscope.invalid/schema/report-{SCHEMA_VERSION}.json"
            )),
        );
    }
    schema
}
