#![allow(clippy::unwrap_used, clippy::expect_used)]

//! `docs/rules.md` is generated from the rule registry; this test fails when
//! the committed file is stale. Regenerate it with
//! `LEAKSCOPE_UPDATE_SCHEMA=1 cargo test -p leakscope-model`.

use std::path::Path;

fn generate() -> String {
    let mut out = String::from(
        "# Finding rules\n\nGenerated from `crates/model/src/rules.rs`; do not edit by hand.\n\
         Reasons in reports, SARIF results and suppressions refer to these codes.\n\n\
         | Code | Name | Level | Summary |\n|---|---|---|---|\n",
    );
    for r in leakscope_model::RULES {
        out += &format!(
            "| {} | `{}` | {} | {} |\n",
            r.code, r.name, r.level, r.summary
        );
    }
    for r in leakscope_model::RULES {
        out += &format!(
            "\n## {} `{}`\n\n{}\n\n{}\n",
            r.code, r.name, r.summary, r.help
        );
    }
    out
}

#[test]
fn committed_rules_doc_matches_the_registry() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules.md");
    let generated = generate();
    if std::env::var_os("LEAKSCOPE_UPDATE_SCHEMA").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/rules.md is stale: run LEAKSCOPE_UPDATE_SCHEMA=1 cargo test -p leakscope-model"
    );
}
