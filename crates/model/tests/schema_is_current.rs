//! `schema/report.schema.json` is generated from the report types; this test
//! fails when the committed file is stale. Regenerate it with
//! `LEAKSCOPE_UPDATE_SCHEMA=1 cargo test -p leakscope-model`.

use std::path::Path;

#[test]
fn committed_schema_matches_the_types() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schema/report.schema.json");
    let generated = serde_json::to_string_pretty(&leakscope_model::report_schema()).unwrap() + "\n";
    if std::env::var_os("LEAKSCOPE_UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "schema/report.schema.json is stale: run LEAKSCOPE_UPDATE_SCHEMA=1 cargo test -p leakscope-model"
    );
}
